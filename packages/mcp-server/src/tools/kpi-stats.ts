/**
 * session_stats' KPI answers: the totals of core's analysis, a shape (`by`), the worst groups by
 * a KPI (`worst`) and the previous period (`compare`). Defaults answer "how did we do this
 * week?". Counting by outcome, direction, channel or missed stays in session-stats.ts.
 */
import { z } from "zod";
import {
  addDays,
  RankingKpis,
  worstGroups,
  type AnalyticsReport,
  type GroupDimension,
  type KpiGroup,
  type Kpis,
  type PeriodReport,
  type RankingKpi,
  type ResolvedRange,
} from "@evo-sessions/core";
import type { CallToolResult } from "@modelcontextprotocol/server";
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
  kpiLines,
  kpisJson,
  KpisSchema,
  pct,
  runAnalysis,
} from "./analytics.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import { MAX_ACCOUNTS_LISTED, sandboxFlag } from "./common-schemas.js";
import type { ResolvedFilters } from "./filters.js";
import { busiestLine, filledGroups, shapeDimension } from "./kpi-shapes.js";

/** Shapes with KPIs per group (core's dimensions). */
export const KPI_BY = [
  "hour",
  "weekday",
  "heatmap",
  "day",
  "week",
  "account",
  "customer",
  "endpoint",
  "agent",
] as const satisfies readonly GroupDimension[];
export type KpiBy = (typeof KPI_BY)[number];

/** Groups offered fewer calls are not ranked by `worst` (two calls, one missed, is noise). */
export const WORST_MIN_OFFERED = 5;
/** Most group rows an answer lists. */
const MAX_GROUP_ROWS = 40;

/** The KPI arguments of session_stats (`by` is declared there, with the count shapes). */
export const kpiArgsShape = {
  compare: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe("Also the previous period, with changes"),
  worst: z
    .enum(RankingKpis, { error: `must be one of ${RankingKpis.join(", ")}` })
    .optional()
    .describe(`Rank by groups (default account) worst first; ≥${WORST_MIN_OFFERED} offered`),
};

const GroupSchema = z.object({
  key: z.string(),
  label: z.string(),
  sessions: z.number(),
  offered: z.number(),
  answered: z.number(),
  missed: z.number(),
  answerRate: z.number().optional(),
  abandonRate: z.number().optional(),
  serviceLevel: z.number().optional(),
  asaS: z.number().optional(),
});

/** The KPI fields of session_stats' structured answer (shares 0..1, times in seconds). */
export const kpiOutputShape = {
  definitions: DefinitionsSchema.optional(),
  totals: KpisSchema.optional(),
  // Like totals, and the change (now − before; rates in points); listed loosely for size.
  previous: z.record(z.string(), z.unknown()).optional(),
  groups: z
    .array(GroupSchema)
    .optional()
    .describe(
      "{key,label,sessions,offered,answered,missed,answerRate,abandonRate,serviceLevel,asaS}",
    ),
  groupsLeftOut: z.number().optional(),
  worst: z.object({ kpi: z.string(), minOffered: z.number() }).optional(),
  // Mon…Sun → { offered, missed }: 24 hourly counts each.
  heatmap: z.record(z.string(), z.unknown()).optional(),
  completeness: CompletenessSchema.optional(),
  source: SourceSchema.optional(),
};

/** What kpiStats needs of the call. */
export interface KpiRequest {
  by: KpiBy | undefined;
  compare: boolean;
  worst: RankingKpi | undefined;
  /** The range argument, for the calendar-aligned previous period. */
  range: string | undefined;
  cap: number;
  /** Why the shape differs from the one asked (a long span by week). */
  note?: string | undefined;
}

/** Analyses the resolved filters and answers with the KPIs asked for. */
export function kpiStats(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  request: KpiRequest,
  extra: ToolExtra,
): Promise<CallToolResult> {
  return withSessionSource(ctx, (reading) => analyseKpis(ctx, resolved, request, extra, reading));
}

async function analyseKpis(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  request: KpiRequest,
  extra: ToolExtra,
  reading: Reading,
): Promise<CallToolResult> {
  const asked: GroupDimension | undefined = request.by ?? (request.worst ? "account" : undefined);
  const shape =
    asked === undefined ? undefined : shapeDimension(asked, resolved.query.resolvedRange);
  const dimension = shape?.dimension;
  const aligned = request.compare ? alignedPrevious(resolved, request.range) : undefined;
  const report = await runAnalysis(
    ctx,
    resolved,
    {
      ...(dimension === undefined ? {} : { groupBy: [dimension] }),
      compare: request.compare && aligned === undefined,
      cap: request.cap,
      source: reading.source,
    },
    extra,
  );
  if (aligned !== undefined) {
    const previous = await runAnalysis(
      ctx,
      { ...resolved, query: aligned },
      { cap: request.cap, source: reading.source },
      extra,
    );
    report.previous = previous;
  }
  return answerKpis(
    ctx,
    resolved,
    report,
    { ...request, by: dimension as KpiBy | undefined, note: shape?.note },
    reading,
  );
}

