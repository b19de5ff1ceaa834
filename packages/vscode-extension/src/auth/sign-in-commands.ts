import type { AuthStatus } from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { normaliseServerUrl, type ExtensionSettings } from "../config.js";
import type { FilterStore } from "../filters/filter-store.js";
import { sandboxDemoUsers } from "../sandbox/in-process-sandbox.js";
import { fullMessage } from "../sessions/describe-error.js";
import { askText, BACK, pickMany, pickOne } from "../ui/quick-input.js";
import type { AuthManager } from "./auth-manager.js";

/** What the sign-in commands need. */
export interface SignInCommandContext {
  auth: AuthManager;
  filters: FilterStore;
  settings(): ExtensionSettings;
  /**
   * Resolves when the Sessions view's next load is done (see sessions/next-load.ts), so that a
   * sandbox's "Connecting…" notification ends when the tree has loaded, not before or after.
   */
  nextLoad?(): Promise<void>;
}

/** What was typed in the sign-in steps, kept when going back a step or trying again. */
interface SignInValues {
  server: string;
  userName: string;
  password: string;
}

/** Registers sign in, sign out, "Try the sandbox" and "Connect to a sandbox URL". */
export function registerSignInCommands(context: SignInCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.signIn, () => signIn(context)),
    vscode.commands.registerCommand(COMMANDS.signOut, () => signOut(context)),
    vscode.commands.registerCommand(COMMANDS.trySandbox, () => trySandbox(context)),
    vscode.commands.registerCommand(COMMANDS.connectSandbox, () => connectSandbox(context)),
  ];
}

/**
 * Asks for server, user name and password (Back goes a step back with what was typed kept),
 * signs in, then offers the account picker. "Try Again" after a failure starts over with the
 * server and user name typed before.
 */
