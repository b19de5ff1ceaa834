import {
  channelOf,
  directionOf,
  firstText,
  formatClockWithSeconds,
  formatDateTime,
  hasEnded,
  isLive,
  isMissed,
  parseEvoDate,
  partiesOf,
  type SessionInfo,
  type SessionLogInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { describeFilters } from "../filters/session-filters.js";
import { fullMessage, needsSignIn, shortReason } from "../sessions/describe-error.js";
import {
  kindText,
  memberDescription,
  memberLabel,
  partyExact,
  ringText,
  sessionDescription,
  sessionLabel,
  timing,
} from "../sessions/session-text.js";
import { hasLog } from "./tree-nodes.js";
import type {
  DayNode,
  ErrorNode,
  LogEntryNode,
  LogNode,
  MemberNode,
  MessageNode,
  SavedSearchNode,
  SessionNode,
} from "./tree-nodes.js";

/** Clock and zone the items are written in. */
export interface ItemContext {
  now: Date;
  timeZone: string;
  /** Sandbox data is labelled as such. */
  sandbox: boolean;
  /** More than one account is in view: rows name theirs. */
  showAccount?: boolean;
}

/** The one colour of missed sessions, wherever they show (icons of rows and groups). */
export const MISSED_COLOR_ID = "errorForeground";

/** Every `contextValue` an item of the Sessions view can have (menus match against these). */
export const CONTEXT_VALUES = [
  "savedSearch",
  "day",
  "session",
  "session hasCallSid",
  "member",
  "log",
  "logEntry",
  "loadMore",
  "error",
  "message",
] as const;

/** Context value of session items; `hasCallSid` enables "Copy Call SID". */
export function sessionContextValue(session: SessionInfo): string {
  return firstText(session.callSid) === undefined ? "session" : "session hasCallSid";
}

/** A group heading (a day, or an account, customer, endpoint or outcome), expanded. */
export function dayItem(node: DayNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `day:${node.key}`;
  const missed = node.sessions.filter(isMissed).length;
  item.description = `${countText(node.sessions.length, "session")}${missed > 0 ? ` · ${missed} missed` : ""}`;
  item.contextValue = "day";
  const kind = /^(account|customer|endpoint|outcome):/.exec(node.key)?.[1];
  item.iconPath = new vscode.ThemeIcon(
    kind === undefined ? "calendar" : (GROUP_ICONS[kind] ?? "folder"),
    kind === "outcome" && node.key === "outcome:missed"
      ? new vscode.ThemeColor(MISSED_COLOR_ID)
      : undefined,
  );
  return item;
}

const GROUP_ICONS: Record<string, string> = {
  account: "organization",
  customer: "person",
  endpoint: "device-mobile",
  outcome: "pass",
};

function countText(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : `${noun}s`}`;
}

/** A saved search: its name, and how many sessions it finds (the first page: `50+`). */
export function savedSearchItem(node: SavedSearchNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.search.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  const result = node.results.result(node.search);
  const where = node.search.source === "workspace" ? "workspace" : "user settings";
  item.description =
    result.status === "ready"
      ? `${result.sessions.length}${result.more ? "+" : ""} · ${where}`
      : result.status === "failed"
        ? `couldn't count · ${where}`
        : `… · ${where}`;
  item.tooltip = `Saved search in ${where}: ${describeFilters(node.search.filters) || "no filters"}. Click to apply its filters.`;
  item.iconPath = new vscode.ThemeIcon("bookmark");
  item.contextValue = "savedSearch";
  item.command = {
    command: COMMANDS.savedSearchApply,
    title: "Apply Saved Search",
    arguments: [node],
  };
  return item;
}

/**
 * A session: label, time/duration/outcome, icon by channel and state. Its Markdown tooltip is
 * added by the provider's `resolveTreeItem` (see {@link sessionTooltip}).
 */
