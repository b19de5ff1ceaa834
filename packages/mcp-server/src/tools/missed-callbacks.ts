/**
 * `missed_callbacks`: "which missed calls have we not called back?" — core's callback closure
 * (a missed inbound call is closed by a later connected outgoing call to the number, or a later
 * answered call from it, within the callback window), the open ones grouped by caller, most
 * attempts first, then the longest wait. Compact: one line per caller with the number to call.
 */
import { z } from "zod";
import {
  formatDuration,
  formatWhen,
  type AnalyticsReport,
  type CallbackReport,
  type OpenCallback,
} from "@evo-sessions/core";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import type { EvoSessionsContext } from "../context.js";
import {
  SourceSchema,
  sourceField,
  sourceLines,
  withSessionSource,
  type Reading,
} from "../store/session-source.js";
import { Answer, counted, jsonChars, type ToolExtra } from "./answer.js";
import {
  completenessJson,
  CompletenessSchema,
  completenessLines,
  definitionsJson,
  DefinitionsSchema,
  definitionsLine,
  missedWords,
  runAnalysis,
} from "./analytics.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import {
  AccountRefSchema,
  MAX_ACCOUNTS_LISTED,
  SandboxFlagSchema,
  sandboxFlag,
} from "./common-schemas.js";
import { filterShapeFor, resolveFilters, sharedFilter, type ResolvedFilters } from "./filters.js";
import { registerEvoTool } from "./register.js";
import { runTool } from "./results.js";

/** Callers listed when `limit` is not given, and at most. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** Callers core is asked for (the count of callers waiting is exact up to this). */
const QUEUE_READ = 1000;

/** Arguments: where and when (the filter arguments' own schemas and words), and how many callers. */
export function missedCallbacksInputFor(timeZone: string) {
  const f = filterShapeFor(timeZone);
  return z.strictObject({
    accountIds: sharedFilter(f.accountIds),
    range: sharedFilter(f.range, "Default last_7_days"),
    startDate: sharedFilter(f.startDate),
    endDate: sharedFilter(f.endDate),
    limit: z
      .number({ error: `must be a whole number from 1 to ${MAX_LIMIT}` })
      .int({ error: `must be a whole number from 1 to ${MAX_LIMIT}` })
      .min(1, { error: "must be at least 1" })
      .max(MAX_LIMIT, { error: `must be at most ${MAX_LIMIT}` })
      .optional()
      .describe(`Default ${DEFAULT_LIMIT}`),
  });
}
type Args = z.infer<ReturnType<typeof missedCallbacksInputFor>>;

const CallerSchema = z.object({
  number: z.string().describe("E.164 where it parses"),
  name: z.string().optional(),
  attempts: z.number(),
  reasons: z.array(z.string()).describe("Why each attempt was missed, oldest first"),
  firstMissedAt: z.string(),
  lastMissedAt: z.string(),
  waitingS: z.number(),
  accountId: z.string().optional(),
  account: z.string().optional(),
  customer: z.string().optional(),
  called: z.string().optional().describe("The endpoint or number the caller tried"),
  sessionId: z.string().optional().describe("The latest missed session"),
});

export const missedCallbacksOutput = z.object({
  sandbox: SandboxFlagSchema,
  accounts: z.array(AccountRefSchema),
  accountsSearched: z.number(),
  // The filters as a plain record: their words are in the text, and tools/list stays small.
  filters: z.record(z.string(), z.unknown()),
  definitions: DefinitionsSchema,
  missed: z.number(),
  closed: z.number(),
  closedByCallback: z.number(),
  closedByAnsweredCall: z.number(),
  open: z.number().describe("Missed calls still open"),
  callersWaiting: z.number(),
  withoutNumber: z.number(),
  medianTimeToCallbackS: z.number().optional(),
  callers: z
    .array(CallerSchema)
    .describe(
      "{number (E.164), name, attempts, reasons, lastMissedAt, waitingS, called, sessionId}",
    ),
  callersLeftOut: z.number(),
  closers: z.array(z.object({ name: z.string(), closed: z.number() })),
  completeness: CompletenessSchema,
  source: SourceSchema.optional(),
});
type Output = z.infer<typeof missedCallbacksOutput>;

