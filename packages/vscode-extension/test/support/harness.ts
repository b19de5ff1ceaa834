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
  scriptedAnswers,
  scriptProblems,
  treeViews,
  type FakeTreeView,
} from "./vscode.js";

/** The instant the test sandboxes' data is generated around: Sat 15 Nov 2025, 15:00 UTC. */
export const FIXED_NOW = new Date("2025-11-15T15:00:00.000Z");
/** The zone the tests read days in (10:00 local at FIXED_NOW). */
export const TEST_TIME_ZONE = "America/New_York";

/**
 * A clock just after the newest recent session the sandbox holds: with it the first day group is
 * "Today" whatever the generator's spread of sessions, so tests about day labels do not depend
 * on how close to its `now` the sandbox happens to place its newest session.
 */
export function clockAfterNewest(sandbox: Sandbox): Date {
  const newest = recentSessions(sandbox)[0]?.dateCreated;
  if (newest === undefined || newest === null) throw new Error("the sandbox holds no sessions");
  return new Date(new Date(newest).getTime() + 60_000);
}

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
  /** The extension's clock (default: FIXED_NOW). */
  now?: () => Date;
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
    now: options.now ?? (() => FIXED_NOW),
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
    const problems = scriptProblems.splice(0);
    const unused = scriptedAnswers.splice(0);
    for (const ext of activations.splice(0)) ext.dispose();
    sandbox?.faults.clear();
    vi.mocked(vscode.window.showQuickPick).mockReset();
    vi.mocked(vscode.window.showInputBox).mockReset();
    await resetSettings();
    if (problems.length > 0) throw new Error(`Scripted inputs went wrong:\n${problems.join("\n")}`);
    if (unused.length > 0) {
      throw new Error(`Scripted answers were never asked for: ${JSON.stringify(unused)}`);
    }
  });
  return suite;
}

/** Resets settings changed by {@link activateForTest}. */
export async function resetSettings(): Promise<void> {
  for (const key of [
    "serverUrl",
    "username",
    "pageSize",
    "autoRefreshSeconds",
    "timeZone",
    "details.openAs",
  ]) {
    await changeSetting(`evoSessions.${key}`, undefined);
  }
}

/** Waits until the feed has nothing running or waiting. */
export async function settled(api: EvoSessionsApi, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Work may be queued behind the current tick (e.g. a reload after a sign-in): give it turns.
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
  while (api.feed.busy) {
    if (Date.now() > deadline) throw new Error(`feed still busy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
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

/** Answers the next quick pick with the items whose labels are given (ticks them all). */
export function answerQuickPick(...labels: string[]): void {
  scriptedAnswers.push({ kind: "pick", labels });
}

/** Closes the next quick pick or input box (Escape). */
export function dismissQuickPick(): void {
  scriptedAnswers.push({ kind: "dismiss" });
}

/** Presses the Back button of the next input. */
export function pressBack(): void {
  scriptedAnswers.push({ kind: "back" });
}

/** Types a value the next input box must refuse (its message lands in `shownInputs`). */
export function typeInvalid(value: string): void {
  scriptedAnswers.push({ kind: "typeInvalid", value });
}

/** Types the given values into the next input boxes (each must pass the box's validation). */
export function answerInputBoxes(...values: string[]): void {
  for (const value of values) scriptedAnswers.push({ kind: "type", value });
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
