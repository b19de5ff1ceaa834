import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { parseEvoDate, type SessionInfo } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip, TextBudget } from "../format/budget.js";
import {
  describeOutcome,
  describeParties,
  SessionSummarySchema,
  summarizeMembers,
  summarizeSession,
} from "../format/session-summary.js";
import { formatDuration, sessionDurationMs, toIso, zonedText } from "../format/time.js";
import { BackendSchema, READ_ONLY_ANNOTATIONS } from "./common-schemas.js";
import { backendNotice, failureResult } from "./results.js";

/** Log entries per answer when `logLimit` is not given. */
export const DEFAULT_LOG_LIMIT = 50;
/** Largest `logLimit`. */
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
      `Most log entries to show (default ${DEFAULT_LOG_LIMIT}, max ${MAX_LOG_LIMIT}); fewer when the answer reaches its size budget.`,
    ),
  logContains: z
    .string({ error: "must be text" })
    .max(200, { error: "is at most 200 characters" })
    .optional()
    .describe(
      'Only log entries containing this text (case-insensitive), e.g. "voicemail", "transfer", "hangup".',
    ),
});

const LogEntrySchema = z.object({
  index: z.number().describe("0-based position in the full log"),
  at: z.string().optional().describe("ISO 8601 UTC"),
  message: z.string(),
});

/** Structured answer of `get_session`. */
export const getSessionOutput = z.object({
  backend: BackendSchema,
  session: SessionSummarySchema.describe("The session with its members; its log is in `log`"),
  log: z.object({
    total: z.number().describe("Entries in the session's log"),
    matching: z.number().describe("Entries matching logContains (the total without it)"),
    offset: z.number(),
    returned: z.number(),
    hasMore: z.boolean(),
    nextLogOffset: z.number().optional().describe("Pass as logOffset (same logContains) for more"),
    leftOutForBudget: z.number(),
    entries: z.array(LogEntrySchema),
  }),
});

type GetSessionArgs = z.infer<typeof getSessionInput>;

const DESCRIPTION =
  "Read one Evo Voice session: when, who called whom, the outcome, its members (participants with roles and call states) and its log (the step-by-step timeline). Long logs (hundreds of entries) come a page at a time: logOffset/logLimit, and logContains to keep only entries with some text. Use list_sessions first to find the id.";

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
    async (args, extra) => {
      try {
        const session = await ctx.client.getSession(args.id, { signal: extra.signal });
        ctx.directory.noteSession(session);
        return renderSession(ctx, session, args);
      } catch (error) {
        return failureResult(ctx, error);
      }
    },
  );
}

/** A session as text (fitted to the budget) and structured data; shared with the session resource. */
export function renderSession(
  ctx: EvoSessionsContext,
  session: SessionInfo,
  args: Omit<GetSessionArgs, "id"> & { id?: string },
): CallToolResult & { structuredContent: z.infer<typeof getSessionOutput> } {
  const timeZone = ctx.config.timeZone;
  const logOffset = args.logOffset ?? 0;
  const logLimit = args.logLimit ?? DEFAULT_LOG_LIMIT;
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
  const state = [
    `Outcome: ${describeOutcome(session)}`,
    session.callState ? `call state ${session.callState}` : undefined,
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

  const members = summarizeMembers(session.members);
  budget.force(`Members (${members.length}):`);
  for (const member of members) {
    const line = `  - ${clip(member.displayName ?? member.identity ?? "?", 40)}${member.identity && member.identity !== member.displayName ? ` <${clip(member.identity, 40)}>` : ""} · ${member.role ?? "no role"} · ${member.callState ?? "?"}${member.endpointId ? ` · endpoint ${member.endpointId}` : ""}${member.isOriginalMember === true ? " · original" : ""}`;
    if (!budget.tryAdd(line)) {
      budget.force(`  … and ${members.length - members.indexOf(member)} more members`);
      break;
    }
  }

  const log = session.log ?? [];
  const matching = log
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => needle === "" || (entry.message ?? "").toLowerCase().includes(needle));
  const page = matching.slice(logOffset, logOffset + logLimit);
  const filterWords = needle === "" ? "" : ` matching "${args.logContains?.trim()}"`;
  budget.force(
    page.length === 0
      ? matching.length === 0
        ? `Log: ${log.length} entries, none${filterWords}.`
        : `Log: ${matching.length} entries${filterWords}; logOffset ${logOffset} is past the end.`
      : `Log entries ${logOffset + 1}–${logOffset + page.length} of ${matching.length}${filterWords}${needle === "" ? "" : ` (${log.length} in all)`}:`,
  );
  const shown: typeof page = [];
  let lastDay = startParts?.day;
  for (const item of page) {
    const at = parseEvoDate(item.entry.date);
    let stamp = "--:--:--";
    if (at !== undefined) {
      const parts = zonedText(at, timeZone);
      stamp =
        parts.day === lastDay ? parts.timeWithSeconds : `${parts.day} ${parts.timeWithSeconds}`;
      lastDay = parts.day;
    }
    const line = `  ${stamp} ${clip(item.entry.message ?? "", 300)}`;
    if (shown.length > 0 && !budget.tryAdd(line)) break;
    if (shown.length === 0) budget.force(line);
    shown.push(item);
  }
  const leftOut = page.length - shown.length;
  const nextLogOffset = logOffset + shown.length;
  const hasMore = nextLogOffset < matching.length && shown.length > 0;
  if (leftOut > 0) {
    budget.force(
      `Left out: ${leftOut} more requested log entries did not fit the answer's size budget (${ctx.config.tokenBudget} tokens).`,
    );
  }
  if (hasMore) {
    budget.force(
      `More log (${matching.length - nextLogOffset} entries): call get_session with id="${id}" logOffset=${nextLogOffset}${needle === "" ? "" : ` and the same logContains`}.`,
    );
  }

  const structuredContent: z.infer<typeof getSessionOutput> = {
    backend: ctx.backend.kind,
    session: summarizeSession(session, "full"),
    log: {
      total: log.length,
      matching: matching.length,
      offset: logOffset,
      returned: shown.length,
      hasMore,
      ...(hasMore ? { nextLogOffset } : {}),
      leftOutForBudget: leftOut,
      entries: shown.map(({ entry, index }) => {
        const at = toIso(entry.date);
        return { index, ...(at === undefined ? {} : { at }), message: entry.message ?? "" };
      }),
    },
  };
  return { content: [{ type: "text", text: budget.text() }], structuredContent };
}