/**
 * The previous period people mean for calendar ranges: this week so far against the same
 * weekdays last week (not the weekend before it), a month against the month before. Undefined
 * for the others: core's same-length-just-before is right for them.
 */
function alignedPrevious(resolved: ResolvedFilters, range: string | undefined) {
  const window = resolved.query.resolvedRange;
  if (window === undefined) return undefined;
  const days = (start: string, end: string) =>
    resolved.query.localDays(start, end, { timeZone: window.timeZone });
  const { localStartDate: start, localEndDate: end } = window;
  if (range === "this_week") return days(addDays(start, -7), addDays(end, -7));
  if (range === "this_month") return days(monthEarlier(start), monthEarlier(end));
  if (range === "last_month") return days(monthEarlier(start), addDays(start, -1));
  return undefined;
}

/** The same day of the month before, clamped to its length (31 Mar → 28 Feb). */
function monthEarlier(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** Changes from the previous period: counts as differences, rates in percentage points. */
function changeOf(now: Kpis, before: Kpis): Record<string, number> {
  const out: Record<string, number> = {
    offered: now.offered - before.offered,
    answered: now.answered - before.answered,
    missed: now.missed - before.missed,
  };
  for (const key of ["answerRate", "abandonRate", "serviceLevel"] as const) {
    const a = now[key];
    const b = before[key];
    if (a !== undefined && b !== undefined) out[key] = Math.round((a - b) * 1000) / 10;
  }
  if (now.asaMs !== undefined && before.asaMs !== undefined)
    out.asaS = Math.round((now.asaMs - before.asaMs) / 1000);
  return out;
}

function signed(value: number, unit = ""): string {
  return `${value > 0 ? "+" : value < 0 ? "−" : "±"}${Math.abs(value)}${unit}`;
}

/** `Change: offered −10 · answer rate −3.1 pts · …`. */
function changeLine(change: Record<string, number>): string {
  const parts = [
    `offered ${signed(change.offered ?? 0)}`,
    `missed ${signed(change.missed ?? 0)}`,
    ...(change.answerRate === undefined
      ? []
      : [`answer rate ${signed(change.answerRate, " pts")}`]),
    ...(change.abandonRate === undefined
      ? []
      : [`abandon rate ${signed(change.abandonRate, " pts")}`]),
    ...(change.serviceLevel === undefined
      ? []
      : [`service level ${signed(change.serviceLevel, " pts")}`]),
    ...(change.asaS === undefined ? [] : [`ASA ${signed(change.asaS, "s")}`]),
  ];
  return `Change vs previous: ${parts.join(" · ")}`;
}

type KpiOutput = Record<string, unknown>;

/** The answer: totals, the previous period, the groups, then definitions and completeness. */
function answerKpis(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  report: AnalyticsReport,
  request: KpiRequest,
  reading: Reading,
): CallToolResult {
  const answer = new Answer(ctx, [
    resolved.accountsLine,
    resolved.filtersLine,
    ...(resolved.namesLine === undefined ? [] : [resolved.namesLine]),
    ...resolved.warnings,
  ]);
  const sl = report.thresholds.serviceLevelMs;
  answer.line(`KPIs, ${report.window?.label ?? "all dates"}:`);
  for (const line of kpiLines(report.totals, sl)) answer.line(line);
  const structured: KpiOutput = {
    ...sandboxFlag(ctx.backend.kind),
    accounts: accountsForAnswer(resolved, []).slice(0, MAX_ACCOUNTS_LISTED),
    accountsSearched: resolved.accounts.length,
    filters: appliedFilters(resolved, ctx.config.timeZone),
    ...(request.by === undefined ? {} : { by: request.by }),
    definitions: definitionsJson(report),
    totals: kpisJson(report.totals),
    completeness: completenessJson(report, request.cap),
    ...sourceField(reading),
  };
  if (report.previous !== undefined)
    previousLines(answer, report.previous, report, structured, request.cap);
  answer.spend(jsonChars(structured) + 80);
  const closing = [
    definitionsLine(report),
    ...completenessLines(report, request.cap),
    ...sourceLines(reading),
  ];
  answer.spend(closing.join("\n").length);
  if (request.by !== undefined) {
    const groups = report.groups[request.by] ?? [];
    if (request.by === "heatmap") heatmapLines(answer, groups, structured);
    else groupLines(answer, groups, request, structured, report.window);
  }
  answer.spend(-closing.join("\n").length);
  for (const line of closing) answer.line(line);
  return answer.result(structured);
}

function previousLines(
  answer: Answer,
  previous: PeriodReport,
  report: AnalyticsReport,
  structured: KpiOutput,
  cap: number,
): void {
  const window = previous.window?.label ?? "previous period";
  answer.line(`Previous period, ${window}:`);
  for (const line of kpiLines(previous.totals, report.thresholds.serviceLevelMs)) answer.line(line);
  const change = changeOf(report.totals, previous.totals);
  answer.line(changeLine(change));
  for (const line of completenessLines(previous, cap))
    if (!line.startsWith("Complete")) answer.line(`Previous period: ${line}`);
  structured.previous = {
    window,
    totals: kpisJson(previous.totals),
    change,
    completeness: completenessJson(previous, cap),
  };
}

function groupJson(group: KpiGroup): z.infer<typeof GroupSchema> {
  const k = kpisJson(group.kpis);
  const out: z.infer<typeof GroupSchema> = {
    key: group.key,
    label: group.label,
    sessions: k.sessions,
    offered: k.offered,
    answered: k.answered,
    missed: k.missed,
  };
  for (const key of ["answerRate", "abandonRate", "serviceLevel", "asaS"] as const)
    if (k[key] !== undefined) out[key] = k[key];
  return out;
}

/** `Harbor Legal (acc_4): 40 offered · 85.0% answered · 7.5% abandoned · SL 70.0% · 6 missed`. */
function groupText(group: KpiGroup, withKey: boolean): string {
  const k = group.kpis;
  const name =
    withKey && group.key !== "" && group.key !== group.label
      ? `${group.label} (${group.key})`
      : group.label;
  const calls =
    k.offered > 0
      ? `${k.offered} offered · ${pct(k.answerRate)} answered · ${pct(k.abandonRate)} abandoned · SL ${pct(k.serviceLevel)} · ${k.missed} missed`
      : "no inbound calls";
  return `  ${name}: ${calls} · ${counted(k.sessions, "session")}`;
}

function groupLines(
  answer: Answer,
  all: KpiGroup[],
  request: KpiRequest,
  structured: KpiOutput,
  window: ResolvedRange | undefined,
): void {
  const by = request.by as KpiBy;
  const withKey = ["account", "customer", "endpoint", "agent"].includes(by);
  const groups =
    request.worst === undefined
      ? filledGroups(by, all, window)
      : worstGroups(all, request.worst, all.length, WORST_MIN_OFFERED);
  if (request.worst !== undefined) {
    structured.worst = { kpi: request.worst, minOffered: WORST_MIN_OFFERED };
    answer.line(
      groups.length === 0
        ? `No ${request.by} was offered ${WORST_MIN_OFFERED} or more calls: nothing to rank by ${request.worst}.`
        : `By ${request.by}, worst ${request.worst} first (only those offered ≥${WORST_MIN_OFFERED} calls; ${all.length - groups.length} not ranked):`,
    );
  } else
    answer.line(
      `By ${by}${request.note === undefined ? "" : ` (${request.note})`}, ${counted(groups.length, "row")}:`,
    );
  const rows: z.infer<typeof GroupSchema>[] = [];
  const shown = answer.fit(
    groups,
    (group) => {
      const json = groupJson(group);
      return {
        text: groupText(group, withKey),
        extraChars: jsonChars(json) + 1,
        onAdded: () => rows.push(json),
      };
    },
    // Time rows are bounded by the shape itself (24 hours, ≤62 days); the others by a row count.
    withKey ? { max: MAX_GROUP_ROWS } : {},
  );
  structured.groups = rows;
  const busiest = request.worst === undefined ? busiestLine(by, groups) : undefined;
  if (busiest !== undefined) answer.line(busiest);
  if (shown < groups.length) {
    structured.groupsLeftOut = groups.length - shown;
    answer.leftOut(
      counted(groups.length - shown, "more group"),
      "narrow the filters or use a coarser by",
    );
  }
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The heatmap as seven lines of 24 hourly counts of offered calls (missed in the JSON too). */
function heatmapLines(answer: Answer, cells: KpiGroup[], structured: KpiOutput): void {
  const grid: Record<string, { offered: number[]; missed: number[] }> = {};
  for (const day of WEEKDAYS) grid[day] = { offered: Array(24).fill(0), missed: Array(24).fill(0) };
  let busiest: { label: string; offered: number } | undefined;
  for (const cell of cells) {
    const [weekday, hour] = cell.key.split(":").map(Number);
    if (weekday === undefined || hour === undefined || !Number.isFinite(hour)) continue;
    const row = grid[WEEKDAYS[(weekday + 6) % 7] as string];
    if (row === undefined) continue;
    row.offered[hour] = cell.kpis.offered;
    row.missed[hour] = cell.kpis.missed;
    if (cell.kpis.offered > (busiest?.offered ?? 0))
      busiest = { label: cell.label, offered: cell.kpis.offered };
  }
  answer.line("Offered calls by weekday × hour (00 … 23):");
  for (const day of WEEKDAYS) answer.line(`  ${day} ${grid[day]?.offered.join(" ")}`);
  if (busiest !== undefined)
    answer.line(`Busiest hour: ${busiest.label} (${busiest.offered} offered).`);
  structured.heatmap = grid;
}
