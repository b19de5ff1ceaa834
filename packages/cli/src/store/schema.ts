/**
 * The store's tables, one definition per column (DDL and the appender read the same list).
 * Times are UTC `TIMESTAMP`s; `day` is the UTC day the session was created on, the unit the
 * server filters by and the store syncs and partitions by.
 */
import {
  answeredAt,
  classifySession,
  durationMs,
  outcomeOf,
  parseEvoDate,
  ringTimeMs,
  talkTimeMs,
  type CallClass,
  type SessionInfo,
  type SessionLogInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";

/** Bumped when a table changes; a store of another version is refused with what to do. */
export const STORE_SCHEMA_VERSION = 1;

export type ColumnType = "VARCHAR" | "TIMESTAMP" | "DATE" | "BOOLEAN" | "BIGINT" | "INTEGER";
export type CellValue = string | number | boolean | Date | null;

export interface StoreColumn<Row> {
  name: string;
  type: ColumnType;
  get(row: Row): CellValue;
}

/** A session with what the sync computed for it. */
export interface SessionRow {
  session: SessionInfo;
  accountId: string;
  day: string;
  archived: boolean;
  cls: CallClass;
  syncedAt: Date;
}

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const time = (v: unknown): Date | null => parseEvoDate(v) ?? null;
const int = (v: number | undefined): number | null => (v === undefined ? null : v);

type S = StoreColumn<SessionRow>;
const sc = (name: string, type: ColumnType, get: (row: SessionRow) => CellValue): S => ({
  name,
  type,
  get,
});
const field = (name: string, key: keyof SessionInfo, type: ColumnType = "VARCHAR"): S =>
  sc(name, type, (r) =>
    type === "TIMESTAMP"
      ? time(r.session[key])
      : type === "BOOLEAN"
        ? bool(r.session[key])
        : text(r.session[key]),
  );

/** `sessions`: one row per session. */
export const SESSION_COLUMNS: readonly S[] = [
  sc("id", "VARCHAR", (r) => text(r.session.id)),
  sc("account_id", "VARCHAR", (r) => r.accountId),
  sc("day", "DATE", (r) => r.day),
  field("account_name", "accountName"),
  field("customer_id", "customerId"),
  field("customer_name", "customerName"),
  field("endpoint_id", "endpointId"),
  field("endpoint_name", "endpointName"),
  field("date_created", "dateCreated", "TIMESTAMP"),
  field("date_completed", "dateCompleted", "TIMESTAMP"),
  field("date_last_modified", "dateLastModified", "TIMESTAMP"),
  field("direction", "direction"),
  field("channel", "channel"),
  field("from_address", "fromAddress"),
  field("from_name", "fromName"),
  field("from_phone_number", "fromPhoneNumber"),
  field("to_address", "toAddress"),
  field("destination", "destination"),
  field("display_name", "displayName"),
  field("answered_by_name", "answeredByName"),
  field("answered_by_id", "answeredById"),
  field("outcome", "outcome"),
  field("was_missed", "wasMissed", "BOOLEAN"),
  field("ended", "ended", "BOOLEAN"),
  field("call_state", "callState"),
  field("dial_state", "dialState"),
  field("queue_state", "queueState"),
  field("hold_reason", "holdReason"),
  field("queue_member_id", "queueMemberId"),
  field("ring_queue_id", "ringQueueId"),
  field("callback_number", "callbackNumber"),
  field("call_sid", "callSid"),
  sc("outcome_kind", "VARCHAR", (r) => outcomeOf(r.session).kind),
  sc("class", "VARCHAR", (r) => r.cls.kind),
  sc("miss_reason", "VARCHAR", (r) => (r.cls.kind === "inbound-missed" ? r.cls.reason : null)),
  sc("outbound_result", "VARCHAR", (r) => (r.cls.kind === "outbound" ? r.cls.result : null)),
  sc("answered_at", "TIMESTAMP", (r) => answeredAt(r.session) ?? null),
  sc("ring_ms", "BIGINT", (r) => int(ringTimeMs(r.session))),
  sc("talk_ms", "BIGINT", (r) => int(talkTimeMs(r.session))),
  sc("duration_ms", "BIGINT", (r) => int(durationMs(r.session))),
  sc("member_count", "INTEGER", (r) => r.session.members?.length ?? 0),
  sc("log_count", "INTEGER", (r) => r.session.log?.length ?? 0),
  sc("archived", "BOOLEAN", (r) => r.archived),
  sc("synced_at", "TIMESTAMP", (r) => r.syncedAt),
];

export interface ChildRow<T> {
  sessionId: string;
  accountId: string;
  day: string;
  position: number;
  item: T;
}

type M = StoreColumn<ChildRow<SessionMemberInfo>>;
const mc = (name: string, type: ColumnType, get: (item: SessionMemberInfo) => CellValue): M => ({
  name,
  type,
  get: (r) => get(r.item),
});
const keys = <T>(): StoreColumn<ChildRow<T>>[] => [
  { name: "session_id", type: "VARCHAR", get: (r) => r.sessionId },
  { name: "account_id", type: "VARCHAR", get: (r) => r.accountId },
  { name: "day", type: "DATE", get: (r) => r.day },
  { name: "position", type: "INTEGER", get: (r) => r.position },
];

/** `members`: one row per member of a session, in the server's order. */
export const MEMBER_COLUMNS: readonly M[] = [
  ...keys<SessionMemberInfo>(),
  mc("identity", "VARCHAR", (m) => text(m.identity)),
  mc("endpoint_id", "VARCHAR", (m) => text(m.endpointId)),
  mc("display_name", "VARCHAR", (m) => text(m.displayName)),
  mc("role", "VARCHAR", (m) => text(m.role)),
  mc("call_state", "VARCHAR", (m) => text(m.callState)),
  mc("is_original_member", "BOOLEAN", (m) => bool(m.isOriginalMember)),
  mc("muted", "BOOLEAN", (m) => bool(m.muted)),
  mc("call_sid", "VARCHAR", (m) => text(m.callSid)),
];

/** `log_entries`: one row per log entry, in the server's order. */
export const LOG_COLUMNS: readonly StoreColumn<ChildRow<SessionLogInfo>>[] = [
  ...keys<SessionLogInfo>(),
  { name: "date", type: "TIMESTAMP", get: (r) => time(r.item.date) },
  { name: "message", type: "VARCHAR", get: (r) => text(r.item.message) },
];

const ddl = (table: string, columns: readonly { name: string; type: ColumnType }[]): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (${columns.map((c) => `${c.name} ${c.type}`).join(", ")})`;

/** The statements that create the store (idempotent). */
export const SCHEMA_SQL: readonly string[] = [
  ddl("sessions", SESSION_COLUMNS),
  ddl("members", MEMBER_COLUMNS),
  ddl("log_entries", LOG_COLUMNS),
  `CREATE TABLE IF NOT EXISTS sync_days (account_id VARCHAR, day DATE, sessions INTEGER, frozen BOOLEAN, synced_at TIMESTAMP, PRIMARY KEY (account_id, day))`,
  `CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE OR REPLACE VIEW session_classes AS
   SELECT id, account_id, account_name, customer_id, customer_name, endpoint_id, endpoint_name, day,
          date_created, direction, channel, outcome_kind, class, miss_reason, outbound_result,
          class IN ('inbound-answered', 'inbound-missed') AS offered,
          class = 'inbound-answered' AS answered,
          class = 'inbound-missed' AS missed,
          miss_reason = 'short-abandon' AS short_abandon,
          ring_ms, talk_ms, duration_ms, answered_by_name
   FROM sessions`,
];

/** Classifies a session once for every column that needs it. */
export function sessionRow(
  session: SessionInfo,
  accountId: string,
  day: string,
  archived: boolean,
  syncedAt: Date,
): SessionRow {
  return { session, accountId, day, archived, cls: classifySession(session), syncedAt };
}
