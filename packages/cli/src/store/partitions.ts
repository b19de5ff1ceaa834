/**
 * The store as Hive-partitioned Parquet (`sessions/account=…/day=…/data_0.parquet`, and the same
 * for members and log_entries), written by DuckDB's COPY: the layout DuckDB, Spark, ClickHouse
 * and the cloud warehouses read as one table with `account` and `day` columns.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { openDb } from "./db.js";

export interface PartitionSummary {
  directory: string;
  tables: { table: string; rows: number; path: string }[];
}

const TABLES = ["sessions", "members", "log_entries"] as const;

/** Writes every table of the store under `directory` (replacing an earlier export there). */
export async function exportPartitioned(
  storePath: string,
  directory: string,
): Promise<PartitionSummary> {
  const db = await openDb(storePath, "write");
  try {
    await mkdir(directory, { recursive: true });
    const tables: PartitionSummary["tables"] = [];
    for (const table of TABLES) {
      const path = resolve(join(directory, table));
      const quoted = path.replaceAll("'", "''");
      const result = await db.connection.run(
        `COPY (SELECT * EXCLUDE (account_id, day), account_id AS account, strftime(day, '%Y-%m-%d') AS day FROM ${table}) TO '${quoted}' (FORMAT parquet, PARTITION_BY (account, day), OVERWRITE_OR_IGNORE, FILENAME_PATTERN 'data_{i}')`,
      );
      tables.push({ table, rows: Number(result.rowsChanged), path });
    }
    return { directory: resolve(directory), tables };
  } finally {
    db.close();
  }
}
