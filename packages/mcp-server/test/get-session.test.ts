import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import { call, oracle, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let long: SessionInfo;

beforeAll(async () => {
  f = await startFixture();
  const accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
  const sessions = oracle(f.sandbox, accounts);
  long = sessions.reduce((a, b) => ((b.log?.length ?? 0) > (a.log?.length ?? 0) ? b : a));
});
afterAll(() => f.close());

describe("get_session", () => {
  it("shows the session with its members and the first page of its log", async () => {
    const result = await call(f.mcp, "get_session", { id: long.id });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(`Session ${long.id}`);
    expect(result.text).toContain(long.accountName as string);
    for (const member of long.members ?? []) {
      if (member.displayName) expect(result.text).toContain(member.displayName);
    }
    const log = result.data.log as {
      total: number;
      returned: number;
      entries: { index: number; message: string }[];
      nextLogOffset?: number;
    };
    expect(log.total).toBe(long.log?.length);
    expect(log.entries.map((e) => e.message)).toEqual(
      (long.log ?? []).slice(0, log.returned).map((e) => e.message),
    );
    expect(log.entries[0]?.index).toBe(0);
    if ((long.log?.length ?? 0) > 50) {
      expect(log.nextLogOffset).toBe(log.returned);
      expect(result.text).toContain(`logOffset=${log.returned}`);
    }
  });

  it("pages through a long log with logOffset/logLimit, ending exactly at the last entry", async () => {
    const all = long.log ?? [];
    const seen: string[] = [];
    let offset = 0;
    for (let i = 0; i < 100; i++) {
      const result = await call(f.mcp, "get_session", {
        id: long.id,
        logOffset: offset,
        logLimit: 40,
      });
      const log = result.data.log as {
        entries: { message: string }[];
        hasMore: boolean;
        nextLogOffset?: number;
      };
      seen.push(...log.entries.map((e) => e.message));
      if (!log.hasMore) break;
      offset = log.nextLogOffset as number;
    }
    expect(seen).toEqual(all.map((e) => e.message));
  });

  it("filters the log by text, case-insensitively", async () => {
    const word = ((long.log ?? [])[1]?.message ?? "").split(/\s+/)[0] ?? "";
    const want = (long.log ?? []).filter((e) =>
      (e.message ?? "").toLowerCase().includes(word.toLowerCase()),
    );
    const result = await call(f.mcp, "get_session", {
      id: long.id,
      logContains: word.toUpperCase(),
      logLimit: 500,
    });
    const log = result.data.log as { matching: number; entries: { message: string }[] };
    expect(log.matching).toBe(want.length);
    expect(log.entries.map((e) => e.message)).toEqual(want.map((e) => e.message));
  });

  it("keeps a long log within the token budget", async () => {
    const result = await call(f.mcp, "get_session", { id: long.id, logLimit: 500 });
    expect(result.text.length).toBeLessThanOrEqual(f.config.tokenBudget * 4);
  });

  it("an unknown id is an error that says what to check", async () => {
    const result = await call(f.mcp, "get_session", { id: "does-not-exist" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Not found/);
    expect(result.text).toContain("list_sessions");
  });

  it("a missing id is an error naming id", async () => {
    const result = await call(f.mcp, "get_session", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("id");
  });
});
