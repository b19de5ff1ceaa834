// Helpers shared by the tests: a sandbox, an activated extension, and scripted prompts.
import { startSandbox, type Sandbox, type SandboxOptions } from "@evo-sessions/sandbox";
import type { SessionInfo } from "@evo-sessions/core";
import { vi } from "vitest";
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

/** Activates the extension with the test clock, zone and settings. */
export async function activateForTest(
  options: {
    settings?: Record<string, unknown>;
    context?: ReturnType<typeof createExtensionContext>;
    startSandbox?: () => Promise<{ sandbox: Sandbox; user: Sandbox["users"][number] }>;
  } = {},
): Promise<TestExtension> {
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
  return {
    api,
    context,
    view,
    dispose: () => {
      deactivate();
      resetHost(context);
    },
  };
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
