/**
 * The checkpoint beside an export's output (`FILE.checkpoint.json`): what was asked, how far the
 * server's list was read, and how much of the file is good, so that an interrupted export
 * continues where it stopped.
 */
import { readFile, rename, rm, writeFile } from "node:fs/promises";
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
  /** Bytes of the output that hold whole rows (CSV and JSONL are cut back to this). */
  bytes: number;
  updatedAt: string;
}

export function checkpointPath(output: string): string {
  return `${output}.checkpoint.json`;
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

/** Writes the checkpoint atomically (a temporary file renamed over it). */
export async function writeCheckpoint(output: string, checkpoint: ExportCheckpoint): Promise<void> {
  const path = checkpointPath(output);
  await writeFile(`${path}.tmp`, JSON.stringify(checkpoint, null, 2));
  await rename(`${path}.tmp`, path);
}

export async function removeCheckpoint(output: string): Promise<void> {
  await rm(checkpointPath(output), { force: true });
}
