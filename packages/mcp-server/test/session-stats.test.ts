import { vi, afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import { answerChars, call, CUT_MARKER, oracle, startFixture, type Fixture } from "./fixture.js";

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

/** Sessions per group of a KPI shape (zero groups left out, as countBy has none). */
function groupsOf(data: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const group of data.groups as { key: string; sessions: number }[])
    if (group.sessions > 0) out[group.key] = group.sessions;
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

  it("KPIs of missed calls per day of the last 7 days, with empty days as 0", async () => {
    const result = await call(f.mcp, "session_stats", {
      range: "last_7_days",
      missed: true,
      by: "day",
    });
    expect(result.isError, result.text).toBeFalsy();
    const want = oracle(f.sandbox, accounts, { ...week, predicate: (s) => s.wasMissed === true });
    const completeness = result.data.completeness as { counted: number; complete: boolean };
    expect(completeness.counted).toBe(want.length);
    expect(groupsOf(result.data)).toEqual(countBy(want, (s) => s.dateCreated?.slice(0, 10) ?? ""));
    expect((result.data.groups as unknown[]).length).toBe(7);
    expect(completeness.complete).toBe(true);
    expect(result.text.length).toBeLessThan(2000);
  });

  it.each([
    ["outcome", (s: SessionInfo) => s.outcome || "(no outcome)"],
    ["direction", (s: SessionInfo) => s.direction || "(unknown)"],
    ["channel", (s: SessionInfo) => s.channel || "(unknown)"],
    ["missed", (s: SessionInfo) => (s.wasMissed === true ? "missed" : "not missed")],
  ] as const)("by %s counts match the sandbox's data", async (by, key) => {
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", by });
    expect(result.isError, result.text).toBeFalsy();
    const want = countBy(oracle(f.sandbox, accounts, week), key);
    const rows = rowsOf(result.data);
    if ((result.data.otherGroups as number) === 0) expect(rows).toEqual(want);
    else for (const [k, v] of Object.entries(rows)) if (k !== "other") expect(want[k]).toBe(v);
  });

  it.each([
    ["endpoint", (s: SessionInfo) => s.endpointId ?? ""],
    ["customer", (s: SessionInfo) => s.customerId ?? ""],
    ["account", (s: SessionInfo) => s.accountId ?? ""],
    ["hour", (s: SessionInfo) => String(Number(s.dateCreated?.slice(11, 13)))],
  ] as const)("by %s gives each group's sessions as in the sandbox's data", async (by, key) => {
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", by });
    expect(result.isError, result.text).toBeFalsy();
    const want = countBy(oracle(f.sandbox, accounts, week), key);
    expect(result.data.groupsLeftOut ?? 0).toBe(0);
    expect(groupsOf(result.data)).toEqual(want);
  });

  it.each(["endpoint", "customer"])(
    "by %s shows every row's whole ID in the text, to copy into the filters",
    async (by) => {
      const result = await call(f.mcp, "session_stats", { range: "last_30_days", by });
      expect(result.isError, result.text).toBeFalsy();
      const ids = (result.data.groups as { key: string }[]).map((r) => r.key).filter(Boolean);
      expect(ids.length).toBeGreaterThan(1);
      for (const id of ids) expect(result.text).toContain(`(${id})`);
    },
  );

  it.each(["hour", "day"])("by %s names the busiest row, ties included", async (by) => {
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", by });
    const rows = result.data.groups as { label: string; offered: number }[];
    const most = Math.max(...rows.map((r) => r.offered));
    const peaks = rows.filter((r) => r.offered === most).map((r) => r.label);
    expect(result.text).toContain(`Busiest ${by}: ${peaks.slice(0, 5).join(", ")}`);
    expect(result.text).toContain(`(${most} offered`);
  });

  it("counts only the asked outcomes, e.g. abandoned calls per endpoint", async () => {
    const result = await call(f.mcp, "session_stats", {
      range: "last_7_days",
      outcomes: ["Abandoned"],
      by: "outcome",
    });
    expect(result.isError, result.text).toBeFalsy();
    const want = oracle(f.sandbox, accounts, {
      ...week,
      predicate: (s) => s.outcome === "Abandoned",
    });
    expect(want.length).toBeGreaterThan(0);
    expect(rowsOf(result.data)).toEqual({ Abandoned: want.length });
    expect(result.text).toContain('outcome "Abandoned"');
  });

  it("reports progress while paging when the client asks for it", async () => {
    const progress: { progress: number; total?: number }[] = [];
    const result = await f.mcp.callTool(
      { name: "session_stats", arguments: { by: "direction", searchArchive: true } },
      { onprogress: (p: { progress: number; total?: number }) => progress.push(p) },
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
      by: "outcome",
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
    // Each GET /sessions waits until the test lets it through, so the test says exactly when a
    // page arrives — no latency, no sleep — and sees the page in flight being aborted.
    const held: { release: () => void; aborted: Promise<void> }[] = [];
    let arrived: () => void = () => undefined;
    const gatedFetch: typeof fetch = async (input, init) => {
      if (!new URL(String(input)).pathname.startsWith("/sessions")) return fetch(input, init);
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const aborted = new Promise<void>((resolve) =>
        init?.signal?.addEventListener("abort", () => resolve(), { once: true }),
      );
      held.push({ release, aborted });
      arrived();
      await Promise.race([gate, aborted]);
      return fetch(input, init);
    };
    const nextRequest = () => new Promise<void>((resolve) => (arrived = resolve));
    const slow = await startFixture({ fetch: gatedFetch });
    try {
      const controller = new AbortController();
      const first = nextRequest();
      const pending = slow.mcp.callTool(
        { name: "session_stats", arguments: { by: "outcome", searchArchive: true } },
        { signal: controller.signal, onprogress: () => controller.abort() },
      );
      const rejected = expect(pending).rejects.toThrow();
      await first;
      held[0]?.release(); // page 1 arrives → progress → the client cancels
      await rejected;
      // The tool ends (its log line is written last) only once nothing is in flight: a page
      // still held here must have been aborted by the cancellation, or this never settles.
      await vi.waitFor(() => expect(slow.logs.join("\n")).toMatch(/tool_call.*session_stats/));
      // At most the one page fetched ahead was asked for after page 1, of 8 pages in all.
      expect(held.length).toBeLessThanOrEqual(2);
      await Promise.all(held.slice(1).map((request) => request.aborted));
    } finally {
      for (const request of held) request.release();
      await slow.close();
    }
  });

  it("compare without a bounded window is an error naming the argument (the fuzz test drew one)", async () => {
    for (const args of [
      { compare: true, searchArchive: true },
      { compare: true, startDate: "2026-03-01" },
    ]) {
      const result = await call(f.mcp, "session_stats", args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text).toMatch(/^Invalid argument "compare": needs a window/m);
    }
    // searchArchive: false is the default: this week is still compared with the week before.
    const result = await call(f.mcp, "session_stats", { compare: true, searchArchive: false });
    expect(result.isError, result.text).toBeFalsy();
  });

  it("compare or worst with a count shape is an error naming the argument", async () => {
    const result = await call(f.mcp, "session_stats", { by: "outcome", compare: true });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Invalid argument "compare"');
  });

  it("by day over more than 40 days keeps every day, the newest included, none folded into other", async () => {
    const span = { searchArchive: true, startDate: "2026-01-10", endDate: "2026-02-24" };
    const result = await call(f.mcp, "session_stats", { ...span, by: "day" });
    expect(result.isError, result.text).toBeFalsy();
    const rows = result.data.groups as { key: string; label: string }[];
    expect(rows).toHaveLength(46);
    expect(rows[0]?.key).toBe("2026-01-10");
    expect(rows.at(-1)?.key).toBe("2026-02-24");
    expect(result.data.groupsLeftOut ?? 0).toBe(0);
    const want = oracle(f.sandbox, accounts, span);
    expect(groupsOf(result.data)).toEqual(countBy(want, (s) => s.dateCreated?.slice(0, 10) ?? ""));
    expect(result.text).toContain(rows.at(-1)?.label);
    expect(result.text).not.toContain(CUT_MARKER);
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
  });

  it("by day over more than 62 days is by week and says so", async () => {
    const span = { searchArchive: true, startDate: "2025-12-01", endDate: "2026-02-22" };
    const result = await call(f.mcp, "session_stats", { ...span, by: "day" });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data.by).toBe("week");
    const rows = result.data.groups as { key: string; sessions: number }[];
    // 1 Dec 2025 is a Monday; 22 Feb 2026 a Sunday: 12 whole weeks, empty ones as 0.
    expect(rows.map((r) => r.key)).toEqual(
      Array.from({ length: 12 }, (_, i) =>
        new Date(Date.UTC(2025, 11, 1 + 7 * i)).toISOString().slice(0, 10),
      ),
    );
    expect(rows.reduce((sum, r) => sum + r.sessions, 0)).toBe(
      oracle(f.sandbox, accounts, span).length,
    );
    expect(result.text).toContain("84 days are more than 62, so by week");
  });

  it("explicit days are local days in the configured zone: exactly those rows", async () => {
    const la = await startFixture({ config: { timeZone: "America/Los_Angeles" } });
    try {
      const laAccounts = la.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      const result = await call(la.mcp, "session_stats", {
        startDate: "2026-03-05",
        endDate: "2026-03-07",
        by: "day",
      });
      expect(result.isError, result.text).toBeFalsy();
      const rows = result.data.groups as { key: string; sessions: number }[];
      expect(rows.map((r) => r.key)).toEqual(["2026-03-05", "2026-03-06", "2026-03-07"]);
      const localDay = (s: SessionInfo) =>
        new Date(s.dateCreated as string).toLocaleDateString("en-CA", {
          timeZone: "America/Los_Angeles",
        });
      const want = oracle(la.sandbox, laAccounts, {
        predicate: (s) => ["2026-03-05", "2026-03-06", "2026-03-07"].includes(localDay(s)),
      });
      expect(rows.map((r) => r.sessions)).toEqual(
        ["2026-03-05", "2026-03-06", "2026-03-07"].map(
          (d) => want.filter((s) => localDay(s) === d).length,
        ),
      );
      expect(result.text).not.toContain("2026-03-04");
    } finally {
      await la.close();
    }
  });

  it("reads oldest first, so sessions arriving mid-count land after the end instead of shifting pages", async () => {
    const before = f.sandbox.requests.length;
    const result = await call(f.mcp, "session_stats", { range: "last_7_days", by: "outcome" });
    expect(result.isError).toBeFalsy();
    const pages = f.sandbox.requests.slice(before).filter((r) => r.path === "/sessions");
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(page.query).toContain("sortOrder=Ascend");
    expect(result.text).not.toContain("newest first");
  });

  it("without totals or hasMorePages, a list ends at an empty page: exactly at the cap is complete, one more is a reached cap", async () => {
    // A server that says nothing about the end: pages carry only their items. Core's one rule
    // then ends the list at an empty page (a short page proves nothing), where the old scanner
    // took a short page for the last one.
    const itemsOnly: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== "/sessions" || !response.ok) return response;
      const { items } = (await response.json()) as { items: unknown[] };
      return new Response(JSON.stringify({ items }), {
        status: response.status,
        headers: { "content-type": "application/json" },
      });
    };
    const g = await startFixture({ fetch: itemsOnly, sandbox: { sessions: 300 } });
    try {
      const gAccounts = g.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      const n = oracle(g.sandbox, gAccounts, {
        startDate: "2026-03-09",
        endDate: "2026-03-11",
      }).length;
      expect(n).toBeGreaterThan(2);
      const args = { startDate: "2026-03-09", endDate: "2026-03-11", by: "direction" };
      const before = g.sandbox.requests.length;
      const exact = await call(g.mcp, "session_stats", { ...args, maxSessions: n });
      expect(exact.data).toMatchObject({ scanned: n, complete: true, capReached: false });
      expect(exact.text).toContain("Complete");
      // The end was seen as an empty page past the last session.
      const last = g.sandbox.requests
        .slice(before)
        .filter((r) => r.path === "/sessions")
        .at(-1);
      const wire = new URLSearchParams(last?.query ?? "");
      expect(Number(wire.get("page")) * Number(wire.get("countPerPage"))).toBeGreaterThanOrEqual(n);
      const short = await call(g.mcp, "session_stats", { ...args, maxSessions: n - 1 });
      expect(short.data).toMatchObject({ scanned: n - 1, complete: false, capReached: true });
      expect(short.text).toMatch(
        /Cap reached: stopped after reading \d+ sessions — the oldest ones/,
      );
    } finally {
      await g.close();
    }
  });
});
