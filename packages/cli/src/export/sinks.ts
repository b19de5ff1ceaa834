/**
 * Where exported sessions go: CSV (csv-stringify, RFC 4180), JSONL, or Parquet
 * (hyparquet-writer, one row group per batch). Each takes sessions in batches and knows how
 * many bytes of whole rows it has written.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { stringify } from "csv-stringify/sync";
import {
  flattenSession,
  sessionRecord,
  textCells,
  type ExportColumn,
  type SessionInfo,
} from "@evo-sessions/core";
import type { ExportCheckpoint, ParquetProgress } from "./checkpoint.js";
import { checkParquetResume, openParquetSink, type ParquetResume } from "./parquet-sink.js";

export type ExportFormat = "csv" | "jsonl" | "parquet";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "jsonl", "parquet"];

/** A destination of exported sessions. */
export interface Sink {
  /** Writes a batch; when it resolves, the rows are in the file. */
  write(batch: readonly SessionInfo[]): Promise<void>;
  /** Bytes of whole rows written so far: what a resume cuts the file back to. */
  readonly bytes: number;
  /** Bytes in the file (once closed, Parquet's footer included). */
  readonly size: number;
  /** Parquet: the row groups on disk and the length of their log, for the checkpoint. */
  readonly parquet?: ParquetProgress | undefined;
  /** Finishes the file (Parquet writes its footer) and closes it. */
  close(): Promise<void>;
}

export interface SinkOptions {
  format: ExportFormat;
  path: string;
  columns: ExportColumn[];
  timeZone: string;
  includeLog: boolean;
  now: Date;
  /** Continue the file an earlier run left (see checkResume), else start it new. */
  resume?: SinkResume | undefined;
}

/** Where an earlier run stopped: the file is cut back to `bytes` and continued. */
export interface SinkResume {
  bytes: number;
  /** Parquet: the row groups in those bytes, handed back to the writer. */
  parquet?: ParquetResume | undefined;
}

/** An earlier run's file checked against its checkpoint: how to continue it, or what is wrong. */
export type ResumeCheck = { resume: SinkResume; problem?: never } | { problem: string };

/**
 * Whether `output` holds what its checkpoint says: at least the bytes it names (a file cut
 * shorter than that lost rows the checkpoint counts), and for Parquet the row groups it logs.
 */
export async function checkResume(
  output: string,
  checkpoint: ExportCheckpoint,
): Promise<ResumeCheck> {
  const size = await sizeOf(output);
  if (size < checkpoint.bytes) {
    return {
      problem: `it is ${size} bytes, shorter than the ${checkpoint.bytes} its checkpoint says were written`,
    };
  }
  if (checkpoint.format === "parquet") return checkParquetResume(output, checkpoint);
  return { resume: { bytes: checkpoint.bytes } };
}

/** Opens the sink of `options.format` at `options.path` (new, or continued). */
export async function openSink(options: SinkOptions): Promise<Sink> {
  if (options.format === "parquet") return openParquetSink(options);
  const resuming = options.resume !== undefined;
  const handle = await open(options.path, resuming ? "r+" : "w");
  if (resuming) await handle.truncate(options.resume?.bytes);
  const encode = options.format === "csv" ? csvEncoder(options, !resuming) : jsonlEncoder(options);
  return textSink(handle, options.resume?.bytes ?? 0, encode);
}

function textSink(
  handle: FileHandle,
  start: number,
  encode: (batch: readonly SessionInfo[]) => string,
): Sink {
  let bytes = start;
  return {
    get bytes() {
      return bytes;
    },
    get size() {
      return bytes;
    },
    async write(batch) {
      const text = encode(batch);
      if (text === "") return;
      const buffer = Buffer.from(text, "utf8");
      await handle.write(buffer, 0, buffer.length, bytes);
      await handle.sync(); // on disk before the checkpoint counts it
      bytes += buffer.length;
    },
    async close() {
      await handle.sync();
      await handle.close();
    },
  };
}

function csvEncoder(
  options: SinkOptions,
  header: boolean,
): (batch: readonly SessionInfo[]) => string {
  let needsHeader = header;
  const names = options.columns.map((c) => c.name);
  return (batch) => {
    const rows = batch.map((session) =>
      textCells(
        flattenSession(session, {
          timeZone: options.timeZone,
          columns: options.columns,
          now: options.now,
        }),
        options.columns,
      ),
    );
    const records = needsHeader ? [names, ...rows] : rows;
    needsHeader = false;
    return records.length === 0 ? "" : stringify(records, { record_delimiter: "windows" });
  };
}

function jsonlEncoder(options: SinkOptions): (batch: readonly SessionInfo[]) => string {
  return (batch) =>
    batch
      .map((s) => `${JSON.stringify(sessionRecord(s, { includeLog: options.includeLog }))}\n`)
      .join("");
}

/** Size of a file, 0 when it does not exist. */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
