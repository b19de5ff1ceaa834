import * as vscode from "vscode";
import { SESSIONS_VIEW_ID } from "../commands.js";
import {
  describeFilters,
  hasActiveFilters,
  type SessionFilters,
} from "../filters/session-filters.js";
import type { SessionFeed } from "../sessions/session-feed.js";
import { isLive } from "../sessions/session-facts.js";
import type { SessionsTreeProvider } from "./sessions-tree-provider.js";
import type { SessionsTreeNode } from "./tree-nodes.js";

/** What the view's title area reads. */
export interface ViewContext {
  feed: SessionFeed;
  filters(): SessionFilters;
  signedIn(): boolean;
  sandbox(): boolean;
  userName(): string | undefined;
}

/**
 * The Sessions view around the tree: the active filters in its description, a message when
 * nothing matches, a badge with the live calls, and a progress bar while loading.
 */
export class SessionsView implements vscode.Disposable {
  readonly treeView: vscode.TreeView<SessionsTreeNode>;
  readonly #context: ViewContext;
  readonly #subscriptions: vscode.Disposable[] = [];
  #progressDone: (() => void) | undefined;

  constructor(provider: SessionsTreeProvider, context: ViewContext) {
    this.#context = context;
    this.treeView = vscode.window.createTreeView(SESSIONS_VIEW_ID, {
      treeDataProvider: provider,
      showCollapseAll: true,
    });
    this.#subscriptions.push(
      this.treeView,
      context.feed.onDidChange(() => this.update()),
    );
    this.update();
  }

  /** Brings description, message, badge and progress in line with the feed and filters. */
  update(): void {
    const feed = this.#context.feed;
    const filters = this.#context.filters();
    const signedIn = this.#context.signedIn();

    const parts: string[] = [];
    if (signedIn && this.#context.sandbox()) parts.push("Sandbox");
    const filterText = describeFilters(filters);
    if (signedIn && filterText !== "") parts.push(filterText);
    this.treeView.description = parts.join(" · ");

    if (signedIn && feed.status === "ready" && feed.sessions.length === 0) {
      this.treeView.message = hasActiveFilters(filters)
        ? `No sessions match ${filterText}. Change the filters or clear them.`
        : `No sessions found for ${this.#context.userName() ?? "this sign-in"}.`;
    } else {
      this.treeView.message = undefined;
    }

    const live = signedIn ? feed.sessions.filter(isLive).length : 0;
    this.treeView.badge =
      live === 0
        ? undefined
        : { value: live, tooltip: `${live} live ${live === 1 ? "call" : "calls"}` };

    this.#showProgress(signedIn && (feed.status === "loading" || feed.isLoadingMore));
  }

  dispose(): void {
    this.#progressDone?.();
    for (const subscription of this.#subscriptions) subscription.dispose();
  }

  #showProgress(loading: boolean): void {
    if (!loading) {
      this.#progressDone?.();
      this.#progressDone = undefined;
      return;
    }
    if (this.#progressDone !== undefined) return;
    const done = new Promise<void>((resolve) => {
      this.#progressDone = resolve;
    });
    void vscode.window.withProgress({ location: { viewId: SESSIONS_VIEW_ID } }, () => done);
  }
}
