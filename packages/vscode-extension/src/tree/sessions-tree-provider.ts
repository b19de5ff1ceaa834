import * as vscode from "vscode";
import type { SessionLogs } from "../details/session-logs.js";
import type { SavedSearchResults } from "../saved/saved-search-results.js";
import type { SavedSearches } from "../saved/saved-searches.js";
import type { DayGroups } from "../sessions/day-groups.js";
import type { SessionFeed } from "../sessions/session-feed.js";
import {
  dayItem,
  errorItem,
  loadMoreItem,
  logEntryItem,
  logEntryTooltip,
  logItem,
  memberItem,
  memberTooltip,
  messageItem,
  savedSearchItem,
  sessionItem,
  sessionTooltip,
  type ItemContext,
} from "./tree-items.js";
import {
  dayNode,
  savedSearchNode,
  type DayNode,
  type LogNode,
  type SessionsTreeNode,
} from "./tree-nodes.js";

/** The models the tree projects, and how items are written; every call reads the current value. */
export interface TreeContext {
  feed: SessionFeed;
  days: DayGroups;
  logs: SessionLogs;
  /** Saved searches, shown as top-level categories with their counts. */
  saved?: SavedSearches;
  savedResults?: SavedSearchResults;
  signedIn(): boolean;
  sandbox(): boolean;
  now(): Date;
  timeZone(): string;
}

/**
 * The Sessions tree: a projection of the feed's day groups, then "Load more…" or the errors the
 * feed reports. Nodes build their own children (members and the log only when a session is
 * expanded). Tooltips are built only when VS Code asks (`resolveTreeItem`), so a long list costs
 * no Markdown up front. Fetching, caching and timers belong to the models it reads.
 */
export class SessionsTreeProvider
  implements vscode.TreeDataProvider<SessionsTreeNode>, vscode.Disposable
{
  readonly #context: TreeContext;
  readonly #changed = new vscode.EventEmitter<SessionsTreeNode | undefined>();
  readonly #subscriptions: vscode.Disposable[];
  #days: DayNode[] = [];
  #showAccount = false;

  readonly onDidChangeTreeData: vscode.Event<SessionsTreeNode | undefined> = this.#changed.event;

  constructor(context: TreeContext) {
    this.#context = context;
    this.#project();
    const reproject = () => {
      this.#project();
      this.#changed.fire(undefined);
    };
    this.#subscriptions = [context.days.onDidChange(reproject)];
    if (context.saved) this.#subscriptions.push(context.saved.onDidChange(reproject));
    if (context.savedResults) this.#subscriptions.push(context.savedResults.onDidChange(reproject));
  }

  /** Local day the groups were last built for (`YYYY-MM-DD`). */
  get todayKey(): string {
    return this.#context.days.todayKey;
  }

  /** The day nodes currently shown. */
  get days(): readonly DayNode[] {
    return this.#days;
  }

  /** Rebuilds every item (e.g. the time zone changed). */
  refreshItems(): void {
    this.#context.days.refresh();
  }

  /** Fetches a log again after it failed. */
  retryLog(node: LogNode): void {
    this.#context.logs.retry(node.session);
    // The whole tree: IDs are stable, so nothing collapses, and VS Code asks for the log again.
    this.#changed.fire(undefined);
  }

  getTreeItem(node: SessionsTreeNode): vscode.TreeItem {
    const context = this.#itemContext();
    switch (node.kind) {
      case "savedSearch":
        return savedSearchItem(node);
      case "day":
        return dayItem(node);
      case "session":
        return sessionItem(node, context);
      case "member":
        return memberItem(node);
      case "log":
        return logItem(node);
      case "logEntry":
        return logEntryItem(node, context);
      case "loadMore":
        return loadMoreItem({
          loaded: this.#context.feed.sessions.length,
          total: this.#context.feed.totalCount,
          loading: this.#context.feed.isLoadingMore,
        });
      case "error":
        return errorItem(node);
      case "message":
        return messageItem(node);
    }
  }

  async getChildren(node?: SessionsTreeNode): Promise<SessionsTreeNode[]> {
    if (node === undefined) return this.#roots();
    return "children" in node ? node.children() : [];
  }

  getParent(node: SessionsTreeNode): SessionsTreeNode | undefined {
    return node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: SessionsTreeNode): vscode.TreeItem {
    if (item.tooltip !== undefined) return item;
    const context = this.#itemContext();
    if (node.kind === "session") item.tooltip = sessionTooltip(node.session, context);
    else if (node.kind === "member") item.tooltip = memberTooltip(node.member);
    else if (node.kind === "logEntry") item.tooltip = logEntryTooltip(node.entry, context);
    return item;
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#changed.dispose();
  }

  #project(): void {
    this.#days = this.#context.days.groups.map((group) => dayNode(group, this.#context.logs));
    // Rows name their account only when the rows in view come from more than one.
    const accounts = new Set(this.#context.feed.sessions.map((s) => s.accountId ?? s.accountName));
    this.#showAccount = accounts.size > 1;
  }

  /** Problems of the saved-search file, then the saved searches (signed in only). */
  #savedRoots(): SessionsTreeNode[] {
    const { saved, savedResults, logs } = this.#context;
    if (saved === undefined || savedResults === undefined) return [];
    const problems = saved.problems.map((problem, index): SessionsTreeNode => ({
      kind: "message",
      id: `saved-problem:${index}`,
      label: `${problem.where} line ${problem.line}: ${problem.message}`,
      icon: "warning",
      ...(problem.uri === undefined
        ? {}
        : { command: { command: "vscode.open", title: "Open File", arguments: [problem.uri] } }),
    }));
    const searches = saved.searches.map((search) => savedSearchNode(search, savedResults, logs));
    return [...problems, ...searches];
  }

  #roots(): SessionsTreeNode[] {
    const feed = this.#context.feed;
    if (!this.#context.signedIn()) return [];
    const roots: SessionsTreeNode[] = this.#savedRoots();
    if (feed.status === "error") {
      roots.push({ kind: "error", id: "error:load", scope: "load", error: feed.error });
    } else if (
      (feed.status === "loading" || feed.status === "idle") &&
      feed.sessions.length === 0
    ) {
      return [
        ...roots,
        {
          kind: "message",
          id: "message:loading",
          label: "Loading sessions…",
          icon: "loading~spin",
        },
      ];
    }
    roots.push(...this.#days);
    if (feed.loadMoreError !== undefined) {
      roots.push({
        kind: "error",
        id: "error:loadMore",
        scope: "loadMore",
        error: feed.loadMoreError,
      });
    } else if (feed.hasMore && feed.sessions.length > 0) {
      roots.push({ kind: "loadMore" });
    }
    return roots;
  }

  #itemContext(): ItemContext {
    return {
      now: this.#context.now(),
      timeZone: this.#context.timeZone(),
      sandbox: this.#context.sandbox(),
      showAccount: this.#showAccount,
    };
  }
}
