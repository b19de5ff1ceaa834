import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyzeSessions,
  SessionQuery,
  worstGroups,
  type AccountRef,
  type Kpis,
} from "@evo-sessions/core";
import { answerChars, call, NOW, startFixture, type Fixture } from "./fixture.js";

// The three questions of issue 14, each answered in one call through a real MCP client and
// checked against core's analyzeSessions run directly on the same sandbox.
let f: Fixture;
let accounts: AccountRef[];
const UTC = { timeZone: "UTC", now: NOW };

beforeAll(async () => {
  f = await startFixture();
  accounts = (await f.evo.authStatus()).accounts;
});
afterAll(() => f.close());

/** Core's KPIs as the tools' JSON writes them (shares to 4 places, seconds). */
function expectKpis(json: Record<string, unknown>, kpis: Kpis): void {
  expect(json).toMatchObject({
    offered: kpis.offered,
    answered: kpis.answered,
    missed: kpis.missed,
    sessions: kpis.sessions,
  });
  for (const key of ["answerRate", "abandonRate", "serviceLevel"] as const) {
    if (kpis[key] === undefined) expect(json[key]).toBeUndefined();
    else expect(json[key] as number).toBeCloseTo(kpis[key], 4);
  }
  if (kpis.asaMs !== undefined) expect(json.asaS).toBe(Math.round(kpis.asaMs / 1000));
}

describe("how did we do this week compared with last week", () => {
  it("is one session_stats call: this week's KPIs, the same weekdays last week, the changes", async () => {
    const result = await call(f.mcp, "session_stats", { compare: true });
    expect(result.isError, result.text).toBeFalsy();
    const week = SessionQuery.create().range("this-week", UTC);
    const current = await analyzeSessions(f.evo, week, { accounts, ...UTC });
    // This week so far (Mon 9 – Wed 11 Mar) against Mon 2 – Wed 4 Mar, not the weekend before.
    const lastWeek = SessionQuery.create().localDays("2026-03-02", "2026-03-04", {
      timeZone: "UTC",
    });
    const previous = await analyzeSessions(f.evo, lastWeek, { accounts, ...UTC });
    expect(current.totals.offered).toBeGreaterThan(0);
    expectKpis(result.data.totals as Record<string, unknown>, current.totals);
    const answered = result.data.previous as {
      totals: Record<string, unknown>;
      change: Record<string, number>;
    };
    expectKpis(answered.totals, previous.totals);
    expect(answered.change.offered).toBe(current.totals.offered - previous.totals.offered);
    expect(answered.change.answerRate).toBeCloseTo(
      ((current.totals.answerRate ?? 0) - (previous.totals.answerRate ?? 0)) * 100,
      1,
    );
    expect(result.text).toContain("this week (9–11 Mar 2026, UTC)");
    expect(result.text).toMatch(/Previous period, .*2–4 Mar 2026/);
    expect(result.text).toContain(`offered ${current.totals.offered}`);
    expect(result.text).toContain("Definitions: offered = inbound calls that ended");
    expect(result.text).toContain("zone UTC");
    expect(result.text).toContain("Complete: every matching session was read");
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
  });

  it("a plain range compares with core's previous period of the same length", async () => {
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", compare: true });
    const query = SessionQuery.create().range("last-7-days", UTC);
    const report = await analyzeSessions(f.evo, query, { accounts, compare: true, ...UTC });
    expectKpis(
      (result.data.previous as { totals: Record<string, unknown> }).totals,
      report.previous!.totals,
    );
  });
});

describe("which missed calls have we not called back", () => {
  it("is one missed_callbacks call: the open queue, most attempts first, with numbers to call", async () => {
    const result = await call(f.mcp, "missed_callbacks", {});
    expect(result.isError, result.text).toBeFalsy();
    const query = SessionQuery.create().range("last-7-days", UTC);
    const report = await analyzeSessions(f.evo, query, {
      accounts,
      callbacks: { limit: 1000 },
      ...UTC,
    });
    const cb = report.callbacks!;
    expect(cb.missed).toBeGreaterThan(0);
    expect(result.data).toMatchObject({
      missed: cb.missed,
      closed: cb.closed,
      closedByCallback: cb.closedByCallback,
      closedByAnsweredCall: cb.closedByAnsweredCall,
      open: cb.open,
      callersWaiting: cb.queue.length,
    });
    const callers = result.data.callers as {
      number: string;
      attempts: number;
      reasons: string[];
    }[];
    expect(callers.map((c) => [c.number, c.attempts, c.reasons])).toEqual(
      cb.queue.slice(0, callers.length).map((q) => [q.number, q.attempts, q.reasons]),
    );
    expect(callers.length).toBe(Math.min(20, cb.queue.length));
    for (const caller of callers) expect(result.text).toContain(caller.number);
    expect(result.text).toContain(`Still open: ${cb.open}`);
    expect(result.text).toContain("within 24h");
    expect(result.text).toContain("Complete: every matching session was read");
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
  });
});

describe("which account had the worst abandon rate last month", () => {
  it("is one session_stats call ranking the accounts, worst first", async () => {
    const result = await call(f.mcp, "session_stats", {
      range: "last_month",
      worst: "abandonRate",
    });
    expect(result.isError, result.text).toBeFalsy();
    const query = SessionQuery.create().range("last-month", UTC);
    const report = await analyzeSessions(f.evo, query, { accounts, groupBy: ["account"], ...UTC });
    const ranked = worstGroups(report.groups.account!, "abandonRate", 10, 5);
    expect(ranked.length).toBeGreaterThan(1);
    const groups = result.data.groups as { key: string; abandonRate: number; offered: number }[];
    expect(groups.map((g) => g.key)).toEqual(ranked.map((g) => g.key));
    expect(groups[0]!.abandonRate).toBeCloseTo(ranked[0]!.kpis.abandonRate!, 4);
    // The first account line of the text is the answer.
    const first = result.text.split("\n").find((line) => line.startsWith("  "))!;
    expect(first).toContain(`(${ranked[0]!.key})`);
    expect(first).toContain(`${((ranked[0]!.kpis.abandonRate ?? 0) * 100).toFixed(1)}% abandoned`);
    expect(result.text).toContain("last month (1–28 Feb 2026, UTC)");
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
  });
});

describe("rollups across accounts", () => {
  it("send progress and report a failed account without failing the answer", async () => {
    const broken = accounts[1]!;
    const failing: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === "/sessions" && url.searchParams.get("accountIds") === broken.id)
        return new Response('{"responseStatus":{"message":"down"}}', { status: 503 });
      return fetch(input, init);
    };
    const g = await startFixture({ fetch: failing });
    try {
      const progress: { progress: number; message?: string }[] = [];
      const result = await g.mcp.callTool(
        { name: "session_stats", arguments: { range: "last_30_days" } },
        { onprogress: (p: { progress: number; message?: string }) => progress.push(p) },
      );
      expect(result.isError).toBeFalsy();
      const data = result.structuredContent as {
        completeness: { complete: boolean; failures: { accountId: string }[] };
      };
      expect(data.completeness.complete).toBe(false);
      expect(data.completeness.failures.map((x) => x.accountId)).toEqual([broken.id]);
      const text = (result.content[0] as { text: string }).text;
      expect(text).toContain(
        `Not counted — these accounts failed: ${broken.name} (${broken.id}): server_error`,
      );
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)?.message).toMatch(/accounts done/);
    } finally {
      await g.close();
    }
  });
});
