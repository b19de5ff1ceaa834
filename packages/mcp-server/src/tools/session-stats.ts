import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/server";
import type { CallToolResult } from "@modelcontextprotocol/server";
import {
  formatWhen,
  SCAN_PAGE_SIZE,
  type ScanReport,
  type SessionSource,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import {
  sourceField,
  sourceLines,
  withSessionSource,
  type Reading,
} from "../store/session-source.js";
import { Answer, counted, jsonChars, progressReporter, type ToolExtra } from "./answer.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import {
  AccountRefSchema,
  AppliedFiltersSchema,
  SandboxFlagSchema,
  sandboxFlag,
  MAX_ACCOUNTS_LISTED,
} from "./common-schemas.js";
import {
  filterShape,
  sharedFilterShape,
  pickFilters,
  resolveFilters,
  type ResolvedFilters,
} from "./filters.js";
import { registerEvoTool } from "./register.js";
import { kpiArgsShape, kpiOutputShape, kpiStats, KPI_BY } from "./kpi-stats.js";
import { runTool, ToolArgumentError } from "./results.js";
import {
  GROUP_BY,
  groupKey,
  MAX_ROWS,
  shareOf,
  tableOf,
  UNKNOWN_TIME,
  writeRows,
  type GroupBy,
  type Row,
} from "./stats-table.js";

export { GROUP_BY, type GroupBy };

/** Shapes that count sessions per value (the others give KPIs per group, see kpi-stats.ts). */
export const COUNT_BY = ["outcome", "direction", "channel", "missed"] as const;
/** Every `by` of session_stats. */
export const STATS_BY = [...COUNT_BY, ...KPI_BY] as const;

/** Arguments of `session_stats`. */
export const sessionStatsInput = z.strictObject({
  ...filterShape,
  by: z
    .enum(STATS_BY, { error: `must be one of ${STATS_BY.join(", ")}` })
    .optional()
    .describe("outcome…missed: counts; others: KPIs per group"),
  ...kpiArgsShape,
  maxSessions: z
    .number({ error: "must be a whole number of at least 1" })
    .int({ error: "must be a whole number of at least 1" })
    .min(1, { error: "must be at least 1" })
    .optional()
    .describe("Cap on sessions read"),
});

/** Arguments of `session_stats` (the configured zone is named in the date descriptions). */
export function sessionStatsInputFor(_timeZone: string) {
  return z.strictObject({ ...sessionStatsInput.shape, ...sharedFilterShape });
}

/** Structured answer of `session_stats`. */
export const sessionStatsOutput = z.object({
  sandbox: SandboxFlagSchema,
  accounts: z.array(AccountRefSchema),
  accountsSearched: z.number(),
  filters: AppliedFiltersSchema.describe("As list_sessions"),
  by: z.enum(STATS_BY).optional(),
  grain: z
    .enum(["day", "week", "month"])
    .optional()
    .describe("by day: the length of a row (week: Monday to Sunday, keyed by its Monday)"),
  rows: z
    .array(
      z.object({
        key: z.string(),
        count: z.number(),
        share: z.number().describe("count / matched, 0..1"),
      }),
    )
    .optional(),
  otherGroups: z
    .number()
    .optional()
    .describe(
      `Groups beyond the first ${MAX_ROWS} (or the size budget), summed into a row "other"`,
    ),
  rowsLeftOut: z
    .number()
    .optional()
    .describe("Time rows left out for the size budget (the oldest; their counts are in matched)"),
  matched: z.number().optional().describe("Sessions counted (passing every filter)"),
  scanned: z.number().optional().describe("Sessions read"),
  serverTotal: z.number().optional().describe("Sessions Evo Voice matched, when it said"),
  complete: z.boolean().optional().describe("Every matching session was read"),
  capReached: z.boolean().optional(),
  cap: z.number().optional(),
  ...kpiOutputShape,
});

type SessionStatsArgs = z.infer<typeof sessionStatsInput>;
type SessionStatsOutput = z.infer<typeof sessionStatsOutput>;

