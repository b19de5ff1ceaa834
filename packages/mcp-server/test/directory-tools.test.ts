import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerChars, call, oracle, refsOf, startFixture, type Fixture } from "./fixture.js";

// Issue 13 through a real MCP client: names for IDs (unique, ambiguous, unknown), what is live,
// a chat's transcript, and where list_accounts read the accounts.
let f: Fixture;
let accounts: string[];

beforeAll(async () => {
  f = await startFixture({ sandbox: { live: true, liveClock: "manual", liveCalls: 30 } });
  f.sandbox.live!.step(1);
  accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
});
afterAll(() => f.close());

/** A customer of the user's accounts whose name no other customer's contains (a unique name). */
function uniqueCustomer() {
  const mine = f.sandbox.data.customers.filter((c) => accounts.includes(c.accountId));
  const fold = (t: string) => t.toLowerCase();
  return mine.find(
    (c) =>
      mine.filter((o) => fold(o.name).includes(fold(c.name))).length === 1 &&
      oracle(f.sandbox, accounts, { customerIds: [c.id] }).length > 0,
  )!;
}

describe("customers and endpoints by name", () => {
  it("a unique name resolves to its ID, says so, and lists only that customer's sessions", async () => {
    const customer = uniqueCustomer();
    const result = await call(f.mcp, "list_sessions", {
      customers: [customer.name.toUpperCase()],
      limit: 200,
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(
      `Names: customer ${JSON.stringify(customer.name.toUpperCase())} → ${customer.name}`,
    );
    expect(result.text).toContain(`id ${customer.id}`);
    const want = oracle(f.sandbox, accounts, { customerIds: [customer.id] });
    const got = result.data.sessions as { id: string; c?: number }[];
    expect(got.length).toBe(Math.min(want.length, got.length));
    for (const s of got) expect(refsOf(result).c[s.c!]![0]).toBe(customer.id);
    const filters = result.data.filters as { names: { kind: string; id: string }[] };
    expect(filters.names).toEqual([expect.objectContaining({ kind: "customer", id: customer.id })]);
  });

  it("an endpoint by name narrows session_stats to it", async () => {
    const endpoint = f.sandbox.data.endpoints.find(
      (e) =>
        accounts.includes(e.accountId) &&
        f.sandbox.data.endpoints.filter((o) => o.name.toLowerCase().includes(e.name.toLowerCase()))
          .length === 1 &&
        oracle(f.sandbox, accounts, {
          endpointIds: [e.id],
          startDate: "2026-03-05",
          endDate: "2026-03-11",
        }).length > 0,
    )!;
    const result = await call(f.mcp, "session_stats", {
      endpoints: [endpoint.name],
      range: "last_7_days",
    });
    expect(result.isError, result.text).toBeFalsy();
    const want = oracle(f.sandbox, accounts, {
      endpointIds: [endpoint.id],
      startDate: "2026-03-05",
      endDate: "2026-03-11",
    });
    expect((result.data.totals as { sessions: number }).sessions).toBe(want.length);
    expect(result.text).toContain(`endpoint ${JSON.stringify(endpoint.name)} →`);
  });

  it("an ambiguous name is an isError naming the argument and listing the candidates", async () => {
    const result = await call(f.mcp, "list_sessions", { customers: ["a"] });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /^Invalid argument "customers": "a" fits \d+ customers; candidates: /m,
    );
    expect(result.text).toMatch(/\(.*id [0-9a-f]{32}\)/);
    expect(answerChars(result)).toBeLessThan(2000);
  });

  it("an unknown name is an isError listing the closest names", async () => {
    const customer = uniqueCustomer();
    const typo = `${customer.name.slice(0, -2)}xq zz`;
    const result = await call(f.mcp, "session_stats", { customers: [typo] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      `Invalid argument "customers": no customer is named ${JSON.stringify(typo)}; closest: `,
    );
    expect(result.text).toContain(customer.name);
  });

  it("a sign-in that may not read the customer list is told to pass customerIds", async () => {
    const agent = await startFixture({ userName: "agent" });
    try {
      const result = await call(agent.mcp, "list_sessions", { customers: ["Acme"] });
      expect(result.isError).toBe(true);
      expect(result.text).toContain(
        'Invalid argument "customers": this sign-in may not read the customer list',
      );
      expect(result.text).toContain("customerIds");
    } finally {
      await agent.close();
    }
  });
});

describe("live_now", () => {
  it("reads every live call of the accounts where the role allows (GetActiveCalls)", async () => {
    const result = await call(f.mcp, "live_now", {});
    expect(result.isError, result.text).toBeFalsy();
    expect(result.data.source).toBe("active-calls");
    let want = 0;
    for (const id of accounts) want += (await f.evo.activeCalls(id)).length;
    expect(want).toBeGreaterThan(0);
    expect((result.data.calls as unknown[]).length + (result.data.leftOut as number)).toBe(want);
    expect(result.text).toContain(`Live calls now (GetActiveCalls, account-wide): ${want}.`);
  });

  it("falls back to the user's own active sessions, saying so, without the role", async () => {
    const agent = await startFixture({
      userName: "agent",
      sandbox: { live: true, liveClock: "manual", liveCalls: 30 },
    });
    try {
      agent.sandbox.live!.step(1);
      const result = await call(agent.mcp, "live_now", {});
      expect(result.isError, result.text).toBeFalsy();
      expect(result.data.source).toBe("my-active-sessions");
      const mine = await agent.evo.activeSessions();
      expect((result.data.sessions as { id: string }[]).map((s) => s.id)).toEqual(
        mine.map((s) => s.id),
      );
      expect(result.text).toContain("may not read account-wide live calls");
      expect(result.data.refused).toEqual(
        agent.sandbox.users.find((u) => u.userName === "agent")!.accountIds,
      );
    } finally {
      await agent.close();
    }
  });
});

describe("get_session of a chat", () => {
  it("includes its transcript (GetChatTranscript needs the User role: demo has it)", async () => {
    const demo = await startFixture({ user: "single" });
    try {
      const mine = demo.sandbox.users.find((u) => u.userName === "demo")!.accountIds;
      const chat = oracle(demo.sandbox, mine, { predicate: (s) => s.channel === "Chat" })[0]!;
      const messages = await demo.evo.chatTranscript(chat.id!);
      expect(messages.length).toBeGreaterThan(0);
      const result = await call(demo.mcp, "get_session", { id: chat.id });
      expect(result.isError, result.text).toBeFalsy();
      const transcript = result.data.transcript as { total: number; messages: { text: string }[] };
      expect(transcript.total).toBe(messages.length);
      expect(transcript.messages[0]!.text).toBe(messages[0]!.body);
      expect(result.text).toContain(`Transcript (${messages.length} message`);
      expect(result.text).toContain(messages[0]!.body!.slice(0, 40));
    } finally {
      await demo.close();
    }
  });

  it("says when the sign-in may not read the transcript, and answers the rest", async () => {
    const chat = oracle(f.sandbox, accounts, { predicate: (s) => s.channel === "Chat" })[0]!;
    const result = await call(f.mcp, "get_session", { id: chat.id });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(
      "Transcript: not available — this sign-in may not read transcripts",
    );
    expect(result.text).toContain(`Session ${chat.id}`);
  });

  it("a call has no transcript", async () => {
    const voice = oracle(f.sandbox, accounts, { predicate: (s) => s.channel === "Voice" })[0]!;
    const result = await call(f.mcp, "get_session", { id: voice.id });
    expect(result.data.transcript).toBeUndefined();
  });
});

describe("list_accounts", () => {
  it("uses ListAccounts where the role allows", async () => {
    const result = await call(f.mcp, "list_accounts", {});
    expect(result.data.source).toBe("ListAccounts");
    expect(result.text).toContain("(from ListAccounts)");
  });

  it("uses the sign-in's status where ListAccounts is refused, and says so", async () => {
    const g = await startFixture({ sandbox: { behaviour: { accountsAccess: "administrators" } } });
    try {
      const result = await call(g.mcp, "list_accounts", {});
      expect(result.isError, result.text).toBeFalsy();
      expect(result.data.source).toBe("auth/status");
      expect(result.text).toContain("this role may not call ListAccounts");
      expect((result.data.accounts as { id: string }[]).map((a) => a.id).sort()).toEqual(
        [...accounts].sort(),
      );
    } finally {
      await g.close();
    }
  });
});
