import {
  analyzeSessions,
  formatDuration,
  GroupDimensions,
  type AnalyticsReport,
  type GroupDimension,
  type Kpis,
} from "@evo-sessions/core";
import { intOf, listOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { usageError } from "../errors.js";
import { FILTER_OPTIONS, queryOf, zoneOf } from "../filters.js";
import { write } from "../io.js";
import { formatOf, renderTable, OUTPUT_OPTIONS } from "../output.js";
import { startProgress } from "../progress.js";

const { csv: _csv, ...STATS_OUTPUT } = OUTPUT_OPTIONS;

export const statsCommand: Command = {
  name: "stats",
  summary:
    "contact-centre KPIs (core's analytics): answer and abandon rates, ASA, talk time, shapes",
  usage: "evo-sessions stats [filters] [--by DIMS] [--compare] [--callbacks] [--json|--table]",
  options: {
    ...FILTER_OPTIONS,
    ...STATS_OUTPUT,
    by: {
      type: "string",
      short: "b",
      value: "DIMS",
      description: `shapes, comma-separated: ${GroupDimensions.join(", ")}`,
    },
    compare: { type: "boolean", description: "also the previous period of the same length" },
    callbacks: { type: "boolean", description: "the open-callback queue and closure figures" },
    cap: { type: "string", value: "N", description: "most sessions read (default 200000)" },
  },
  details: `Without --range or --start/--end the window is the last 7 days.
Definitions (offered, answer rate, abandon rate, service level, ASA…) are core's; see packages/core/README.md.
Examples:
  evo-sessions stats --range last-week --by day,account --compare
  evo-sessions stats --range today --by heatmap --callbacks --json`,
  run: runStats,
};

async function runStats({ values }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const format = formatOf(values, ctx.io.stdout);
  const timeZone = zoneOf(values, ctx.env.timeZone);
  const windowed =
    values.range !== undefined || values.start !== undefined || values.end !== undefined;
  const query = queryOf(windowed ? values : { ...values, range: "last-7-days" }, {
    timeZone,
    now: ctx.now(),
    defaultAccountIds: ctx.env.defaultAccountIds,
    oldestFirst: true,
  });
  const groupBy = dimensionsOf(listOf(values, "by"));
  const { client } = await ctx.backend();
  const progress = startProgress(ctx.io.stderr, "sessions");
  let report: AnalyticsReport;
  try {
    report = await analyzeSessions(client, query, {
      groupBy,
      compare: values.compare === true,
      callbacks: values.callbacks === true ? { limit: 20 } : false,
      cap: intOf(values, "cap", { min: 1, max: 10_000_000, fallback: 200_000 }),
      timeZone,
      now: ctx.now(),
      signal: ctx.io.signal,
      onProgress: (p) => progress.update(p.read),
    });
  } finally {
    progress.stop();
  }
  await write(
    ctx.io.stdout,
    format === "json" ? `${JSON.stringify(report, null, 2)}\n` : reportText(report, groupBy),
  );
  return 0;
}

function dimensionsOf(names: string[] | undefined): GroupDimension[] {
  return (names ?? []).map((name) => {
    const found = GroupDimensions.find((d) => d === name.toLowerCase());
    if (found === undefined)
      throw usageError(
        "--by",
        `must be among ${GroupDimensions.join(", ")} (got ${JSON.stringify(name)})`,
      );
    return found;
  });
}

const pct = (v: number | undefined) => (v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const dur = (v: number | undefined) => (v === undefined ? "—" : formatDuration(v));

const KPI_ROWS: [string, (k: Kpis) => string][] = [
  ["sessions", (k) => String(k.sessions)],
  ["offered", (k) => String(k.offered)],
  ["answered", (k) => String(k.answered)],
  ["missed", (k) => String(k.missed)],
  ["answer rate", (k) => pct(k.answerRate)],
  ["abandon rate", (k) => pct(k.abandonRate)],
  ["abandon rate excl. short", (k) => pct(k.abandonRateExShort)],
  ["service level", (k) => pct(k.serviceLevel)],
  ["ASA", (k) => dur(k.asaMs)],
  ["time to answer p90", (k) => dur(k.timeToAnswerP90Ms)],
  ["average talk", (k) => dur(k.averageTalkMs)],
  ["outbound", (k) => String(k.outbound)],
  ["chats / faxes", (k) => `${k.chats} / ${k.faxes}`],
];

function reportText(report: AnalyticsReport, groupBy: GroupDimension[]): string {
  const previous = report.previous;
  const head = previous === undefined ? ["kpi", "value"] : ["kpi", "value", "previous"];
  const rows = KPI_ROWS.map(([name, get]) =>
    previous === undefined
      ? [name, get(report.totals)]
      : [name, get(report.totals), get(previous.totals)],
  );
  const c = report.completeness;
  const parts = [
    `${report.query} · times in ${report.timeZone}\n`,
    `${c.matched} sessions read${c.complete ? "" : " (INCOMPLETE: the cap was reached or a read failed)"}\n\n`,
    renderTable(head, rows),
  ];
  for (const dim of groupBy) {
    const groups = report.groups[dim] ?? [];
    const groupRows = groups.map((g) => [
      g.label,
      String(g.kpis.offered),
      String(g.kpis.answered),
      pct(g.kpis.answerRate),
      pct(g.kpis.abandonRate),
      dur(g.kpis.asaMs),
    ]);
    parts.push(
      `\nBy ${dim}\n`,
      renderTable([dim, "offered", "answered", "answer", "abandon", "ASA"], groupRows),
    );
  }
  if (report.callbacks !== undefined) parts.push(callbacksText(report));
  for (const f of c.failures)
    parts.push(`\nfailed: ${f.accountName} (${f.accountId}): ${f.message}\n`);
  return parts.join("");
}

function callbacksText(report: AnalyticsReport): string {
  const cb = report.callbacks!;
  const rows = cb.queue.map((q) => [
    q.callerName ?? q.written,
    q.number,
    String(q.attempts),
    dur(q.ageMs),
    q.accountName ?? "",
  ]);
  return `\nCallbacks: ${cb.missed} missed, ${cb.closed} closed, ${cb.open} open (median time to callback ${dur(cb.medianTimeToCallbackMs)})\n${renderTable(["caller", "number", "attempts", "waiting", "account"], rows)}`;
}