const DESCRIPTION =
  "Missed callers not yet called back (most attempts, longest wait first): number, why missed, account, line; who closed the others. Filters as list_sessions.";

/** Registers `missed_callbacks`. */
export function registerMissedCallbacks(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "missed_callbacks",
    {
      title: "Missed calls not called back",
      description: DESCRIPTION,
      inputSchema: missedCallbacksInputFor(ctx.config.timeZone),
      outputSchema: missedCallbacksOutput,
    },
    (args, extra) => runTool(ctx, () => missedCallbacks(ctx, args, extra)),
  );
}

async function missedCallbacks(
  ctx: EvoSessionsContext,
  args: Args,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const dated =
    args.range !== undefined || args.startDate !== undefined || args.endDate !== undefined;
  const filters = { ...args, ...(dated ? {} : { range: "last_7_days" }) };
  delete (filters as { limit?: number }).limit;
  const resolved = await resolveFilters(ctx, filters, { signal: extra.signal, counting: true });
  const cap = ctx.config.statsMaxSessions;
  return withSessionSource(ctx, async (reading) => {
    const options = { callbacks: { limit: QUEUE_READ }, cap, source: reading.source };
    const report = await runAnalysis(ctx, resolved, options, extra);
    return answerCallbacks(ctx, args, resolved, report, { cap, reading });
  });
}

/** The answer: the summary, the callers within the budget, then who closed, definitions, source. */
function answerCallbacks(
  ctx: EvoSessionsContext,
  args: Args,
  resolved: ResolvedFilters,
  report: AnalyticsReport,
  { cap, reading }: { cap: number; reading: Reading },
): CallToolResult {
  const callbacks = report.callbacks as CallbackReport;
  const answer = new Answer(ctx, [
    resolved.accountsLine,
    resolved.filtersLine,
    ...resolved.warnings,
  ]);
  answer.line(summaryLine(callbacks, report.window?.label ?? "all dates"));
  const structured: Output = {
    ...sandboxFlag(ctx.backend.kind),
    accounts: accountsForAnswer(resolved, []).slice(0, MAX_ACCOUNTS_LISTED),
    accountsSearched: resolved.accounts.length,
    filters: appliedFilters(resolved, ctx.config.timeZone),
    definitions: definitionsJson(report),
    missed: callbacks.missed,
    closed: callbacks.closed,
    closedByCallback: callbacks.closedByCallback,
    closedByAnsweredCall: callbacks.closedByAnsweredCall,
    open: callbacks.open,
    callersWaiting: callbacks.queue.length,
    withoutNumber: callbacks.withoutNumber,
    ...(callbacks.medianTimeToCallbackMs === undefined
      ? {}
      : { medianTimeToCallbackS: Math.round(callbacks.medianTimeToCallbackMs / 1000) }),
    callers: [],
    callersLeftOut: 0,
    closers: callbacks.closers.slice(0, 5),
    completeness: completenessJson(report, cap),
    ...sourceField(reading),
  };
  const closing = [
    ...closersLine(callbacks),
    definitionsLine(report),
    ...completenessLines(report, cap),
    ...sourceLines(reading),
  ];
  answer.spend(jsonChars(structured) + closing.join("\n").length + 200);
  fitCallers(ctx, answer, callbacks.queue, args.limit ?? DEFAULT_LIMIT, structured);
  answer.spend(-closing.join("\n").length);
  for (const line of closing) answer.line(line);
  return answer.result(structured);
}

