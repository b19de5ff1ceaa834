import {
  flattenSession,
  formatDuration,
  sessionRecord,
  textCells,
  type ExportColumn,
  type ExportValue,
  type SessionInfo,
} from "@evo-sessions/core";
import { intOf, stringOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { FILTER_OPTIONS, queryOf, zoneOf } from "../filters.js";
import { notice, write } from "../io.js";
import { formatOf, OUTPUT_OPTIONS, renderCsv, renderTable, type OutputFormat } from "../output.js";
import { columnsOf } from "./columns-option.js";

const TABLE_COLUMNS = "started,direction,channel,from,to,outcome,durationSeconds,account,id";

export const listCommand: Command = {
  name: "list",
  summary: "list sessions matching the filters (newest first)",
  usage: "evo-sessions list [filters] [--limit N] [--columns a,b] [--json|--csv|--table]",
  options: {
    ...FILTER_OPTIONS,
    ...OUTPUT_OPTIONS,
    limit: {
      type: "string",
      short: "n",
      value: "N",
      description: "most sessions shown (default 50; 1–1000000)",
    },
    columns: {
      type: "string",
      short: "c",
      value: "LIST",
      description: "columns of the table and CSV (see export --help; default a short set)",
    },
    logs: { type: "boolean", description: "with --json: keep each session's log" },
  },
  details: `Table cells are cut to 40 characters; --json prints one session per line with every field.
Examples:
  evo-sessions list --range yesterday --missed
  evo-sessions list --from 555 --start 2026-11-01 --end 2026-11-07 --csv > calls.csv`,
  run: runList,
};

async function runList({ values }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const format = formatOf(values, ctx.io.stdout);
  const timeZone = zoneOf(values, ctx.env.timeZone);
  const query = queryOf(values, {
    timeZone,
    now: ctx.now(),
    defaultAccountIds: ctx.env.defaultAccountIds,
  });
  const limit = intOf(values, "limit", { min: 1, max: 1_000_000, fallback: 50 });
  const columns = columnsOf(
    stringOf(values, "columns") ?? (format === "table" ? TABLE_COLUMNS : undefined),
  );
  const { client } = await ctx.backend();
  const scan = client.scan(query, {
    limit,
    cap: Math.max(limit * 20, 5000),
    signal: ctx.io.signal,
    concurrency: 2,
  });
  const printer = rowPrinter(format, columns, ctx, values.logs === true);
  let shown = 0;
  try {
    for await (const { session } of scan) {
      await printer.add(session, timeZone);
      shown++;
    }
  } finally {
    await printer.end();
    const more = scan.report.complete ? "" : " (more match: raise --limit)";
    notice(ctx.io, `${shown} session${shown === 1 ? "" : "s"} · ${query.describe()}${more}`);
  }
  return 0;
}

interface RowPrinter {
  add(session: SessionInfo, timeZone: string): Promise<void>;
  end(): Promise<void>;
}

function rowPrinter(
  format: OutputFormat,
  columns: ExportColumn[],
  ctx: CommandContext,
  logs: boolean,
): RowPrinter {
  const out = ctx.io.stdout;
  const names = columns.map((c) => (format === "table" ? c.name.replace(/Seconds$/, "") : c.name));
  const rows: string[][] = [];
  let first = true;
  const cells = (session: SessionInfo, timeZone: string): string[] =>
    format === "table"
      ? columns.map((c) =>
          tableCell(
            c,
            flattenSession(session, { timeZone, columns: [c], now: ctx.now() })[c.name] ?? null,
          ),
        )
      : textCells(flattenSession(session, { timeZone, columns, now: ctx.now() }), columns);
  return {
    async add(session, timeZone) {
      if (format === "json")
        return write(out, `${JSON.stringify(sessionRecord(session, { includeLog: logs }))}\n`);
      if (format === "table") {
        rows.push(cells(session, timeZone));
        return;
      }
      await write(out, renderCsv(names, [cells(session, timeZone)], first));
      first = false;
    },
    async end() {
      if (format === "table") await write(out, renderTable(names, rows));
      else if (format === "csv" && first) await write(out, renderCsv(names, []));
    },
  };
}

/** A table cell: durations as `3m 12s`, the rest as text. */
export function tableCell(column: ExportColumn, value: ExportValue): string {
  if (value === null) return "";
  if (column.name.endsWith("Seconds") && typeof value === "number")
    return formatDuration(value * 1000);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
