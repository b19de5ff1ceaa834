/**
 * `query_sessions_sql`: one read-only SQL statement over the local DuckDB store that
 * `evo-sessions sync` fills (registered only when EVO_SESSIONS_STORE names one). The store itself
 * refuses anything but one SELECT/EXPLAIN (opened read-only, file access off); this tool bounds
 * rows and time and fits the table into the answer budget.
 */
import { basename } from "node:path";
import { z } from "zod";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import { DEFAULT_DEADLINE_MS } from "../config.js";
import type { EvoSessionsContext } from "../context.js";
import { StoreError, withStore, type StoreQueryResult } from "../store/local-store.js";
import { Answer, counted, jsonChars, type ToolExtra } from "./answer.js";
import { registerEvoTool } from "./register.js";
import { errorResult, runTool } from "./results.js";

/** Rows when `maxRows` is not given, and the most a call may ask for. */
export const DEFAULT_SQL_ROWS = 200;
export const MAX_SQL_ROWS = 1000;
/** Longest value shown in the text table (the JSON has it whole, budget permitting). */
const MAX_CELL_CHARS = 120;
/** What the store holds, for the description and for a bad table name. */
export const STORE_TABLES =
  "sessions, members, log_entries(session_id,date,message), sync_days, view session_classes (offered/answered/missed flags)";

/** Arguments of `query_sessions_sql`. */
export const querySqlInput = z.strictObject({
  sql: z
    .string({ error: "must be one SQL statement (text)" })
    .min(1, { error: "must not be empty" })
    .max(20_000, { error: "must be at most 20000 characters" })
    .describe("One SELECT (or WITH, DESCRIBE, EXPLAIN)"),
  maxRows: z
    .number({ error: `must be a whole number from 1 to ${MAX_SQL_ROWS}` })
    .int({ error: `must be a whole number from 1 to ${MAX_SQL_ROWS}` })
    .min(1, { error: "must be at least 1" })
    .max(MAX_SQL_ROWS, { error: `must be at most ${MAX_SQL_ROWS}` })
    .optional()
    .describe(`Default ${DEFAULT_SQL_ROWS}`),
});

/** Structured answer: the columns, the rows shown (values in column order) and what was cut. */
export const querySqlOutput = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean().describe("More rows than shown (maxRows or the size budget)"),
  rowCount: z.number().describe("Rows in rows"),
});

type QuerySqlArgs = z.infer<typeof querySqlInput>;
type QuerySqlOutput = z.infer<typeof querySqlOutput>;

const DESCRIPTION = `One read-only DuckDB query over the local synced store: ${STORE_TABLES}. Times and day UTC.`;

/** Registers `query_sessions_sql` (call only when a store is configured). */
export function registerQuerySessionsSql(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "query_sessions_sql",
    {
      title: "SQL over the local session store",
      description: DESCRIPTION,
      inputSchema: querySqlInput,
      outputSchema: querySqlOutput,
      // Reads a local file, not Evo Voice.
      annotations: { openWorldHint: false },
    },
    (args, extra) => runTool(ctx, () => querySql(ctx, args, extra)),
  );
}

/** The query's time limit: inside the call's deadline, with room left to answer. */
export function sqlTimeoutMs(deadlineMs: number): number {
  return Math.max(500, Math.min(30_000, deadlineMs - Math.max(1000, deadlineMs / 5)));
}

async function querySql(
  ctx: EvoSessionsContext,
  args: QuerySqlArgs,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const path = ctx.config.storePath;
  if (path === undefined) return errorResult(ctx, "No store is configured (EVO_SESSIONS_STORE).");
  const maxRows = args.maxRows ?? DEFAULT_SQL_ROWS;
  const timeoutMs = sqlTimeoutMs(ctx.config.deadlineMs ?? DEFAULT_DEADLINE_MS);
  try {
    const result = await withStore(path, (store) =>
      store.query(args.sql, { maxRows, timeoutMs, signal: extra.signal }),
    );
    return answerRows(ctx, result, maxRows);
  } catch (error) {
    if (error instanceof StoreError) return errorResult(ctx, storeFailure(error));
    throw error;
  }
}

/** The isError text of a store failure: the store's own words, with a pointer where it helps. */
function storeFailure(error: StoreError): string {
  if (error.code === "sql_refused")
    return `Refused: ${error.message} query_sessions_sql only reads; send one SELECT.`;
  if (/Catalog Error|does not exist/i.test(error.message))
    return `${error.message} The store has: ${STORE_TABLES}. DESCRIBE a table for its columns.`;
  return error.message;
}

/** The rows as a compact table (`|`-separated) within the budget, the same rows in the JSON. */
function answerRows(
  ctx: EvoSessionsContext,
  result: StoreQueryResult,
  maxRows: number,
): CallToolResult {
  const names = result.columns.map((c) => c.name);
  const answer = new Answer(ctx, [
    `Local store ${basename(ctx.config.storePath ?? "")}, read-only:`,
  ]);
  const structured: QuerySqlOutput = {
    columns: result.columns,
    rows: [],
    truncated: result.truncated,
    rowCount: 0,
  };
  answer.spend(jsonChars(structured) + 20);
  answer.line(names.join(" | "));
  const values = result.rows.map((row) => names.map((name) => row[name] ?? null));
  const shown = answer.fit(values, (row) => ({
    text: row.map(cell).join(" | "),
    extraChars: jsonChars(row) + 1,
    onAdded: () => structured.rows.push(row),
  }));
  structured.rowCount = shown;
  const time = `${Math.round(result.elapsedMs)} ms`;
  if (shown < values.length) {
    structured.truncated = true;
    answer.leftOut(
      counted(values.length - shown, "more row"),
      "aggregate (GROUP BY, count) or select fewer columns or rows",
    );
  } else if (result.truncated) {
    answer.line(
      `Truncated: ${counted(shown, "row")} shown, more matched (maxRows ${maxRows}); aggregate, add LIMIT/WHERE, or raise maxRows (at most ${MAX_SQL_ROWS}). ${time}.`,
    );
  } else answer.line(`${counted(shown, "row")} in ${time}.`);
  return answer.result(structured);
}

/** One value as table text: NULL spelled, long text shortened, lines joined. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const flat = text.replaceAll(/[\r\n|]+/g, " ");
  return flat.length > MAX_CELL_CHARS ? `${flat.slice(0, MAX_CELL_CHARS - 1)}…` : flat;
}
