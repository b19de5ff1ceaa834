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

/**
 * Bumped when a table changes; a store of another version is refused with what to do.
 * 2: every SessionInfo and SessionMemberInfo field has a column (a session can be rebuilt from
 * the tables), and `archived` is the side each session was read from.
 */
export const STORE_SCHEMA_VERSION = 2;

export type ColumnType = "VARCHAR" | "TIMESTAMP" | "DATE" | "BOOLEAN" | "BIGINT" | "INTEGER";
export type CellValue = string | number | boolean | Date | null;

export interface StoreColumn<Row> {
  name: string;
  type: ColumnType;
  get(row: Row): CellValue;
  /** The DTO field the column holds as read (a session is rebuilt from these). */
  field?: string;
  /** The field is a list or map, held as JSON text. */
  json?: boolean;
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
const field = (name: string, key: keyof SessionInfo, type: ColumnType = "VARCHAR"): S => ({
  ...sc(name, type, (r) =>
    type === "TIMESTAMP"
      ? time(r.session[key])
      : type === "BOOLEAN"
        ? bool(r.session[key])
        : text(r.session[key]),
  ),
  field: key,
});
const jsonText = (v: unknown): string | null =>
  v === null || v === undefined ? null : JSON.stringify(v);
const jsonField = (name: string, key: keyof SessionInfo): S => ({
  ...sc(name, "VARCHAR", (r) => jsonText(r.session[key])),
  field: key,
  json: true,
});

/**
 * `sessions`: one row per session. Every SessionInfo field but `members` and `log` (their own
 * tables) has a column, so the store can hand a session back as read; properties the seed does
 * not list (drift) are not kept.
 */
export const SESSION_COLUMNS: readonly S[] = [
  { ...sc("id", "VARCHAR", (r) => text(r.session.id)), field: "id" },
  // The account the day was synced for: the session's own (its accountId is read back from it).
  { ...sc("account_id", "VARCHAR", (r) => r.accountId), field: "accountId" },
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
  field("created_by", "createdBy"),
  field("last_modified_by", "lastModifiedBy"),
  jsonField("customer_breadcrumb", "customerBreadcrumb"),
  field("console_data", "consoleData"),
  field("hold_queue_name", "holdQueueName"),
  field("held_by_user_id", "heldByUserId"),
  field("conference_sid", "conferenceSid"),
  field("most_recent_participant_call_sid", "mostRecentParticipantCallSid"),
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
const mc = (name: string, key: keyof SessionMemberInfo, type: ColumnType = "VARCHAR"): M => ({
  name,
  type,
  get: (r) => (type === "BOOLEAN" ? bool(r.item[key]) : text(r.item[key])),
  field: key,
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
  mc("identity", "identity"),
  mc("endpoint_id", "endpointId"),
  mc("display_name", "displayName"),
  mc("role", "role"),
  mc("call_state", "callState"),
  mc("is_original_member", "isOriginalMember", "BOOLEAN"),
  mc("muted", "muted", "BOOLEAN"),
  mc("call_sid", "callSid"),
  mc("avatar_url", "avatarUrl"),
  {
    name: "application_data",
    type: "VARCHAR",
    get: (r) => jsonText(r.item.applicationData),
    field: "applicationData",
    json: true,
  },
];

/** `log_entries`: one row per log entry, in the server's order. */
export const LOG_COLUMNS: readonly StoreColumn<ChildRow<SessionLogInfo>>[] = [
  ...keys<SessionLogInfo>(),
  { name: "date", type: "TIMESTAMP", get: (r) => time(r.item.date), field: "date" },
  { name: "message", type: "VARCHAR", get: (r) => text(r.item.message), field: "message" },
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
