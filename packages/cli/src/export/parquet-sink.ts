/**
 * Parquet through hyparquet-writer: one row group per batch, on disk (fsync) before the batch
 * counts as written, so that a resume after any stop, even SIGKILL, continues the same file.
 *
 * A Parquet file ends in a footer that lists every row group, written once at the end. A file
 * cut off before its footer is whole up to its last row group, though, and all a writer needs
 * to go on from there is those row groups' metadata. So after each row group the sink appends
 * that metadata (hyparquet-writer's own RowGroup, and the page indexes it keeps for the end) as
 * one line to the row-group log beside the file, and the checkpoint records how many bytes of
 * the file and of the log hold finished row groups. A resume cuts both back to those lengths,
 * gives the writer its row groups back and continues; the footer is written at the end as ever.
 */
import { open, readFile, type FileHandle } from "node:fs/promises";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { RowGroup } from "hyparquet";
import { flattenSession, type ExportColumn, type ExportValue } from "@evo-sessions/core";
import { rowGroupLogPath, type ExportCheckpoint, type ParquetProgress } from "./checkpoint.js";
import type { ResumeCheck, Sink, SinkOptions } from "./sinks.js";

type BasicType = "STRING" | "INT64" | "BOOLEAN" | "TIMESTAMP";

const TYPE_OF: Record<ExportColumn["type"], BasicType> = {
  text: "STRING",
  integer: "INT64",
  boolean: "BOOLEAN",
  instant: "TIMESTAMP",
};

/** "PAR1", the magic number a Parquet file starts (and ends) with. */
const MAGIC = "PAR1";

/** What the writer keeps of a column chunk until the end, where it writes the page indexes. */
type PendingIndex = ParquetWriter["pendingIndexes"][number];

/** One line of the row-group log: a row group and its columns' pending page indexes. */
interface RowGroupRecord {
  group: RowGroup;
  indexes: Omit<PendingIndex, "chunk">[];
}

/** What an earlier run of a Parquet export left: its row groups, read back from the log. */
export interface ParquetResume {
  rowGroups: RowGroupRecord[];
  logBytes: number;
}

/** A file written at its end and flushed to disk at each append. */
interface DurableFile {
  readonly length: number;
  append(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Opens `path` new (`keep` undefined) or cut back to `keep` bytes. */
async function durableFile(path: string, keep: number | undefined): Promise<DurableFile> {
  const handle: FileHandle = await open(path, keep === undefined ? "w" : "r+");
  if (keep !== undefined) await handle.truncate(keep);
  let length = keep ?? 0;
  return {
    get length() {
      return length;
    },
    async append(bytes) {
      for (let done = 0; done < bytes.length;) {
        const { bytesWritten } = await handle.write(
          bytes,
          done,
          bytes.length - done,
          length + done,
        );
        done += bytesWritten;
      }
      await handle.sync();
      length += bytes.length;
    },
    close: () => handle.close(),
  };
}

function schemaOf(columns: readonly ExportColumn[]) {
  return [
    { name: "root", num_children: columns.length },
    ...columns.map((c) => {
      const type = TYPE_OF[c.type];
      const base = { name: c.name, repetition_type: "OPTIONAL" as const };
      if (type === "STRING")
        return { ...base, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const };
      if (type === "TIMESTAMP")
        return { ...base, type: "INT64" as const, converted_type: "TIMESTAMP_MILLIS" as const };
      return { ...base, type };
    }),
  ];
}

/**
 * A ParquetWriter whose row groups go to `file` as each is done. Resuming, it starts where the
 * file was cut back to, holding the row groups already there (their footer entries to come).
 */
async function parquetWriter(
  file: DurableFile,
  columns: readonly ExportColumn[],
  resume: ParquetResume | undefined,
): Promise<ParquetWriter> {
  const writer = new ByteWriter();
  const flush = async (): Promise<void> => {
    await file.append(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
  };
  Object.assign(writer, { flush, finish: flush });
  const pw = new ParquetWriter({ writer, schema: schemaOf(columns), createdBy: "evo-sessions" });
  if (resume === undefined) {
    await flush(); // the header, on disk before any checkpoint names this file
    return pw;
  }
  // The header the constructor wrote is in the file already: offsets go on from its end.
  writer.index = 0;
  writer.offset = file.length;
  for (const { group, indexes } of resume.rowGroups) {
    pw.row_groups.push(group);
    pw.num_rows += group.num_rows;
    group.columns.forEach((chunk, i) => pw.pendingIndexes.push({ ...indexes[i], chunk }));
  }
  return pw;
}

export async function openParquetSink(options: SinkOptions): Promise<Sink> {
  const resume = options.resume?.parquet;
  const file = await durableFile(options.path, options.resume?.bytes);
  const log = await durableFile(rowGroupLogPath(options.path), resume?.logBytes);
  const pw = await parquetWriter(file, options.columns, resume);
  let logged = pw.row_groups.length;
  let indexed = pw.pendingIndexes.length;
  let rowsEnd = file.length;
  const writeRows = async (rows: Record<string, ExportValue>[]): Promise<void> => {
    if (rows.length === 0) return;
    const columnData = options.columns.map((c) => ({
      name: c.name,
      data: rows.map((r) => normalise(c, r[c.name] ?? null)),
    }));
    await pw.write({ columnData, rowGroupSize: rows.length });
    // The row group is on disk; its line in the log makes it count.
    for (; logged < pw.row_groups.length; logged++) {
      const group = pw.row_groups[logged]!;
      const indexes = pw.pendingIndexes.slice(indexed, indexed + group.columns.length);
      indexed += indexes.length;
      await log.append(encodeRecord({ group, indexes: indexes.map(({ chunk: _, ...i }) => i) }));
    }
    rowsEnd = file.length;
  };
  return {
    get bytes() {
      return rowsEnd;
    },
    get size() {
      return file.length;
    },
    get parquet(): ParquetProgress {
      return { rowGroups: logged, logBytes: log.length };
    },
    async write(batch) {
      const flatten = { timeZone: options.timeZone, columns: options.columns, now: options.now };
      await writeRows(batch.map((s) => flattenSession(s, flatten)));
    },
    async close() {
      try {
        await pw.finish();
      } finally {
        await file.close();
        await log.close();
      }
    },
  };
}

function normalise(column: ExportColumn, value: ExportValue): ExportValue | bigint {
  if (value === null) return null;
  if (column.type === "integer" && typeof value === "number") return BigInt(value);
  return value;
}

/** A log line: the record as JSON (bigints as `{"$n": "…"}`), deflated, in base64. */
function encodeRecord(record: RowGroupRecord): Uint8Array {
  const json = JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === "bigint") return { $n: value.toString() };
    if (ArrayBuffer.isView(value)) throw new Error("binary row-group metadata is not logged");
    return value;
  });
  return Buffer.from(`${deflateRawSync(json).toString("base64")}\n`, "latin1");
}

