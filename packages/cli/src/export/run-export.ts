/**
 * Streams a query's sessions into a file with flat memory: oldest first (so that sessions
 * arriving meanwhile land after the end), one batch per page, a checkpoint after each batch
 * (once the batch is in the file), and on a stop (Ctrl-C, a failure) the batch in hand written
 * and the file closed cleanly. A hard stop (SIGKILL, a power cut) leaves the file as it was at
 * the last checkpoint or longer; the next run cuts it back to the checkpoint and goes on.
 */
import { access } from "node:fs/promises";
import {
  SessionQuery,
  type EvoVoiceClient,
  type ExportColumn,
  type SessionInfo,
} from "@evo-sessions/core";
import { CliError } from "../errors.js";
import {
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
  type ExportCheckpoint,
} from "./checkpoint.js";
import { checkResume, openSink, type ExportFormat, type Sink, type SinkResume } from "./sinks.js";

export interface ExportOptions {
  format: ExportFormat;
  /** The output file; its checkpoint is `output.checkpoint.json`. */
  output: string;
  columns: ExportColumn[];
  timeZone: string;
  includeLog: boolean;
  /** Start over even if a checkpoint says an earlier run stopped part-way. */
  restart?: boolean;
  /** Sessions per request (default 1000, the server's most). */
  pageSize?: number;
  /** Requests in flight (default 4). */
  concurrency?: number;
  now?: Date;
  signal?: AbortSignal;
  onProgress?: (progress: { rows: number; total: number | undefined }) => void;
  /** Told when an export resumes or starts over. */
  onNotice?: (text: string) => void;
}

export interface ExportSummary {
  output: string;
  format: ExportFormat;
  rows: number;
  /** Rows written by this run (the rest by the runs it resumed). */
  rowsThisRun: number;
  bytes: number;
  resumed: boolean;
  complete: boolean;
  /** Stopped by the signal: the file holds `rows` rows and the checkpoint is kept. */
  interrupted: boolean;
  elapsedMs: number;
}

/** Exports `query` (sorted oldest first here) into `options.output`. */
export async function exportSessions(
  client: EvoVoiceClient,
  asked: SessionQuery,
  options: ExportOptions,
): Promise<ExportSummary> {
  const started = performance.now();
  const wanted = asked.oldest();
  const found = options.restart === true ? undefined : await usableCheckpoint(wanted, options);
  const query = found === undefined ? wanted : SessionQuery.fromSpec(found.checkpoint.query);
  const state: ExportCheckpoint = found?.checkpoint ?? freshCheckpoint(query, options);
  const sink = await openSink({
    format: options.format,
    path: options.output,
    columns: options.columns,
    timeZone: options.timeZone,
    includeLog: options.includeLog,
    now: options.now ?? new Date(),
    resume: found?.resume,
  });
  const rowsBefore = state.rows;
  let complete = false;
  try {
    complete = await pump(client, query, sink, state, options);
  } finally {
    await sink.close();
    Object.assign(state, { bytes: sink.bytes, parquet: sink.parquet });
    if (complete) await removeCheckpoint(options.output);
    else await writeCheckpoint(options.output, { ...state, updatedAt: new Date().toISOString() });
  }
  return {
    output: options.output,
    format: options.format,
    rows: state.rows,
    rowsThisRun: state.rows - rowsBefore,
    bytes: sink.size,
    resumed: found !== undefined,
    complete,
    interrupted: !complete && options.signal?.aborted === true,
    elapsedMs: performance.now() - started,
  };
}

