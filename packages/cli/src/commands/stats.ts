import {
  analyzeSessions,
  formatDuration,
  GroupDimensions,
  preferCopy,
  summarizeChoices,
  type AnalyticsReport,
  type EvoVoiceClient,
  type GroupDimension,
  type Kpis,
  type SessionQuery,
  type SessionSource,
  type SourceChoice,
} from "@evo-sessions/core";
import { intOf, listOf, stringOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { usageError } from "../errors.js";
import { FILTER_OPTIONS, queryOf, zoneOf } from "../filters.js";
import { notice, write } from "../io.js";
import { formatOf, renderTable, OUTPUT_OPTIONS } from "../output.js";
import { startProgress } from "../progress.js";
import { openStore, type Store } from "../store/store.js";

const { csv: _csv, ...STATS_OUTPUT } = OUTPUT_OPTIONS;

export const statsCommand: Command = {
  name: "stats",
  summary:
    "contact-centre KPIs (core's analytics): answer and abandon rates, ASA, talk time, shapes",
  usage:
    "evo-sessions stats [filters] [--by DIMS] [--compare] [--callbacks] [--store FILE] [--json|--table]",
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
    store: {
      type: "string",
      value: "FILE",
      description:
        "read from this synced store where it holds the window exactly, Evo Voice for the rest (said on stderr)",
    },
    "max-age": {
      type: "string",
      value: "MINUTES",
      description:
        "with --store: days that still change count only if synced this recently (default 60)",
    },
  },
  details: `Without --range or --start/--end the window is the last 7 days.
Definitions (offered, answer rate, abandon rate, service level, ASA…) are core's; see packages/core/README.md.
With --store the numbers are the same as from Evo Voice: each scan (an account, the previous period) is read
from the store when every one of its UTC days is synced (the last ~15 recently enough) and its filters can be
applied exactly there, and from Evo Voice otherwise; stderr says which, and why.
Examples:
  evo-sessions stats --range last-week --by day,account --compare
  evo-sessions stats --range last-month --by customer --store calls.duckdb
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
  const maxAgeMs = intOf(values, "max-age", { min: 1, max: 100_000, fallback: 60 }) * 60_000;
  const { client } = await ctx.backend();
  const report = await withSource(client, stringOf(values, "store"), ctx, maxAgeMs, (source) =>
    analyse(client, source, query, values, ctx, { groupBy, timeZone }),
  );
  await write(
    ctx.io.stdout,
    format === "json" ? `${JSON.stringify(report, null, 2)}\n` : reportText(report, groupBy),
  );
  return 0;
}

async function analyse(
  client: EvoVoiceClient,
  source: SessionSource,
  query: SessionQuery,
  values: ParsedArgs["values"],
  ctx: CommandContext,
  shape: { groupBy: GroupDimension[]; timeZone: string },
): Promise<AnalyticsReport> {
  // A store answers for named accounts only: with one, every account the sign-in reaches is
  // read on its own (core's rollup; a failed account is reported, not fatal).
  const accounts =
    source === client || query.params.accountIds !== undefined
      ? undefined
      : (await client.authStatus({ signal: ctx.io.signal })).accounts;
  const progress = startProgress(ctx.io.stderr, "sessions");
  try {
    return await analyzeSessions(client, query, {
      ...(accounts === undefined ? {} : { accounts }),
      groupBy: shape.groupBy,
      compare: values.compare === true,
      callbacks: values.callbacks === true ? { limit: 20 } : false,
      cap: intOf(values, "cap", { min: 1, max: 10_000_000, fallback: 200_000 }),
      timeZone: shape.timeZone,
      now: ctx.now(),
      signal: ctx.io.signal,
      source,
      onProgress: (p) => progress.update(p.read),
    });
  } finally {
    progress.stop();
  }
}

/** The analysis' source: Evo Voice, or with --store the store where it covers (said on stderr). */
async function withSource(
  client: EvoVoiceClient,
  path: string | undefined,
  ctx: CommandContext,
  maxAgeMs: number,
  work: (source: SessionSource) => Promise<AnalyticsReport>,
): Promise<AnalyticsReport & { source?: SourceChoiceSummary }> {
  if (path === undefined) return work(client);
  const store: Store = await openStore(path);
  try {
    const choices: SourceChoice[] = [];
    const copy = store.copy({ maxAgeMs, now: () => ctx.now(), origin: client.baseUrl });
    const report = await work(preferCopy(copy, client, (choice) => choices.push(choice)));
    const source = summarise(path, choices);
    notice(ctx.io, source.words);
    return { ...report, source };
  } finally {
    store.close();
  }
}

interface SourceChoiceSummary {
  fromStore: number;
  fromEvoVoice: number;
  reason?: string;
  words: string;
}

function summarise(path: string, choices: readonly SourceChoice[]): SourceChoiceSummary {
  const { fromCopy, fromServer, reason } = summarizeChoices(choices);
  const scans = `${fromCopy} of ${choices.length} scans`;
  const words =
    reason === undefined
      ? `read from the store ${path} (${scans}), not from Evo Voice`
      : `read ${fromCopy === 0 ? "from Evo Voice" : `${scans} from the store ${path}, the rest from Evo Voice`}: ${reason}`;
  return {
    fromStore: fromCopy,
    fromEvoVoice: fromServer,
    ...(reason === undefined ? {} : { reason }),
    words,
  };
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
