/**
 * Calendar-day arithmetic on `YYYY-MM-DD` text and an English date wording that does not
 * depend on the machine's locale (so summaries read the same on every machine and in tests).
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import { isCalendarDate } from "../model/dates.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;

/** Splits `YYYY-MM-DD` (already validated) into numbers. */
export function dateParts(text: string): { year: number; month: number; day: number } {
  return {
    year: Number(text.slice(0, 4)),
    month: Number(text.slice(5, 7)),
    day: Number(text.slice(8, 10)),
  };
}

/** Writes a UTC-midnight timestamp as `YYYY-MM-DD`. */
export function utcDateText(date: Date | number): string {
  const d = new Date(date);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * The calendar day `days` after (before, when negative) a `YYYY-MM-DD` day; no time zone is
 * involved. Throws {@link QueryValidationError} for a malformed day (field `day`) or a
 * fractional count (`days`).
 */
export function addDays(text: string, days: number): string {
  if (typeof text !== "string" || !isCalendarDate(text)) {
    throw new QueryValidationError("day", "must be a calendar day written YYYY-MM-DD", text);
  }
  if (!Number.isSafeInteger(days)) {
    throw new QueryValidationError("days", "must be a whole number", days);
  }
  const { year, month, day } = dateParts(text);
  return utcDateText(Date.UTC(year, month - 1, day) + days * DAY_MS);
}

/** Day of the week of a calendar day: 0 Sunday … 6 Saturday. */
export function weekday(text: string): number {
  const { year, month, day } = dateParts(text);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** `1 Nov 2026`. */
export function formatDay(text: string): string {
  const { year, month, day } = dateParts(text);
  return `${day} ${MONTHS[month - 1] ?? "?"} ${year}`;
}

/**
 * A compact span of calendar days: `1 Nov 2026`, `1–7 Nov 2026`, `28 Oct – 3 Nov 2026`,
 * `28 Dec 2026 – 3 Jan 2027`, `since 1 Nov 2026`, `until 7 Nov 2026`; undefined when neither end is set.
 */
export function describeDateSpan(
  start: string | undefined,
  end: string | undefined,
): string | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (end === undefined) return `since ${formatDay(start as string)}`;
  if (start === undefined) return `until ${formatDay(end)}`;
  if (start === end) return formatDay(start);
  const a = dateParts(start);
  const b = dateParts(end);
  if (a.year === b.year && a.month === b.month) return `${a.day}–${formatDay(end)}`;
  if (a.year === b.year) return `${a.day} ${MONTHS[a.month - 1] ?? "?"} – ${formatDay(end)}`;
  return `${formatDay(start)} – ${formatDay(end)}`;
}
