/**
 * Relative date ranges ("today", "last 7 days", …) for people and assistants.
 *
 * How local days map to the API's days: `startDate`/`endDate` are whole days written
 * `YYYY-MM-DD`, inclusive, and their time zone is undocumented, so they are taken as UTC days.
 * A local day in a zone that is not at UTC spans parts of two UTC days (Monday in New York runs
 * from Monday 05:00 UTC to Tuesday 05:00 UTC), so the range sent is the set of UTC days that
 * covers the local range: never missing a session, but possibly reaching one day further than
 * asked. Callers that need precision post-filter the sessions by their exact instant with
 * {@link isWithinRange}, using the `from`/`to` instants the range resolves to.
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import { isCalendarDate, parseEvoDate } from "../model/dates.js";
import {
  addDays,
  dateParts,
  describeDateSpan,
  formatDay,
  utcDateText,
  weekday,
} from "../time/calendar.js";
import {
  requireTimeZone,
  startOfLocalDay,
  systemTimeZone,
  zonedParts,
} from "../time/zoned-time.js";

/** The named relative ranges. */
export const RelativeRangeNames = [
  "today",
  "yesterday",
  "this-week",
  "last-week",
  "this-month",
  "last-month",
  "last-24-hours",
] as const;

/** A named relative range. */
export type RelativeRangeName = (typeof RelativeRangeNames)[number];

/**
 * A relative range: a name, `last-N-days` / `last-N-hours` (also written `last N days`, `last-7d`,
 * `last-24h`, `past-…`; any letter case), or `{ lastDays: N }` / `{ lastHours: N }`.
 * "Last N days" is the N local calendar days ending today, today included.
 */
export type RelativeRangePreset =
  | RelativeRangeName
  | `last-${number}-days`
  | `last-${number}-hours`
  | { lastDays: number }
  | { lastHours: number }
  | (string & {});

/** Where and when a relative range is resolved. */
export interface RelativeRangeOptions {
  /** The clock: a fixed instant or a function returning "now" (default: the system clock). */
  now?: Date | (() => Date);
  /** IANA time zone the local days belong to, e.g. `Europe/London` (default: the machine's zone). */
  timeZone?: string;
  /** First day of a week: 0 Sunday … 6 Saturday (default 1, Monday, as in ISO 8601). */
  weekStartsOn?: number;
}

/** A relative range resolved against a clock and a time zone. */
export interface ResolvedRange {
  /** Canonical preset name, e.g. `today`, `last-7-days`, `last-24-hours`. */
  preset: string;
  /** Human wording with the local days and the zone, e.g. `last 7 days (28 Oct – 3 Nov 2026, America/New_York)`. */
  label: string;
  /** The canonical IANA zone the local days were taken in. */
  timeZone: string;
  /** First local calendar day of the range (`YYYY-MM-DD`). */
  localStartDate: string;
  /** Last local calendar day of the range, inclusive (`YYYY-MM-DD`). */
  localEndDate: string;
  /** First UTC day to send as `startDate` (covers `from`). */
  startDate: string;
  /** Last UTC day to send as `endDate`, inclusive (covers the instant just before `to`). */
  endDate: string;
  /** Exact start of the range, inclusive. */
  from: Date;
  /** Exact end of the range, exclusive (the start of the day after the last local day, or now for hours). */
  to: Date;
}

/** Largest `lastDays` accepted (about ten years). */
export const MAX_LAST_DAYS = 3660;
/** Largest `lastHours` accepted (a leap year). */
export const MAX_LAST_HOURS = 8784;

const HOUR_MS = 3_600_000;
const PRESET_HELP =
  "must be today, yesterday, this-week, last-week, this-month, last-month, last-24-hours, " +
  "last-N-days, last-N-hours, { lastDays: N } or { lastHours: N }";

type Preset =
  | { kind: "today" | "yesterday" | "this-week" | "last-week" | "this-month" | "last-month" }
  | { kind: "days" | "hours"; count: number };

/**
 * Resolves a relative range to local days, the exact instants `[from, to)`, and the UTC
 * `startDate`/`endDate` that cover them. Throws {@link QueryValidationError} for an unknown preset
 * (field `range`), a bad zone (`timeZone`), a bad clock (`now`) or a bad `weekStartsOn`.
 */