/** Reads pages and writes them batch by batch; true when the list was read to its end. */
async function pump(
  client: EvoVoiceClient,
  query: SessionQuery,
  sink: Sink,
  state: ExportCheckpoint,
  options: ExportOptions,
): Promise<boolean> {
  const pageSize = options.pageSize ?? 1000;
  // The scan runs on its own signal so that a stop ends the reading, never a write under way.
  const reading = new AbortController();
  const stop = (): void => reading.abort();
  if (options.signal?.aborted === true) stop();
  else options.signal?.addEventListener("abort", stop, { once: true });
  let total: number | undefined;
  const scan = client.scan(query, {
    offset: state.nextOffset,
    ...(state.lastId === undefined ? {} : { anchorId: state.lastId }),
    cap: Number.MAX_SAFE_INTEGER,
    pageSize,
    concurrency: options.concurrency ?? 4,
    signal: reading.signal,
    onProgress: (p) => {
      if (p.serverTotal !== undefined) total = p.serverTotal;
    },
  });
  let batch: SessionInfo[] = [];
  let last: { index: number; id: string | undefined } | undefined;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await sink.write(batch);
    state.rows += batch.length;
    Object.assign(state, { bytes: sink.bytes, parquet: sink.parquet });
    if (last !== undefined) Object.assign(state, { nextOffset: last.index + 1, lastId: last.id });
    batch = [];
    await writeCheckpoint(options.output, { ...state, updatedAt: new Date().toISOString() });
    options.onProgress?.({ rows: state.rows, total });
  };
  try {
    for await (const { session, index } of scan) {
      batch.push(session);
      last = { index, id: session.id ?? undefined };
      if (batch.length >= pageSize) await flush();
    }
    await flush();
    return scan.report.complete;
  } catch (error) {
    await flush();
    if (options.signal?.aborted === true) return false;
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", stop);
  }
}

function freshCheckpoint(query: SessionQuery, options: ExportOptions): ExportCheckpoint {
  return {
    version: 1,
    format: options.format,
    columns: options.columns.map((c) => c.name),
    includeLog: options.includeLog,
    key: query.key(),
    query: query.toSpec(),
    nextOffset: 0,
    lastId: undefined,
    rows: 0,
    bytes: 0,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * The checkpoint of an earlier run of the same export, and how to continue its file, when there
 * is one. A relative range ("yesterday") keeps the days of the first run. A checkpoint of a
 * different export refuses; a file that does not hold what its checkpoint says starts over.
 */
async function usableCheckpoint(
  query: SessionQuery,
  options: ExportOptions,
): Promise<{ checkpoint: ExportCheckpoint; resume: SinkResume } | undefined> {
  const found = await readCheckpoint(options.output);
  if (found === undefined) return undefined;
  if (!(await exists(options.output))) return undefined;
  const same =
    found.format === options.format &&
    found.includeLog === options.includeLog &&
    found.columns.join(",") === options.columns.map((c) => c.name).join(",") &&
    sameFilters(SessionQuery.fromSpec(found.query), query);
  if (!same) {
    throw new CliError(
      "export_conflict",
      `${options.output} holds an interrupted export of other filters, columns or format (its checkpoint ${options.output}.checkpoint.json): repeat that command to finish it, or add --restart to overwrite it.`,
      { argument: "--output" },
    );
  }
  const check = await checkResume(options.output, found);
  if (check.problem !== undefined) {
    options.onNotice?.(
      `${options.output} cannot be continued (${check.problem}): starting it over.`,
    );
    return undefined;
  }
  options.onNotice?.(`resuming ${options.output}: ${found.rows} sessions already written`);
  return { checkpoint: found, resume: check.resume };
}

/** The same filters, a relative range's days aside (those are taken from the first run). */
function sameFilters(earlier: SessionQuery, now: SessionQuery): boolean {
  const strip = (q: SessionQuery) => {
    const spec = q.toSpec() as unknown as Record<string, unknown>;
    const window = spec.window as Record<string, unknown> | undefined;
    const params = { ...(spec.params as Record<string, unknown>) };
    delete params.startDate;
    delete params.endDate;
    const days =
      window?.preset === "days" ? [window.localStartDate, window.localEndDate] : undefined;
    return JSON.stringify({
      params,
      where: spec.where,
      preset: window?.preset,
      zone: window?.timeZone,
      days,
    });
  };
  return strip(earlier) === strip(now);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
