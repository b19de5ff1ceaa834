import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ids, refsOf, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let accounts: string[];
beforeAll(async () => {
  f = await startFixture({ sandbox: { sessions: 300 } });
  accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
});
afterAll(() => f.close());

describe("list_accounts", () => {
  it("lists the accounts the sign-in reaches", async () => {
    const result = await call(f.mcp, "list_accounts");
    expect(result.isError, result.text).toBeFalsy();
    const listed = (result.data.accounts as { id: string; isDefault: boolean }[]).map((a) => a.id);
    expect(listed.sort()).toEqual([...accounts].sort());
    for (const id of accounts) expect(result.text).toContain(id);
    expect(result.text).toContain("No default account is configured");
  });

  it("marks the configured default account, which list_sessions then searches", async () => {
    const g = await startFixture({ sandbox: { sessions: 100 } });
    try {
      const multi = g.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
      g.config.defaultAccountIds.push(multi[1] as string);
      const result = await call(g.mcp, "list_accounts");
      const rows = result.data.accounts as { id: string; isDefault: boolean }[];
      expect(rows.filter((a) => a.isDefault).map((a) => a.id)).toEqual([multi[1]]);
      expect(result.text).toMatch(new RegExp(`${multi[1]} · DEFAULT`));
      const list = await call(g.mcp, "list_sessions", {});
      expect(refsOf(list).a.map(([id]) => id)).toEqual([multi[1]]);
      expect(list.text).toContain("default EVO_VOICE_ACCOUNT_IDS");
    } finally {
      await g.close();
    }
  });
});

describe("the session resource, completions and prompts", () => {
  it("links list results to a readable resource per session", async () => {
    const { resourceTemplates } = await f.mcp.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain("evo-sessions://sessions/{id}");
    const list = await call(f.mcp, "list_sessions", { limit: 3, detail: "full" });
    const links = list.content.filter((c) => c.type === "resource_link") as { uri: string }[];
    expect(links.map((l) => l.uri)).toEqual(ids(list).map((id) => `evo-sessions://sessions/${id}`));
    const read = await f.mcp.readResource({ uri: links[0]!.uri });
    const text = (read.contents[0] as { text: string }).text;
    expect(text).toContain(`Session ${ids(list)[0]}`);
    expect(text).toContain("Log entries");
    const { resources } = await f.mcp.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(links.map((l) => l.uri)));
  });

  it("completes session and account IDs the server has seen, customer and endpoint names from Evo Voice's lists", async () => {
    const list = await call(f.mcp, "list_sessions", { limit: 20 });
    const sessions = list.data.sessions as { id: string }[];
    const first = sessions[0]!;
    const session = await f.mcp.complete({
      ref: { type: "ref/resource", uri: "evo-sessions://sessions/{id}" },
      argument: { name: "id", value: first.id.slice(0, 6) },
    });
    expect(session.completion.values).toContain(first.id);
    const account = await f.mcp.complete({
      ref: { type: "ref/prompt", name: "triage_missed_calls" },
      argument: { name: "accountId", value: "" },
    });
    expect(account.completion.values).toEqual(expect.arrayContaining(accounts));
    // Names come from ListCustomers/ListEndpoints, also for customers no answer has shown yet.
    const someCustomer = f.sandbox.data.customers.find((c) => accounts.includes(c.accountId))!.name;
    const customer = await f.mcp.complete({
      ref: { type: "ref/prompt", name: "triage_missed_calls" },
      argument: { name: "customer", value: someCustomer.slice(0, 5).toLowerCase() },
    });
    expect(customer.completion.values).toContain(someCustomer);
    const [, endpointName] = refsOf(list).e.find(([, name]) => !name!.startsWith("+"))!;
    const endpoint = await f.mcp.complete({
      ref: { type: "ref/prompt", name: "triage_missed_calls" },
      argument: { name: "endpoint", value: endpointName!.slice(0, 4) },
    });
    expect(endpoint.completion.values).toContain(endpointName);
  });

  it("offers the two prompts, which name the tools to call", async () => {
    const { prompts } = await f.mcp.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["explain_session", "triage_missed_calls"]);
    const triage = await f.mcp.getPrompt({
      name: "triage_missed_calls",
      arguments: { day: "yesterday" },
    });
    const text = (triage.messages[0]!.content as { text: string }).text;
    expect(text).toContain("session_stats");
    expect(text).toContain('"missed":true');
    expect(text).toContain('"range":"yesterday"');
    const explain = await f.mcp.getPrompt({
      name: "explain_session",
      arguments: { sessionId: "abc" },
    });
    expect((explain.messages[0]!.content as { text: string }).text).toContain(
      'get_session with {"id":"abc"}',
    );
  });

  it.each([
    ["yesterday", { range: "yesterday" }],
    ["Today", { range: "today" }],
    ["last 7 days", { range: "last_7_days" }],
    ["2026-03-05", { startDate: "2026-03-05", endDate: "2026-03-05" }],
  ])("triage_missed_calls reads day %j as %j", async (day, filters) => {
    const triage = await f.mcp.getPrompt({ name: "triage_missed_calls", arguments: { day } });
    const text = (triage.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`missed_callbacks with ${JSON.stringify(filters)}`);
    expect(text).toContain(JSON.stringify({ ...filters, by: "endpoint" }));
  });

  it.each([
    ["yesterday", "2026-03-10"],
    ["2026-03-05", "2026-03-05"],
    ["last_week", "2026-03-02"],
  ])(
    "triage_missed_calls %j looks for call-backs from that day's start until now",
    async (day, first) => {
      const triage = await f.mcp.getPrompt({
        name: "triage_missed_calls",
        arguments: { day, accountId: "acc-1", endpoint: "ep-1" },
      });
      const text = (triage.messages[0]!.content as { text: string }).text;
      const step = text.split("\n").find((line) => line.startsWith("3. "))!;
      // A call missed yesterday is often returned today: no endDate, no range; any line.
      expect(step).toContain(
        JSON.stringify({
          startDate: first,
          accountIds: ["acc-1"],
          direction: "Outgoing",
          to: "<the caller's number>",
        }),
      );
      expect(step).not.toMatch(/"range"|"endDate"|"endpoints"/);
    },
  );

  it.each([["last friday"], ["2026-02-30"], ["03/05/2026"]])(
    "triage_missed_calls refuses day %j instead of using another day",
    async (day) => {
      await expect(
        f.mcp.getPrompt({ name: "triage_missed_calls", arguments: { day } }),
      ).rejects.toThrow(/Invalid argument "day"/);
    },
  );
});