export function resolveRelativeRange(
  preset: RelativeRangePreset,
  options: RelativeRangeOptions = {},
): ResolvedRange {
  const parsed = parsePreset(preset);
  const timeZone = checkTimeZone(options.timeZone);
  const now = readClock(options.now);
  const weekStartsOn = options.weekStartsOn ?? 1;
  if (!Number.isInteger(weekStartsOn) || weekStartsOn < 0 || weekStartsOn > 6) {
    throw new QueryValidationError(
      "weekStartsOn",
      "must be an integer from 0 (Sunday) to 6 (Saturday)",
      weekStartsOn,
    );
  }

  if (parsed.kind === "hours") {
    const to = new Date(now.getTime());
    const from = new Date(to.getTime() - parsed.count * HOUR_MS);
    const words = parsed.count === 1 ? "last hour" : `last ${parsed.count} hours`;
    return {
      preset: `last-${parsed.count}-hours`,
      label: `${words} (until ${formatDay(localDate(to, timeZone))} ${localTime(to, timeZone)}, ${timeZone})`,
      timeZone,
      localStartDate: localDate(from, timeZone),
      localEndDate: localDate(to, timeZone),
      startDate: utcDateText(from),
      endDate: utcDateText(to.getTime() - 1),
      from,
      to,
    };
  }

  const today = localDate(now, timeZone);
  const [first, last, name, words] = localDays(parsed, today, weekStartsOn);
  const from = startOfLocalDay(first, timeZone);
  const to = startOfLocalDay(addDays(last, 1), timeZone);
  return {
    preset: name,
    label: `${words} (${describeDateSpan(first, last) ?? first}, ${timeZone})`,
    timeZone,
    localStartDate: first,
    localEndDate: last,
    startDate: utcDateText(from),
    endDate: utcDateText(to.getTime() - 1),
    from,
    to,
  };
}

/**
 * The ranges surfaces offer people and assistants, in one vocabulary: the canonical preset name
 * (what {@link resolveRelativeRange} reads; it also accepts `_` for `-`, so `last_7_days` works)
 * and the label a menu shows.
 */
export const RANGE_PRESETS = [
  { preset: "today", label: "Today" },
  { preset: "yesterday", label: "Yesterday" },
  { preset: "last-24-hours", label: "Last 24 hours" },
  { preset: "last-7-days", label: "Last 7 days" },
  { preset: "last-30-days", label: "Last 30 days" },
  { preset: "this-week", label: "This week" },
  { preset: "last-week", label: "Last week" },
  { preset: "this-month", label: "This month" },
  { preset: "last-month", label: "Last month" },
] as const;

/** One of {@link RANGE_PRESETS}' names. */
export type RangePresetName = (typeof RANGE_PRESETS)[number]["preset"];

/** The canonical name of a preset (`last_7_days`, `Last 7 Days` → `last-7-days`); throws like resolveRelativeRange. */
export function canonicalPreset(preset: RelativeRangePreset): string {
  return resolveRelativeRange(preset, { now: new Date(0), timeZone: "UTC" }).preset;
}

/** The menu label of a preset (`Last 7 days`), or its canonical name when no menu offers it. */
export function presetLabel(preset: RelativeRangePreset): string {
  const name = canonicalPreset(preset);
  return RANGE_PRESETS.find((entry) => entry.preset === name)?.label ?? name;
}

/**
 * Explicit local days `start`…`end` (inclusive, `YYYY-MM-DD`) in a zone, resolved like a preset:
 * the UTC days that cover them, and the exact instants. Preset name `days`. Throws
 * {@link QueryValidationError} for a bad day (`startDate`/`endDate`), order or zone.
 */
export function resolveLocalDays(
  start: string | undefined,
  end: string | undefined,
  options: { timeZone?: string } = {},
): ResolvedRange {
  const timeZone = checkTimeZone(options.timeZone);
  for (const [field, day] of [
    ["startDate", start],
    ["endDate", end],
  ] as const) {
    if (day !== undefined && !isCalendarDate(day)) {
      throw new QueryValidationError(field, "must be a calendar day written YYYY-MM-DD", day);
    }
  }
  if (start !== undefined && end !== undefined && start > end) {
    throw new QueryValidationError("endDate", `must not be before startDate (${start})`, end);
  }
  const from = start === undefined ? new Date(MIN_INSTANT) : startOfLocalDay(start, timeZone);
  const to = end === undefined ? new Date(MAX_INSTANT) : startOfLocalDay(addDays(end, 1), timeZone);
  const span = describeDateSpan(start, end) ?? "all days";
  return {
    preset: "days",
    label: `${span} (${timeZone})`,
    timeZone,
    localStartDate: start ?? "",
    localEndDate: end ?? "",
    startDate: start === undefined ? "" : utcDateText(from),
    endDate: end === undefined ? "" : utcDateText(to.getTime() - 1),
    from,
    to,
  };
}

