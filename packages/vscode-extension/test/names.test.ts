// Names (issue 13 in VS Code): the customer and endpoint pickers list every name of the sign-in's
// directory (not only those in loaded sessions), searchable by breadcrumb or number; the live
// count asks GetActiveSessions where the sign-in may; the person's real name is shown.
import { describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import {
  answerInputBoxes,
  answerQuickPick,
  dismissQuickPick,
  lastListQuery,
  settled,
  signInToSandbox,
  useSandboxSuite,
} from "./support/harness.js";
import { AccountsCache } from "../src/auth/accounts-cache.js";
import { AuthManager } from "../src/auth/auth-manager.js";
import { CredentialStore } from "../src/auth/credential-store.js";
import { readSettings } from "../src/config.js";
import { changeSetting, FakeMemento, FakeSecretStorage, shownInputs } from "./support/vscode.js";

describe("Names from the directory", () => {
  const suite = useSandboxSuite({ sandbox: { live: true, liveCalls: 3, liveClock: "manual" } });

  /** The items of the last quick pick shown. */
  function lastPickItems(): vscode.QuickPickItem[] {
    const picks = vi.mocked(vscode.window.createQuickPick).mock.results;
    return [...(picks.at(-1)!.value as vscode.QuickPick<vscode.QuickPickItem>).items];
  }

  it("the customer picker offers customers no loaded session names, with their breadcrumb", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 5 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const seen = new Set(ext.api.feed.sessions.map((s) => s.customerId));
    const unseen = suite.sandbox.data.customers.find(
      (c) =>
        !seen.has(c.id) &&
        c.parentId !== undefined &&
        suite.sandbox.data.customers.filter((o) => o.name === c.name).length === 1,
    )!;
    answerQuickPick(unseen.name);
    await vscode.commands.executeCommand("evoSessions.filter.customers");
    await settled(ext.api);
    expect(ext.api.filters.filters.customerIds).toEqual([unseen.id]);
    expect(lastListQuery(suite.sandbox).get("customerIds")).toBe(unseen.id);
    const item = lastPickItems().find((i) => i.label === unseen.name)!;
    // The breadcrumb tells namesakes apart and is searched too.
    expect(item.detail).toContain("›");
    expect(item.description).toBe(unseen.id);
    const pick = vi.mocked(vscode.window.createQuickPick).mock.results.at(-1)!.value;
    expect(pick.matchOnDetail).toBe(true);
    expect(lastPickItems().length).toBeGreaterThanOrEqual(suite.sandbox.data.customers.length);
    // The placeholder stays short enough to be read beside the "N Selected" badge.
    expect(shownInputs.at(-1)!.placeholder!.length).toBeLessThanOrEqual(30);

    // The directory is kept for the sign-in: the picker opened again reads no list.
    const reads = () => suite.sandbox.requests.filter((r) => r.path === "/customers").length;
    const before = reads();
    answerQuickPick(unseen.name);
    await vscode.commands.executeCommand("evoSessions.filter.customers");
    expect(reads()).toBe(before);
  });

  it("the endpoint picker lists the account's endpoints with their type and number", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 5 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const [account] = suite.sandbox.data.accounts;
    await ext.api.filters.update({ accountIds: [account!.id as string] });
    await settled(ext.api);
    const own = suite.sandbox.data.endpoints.filter((e) => e.accountId === account!.id);
    answerQuickPick(own[0]!.name);
    await vscode.commands.executeCommand("evoSessions.filter.endpoints");
    await settled(ext.api);
    expect(ext.api.filters.filters.endpointIds).toContain(own[0]!.id);
    const ids = lastPickItems()
      .map((i) => i.description)
      .filter(Boolean);
    for (const endpoint of own) expect(ids).toContain(endpoint.id);
    const phone = own.find((e) => e.kind === "phoneNumber");
    if (phone !== undefined)
      expect(lastPickItems().find((i) => i.description === phone.id)!.detail).toMatch(/\+\d/);
  });

  it("a sign-in that may not list customers picks from loaded sessions, and is told so", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox, "agent");
    dismissQuickPick();
    await vscode.commands.executeCommand("evoSessions.filter.customers");
    expect(shownInputs.at(-1)!.title).toMatch(/may not list customers: names from loaded sessions/);
  });

  it("names the person: view message, status bar tooltip, sandbox toast, account picker", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox, "demo");
    expect(ext.api.accounts.displayName).toBe("Dana Demo");
    await ext.api.filters.update({ from: "no-such-caller-zzz", accountIds: undefined });
    await settled(ext.api);
    await vi.waitFor(() =>
      expect(String(ext.api.statusBar.item.tooltip)).toContain("Signed in as Dana Demo."),
    );

    // A sign-in restored from SecretStorage (another window) reads the name from /auth/status.
    const keyring = new FakeSecretStorage();
    await changeSetting("evoSessions.serverUrl", suite.sandbox.url);
    const first = new AuthManager(new CredentialStore(keyring, new FakeMemento()), {
      settings: readSettings,
      startSandbox: () => Promise.reject(new Error("unused")),
    });
    await first.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "demo",
      password: "demo-password",
    });
    const restored = new AuthManager(new CredentialStore(keyring, new FakeMemento()), {
      settings: readSettings,
      startSandbox: () => Promise.reject(new Error("unused")),
    });
    await restored.restore();
    const cache = new AccountsCache(restored);
    expect(restored.status).toBeUndefined();
    expect(cache.displayName).toBeUndefined();
    expect((await cache.status())?.displayName).toBe("Dana Demo");
    expect(cache.displayName).toBe("Dana Demo");
    for (const part of [cache, restored, first]) part.dispose();
    const again = ext;

    // "Connect to a sandbox URL" names who is signed in on its progress notification, and
    // that notification lasts until the tree has loaded.
    const progress = vi.mocked(vscode.window.withProgress);
    progress.mockClear();
    answerInputBoxes(suite.sandbox.url);
    answerQuickPick("msp");
    const reports: string[] = [];
    let loadsAtEnd = -1;
    progress.mockImplementationOnce(async (_options, task) => {
      const result = await task(
        { report: (value: { message?: string }) => reports.push(value.message ?? "") },
        {
          isCancellationRequested: false,
          onCancellationRequested: () => ({ dispose() {} }),
        } as never,
      );
      loadsAtEnd = again.api.feed.loads;
      return result;
    });
    const loadsBefore = again.api.feed.loads;
    await vscode.commands.executeCommand("evoSessions.connectSandbox");
    expect(reports).toEqual(["signed in as Morgan Reyes; loading sessions…"]);
    expect(loadsAtEnd).toBeGreaterThan(loadsBefore);
  });

  it("the live count asks GetActiveSessions, and says so when the sign-in may not read it", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox, "demo");
    await vi.waitFor(() => expect(ext.api.live.mine).toBeDefined());
    expect(suite.sandbox.requests.some((r) => r.path === "/sessions/active")).toBe(true);
    expect(ext.api.live.activeDenied).toBe(false);
    expect(String(ext.api.statusBar.item.tooltip)).toMatch(/your own sessions in progress/);

    await signInToSandbox(ext.api, suite.sandbox, "msp");
    await vi.waitFor(() => expect(ext.api.live.activeDenied).toBe(true));
    expect(ext.api.live.count).toBeGreaterThan(0);
    expect(String(ext.api.statusBar.item.tooltip)).toMatch(
      /may not read Evo Voice's active-sessions list, so only the newest sessions are counted/,
    );
    // UserInfo's name ("Morgan Reyes"), not the user name "msp".
    expect(String(ext.api.statusBar.item.tooltip)).toContain("Signed in as Morgan Reyes.");
  });
});