const DESCRIPTION =
  'KPIs (offered, answered, missed by reason, answer/abandon rate, service level, ASA) or counts of all matching sessions; default this week. Filters as list_sessions. E.g. {"by":"account","worst":"abandonRate"}, {"compare":true}.';

/** Registers `session_stats`. */
export function registerSessionStats(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "session_stats",
    {
      title: "Count Evo Voice sessions",
      description: DESCRIPTION,
      inputSchema: sessionStatsInputFor(ctx.config.timeZone),
      outputSchema: sessionStatsOutput,
    },
    (args, extra) => runTool(ctx, () => sessionStats(ctx, args, extra)),
  );
}

/** True for a window with both ends (a range, or startDate and endDate). */
function isBounded(window: { from: Date; to: Date } | undefined): boolean {
  // Open ends of local days are the earliest and latest instants a Date holds (±8.64e15 ms).
  return (
    window !== undefined &&
    Math.abs(window.from.getTime()) < 8e15 &&
    Math.abs(window.to.getTime()) < 8e15
  );
}

/** Resolve → scan → answer. */
async function sessionStats(
  ctx: EvoSessionsContext,
  args: SessionStatsArgs,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const cap = Math.min(
    args.maxSessions ?? ctx.config.statsMaxSessions,
    ctx.config.statsMaxSessions,
  );
  const filters = pickFilters(args);
  // The default answers "how did we do this week?"; a call naming its sessions otherwise keeps them.
  // (searchArchive: false is the default, so it names nothing.)
  const open = [args.range, args.startDate, args.endDate, args.specificIds];
  if (open.every((value) => value === undefined) && args.searchArchive !== true) {
    filters.range = "this_week";
  }
  const resolved = await resolveFilters(ctx, filters, { signal: extra.signal, counting: true });
  const by = args.by;
  if (args.compare === true && !isBounded(resolved.query.resolvedRange)) {
    throw new ToolArgumentError(
      "compare",
      "needs a window to compare with the one before it: give range, or startDate and endDate.",
    );
  }
  if (by === undefined || !isCountBy(by)) {
    const request = {
      by,
      compare: args.compare === true,
      worst: args.worst,
      range: filters.range,
      cap,
    };
    return kpiStats(ctx, resolved, request, extra);
  }
  if (args.compare === true || args.worst !== undefined)
    throw new ToolArgumentError(
      args.compare === true ? "compare" : "worst",
      `works with KPI shapes, not by ${by}; omit by or use account, day, hour, …`,
    );
  return withSessionSource(ctx, async (reading) => {
    const tally = await countSessions(ctx, resolved, by, cap, extra, reading.source);
    return answerStats(ctx, resolved, by, tally, reading);
  });
}

function isCountBy(by: string): by is (typeof COUNT_BY)[number] {
  return (COUNT_BY as readonly string[]).includes(by);
}

/** The counts of one scan, and what it read. */
interface Tally {
  counts: Map<string, number>;
  report: Readonly<ScanReport>;
  cap: number;
  /** Start of the first and the last session counted (the span a reached cap covers). */
  firstStart: string | undefined;
  lastStart: string | undefined;
}

/**
 * Reads every matching session oldest first (see resolveFilters' counting), up to the cap, and
 * counts each in its group. Pages of 100 keep progress coming and a cancellation prompt.
 */
async function countSessions(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  groupBy: GroupBy,
  cap: number,
  extra: ToolExtra,
  source: SessionSource,
): Promise<Tally> {
  const scan = source.scan(resolved.query, {
    cap,
    pageSize: Math.min(SCAN_PAGE_SIZE, cap),
    signal: extra.signal,
    onProgress: progressReporter(extra, cap),
  });
  const counts = new Map<string, number>();
  let firstStart: string | undefined;
  let lastStart: string | undefined;
  for await (const { session } of scan) {
    ctx.directory.noteSession(session);
    firstStart ??= session.dateCreated ?? undefined;
    lastStart = session.dateCreated ?? lastStart;
    const key = groupKey(session, groupBy, ctx.config.timeZone);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, report: scan.report, cap, firstStart, lastStart };
}

