import { startSandbox } from "@evo-sessions/sandbox";
import { describe, expect, it } from "vitest";
import { Directory, NameResolutionError } from "../../src/directory/directory.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, recordHooks, useSmallSandbox } from "./sandbox-harness.js";

const sandbox = await useSmallSandbox({ sessions: 600 });

describe("the directory operations against the sandbox", () => {
  it("read accounts, customers, endpoints and flows without drift warnings", async () => {
    const hooks = recordHooks();
    const { client } = clientFor(sandbox, "admin", { hooks: hooks.hooks });
    const customers = [];
    for await (const customer of client.iterateCustomers({ countPerPage: 7 }))
      customers.push(customer);
    expect(customers.map((c) => c.id).sort()).toEqual(
      sandbox.data.customers.map((c) => c.id).sort(),
    );
    const endpoints = await client.listEndpoints({ type: "User", all: true });
    expect(endpoints.items.length).toBe(
      sandbox.data.endpoints.filter((e) => e.kind === "user").length,
    );
    const accounts = await client.listAccounts();
    expect(accounts.items.length).toBe(sandbox.data.accounts.length);
    const flows = await client.listFlows();
    expect(flows.items.length).toBeGreaterThan(0);
    expect(await client.getCustomer(customers[0]!.id!)).toMatchObject({ id: customers[0]!.id });
    expect(hooks.of("onDecodeWarnings")).toEqual([]);
  });

  it("reads the signed-in person as UserInfo, with their name", async () => {
    const { client } = clientFor(sandbox, "single");
    const status = await client.authStatus();
    const user = sandbox.users.find((u) => u.kind === "single")!;
    expect(status.isAuthenticated).toBe(true);
    expect(status.displayName).toBe(`${user.firstName} ${user.lastName}`);
    expect(status.accounts.map((a) => a.id)).toEqual(user.accountIds);
  });

  it("reads a chat's transcript and what is live now", async () => {
    const { client } = clientFor(sandbox, "admin");
    const cutoff = Date.parse(sandbox.data.archiveCutoff!);
    const chat = sandbox.data.sessions.find(
      (s) => s.channel === "Chat" && Date.parse(s.dateCreated!) >= cutoff,
    );
    const messages = await client.chatTranscript(chat!.id!);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => typeof m.body === "string")).toBe(true);
    expect(Array.isArray(await client.activeSessions())).toBe(true);
    const calls = await client.activeCalls(sandbox.data.accounts[0]!.id!);
    expect(Array.isArray(calls)).toBe(true);
  });

  it("resolves a customer's name through the directory to the sessions of that customer", async () => {
    const { client } = clientFor(sandbox, "admin");
    const directory = new Directory(client);
    const target = sandbox.data.customers.find(
      (c) => sandbox.data.customers.filter((o) => o.name === c.name).length === 1,
    )!;
    const { query, resolved } = await directory.applyNames(SessionQuery.create(), {
      customers: [target.name.toUpperCase()],
    });
    expect(resolved[0]?.entry.id).toBe(target.id);
    const page = await client.listSessions(query.perPage(50));
    expect(page.items.every((s) => s.customerId === target.id)).toBe(true);
    await expect(
      directory.applyNames(SessionQuery.create(), { customers: ["No Such Customer Anywhere"] }),
    ).rejects.toBeInstanceOf(NameResolutionError);
  });
});

describe.each(["null", "204", "false", "401"] as const)(
  "signed out, /auth/status answering %s",
  (variant) => {
    it("reads as signed out", async () => {
      const quiet = await startSandbox({
        port: 0,
        sessions: 50,
        behaviour: { authStatusSignedOut: variant },
      });
      try {
        const { createEvoVoiceClient } = await import("../../src/client/create-client.js");
        const client = createEvoVoiceClient({ baseUrl: quiet.url });
        const status = await client.authStatus();
        expect(status).toMatchObject({ isAuthenticated: false, accounts: [] });
      } finally {
        await quiet.close();
      }
    });
  },
);

describe("getSession whatever GET /sessions/{id} does", () => {
  it.each(["empty", "omitted"] as const)(
    "returns the full log when the route's log is %s",
    async (getSessionLog) => {
      const other = await startSandbox({
        port: 0,
        sessions: 200,
        behaviour: { getSessionLog, getSessionArchived: "404" },
      });
      try {
        const { client } = clientFor(other, "admin");
        const archived = other.data.sessions.find(
          (s) => Date.parse(s.dateCreated!) < Date.parse(other.data.archiveCutoff!),
        );
        const session = await client.getSession(archived!.id!);
        expect(session.log?.length).toBe(archived!.log?.length);
        expect(session.log?.length).toBeGreaterThan(0);
      } finally {
        await other.close();
      }
    },
  );
});