export function sessionItem(node: SessionNode, context: ItemContext): vscode.TreeItem {
  const session = node.session;
  const hasChildren = (session.members?.length ?? 0) > 0 || hasLog(session);
  const item = new vscode.TreeItem(
    sessionLabel(session),
    hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.description = sessionDescription(session, context);
  item.iconPath = sessionIcon(session);
  item.contextValue = sessionContextValue(session);
  item.accessibilityInformation = { label: `${sessionLabel(session)}, ${item.description}` };
  if (firstText(session.id) !== undefined) {
    item.command = {
      command: COMMANDS.openSession,
      title: "Open Session Details",
      arguments: [node],
    };
  }
  return item;
}

/** Codicon per channel and direction; missed in the error colour, live calls animated. */
export function sessionIcon(session: SessionInfo): vscode.ThemeIcon {
  if (isLive(session)) {
    return new vscode.ThemeIcon("loading~spin", new vscode.ThemeColor("charts.green"));
  }
  const color = isMissed(session) ? new vscode.ThemeColor(MISSED_COLOR_ID) : undefined;
  switch (channelOf(session)) {
    case "Chat":
      return new vscode.ThemeIcon("comment-discussion", color);
    case "Fax":
      return new vscode.ThemeIcon("file-text", color);
    default:
      return new vscode.ThemeIcon(
        directionOf(session) === "Outgoing" ? "call-outgoing" : "call-incoming",
        color,
      );
  }
}

/** The key facts of a session as Markdown: parties with E.164 numbers, times with their zone. */
export function sessionTooltip(session: SessionInfo, context: ItemContext): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(sessionLabel(session))}**`);
  if (context.sandbox) md.appendMarkdown(" — _Sandbox data_");
  md.appendMarkdown("\n\n");
  const { from, to } = partiesOf(session);
  const time = timing(session, context.now);
  const rows: [string, string | undefined][] = [
    ["State", `${capitalise(kindText(session))}, ${stateText(session)}`],
    ["From", partyExact(from)],
    ["To", partyExact(to)],
    ["Started", dateText(session.dateCreated, context.timeZone)],
    ["Ended", dateText(session.dateCompleted, context.timeZone)],
    [time?.label ?? "Duration", time?.value],
    ["Rang before the answer", ringText(session)],
    ["Outcome", firstText(session.outcome)],
    [
      "Answered by",
      directionOf(session) === "Outgoing" ? undefined : firstText(session.answeredByName),
    ],
    ["Account", firstText(session.accountName, session.accountId)],
    ["Customer", firstText(session.customerName, session.customerId)],
    ["Endpoint", firstText(session.endpointName, session.endpointId)],
    ["Session ID", firstText(session.id)],
  ];
  for (const [name, value] of rows) {
    if (value !== undefined) md.appendMarkdown(`${name}: ${escapeMarkdown(value)}  \n`);
  }
  md.appendMarkdown(`\n_Times in ${escapeMarkdown(context.timeZone)}_`);
  return md;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A member: name, role and call state. */
export function memberItem(node: MemberNode): vscode.TreeItem {
  const member = node.member;
  const item = new vscode.TreeItem(memberLabel(member), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = memberDescription(member);
  item.iconPath = new vscode.ThemeIcon(memberIconName(member));
  item.contextValue = "member";
  return item;
}

function memberIconName(member: SessionMemberInfo): string {
  if (member.role === "Agent") return "person";
  if (member.role === "Transfer") return "arrow-swap";
  return "account";
}

/** A member's facts as Markdown (built on hover). */
export function memberTooltip(member: SessionMemberInfo): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMarkdown(memberLabel(member))}**\n\n`);
  const rows: [string, string | undefined][] = [
    ["Role", firstText(member.role)],
    ["Call state", firstText(member.callState)],
    ["Identity", firstText(member.identity)],
    ["Endpoint", firstText(member.endpointId)],
    ["Call SID", firstText(member.callSid)],
    [
      "Muted",
      member.muted === undefined || member.muted === null ? undefined : member.muted ? "yes" : "no",
    ],
  ];
  for (const [name, value] of rows) {
    if (value !== undefined) md.appendMarkdown(`${name}: ${escapeMarkdown(value)}  \n`);
  }
  return md;
}

