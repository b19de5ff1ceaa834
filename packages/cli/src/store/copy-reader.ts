/**
 * Pages of a read plan, as ListSessions would page them: sessions rebuilt from the three tables
 * (members and log entries in their stored order). One streamed query serves the pages read in
 * order, so a scan of 200 000 sessions is one pass, not 200 queries; a page asked for out of
 * order (an anchor search) restarts the stream there.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from "@duckdb/node-api";
import type { ListPage, SessionInfo, SessionQuery } from "@evo-sessions/core";
import { sessionOrder, sessionWhere, type ReadPlan } from "./copy-plan.js";
import { LOG_COLUMNS, MEMBER_COLUMNS, SESSION_COLUMNS, type StoreColumn } from "./schema.js";

type Row = Record<string, unknown>;
const ISO = "'%Y-%m-%dT%H:%M:%S.%gZ'";

/** A column as read back: times as ISO text. */
const selected = (alias: string, c: StoreColumn<never>): string =>
  c.type === "TIMESTAMP"
    ? `strftime(${alias}.${c.name}, ${ISO}) AS ${c.name}`
    : `${alias}.${c.name} AS ${c.name}`;

const rebuildable = <T>(columns: readonly StoreColumn<T>[]) =>
  columns.filter((c) => c.field !== undefined);

/** `list(struct_pack(…) ORDER BY position)` of a child table, grouped by session. */
function childList(table: string, columns: readonly StoreColumn<never>[], where: string): string {
  const fields = rebuildable(columns)
    .map((c) =>
      c.type === "TIMESTAMP"
        ? `${c.name} := strftime(c.${c.name}, ${ISO})`
        : `${c.name} := c.${c.name}`,
    )
    .join(", ");
  return `SELECT c.session_id, c.account_id, c.day, list(struct_pack(${fields}) ORDER BY c.position) AS items
    FROM ${table} c JOIN (SELECT s.id, s.account_id, s.day FROM sessions s WHERE ${where}) k
      ON k.id = c.session_id AND k.account_id = c.account_id AND k.day = c.day
    GROUP BY c.session_id, c.account_id, c.day`;
}

/** The query listing the plan from `offset` on, sessions with their members and logs. */
function listingSql(plan: ReadPlan, offset: number): string {
  const where = sessionWhere(plan);
  const columns = rebuildable(SESSION_COLUMNS as readonly StoreColumn<never>[])
    .map((c) => selected("s", c))
    .join(", ");
  return `WITH m AS (${childList("members", MEMBER_COLUMNS as readonly StoreColumn<never>[], where)}),
    l AS (${childList("log_entries", LOG_COLUMNS as readonly StoreColumn<never>[], where)})
    SELECT ${columns}, m.items AS members, l.items AS log
    FROM sessions s
    LEFT JOIN m ON m.session_id = s.id AND m.account_id = s.account_id AND m.day = s.day
    LEFT JOIN l ON l.session_id = s.id AND l.account_id = s.account_id AND l.day = s.day
    WHERE ${where} ORDER BY ${sessionOrder(plan)} OFFSET ${offset}`;
}

/** A stored row as the SessionInfo it was read as (empty and missing fields left out). */
function fromColumns<T extends object>(row: Row, columns: readonly StoreColumn<never>[]): T {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = row[c.name];
    if (c.field === undefined || value === null || value === undefined) continue;
    out[c.field] = c.json === true ? JSON.parse(String(value)) : value;
  }
  return out as T;
}

function sessionOf(row: Row): SessionInfo {
  const session = fromColumns<SessionInfo>(row, SESSION_COLUMNS as readonly StoreColumn<never>[]);
  const members = (row.members as Row[] | null) ?? [];
  const log = (row.log as Row[] | null) ?? [];
  session.members = members.map((m) =>
    fromColumns(m, MEMBER_COLUMNS as readonly StoreColumn<never>[]),
  );
  session.log = log.map((e) => fromColumns(e, LOG_COLUMNS as readonly StoreColumn<never>[]));
  return session;
}

/** Reads the pages of one plan for one scan, on its own connection. */
export class StoreReader {
  readonly #instance: DuckDBInstance;
  readonly #plan: ReadPlan;
  #connection: DuckDBConnection | undefined;
  #stream:
    { result: DuckDBResult; rows: AsyncIterator<Row[]>; next: number; buffer: Row[] } | undefined;
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
      this.#stream = {
        result,
        rows: result.yieldRowObjectJs() as AsyncIterator<Row[]>,
        next: offset,
        buffer: [],
      };
    }
    const stream = this.#stream;
    while (stream.buffer.length < size) {
      const chunk = await stream.rows.next();
      if (chunk.done === true) break;
      stream.buffer.push(...chunk.value);
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
