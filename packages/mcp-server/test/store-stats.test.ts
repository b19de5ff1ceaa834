import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncStore } from "@evo-sessions/cli/store";
import { call, NOW, startFixture, type Fixture } from "./fixture.js";

// 40 UTC days up to the fixture's now: archive, boundary and live window.
const WINDOW = { from: "2026-01-31", to: "2026-03-11" };

let dir: string;
let f: Fixture;
let missing: Fixture;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "evo-mcp-store-stats-"));
  const store = join(dir, "store.duckdb");
  f = await startFixture({ sandbox: { sessions: 600 }, config: { storePath: store } });
  await syncStore(f.evo, { store, ...WINDOW, now: NOW, lockTimeoutMs: 0 });
  // The same data, and a store path with nothing there: every answer from Evo Voice.
  missing = await startFixture({
    sandbox: { sessions: 600 },
    config: { storePath: join(dir, "none.duckdb") },
  });
});
afterAll(async () => {
  await f.close();
  await missing.close();
  await rm(dir, { recursive: true, force: true });
});

/** The tool's answer, and how many session lists Evo Voice (the sandbox) was asked for. */
async function counted(fixture: Fixture, name: string, args: Record<string, unknown>) {
  const lists = () => fixture.sandbox.requests.filter((r) => r.path.includes("sessions")).length;
  const before = lists();
  const result = await call(fixture.mcp, name, args);
  return { ...result, requests: lists() - before };
}

describe("session_stats and missed_callbacks with a local store", () => {
  it.each([
    ["this week's KPIs", "session_stats", {}],
    ["KPIs by account, compared", "session_stats", { by: "account", compare: true }],
    ["counts by outcome", "session_stats", { by: "outcome", range: "last_7_days" }],
    ["missed callbacks", "missed_callbacks", {}],
  ])("%s come from the store, with Evo Voice's numbers", async (_name, tool, args) => {
    const local = await counted(f, tool, args);
    const remote = await counted(missing, tool, args);
    expect(local.isError).toBeFalsy();
    expect(local.requests).toBe(0);
    expect(local.text).toMatch(
      /Read from the local store store\.duckdb \(synced .*\), not from Evo Voice\./,
    );
    expect(local.data.source).toMatchObject({ from: "store", syncedTo: NOW.toISOString() });
    expect(remote.requests).toBeGreaterThan(0);
    expect(remote.data.source).toMatchObject({ from: "evo" });
    expect(remote.text).toMatch(/Read from Evo Voice, not the local store none\.duckdb: .+/);
    const numbers = (data: Record<string, unknown>) => {
      const { source: _s, ...rest } = data;
      return rest;
    };
    expect(numbers(local.data)).toEqual(numbers(remote.data));
  });

  it("reads Evo Voice, and says why, for what the store does not hold exactly", async () => {
    const older = await counted(f, "session_stats", {
      startDate: "2026-01-01",
      endDate: "2026-01-10",
      searchArchive: true,
    });
    expect(older.requests).toBeGreaterThan(0);
    expect(older.data.source).toMatchObject({ from: "evo" });
    expect(older.text).toMatch(
      /Read from Evo Voice, not the local store store\.duckdb: the store lacks \d+ of \d+ account-days .*evo-sessions sync --store .*--start 2026-01-01 --end 2026-01-10/,
    );
    const text = await counted(f, "session_stats", { from: "555" });
    expect(text.data.source).toMatchObject({ from: "evo" });
    expect(text.text).toMatch(/it filters on from: `from` is a contains search/);
  });

  it("says so when part came from each", async () => {
    // The week before the synced window's first days: the store holds the current period only.
    const both = await counted(f, "session_stats", {
      startDate: "2026-01-31",
      endDate: "2026-02-06",
      searchArchive: true,
      compare: true,
    });
    expect(both.data.source).toMatchObject({ from: "both" });
    expect(both.text).toMatch(
      /Read partly from the local store store\.duckdb .*the rest from Evo Voice: the store lacks/,
    );
  });
});
