import type { AuthStatus } from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { normaliseServerUrl, type ExtensionSettings } from "../config.js";
import type { FilterStore } from "../filters/filter-store.js";
import { SANDBOX_DEMO_USERS } from "../sandbox/in-process-sandbox.js";
import { fullMessage } from "../sessions/describe-error.js";
import type { AuthManager } from "./auth-manager.js";

/** What the sign-in commands need. */
export interface SignInCommandContext {
  auth: AuthManager;
  filters: FilterStore;
  settings(): ExtensionSettings;
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

/** Asks for server, user name and password, signs in, then offers the account picker. */
async function signIn(context: SignInCommandContext): Promise<boolean> {
  const settings = context.settings();
  const serverInput = await vscode.window.showInputBox({
    title: "Sign in to Evo Voice (1/3): server",
    prompt: "The Evo Voice server (evovoice.io, or team.evovoice.io for staging)",
    value: settings.serverUrl,
    ignoreFocusOut: true,
    validateInput: (value) =>
      normaliseServerUrl(value) === undefined
        ? "Enter an http(s) address such as https://evovoice.io."
        : undefined,
  });
  if (serverInput === undefined) return false;
  const baseUrl = normaliseServerUrl(serverInput) as string;
  const userName = await vscode.window.showInputBox({
    title: "Sign in to Evo Voice (2/3): user name",
    prompt: `Your user name (email) on ${baseUrl}`,
    value: settings.userName,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === "" ? "Enter your user name." : undefined),
  });
  if (userName === undefined) return false;
  const password = await vscode.window.showInputBox({
    title: "Sign in to Evo Voice (3/3): password",
    prompt: `Password of ${userName.trim()}; it is kept in the OS keyring, never in settings`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value === "" ? "Enter your password." : undefined),
  });
  if (password === undefined) return false;

  let status: AuthStatus;
  try {
    status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Signing in to ${baseUrl}…` },
      () => context.auth.signInWithPassword({ baseUrl, userName: userName.trim(), password }),
    );
  } catch (error) {
    const again = await vscode.window.showErrorMessage(
      `Evo Voice: sign-in failed. ${fullMessage(error)}`,
      "Try Again",
    );
    if (again === "Try Again") return signIn(context);
    return false;
  }
  await pickAccounts(context, status);
  return true;
}

/** After signing in: which accounts the view shows (every reachable one when none is picked). */
async function pickAccounts(context: SignInCommandContext, status: AuthStatus): Promise<void> {
  const accounts = status.accounts;
  const names = Object.fromEntries(accounts.map((account) => [account.id, account.name]));
  if (accounts.length <= 1) {
    await context.filters.update({
      accountIds: accounts.map((account) => account.id),
      customerIds: undefined,
      endpointIds: undefined,
      names: { ...context.filters.filters.names, ...names },
    });
    return;
  }
  const current = new Set(context.filters.filters.accountIds ?? []);
  const picked = await vscode.window.showQuickPick(
    accounts.map((account) => ({
      label: account.name,
      description: account.id,
      picked: current.has(account.id),
      id: account.id,
    })),
    {
      title: "Which accounts should the Sessions view show?",
      placeHolder: "Pick one or more accounts (none picked = every account you can reach)",
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    },
  );
  // Customers and endpoints belong to accounts: a new sign-in starts without them.
  await context.filters.update({
    accountIds: picked === undefined ? undefined : picked.map((item) => item.id),
    customerIds: undefined,
    endpointIds: undefined,
    names: { ...context.filters.filters.names, ...names },
  });
}

async function signOut(context: SignInCommandContext): Promise<void> {
  const connection = context.auth.connection;
  await context.auth.signOut();
  if (connection !== undefined) {
    void vscode.window.showInformationMessage(
      connection.inProcess
        ? "Evo Voice: stopped the sandbox."
        : `Evo Voice: signed out of ${connection.baseUrl}; the saved sign-in is forgotten in every window.`,
    );
  }
}

/** Starts the sandbox inside VS Code and shows its data. */
async function trySandbox(context: SignInCommandContext): Promise<boolean> {
  return await openSandbox(context, {
    progress: "Starting the Evo Voice sandbox…",
    failure: "the sandbox did not start",
    open: () => context.auth.useInProcessSandbox(),
  });
}

/** Connects to a sandbox already running elsewhere (e.g. the one the quickstart starts). */
async function connectSandbox(context: SignInCommandContext): Promise<boolean> {
  const urlInput = await vscode.window.showInputBox({
    title: "Connect to a Sandbox (1/2): URL",
    prompt: "The sandbox's address, as printed when it started (e.g. http://127.0.0.1:4010)",
    placeHolder: "http://127.0.0.1:PORT",
    ignoreFocusOut: true,
    validateInput: (value) =>
      normaliseServerUrl(value) === undefined
        ? "Enter an http(s) address such as http://127.0.0.1:4010."
        : undefined,
  });
  if (urlInput === undefined) return false;
  const baseUrl = normaliseServerUrl(
    urlInput.trim().startsWith("http") ? urlInput : `http://${urlInput.trim()}`,
  ) as string;
  const choice = await vscode.window.showQuickPick(
    [
      ...SANDBOX_DEMO_USERS.map((user) => ({
        label: user.userName,
        description: user.description,
        user,
      })),
      { label: "Other user…", description: "type a user name and password", user: undefined },
    ],
    { title: "Connect to a Sandbox (2/2): demo user", ignoreFocusOut: true },
  );
  if (choice === undefined) return false;
  let userName: string;
  let password: string;
  if (choice.user !== undefined) {
    userName = choice.user.userName;
    password = choice.user.password;
  } else {
    const typedUser = await vscode.window.showInputBox({
      title: "Sandbox user name",
      ignoreFocusOut: true,
    });
    if (!typedUser) return false;
    const typedPassword = await vscode.window.showInputBox({
      title: "Sandbox password",
      password: true,
      ignoreFocusOut: true,
    });
    if (!typedPassword) return false;
    userName = typedUser.trim();
    password = typedPassword;
  }
  return await openSandbox(context, {
    progress: `Connecting to the sandbox at ${baseUrl}…`,
    failure: "could not connect to the sandbox",
    open: () => context.auth.signInWithPassword({ baseUrl, userName, password, sandbox: true }),
  });
}

/**
 * Opens a sandbox behind a progress notification, then shows all of its accounts: the ID filters
 * of an earlier sign-in name accounts, customers and endpoints the sandbox does not have.
 */
async function openSandbox(
  context: SignInCommandContext,
  steps: { progress: string; failure: string; open: () => Promise<unknown> },
): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: steps.progress },
      steps.open,
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Evo Voice: ${steps.failure}. ${fullMessage(error)}`);
    return false;
  }
  await context.filters.update({
    accountIds: undefined,
    customerIds: undefined,
    endpointIds: undefined,
  });
  return true;
}
