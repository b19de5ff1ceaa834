import { extname } from "node:path";
import { stringOf, choiceOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { CliError, EXIT_CODES, usageError } from "../errors.js";
import { exportSessions, type ExportSummary } from "../export/run-export.js";
import { EXPORT_FORMATS, type ExportFormat } from "../export/sinks.js";
import { FILTER_OPTIONS, queryOf, zoneOf } from "../filters.js";
import { notice } from "../io.js";
import { startProgress } from "../progress.js";
import { exportPartitioned } from "../store/partitions.js";
import { columnsOf } from "./columns-option.js";
import { EXPORT_COLUMNS, DEFAULT_EXPORT_COLUMNS } from "@evo-sessions/core";

export const exportCommand: Command = {
  name: "export",
  summary:
    "stream sessions to CSV, JSONL or Parquet (resumable), or the store to partitioned Parquet",
  usage:
    "evo-sessions export [filters] -o FILE [--format csv|jsonl|parquet] [--columns LIST] [--logs] [--restart]\n       evo-sessions export --from-store STORE -o DIRECTORY",
  options: {
    ...FILTER_OPTIONS,
    output: {
      type: "string",
      short: "o",
      value: "FILE",
      description:
        "the file to write (required); a checkpoint FILE.checkpoint.json sits beside it until done",
    },
    format: {
      type: "string",
      short: "f",
      value: "FMT",
      description: "csv, jsonl or parquet (default: from the file's extension)",
    },
    columns: {
      type: "string",
      short: "c",
      value: "LIST",
      description:
        "CSV/Parquet columns, comma-separated, or all (default: a useful set for CSV, all for Parquet)",
    },
    logs: { type: "boolean", description: "JSONL: keep each session's log" },
    restart: {
      type: "boolean",
      description: "start over, ignoring an interrupted export's checkpoint",
    },
    "from-store": {
      type: "string",
      value: "STORE",
      description:
        "write a synced store as Hive-partitioned Parquet (account=…/day=…/) into the -o directory",
    },
  },
  details: `Sessions are read oldest first, a page of 1000 at a time, and written as they come (memory stays
flat). After Ctrl-C the file holds every session read so far; the same command again continues it
(a relative range keeps the days of the first run). --restart starts over.
Like list_sessions, one side is read: live sessions (the last ~15 days), or with --archive the
archived ones; sync reads both.

Formats: CSV is RFC 4180 (CRLF, quoted as needed, a header row), one row per session, times local
in the time zone; JSONL is every field of each session, one per line; Parquet has typed columns
(instants as timestamps, durations as integers), one row group per page.

Columns (--columns): ${EXPORT_COLUMNS.map((c) => c.name).join(", ")}
Default CSV columns: ${DEFAULT_EXPORT_COLUMNS.join(",")}

Examples:
  evo-sessions export --range last-month --account a1 -o october.csv
  evo-sessions export --start 2026-01-01 --end 2026-03-31 -o q1.parquet
  evo-sessions export --range last-7-days --logs -o week.jsonl
  evo-sessions export --from-store sessions.duckdb -o lake/`,
  run: runExport,
};

async function runExport({ values }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const output = stringOf(values, "output");
  if (output === undefined || output.trim() === "")
    throw usageError("--output", "name the file to write (-o FILE)");
  const store = stringOf(values, "from-store");
  if (store !== undefined) {
    const summary = await exportPartitioned(store, output);
    for (const t of summary.tables)
      notice(ctx.io, `${t.table}: ${t.rows} rows → ${t.path}/account=…/day=…/`);
    return EXIT_CODES.ok;
  }
  const format = formatFor(values, output);
  const timeZone = zoneOf(values, ctx.env.timeZone);
  const query = queryOf(values, {
    timeZone,
    now: ctx.now(),
    defaultAccountIds: ctx.env.defaultAccountIds,
    oldestFirst: true,
  });
  const columns = columnsOf(
    stringOf(values, "columns") ?? (format === "parquet" ? "all" : undefined),
  );
  const { client } = await ctx.backend();
  const progress = startProgress(ctx.io.stderr, "sessions");
  let summary: ExportSummary;
  try {
    summary = await exportSessions(client, query, {
      format,
      output,
      columns,
      timeZone,
      includeLog: values.logs === true,
      restart: values.restart === true,
      now: ctx.now(),
      signal: ctx.io.signal,
      onProgress: (p) => progress.update(p.rows, p.total),
      onNotice: (text) => notice(ctx.io, text),
    });
  } finally {
    progress.stop();
  }
  notice(ctx.io, summaryText(summary));
  if (summary.interrupted) {
    throw new CliError(
      "interrupted",
      `${output} holds the ${summary.rows} sessions read; run the same command again to continue.`,
    );
  }
  return EXIT_CODES.ok;
}

function formatFor(values: ParsedArgs["values"], output: string): ExportFormat {
  const asked = choiceOf(values, "format", EXPORT_FORMATS);
  if (asked !== undefined) return asked;
  const ext = extname(output).slice(1).toLowerCase();
  const byExt: Record<string, ExportFormat> = {
    csv: "csv",
    jsonl: "jsonl",
    ndjson: "jsonl",
    parquet: "parquet",
  };
  const found = byExt[ext];
  if (found === undefined)
    throw usageError(
      "--format",
      `say csv, jsonl or parquet (the extension of ${output} does not tell)`,
    );
  return found;
}

/** `wrote 1,234 sessions (210 kB, csv) to out.csv in 1.2 s (1,028 sessions/s)`. */
export function summaryText(s: ExportSummary): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const kb = s.bytes >= 1e6 ? `${(s.bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(s.bytes / 1e3)} kB`;
  const secs = s.elapsedMs / 1000;
  const rate = secs > 0 ? ` (${n(Math.round(s.rowsThisRun / secs))} sessions/s)` : "";
  const resumed = s.resumed ? `, ${n(s.rowsThisRun)} in this run` : "";
  const state = s.complete ? "wrote" : s.interrupted ? "interrupted: wrote" : "stopped: wrote";
  return `${state} ${n(s.rows)} sessions${resumed} (${kb}, ${s.format}) to ${s.output} in ${secs.toFixed(1)} s${rate}`;
}
