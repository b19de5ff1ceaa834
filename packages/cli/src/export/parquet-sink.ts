/**
 * Parquet through hyparquet-writer: one row group per batch, flushed to the file as it is
 * encoded (memory holds one batch). A Parquet file ends in its footer and cannot be appended
 * to, so an interrupted export finishes the file it has; resuming copies its rows (one row group
 * at a time) into a new file and goes on there.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { flattenSession, type ExportColumn, type ExportValue } from "@evo-sessions/core";
import type { Sink, SinkOptions } from "./sinks.js";

type BasicType = "STRING" | "INT64" | "BOOLEAN" | "TIMESTAMP";

const TYPE_OF: Record<ExportColumn["type"], BasicType> = {
  text: "STRING",
  integer: "INT64",
  boolean: "BOOLEAN",
  instant: "TIMESTAMP",
};

/** A hyparquet Writer that appends to a file whenever a row group is done. */
function fileWriter(path: string): { writer: ByteWriter; written: () => number } {
  writeFileSync(path, "");
  const writer = new ByteWriter();
  let written = 0;
  const flush = (): void => {
    appendFileSync(path, new Uint8Array(writer.buffer, 0, writer.index));
    written += writer.index;
    writer.index = 0;
  };
  Object.assign(writer, { flush, finish: flush });
  return { writer, written: () => written };
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

export async function openParquetSink(options: SinkOptions): Promise<Sink> {
  const previous = `${options.path}.resume`;
  if (options.resumeBytes !== undefined) await rename(options.path, previous);
  const { writer, written } = fileWriter(options.path);
  const pw = new ParquetWriter({
    writer,
    schema: schemaOf(options.columns),
    createdBy: "evo-sessions",
  });
  const writeRows = async (rows: Record<string, ExportValue>[]): Promise<void> => {
    if (rows.length === 0) return;
    const columnData = options.columns.map((c) => ({
      name: c.name,
      data: rows.map((r) => normalise(c, r[c.name] ?? null)),
    }));
    await pw.write({ columnData, rowGroupSize: rows.length });
  };
  if (options.resumeBytes !== undefined) {
    await copyRows(previous, options.columns, writeRows);
    await rm(previous, { force: true });
  }
  return {
    get bytes() {
      return written();
    },
    async write(batch) {
      await writeRows(
        batch.map((s) =>
          flattenSession(s, {
            timeZone: options.timeZone,
            columns: options.columns,
            now: options.now,
          }),
        ),
      );
    },
    async close() {
      await pw.finish();
    },
  };
}

function normalise(column: ExportColumn, value: ExportValue): ExportValue | bigint {
  if (value === null) return null;
  if (column.type === "integer" && typeof value === "number") return BigInt(value);
  return value;
}

/** Copies every row of an earlier file, one row group at a time. */
async function copyRows(
  path: string,
  columns: readonly ExportColumn[],
  writeRows: (rows: Record<string, ExportValue>[]) => Promise<void>,
): Promise<void> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end });
    await writeRows(rows.map((row) => fromParquet(row, columns)));
    start = end;
  }
}

function fromParquet(
  row: Record<string, unknown>,
  columns: readonly ExportColumn[],
): Record<string, ExportValue> {
  const out: Record<string, ExportValue> = {};
  for (const c of columns) {
    const value = row[c.name];
    out[c.name] = typeof value === "bigint" ? Number(value) : ((value ?? null) as ExportValue);
  }
  return out;
}
