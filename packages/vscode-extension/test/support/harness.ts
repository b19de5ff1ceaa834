// Helpers shared by the tests: a sandbox, an activated extension, and scripted prompts.
import { startSandbox, type Sandbox, type SandboxOptions } from "@evo-sessions/sandbox";
import type { SessionInfo } from "@evo-sessions/core";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import * as vscode from "vscode";
import { activateEvoSessions, deactivate, type EvoSessionsApi } from "../../src/extension.js";
import type { SessionsTreeNode } from "../../src/tree/tree-nodes.js";
import {
  changeSetting,
  createExtensionContext,
  resetHost,
  treeViews,
  type FakeTreeView,
} from "./vscode.js";

/** The instant the test sandboxes' data is generated around: Sat 15 Nov 2025, 15:00 UTC. */
export const FIXED_NOW = new Date("2025-11-15T15:00:00.000Z");
/** The zone the tests read days in (10:00 local at FIXED_NOW). */
export const TEST_TIME_ZONE = "America/New_York";

/** Starts a sandbox around FIXED_NOW (small, not live, unless asked). */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    sessions: 400,
    seed: 11,
    now: FIXED_NOW,
    live: false,
    ...options,
  });
}

/** A running activation and what tests read from it. */
export interface TestExtension {
  api: EvoSessionsApi;
  context: ReturnType<typeof createExtensionContext>;
  view: FakeTreeView<SessionsTreeNode>;
  dispose(): void;
}

/** How {@link activateForTest} activates the extension. */
export interface ActivateOptions {
  settings?: Record<string, unknown>;
  context?: ReturnType<typeof createExtensionContext>;
  startSandbox?: () => Promise<{ sandbox: Sandbox; user: Sandbox["users"][number] }>;
}

/** Activates the extension with the test clock, zone and settings. */
export async function activateForTest(options: ActivateOptions = {}): Promise<TestExtension> {
  const settings: Record<string, unknown> = {
    "evoSessions.timeZone": TEST_TIME_ZONE,
    "evoSessions.autoRefreshSeconds": 0,
    ...options.settings,
  };
  for (const [key, value] of Object.entries(settings)) await changeSetting(key, value);
  const context = options.context ?? createExtensionContext();
  const api = await activateEvoSessions(context, {
    now: () => FIXED_NOW,
    execPath: "/usr/bin/node",
    ...(options.startSandbox === undefined ? {} : { startSandbox: options.startSandbox }),
  });
  const view = treeViews.get("evoSessions.sessions") as FakeTreeView<SessionsTreeNode>;
  let disposed = false;
  return {
    api,
    context,
    view,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      deactivate();
      resetHost(context);
    },
  };
}

/** Options of {@link useSandboxSuite}. */
export interface SandboxSuiteOptions {
  /** How the suite's sandbox is generated (see {@link startTestSandbox}). */
  sandbox?: SandboxOptions;
  /** Before each test, activate with these options and sign in to the sandbox as admin. */
  signedIn?: ActivateOptions;
}

/** A suite's sandbox and the activations of its running test (read them inside tests and hooks). */
export interface SandboxSuite {
  /** The sandbox, started once for the whole suite. */
  readonly sandbox: Sandbox;
  /** The running test's latest activation. */
  readonly ext: TestExtension;
  /** Activates the extension for the running test; every activation is disposed after the test. */
  activate(options?: ActivateOptions): Promise<TestExtension>;
}

/**
 * Registers what every suite repeats: one sandbox for the suite, and after each test its
 * activations disposed, faults cleared, scripted prompts dropped and settings restored.
 */
