/**
 * Pages of a read plan, as ListSessions would page them: sessions rebuilt from the three tables
 * (members and log entries in their stored order). A scan is read as a few segments — by
 * creation date, runs of whole UTC days of up to 3 000 sessions (sessions without a date first
 * ascending, last descending, as SQL sorts NULLs) — each one streamed query serving the pages read
 * in order. DuckDB then holds one segment's sort and child lists, not the whole window's (peak RSS
 * of a 64k-session analysis 1.3 GB → 0.9 GB), at about the same speed. A page asked for out of
 * order (an anchor search) restarts in its segment.
 */
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from "@duckdb/node-api";
import type { ListPage, SessionInfo, SessionQuery } from "@evo-sessions/core";
import { daysWhere, sessionOrder, sessionWhere, type ReadPlan } from "./copy-plan.js";
import { LOG_COLUMNS, MEMBER_COLUMNS, SESSION_COLUMNS, type StoreColumn } from "./schema.js";

type Row = Record<string, unknown>;
type Columns = readonly StoreColumn<never>[];
const ISO = "'%Y-%m-%dT%H:%M:%S.%gZ'";

/**
 * `"dateCreated" := strftime(s.date_created, …), …`: each column under its DTO field's name, times
 * as ISO text, JSON text as JSON. DuckDB writes each session as one JSON text (to_json), which
 * V8 parses about ten times faster than the node API converts nested values row by row.
 */
function fieldsOf(alias: string, columns: Columns): string {
  return columns
    .filter((c) => c.field !== undefined)
    .map((c) => {
      const value = `${alias}.${c.name}`;
      const expr =
        c.type === "TIMESTAMP"
          ? `strftime(${value}, ${ISO})`
          : c.json === true
            ? `json(${value})`
            : value;
      return `"${c.field!}" := ${expr}`;
    })
    .join(", ");
}

/**
 * The items of a child table per session, in their stored order. `list(… ORDER BY position)` is
 * about three times slower than sorting each list afterwards by a leading position field (which
 * is then dropped): list_sort over structs compares their first field first.
 */
function childList(table: string, columns: Columns, where: string, days: string): string {
  const named = columns.filter((c) => c.field !== undefined);
  const keep = named.map((c) => `"${c.field!}" := x."${c.field!}"`).join(", ");
  return `SELECT c.session_id, c.account_id, c.day,
      list_transform(list_sort(list(struct_pack("#" := c.position, ${fieldsOf("c", columns)}))), x -> struct_pack(${keep})) AS items
    FROM ${table} c JOIN (SELECT s.id, s.account_id, s.day FROM sessions s WHERE ${where}) k
      ON k.id = c.session_id AND k.account_id = c.account_id AND k.day = c.day
    WHERE ${days}
    GROUP BY c.session_id, c.account_id, c.day`;
}

/** The query listing a segment from `offset` on: one JSON text per session, members and log in it. */
function listingSql(segment: Segment, offset: number): string {
  const { plan } = segment;
  const where = `${sessionWhere(plan)} AND ${segment.condition}`;
  const days = daysWhere(plan, "c");
  const session = fieldsOf("s", SESSION_COLUMNS as Columns);
  return `WITH m AS (${childList("members", MEMBER_COLUMNS as Columns, where, days)}),
    l AS (${childList("log_entries", LOG_COLUMNS as Columns, where, days)})
    SELECT to_json(struct_pack(${session}, "members" := m.items, "log" := l.items))::VARCHAR AS j
    FROM sessions s
    LEFT JOIN m ON m.session_id = s.id AND m.account_id = s.account_id AND m.day = s.day
    LEFT JOIN l ON l.session_id = s.id AND l.account_id = s.account_id AND l.day = s.day
    WHERE ${where} ORDER BY ${sessionOrder(plan)} OFFSET ${offset}`;
}

/** The fields a value was read with: nulls (missing or empty when read) left out. */
function withoutNulls(row: Row): Row {
  // Copied rather than deleted from: an object that lost properties is slower to read after.
  const out: Row = {};
  for (const key in row) if (row[key] !== null) out[key] = row[key];
  return out;
}

/** One stored session as the SessionInfo it was read as. */
function sessionOf(json: string): SessionInfo {
  const row = withoutNulls(JSON.parse(json) as Row);
  const members = (row.members as Row[] | undefined) ?? [];
  const log = (row.log as Row[] | undefined) ?? [];
  return { ...row, members: members.map(withoutNulls), log: log.map(withoutNulls) } as SessionInfo;
}

/** A part of a scan, read by one query: a run of whole UTC days, or the sessions without a date. */
interface Segment {
  plan: ReadPlan;
  condition: string;
  count: number;
  /** Position of its first session in the scan. */
  start: number;
}

/** Sessions a segment holds at most (unless one day has more): measured 1k–10k, 3k was as fast as any. */
export const SEGMENT_SESSIONS = 3_000;

