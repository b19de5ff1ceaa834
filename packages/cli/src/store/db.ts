/** Opening the DuckDB file and appending rows by column definition. */
import {
  DuckDBInstance,
  dateValue,
  timestampValue,
  type DuckDBAppender,
  type DuckDBConnection,
} from "@duckdb/node-api";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError } from "../errors.js";
import { SCHEMA_SQL, STORE_SCHEMA_VERSION, type StoreColumn } from "./schema.js";

export interface OpenDb {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens `path`: read-write creates the tables; read-only also turns off every file access but
 * the store itself (no read_csv('/etc/…'), no COPY TO, no ATTACH).
 */
export async function openDb(path: string, mode: "write" | "read"): Promise<OpenDb> {
  const options: Record<string, string> =
    mode === "read" ? { access_mode: "READ_ONLY", enable_external_access: "false" } : {};
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, options);
  } catch (error) {
    throw openFailure(path, mode, error);
  }
  const connection = await instance.connect();
  const close = (): void => {
    connection.closeSync();
    instance.closeSync();
  };
  if (mode === "write") for (const sql of SCHEMA_SQL) await connection.run(sql);
  await checkVersion(connection, path, close, mode);
  return { instance, connection, close };
}

/**
 * Opens `path` for writing, waiting up to `timeoutMs` while another process has it open: DuckDB
 * lets one process write a file only when no other process has it open, even read-only (the
 * MCP server's SQL tool and session_stats open it briefly for each call).
 */
export async function openDbWhenFree(
  path: string,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; onWait?: () => void },
): Promise<OpenDb> {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      return await openDb(path, "write");
    } catch (error) {
      const locked = error instanceof CliError && error.code === "store_locked";
      if (!locked || Date.now() - started >= options.timeoutMs) throw error;
      if (!told) options.onWait?.();
      told = true;
      await sleep(100, undefined, options.signal === undefined ? {} : { signal: options.signal });
    }
  }
}

function openFailure(path: string, mode: "write" | "read", error: unknown): CliError {
  const message = error instanceof Error ? error.message : String(error);
  if (/lock/i.test(message)) {
    return new CliError(
      "store_locked",
      `${path} is open in another process (a sync, or an MCP server reading it): try again when it is done (--wait SECONDS waits longer).`,
      { argument: "--store", cause: error },
    );
  }
  if (mode === "read" && /not exist|No such file|Cannot open/i.test(message)) {
    return new CliError(
      "store_missing",
      `${path} is not a store yet: run evo-sessions sync --store ${path} first.`,
      { argument: "--store", cause: error },
    );
  }
  return new CliError("store_missing", `${path} could not be opened: ${message.split("\n")[0]}`, {
    argument: "--store",
    cause: error,
  });
}

async function checkVersion(
  connection: DuckDBConnection,
  path: string,
  close: () => void,
  mode: "write" | "read",
): Promise<void> {
  let rows;
  try {
    rows = (
      await connection.runAndReadAll("SELECT value FROM store_meta WHERE key = 'schema_version'")
    ).getRowObjectsJson();
  } catch (error) {
    close();
    throw new CliError(
      "store_missing",
      `${path} is not an evo-sessions store (no store_meta table): run evo-sessions sync --store ${path} into a new file.`,
      { argument: "--store", cause: error },
    );
  }
  const found = rows[0]?.value;
  if ((found === undefined || found === null) && mode === "read") return;
  if (found === undefined || found === null) {
    await connection.run("INSERT INTO store_meta VALUES ('schema_version', $1)", [
      String(STORE_SCHEMA_VERSION),
    ]);
  } else if (String(found) !== String(STORE_SCHEMA_VERSION)) {
    close();
    throw new CliError(
      "store_missing",
      `${path} is a store of schema ${String(found)}, this version ${mode === "write" ? "writes" : "reads"} ${STORE_SCHEMA_VERSION}: sync into a new file (evo-sessions sync --store NEW_FILE).`,
      { argument: "--store" },
    );
  }
}

const DAY_MS = 86_400_000;

/** Appends `rows` to `table` through DuckDB's appender (inside the connection's transaction). */
export async function appendRows<Row>(
  connection: DuckDBConnection,
  table: string,
  columns: readonly StoreColumn<Row>[],
  rows: Iterable<Row>,
): Promise<void> {
  const appender = await connection.createAppender(table);
  try {
    for (const row of rows) {
      for (const column of columns) appendCell(appender, column.type, column.get(row));
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function appendCell(
  appender: DuckDBAppender,
  type: StoreColumn<unknown>["type"],
  value: unknown,
): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case "VARCHAR":
      return appender.appendVarchar(String(value));
    case "BOOLEAN":
      return appender.appendBoolean(value === true);
    case "INTEGER":
      return appender.appendInteger(Number(value));
    case "BIGINT":
      return appender.appendBigInt(BigInt(Math.round(Number(value))));
    case "DATE":
      return appender.appendDate(
        dateValue(Math.round(Date.parse(`${String(value)}T00:00:00Z`) / DAY_MS)),
      );
    case "TIMESTAMP":
      return appender.appendTimestamp(timestampValue(BigInt((value as Date).getTime()) * 1000n));
  }
}