function decodeRecord(line: string): RowGroupRecord {
  const json = inflateRawSync(Buffer.from(line, "base64")).toString("utf8");
  return JSON.parse(json, (_key, value: unknown) => {
    const n = (value as { $n?: unknown } | null)?.$n;
    return typeof n === "string" ? BigInt(n) : value;
  }) as RowGroupRecord;
}

/**
 * Whether an earlier run's file and row-group log hold what its checkpoint says (a Parquet
 * header, every row group logged, the last one ending where the checkpoint's bytes do), and
 * those row groups when they do. The file's length is checked by the caller.
 */
export async function checkParquetResume(
  output: string,
  checkpoint: ExportCheckpoint,
): Promise<ResumeCheck> {
  const progress = checkpoint.parquet;
  if (progress === undefined) return { problem: "its checkpoint has no row-group log" };
  if (!(await startsWithMagic(output))) return { problem: "it does not start as Parquet does" };
  const path = rowGroupLogPath(output);
  let log: Buffer;
  try {
    log = await readFile(path);
  } catch {
    return { problem: `its row-group log ${path} cannot be read` };
  }
  if (log.length < progress.logBytes) {
    return {
      problem: `its row-group log ${path} is ${log.length} bytes, shorter than the ${progress.logBytes} its checkpoint says`,
    };
  }
  let rowGroups: RowGroupRecord[];
  try {
    const text = log.subarray(0, progress.logBytes).toString("latin1");
    rowGroups = text === "" ? [] : text.replace(/\n$/, "").split("\n").map(decodeRecord);
  } catch {
    return { problem: `its row-group log ${path} does not decode` };
  }
  const rows = rowGroups.reduce((n, r) => n + Number(r.group.num_rows), 0);
  const last = rowGroups.at(-1)?.group;
  const end = last === undefined ? MAGIC.length : groupEnd(last);
  if (
    rowGroups.length !== progress.rowGroups ||
    rows !== checkpoint.rows ||
    end !== checkpoint.bytes
  )
    return { problem: `its row-group log ${path} does not match its checkpoint` };
  return {
    resume: { bytes: checkpoint.bytes, parquet: { rowGroups, logBytes: progress.logBytes } },
  };
}

/** Where a row group's bytes end: its first column chunk's start plus its size. */
function groupEnd(group: RowGroup): number {
  const start = group.columns[0]?.file_offset ?? 0n;
  return Number(start + (group.total_compressed_size ?? 0n));
}

async function startsWithMagic(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.toString("latin1") === MAGIC;
  } finally {
    await handle.close();
  }
}
