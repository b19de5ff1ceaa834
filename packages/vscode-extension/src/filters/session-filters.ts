import {
  formatDayKey,
  isCalendarDate,
  OutcomeKinds,
  presetLabel,
  RANGE_PRESETS,
  SessionQuery,
  type KnownChannel,
  type KnownDirection,
  type OutcomeKind,
  type RangePresetName,
} from "@evo-sessions/core";
import { readOwnerKey, type OwnerKey } from "../owner-key.js";

// The presets the Date range menu offers: a few of core's, which name and label them for every
// surface (the chat's assistant knows the same names).
const MENU_PRESETS: readonly RangePresetName[] = [
  "today",
  "yesterday",
  "last-7-days",
  "this-month",
];

/**
 * The date-range presets the filter menu offers, with core's labels, in core's order (a function,
 * not a constant: core's chunk loads when the menu opens, not at activation).
 */
export function datePresets(): (typeof RANGE_PRESETS)[number][] {
  return RANGE_PRESETS.filter((entry) => MENU_PRESETS.includes(entry.preset));
}

/**
 * A preset a saved date range may name: any of core's, so that a range saved by a later version
 * (or set by a command) still reads; the menu offers {@link datePresets}.
 */
export type DatePreset = RangePresetName;

/**
 * A date range of local days. Presets are stored by name and resolved on every load, so
 * "Today" still means today after a restart.
 */
export type DateRangeFilter =
  { kind: "preset"; preset: DatePreset } | { kind: "custom"; start: string; end: string };

/** Sort orders offered (by creation date). */
export type SortChoice = "newest" | "oldest";

/** The filters of the Sessions view; every field is optional and absent means "any". */
export interface SessionFilters {
  dateRange?: DateRangeFilter;
  /** From address contains this text. */
  from?: string;
  /** To address contains this text. */
  to?: string;
  /** Log contains this text. */
  log?: string;
  accountIds?: string[];
  customerIds?: string[];
  endpointIds?: string[];
  /** Search archived sessions (older than about 15 days) instead of recent ones. */
  archive?: boolean;
  /** Default newest first. */
  sort?: SortChoice;
  /** true: only sessions Evo Voice marked missed; false: only the others (core's predicate). */
  missed?: boolean;
  direction?: KnownDirection;
  channel?: KnownChannel;
  /** Core's outcome classes (answered, voicemail, abandoned, …); any of them. */
  outcomeKinds?: OutcomeKind[];
  /**
   * A time slot (the dashboard's heatmap cell): local weekdays (0 Sunday … 6 Saturday) and hours
   * (0–23) the session started in, read in the view's zone. Set by the dashboard.
   */
  weekdays?: number[];
  hours?: number[];
  /** Display names of the IDs above, so the view can say "Acme Dental" rather than a GUID. */
  names?: Record<string, string>;
  /**
   * The sign-in the account, customer and endpoint IDs belong to: another user's IDs mean nothing
   * (or the wrong thing) to this one.
   */
  owner?: OwnerKey;
}

/** Whether any account, customer or endpoint filter is set. */
export function hasIdFilters(filters: SessionFilters): boolean {
  return (
    (filters.accountIds?.length ?? 0) > 0 ||
    (filters.customerIds?.length ?? 0) > 0 ||
    (filters.endpointIds?.length ?? 0) > 0
  );
}

/** Where and when filters are turned into a query. */
export interface QueryContext {
  now: Date;
  timeZone: string;
}

/** True when no filter is set (the default sort does not count). */
export function hasActiveFilters(filters: SessionFilters): boolean {
  return (
    filters.dateRange !== undefined ||
    filters.from !== undefined ||
    filters.to !== undefined ||
    filters.log !== undefined ||
    hasIdFilters(filters) ||
    filters.archive === true ||
    filters.sort === "oldest" ||
    hasSessionPredicates(filters)
  );
}

/** Whether a filter the server lacks (missed, direction, channel, outcome) is set. */
export function hasSessionPredicates(filters: SessionFilters): boolean {
  return (
    filters.missed !== undefined ||
    filters.direction !== undefined ||
    filters.channel !== undefined ||
    (filters.outcomeKinds?.length ?? 0) > 0 ||
    (filters.weekdays?.length ?? 0) > 0 ||
    (filters.hours?.length ?? 0) > 0
  );
}

