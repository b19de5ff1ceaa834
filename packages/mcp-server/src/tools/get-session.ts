import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseEvoDate, type SessionInfo } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip, TextBudget } from "../format/budget.js";
import { collapseRuns, singleLines, type LogItem, type LogLine } from "../format/log-runs.js";
import {
  describeOutcome,
  describeParties,
  SessionSummarySchema,
  summarizeSession,
  type MemberSummary,
} from "../format/session-summary.js";
import { formatDuration, sessionDurationMs, zonedText } from "../format/time.js";
import { BackendSchema, READ_ONLY_ANNOTATIONS } from "./common-schemas.js";
import { backendNotice, runTool } from "./results.js";

/** Log entries per answer when `logLimit` is not given and repeats are not collapsed. */
export const DEFAULT_LOG_LIMIT = 50;
/** Last log entries always shown (when the page stops before them): how the session ended. */
const ENDING_ENTRIES = 2;
/** Largest `logLimit`, also its default when repeats are collapsed (the size budget then limits). */
export const MAX_LOG_LIMIT = 500;

const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** Arguments of `get_session`. */
export const getSessionInput = z.strictObject({
  id: z
    .string({ error: "must be a session ID string, e.g. from a list_sessions answer" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(200, { error: "is at most 200 characters" })
    .describe("The session ID (the `id` at the end of a list_sessions line)."),
  logOffset: wholeNumber(0, 1_000_000)
    .optional()
    .describe(
      "First log entry to show, 0-based, counted among the entries matching logContains (default 0).",
    ),
  logLimit: wholeNumber(1, MAX_LOG_LIMIT)
    .optional()
    .describe(
      `Most log entries to cover (default: as many as fit, up to ${MAX_LOG_LIMIT}; ${DEFAULT_LOG_LIMIT} with collapseRepeats false). Fewer when the answer reaches its size budget.`,
    ),
  logContains: z
    .string({ error: "must be text" })
    .max(200, { error: "is at most 200 characters" })
    .optional()
    .describe(
      'Only log entries containing this text (case-insensitive), e.g. "voicemail", "transfer", "hangup".',
    ),
  collapseRepeats: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe(
      'true (default): runs of repeated log lines (same text apart from numbers, e.g. "Still waiting in queue (position 3)" / "Played hold music" for an hour) are shown as one line with a count and time span. false: every entry on its own line.',
    ),
});

const LogLineSchema = z.object({
  index: z.number().describe("0-based position of the (first) entry in the full log"),
  at: z.string().optional().describe("ISO 8601 UTC"),
  message: z.string().describe('The entry; for a collapsed run its pattern, lines joined by " / "'),
  repeats: z
    .number()
    .optional()
    .describe("Collapsed run: how many times the pattern occurred in a row"),
  entries: z.number().optional().describe("Collapsed run: log entries it stands for"),
  lastIndex: z.number().optional().describe("Collapsed run: index of its last entry"),
  lastAt: z.string().optional().describe("Collapsed run: time of its last entry"),
});

/** Structured answer of `get_session`. */
export const getSessionOutput = z.object({
  backend: BackendSchema,
  session: SessionSummarySchema.describe(
    "The session with the members that fit the answer; its log is in `log`",
  ),
  membersLeftOut: z
    .number()
    .describe("Members not shown because the answer reached its size budget"),
  log: z.object({
    total: z.number().describe("Entries in the session's log"),
    matching: z.number().describe("Entries matching logContains (the total without it)"),
    offset: z.number(),
    returned: z.number().describe("Log entries covered by `entries` (a collapsed run counts each)"),
    hasMore: z.boolean(),
    nextLogOffset: z.number().optional().describe("Pass as logOffset (same logContains) for more"),
    leftOutForBudget: z.number().describe("Requested entries not shown for the size budget"),
    entries: z.array(LogLineSchema),
  }),
});

type GetSessionArgs = z.infer<typeof getSessionInput>;
type GetSessionOutput = z.infer<typeof getSessionOutput>;

const DESCRIPTION =
  "Read one Evo Voice session: when, who called whom, the outcome, its members (participants with roles and call states) and its log (the step-by-step timeline). Repeated log lines (hold music, queue position) are collapsed into one line with a count; long logs page through logOffset/logLimit, and logContains keeps only entries with some text. Use list_sessions first to find the id.";

/** Registers `get_session`. */
export function registerGetSession(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerTool(
    "get_session",
    {
      title: "Read one Evo Voice session",
      description: DESCRIPTION,
      inputSchema: getSessionInput,
      outputSchema: getSessionOutput,
      annotations: { title: "Read one Evo Voice session", ...READ_ONLY_ANNOTATIONS },
    },
    (args, extra) =>
      runTool(
        ctx,
        async () => {
          const session = await ctx.client.getSession(args.id, { signal: extra.signal });
          ctx.directory.noteSession(session);
          return renderSession(ctx, session, args);
        },
        { sessionId: args.id },
      ),
  );
}

/** `"None"` is how Evo Voice writes "no role" / "no call state": left out of the text. */
function known(value: string | undefined): string | undefined {
  return value === undefined || value === "" || value === "None" ? undefined : value;
}

/** One member: `  - Ann <client:ann> · Agent · endpoint e_1 · original` (call state while live). */
function memberLine(member: MemberSummary, ended: boolean): string {
  const name = member.displayName ?? member.identity ?? "?";
  const parts = [
    `${clip(name, 40)}${member.identity && member.identity !== name ? ` <${clip(member.identity, 40)}>` : ""}`,
    known(member.role),
    ended ? undefined : known(member.callState),
    member.endpointId ? `endpoint ${member.endpointId}` : undefined,
    member.isOriginalMember === true ? "original" : undefined,
  ];
  return `  - ${parts.filter((part) => part !== undefined).join(" · ")}`;
}

function jsonChars(value: unknown): number {
  return JSON.stringify(value).length;
}

/** A session as text and structured data, fitted together to the budget; shared with the session resource. */
export function renderSession(
  ctx: EvoSessionsContext,
  session: SessionInfo,
  args: Omit<GetSessionArgs, "id"> & { id?: string },
): CallToolResult & { structuredContent: GetSessionOutput } {
  const timeZone = ctx.config.timeZone;
  const collapse = args.collapseRepeats ?? true;
  const logOffset = args.logOffset ?? 0;
  const logLimit = args.logLimit ?? (collapse ? MAX_LOG_LIMIT : DEFAULT_LOG_LIMIT);
  const needle = args.logContains?.trim().toLowerCase() ?? "";
  const budget = new TextBudget(ctx.config.tokenBudget);
  for (const line of backendNotice(ctx)) budget.force(line);

  const id = session.id ?? args.id ?? "?";
  const start = parseEvoDate(session.dateCreated);
  const startParts = start === undefined ? undefined : zonedText(start, timeZone);
  const account = session.accountName
    ? `${session.accountName} (${session.accountId ?? "?"})`
    : (session.accountId ?? "unknown account");
  budget.force(`Session ${id} · account ${account}`);
  const duration = sessionDurationMs(session.dateCreated, session.dateCompleted);
  const end = parseEvoDate(session.dateCompleted);
  budget.force(
    `Started ${startParts === undefined ? "at an unknown time" : `${startParts.day} ${startParts.weekday} ${startParts.timeWithSeconds}`} (${timeZone})` +
      (end === undefined
        ? session.ended === true
          ? " · ended"
          : " · not ended"
        : ` · ended ${zonedText(end, timeZone).timeWithSeconds}${duration === undefined ? "" : ` (${formatDuration(duration)})`}`),
  );
  const { from, to } = describeParties(session);
  budget.force(
    `${session.direction ?? "Unknown direction"}${session.channel ? ` ${session.channel}` : ""} · from ${from} → ${to}`,
  );
  // An ended session's call state (Disconnected) says nothing the outcome does not.
  const ended = session.ended === true || end !== undefined;
  const state = [
    `Outcome: ${describeOutcome(session)}`,
    session.callState && !ended ? `call state ${session.callState}` : undefined,
    session.queueState && session.queueState !== "None" ? `queue ${session.queueState}` : undefined,
    session.holdQueueName ? `hold queue ${clip(session.holdQueueName, 40)}` : undefined,
  ].filter(Boolean);
  budget.force(state.join(" · "));
  const who = [
    session.customerName || session.customerId
      ? `Customer: ${session.customerName ?? ""}${session.customerId ? ` (${session.customerId})` : ""}`
      : undefined,
    session.endpointName || session.endpointId
      ? `Endpoint: ${session.endpointName ?? ""}${session.endpointId ? ` (${session.endpointId})` : ""}`
      : undefined,
    session.answeredByName || session.answeredById
      ? `Answered by: ${session.answeredByName ?? ""}${session.answeredById ? ` (${session.answeredById})` : ""}`
      : undefined,
  ].filter(Boolean);
  if (who.length > 0) budget.force(who.join(" · "));

  // The JSON is part of the answer's size: its fixed part is paid first, then each member and
  // log line pays for its text and its JSON together.
  const summary = summarizeSession(session, "full");
  const allMembers = summary.members ?? [];
  summary.members = [];
  const structuredContent: GetSessionOutput = {
    backend: ctx.backend.kind,
    session: summary,
    membersLeftOut: 0,
    log: {
      total: 0,
      matching: 0,
      offset: logOffset,
      returned: 0,
      hasMore: false,
      nextLogOffset: 0,
      leftOutForBudget: 0,
      entries: [],
    },
  };
  budget.spend(jsonChars(structuredContent) + 40);

  budget.force(`Members (${allMembers.length}):`);
  for (const [i, member] of allMembers.entries()) {
    const line = memberLine(member, ended);
    if (!budget.tryAdd(line, jsonChars(member) + 1)) {
      budget.force(`  … and ${allMembers.length - i} more members (not shown: size budget)`);
      structuredContent.membersLeftOut = allMembers.length - i;
      break;
    }
    summary.members.push(member);
  }

  const log = session.log ?? [];
  const matching: LogItem[] = [];
  for (const [index, entry] of log.entries()) {
    const message = entry.message ?? "";
    if (needle !== "" && !message.toLowerCase().includes(needle)) continue;
    matching.push({ position: matching.length, index, message, at: parseEvoDate(entry.date) });
  }
  const page = matching.slice(logOffset, logOffset + logLimit);
  const lines = collapse ? collapseRuns(page) : singleLines(page);
  const filterWords = needle === "" ? "" : ` matching "${args.logContains?.trim()}"`;
  budget.force(
    page.length === 0
      ? matching.length === 0
        ? `Log: ${log.length} entries, none${filterWords}.`
        : `Log: ${matching.length} entries${filterWords}; logOffset ${logOffset} is past the end.`
      : `Log entries ${logOffset + 1}–${logOffset + page.length} of ${matching.length}${filterWords}${needle === "" ? "" : ` (${log.length} in all)`}${lines.length < page.length ? ` in ${lines.length} lines, repeats collapsed (collapseRepeats false shows each)` : ""}:`,
  );
  const shown: LogLine[] = [];
  let lastDay = startParts?.day;
  const stampOf = (at: Date | undefined, withDay: boolean): string => {
    if (at === undefined) return "--:--:--";
    const parts = zonedText(at, timeZone);
    const text =
      withDay && parts.day !== lastDay
        ? `${parts.day} ${parts.timeWithSeconds}`
        : parts.timeWithSeconds;
    if (withDay) lastDay = parts.day;
    return text;
  };
  const entries: GetSessionOutput["log"]["entries"] = [];
  const endingLines = (from: number) =>
    log.slice(from).map((entry) => {
      const at = parseEvoDate(entry.date);
      const stamp = at === undefined ? "--:--:--" : zonedText(at, timeZone).timeWithSeconds;
      return `  ${stamp} ${clip(entry.message ?? "", 200)}`;
    });
  // Room for the ending lines below, kept free while the page is filled.
  const endingRoom =
    60 + endingLines(log.length - ENDING_ENTRIES).reduce((sum, line) => sum + line.length + 1, 0);
  budget.spend(endingRoom);
  for (const line of lines) {
    const savedDay = lastDay;
    const stamp = stampOf(line.first.at, true);
    let text: string;
    const entry: GetSessionOutput["log"]["entries"][number] = {
      index: line.first.index,
      ...(line.first.at === undefined ? {} : { at: line.first.at.toISOString() }),
      message: line.messages.join(" / "),
    };
    if (line.repeats === 1) {
      text = `  ${stamp} ${clip(line.first.message, 300)}`;
    } else {
      const count = line.repeats * line.width;
      text = `  ${stamp}–${stampOf(line.last.at, false)} ${line.width === 1 ? `×${line.repeats}` : `×${line.repeats} (${count} entries)`}: ${line.messages.map((m) => clip(m, 150)).join(" / ")}`;
      entry.repeats = line.repeats;
      entry.entries = count;
      entry.lastIndex = line.last.index;
      if (line.last.at !== undefined) entry.lastAt = line.last.at.toISOString();
    }
    const cost = jsonChars(entry) + 1;
    if (shown.length > 0 && !budget.tryAdd(text, cost)) {
      lastDay = savedDay;
      break;
    }
    if (shown.length === 0) {
      budget.force(text);
      budget.spend(cost);
    }
    shown.push(line);
    entries.push(entry);
  }
  const covered = shown.reduce((sum, line) => sum + line.width * line.repeats, 0);
  const leftOut = page.length - covered;
  const nextLogOffset = logOffset + covered;
  const hasMore = nextLogOffset < matching.length && covered > 0;
  // "Why did it drop?" is answered by the log's last entries (who hung up, what failed, then
  // "Call ended"): when this page stops before them, they are shown anyway so the ending is
  // never a second call away.
  budget.spend(-endingRoom);
  const lastShownIndex = shown.at(-1)?.last.index ?? -1;
  const tailStart = Math.max(lastShownIndex + 1, log.length - ENDING_ENTRIES);
  if (tailStart < log.length) {
    const which =
      tailStart === log.length - 1 ? `#${tailStart}` : `#${tailStart}–#${log.length - 1}`;
    budget.force(
      ended
        ? `How it ended (last log entries, ${which}):`
        : `Latest log entries (${which}; the session is not over):`,
    );
    for (const line of endingLines(tailStart)) budget.force(line);
  }
  if (leftOut > 0) {
    budget.force(
      `Left out: ${leftOut} more requested log entries did not fit the answer's size budget (${ctx.config.tokenBudget} tokens, text and JSON).`,
    );
  }
  if (hasMore) {
    budget.force(
      `More log (${matching.length - nextLogOffset} entries): call get_session with id="${id}" logOffset=${nextLogOffset}${needle === "" ? "" : ` and the same logContains`}.`,
    );
  }

  structuredContent.log = {
    total: log.length,
    matching: matching.length,
    offset: logOffset,
    returned: covered,
    hasMore,
    ...(hasMore ? { nextLogOffset } : {}),
    leftOutForBudget: leftOut,
    entries,
  };
  return { content: [{ type: "text", text: budget.text() }], structuredContent };
}