/** The answer: headline, the table within the budget, the busiest row, then completeness. */
function answerStats(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  groupBy: GroupBy,
  tally: Tally,
  reading: Reading,
): CallToolResult {
  const timeZone = ctx.config.timeZone;
  const { report } = tally;
  const table = tableOf(tally.counts, groupBy, resolved.query.resolvedRange);
  const timeGrouping = groupBy === "day" || groupBy === "hour_of_day";
  const by = table.grain ?? groupBy.replaceAll("_", " ");
  const answer = new Answer(ctx, [
    resolved.accountsLine,
    resolved.filtersLine,
    ...(resolved.namesLine === undefined ? [] : [resolved.namesLine]),
    ...resolved.warnings,
  ]);
  const read = resolved.query.filtersLocally ? ` (of ${report.read} read)` : "";
  answer.line(
    `${counted(report.matched, "session")} counted${read}, by ${by}${timeGrouping ? ` (${timeZone})` : ""}${table.note}:`,
  );
  const structured: SessionStatsOutput = {
    ...sandboxFlag(ctx.backend.kind),
    accounts: accountsForAnswer(resolved, []).slice(0, MAX_ACCOUNTS_LISTED),
    accountsSearched: resolved.accounts.length,
    filters: appliedFilters(resolved, timeZone),
    by: groupBy as (typeof STATS_BY)[number],
    ...(table.grain === undefined ? {} : { grain: table.grain }),
    rows: [],
    otherGroups: 0,
    matched: report.matched,
    scanned: report.read,
    ...(report.serverTotal === undefined ? {} : { serverTotal: report.serverTotal }),
    complete: report.complete,
    capReached: report.capReached,
    cap: tally.cap,
    ...sourceField(reading),
  };
  answer.spend(jsonChars(structured) + 40);
  const written = writeRows(answer, table, report.matched, timeGrouping);
  structured.rows = written.rows.map((row) => ({
    ...row,
    share: shareOf(row.count, report.matched),
  }));
  structured.otherGroups = written.otherGroups;
  if (written.rowsLeftOut > 0) structured.rowsLeftOut = written.rowsLeftOut;
  if (timeGrouping) busiestLine(answer, table.rows, by, report.matched);
  const from = reading.json()?.from === "store" ? "the local store" : "Evo Voice";
  answer.line(completeness(tally, timeZone, from));
  for (const line of sourceLines(reading)) answer.line(line);
  return answer.result(structured);
}

/**
 * "Busiest hour?" is the question behind most time tables: answer it, ties included, over every
 * row (also rows left out for the budget).
 */
function busiestLine(answer: Answer, rows: readonly Row[], by: string, matched: number): void {
  const timed = rows.filter((row) => row.key !== UNKNOWN_TIME);
  const most = Math.max(0, ...timed.map((row) => row.count));
  if (most === 0) return;
  const peaks = timed.filter((row) => row.count === most).map((row) => row.key);
  const listed = `${peaks.slice(0, 5).join(", ")}${peaks.length > 5 ? ` and ${peaks.length - 5} more` : ""}`;
  const each = peaks.length === 1 ? "" : " each";
  answer.line(
    `Busiest ${by}: ${listed} (${counted(most, "session")}${each}, ${(shareOf(most, matched) * 100).toFixed(0)}%).`,
  );
}

/** Whether every matching session was read, or where the cap stopped the count. */
function completeness(tally: Tally, timeZone: string, from: string): string {
  const { report } = tally;
  if (!report.capReached)
    return `Complete: every matching session was read (${report.read} from ${from}).`;
  const span =
    tally.firstStart === undefined
      ? ""
      : ` — the oldest ones, started ${formatWhen(tally.firstStart, timeZone) ?? "?"} to ${formatWhen(tally.lastStart, timeZone) ?? "?"}`;
  const of = report.serverTotal === undefined ? "" : ` of ${report.serverTotal}`;
  return `Cap reached: stopped after reading ${report.read} sessions${of}${span} (cap ${tally.cap}; maxSessions or EVO_SESSIONS_STATS_MAX_SESSIONS); the counts cover only those. Narrow the range or filters for complete counts.`;
}