async function signIn(
  context: SignInCommandContext,
  typed?: Omit<SignInValues, "password">,
): Promise<boolean> {
  const settings = context.settings();
  const values: SignInValues = {
    server: typed?.server ?? settings.serverUrl,
    userName: typed?.userName ?? settings.userName,
    password: "",
  };
  const steps = [
    () =>
      askText({
        title: "Sign in to Evo Voice (1/3): server",
        prompt: "The Evo Voice server (evovoice.io, or team.evovoice.io for staging)",
        value: values.server,
        validate: (value) =>
          normaliseServerUrl(value) === undefined
            ? "Enter an http(s) address such as https://evovoice.io."
            : undefined,
      }),
    () =>
      askText({
        title: "Sign in to Evo Voice (2/3): user name",
        prompt: `Your user name (email) on ${normaliseServerUrl(values.server) ?? values.server}`,
        value: values.userName,
        back: true,
        validate: (value) => (value.trim() === "" ? "Enter your user name." : undefined),
      }),
    () =>
      askText({
        title: "Sign in to Evo Voice (3/3): password",
        prompt: `Password of ${values.userName.trim()}; it is kept in the OS keyring, never in settings`,
        value: values.password,
        password: true,
        back: true,
        validate: (value) => (value === "" ? "Enter your password." : undefined),
      }),
  ];
  const keys = ["server", "userName", "password"] as const;
  for (let index = 0; index < steps.length;) {
    const answer = await (steps[index] as () => Promise<string | typeof BACK | undefined>)();
    if (answer === undefined) return false;
    if (answer === BACK) {
      index = Math.max(0, index - 1);
      continue;
    }
    values[keys[index] as (typeof keys)[number]] = answer;
    index += 1;
  }

  const baseUrl = normaliseServerUrl(values.server) as string;
  const userName = values.userName.trim();
  let status: AuthStatus;
  try {
    status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to ${baseUrl}…` },
      () => context.auth.signInWithPassword({ baseUrl, userName, password: values.password }),
    );
  } catch (error) {
    const again = await vscode.window.showErrorMessage(
      `Evo Voice: sign-in failed. ${fullMessage(error)}`,
      "Try Again",
    );
    if (again === "Try Again") return signIn(context, { server: values.server, userName });
    return false;
  }
  await pickAccounts(context, status);
  return true;
}

/**
 * After signing in: which accounts the view shows. Nothing is set for a user with one account
 * (the view would look filtered for no reason), and Escape keeps the current choice.
 */
async function pickAccounts(context: SignInCommandContext, status: AuthStatus): Promise<void> {
  const accounts = status.accounts;
  const names = { ...context.filters.filters.names };
  for (const account of accounts) names[account.id] = account.name;
  if (accounts.length <= 1) {
    if (accounts.length === 1) await context.filters.update({ names });
    return;
  }
  const current = context.filters.filters.accountIds ?? [];
  // The placeholder is short: a multi-select box shows its "N Selected" badge over the rest.
  const who = status.displayName?.trim() || status.userName;
  const picked = await pickMany({
    title: `Which accounts should the Sessions view show?${who ? ` Signed in as ${who}` : ""}`,
    placeholder: "Pick accounts (none = all)",
    matchOnDescription: true,
    items: accounts.map((account) => ({
      label: account.name,
      description: account.id,
      picked: current.includes(account.id),
      id: account.id,
    })),
  });
  if (picked === undefined || picked === BACK) return;
  const ids = picked.map((item) => item.id);
  const changed = ids.length !== current.length || ids.some((id) => !current.includes(id));
  // Customers and endpoints belong to accounts: other accounts start without them.
  await context.filters.update({
    accountIds: ids.length === 0 ? undefined : ids,
    ...(changed ? { customerIds: undefined, endpointIds: undefined } : {}),
    names,
  });
}

async function signOut(context: SignInCommandContext): Promise<void> {
  const { ended, restored } = await context.auth.signOut();
  if (ended === undefined) return;
  const back =
    restored === undefined ? "" : ` Back to ${restored.baseUrl} as ${restored.userName}.`;
  let message: string;
  if (ended.inProcess) message = `Evo Voice: stopped the sandbox.${back}`;
  else if (ended.sandbox)
    message = `Evo Voice: disconnected from the sandbox at ${ended.baseUrl}.${back}`;
  else {
    // Short enough for one line of a notification: the rest was cut off.
    message = `Evo Voice: signed out of ${ended.baseUrl} in every window.`;
  }
  void vscode.window.showInformationMessage(message);
}

/** Starts the sandbox inside VS Code and shows its data. */
async function trySandbox(context: SignInCommandContext): Promise<boolean> {
  return await openSandbox(context, {
    progress: "Starting the Evo Voice sandbox…",
    failure: "the sandbox did not start",
    open: () => context.auth.useInProcessSandbox(),
  });
}

type UserItem = vscode.QuickPickItem & {
  user: { userName: string; password: string } | undefined;
};

/** What "Connect to a sandbox URL" asks for, kept when going back a step. */
interface SandboxTarget {
  url: string;
  choice: UserItem | undefined;
  userName: string;
  password: string;
}

/** Connects to a sandbox already running elsewhere (e.g. the one the quickstart starts). */
async function connectSandbox(context: SignInCommandContext): Promise<boolean> {
  const target = await askSandboxTarget(await demoUserItems());
  if (target === undefined) return false;
  const baseUrl = sandboxUrl(target.url) as string;
  const { userName, password } = target;
  return await openSandbox(context, {
    progress: `Connecting to the sandbox at ${baseUrl}…`,
    failure: "could not connect to the sandbox",
    open: () => context.auth.signInWithPassword({ baseUrl, userName, password, sandbox: true }),
  });
}

/** The sandbox's own demo users (read from its lazily loaded bundle), then "Other user…". */
async function demoUserItems(): Promise<UserItem[]> {
  const users = await sandboxDemoUsers();
  return [
    ...users.map((user) => ({ label: user.userName, description: user.description, user })),
    { label: "Other user…", description: "type a user name and password", user: undefined },
  ];
}

/** The URL, then a demo user (or a typed user name and password); undefined when closed. */
async function askSandboxTarget(userItems: UserItem[]): Promise<SandboxTarget | undefined> {
  const target: SandboxTarget = { url: "", choice: undefined, userName: "", password: "" };
  for (let step = 0; step < 4;) {
    const answer = await askSandboxStep(step, target, userItems);
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      step = Math.max(0, step - 1);
      continue;
    }
    if (step === 0) target.url = answer as string;
    else if (step === 1) {
      target.choice = answer as UserItem;
      if (target.choice.user !== undefined) {
        target.userName = target.choice.user.userName;
        target.password = target.choice.user.password;
        return target;
      }
    } else if (step === 2) target.userName = (answer as string).trim();
    else target.password = answer as string;
    step += 1;
  }
  return target;
}

function askSandboxStep(
  step: number,
  target: SandboxTarget,
  userItems: UserItem[],
): Promise<string | UserItem | typeof BACK | undefined> {
  if (step === 0) {
    return askText({
      title: "Connect to a Sandbox (1/2): URL",
      prompt: "The sandbox's address, as printed when it started (e.g. http://127.0.0.1:4010)",
      placeholder: "http://127.0.0.1:PORT",
      value: target.url,
      validate: (value) =>
        sandboxUrl(value) === undefined
          ? "Enter an http(s) address such as http://127.0.0.1:4010."
          : undefined,
    });
  }
  if (step === 1) {
    return pickOne({
      title: "Connect to a Sandbox (2/2): demo user",
      items: userItems,
      back: true,
      ...(target.choice === undefined ? {} : { active: target.choice }),
    });
  }
  if (step === 2) {
    return askText({
      title: "Sandbox user name",
      value: target.userName,
      back: true,
      validate: (value) => (value.trim() === "" ? "Enter a user name." : undefined),
    });
  }
  return askText({
    title: "Sandbox password",
    password: true,
    back: true,
    validate: (value) => (value === "" ? "Enter the password." : undefined),
  });
}

/** A sandbox address as typed: a bare `host:port` means plain http, as sandboxes print. */
function sandboxUrl(value: string): string | undefined {
  const text = value.trim();
  return normaliseServerUrl(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
}

/**
 * Opens a sandbox behind a progress notification that names who is signed in once that is known
 * and ends when the tree has loaded (it used to end at the sign-in and then linger over the
 * loaded tree, or end before anything showed). ID filters of another sign-in are dropped by the
 * filter store when the sandbox's sign-in arrives (quietly, for a sandbox).
 */
async function openSandbox(
  context: SignInCommandContext,
  steps: { progress: string; failure: string; open: () => Promise<AuthStatus> },
): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: steps.progress },
      async (progress) => {
        // Asked before the sign-in: the load it starts is the one to wait for.
        const loaded = context.nextLoad?.();
        const status = await steps.open();
        const who = status.displayName?.trim() || status.userName;
        progress.report({ message: `${who ? `signed in as ${who}; ` : ""}loading sessions…` });
        await loaded;
      },
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Evo Voice: ${steps.failure}. ${fullMessage(error)}`);
    return false;
  }
  return true;
}
