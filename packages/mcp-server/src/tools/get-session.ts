import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/server";
import type { CallToolResult } from "@modelcontextprotocol/server";
import {
  durationMs,
  endedAt,
  firstText,
  formatDuration,
  hasEnded,
  startedAt,
  zonedText,
  type SessionInfo,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip } from "../format/budget.js";
import {
  describeOutcome,
  describeParties,
  SessionSummarySchema,
  summarizeSession,
  type MemberSummary,
} from "../format/session-summary.js";
import { Answer, counted, jsonChars } from "./answer.js";
import { BackendSchema } from "./common-schemas.js";
import { registerEvoTool } from "./register.js";
import { runTool } from "./results.js";
import { writeLog } from "./session-log.js";
import {
  readTranscript,
  TranscriptSchema,
  writeTranscript,
  type TranscriptRead,
} from "./transcript.js";

/** Log entries per answer when `logLimit` is not given and repeats are not collapsed. */
export const DEFAULT_LOG_LIMIT = 50;
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
  transcript: TranscriptSchema.optional().describe("A chat's messages"),
});

type GetSessionArgs = z.infer<typeof getSessionInput>;
type GetSessionOutput = z.infer<typeof getSessionOutput>;

const DESCRIPTION =
  "Read one Evo Voice session: when, who called whom, the outcome, its members (participants with roles and call states), a chat's transcript and its log (the step-by-step timeline). Repeated log lines (hold music, queue position) are collapsed into one line with a count; long logs page through logOffset/logLimit, and logContains keeps only entries with some text. Use list_sessions first to find the id.";

/** Registers `get_session`. */
export function registerGetSession(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "get_session",
    {
      title: "Read one Evo Voice session",
      description: DESCRIPTION,
      inputSchema: getSessionInput,
      outputSchema: getSessionOutput,
    },
    (args, extra) =>
      runTool(
        ctx,
        async () => {
          const session = await ctx.client.getSession(args.id, { signal: extra.signal });
          ctx.directory.noteSession(session);
          const transcript = await readTranscript(ctx, session, extra.signal);
          return renderSession(ctx, session, args, transcript);
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

/** A session as text and structured data, fitted together to the budget; shared with the session resource. */
export function renderSession(
  ctx: EvoSessionsContext,
  session: SessionInfo,
  args: Omit<GetSessionArgs, "id"> & { id?: string },
  transcript?: TranscriptRead,
): CallToolResult & { structuredContent: GetSessionOutput } {
  const timeZone = ctx.config.timeZone;
  const id = session.id ?? args.id ?? "?";
  const answer = new Answer(ctx, headerLines(session, id, timeZone));
  const collapse = args.collapseRepeats ?? true;
  const logOffset = args.logOffset ?? 0;
  // The JSON is part of the answer's size: its fixed part is paid first, then each member and
  // log line pays for its text and its JSON together.
  const summary = summarizeSession(session, "full");
  const members = summary.members ?? [];
  summary.members = [];
  const structured: GetSessionOutput = {
    backend: ctx.backend.kind,
    session: summary,
    membersLeftOut: 0,
    log: { ...EMPTY_LOG, offset: logOffset, entries: [] },
  };
  answer.spend(jsonChars(structured) + 40);
  const ended = hasEnded(session);
  answer.line(`Members (${members.length}):`);
  const shown = answer.fit(members, (member) => ({
    text: memberLine(member, ended),
    extraChars: jsonChars(member) + 1,
    onAdded: () => summary.members?.push(member),
  }));
  if (shown < members.length) {
    structured.membersLeftOut = members.length - shown;
    answer.leftOut(
      counted(members.length - shown, "more member"),
      "raise EVO_SESSIONS_TOKEN_BUDGET to see them",
    );
  }
  if (transcript !== undefined)
    structured.transcript = writeTranscript(answer, transcript, timeZone);
  const start = startedAt(session);
  structured.log = writeLog(
    session,
    {
      offset: logOffset,
      limit: args.logLimit ?? (collapse ? MAX_LOG_LIMIT : DEFAULT_LOG_LIMIT),
      collapse,
      contains: args.logContains?.trim() ?? "",
    },
    {
      answer,
      timeZone,
      startDay: start === undefined ? undefined : zonedText(start, timeZone).day,
      ended,
      sessionId: id,
    },
  );
  return answer.result(structured);
}

/** The log's JSON while empty, to pay for its fixed part up front. */
const EMPTY_LOG: GetSessionOutput["log"] = {
  total: 0,
  matching: 0,
  offset: 0,
  returned: 0,
  hasMore: false,
  nextLogOffset: 0,
  leftOutForBudget: 0,
  entries: [],
};

/** Who, when, what became of it: the lines above the members and the log. */
function headerLines(session: SessionInfo, id: string, timeZone: string): string[] {
  const account = session.accountName
    ? `${session.accountName} (${session.accountId ?? "?"})`
    : (session.accountId ?? "unknown account");
  const { from, to } = describeParties(session);
  const ended = hasEnded(session);
  const state = [
    `Outcome: ${describeOutcome(session)}`,
    session.callState && !ended ? `call state ${session.callState}` : undefined,
    session.queueState && session.queueState !== "None" ? `queue ${session.queueState}` : undefined,
    session.holdQueueName ? `hold queue ${clip(session.holdQueueName, 40)}` : undefined,
  ];
  const who = [
    labelled("Customer", session.customerName, session.customerId),
    labelled("Endpoint", session.endpointName, session.endpointId),
    labelled("Answered by", session.answeredByName, session.answeredById),
  ].filter((part) => part !== undefined);
  return [
    `Session ${id} · account ${account}`,
    whenLine(session, timeZone),
    `${firstText(session.direction) ?? "Unknown direction"}${session.channel ? ` ${session.channel}` : ""} · from ${from} → ${to}`,
    state.filter(Boolean).join(" · "),
    ...(who.length > 0 ? [who.join(" · ")] : []),
  ];
}

/** `Started 2026-03-11 Wed 14:02:05 (UTC) · ended 14:05:17 (3m 12s)`. */
function whenLine(session: SessionInfo, timeZone: string): string {
  const start = startedAt(session);
  const end = endedAt(session);
  const at = start === undefined ? undefined : zonedText(start, timeZone);
  const startWords =
    at === undefined ? "at an unknown time" : `${at.day} ${at.weekday} ${at.timeWithSeconds}`;
  const duration = durationMs(session);
  const endWords =
    end === undefined
      ? hasEnded(session)
        ? " · ended"
        : " · not ended"
      : ` · ended ${zonedText(end, timeZone).timeWithSeconds}${duration === undefined ? "" : ` (${formatDuration(duration)})`}`;
  return `Started ${startWords} (${timeZone})${endWords}`;
}

/** `Customer: Acme (c_1)`, or undefined when neither name nor id is known. */
function labelled(
  label: string,
  name: string | null | undefined,
  id: string | null | undefined,
): string | undefined {
  if (!name && !id) return undefined;
  return `${label}: ${name ?? ""}${id ? ` (${id})` : ""}`;
}
