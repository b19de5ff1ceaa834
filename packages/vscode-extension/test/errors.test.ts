import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import { signInSecretKey } from "../src/auth/credential-store.js";
import {
  children,
  labelOf,
  sessionRows,
  settled,
  useSandboxSuite,
  signInToSandbox,
} from "./support/harness.js";

describe("Error states", () => {
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 20 } } });

  /**
   * A feed and tree over a server whose list leaves logs out (the real sandbox's answers with the
   * log removed), so that expanding a session has to fetch its log.
   */
  async function logLessTree(origin: () => string) {
    const { SessionFeed } = await import("../src/sessions/session-feed.js");
    const { DayGroups } = await import("../src/sessions/day-groups.js");
    const { SessionLogs } = await import("../src/details/session-logs.js");
    const { SessionsTreeProvider } = await import("../src/tree/sessions-tree-provider.js");
    const { SessionQuery } = await import("@evo-sessions/core");
    const real = suite.ext.api.auth.client!;
    const client = Object.create(real) as typeof real;
    // The feed reads through the scanner: its sessions lose their logs on the way.
    client.scan = (query, options) => {
      const scan = real.scan(query, options);
      return {
        ...scan,
        collect: async () => {
          const result = await scan.collect();
          const matches = result.matches.map((match) => ({
            ...match,
            session: { ...match.session, log: undefined },
          }));
          return { ...result, matches };
        },
      };
    };
    const feed = new SessionFeed({
      client: () => client,
      query: () => SessionQuery.create().newest(),
      pageSize: () => 5,
    });
    const now = () => new Date();
    const timeZone = () => "UTC";
    const days = new DayGroups({ feed, now, timeZone });
    const logs = new SessionLogs({ feed, client: () => client, origin });
    const tree = new SessionsTreeProvider({
      feed,
      days,
      logs,
      signedIn: () => true,
      sandbox: () => true,
      now,
      timeZone,
    });
    const dispose = () => [tree, logs, days, feed].forEach((part) => part.dispose());
    return { feed, tree, dispose };
  }

  it("a failing server shows an error item saying what went wrong; retry recovers", async () => {
    const firstDay = labelOf((await children(suite.ext.api))[0]!.item);
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(suite.ext.api);

    const [first] = await children(suite.ext.api);
    expect(first!.node.kind).toBe("error");
    expect(labelOf(first!.item)).toBe("Couldn't load sessions: the server failed (HTTP 503)");
    expect(first!.item.description).toBe("Click to retry");
    expect((first!.item.tooltip as vscode.MarkdownString).value).toMatch(/503/);
    expect(first!.item.command?.command).toBe("evoSessions.retry");
    // What was loaded before stays visible under the error.
    expect((await sessionRows(suite.ext.api)).length).toBe(20);

    suite.sandbox.faults.clear();
    await vscode.commands.executeCommand(
      first!.item.command!.command,
      ...(first!.item.command!.arguments ?? []),
    );
    await settled(suite.ext.api);
    const roots = await children(suite.ext.api);
    expect(roots.some((root) => root.node.kind === "error")).toBe(false);
    expect(labelOf(roots[0]!.item)).toBe(firstDay);
  });

  it("a failed first load shows only the error item", async () => {
    suite.ext.dispose();
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 500 } });
    await suite.activate({ settings: { "evoSessions.pageSize": 20 } });
    await signInToSandbox(suite.ext.api, suite.sandbox);
    const roots = await children(suite.ext.api);
    expect(roots).toHaveLength(1);
    expect(labelOf(roots[0]!.item)).toBe("Couldn't load sessions: the server failed (HTTP 500)");
  });

  it("a failed Load more… becomes an error item in its place, and retrying it loads the page", async () => {
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    await vscode.commands.executeCommand("evoSessions.loadMore");
    await settled(suite.ext.api);
    const last = (await children(suite.ext.api)).at(-1)!;
    expect(labelOf(last.item)).toBe("Couldn't load more sessions: the server failed (HTTP 503)");
    suite.sandbox.faults.clear();
    await vscode.commands.executeCommand("evoSessions.retry", last.node);
    await settled(suite.ext.api);
    expect((await sessionRows(suite.ext.api)).length).toBe(40);
    expect((await children(suite.ext.api)).at(-1)!.node.kind).toBe("loadMore");
  });

  it("an expired server session is renewed without asking, and the new cookies are saved", async () => {
    const key = signInSecretKey(suite.sandbox.url);
    const before = suite.ext.context.secrets.values.get(key);
    suite.sandbox.faults.expireAllSignIns();
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(suite.ext.api);
    expect((await children(suite.ext.api)).some((root) => root.node.kind === "error")).toBe(false);
    expect((await sessionRows(suite.ext.api)).length).toBe(20);
    const after = suite.ext.context.secrets.values.get(key);
    expect(after).not.toBe(before);
    expect(JSON.parse(after!).password).toBe(JSON.parse(before!).password);
  });

  it("a refused sign-in (e.g. the password changed) points to signing in again", async () => {
    suite.ext.dispose();
    // A saved sign-in whose cookies are no longer valid and whose password is now wrong.
    const { createExtensionContext, FakeSecretStorage } = await import("./support/vscode.js");
    const keyring = new FakeSecretStorage();
    await keyring.store(
      signInSecretKey(suite.sandbox.url),
      JSON.stringify({
        baseUrl: suite.sandbox.url,
        userName: "demo",
        password: "changed-elsewhere",
        cookies: { ssId: "stale" },
      }),
    );
    await suite.activate({
      context: createExtensionContext({ secrets: keyring }),
      settings: { "evoSessions.serverUrl": suite.sandbox.url },
    });
    await settled(suite.ext.api);
    const roots = await children(suite.ext.api);
    expect(roots).toHaveLength(1);
    expect(labelOf(roots[0]!.item)).toBe("Couldn't load sessions: sign-in was refused");
    expect(roots[0]!.item.description).toBe("Click to sign in again");
    expect(roots[0]!.item.command?.command).toBe("evoSessions.signIn");
  });

  it("tolerates a server that drifts from the documented contract", async () => {
    // Unknown enum values, extra properties, missing fields (even dateCreated) and WCF dates.
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "drift" } });
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(suite.ext.api);
    const roots = await children(suite.ext.api);
    expect(roots.some((root) => root.node.kind === "error")).toBe(false);
    expect(labelOf(roots[0]!.item)).toBe("Date unknown");
    const rows = await sessionRows(suite.ext.api);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(labelOf(row.item)).not.toBe("");
  });

  it("fetches a log the list left out when the session is expanded, with retry on failure", async () => {
    const { feed, tree, dispose } = await logLessTree(() => suite.sandbox.url);
    await feed.reset();
    const day = (await tree.getChildren())[0]!;
    const session = (await tree.getChildren(day))[0]!;
    const log = (await tree.getChildren(session)).find((node) => node.kind === "log")!;
    expect(tree.getTreeItem(log).description).toBe("");

    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    const failed = await tree.getChildren(log);
    expect(failed).toHaveLength(1);
    expect(labelOf(tree.getTreeItem(failed[0]!))).toBe(
      "Couldn't load the log: the server failed (HTTP 503)",
    );
    suite.sandbox.faults.clear();
    tree.retryLog(log as never);
    const entries = await tree.getChildren(log);
    const oracle = suite.sandbox.data.sessions.find(
      (s) => `session:${s.id}` === (session as { id: string }).id,
    )!;
    expect(entries.map((entry) => labelOf(tree.getTreeItem(entry)))).toEqual(
      oracle.log!.map((entry) => (entry.message as string).split("\n")[0]!.slice(0, 160)),
    );
    dispose();
  });

  it("a failed log is tried again after a refresh, and cached logs belong to one server", async () => {
    let origin = suite.sandbox.url;
    const { feed, tree, dispose } = await logLessTree(() => origin);
    await feed.reset();
    const day = (await tree.getChildren())[0]!;
    const session = (await tree.getChildren(day))[0]!;
    const log = (await tree.getChildren(session)).find((node) => node.kind === "log")!;
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    expect((await tree.getChildren(log))[0]!.kind).toBe("error");
    suite.sandbox.faults.clear();
    // Still the error until something happens: no request storm on every render.
    expect((await tree.getChildren(log))[0]!.kind).toBe("error");

    // A successful refresh forgets the failure: the log loads without pressing retry.
    await feed.refresh();
    const fresh = (await tree.getChildren(session)).find((node) => node.kind === "log")!;
    expect((await tree.getChildren(fresh))[0]!.kind).toBe("logEntry");
    const reads = () => suite.sandbox.requests.filter((r) => r.path === "/sessions").length;
    const cached = reads();
    await tree.getChildren(fresh);
    expect(reads()).toBe(cached);
    // Another server's sign-in never gets this server's cached log.
    origin = "https://other.example";
    await tree.getChildren(fresh);
    expect(reads()).toBe(cached + 1);
    dispose();
  });
});
