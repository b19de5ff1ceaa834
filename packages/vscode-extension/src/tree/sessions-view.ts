import { formatClock } from "@evo-sessions/core";
import * as vscode from "vscode";
import { shortReason } from "../sessions/describe-error.js";
import { SESSIONS_VIEW_ID } from "../commands.js";
import {
  describeFilters,
  hasActiveFilters,
  type SessionFilters,
} from "../filters/session-filters.js";
import type { SessionFeed } from "../sessions/session-feed.js";
import type { SessionsTreeProvider } from "./sessions-tree-provider.js";
import type { SessionsTreeNode } from "./tree-nodes.js";

/** Context key: true when "Load more…" has a next page to fetch (gates the palette command). */
export const HAS_MORE_CONTEXT_KEY = "evoSessions.hasMore";

/** What the view's title area reads. */
export interface ViewContext {
  feed: SessionFeed;
  /** Live calls counted (see live/live-calls.ts), undefined when not known. */
  liveCount(): number | undefined;
  filters(): SessionFilters;
  signedIn(): boolean;
  sandbox(): boolean;
  userName(): string | undefined;
  /** The zone the time of the last good load is written in. */
  timeZone?(): string;
}

/**
 * The Sessions view around the tree: the active filters in its description and, because VS Code
 * hides a view's description when the view is alone in its container (its header merges into the
 * side bar title), in its message too; a message when nothing matches; a badge with the live
 * calls; and a progress bar while loading.
 */
export class SessionsView implements vscode.Disposable {
  readonly treeView: vscode.TreeView<SessionsTreeNode>;
  readonly #context: ViewContext;
  readonly #subscriptions: vscode.Disposable[] = [];
  #progressDone: (() => void) | undefined;
  #hasMore: boolean | undefined;

  constructor(provider: SessionsTreeProvider, context: ViewContext) {
    this.#context = context;
    this.treeView = vscode.window.createTreeView(SESSIONS_VIEW_ID, {
      treeDataProvider: provider,
      showCollapseAll: true,
      // Several rows at once for "Copy as CSV / JSON / Markdown".
      canSelectMany: true,
    });
    this.#subscriptions.push(
      this.treeView,
      context.feed.onDidChange(() => this.update()),
      context.feed.onDidChangeBusy(() => this.#showProgress()),
    );
    this.update();
  }

  /** Brings description, message, badge, progress and context keys in line with the feed. */
  update(): void {
    const feed = this.#context.feed;
    const filters = this.#context.filters();
    const signedIn = this.#context.signedIn();
    const sandbox = signedIn && this.#context.sandbox();
    const filterText = signedIn ? describeFilters(filters) : "";

    // A failed refresh leaves the last rows on screen: say they are old, and since when.
    const stale = signedIn && feed.status === "error" && feed.sessions.length > 0;
    const since =
      feed.loadedAt === undefined
        ? "an earlier load"
        : formatClock(feed.loadedAt, this.#context.timeZone?.() ?? "UTC");
    this.treeView.description = [
      stale ? `stale since ${since}` : "",
      sandbox ? "Sandbox" : "",
      filterText,
    ]
      .filter((part) => part !== "")
      .join(" · ");

    if (stale) {
      this.treeView.message = `Couldn't refresh (${shortReason(feed.error)}): showing the sessions loaded at ${since}. Refresh to try again.`;
    } else if (signedIn && feed.status === "ready" && feed.sessions.length === 0) {
      this.treeView.message = hasActiveFilters(filters)
        ? `No sessions match ${filterText}. Change the filters or clear them.`
        : `No sessions found for ${this.#context.userName() ?? "this sign-in"}.`;
    } else if (signedIn && feed.sessions.length > 0 && (filterText !== "" || sandbox)) {
      const parts: string[] = [];
      if (sandbox) parts.push("Sandbox data");
      if (filterText !== "") parts.push(`Filtered: ${filterText} — Clear Filters shows everything`);
      this.treeView.message = parts.join(" · ");
    } else {
      this.treeView.message = undefined;
    }

    this.#updateBadge();
    this.#showProgress();
    const hasMore = signedIn && feed.hasMore;
    if (hasMore !== this.#hasMore) {
      this.#hasMore = hasMore;
      void vscode.commands.executeCommand("setContext", HAS_MORE_CONTEXT_KEY, hasMore);
    }
  }

  dispose(): void {
    this.#progressDone?.();
    for (const subscription of this.#subscriptions) subscription.dispose();
  }

  #updateBadge(): void {
    const live = this.#context.signedIn() ? (this.#context.liveCount() ?? 0) : 0;
    this.treeView.badge =
      live === 0
        ? undefined
        : { value: live, tooltip: `${live} live ${live === 1 ? "call" : "calls"}` };
  }

  #showProgress(): void {
    const loading = this.#context.signedIn() && this.#context.feed.busy;
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
