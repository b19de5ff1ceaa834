import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { KEYRING_WARNING_STATE_KEY, signInSecretKey } from "../src/auth/credential-store.js";
import {
  answerInputBoxes,
  answerQuickPick,
  sessionRows,
  settled,
  type TestExtension,
  useSandboxSuite,
} from "./support/harness.js";
import {
  contextKeys,
  createExtensionContext,
  FakeMemento,
  FakeSecretStorage,
} from "./support/vscode.js";

describe("Sign-in", () => {
  const suite = useSandboxSuite({ sandbox: { sessions: 150 } });
  const configUpdates: unknown[][] = [];
  const getConfiguration = vi.mocked(vscode.workspace.getConfiguration);
  const originalGetConfiguration = getConfiguration.getMockImplementation();

  afterEach(() => {
    getConfiguration.mockImplementation(originalGetConfiguration!);
    vi.mocked(vscode.window.showWarningMessage).mockClear();
    vi.mocked(vscode.window.showErrorMessage).mockReset();
    configUpdates.length = 0;
  });

  async function start(context = createExtensionContext()): Promise<TestExtension> {
    const ext = await suite.activate({ context });
    // Every configuration write the extension makes from now on, to check no secret goes there.
    getConfiguration.mockImplementation(((section?: string) => {
      const scoped = originalGetConfiguration!(section);
      return {
        ...scoped,
        update: (...args: Parameters<vscode.WorkspaceConfiguration["update"]>) => {
          configUpdates.push(args);
          return scoped.update(...args);
        },
      };
    }) as never);
    return ext;
  }

  it("asks for server, user and password, keeps secrets in SecretStorage only, then offers the accounts", async () => {
    const ext = await start();
    const msp = suite.sandbox.users.find((user) => user.userName === "msp")!;
    answerInputBoxes(suite.sandbox.url, "msp", msp.password);
    const accountName = suite.sandbox.data.accounts.find(
      (account) => account.id === msp.accountIds[1],
    )!.name as string;
    answerQuickPick(accountName);
    await vscode.commands.executeCommand("evoSessions.signIn");
    await settled(ext.api);

    expect(contextKeys.get("evoSessions.signedIn")).toBe(true);
    expect(ext.api.filters.filters.accountIds).toEqual([msp.accountIds[1]]);
    expect(ext.view.description).toBe(accountName);
    const rows = await sessionRows(ext.api);
    expect(rows.length).toBeGreaterThan(0);

    // Password and cookies: in SecretStorage.
    const stored = JSON.parse(ext.context.secrets.values.get(signInSecretKey(suite.sandbox.url))!);
    expect(stored).toMatchObject({
      baseUrl: suite.sandbox.url,
      userName: "msp",
      password: msp.password,
    });
    expect(stored.cookies.ssId ?? stored.cookies.ssPid).toBeTruthy();
    // Settings: only the server and the user name, never a secret.
    expect(configUpdates.map((args) => args[0]).sort()).toEqual(["serverUrl", "username"]);
    const written = JSON.stringify(configUpdates);
    expect(written).not.toContain(msp.password);
    expect(written).not.toContain(stored.cookies.ssId ?? "no-cookie");
    for (const value of ext.context.globalState.values.values())
      expect(JSON.stringify(value)).not.toContain(msp.password);
    for (const value of ext.context.workspaceState.values.values())
      expect(JSON.stringify(value)).not.toContain(msp.password);
  });

  it("reuses the sign-in in another window and after a restart without asking again", async () => {
    const keyring = new FakeSecretStorage();
    const first = await start(createExtensionContext({ secrets: keyring }));
    const demo = suite.sandbox.users.find((user) => user.userName === "demo")!;
    answerInputBoxes(suite.sandbox.url, "demo", demo.password);
    await vscode.commands.executeCommand("evoSessions.signIn");
    await settled(first.api);
    first.dispose();

    vi.mocked(vscode.window.showInputBox).mockClear();
    const signInsBefore = suite.sandbox.requests.filter((r) =>
      r.path.startsWith("/auth/credentials"),
    ).length;
    const second = await start(createExtensionContext({ secrets: keyring }));
    await settled(second.api);
    expect(vscode.window.showInputBox).not.toHaveBeenCalled();
    expect(contextKeys.get("evoSessions.signedIn")).toBe(true);
    expect((await sessionRows(second.api)).length).toBeGreaterThan(0);
    // The saved cookies were enough: no new password sign-in.
    expect(
      suite.sandbox.requests.filter((r) => r.path.startsWith("/auth/credentials")).length,
    ).toBe(signInsBefore);
  });

  it("signing out forgets the sign-in in every window", async () => {
    const keyring = new FakeSecretStorage();
    const windowA = await start(createExtensionContext({ secrets: keyring }));
    const admin = suite.sandbox.users.find((user) => user.userName === "admin")!;
    await windowA.api.auth.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "admin",
      password: admin.password,
    });
    await settled(windowA.api);

    // A second window's auth manager, sharing the keyring (the command registry is per process
    // here, so it is driven directly).
    const { AuthManager } = await import("../src/auth/auth-manager.js");
    const { CredentialStore } = await import("../src/auth/credential-store.js");
    const { readSettings } = await import("../src/config.js");
    const otherStore = new CredentialStore(keyring, new FakeMemento());
    const windowB = new AuthManager(otherStore, {
      settings: readSettings,
      startSandbox: () => Promise.reject(new Error("unused")),
    });
    await windowB.restore();
    expect(windowB.connection?.userName).toBe("admin");

    await vscode.commands.executeCommand("evoSessions.signOut");
    expect(keyring.values.has(signInSecretKey(suite.sandbox.url))).toBe(false);
    expect(contextKeys.get("evoSessions.signedIn")).toBe(false);
    expect(windowA.api.feed.sessions).toEqual([]);
    await vi.waitFor(() => expect(windowB.connection).toBeUndefined());
    windowB.dispose();
    otherStore.dispose();
  });

  it("a wrong password says sign-in failed, offers to try again, and stores nothing", async () => {
    const ext = await start();
    answerInputBoxes(suite.sandbox.url, "demo", "wrong-password");
    await vscode.commands.executeCommand("evoSessions.signIn");
    expect(vscode.window.showErrorMessage).toHaveBeenCalledWith(
      expect.stringMatching(/^Evo Voice: sign-in failed\. .+/),
      "Try Again",
    );
    expect(contextKeys.get("evoSessions.signedIn")).toBe(false);
    expect(ext.context.secrets.values.size).toBe(0);
    expect(configUpdates).toEqual([]);
  });

  it("when the OS keyring is unavailable, says so once and keeps the sign-in for this window", async () => {
    const keyring = new FakeSecretStorage();
    keyring.broken = true;
    const globalState = new FakeMemento();
    const ext = await start(createExtensionContext({ secrets: keyring, globalState }));
    const demo = suite.sandbox.users.find((user) => user.userName === "demo")!;
    for (let attempt = 0; attempt < 2; attempt++) {
      answerInputBoxes(suite.sandbox.url, "demo", demo.password);
      await vscode.commands.executeCommand("evoSessions.signIn");
      await settled(ext.api);
    }
    expect(contextKeys.get("evoSessions.signedIn")).toBe(true);
    expect((await sessionRows(ext.api)).length).toBeGreaterThan(0);
    const warnings = vi
      .mocked(vscode.window.showWarningMessage)
      .mock.calls.filter((call) => String(call[0]).includes("keyring"));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toContain("kept only until this window closes");
    expect(globalState.get(KEYRING_WARNING_STATE_KEY)).toBe(true);
  });

  it("Try the sandbox starts one in-process and labels its data", async () => {
    const ext = await start();
    await vscode.commands.executeCommand("evoSessions.trySandbox");
    await settled(ext.api);
    expect(ext.api.auth.connection).toMatchObject({ sandbox: true, inProcess: true });
    expect(ext.view.description).toBe("Sandbox");
    expect(ext.api.statusBar.item.text).toContain("(Sandbox)");
    expect((await sessionRows(ext.api)).length).toBeGreaterThan(0);
    // Nothing about a throwaway sandbox is saved.
    expect(ext.context.secrets.values.size).toBe(0);
    await vscode.commands.executeCommand("evoSessions.signOut");
    expect(ext.api.auth.inProcessSandbox).toBeUndefined();
  });

  it("Connect to a sandbox URL signs in as a demo user", async () => {
    const ext = await start();
    answerInputBoxes(suite.sandbox.url);
    answerQuickPick("demo");
    await vscode.commands.executeCommand("evoSessions.connectSandbox");
    await settled(ext.api);
    expect(ext.api.auth.connection).toMatchObject({
      baseUrl: suite.sandbox.url,
      userName: "demo",
      sandbox: true,
      inProcess: false,
    });
    expect(ext.view.description).toBe("Sandbox");
    expect((await sessionRows(ext.api)).length).toBeGreaterThan(0);
    // A sandbox URL never replaces the configured server.
    expect(configUpdates).toEqual([]);
  });
});