/**
 * The one query the view reads for `filters` (paging is the scanner's): the server parameters,
 * and a date range as core's local-day window in `timeZone`, which sends the UTC days covering
 * the local days and keeps only the sessions inside them.
 */
export function filtersToQuery(filters: SessionFilters, context: QueryContext): SessionQuery {
  let query = SessionQuery.create();
  query = filters.sort === "oldest" ? query.oldest() : query.newest();
  if (filters.from !== undefined) query = query.from(filters.from);
  if (filters.to !== undefined) query = query.to(filters.to);
  if (filters.log !== undefined) query = query.logContains(filters.log);
  if (filters.accountIds?.length) query = query.accounts(filters.accountIds);
  if (filters.customerIds?.length) query = query.customers(filters.customerIds);
  if (filters.endpointIds?.length) query = query.endpoints(filters.endpointIds);
  if (filters.archive === true) query = query.archive(true);
  // Core's predicates, so the sidebar keeps exactly what list_sessions keeps for the same words.
  if (filters.missed !== undefined) query = query.missed(filters.missed);
  if (filters.direction !== undefined) query = query.direction(filters.direction);
  if (filters.channel !== undefined) query = query.channel(filters.channel);
  if (filters.outcomeKinds?.length) query = query.outcomeKinds(filters.outcomeKinds);
  if (filters.weekdays?.length || filters.hours?.length) {
    // In the view's zone, as the dashboard's heatmap counted them (with or without a window).
    query = query.filter({
      weekdays: filters.weekdays,
      hours: filters.hours,
      timeZone: context.timeZone,
    });
  }
  const range = filters.dateRange;
  if (range?.kind === "preset") {
    query = query.range(range.preset, { now: context.now, timeZone: context.timeZone });
  } else if (range?.kind === "custom") {
    query = query.localDays(range.start, range.end, { timeZone: context.timeZone });
  }
  return query;
}

/**
 * A short summary for the view's description, e.g. `Today · from "555" · 2 accounts`. Shorter
 * than core's `SessionQuery.describe()` on purpose: the view title has room for a few words, the
 * zone is the setting's, the default sort is left out, and IDs are named by what was picked.
 * The words for ranges and days are core's.
 */
export function describeFilters(filters: SessionFilters): string {
  const parts: string[] = [];
  if (filters.dateRange !== undefined) parts.push(describeDateRange(filters.dateRange));
  if (filters.from !== undefined) parts.push(`from "${filters.from}"`);
  if (filters.to !== undefined) parts.push(`to "${filters.to}"`);
  if (filters.log !== undefined) parts.push(`log "${filters.log}"`);
  const ids = (kind: string, list: string[] | undefined) => {
    if (!list?.length) return;
    if (list.length === 1) {
      const id = list[0] as string;
      parts.push(filters.names?.[id] ?? `${kind} ${id}`);
    } else parts.push(`${list.length} ${kind}s`);
  };
  ids("account", filters.accountIds);
  ids("customer", filters.customerIds);
  ids("endpoint", filters.endpointIds);
  parts.push(...describePredicates(filters));
  if (filters.archive === true) parts.push("archive");
  if (filters.sort === "oldest") parts.push("oldest first");
  return parts.join(" · ");
}

/** Words for the predicates: `missed`, `incoming`, `chat`, `voicemail or abandoned`. */
export function describePredicates(filters: SessionFilters): string[] {
  const parts: string[] = [];
  if (filters.missed === true) parts.push("missed");
  if (filters.missed === false) parts.push("not missed");
  if (filters.direction !== undefined) parts.push(filters.direction.toLowerCase());
  if (filters.channel !== undefined) parts.push(filters.channel.toLowerCase());
  if (filters.outcomeKinds?.length)
    parts.push(filters.outcomeKinds.map(outcomeKindLabel).join(" or "));
  const slot = describeTimeSlot(filters);
  if (slot !== undefined) parts.push(slot);
  return parts;
}

/** How an outcome class reads: `no answer` rather than `no-answer`. */
export function outcomeKindLabel(kind: OutcomeKind): string {
  return kind.replace(/-/g, " ");
}