/** Consecutive days joined into runs of at most `most` sessions. */
function dayRuns(days: { day: string; count: number }[], most: number) {
  const runs: { from: string; to: string; count: number }[] = [];
  for (const { day, count } of days) {
    const last = runs.at(-1);
    if (last !== undefined && last.count + count <= most) {
      last.to = day;
      last.count += count;
    } else runs.push({ from: day, to: day, count });
  }
  return runs;
}

/** The scan's segments in its order (one segment when it is not sorted by creation date). */
async function segmentsOf(
  connection: DuckDBConnection,
  plan: ReadPlan,
  most: number,
): Promise<Segment[]> {
  const byDay = plan.sort.column === "date_created";
  const rows = (
    await connection.runAndReadAll(
      `SELECT ${byDay ? "strftime(s.day, '%Y-%m-%d')" : "''"} AS d,
         count(*) FILTER (s.date_created IS NOT NULL) AS n, count(*) FILTER (s.date_created IS NULL) AS z
       FROM sessions s WHERE ${sessionWhere(plan)} GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJson();
  if (!byDay) {
    const count = rows.reduce((sum, r) => sum + Number(r.n) + Number(r.z), 0);
    return [{ plan, condition: "true", count, start: 0 }];
  }
  const days = dayRuns(
    rows.filter((r) => Number(r.n) > 0).map((r) => ({ day: String(r.d), count: Number(r.n) })),
    most,
  ).map((run) => ({
    plan: { ...plan, from: run.from, to: run.to },
    condition: "s.date_created IS NOT NULL",
    count: run.count,
  }));
  if (plan.sort.descending) days.reverse();
  const undated = rows.reduce((sum, r) => sum + Number(r.z), 0);
  const nulls = { plan, condition: "s.date_created IS NULL", count: undated };
  const ordered = undated === 0 ? days : plan.sort.descending ? [...days, nulls] : [nulls, ...days];
  let start = 0;
  return ordered.map((segment) => {
    const placed = { ...segment, start };
    start += segment.count;
    return placed;
  });
}

/** Where a scan's reading stands: the segment streamed, and what it read ahead of the pages. */
interface Stream {
  segment: number;
  chunks: AsyncIterator<DuckDBDataChunk>;
  /** Position in the scan of the next session a page will take. */
  next: number;
  buffer: string[];
}

/** Reads the pages of one plan for one scan, on its own connection. */
export class StoreReader {
  readonly #instance: DuckDBInstance;
  readonly #plan: ReadPlan;
  #connection: DuckDBConnection | undefined;
  #segments: Segment[] | undefined;
  #stream: Stream | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  readonly #segmentSessions: number;

  constructor(instance: DuckDBInstance, plan: ReadPlan, segmentSessions = SEGMENT_SESSIONS) {
    this.#instance = instance;
    this.#plan = plan;
    this.#segmentSessions = segmentSessions;
  }

  /** Page `query.params.page` of `query.params.countPerPage` sessions, with the total. */
  page(query: SessionQuery): Promise<ListPage<SessionInfo>> {
    const run = this.#queue.then(() => this.#read(query));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.#stream = undefined;
    this.#connection?.closeSync();
    this.#connection = undefined;
  }

  async #read(query: SessionQuery): Promise<ListPage<SessionInfo>> {
    const size = query.params.countPerPage ?? 1000;
    const page = query.params.page ?? 0;
    const offset = page * size;
    const connection = (this.#connection ??= await this.#instance.connect());
    const segments = (this.#segments ??= await segmentsOf(
      connection,
      this.#plan,
      this.#segmentSessions,
    ));
    const total = segments.reduce((sum, segment) => sum + segment.count, 0);
    if (this.#stream?.next !== offset) this.#stream = await this.#open(connection, offset);
    const stream = this.#stream;
    while (stream !== undefined && stream.buffer.length < size) {
      const chunk = await stream.chunks.next();
      if (chunk.done !== true) {
        for (const value of chunk.value.getColumnValues(0)) stream.buffer.push(String(value));
      } else if (stream.segment + 1 < segments.length) {
        stream.segment++;
        stream.chunks = await this.#chunks(connection, segments[stream.segment]!, 0);
      } else break;
    }
    const rows = stream?.buffer.splice(0, size) ?? [];
    if (stream !== undefined) stream.next += rows.length;
    return { items: rows.map(sessionOf), page, totalCount: total, warnings: [] };
  }

  /** A stream from position `offset` of the scan (undefined past its end). */
  async #open(connection: DuckDBConnection, offset: number): Promise<Stream | undefined> {
    const segments = this.#segments!;
    const at = segments.findIndex((s) => offset < s.start + s.count);
    if (at === -1) return undefined;
    const segment = segments[at]!;
    const chunks = await this.#chunks(connection, segment, offset - segment.start);
    return { segment: at, chunks, next: offset, buffer: [] };
  }

  async #chunks(
    connection: DuckDBConnection,
    segment: Segment,
    offset: number,
  ): Promise<AsyncIterator<DuckDBDataChunk>> {
    const result = await connection.stream(listingSql(segment, offset));
    return result[Symbol.asyncIterator]();
  }
}