/** The "Log" node of a session. */
export function logItem(node: LogNode): vscode.TreeItem {
  const item = new vscode.TreeItem("Log", vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  const count = node.session.log?.length;
  item.description = count === undefined ? "" : `${count} ${count === 1 ? "entry" : "entries"}`;
  item.iconPath = new vscode.ThemeIcon("list-unordered");
  item.contextValue = "log";
  return item;
}

/** One log entry: the message, with its time. */
export function logEntryItem(node: LogEntryNode, context: ItemContext): vscode.TreeItem {
  const message = firstText(node.entry.message) ?? "(empty entry)";
  const firstLine = message.split(/\r?\n/, 1)[0] ?? message;
  const label = firstLine.length > 160 ? `${firstLine.slice(0, 157)}…` : firstLine;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const date = parseEvoDate(node.entry.date);
  item.description = date === undefined ? "" : formatClockWithSeconds(date, context.timeZone);
  item.contextValue = "logEntry";
  return item;
}

/** A log entry's date and whole message as Markdown (built on hover). */
export function logEntryTooltip(
  entry: SessionLogInfo,
  context: ItemContext,
): vscode.MarkdownString {
  const message = firstText(entry.message) ?? "(empty entry)";
  const date = parseEvoDate(entry.date);
  const md = new vscode.MarkdownString();
  if (date !== undefined) md.appendMarkdown(`_${formatDateTime(date, context.timeZone)}_\n\n`);
  md.appendText(message);
  return md;
}

/** "Load more…", with how many are loaded. */
export function loadMoreItem(info: {
  loaded: number;
  total?: number | undefined;
  loading: boolean;
}): vscode.TreeItem {
  const item = new vscode.TreeItem(
    info.loading ? "Loading more…" : "Load more…",
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = "loadMore";
  item.description =
    info.total === undefined
      ? `${info.loaded} loaded`
      : `${info.loaded} of ${info.total.toLocaleString("en-US")}`;
  item.iconPath = new vscode.ThemeIcon(info.loading ? "loading~spin" : "ellipsis");
  item.contextValue = "loadMore";
  if (!info.loading) item.command = { command: COMMANDS.loadMore, title: "Load More Sessions" };
  return item;
}

/** A failure saying what went wrong; clicking retries, or signs in when that is the fix. */
export function errorItem(node: ErrorNode): vscode.TreeItem {
  const what =
    node.scope === "load"
      ? "Couldn't load sessions"
      : node.scope === "loadMore"
        ? "Couldn't load more sessions"
        : node.scope === "savedSearch"
          ? "Couldn't read this saved search"
          : "Couldn't load the log";
  const signIn = needsSignIn(node.error);
  const item = new vscode.TreeItem(
    `${what}: ${shortReason(node.error)}`,
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.description = signIn ? "Click to sign in again" : "Click to retry";
  item.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("errorForeground"));
  const md = new vscode.MarkdownString();
  md.appendText(fullMessage(node.error));
  item.tooltip = md;
  item.contextValue = "error";
  item.command = signIn
    ? { command: COMMANDS.signIn, title: "Sign In" }
    : { command: COMMANDS.retry, title: "Retry", arguments: [node] };
  return item;
}

/** A line of text. */
export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  if (node.icon !== undefined) item.iconPath = new vscode.ThemeIcon(node.icon);
  if (node.command !== undefined) item.command = node.command;
  item.contextValue = "message";
  return item;
}

function stateText(session: SessionInfo): string {
  if (isLive(session)) return `live (${(session.callState ?? "").toLowerCase()})`;
  if (isMissed(session)) return "missed";
  return hasEnded(session) ? "ended" : "state unknown";
}

function dateText(value: string | null | undefined, timeZone: string): string | undefined {
  const date = parseEvoDate(value);
  return date === undefined ? undefined : formatDateTime(date, timeZone);
}

/** Escapes text for Markdown (names and log text come from callers, not from us). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, "\\$&");
}
