import type { SessionInfo, SessionLogInfo, SessionMemberInfo } from "@evo-sessions/core";

/** A day heading: Today, Yesterday, then dates, in the user's zone. */
export interface DayNode {
  kind: "day";
  /** Local day, `YYYY-MM-DD` (or `unknown` for sessions without a readable date). */
  key: string;
  label: string;
  sessions: SessionInfo[];
}

/** One session. */
export interface SessionNode {
  kind: "session";
  /** Stable tree ID: refreshes keep what is expanded. */
  id: string;
  session: SessionInfo;
}

/** One member of a session. */
export interface MemberNode {
  kind: "member";
  id: string;
  member: SessionMemberInfo;
}

/** The log of a session; its entries load when expanded. */
export interface LogNode {
  kind: "log";
  id: string;
  session: SessionInfo;
}

/** One log entry. */
export interface LogEntryNode {
  kind: "logEntry";
  id: string;
  entry: SessionLogInfo;
}

/** Fetches the next page. */
export interface LoadMoreNode {
  kind: "loadMore";
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
}

/** A line of text, e.g. "Loading sessions…". */
export interface MessageNode {
  kind: "message";
  id: string;
  label: string;
  icon?: string;
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
