/**
 * Wall-clock readings of instants in IANA time zones, and the instants local days begin at.
 * Relative ranges, the MCP server's answers and the extension's day groups all read zones
 * through here, so a local day starts at the same instant everywhere, DST days included.
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import { isCalendarDate } from "../model/dates.js";
import { dateParts } from "./calendar.js";

/** The wall-clock fields of an instant as a clock in one time zone shows them. */
export interface ZonedParts {
  /** Full year, e.g. 2026. */
  year: number;
  /** 1 January … 12 December. */
  month: number;
  /** Day of the month, 1–31. */
  day: number;
  /** 0–23. */
  hour: number;
  /** 0–59. */
  minute: number;
  /** 0–59. */
  second: number;
  /** Day of the week: 0 Sunday … 6 Saturday. */
  weekday: number;
  /** The local calendar day, `YYYY-MM-DD`. */
  dayKey: string;
}

const TIME_ZONE_REASON = "must be an IANA time zone such as UTC, Europe/London or America/New_York";
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const canonicalNames = new Map<string, string>();

/** The machine's IANA time zone, or `UTC` when the runtime cannot tell. */
export function systemTimeZone(): string {
  try {
    return new Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The runtime's name for an IANA time zone (`utc` → `UTC`), or undefined when it does not know the zone. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  let name = canonicalNames.get(timeZone);
  if (name === undefined) {
    try {
      name = new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
    canonicalNames.set(timeZone, name);
  }
  return name;
}

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== undefined;
}

/**
 * Splits an instant into the fields a wall clock in `timeZone` shows. Throws
 * {@link QueryValidationError} for an unknown zone (field `timeZone`) or an invalid date (`date`).
 */
export function zonedParts(instant: Date | number, timeZone: string): ZonedParts {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) {
    throw new QueryValidationError("date", "must be a valid Date or timestamp", instant);
  }
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 1970;
  const month = fields.month ?? 1;
  const day = fields.day ?? 1;
  return {
    year,
    month,
    day,
    // Some runtimes write midnight as 24 even with hourCycle h23.
    hour: (fields.hour ?? 0) % 24,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    dayKey: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
  };
}

/**
 * The first instant of a local calendar day (`YYYY-MM-DD`) in `timeZone`. Local midnight is
 * "UTC midnight minus the offset", but the offset may change that day; trying the offsets in
 * force around it and keeping the earliest candidate that falls on the day also handles zones
 * whose DST switch skips midnight (e.g. America/Santiago, where such a day starts at 01:00).
 * Throws {@link QueryValidationError} for a malformed day (field `day`) or an unknown zone.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  if (typeof day !== "string" || !isCalendarDate(day)) {
    throw new QueryValidationError("day", "must be a calendar day written YYYY-MM-DD", day);
  }
  const { year, month, day: dom } = dateParts(day);
  const base = Date.UTC(year, month - 1, dom);
  const candidates = [base - DAY_MS, base, base + DAY_MS]
    .map((probe) => base - offsetAt(probe, timeZone))
    .sort((a, b) => a - b);
  const start = candidates.find((candidate) => zonedParts(candidate, timeZone).dayKey === day);
  return new Date(start ?? base - offsetAt(base, timeZone));
}

/**
 * The canonical name of a zone given by a caller, surrounding spaces ignored. Throws
 * {@link QueryValidationError} (field `timeZone`) for anything but a zone this runtime knows.
 */
export function requireTimeZone(timeZone: unknown): string {
  const name = typeof timeZone === "string" ? canonicalTimeZone(timeZone.trim()) : undefined;
  if (name === undefined) throw new QueryValidationError("timeZone", TIME_ZONE_REASON, timeZone);
  return name;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new QueryValidationError("timeZone", TIME_ZONE_REASON, timeZone);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const p = zonedParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}
