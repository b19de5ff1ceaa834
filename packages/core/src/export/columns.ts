/**
 * Sessions as flat rows: the columns every export writes (CSV, Parquet, a copied table), each a
 * pure function of one SessionInfo and the chosen zone. Surfaces pick columns by name; the
 * values come from core's facts and classification, so a row says what every other surface says.
 */
import {
  classifySession,
  DEFAULT_THRESHOLDS,
  type CallClass,
  type Thresholds,
} from "../analytics/classify.js";
import { InvalidOptionError } from "../errors/evo-voice-error.js";
import {
  answeredBy,
  channelOf,
  directionOf,
  durationMs,
  endedAt,
  outcomeOf,
  partiesOf,
  ringTimeMs,
  startedAt,
  talkTimeMs,
  type Party,
} from "../facts/session-facts.js";
import type { SessionInfo } from "../model/session.js";
import { zonedText } from "../time/time-text.js";
import { requireTimeZone } from "../time/zoned-time.js";

/** The type of a column's values: text, a whole number, true/false, or an instant. */
export type ExportColumnType = "text" | "integer" | "boolean" | "instant";

/** A value of a flattened row; `null` where the session does not say. */
export type ExportValue = string | number | boolean | Date | null;

/** What a column's value is computed from: the session, read once per row. */
export interface ExportRowContext {
  session: SessionInfo;
  timeZone: string;
  /** Durations of live sessions are measured to this instant. */
  now: Date;
  thresholds: Thresholds;
  /** The session's class (computed once per row). */
  readonly callClass: CallClass;
  /** Who called whom (computed once per row). */
  readonly parties: { from: Party; to: Party };
}

/** One exportable column. */
export interface ExportColumn {
  name: string;
  type: ExportColumnType;
  description: string;
  value(row: ExportRowContext): ExportValue;
}

const text = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === "" ? null : value;
const int = (value: number | undefined): number | null => (value === undefined ? null : value);
const seconds = (ms: number | undefined): number | null =>
  ms === undefined ? null : Math.round(ms / 1000);
const local = (date: Date | undefined, zone: string): string | null => {
  if (date === undefined) return null;
  const t = zonedText(date, zone);
  return `${t.day} ${t.timeWithSeconds}`;
};

function column(
  name: string,
  type: ExportColumnType,
  description: string,
  value: (row: ExportRowContext) => ExportValue,
): ExportColumn {
  return { name, type, description, value };
}

const s = (row: ExportRowContext): SessionInfo => row.session;

/** Every column, in the order they are written when all are asked for. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = Object.freeze([
  column("id", "text", "session ID", (r) => text(s(r).id)),
  column("started", "text", "start, local time in the chosen zone (YYYY-MM-DD HH:mm:ss)", (r) =>
    local(startedAt(s(r)), r.timeZone),
  ),
  column("startedAt", "instant", "start as an instant (ISO 8601 UTC in text formats)", (r) =>
    dateOrNull(startedAt(s(r))),
  ),
  column("ended", "text", "end, local time in the chosen zone", (r) =>
    local(endedAt(s(r)), r.timeZone),
  ),
  column("endedAt", "instant", "end as an instant", (r) => dateOrNull(endedAt(s(r)))),
  column("day", "text", "local day of the start (YYYY-MM-DD)", (r) => {
    const start = startedAt(s(r));
    return start === undefined ? null : zonedText(start, r.timeZone).day;
  }),
  column("direction", "text", "Incoming or Outgoing", (r) => directionOf(s(r)) ?? null),
  column("channel", "text", "Voice, Chat or Fax", (r) => channelOf(s(r)) ?? null),
  column("from", "text", "caller: name, else address", (r) => partyOf(r, "from")),
  column("fromAddress", "text", "caller's number or address", (r) => addressOf(r, "from")),
  column("to", "text", "called: name, else address", (r) => partyOf(r, "to")),
  column("toAddress", "text", "number or address called", (r) => addressOf(r, "to")),
  column("outcome", "text", "outcome class (answered, voicemail, abandoned, …)", (r) => {
    return outcomeOf(s(r)).kind;
  }),
  column("outcomeText", "text", "the server's own outcome words", (r) => text(s(r).outcome)),
  column("missed", "boolean", "Evo Voice's wasMissed", (r) => outcomeOf(s(r)).missed),
  column(
    "class",
    "text",
    "analytics class (inbound-answered, inbound-missed, outbound, …)",
    (r) => r.callClass.kind,
  ),
  column("missReason", "text", "why an inbound call was missed (short-abandon, …)", (r) => {
    const c = r.callClass;
    return c.kind === "inbound-missed" ? c.reason : null;
  }),
  column("outboundResult", "text", "result of an outbound call (connected, …)", (r) => {
    const c = r.callClass;
    return c.kind === "outbound" ? c.result : null;
  }),
  column("ringSeconds", "integer", "start → answer, seconds", (r) => seconds(ringTimeMs(s(r)))),
  column("talkSeconds", "integer", "answer → end, seconds", (r) =>
    seconds(talkTimeMs(s(r), r.now)),
  ),
  column("durationSeconds", "integer", "start → end, seconds", (r) =>
    seconds(durationMs(s(r), r.now)),
  ),
  column("answeredBy", "text", "who answered", (r) => answeredBy(s(r)) ?? null),
  column("account", "text", "account name", (r) => text(s(r).accountName)),
  column("accountId", "text", "account ID", (r) => text(s(r).accountId)),
  column("customer", "text", "customer name", (r) => text(s(r).customerName)),
  column("customerId", "text", "customer ID", (r) => text(s(r).customerId)),
  column("endpoint", "text", "endpoint name (user, number or queue)", (r) =>
    text(s(r).endpointName),
  ),
  column("endpointId", "text", "endpoint ID", (r) => text(s(r).endpointId)),
  column("callState", "text", "the server's call state", (r) => text(s(r).callState)),
  column("members", "integer", "number of members", (r) => int(s(r).members?.length)),
  column("logEntries", "integer", "number of log entries", (r) => int(s(r).log?.length)),
]);

/** The columns written when none are chosen. */
export const DEFAULT_EXPORT_COLUMNS: readonly string[] = Object.freeze([
  "id",
  "started",
  "direction",
  "channel",
  "from",
  "to",
  "outcome",
  "class",
  "missReason",
  "ringSeconds",
  "talkSeconds",
  "durationSeconds",
  "answeredBy",
  "account",
  "customer",
  "endpoint",
]);

