/**
 * The checkpoint beside an export's output (`FILE.checkpoint.json`): what was asked, how far the
 * server's list was read, and how much of the file is good, so that an interrupted export
 * continues where it stopped. A Parquet export keeps a second file beside it,
 * `FILE.checkpoint.rowgroups`: the metadata of the row groups written, one line each, appended
 * as they are written (the checkpoint says how many of its bytes count), so that the checkpoint
 * itself stays the same small size however long the file grows.
 */
import { open, readFile, rename, rm } from "node:fs/promises";
import type { SessionQuerySpec } from "@evo-sessions/core";

export const CHECKPOINT_VERSION = 1;

export interface ExportCheckpoint {
  version: typeof CHECKPOINT_VERSION;
  format: string;
  columns: string[];
  includeLog: boolean;
  /** The query's canonical key (binds the checkpoint to the same filters). */
  key: string;
  /** The query as asked, its relative range resolved at the first run. */
  query: SessionQuerySpec;
  /** Position in the server's list right after the last session written. */
  nextOffset: number;
  /** ID of the last session written (the scan's anchor if the list moved). */
  lastId: string | undefined;
  rows: number;
  /** Bytes of the output that hold whole rows (the file is cut back to this on resume). */
  bytes: number;
  /** Parquet: how much of the row-group log belongs to those bytes. */
  parquet?: ParquetProgress | undefined;
  updatedAt: string;
}

/** A Parquet export's row groups on disk, and the bytes of their log that describe them. */
export interface ParquetProgress {
  rowGroups: number;
  /** Bytes of `FILE.checkpoint.rowgroups` that hold those row groups' lines. */
  logBytes: number;
}

export function checkpointPath(output: string): string {
  return `${output}.checkpoint.json`;
}

/** The row-group log of a Parquet export (see the top of this file). */
export function rowGroupLogPath(output: string): string {
  return `${output}.checkpoint.rowgroups`;
}

export async function readCheckpoint(output: string): Promise<ExportCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(checkpointPath(output), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as ExportCheckpoint;
  return parsed.version === CHECKPOINT_VERSION ? parsed : undefined;
}

/**
 * Writes the checkpoint atomically: a temporary file, on disk (fsync) before it is renamed over
 * the old one, so that after a crash the checkpoint is the old one or the new one, whole.
 */
export async function writeCheckpoint(output: string, checkpoint: ExportCheckpoint): Promise<void> {
  const path = checkpointPath(output);
  const handle = await open(`${path}.tmp`, "w");
  try {
    await handle.writeFile(JSON.stringify(checkpoint, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(`${path}.tmp`, path);
}

export async function removeCheckpoint(output: string): Promise<void> {
  await rm(checkpointPath(output), { force: true });
  await rm(rowGroupLogPath(output), { force: true });
}
