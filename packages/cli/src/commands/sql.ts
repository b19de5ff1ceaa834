import { intOf, stringOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { EXIT_CODES, usageError } from "../errors.js";
import { notice, write } from "../io.js";
import { formatOf, OUTPUT_OPTIONS, renderCsv, renderTable } from "../output.js";
import { openStore } from "../store/store.js";
import { DEFAULT_STORE, STORE_OPTION } from "./sync.js";

export const sqlCommand: Command = {
  name: "sql",
  summary: "read-only SQL over the synced store (DuckDB)",
  usage:
    'evo-sessions sql "SELECT …" [--store FILE] [--max-rows N] [--timeout SECONDS] [--json|--csv|--table]',
  positionals: { min: 1, max: 1, names: "SQL" },
  options: {
    ...STORE_OPTION,
    ...OUTPUT_OPTIONS,
    "max-rows": { type: "string", value: "N", description: "most rows printed (default 1000)" },
    timeout: {
      type: "string",
      value: "SECONDS",
      description: "the query is stopped after this long (default 10)",
    },
  },
  details: `One statement, and only a read: SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN. The store is
opened read-only with every other file access off. Times are UTC; day is the UTC day.
Tables: sessions, members, log_entries, sync_days; view session_classes.
Examples:
  evo-sessions sql "SELECT account_name, count(*) FILTER (missed) AS missed, count(*) FILTER (offered) AS offered FROM session_classes GROUP BY 1"
  evo-sessions sql "SHOW TABLES"`,
  run: runSql,
};

async function runSql({ values, positionals }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const sql = positionals[0] ?? "";
  if (sql.trim() === "") throw usageError("SQL", "give the query as one argument, in quotes");
  const format = formatOf(values, ctx.io.stdout);
  const store = await openStore(stringOf(values, "store") ?? DEFAULT_STORE);
  try {
    const result = await store.query(sql, {
      maxRows: intOf(values, "max-rows", { min: 1, max: 1_000_000, fallback: 1000 }),
      timeoutMs: intOf(values, "timeout", { min: 1, max: 3600, fallback: 10 }) * 1000,
      signal: ctx.io.signal,
    });
    const names = result.columns.map((c) => c.name);
    const cells = result.rows.map((row) => names.map((n) => cell(row[n])));
    if (format === "json")
      await write(ctx.io.stdout, result.rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
    else if (format === "csv") await write(ctx.io.stdout, renderCsv(names, cells));
    else await write(ctx.io.stdout, renderTable(names, cells, 60));
    notice(
      ctx.io,
      `${result.rows.length} row${result.rows.length === 1 ? "" : "s"}${result.truncated ? " (more: raise --max-rows)" : ""} in ${Math.round(result.elapsedMs)} ms`,
    );
  } finally {
    store.close();
  }
  return EXIT_CODES.ok;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