export function useSandboxSuite(options: SandboxSuiteOptions = {}): SandboxSuite {
  let sandbox: Sandbox | undefined;
  const activations: TestExtension[] = [];
  const suite: SandboxSuite = {
    get sandbox() {
      if (sandbox === undefined) throw new Error("the suite's sandbox starts in beforeAll");
      return sandbox;
    },
    get ext() {
      const ext = activations.at(-1);
      if (ext === undefined) throw new Error("this test has not activated the extension");
      return ext;
    },
    async activate(activateOptions) {
      const ext = await activateForTest(activateOptions);
      activations.push(ext);
      return ext;
    },
  };
  beforeAll(async () => {
    sandbox = await startTestSandbox(options.sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  if (options.signedIn !== undefined) {
    const signedIn = options.signedIn;
    beforeEach(async () => {
      const ext = await suite.activate(signedIn);
      await signInToSandbox(ext.api, suite.sandbox);
    });
  }
  afterEach(async () => {
    for (const ext of activations.splice(0)) ext.dispose();
    sandbox?.faults.clear();
    vi.mocked(vscode.window.showQuickPick).mockReset();
    vi.mocked(vscode.window.showInputBox).mockReset();
    await resetSettings();
  });
  return suite;
}

/** Resets settings changed by {@link activateForTest}. */
export async function resetSettings(): Promise<void> {
  for (const key of ["serverUrl", "username", "pageSize", "autoRefreshSeconds", "timeZone"]) {
    await changeSetting(`evoSessions.${key}`, undefined);
  }
}

/** Waits until the feed is neither loading the list nor a next page. */
export async function settled(api: EvoSessionsApi, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A refresh may be queued behind the current tick; give it a turn first.
  await new Promise((resolve) => setTimeout(resolve, 0));
  while (api.feed.status === "loading" || api.feed.isLoadingMore) {
    if (Date.now() > deadline)
      throw new Error(`feed still ${api.feed.status} after ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const subscription = api.feed.onDidChange(() => {
        subscription.dispose();
        resolve();
      });
    });
  }
}

/** Signs in to a sandbox as a demo user and waits for the first page. */
export async function signInToSandbox(
  api: EvoSessionsApi,
  sandbox: Sandbox,
  userName = "admin",
): Promise<void> {
  const user = sandbox.users.find((candidate) => candidate.userName === userName);
  if (user === undefined) throw new Error(`no demo user ${userName}`);
  await api.auth.signInWithPassword({
    baseUrl: sandbox.url,
    userName,
    password: user.password,
    sandbox: true,
  });
  await settled(api);
}

/** A node and its TreeItem. */
export interface Rendered {
  node: SessionsTreeNode;
  item: vscode.TreeItem;
}

/** The children of `parent` (the roots when undefined), rendered. */
export async function children(
  api: EvoSessionsApi,
  parent?: SessionsTreeNode,
): Promise<Rendered[]> {
  const nodes = await api.tree.getChildren(parent);
  return nodes.map((node) => ({ node, item: api.tree.getTreeItem(node) }));
}

/** Every session node under every day group, in tree order. */
export async function sessionRows(api: EvoSessionsApi): Promise<Rendered[]> {
  const rows: Rendered[] = [];
  for (const root of await children(api)) {
    if (root.node.kind === "day") rows.push(...(await children(api, root.node)));
  }
  return rows;
}

/** The label of a TreeItem as text. */
export function labelOf(item: vscode.TreeItem): string {
  const label = item.label;
  return typeof label === "string" ? label : (label?.label ?? "");
}

/** Answers the next QuickPick with the items whose labels are given (all for canPickMany). */
export function answerQuickPick(...labels: string[]): void {
  vi.mocked(vscode.window.showQuickPick).mockImplementationOnce((async (
    items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>,
    options?: vscode.QuickPickOptions,
  ) => {
    const list = await items;
    const picked = list.filter((item) => labels.includes(item.label));
    if (picked.length !== labels.length) {
      throw new Error(
        `QuickPick has no ${labels.join(", ")}; it offers ${list.map((item) => item.label).join(", ")}`,
      );
    }
    return options?.canPickMany === true ? picked : picked[0];
  }) as never);
}

/** Dismisses the next QuickPick (Escape). */
export function dismissQuickPick(): void {
  vi.mocked(vscode.window.showQuickPick).mockImplementationOnce((async () => undefined) as never);
}

/** Types the given values into the next InputBoxes, checking each against its validator. */
export function answerInputBoxes(...values: string[]): void {
  for (const value of values) {
    vi.mocked(vscode.window.showInputBox).mockImplementationOnce(
      async (options?: vscode.InputBoxOptions) => {
        const problem = await options?.validateInput?.(value);
        if (problem !== undefined && problem !== null && problem !== "") {
          throw new Error(
            `InputBox "${options?.title}" rejects ${JSON.stringify(value)}: ${JSON.stringify(problem)}`,
          );
        }
        return value;
      },
    );
  }
}

/** The query string of the last `GET /sessions` the sandbox answered. */
export function lastListQuery(sandbox: Sandbox): URLSearchParams {
  const record = [...sandbox.requests].reverse().find((request) => request.path === "/sessions");
  if (record === undefined) throw new Error("no GET /sessions yet");
  return new URLSearchParams(record.query.startsWith("?") ? record.query.slice(1) : record.query);
}

/** The sessions `GET /sessions` can return without filters (not archived), newest first. */
export function recentSessions(sandbox: Sandbox): SessionInfo[] {
  const cutoff = sandbox.data.archiveCutoff;
  return sandbox.data.sessions.filter(
    (session) => cutoff === undefined || (session.dateCreated ?? "") >= cutoff,
  );
}
