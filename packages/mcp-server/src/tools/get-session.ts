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
  RefsSchema,
  RefTables,
  summarizeSession,
  type MemberSummary,
} from "../format/session-summary.js";
import { Answer, counted, jsonChars } from "./answer.js";
import { SandboxFlagSchema, sandboxFlag } from "./common-schemas.js";
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
    .describe("From list_sessions"),
  logOffset: wholeNumber(0, 1_000_000)
    .optional()
    .describe("First log entry, 0-based (nextLogOffset)"),
  logLimit: wholeNumber(1, MAX_LOG_LIMIT).optional().describe("Default: as many as fit"),
  logContains: z
    .string({ error: "must be text" })
    .max(200, { error: "is at most 200 characters" })
    .optional()
    .describe('Entries containing, e.g. "transfer"'),
  collapseRepeats: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe("Default true"),
});

const LogLineSchema = z
  .object({
    index: z.number(),
    at: z.string().optional(),
    message: z.string(),
    repeats: z.number().optional(),
    entries: z.number().optional(),
    lastIndex: z.number().optional(),
    lastAt: z.string().optional(),
  })
  .describe(
    'index: in the full log; at: ISO UTC; a collapsed run: message its pattern (lines joined " / "), repeats in a row, entries it stands for, lastIndex/lastAt its last entry',
  );

/** Structured answer of `get_session`. */
export const getSessionOutput = z.object({
  sandbox: SandboxFlagSchema,
  refs: RefsSchema.describe("As list_sessions"),
  session: SessionSummarySchema.describe("As list_sessions' sessions"),
  membersLeftOut: z.number().optional(),
  log: z
    .object({
      total: z.number(),
      matching: z.number(),
      offset: z.number(),
      returned: z.number(),
      hasMore: z.boolean(),
      nextLogOffset: z.number().optional(),
      leftOutForBudget: z.number(),
      entries: z.array(LogLineSchema),
    })
    .describe("nextLogOffset: pass as logOffset"),
  transcript: TranscriptSchema.optional(),
});

type GetSessionArgs = z.infer<typeof getSessionInput>;
type GetSessionOutput = z.infer<typeof getSessionOutput>;

const DESCRIPTION =
  "One session by id: parties, outcome, members, chat transcript and its log (repeats collapsed; page with logOffset).";

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
function memberLine(member: MemberSummary, endpointId: string | undefined, ended: boolean): string {
  const name = member.name ?? member.identity ?? "?";
  const parts = [
    `${clip(name, 40)}${member.identity && member.identity !== name ? ` <${clip(member.identity, 40)}>` : ""}`,
    known(member.role),
    ended ? undefined : known(member.live),
    endpointId ? `endpoint ${endpointId}` : undefined,
    member.orig === true ? "original" : undefined,
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
  const tables = new RefTables();
  const piece = summarizeSession(session, "full", tables);
  piece.commit();
  const summary = piece.summary;
  const members = summary.members ?? [];
  summary.members = [];
  const structured: GetSessionOutput = {
    ...sandboxFlag(ctx.backend.kind),
    refs: tables.refs,
    session: summary,
    log: { ...EMPTY_LOG, offset: logOffset, entries: [] },
  };
  answer.spend(jsonChars(structured) + 40);
  const ended = hasEnded(session);
  answer.line(`Members (${members.length}):`);
  const shown = answer.fit(members, (member, i) => ({
    text: memberLine(member, firstText(session.members?.[i]?.endpointId), ended),
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
