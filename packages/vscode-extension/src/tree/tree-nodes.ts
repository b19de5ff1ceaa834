import {
  firstText,
  type SessionInfo,
  type SessionLogInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";
import type { SessionLogs } from "../details/session-logs.js";
import type { SavedSearch } from "../saved/saved-search-file.js";
import type { SavedSearchResults } from "../saved/saved-search-results.js";
import type { DayGroup } from "../sessions/day-groups.js";

// Every node knows its parent (for `getParent`) and, when it can be expanded, builds its own
// children from the latest data each time it is asked, so a refresh never leaves them stale.
// Item IDs derive from session IDs, so a refresh keeps what is expanded.

/** A day heading: Today, Yesterday, then dates, in the user's zone. */
export interface DayNode {
  kind: "day";
  /** Local day, `YYYY-MM-DD` (or `unknown` for sessions without a readable date). */
  key: string;
  label: string;
  sessions: SessionInfo[];
  parent?: undefined;
  children(): SessionNode[];
}

/** A saved search: a top-level category with its count; its sessions when expanded. */
export interface SavedSearchNode {
  kind: "savedSearch";
  id: string;
  search: SavedSearch;
  results: SavedSearchResults;
  parent?: undefined;
  children(): (SessionNode | MessageNode | ErrorNode)[];
}

/** One session. */
export interface SessionNode {
  kind: "session";
  /** Stable tree ID: refreshes keep what is expanded. */
  id: string;
  session: SessionInfo;
  parent: DayNode | SavedSearchNode;
  children(): (MemberNode | LogNode)[];
}

/** One member of a session. */
export interface MemberNode {
  kind: "member";
  id: string;
  member: SessionMemberInfo;
  parent: SessionNode;
}

/** The log of a session; its entries load when expanded. */
export interface LogNode {
  kind: "log";
  id: string;
  session: SessionInfo;
  parent: SessionNode;
  children(): Promise<(LogEntryNode | MessageNode | ErrorNode)[]>;
}

/** One log entry. */
export interface LogEntryNode {
  kind: "logEntry";
  id: string;
  entry: SessionLogInfo;
  parent: LogNode;
}

/** Fetches the next page. */
export interface LoadMoreNode {
  kind: "loadMore";
  parent?: undefined;
}

/** A failure, with what went wrong; clicking retries (or signs in again). */
export interface ErrorNode {
  kind: "error";
  id: string;
  /** What failed: the list, the next page, one session's log, or a saved search. */
  scope: "load" | "loadMore" | "log" | "savedSearch";
  error: unknown;
  /** The log node to reload, for scope `log`. */
  logNode?: LogNode;
  parent?: LogNode | SavedSearchNode;
}

/** A line of text, e.g. "Loading sessions…". */
export interface MessageNode {
  kind: "message";
  id: string;
  label: string;
  icon?: string;
  /** Run when clicked (e.g. open the file a problem is in). */
  command?: { command: string; title: string; arguments?: unknown[] };
  parent?: LogNode | SavedSearchNode;
}

/** Every kind of item in the Sessions view. */
export type SessionsTreeNode =
  | SavedSearchNode
  | DayNode
  | SessionNode
  | MemberNode
  | LogNode
  | LogEntryNode
  | LoadMoreNode
  | ErrorNode
  | MessageNode;

/** A day group's node; its sessions' logs come from `logs`. */
export function dayNode(group: DayGroup, logs: SessionLogs): DayNode {
  const day: DayNode = {
    kind: "day",
    key: group.key,
    label: group.label,
    sessions: group.sessions,
    children: () => group.sessions.map((session, index) => sessionNode(session, day, index, logs)),
  };
  return day;
}

/** A saved search's node; its sessions are the results' first page. */
export function savedSearchNode(
  search: SavedSearch,
  results: SavedSearchResults,
  logs: SessionLogs,
): SavedSearchNode {
  const id = `saved:${search.source}:${search.name}`;
  const node: SavedSearchNode = {
    kind: "savedSearch",
    id,
    search,
    results,
    children: () => {
      const result = results.result(search);
      if (result.status === "loading") {
        return [
          {
            kind: "message",
            id: `${id}/loading`,
            label: "Loading…",
            icon: "loading~spin",
            parent: node,
          },
        ];
      }
      if (result.status === "failed") {
        return [
          {
            kind: "error",
            id: `${id}/error`,
            scope: "savedSearch",
            error: result.error,
            parent: node,
          },
        ];
      }
      if (result.sessions.length === 0) {
        return [{ kind: "message", id: `${id}/empty`, label: "No sessions match", parent: node }];
      }
      // IDs under the search's own: a session may also show in a day group, and IDs are unique.
      return result.sessions.map((session, index) =>
        sessionNode(session, node, index, logs, `${id}/`),
      );
    },
  };
  return node;
}

function sessionNode(
  session: SessionInfo,
  parentNode: DayNode | SavedSearchNode,
  index: number,
  logs: SessionLogs,
  prefix = "",
): SessionNode {
  const sessionId = firstText(session.id);
  const groupKey = parentNode.kind === "day" ? parentNode.key : parentNode.id;
  const id =
    sessionId === undefined
      ? `${prefix}session:${groupKey}#${index}`
      : `${prefix}session:${sessionId}`;
  const node: SessionNode = {
    kind: "session",
    id,
    session,
    parent: parentNode,
    children: () => {
      const members = (session.members ?? []).map((member, at): MemberNode => ({
        kind: "member",
        id: `${id}/member/${at}`,
        member,
        parent: node,
      }));
      return hasLog(session) ? [...members, logNode(node, logs)] : members;
    },
  };
  return node;
}

/** True when a session has a log to show: in the list item, or to fetch by its ID. */
export function hasLog(session: SessionInfo): boolean {
  return session.log != null || firstText(session.id) !== undefined;
}

function logNode(parent: SessionNode, logs: SessionLogs): LogNode {
  const node: LogNode = {
    kind: "log",
    id: `${parent.id}/log`,
    session: parent.session,
    parent,
    children: async () => {
      const read = await logs.read(parent.session);
      if (read.kind === "failed") {
        return [
          {
            kind: "error",
            id: `${node.id}/error`,
            scope: "log",
            error: read.error,
            logNode: node,
            parent: node,
          },
        ];
      }
      if (read.kind === "unavailable") return [];
      if (read.log.length === 0) {
        return [{ kind: "message", id: `${node.id}/empty`, label: "No log entries", parent: node }];
      }
      return read.log.map((entry, index): LogEntryNode => ({
        kind: "logEntry",
        id: `${node.id}/${index}`,
        entry,
        parent: node,
      }));
    },
  };
  return node;
}
