/**
 * `openStore(path)`: read-only SQL over a synced store, for `evo-sessions sql` and for other
 * packages (the MCP server's SQL tool and session_stats). Only one SELECT (or EXPLAIN) per
 * call; the file is opened read-only with every other file access off; rows and time bounded.
 */
import { StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { CliError } from "../errors.js";
import type { SessionCopy } from "@evo-sessions/core";
import { openDb, type OpenDb } from "./db.js";
import { storeCopy, type CopyOptions } from "./session-copy.js";
import { syncedDays, syncSpan } from "./sync-days.js";
import { daysBetween } from "./sync.js";

export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

export interface QueryOptions {
  /** Most rows returned (default 1000); `truncated` says when there were more. */
  maxRows?: number;
  /** The query is interrupted after this long (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** JSON-safe values: BIGINTs as numbers where exact (else strings), times as ISO text. */
  rows: Record<string, unknown>[];
  truncated: boolean;
  elapsedMs: number;
}

/** Which (account, UTC day) pairs of a window the store holds, and since when. */
export interface Coverage {
  /** Every asked day of every asked account has been synced. */
  covered: boolean;
  accounts: string[];
  days: number;
  /** Pairs never synced. */
  missing: { accountId: string; day: string }[];
  /** The oldest sync among the covered pairs (ISO), when any. */
  oldestSync: string | undefined;
  /** The newest sync (ISO), when any. */
  newestSync: string | undefined;
}

export interface CoverageWindow {
  /** First and last UTC day, `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** Default: every account the store holds. */
  accountIds?: string[];
}

export interface Store {
  readonly path: string;
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  coverage(window: CoverageWindow): Promise<Coverage>;
  /**
   * The store as a session source for core's scanner and analytics (`preferCopy`): it says which
   * queries it covers exactly and lists them as Evo Voice would.
   */
  copy(options?: Omit<CopyOptions, "path">): SessionCopy;
  close(): void;
}

/** Opens a store read-only (fails with `store_missing` or `store_locked` when it cannot). */
export async function openStore(path: string): Promise<Store> {
  const db: OpenDb = await openDb(path, "read");
  return {
    path,
    query: (sql, options = {}) => readOnlyQuery(db.connection, sql, options),
    coverage: (window) => coverageOf(db.connection, window),
    copy: (options = {}) => storeCopy(db.instance, db.connection, { ...options, path }),
    close: () => db.close(),
  };
}

/** Refuses anything but one SELECT/EXPLAIN, then reads at most `maxRows` rows in time. */
export async function readOnlyQuery(
  connection: DuckDBConnection,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  const started = performance.now();
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const prepared = await prepareRead(connection, sql);
  const timer = setTimeout(
    () => connection.interrupt(),
    options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  );
  const abort = (): void => connection.interrupt();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    if (options.signal?.aborted === true) throw new Error("INTERRUPT");
    const reader = await prepared.streamAndReadUntil(maxRows + 1);
    const all = reader.getRowObjectsJson() as Record<string, unknown>[];
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    return {
      columns: names.map((name, i) => ({ name, type: types[i] ?? "" })),
      rows: all.slice(0, maxRows).map((row) => numbers(row, names, types)),
      truncated: all.length > maxRows,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/INTERRUPT/i.test(message)) {
      const why =
        options.signal?.aborted === true
          ? "it was cancelled"
          : `it ran past ${options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS} ms`;
      throw new CliError(
        "sql_failed",
        `The query was stopped: ${why}. Narrow it (a WHERE on day or account_id) or raise the time limit.`,
        { cause: error },
      );
    }
    throw new CliError("sql_failed", `SQL failed: ${message.split("\n")[0]}`, { cause: error });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abort);
  }
}

async function prepareRead(connection: DuckDBConnection, sql: string) {
  let extracted;
  try {
    extracted = await connection.extractStatements(sql);
  } catch (error) {
    throw new CliError(
      "sql_failed",
      `SQL failed: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
      { cause: error },
    );
  }
  if (extracted.count !== 1) {
    throw new CliError("sql_refused", `Send exactly one statement (got ${extracted.count}).`, {
      argument: "SQL",
    });
  }
  let prepared;
  try {
    prepared = await extracted.prepare(0);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    const refused = /read-only|Permission Error|file system operations/i.test(message);
    throw new CliError(
      refused ? "sql_refused" : "sql_failed",
      refused ? `Only reads of the store are allowed: ${message}` : `SQL failed: ${message}`,
      { cause: error },
    );
  }
  const type = prepared.statementType;
  if (type !== StatementType.SELECT && type !== StatementType.EXPLAIN) {
    throw new CliError(
      "sql_refused",
      `Only reads are allowed (SELECT, WITH, FROM, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN); this is ${StatementType[type] ?? "another"} statement.`,
      { argument: "SQL" },
    );
  }
  return prepared;
}

const WIDE_NUMBER = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL)/;

/** JSON numbers where exact: DuckDB's JSON form writes BIGINTs and DECIMALs as strings. */
function numbers(
  row: Record<string, unknown>,
  names: string[],
  types: string[],
): Record<string, unknown> {
  names.forEach((name, i) => {
    const value = row[name];
    if (typeof value !== "string" || !WIDE_NUMBER.test(types[i] ?? "")) return;
    const n = Number(value);
    if (Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n))) row[name] = n;
  });
  return row;
}

async function coverageOf(connection: DuckDBConnection, window: CoverageWindow): Promise<Coverage> {
  const synced = await syncedDays(connection, window);
  const accounts =
    window.accountIds ??
    (await connection.runAndReadAll("SELECT DISTINCT account_id FROM sync_days ORDER BY 1"))
      .getRowObjectsJson()
      .map((r) => String(r.account_id));
  const days = daysBetween(window.from, window.to);
  const missing: Coverage["missing"] = [];
  const times: number[] = [];
  for (const accountId of accounts) {
    for (const day of days) {
      const at = synced.get(`${accountId}/${day}`);
      if (at === undefined) missing.push({ accountId, day });
      else times.push(at.syncedMs);
    }
  }
  const span = syncSpan(times);
  return {
    covered: missing.length === 0 && accounts.length > 0,
    accounts,
    days: days.length,
    missing,
    oldestSync: span.from,
    newestSync: span.to,
  };
}
