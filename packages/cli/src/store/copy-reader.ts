/**
 * Pages of a read plan, as ListSessions would page them: sessions rebuilt from the three tables
 * (members and log entries in their stored order). One streamed query serves the pages read in
 * order, so a scan of 200 000 sessions is one pass, not 200 queries; a page asked for out of
 * order (an anchor search) restarts the stream there.
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

/** The query listing the plan from `offset` on: one JSON text per session, members and log in it. */
function listingSql(plan: ReadPlan, offset: number): string {
  const where = sessionWhere(plan);
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

/** Reads the pages of one plan for one scan, on its own connection. */
export class StoreReader {
  readonly #instance: DuckDBInstance;
  readonly #plan: ReadPlan;
  #connection: DuckDBConnection | undefined;
  #stream: { chunks: AsyncIterator<DuckDBDataChunk>; next: number; buffer: string[] } | undefined;
  #total: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(instance: DuckDBInstance, plan: ReadPlan) {
    this.#instance = instance;
    this.#plan = plan;
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
    this.#total ??= await this.#count(connection);
    if (this.#stream?.next !== offset) {
      const result = await connection.stream(listingSql(this.#plan, offset));
      this.#stream = { chunks: result[Symbol.asyncIterator](), next: offset, buffer: [] };
    }
    const stream = this.#stream;
    while (stream.buffer.length < size) {
      const chunk = await stream.chunks.next();
      if (chunk.done === true) break;
      for (const value of chunk.value.getColumnValues(0)) stream.buffer.push(String(value));
    }
    const rows = stream.buffer.splice(0, size);
    stream.next += rows.length;
    return { items: rows.map(sessionOf), page, totalCount: this.#total, warnings: [] };
  }

  async #count(connection: DuckDBConnection): Promise<number> {
    const rows = (
      await connection.runAndReadAll(
        `SELECT count(*) AS n FROM sessions s WHERE ${sessionWhere(this.#plan)}`,
      )
    ).getRowObjectsJson();
    return Number(rows[0]?.n ?? 0);
  }
}
