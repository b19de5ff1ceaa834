import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "@evo-sessions/core";
import {
  answerChars,
  call,
  CUT_MARKER,
  ids,
  oracle,
  refsOf,
  startFixture,
  type Fixture,
} from "./fixture.js";

let f: Fixture;
let accounts: string[];

beforeAll(async () => {
  f = await startFixture();
  accounts = (f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? []).slice();
});
afterAll(() => f.close());

/** Pages through list_sessions with the cursor until the end; returns every id in order. */
async function listAll(args: Record<string, unknown>, on: Fixture = f): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const result = await call(on.mcp, "list_sessions", {
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

  // A recent session with every field the cases below filter on.
  const sample = () =>
    oracle(f.sandbox, accounts).find(
      (s) => s.customerId && s.endpointId && s.fromAddress && s.toAddress,
    ) as SessionInfo;

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
    [
      "outcomes (client-side, any case)",
      () => ({ outcomes: ["abandoned", "FAILED"], range: "last_7_days" }),
      () => ({
        startDate: "2026-03-05",
        endDate: "2026-03-11",
        predicate: (s) => s.outcome === "Abandoned" || s.outcome === "Failed",
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
    const filters = result.data.filters as { local: string[]; range: { label: string } };
    expect(filters.local).toEqual(["missed only"]);
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

describe("list_sessions follows core's window rule", () => {
  it("keeps a session whose start cannot be read (the old window dropped it), in a zone whose days the server cannot cut", async () => {
    // Tokyo's days are not UTC days, so this server applies the window itself.
    let garbled: string | undefined;
    const garble: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname !== "/sessions" || !response.ok) return response;
      const body = (await response.json()) as { items: SessionInfo[] };
      const first = body.items[0];
      if (first !== undefined && (garbled === undefined || first.id === garbled)) {
        garbled = first.id ?? undefined;
        first.dateCreated = "not a date";
      }
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { "content-type": "application/json" },
      });
    };
    const tokyo = await startFixture({ config: { timeZone: "Asia/Tokyo" }, fetch: garble });
    try {
      const result = await call(tokyo.mcp, "list_sessions", { range: "yesterday", limit: 200 });
      expect(result.isError, result.text).toBeFalsy();
      expect(garbled).toBeDefined();
      expect(ids(result)).toContain(garbled);
      expect(result.text).toContain("— unknown day —");
      const filters = result.data.filters as { local: string[] };
      expect(filters.local[0]).toMatch(/^started 2026-03-11 00:00 – 2026-03-12 00:00 Asia\/Tokyo$/);
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
    // A manual live clock: the test says when calls move on, so new ones surely arrive.
    const live = await startFixture({
      sandbox: { sessions: 200, live: true, liveClock: "manual" },
    });
    try {
      const first = await call(live.mcp, "list_sessions", { limit: 10 });
      const cursor = (first.data.paging as { nextCursor: string }).nextCursor;
      // Five steps end every live call and start the next: new sessions at the top.
      live.sandbox.live?.step(5);
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
    const small = await startFixture({ config: { tokenBudget: 1000 } });
    try {
      const smallAccounts = small.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      const result = await call(small.mcp, "list_sessions", { limit: 200, detail: "full" });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).not.toContain(CUT_MARKER);
      expect(answerChars(result)).toBeLessThanOrEqual(1000 * 4);
      const paging = result.data.paging as {
        leftOut: number;
        returned: number;
        nextCursor: string;
      };
      expect(paging.leftOut).toBeGreaterThan(0);
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
    const returned = (result.data.paging as { returned: number }).returned;
    expect(returned).toBeGreaterThanOrEqual(20);
    expect(result.text.length / 4 / returned).toBeLessThan(60);
  });

  it.each([
    ["the default call", {}],
    ["limit 200", { limit: 200 }],
    ["limit 200, detail full", { limit: 200, detail: "full" }],
  ])(
    "%s: text, JSON and resource links together fit the budget, and what was left out is reported",
    async (_name, args) => {
      const result = await call(f.mcp, "list_sessions", args);
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).not.toContain(CUT_MARKER);
      expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
      const paging = result.data.paging as { returned: number; leftOut?: number };
      const leftOut = paging.leftOut ?? 0;
      expect(ids(result).length).toBe(paging.returned);
      const total = oracle(f.sandbox, accounts).length;
      const asked = Math.min(total, (args as { limit?: number }).limit ?? 20);
      // Whatever was read but not returned is counted and said.
      expect(paging.returned + leftOut).toBe(asked);
      if (leftOut > 0) expect(result.text).toContain(`Left out: ${leftOut} more session`);
      else expect(paging.returned).toBe(asked);
    },
  );

  it("sends each account's name once, no per-session URI, and members only with detail full", async () => {
    const result = await call(f.mcp, "list_sessions", { limit: 10 });
    const sessions = result.data.sessions as Record<string, unknown>[];
    for (const session of sessions) {
      expect(session).not.toHaveProperty("uri");
      expect(session).not.toHaveProperty("accountName");
      expect(session).not.toHaveProperty("members");
    }
    expect(result.data.uri).toBe("evo-sessions://sessions/{id}");
    // Each session names its account by its index in refs.a (each account's id and name once).
    const named = refsOf(result).a;
    for (const session of sessions) expect(named[session.a as number]).toHaveLength(2);
    const full = await call(f.mcp, "list_sessions", { limit: 3, detail: "full" });
    const first = (full.data.sessions as Record<string, unknown>[])[0]!;
    expect(first.members).toBeDefined();
    // One link per session, and its id appears once in the text.
    const links = full.content.filter((c) => c.type === "resource_link");
    expect(links.length).toBe(3);
    expect(full.text.split(first.id as string).length - 1).toBe(1);
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

describe("list_sessions: days, accounts, filters line, progress", () => {
  it("the Filters line gives the range with its server days, then the other filters", async () => {
    const result = await call(f.mcp, "list_sessions", { range: "yesterday", from: "555" });
    expect(result.text).toContain(
      'Filters: yesterday (10 Mar 2026, UTC; server days 10 Mar 2026) · from contains "555" · newest first · times shown in UTC',
    );
    expect((result.data.filters as { text: string }).text).toBe(
      'yesterday (10 Mar 2026, UTC; server days 10 Mar 2026) · from contains "555" · newest first',
    );
  });

  it("explicit startDate/endDate are local days in the configured zone, trimmed exactly", async () => {
    const la = await startFixture({ config: { timeZone: "America/Los_Angeles" } });
    try {
      const laAccounts = la.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      // 5–7 Mar 2026 in Los Angeles (UTC-8): 5 Mar 08:00 UTC to 8 Mar 08:00 UTC.
      const from = Date.parse("2026-03-05T08:00:00Z");
      const to = Date.parse("2026-03-08T08:00:00Z");
      const want = oracle(la.sandbox, laAccounts, {
        predicate: (s) => {
          const t = Date.parse(s.dateCreated ?? "");
          return t >= from && t < to;
        },
      });
      const args = { startDate: "2026-03-05", endDate: "2026-03-07" };
      expect(await listAll(args, la)).toEqual(idsOf(want));
      const result = await call(la.mcp, "list_sessions", args);
      expect(result.text).toContain("5–7 Mar 2026 (America/Los_Angeles; server days 5–8 Mar 2026)");
      expect(result.text).not.toContain("2026-03-04");
      const { tools } = await la.mcp.listTools();
      const schema = tools.find((t) => t.name === "list_sessions")!.inputSchema
        .properties as Record<string, { description: string }>;
      expect(schema.startDate!.description).toContain("in America/Los_Angeles");
    } finally {
      await la.close();
    }
  });

  it("reports progress while it reads pages for its own filters", async () => {
    const progress: { progress: number; total?: number }[] = [];
    const result = await f.mcp.callTool(
      { name: "list_sessions", arguments: { missed: true, limit: 200, searchArchive: true } },
      { onprogress: (p: { progress: number; total?: number }) => progress.push(p) },
    );
    expect(result.isError).toBeFalsy();
    const scanned = (result.structuredContent as { paging: { scanned: number } }).paging.scanned;
    expect(scanned).toBeGreaterThan(200);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)?.progress).toBe(scanned);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
  });

  it("a cursor is bound to the accounts searched and the user, not only to the arguments", async () => {
    const first = await call(f.mcp, "list_sessions", { limit: 5 });
    const cursor = (first.data.paging as { nextCursor: string }).nextCursor;
    const admin = await startFixture({ user: "admin" });
    try {
      const reused = await call(admin.mcp, "list_sessions", { limit: 5, cursor });
      expect(reused.isError).toBe(true);
      expect(reused.text).toMatch(
        /^Invalid argument "cursor": it was issued for different filters or accounts/,
      );
    } finally {
      await admin.close();
    }
  });

  it("an administrator is warned about an account ID the sign-in's list does not name", async () => {
    const admin = await startFixture({ user: "admin", sandbox: { sessions: 100 } });
    try {
      const result = await call(admin.mcp, "list_sessions", {
        accountIds: ["not-an-account-at-all"],
      });
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toContain(
        'Warning (accountIds): "not-an-account-at-all" is not an account this sign-in\'s account list names',
      );
      expect((result.data.filters as { warn: string[] }).warn).toHaveLength(1);
    } finally {
      await admin.close();
    }
  });

  it("searching every account leaves a long account list out of the request, with the same sessions", async () => {
    const many = await startFixture({ context: { maxDefaultAccountIdsSent: 2 } });
    try {
      const manyAccounts = many.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      expect(manyAccounts.length).toBeGreaterThan(2);
      const before = many.sandbox.requests.length;
      const result = await call(many.mcp, "list_sessions", { limit: 10 });
      expect(result.isError, result.text).toBeFalsy();
      expect(ids(result)).toEqual(idsOf(oracle(many.sandbox, manyAccounts)).slice(0, 10));
      const sent = many.sandbox.requests.slice(before).filter((r) => r.path === "/sessions");
      expect(sent.length).toBeGreaterThan(0);
      for (const request of sent) expect(request.query).not.toContain("accountIds");
      expect(result.text).toContain("searched by Evo Voice without listing them in the request");
      expect((result.data.filters as { notSent?: true }).notSent).toBe(true);
      // A short list is still sent, as the dashboard does.
      const one = await call(many.mcp, "list_sessions", {
        accountIds: [manyAccounts[0]],
        limit: 1,
      });
      expect(one.isError).toBeFalsy();
      expect(many.sandbox.requests.at(-1)?.query).toContain("accountIds=");
    } finally {
      await many.close();
    }
  });
});

describe("argument errors name the argument first", () => {
  it.each([
    [{ limit: 0 }, 'Invalid argument "limit": must be at least 1 (got 0).'],
    [
      { startDate: "11/28/2026" },
      'Invalid argument "startDate": must be a date written YYYY-MM-DD, e.g. 2026-03-01 (got "11/28/2026").',
    ],
    [
      { startDate: "2026-02-30" },
      'Invalid argument "startDate": is not a real calendar day (got "2026-02-30").',
    ],
    [
      { accountIds: ["ok", ""] },
      'Invalid argument "accountIds" (item 2): account IDs must not be empty (got "").',
    ],
  ])("%j", async (args, message) => {
    const result = await call(f.mcp, "list_sessions", args);
    expect(result.isError).toBe(true);
    expect(result.text).toBe(`${message}\nFix the argument and call again.`);
  });

  it("an unknown argument is named with the arguments there are", async () => {
    const result = await call(f.mcp, "list_sessions", { missedCalls: true });
    expect(result.text).toMatch(
      /^Invalid argument "missedCalls": list_sessions has no such argument\. Its arguments are accountIds, range, startDate/,
    );
  });
});
