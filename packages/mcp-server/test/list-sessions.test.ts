import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import { call, ids, oracle, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let accounts: string[];

beforeAll(async () => {
  f = await startFixture();
  accounts = (f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? []).slice();
});
afterAll(() => f.close());

/** Pages through list_sessions with the cursor until the end; returns every id in order. */
async function listAll(args: Record<string, unknown>): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const result = await call(f.mcp, "list_sessions", {
      ...args,
      limit: 50,
      ...(cursor ? { cursor } : {}),
    });
    expect(result.isError, result.text).toBeFalsy();
    out.push(...ids(result));
    const paging = result.data.paging as { hasMore: boolean; nextCursor?: string };
    if (!paging.hasMore) return out;
    cursor = paging.nextCursor;
    expect(cursor).toBeDefined();
  }
  throw new Error("paging did not end");
}

const idsOf = (sessions: SessionInfo[]) => sessions.map((s) => s.id as string);

describe("list_sessions against the sandbox's data", () => {
  it("lists the newest sessions of every reachable account, naming the accounts and the total", async () => {
    const result = await call(f.mcp, "list_sessions", {});
    expect(result.isError).toBeFalsy();
    const expected = oracle(f.sandbox, accounts);
    expect(ids(result)).toEqual(idsOf(expected).slice(0, 20));
    const paging = result.data.paging as Record<string, unknown>;
    expect(paging.total).toBe(expected.length);
    expect(paging.hasMore).toBe(true);
    const names = f.sandbox.data.accounts
      .filter((a) => accounts.includes(a.id ?? ""))
      .map((a) => a.name);
    for (const name of names) expect(result.text).toContain(name as string);
    expect(result.text).toContain(`of ${expected.length}`);
    expect(result.text).toMatch(/cursor="[A-Za-z0-9_-]+"/);
    // The text is lines, not the JSON again.
    expect(result.text).not.toContain('"sessions"');
  });

  const sample = () => oracle(f.sandbox, accounts)[3] as SessionInfo;

  const cases: [string, () => Record<string, unknown>, () => Parameters<typeof oracle>[2]][] = [
    ["accountIds", () => ({ accountIds: [accounts[1]] }), () => ({})],
    [
      "customerIds",
      () => ({ customerIds: [sample().customerId] }),
      () => ({ customerIds: [sample().customerId as string] }),
    ],
    [
      "endpointIds",
      () => ({ endpointIds: [sample().endpointId] }),
      () => ({ endpointIds: [sample().endpointId as string] }),
    ],
    [
      "from",
      () => ({ from: (sample().fromAddress ?? "").slice(-4) }),
      () => ({ from: (sample().fromAddress ?? "").slice(-4) }),
    ],
    [
      "to",
      () => ({ to: (sample().toAddress ?? "").slice(-4) }),
      () => ({ to: (sample().toAddress ?? "").slice(-4) }),
    ],
    ["log", () => ({ log: "voicemail" }), () => ({ log: "voicemail" })],
    [
      "specificIds",
      () => ({ specificIds: [sample().id] }),
      () => ({ specificIds: [sample().id as string] }),
    ],
    [
      "startDate/endDate",
      () => ({ startDate: "2026-03-05", endDate: "2026-03-07" }),
      () => ({ startDate: "2026-03-05", endDate: "2026-03-07" }),
    ],
    [
      "searchArchive",
      () => ({ searchArchive: true, startDate: "2026-02-01", endDate: "2026-02-03" }),
      () => ({ searchArchive: true, startDate: "2026-02-01", endDate: "2026-02-03" }),
    ],
    [
      "missed (client-side)",
      () => ({ missed: true, range: "last_7_days" }),
      () => ({
        startDate: "2026-03-05",
        endDate: "2026-03-11",
        predicate: (s) => s.wasMissed === true,
      }),
    ],
    [
      "direction (client-side)",
      () => ({ direction: "Outgoing", range: "yesterday" }),
      () => ({
        startDate: "2026-03-10",
        endDate: "2026-03-10",
        predicate: (s) => s.direction === "Outgoing",
      }),
    ],
    [
      "channel (client-side)",
      () => ({ channel: "Chat", range: "this_week" }),
      () => ({
        startDate: "2026-03-09",
        endDate: "2026-03-11",
        predicate: (s) => s.channel === "Chat",
      }),
    ],
  ];

  it.each(cases)(
    "filter %s returns exactly the matching sessions, in order, across pages",
    async (_name, args, expected) => {
      const filterArgs = args();
      const want = oracle(
        f.sandbox,
        (filterArgs.accountIds as string[] | undefined) ?? accounts,
        expected(),
      );
      expect(want.length, "the oracle should find something to compare").toBeGreaterThan(0);
      expect(await listAll(filterArgs)).toEqual(idsOf(want));
    },
  );

  it("parentSessionId lists the children of a transfer", async () => {
    const links = Object.entries(f.sandbox.data.parentSessionIds ?? {});
    const recent = links.find(
      ([child]) => oracle(f.sandbox, accounts, { specificIds: [child] }).length > 0,
    );
    expect(recent).toBeDefined();
    const parent = (recent as [string, string])[1];
    const want = oracle(f.sandbox, accounts, { parentSessionId: parent });
    expect(await listAll({ parentSessionId: parent })).toEqual(idsOf(want));
  });

  it("says which filters it applied itself and that the total is then unknown", async () => {
    const result = await call(f.mcp, "list_sessions", { missed: true, range: "yesterday" });
    expect(result.text).toContain("applied by this server");
    expect(result.text).toContain("missed only");
    const filters = result.data.filters as { clientSide: string[]; range: { label: string } };
    expect(filters.clientSide).toEqual(["missed only"]);
    expect(filters.range.label).toContain("yesterday");
    expect((result.data.paging as Record<string, unknown>).total).toBeUndefined();
  });

  it("resolves ranges in the configured time zone, exactly", async () => {
    const tokyo = await startFixture({ config: { timeZone: "Asia/Tokyo" } });
    try {
      const tokyoAccounts = tokyo.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      // Yesterday in Tokyo (UTC+9) at 2026-03-12 00:30 local: 2026-03-11 00:00 – 2026-03-12 00:00 JST.
      const from = Date.parse("2026-03-10T15:00:00Z");
      const to = Date.parse("2026-03-11T15:00:00Z");
      const want = oracle(tokyo.sandbox, tokyoAccounts, {
        predicate: (s) => {
          const t = Date.parse(s.dateCreated ?? "");
          return t >= from && t < to;
        },
      });
      const result = await call(tokyo.mcp, "list_sessions", { range: "yesterday", limit: 200 });
      expect(result.isError, result.text).toBeFalsy();
      expect(ids(result)).toEqual(idsOf(want).slice(0, 200));
      expect(result.text).toContain("Asia/Tokyo");
    } finally {
      await tokyo.close();
    }
  });
});