/** `Today`, `Last 7 days`, or `1 Nov – 7 Nov 2025` for custom days. */
export function describeDateRange(range: DateRangeFilter): string {
  if (range.kind === "preset") {
    return presetLabel(range.preset);
  }
  if (range.start === range.end) return formatDayKey(range.start);
  return `${formatDayKey(range.start)} – ${formatDayKey(range.end)}`;
}

/**
 * Reads filters saved by any earlier version, keeping every valid field and dropping the rest:
 * a corrupt or outdated entry in workspace state must never stop the view from loading.
 */
export function parseStoredFilters(value: unknown): SessionFilters {
  if (!isRecord(value)) return {};
  const filters: SessionFilters = {};
  const range = value.dateRange;
  if (isRecord(range)) {
    if (range.kind === "preset" && RANGE_PRESETS.some((entry) => entry.preset === range.preset)) {
      filters.dateRange = { kind: "preset", preset: range.preset as DatePreset };
    } else if (
      range.kind === "custom" &&
      typeof range.start === "string" &&
      typeof range.end === "string" &&
      isCalendarDate(range.start) &&
      isCalendarDate(range.end) &&
      range.start <= range.end
    ) {
      filters.dateRange = { kind: "custom", start: range.start, end: range.end };
    }
  }
  for (const key of ["from", "to", "log"] as const) {
    const text = value[key];
    if (typeof text === "string" && text.trim() !== "") filters[key] = text.trim();
  }
  for (const key of ["accountIds", "customerIds", "endpointIds"] as const) {
    const list = value[key];
    if (Array.isArray(list)) {
      const ids = [
        ...new Set(
          list
            .filter((id): id is string => typeof id === "string" && id.trim() !== "")
            .map((id) => id.trim()),
        ),
      ];
      if (ids.length > 0) filters[key] = ids;
    }
  }
  if (value.archive === true) filters.archive = true;
  if (value.sort === "oldest") filters.sort = "oldest";
  Object.assign(filters, parsePredicates(value));
  if (isRecord(value.names)) {
    const names: Record<string, string> = {};
    for (const [id, name] of Object.entries(value.names)) {
      if (typeof name === "string") names[id] = name;
    }
    filters.names = names;
  }
  const owner = readOwnerKey(value.owner);
  if (owner !== undefined) filters.owner = owner;
  return filters;
}

const DIRECTIONS: readonly KnownDirection[] = ["Incoming", "Outgoing"];
const CHANNELS: readonly KnownChannel[] = ["Voice", "Chat", "Fax"];

/** The predicates of saved filters; values this version does not know are dropped. */
function parsePredicates(value: Record<string, unknown>): Partial<SessionFilters> {
  const out: Partial<SessionFilters> = {};
  if (typeof value.missed === "boolean") out.missed = value.missed;
  const direction = DIRECTIONS.find((known) => known === value.direction);
  if (direction !== undefined) out.direction = direction;
  const channel = CHANNELS.find((known) => known === value.channel);
  if (channel !== undefined) out.channel = channel;
  if (Array.isArray(value.outcomeKinds)) {
    const kinds = OutcomeKinds.filter((kind) => (value.outcomeKinds as unknown[]).includes(kind));
    if (kinds.length > 0) out.outcomeKinds = kinds;
  }
  const weekdays = wholeNumbers(value.weekdays, 6);
  if (weekdays !== undefined) out.weekdays = weekdays;
  const hours = wholeNumbers(value.hours, 23);
  if (hours !== undefined) out.hours = hours;
  return out;
}

function wholeNumbers(value: unknown, max: number): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter(
    (item): item is number => Number.isInteger(item) && item >= 0 && item <= max,
  );
  const unique = [...new Set(list)].sort((a, b) => a - b);
  return unique.length > 0 ? unique : undefined;
}

const WEEKDAY_WORDS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** `Mon 14:00–15:00`, `Mon`, `14:00–15:00`; undefined without a time slot. */
export function describeTimeSlot(filters: SessionFilters): string | undefined {
  const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
  const days = filters.weekdays?.map((day) => WEEKDAY_WORDS[day] ?? String(day)).join(" or ");
  const hours = filters.hours?.map((hour) => `${clock(hour)}–${clock(hour + 1)}`).join(" or ");
  const words = [days, hours].filter((part) => part !== undefined && part !== "").join(" ");
  return words === "" ? undefined : words;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