// Open ends of explicit days: the earliest and latest instants a Date holds.
const MIN_INSTANT = -8.64e15;
const MAX_INSTANT = 8.64e15;

/**
 * True when an instant lies in a resolved range (`from` inclusive, `to` exclusive). Accepts a
 * `Date` or an Evo Voice date string (ISO 8601 or `/Date(…)/`, e.g. a session's `dateCreated`);
 * an unreadable or missing date is outside.
 */
export function isWithinRange(
  range: { from: Date; to: Date },
  when: Date | string | null | undefined,
): boolean {
  const date = when instanceof Date ? when : parseEvoDate(when);
  if (date === undefined) return false;
  const t = date.getTime();
  return t >= range.from.getTime() && t < range.to.getTime();
}

/** The local calendar day of an instant in a zone (`YYYY-MM-DD`). */
export function localDateIn(instant: Date, timeZone: string): string {
  return localDate(instant, checkTimeZone(timeZone));
}

function localDays(
  preset: Exclude<Preset, { kind: "hours" }>,
  today: string,
  weekStartsOn: number,
): [first: string, last: string, name: string, words: string] {
  const weekStart = addDays(today, -((weekday(today) - weekStartsOn + 7) % 7));
  const { year, month } = dateParts(today);
  const monthStart = `${today.slice(0, 8)}01`;
  switch (preset.kind) {
    case "today":
      return [today, today, "today", "today"];
    case "yesterday": {
      const day = addDays(today, -1);
      return [day, day, "yesterday", "yesterday"];
    }
    case "this-week":
      return [weekStart, today, "this-week", "this week"];
    case "last-week":
      return [addDays(weekStart, -7), addDays(weekStart, -1), "last-week", "last week"];
    case "this-month":
      return [monthStart, today, "this-month", "this month"];
    case "last-month": {
      const previous = utcDateText(Date.UTC(year, month - 2, 1));
      return [previous, addDays(monthStart, -1), "last-month", "last month"];
    }
    default:
      return [
        addDays(today, -(preset.count - 1)),
        today,
        `last-${preset.count}-days`,
        preset.count === 1 ? "last day" : `last ${preset.count} days`,
      ];
  }
}

function parsePreset(preset: unknown): Preset {
  if (typeof preset === "string") {
    const text = preset
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, "-");
    if ((RelativeRangeNames as readonly string[]).includes(text) && text !== "last-24-hours") {
      return { kind: text as Exclude<RelativeRangeName, "last-24-hours"> };
    }
    const match = /^(?:last|past)-(\d{1,6})-?(d|days?|h|hrs?|hours?)$/.exec(text);
    if (match)
      return countPreset(
        match[2]?.startsWith("d") === true ? "days" : "hours",
        Number(match[1]),
        preset,
      );
  } else if (typeof preset === "object" && preset !== null && !Array.isArray(preset)) {
    const keys = Object.keys(preset);
    const record = preset as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === "lastDays")
      return countPreset("days", record.lastDays, preset);
    if (keys.length === 1 && keys[0] === "lastHours")
      return countPreset("hours", record.lastHours, preset);
  }
  throw new QueryValidationError("range", PRESET_HELP, preset);
}

function countPreset(kind: "days" | "hours", count: unknown, preset: unknown): Preset {
  const max = kind === "days" ? MAX_LAST_DAYS : MAX_LAST_HOURS;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > max) {
    throw new QueryValidationError(
      "range",
      `the number of ${kind} must be an integer from 1 to ${max}`,
      preset,
    );
  }
  return { kind, count };
}

function checkTimeZone(timeZone: unknown): string {
  return timeZone === undefined ? systemTimeZone() : requireTimeZone(timeZone);
}

function readClock(now: unknown): Date {
  let value: unknown = now;
  if (typeof now === "function") value = (now as () => unknown)();
  if (value === undefined) return new Date();
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new QueryValidationError(
      "now",
      "must be a valid Date or a function returning one",
      value,
    );
  }
  return value;
}

function localDate(instant: Date, timeZone: string): string {
  return zonedParts(instant, timeZone).dayKey;
}

function localTime(instant: Date, timeZone: string): string {
  const { hour, minute } = zonedParts(instant, timeZone);
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}