/** `Open: 12 callers (15 missed calls) of 40 missed; 25 closed (18 called back, 7 answered later), median 2h 10m.` */
function summaryLine(c: CallbackReport, window: string): string {
  const callers =
    c.queue.length >= QUEUE_READ ? `${QUEUE_READ}+ callers` : counted(c.queue.length, "caller");
  const median =
    c.medianTimeToCallbackMs === undefined
      ? ""
      : `, median time to callback ${formatDuration(c.medianTimeToCallbackMs)}`;
  const without = c.withoutNumber > 0 ? `; ${c.withoutNumber} without a number to call` : "";
  return `Missed calls ${window}: ${c.missed}. Still open: ${counted(c.open, "call")} from ${callers}; closed ${c.closed} (${c.closedByCallback} called back, ${c.closedByAnsweredCall} answered when they called again${median})${without}.`;
}

function closersLine(c: CallbackReport): string[] {
  if (c.closers.length === 0) return [];
  return [
    `Closed most: ${c.closers
      .slice(0, 5)
      .map((x) => `${x.name} ${x.closed}`)
      .join(", ")}.`,
  ];
}

function callerJson(open: OpenCallback): z.infer<typeof CallerSchema> {
  const out: z.infer<typeof CallerSchema> = {
    number: open.number,
    attempts: open.attempts,
    reasons: open.reasons,
    firstMissedAt: open.firstMissedAt,
    lastMissedAt: open.lastMissedAt,
    waitingS: Math.round(open.ageMs / 1000),
  };
  const optional = {
    name: open.callerName,
    accountId: open.accountId,
    account: open.accountName,
    customer: open.customerName,
    called: open.calledEndpoint,
    sessionId: open.sessionIds[0],
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined && value !== "") Object.assign(out, { [key]: value });
  return out;
}

/** `1. +15551234567 Jane Roe · 3 tries (2 no-answer, 1 voicemail) · last … · waiting 2d 6h · Acme · to Front Desk · session s1`. */
function callerLine(
  rank: number,
  c: z.infer<typeof CallerSchema>,
  timeZone: string,
  showAccount: boolean,
): string {
  const reasons = missedWords(Object.fromEntries(countReasons(c.reasons)));
  const parts = [
    `${rank}. ${c.number}${c.name === undefined ? "" : ` ${c.name}`}`,
    `${counted(c.attempts, "try", "tries")} (${reasons})`,
    c.attempts > 1
      ? `${formatWhen(c.firstMissedAt, timeZone) ?? "?"} – ${formatWhen(c.lastMissedAt, timeZone) ?? "?"}`
      : (formatWhen(c.lastMissedAt, timeZone) ?? "?"),
    `waiting ${waitWords(c.waitingS * 1000)}`,
    showAccount ? (c.account ?? c.accountId) : undefined,
    c.called === undefined ? undefined : `to ${c.called}`,
    c.sessionId === undefined ? undefined : `session ${c.sessionId}`,
  ];
  return parts.filter((part) => part !== undefined).join(" · ");
}

/** `5d 20h` past two days (hours of waiting read badly as `139h 59m`), else core's words. */
function waitWords(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)}d ${hours % 24}h` : formatDuration(ms);
}

function countReasons(reasons: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return counts;
}

function fitCallers(
  ctx: EvoSessionsContext,
  answer: Answer,
  queue: readonly OpenCallback[],
  limit: number,
  structured: Output,
): void {
  if (queue.length === 0) {
    answer.line("Nobody is waiting for a callback.");
    return;
  }
  answer.line("Call back first (most attempts, then the longest wait):");
  const showAccount = structured.accountsSearched !== 1;
  const shown = answer.fit(
    queue,
    (open, index) => {
      const json = callerJson(open);
      return {
        text: callerLine(index + 1, json, ctx.config.timeZone, showAccount),
        extraChars: jsonChars(json) + 1,
        onAdded: () => structured.callers.push(json),
      };
    },
    { max: limit, atLeastOne: true },
  );
  structured.callersLeftOut = queue.length - shown;
  if (shown < queue.length) {
    const why = shown < limit ? "answer size budget" : `limit ${limit}`;
    answer.line(
      `Left out: ${counted(queue.length - shown, "more caller")} (${why}); raise limit or narrow the range or accounts.`,
    );
  }
}
