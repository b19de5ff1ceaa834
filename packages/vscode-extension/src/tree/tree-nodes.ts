import {
  firstText,
  type SessionInfo,
  type SessionLogInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";
import type { SessionLogs } from "../details/session-logs.js";
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

/** One session. */
export interface SessionNode {
  kind: "session";
  /** Stable tree ID: refreshes keep what is expanded. */
  id: string;
  session: SessionInfo;
  parent: DayNode;
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
  /** What failed: the list, the next page, or one session's log. */
  scope: "load" | "loadMore" | "log";
  error: unknown;
  /** The log node to reload, for scope `log`. */
  logNode?: LogNode;
  parent?: LogNode;
}

/** A line of text, e.g. "Loading sessions…". */
export interface MessageNode {
  kind: "message";
  id: string;
  label: string;
  icon?: string;
  parent?: LogNode;
}

/** Every kind of item in the Sessions view. */
export type SessionsTreeNode =
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

function sessionNode(
  session: SessionInfo,
  day: DayNode,
  index: number,
  logs: SessionLogs,
): SessionNode {
  const sessionId = firstText(session.id);
  const id = sessionId === undefined ? `session:${day.key}#${index}` : `session:${sessionId}`;
  const node: SessionNode = {
    kind: "session",
    id,
    session,
    parent: day,
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
