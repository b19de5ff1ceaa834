// Sign-ins kept per server origin: a sandbox never signs anyone out of the real server or
// replaces its saved sign-in, other windows follow only the configured server, switching
// serverUrl switches sign-ins, and ID filters belong to the sign-in that picked them.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { AuthManager } from "../src/auth/auth-manager.js";
import {
  CredentialStore,
  LEGACY_SIGN_IN_SECRET_KEY,
  signInSecretKey,
} from "../src/auth/credential-store.js";
import { readSettings } from "../src/config.js";
import {
  answerInputBoxes,
  answerQuickPick,
  dismissQuickPick,
  pressBack,
  settled,
  startTestSandbox,
  useSandboxSuite,
} from "./support/harness.js";
import {
  changeSetting,
  contextKeys,
  createExtensionContext,
  FakeMemento,
  FakeSecretStorage,
  shownInputs,
} from "./support/vscode.js";

describe("Sign-ins per server", () => {
  const suite = useSandboxSuite({ sandbox: { sessions: 150 } });
  const others: { dispose(): void }[] = [];
  afterEach(() => {
    for (const other of others.splice(0)) other.dispose();
    vi.mocked(vscode.window.showInformationMessage).mockClear();
    vi.mocked(vscode.window.showErrorMessage).mockReset();
  });

  /** A second window's sign-in manager sharing the keyring (commands are per process here). */
  async function otherWindow(keyring: FakeSecretStorage): Promise<AuthManager> {
    const store = new CredentialStore(keyring, new FakeMemento());
    const auth = new AuthManager(store, {
      settings: readSettings,
      startSandbox: () => Promise.reject(new Error("unused")),
    });
    others.push(auth, store);
    await auth.restore();
    return auth;
  }

  const logouts = () =>
    suite.sandbox.requests.filter((request) => request.path.startsWith("/auth/logout")).length;

  async function signInReal(
    keyring: FakeSecretStorage,
    startSandbox?: Parameters<typeof suite.activate>[0] extends infer O
      ? O extends { startSandbox?: infer S }
        ? S
        : never
      : never,
  ) {
    const ext = await suite.activate({
      context: createExtensionContext({ secrets: keyring }),
      ...(startSandbox === undefined ? {} : { startSandbox }),
    });
    answerInputBoxes(suite.sandbox.url, "admin", "admin-password");
    await vscode.commands.executeCommand("evoSessions.signIn");
    await settled(ext.api);
    expect(ext.api.auth.connection).toMatchObject({ userName: "admin", sandbox: false });
    return ext;
  }

  it("stopping the in-process sandbox brings the real sign-in back, signed in everywhere", async () => {
    const keyring = new FakeSecretStorage();
    // "Try the sandbox" starts a small test sandbox (the real one is generated around today).
    const local = await startTestSandbox({ sessions: 60 });
    const user = local.users.find((candidate) => candidate.userName === "demo")!;
    const ext = await signInReal(keyring, async () => ({ sandbox: local, user }));
    const saved = keyring.values.get(signInSecretKey(suite.sandbox.url));
    const windowB = await otherWindow(keyring);
    expect(windowB.connection?.userName).toBe("admin");

    const logoutsBefore = logouts();
    const api = ext.api;
    await vscode.commands.executeCommand("evoSessions.trySandbox");
    await settled(api);
    expect(api.auth.connection).toMatchObject({ sandbox: true, inProcess: true });

    await vscode.commands.executeCommand("evoSessions.signOut");
    await settled(api);
    expect(api.auth.connection).toMatchObject({ userName: "admin", sandbox: false });
    expect(contextKeys.get("evoSessions.signedIn")).toBe(true);
    expect(api.feed.sessions.length).toBeGreaterThan(0);
    // Nothing ended the real server session or forgot it, here or in the other window.
    expect(logouts()).toBe(logoutsBefore);
    expect(keyring.values.get(signInSecretKey(suite.sandbox.url))).toBe(saved);
    expect(windowB.connection?.userName).toBe("admin");
    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith(
      expect.stringMatching(/stopped the sandbox\. Back to .+ as admin\./),
    );
    // Stopping the sandbox closed it.
    await expect(fetch(`${local.url}/auth/status`)).rejects.toThrow();
  });

  it("connecting to a sandbox URL keeps the real sign-in, and other windows do not follow it", async () => {
    const keyring = new FakeSecretStorage();
    const ext = await signInReal(keyring);
    const saved = keyring.values.get(signInSecretKey(suite.sandbox.url));
    const windowB = await otherWindow(keyring);
    // The same sandbox under another name is another origin, as a separate sandbox would be.
    const sandboxUrl = suite.sandbox.url.replace("127.0.0.1", "localhost");
    expect(sandboxUrl).not.toBe(suite.sandbox.url);

    answerInputBoxes(sandboxUrl);
    answerQuickPick("demo");
    await vscode.commands.executeCommand("evoSessions.connectSandbox");
    await settled(ext.api);
    expect(ext.api.auth.connection).toMatchObject({ baseUrl: sandboxUrl, sandbox: true });
    expect(keyring.values.get(signInSecretKey(suite.sandbox.url))).toBe(saved);
    expect(keyring.values.has(signInSecretKey(sandboxUrl))).toBe(true);
    await vi.waitFor(() => expect(windowB.connection?.userName).toBe("admin"));
    expect(windowB.connection?.sandbox).toBe(false);

    // Leaving the sandbox goes back to the real sign-in.
    await vscode.commands.executeCommand("evoSessions.signOut");
    await settled(ext.api);
    expect(ext.api.auth.connection).toMatchObject({ userName: "admin", sandbox: false });
    expect(keyring.values.has(signInSecretKey(sandboxUrl))).toBe(false);
    expect(keyring.values.get(signInSecretKey(suite.sandbox.url))).toBe(saved);
  });

  it("changing evoSessions.serverUrl switches to that server's saved sign-in, and back", async () => {
    const keyring = new FakeSecretStorage();
    const ext = await signInReal(keyring);
    const elsewhere = suite.sandbox.url.replace("127.0.0.1", "localhost");

    await changeSetting("evoSessions.serverUrl", elsewhere);
    await vi.waitFor(() => expect(contextKeys.get("evoSessions.signedIn")).toBe(false));
    expect(ext.api.auth.connection).toBeUndefined();
    expect(ext.api.feed.sessions).toEqual([]);
    // The first server's sign-in is kept for switching back, never sent to the other one.
    expect(keyring.values.has(signInSecretKey(suite.sandbox.url))).toBe(true);

    const prompts = shownInputs.length;
    await changeSetting("evoSessions.serverUrl", suite.sandbox.url);
    await vi.waitFor(() => expect(ext.api.auth.connection?.userName).toBe("admin"));
    await settled(ext.api);
    expect(shownInputs.length).toBe(prompts);
    expect(ext.api.feed.sessions.length).toBeGreaterThan(0);
  });

  it("a sign-in to a server with one account sets no account filter; Escape in the picker keeps the choice", async () => {
    const ext = await suite.activate();
    answerInputBoxes(suite.sandbox.url, "demo", "demo-password");
    await vscode.commands.executeCommand("evoSessions.signIn");
    await settled(ext.api);
    expect(ext.api.filters.filters.accountIds).toBeUndefined();
    expect(ext.api.filters.hasFilters).toBe(false);
    expect(ext.view.description).toBe("");
    expect(shownInputs.some((input) => /Which accounts/.test(input.title ?? ""))).toBe(false);

    const msp = suite.sandbox.users.find((user) => user.userName === "msp")!;
    const name = (id: string) => suite.sandbox.data.accounts.find((a) => a.id === id)!.name!;
    answerInputBoxes(suite.sandbox.url, "msp", msp.password);
    answerQuickPick(name(msp.accountIds[0]!));
    await vscode.commands.executeCommand("evoSessions.signIn");
    expect(ext.api.filters.filters.accountIds).toEqual([msp.accountIds[0]]);

    // Signing in again and pressing Escape at the picker changes nothing.
    answerInputBoxes(suite.sandbox.url, "msp", msp.password);
    dismissQuickPick();
    await vscode.commands.executeCommand("evoSessions.signIn");
    expect(ext.api.filters.filters.accountIds).toEqual([msp.accountIds[0]]);
    const picker = shownInputs.filter((input) => /Which accounts/.test(input.title ?? "")).at(-1)!;
    expect(picker.selected).toEqual([name(msp.accountIds[0]!)]);
  });

  it("ID filters belong to the sign-in that picked them and are dropped for another user", async () => {
    const ext = await suite.activate();
    const msp = suite.sandbox.users.find((user) => user.userName === "msp")!;
    await ext.api.auth.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "msp",
      password: msp.password,
    });
    await settled(ext.api);
    await ext.api.filters.update({ accountIds: [msp.accountIds[0]!], from: "555" });
    expect(ext.api.filters.filters.owner).toBe(`${suite.sandbox.url}|msp`);

    // The same user again keeps them.
    await ext.api.auth.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "msp",
      password: msp.password,
    });
    await settled(ext.api);
    expect(ext.api.filters.filters.accountIds).toEqual([msp.accountIds[0]]);

    await ext.api.auth.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "admin",
      password: "admin-password",
    });
    await settled(ext.api);
    expect(ext.api.filters.filters.accountIds).toBeUndefined();
    // Filters that name no account stay.
    expect(ext.api.filters.filters.from).toBe("555");
    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith(
      expect.stringContaining("picked by msp"),
    );
  });

  it("a sign-in saved by version 0.1.0 is moved to its server's entry, so nobody is signed out", async () => {
    const keyring = new FakeSecretStorage();
    const legacy = JSON.stringify({
      baseUrl: suite.sandbox.url,
      userName: "demo",
      password: "demo-password",
    });
    await keyring.store(LEGACY_SIGN_IN_SECRET_KEY, legacy);
    const ext = await suite.activate({
      context: createExtensionContext({ secrets: keyring }),
      settings: { "evoSessions.serverUrl": suite.sandbox.url },
    });
    await settled(ext.api);
    expect(ext.api.auth.connection?.userName).toBe("demo");
    expect(keyring.values.has(LEGACY_SIGN_IN_SECRET_KEY)).toBe(false);
    expect(JSON.parse(keyring.values.get(signInSecretKey(suite.sandbox.url))!)).toMatchObject({
      userName: "demo",
    });
  });

  it("the sign-in steps have Back, keep what was typed, and Try Again starts from it", async () => {
    const ext = await suite.activate();
    answerInputBoxes(suite.sandbox.url, "demo");
    pressBack();
    answerInputBoxes("demo", "wrong-password");
    vi.mocked(vscode.window.showErrorMessage).mockResolvedValueOnce("Try Again" as never);
    answerInputBoxes(suite.sandbox.url, "demo", "demo-password");
    await vscode.commands.executeCommand("evoSessions.signIn");
    await settled(ext.api);
    expect(ext.api.auth.connection?.userName).toBe("demo");

    const inputs = shownInputs.filter((input) => input.type === "input");
    const titles = inputs.map((input) => input.title?.replace(/^Sign in to Evo Voice /, ""));
    expect(titles).toEqual([
      "(1/3): server",
      "(2/3): user name",
      "(3/3): password",
      "(2/3): user name",
      "(3/3): password",
      "(1/3): server",
      "(2/3): user name",
      "(3/3): password",
    ]);
    expect(inputs[0]!.hasBack).toBe(false);
    expect(inputs[2]!.hasBack).toBe(true);
    expect(inputs[2]!.password).toBe(true);
    // Back kept the user name; Try Again kept server and user name (never the password).
    expect(inputs[3]!.value).toBe("demo");
    expect(inputs[5]!.value).toBe(suite.sandbox.url);
    expect(inputs[6]!.value).toBe("demo");
    expect(inputs[7]!.value).toBe("");
  });
});