function dateOrNull(date: Date | undefined): Date | null {
  return date ?? null;
}

function partyOf(row: ExportRowContext, side: "from" | "to"): string | null {
  const party = row.parties[side];
  return party.name ?? party.address ?? null;
}

function addressOf(row: ExportRowContext, side: "from" | "to"): string | null {
  const party = row.parties[side];
  return party.address ?? null;
}

const BY_NAME = new Map(EXPORT_COLUMNS.map((c) => [c.name.toLowerCase(), c]));

/**
 * The columns named, in the order given (any case; `all` for every column); throws
 * {@link InvalidOptionError} naming `columns` and the unknown name.
 */
export function resolveExportColumns(
  names: readonly string[] | string = DEFAULT_EXPORT_COLUMNS,
): ExportColumn[] {
  const list = typeof names === "string" ? names.split(",") : names;
  const out: ExportColumn[] = [];
  for (const raw of list) {
    const name = raw.trim().toLowerCase();
    if (name === "") continue;
    if (name === "all") {
      out.push(...EXPORT_COLUMNS.filter((c) => !out.includes(c)));
      continue;
    }
    const found = BY_NAME.get(name);
    if (found === undefined) {
      throw new InvalidOptionError(
        "columns",
        `unknown column; use some of ${EXPORT_COLUMNS.map((c) => c.name).join(", ")} (or all)`,
        raw.trim(),
      );
    }
    if (!out.includes(found)) out.push(found);
  }
  if (out.length === 0) throw new InvalidOptionError("columns", "name at least one column");
  return out;
}

/** Options of {@link flattenSession}. */
export interface FlattenOptions {
  /** Zone of the local times and days (an IANA name). */
  timeZone: string;
  /** Default: every column. */
  columns?: readonly ExportColumn[];
  now?: Date;
  thresholds?: Partial<Thresholds>;
}

/** One session as a row of typed values, keyed by column name, in the columns' order. */
export function flattenSession(
  session: SessionInfo,
  options: FlattenOptions,
): Record<string, ExportValue> {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  let callClass: CallClass | undefined;
  let parties: { from: Party; to: Party } | undefined;
  const row: ExportRowContext = {
    session,
    timeZone: requireTimeZone(options.timeZone),
    now: options.now ?? new Date(),
    thresholds,
    get callClass() {
      return (callClass ??= classifySession(session, thresholds));
    },
    get parties() {
      return (parties ??= partiesOf(session));
    },
  };
  const out: Record<string, ExportValue> = {};
  for (const c of options.columns ?? EXPORT_COLUMNS) out[c.name] = c.value(row);
  return out;
}

/**
 * A row's values as text cells (CSV, a Markdown or terminal table): instants as ISO 8601 UTC,
 * booleans as `true`/`false`, missing values as the empty string.
 */
export function textCells(
  values: Record<string, ExportValue>,
  columns: readonly ExportColumn[],
): string[] {
  return columns.map((c) => cellText(values[c.name] ?? null));
}

/** One value as a text cell (see {@link textCells}). */
export function cellText(value: ExportValue): string {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Options of {@link sessionRecord}. */
export interface SessionRecordOptions {
  /** Keep the log (default false: the list's log is left out, it is most of the bytes). */
  includeLog?: boolean;
}

/**
 * A session as one JSON record (a JSONL line, a copied object): every field the server sent, in
 * the model's shape, with `undefined` fields left out and the log only when asked for.
 */
export function sessionRecord(
  session: SessionInfo,
  options: SessionRecordOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(session)) {
    if (value === undefined) continue;
    if (key === "log" && options.includeLog !== true) continue;
    out[key] = value;
  }
  return out;
}