describe("list_sessions paging and cursors", () => {
  it("a cursor reused with other filters is refused, naming the cursor", async () => {
    const first = await call(f.mcp, "list_sessions", { range: "last_7_days", limit: 5 });
    const cursor = (first.data.paging as { nextCursor: string }).nextCursor;
    const reused = await call(f.mcp, "list_sessions", { range: "today", limit: 5, cursor });
    expect(reused.isError).toBe(true);
    expect(reused.text).toContain('"cursor"');
    expect(reused.text).toMatch(/different filters/);
    // With the same filters (limit may change) it continues the list.
    const next = await call(f.mcp, "list_sessions", { range: "last_7_days", limit: 7, cursor });
    expect(next.isError).toBeFalsy();
    const want = idsOf(
      oracle(f.sandbox, accounts, { startDate: "2026-03-05", endDate: "2026-03-11" }),
    );
    expect(ids(next)).toEqual(want.slice(5, 12));
  });

  it("sessions arriving between pages are not handed out twice, and the answer says so", async () => {
    const live = await startFixture({ sandbox: { sessions: 200, live: true, liveStepMs: 5 } });
    try {
      const first = await call(live.mcp, "list_sessions", { limit: 10 });
      const cursor = (first.data.paging as { nextCursor: string }).nextCursor;
      // Live calls finish and new ones start every few steps: let some arrive at the top.
      await new Promise((resolve) => setTimeout(resolve, 250));
      const fresh = await call(live.mcp, "list_sessions", { limit: 10 });
      expect(ids(fresh)).not.toEqual(ids(first));
      const second = await call(live.mcp, "list_sessions", { limit: 10, cursor });
      expect(second.isError, second.text).toBeFalsy();
      expect(ids(second).filter((id) => ids(first).includes(id))).toEqual([]);
      expect(second.text).toMatch(/new sessions? arrived since the previous page/);
    } finally {
      await live.close();
    }
  });

  it("a forged cursor is refused, naming the cursor", async () => {
    const result = await call(f.mcp, "list_sessions", { cursor: "not-a-cursor" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('"cursor"');
  });

  it("ends with hasMore false and no cursor", async () => {
    const want = idsOf(
      oracle(f.sandbox, accounts, { startDate: "2026-03-11", endDate: "2026-03-11" }),
    );
    const result = await call(f.mcp, "list_sessions", { range: "today", limit: 200 });
    expect(ids(result)).toEqual(want);
    expect(result.data.paging).toMatchObject({ hasMore: false, returned: want.length });
    expect(result.text).toContain("End of list");
  });
});

describe("list_sessions answer size", () => {
  it("fits the token budget, says what it left out, and the cursor continues with it", async () => {
    const small = await startFixture({ config: { tokenBudget: 500 } });
    try {
      const smallAccounts = small.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      const result = await call(small.mcp, "list_sessions", { limit: 200, detail: "full" });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text.length).toBeLessThanOrEqual(500 * 4);
      const paging = result.data.paging as {
        leftOutForBudget: number;
        returned: number;
        nextCursor: string;
      };
      expect(paging.leftOutForBudget).toBeGreaterThan(0);
      expect(result.text).toMatch(/Left out: \d+ more sessions/);
      const next = await call(small.mcp, "list_sessions", {
        limit: 3,
        detail: "full",
        cursor: paging.nextCursor,
      });
      const want = idsOf(oracle(small.sandbox, smallAccounts));
      expect(ids(next)).toEqual(want.slice(paging.returned, paging.returned + ids(next).length));
      expect(ids(next).length).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });

  it("summary lines are short: under 60 tokens per session on average", async () => {
    const result = await call(f.mcp, "list_sessions", { limit: 50 });
    expect(result.text.length / 4 / 50).toBeLessThan(60);
  });
});

describe("list_sessions errors say what to do", () => {
  it("names an unreachable account and lists the reachable ones", async () => {
    const result = await call(f.mcp, "list_sessions", { accountIds: ["nope"] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('"accountIds"');
    expect(result.text).toContain("list_accounts");
  });

  it("names a bad date", async () => {
    const result = await call(f.mcp, "list_sessions", { startDate: "2026-02-30" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("startDate");
  });

  it("names startDate after endDate", async () => {
    const result = await call(f.mcp, "list_sessions", {
      startDate: "2026-03-09",
      endDate: "2026-03-01",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/startDate|endDate/);
  });

  it("refuses range together with dates, naming range", async () => {
    const result = await call(f.mcp, "list_sessions", { range: "today", startDate: "2026-03-01" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('"range"');
  });

  it("names an unknown argument", async () => {
    const result = await call(f.mcp, "list_sessions", { missedCalls: true });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("missedCalls");
  });

  it("tells how long to wait after a rate limit", async () => {
    const id = f.sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 429, retryAfterSeconds: 7 },
      times: 1,
    });
    try {
      const result = await call(f.mcp, "list_sessions", { limit: 1 });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/Wait 7 seconds/);
    } finally {
      f.sandbox.faults.remove(id);
    }
  });
});
