import {
  addDays,
  localDateIn,
  startOfLocalDay,
  type EvoVoiceClient,
  type SessionInfo,
  type SessionLogInfo,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import type { SessionFeed } from "../sessions/session-feed.js";
import { firstText, startedAt } from "../sessions/session-facts.js";
import { dayLabel } from "../sessions/time-format.js";
import {
  dayItem,
  errorItem,
  loadMoreItem,
  logEntryItem,
  logItem,
  memberItem,
  logEntryTooltip,
  memberTooltip,
  messageItem,
  sessionItem,
  sessionTooltip,
  type ItemContext,
} from "./tree-items.js";
import type { DayNode, ErrorNode, LogNode, SessionNode, SessionsTreeNode } from "./tree-nodes.js";

/** What the tree reads from its surroundings; every call reads the current value. */
export interface TreeContext {
  feed: SessionFeed;
  client(): EvoVoiceClient | undefined;
  /** Origin of the current sign-in: cached logs belong to one server. */
  origin(): string | undefined;
  signedIn(): boolean;
  sandbox(): boolean;
  now(): Date;
  timeZone(): string;
}

/** Logs kept for sessions whose list item came without one (least recently used go first). */
export const MAX_CACHED_LOGS = 200;

/**
 * The Sessions tree: day groups of the loaded sessions, then "Load more…". Members and the log
 * are children built only when a session is expanded; a log the list left out is fetched then.
 * Item IDs derive from session IDs so a refresh keeps what is expanded, and children are rebuilt
 * from the latest data on every refresh so they never go stale. Tooltips are built only when
 * VS Code asks (`resolveTreeItem`), so a long list costs no Markdown up front. Day groups are
 * rebuilt at local midnight, so "Today" is right even with auto-refresh off.
 */
export class SessionsTreeProvider
  implements vscode.TreeDataProvider<SessionsTreeNode>, vscode.Disposable
{
  readonly #context: TreeContext;
  readonly #changed = new vscode.EventEmitter<SessionsTreeNode | undefined>();
  readonly #dayChanged = new vscode.EventEmitter<string>();
  readonly #subscription: vscode.Disposable;
  #days: DayNode[] = [];
  #parents = new WeakMap<object, SessionsTreeNode>();
  // Logs fetched for sessions whose list item came without one, by origin + session ID; a Map
  // keeps insertion order, which makes it an LRU when entries are re-inserted on use.
  #logs = new Map<string, { stamp: string; log: SessionLogInfo[] }>();
  #logErrors = new Map<string, unknown>();
  #todayKey = "";
  #midnight: ReturnType<typeof setTimeout> | undefined;
  #seenLoads = 0;

  readonly onDidChangeTreeData: vscode.Event<SessionsTreeNode | undefined> = this.#changed.event;
  /** Fires with the new local day when midnight passed (groups were rebuilt). */
  readonly onDidChangeDay: vscode.Event<string> = this.#dayChanged.event;

  constructor(context: TreeContext) {
    this.#context = context;
    this.#regroup();
    this.#subscription = context.feed.onDidChange(() => {
      if (context.feed.loads !== this.#seenLoads) {
        // A successful refresh is the moment to try failed logs again and read fresh ones.
        this.#seenLoads = context.feed.loads;
        this.forgetLogs();
      }
      this.#regroup();
      this.#changed.fire(undefined);
    });
  }

  /** Local day the groups were last built for (`YYYY-MM-DD`). */
  get todayKey(): string {
    return this.#todayKey;
  }

  /** Drops cached logs and log failures (signed in or out, or the list was refreshed). */
  forgetLogs(): void {
    this.#logs.clear();
    this.#logErrors.clear();
  }

  /** Rebuilds the groups when the local day changed since they were built (e.g. view shown). */
  checkDay(): boolean {
    const today = localDateIn(this.#context.now(), this.#context.timeZone());
    if (today === this.#todayKey) return false;
    this.refreshItems();
    return true;
  }

  /** The day groups currently shown (for tests and the status bar). */
  get days(): readonly DayNode[] {
    return this.#days;
  }

  /** Rebuilds every item (e.g. the clock passed midnight, or the time zone changed). */
  refreshItems(): void {
    this.#regroup();
    this.#changed.fire(undefined);
  }

  /** Fetches a log again after it failed. */
  retryLog(node: LogNode): void {
    const key = this.#logKey(node.session);
    if (key !== undefined) this.#logErrors.delete(key);
    // The whole tree: IDs are stable, so nothing collapses, and VS Code asks for the log again.
    this.#changed.fire(undefined);
  }

  getTreeItem(node: SessionsTreeNode): vscode.TreeItem {
    const context = this.#itemContext();
    switch (node.kind) {
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
    switch (node.kind) {
      case "day":
        return node.sessions.map((session, index) =>
          this.#child(node, this.#sessionNode(session, node, index)),
        );
      case "session":
        return this.#sessionChildren(node);
      case "log":
        return this.#logChildren(node);
      default:
        return [];
    }
  }

  getParent(node: SessionsTreeNode): SessionsTreeNode | undefined {
    return this.#parents.get(node);
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
    if (this.#midnight !== undefined) clearTimeout(this.#midnight);
    this.#subscription.dispose();
    this.#changed.dispose();
    this.#dayChanged.dispose();
  }

  #roots(): SessionsTreeNode[] {
    const feed = this.#context.feed;
    if (!this.#context.signedIn()) return [];
    const roots: SessionsTreeNode[] = [];
    if (feed.status === "error") {
      roots.push({ kind: "error", id: "error:load", scope: "load", error: feed.error });
    } else if (
      (feed.status === "loading" || feed.status === "idle") &&
      feed.sessions.length === 0
    ) {
      return [
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

  #sessionNode(session: SessionInfo, day: DayNode, index: number): SessionNode {
    const sessionId = firstText(session.id);
    const id = sessionId === undefined ? `session:${day.key}#${index}` : `session:${sessionId}`;
    return { kind: "session", id, session };
  }

  #sessionChildren(node: SessionNode): SessionsTreeNode[] {
    const members = (node.session.members ?? []).map((member, index) =>
      this.#child(node, { kind: "member" as const, id: `${node.id}/member/${index}`, member }),
    );
    const log: LogNode = { kind: "log", id: `${node.id}/log`, session: node.session };
    const hasLog = node.session.log != null || firstText(node.session.id) !== undefined;
    return hasLog ? [...members, this.#child(node, log)] : members;
  }

  async #logChildren(node: LogNode): Promise<SessionsTreeNode[]> {
    const session = node.session;
    let log = session.log ?? undefined;
    const id = firstText(session.id);
    const key = this.#logKey(session);
    if (log === undefined && id !== undefined && key !== undefined) {
      const stamp = session.dateLastModified ?? "";
      const cached = this.#logs.get(key);
      if (cached !== undefined && cached.stamp === stamp) {
        this.#logs.delete(key);
        this.#logs.set(key, cached);
        log = cached.log;
      } else {
        const failed = this.#logErrors.get(key);
        if (failed !== undefined) return [this.#logError(node, failed)];
        const client = this.#context.client();
        if (client === undefined) return [];
        try {
          const full = await client.getSession(id);
          log = full.log ?? [];
          // Signed out or switched user while the log was on its way: keep nothing.
          if (this.#logKey(session) !== key) return [];
          this.#logs.delete(key);
          this.#logs.set(key, { stamp, log });
          while (this.#logs.size > MAX_CACHED_LOGS) {
            const oldest = this.#logs.keys().next().value;
            if (oldest === undefined) break;
            this.#logs.delete(oldest);
          }
        } catch (error) {
          if (this.#logKey(session) === key) this.#logErrors.set(key, error);
          return [this.#logError(node, error)];
        }
      }
    }
    if (log === undefined || log.length === 0) {
      return [
        this.#child(node, { kind: "message", id: `${node.id}/empty`, label: "No log entries" }),
      ];
    }
    return log.map((entry, index) =>
      this.#child(node, { kind: "logEntry" as const, id: `${node.id}/${index}`, entry }),
    );
  }

  #logError(node: LogNode, error: unknown): ErrorNode {
    return this.#child(node, {
      kind: "error",
      id: `${node.id}/error`,
      scope: "log",
      error,
      logNode: node,
    });
  }

  #child<T extends SessionsTreeNode>(parent: SessionsTreeNode, child: T): T {
    this.#parents.set(child, parent);
    return child;
  }

  #logKey(session: SessionInfo): string | undefined {
    const id = firstText(session.id);
    const origin = this.#context.origin();
    return id === undefined || origin === undefined ? undefined : `${origin} ${id}`;
  }

  /** Rebuilds the groups just after the next local midnight (never keeps the process alive). */
  #scheduleMidnight(now: Date, timeZone: string, todayKey: string): void {
    if (this.#midnight !== undefined) clearTimeout(this.#midnight);
    const next = startOfLocalDay(addDays(todayKey, 1), timeZone);
    const delay = Math.max(1_000, next.getTime() - now.getTime() + 1_000);
    // setTimeout's limit is about 24.8 days; a day is far below it.
    this.#midnight = setTimeout(() => {
      this.#midnight = undefined;
      this.checkDay();
    }, delay);
    (this.#midnight as { unref?: () => void }).unref?.();
  }

  #regroup(): void {
    const now = this.#context.now();
    const timeZone = this.#context.timeZone();
    const todayKey = localDateIn(now, timeZone);
    this.#scheduleMidnight(now, timeZone, todayKey);
    const dayChanged = this.#todayKey !== "" && this.#todayKey !== todayKey;
    this.#todayKey = todayKey;
    const groups = new Map<string, DayNode>();
    for (const session of this.#context.feed.sessions) {
      const start = startedAt(session);
      const key = start === undefined ? "unknown" : localDateIn(start, timeZone);
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          kind: "day",
          key,
          label: key === "unknown" ? "Date unknown" : dayLabel(key, todayKey),
          sessions: [],
        };
        groups.set(key, group);
      }
      group.sessions.push(session);
    }
    // Groups follow the server's order (newest or oldest first), which the sessions already have.
    this.#days = [...groups.values()];
    this.#parents = new WeakMap();
    if (dayChanged) this.#dayChanged.fire(todayKey);
  }

  #itemContext(): ItemContext {
    return {
      now: this.#context.now(),
      timeZone: this.#context.timeZone(),
      sandbox: this.#context.sandbox(),
    };
  }
}
