import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import { call, oracle, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let accounts: string[];

beforeAll(async () => {
  f = await startFixture();
  accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
});
afterAll(() => f.close());

function countBy(sessions: SessionInfo[], key: (s: SessionInfo) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sessions) out[key(s)] = (out[key(s)] ?? 0) + 1;
  return out;
}

function rowsOf(data: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of data.rows as { key: string; count: number }[])
    if (row.count > 0) out[row.key] = row.count;
  return out;
}

describe("session_stats", () => {
  const week = { startDate: "2026-03-05", endDate: "2026-03-11" };

  it("counts missed calls per day of the last 7 days, with empty days as 0", async () => {
    const result = await call(f.mcp, "session_stats", {
      range: "last_7_days",
      missed: true,
      groupBy: "day",
    });
    expect(result.isError, result.text).toBeFalsy();
    const want = oracle(f.sandbox, accounts, { ...week, predicate: (s) => s.wasMissed === true });
    expect(result.data.matched).toBe(want.length);
    expect(rowsOf(result.data)).toEqual(
      countBy(want, (s) => {
        const d = new Date(s.dateCreated as string);
        return `${s.dateCreated?.slice(0, 10)} ${d.toLocaleDateString("en-US", { weekday: "short", timeZone: "UTC" })}`;
      }),
    );
    expect((result.data.rows as unknown[]).length).toBe(7);
    expect(result.data.complete).toBe(true);
    expect(result.text.length).toBeLessThan(2000);
  });

  it.each([
    ["outcome", (s: SessionInfo) => s.outcome || "(no outcome)"],
    ["direction", (s: SessionInfo) => s.direction || "(unknown)"],
    ["channel", (s: SessionInfo) => s.channel || "(unknown)"],
    ["missed", (s: SessionInfo) => (s.wasMissed === true ? "missed" : "not missed")],
    [
      "endpoint",
      (s: SessionInfo) =>
        s.endpointId ? `${s.endpointName ?? "?"} (${s.endpointId})` : "(no endpoint)",
    ],
    [
      "customer",
      (s: SessionInfo) =>
        s.customerId ? `${s.customerName ?? "?"} (${s.customerId})` : "(no customer)",
    ],
    ["hour_of_day", (s: SessionInfo) => `${s.dateCreated?.slice(11, 13)}:00`],
  ] as const)("groupBy %s matches the sandbox's data", async (groupBy, key) => {
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", groupBy });
    expect(result.isError, result.text).toBeFalsy();
    const want = countBy(oracle(f.sandbox, accounts, week), key);
    const rows = rowsOf(result.data);
    if ((result.data.otherGroups as number) === 0) expect(rows).toEqual(want);
    else for (const [k, v] of Object.entries(rows)) if (k !== "other") expect(want[k]).toBe(v);
  });

  it("reports progress while paging when the client asks for it", async () => {
    const progress: { progress: number; total?: number }[] = [];
    const result = await f.mcp.callTool(
      { name: "session_stats", arguments: { groupBy: "direction", searchArchive: true } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.isError).toBeFalsy();
    const scanned = (result.structuredContent as { scanned: number }).scanned;
    expect(scanned).toBeGreaterThan(200);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)?.progress).toBe(scanned);
    expect(progress.at(-1)?.total).toBe(scanned);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    }
  });

  it("states the cap when it stops early", async () => {
    const result = await call(f.mcp, "session_stats", {
      groupBy: "outcome",
      searchArchive: true,
      maxSessions: 150,
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data).toMatchObject({
      scanned: 150,
      capReached: true,
      complete: false,
      cap: 150,
    });
    expect(result.text).toMatch(/Cap reached: stopped after reading 150 sessions/);
  });

  it("cancellation from the client aborts the HTTP calls", async () => {
    const slow = await startFixture({ sandbox: { latencyMs: 150 } });
    try {
      const controller = new AbortController();
      const before = slow.sandbox.requests.length;
      const pending = slow.mcp.callTool(
        { name: "session_stats", arguments: { groupBy: "outcome", searchArchive: true } },
        undefined,
        {
          signal: controller.signal,
          onprogress: () => controller.abort(),
        },
      );
      await expect(pending).rejects.toThrow();
      const atAbort = slow.sandbox.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      // At most the request in flight finished after the abort; paging stopped.
      expect(slow.sandbox.requests.length - atAbort).toBeLessThanOrEqual(1);
      // 700-odd archived sessions are 8 pages of 100: far from all of them were read.
      const pages = slow.sandbox.requests
        .slice(before)
        .filter((r) => r.path.startsWith("/sessions"));
      expect(pages.length).toBeLessThan(5);
    } finally {
      await slow.close();
    }
  });

  it("a missing groupBy is an error naming groupBy", async () => {
    const result = await call(f.mcp, "session_stats", { range: "today" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("groupBy");
  });
});
