import { addDays, resolveRelativeRange, SessionQuery, startOfLocalDay } from "@evo-sessions/core";
import type { CursorWindow } from "../cursor.js";

/** The relative ranges tools accept (core reads the same names with `-` for `_`). */
export const RANGE_NAMES = [
  "today",
  "yesterday",
  "last_24h",
  "last_7_days",
  "last_30_days",
  "this_week",
  "last_week",
  "this_month",
  "last_month",
] as const;

/** One of {@link RANGE_NAMES}. */
export type RangeName = (typeof RANGE_NAMES)[number];

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day an instant falls on. */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The window for exact instants `[fromMs, toMs)`: the UTC days sent to Evo Voice cover it, and
 * the instants are kept only when narrower than those whole UTC days, because then this server
 * must drop the sessions outside them (and can no longer report the server's total).
 */
function windowOf(
  fromMs: number | undefined,
  toMs: number | undefined,
  label: string,
): CursorWindow {
  const startDate = fromMs === undefined ? undefined : utcDay(fromMs);
  const endDate = toMs === undefined ? undefined : utcDay(toMs - 1);
  const fromAligned = fromMs === undefined || fromMs === Date.parse(`${startDate}T00:00:00Z`);
  const toAligned = toMs === undefined || toMs === Date.parse(`${endDate}T00:00:00Z`) + DAY_MS;
  const aligned = fromAligned && toAligned;
  return {
    startDate,
    endDate,
    fromMs: aligned ? undefined : fromMs,
    toMs: aligned ? undefined : toMs,
    label,
  };
}

/** Resolves a relative range in `timeZone` at `now` (see {@link windowOf}). */
export function resolveRange(name: RangeName, now: Date, timeZone: string): CursorWindow {
  const range = resolveRelativeRange(name, { now, timeZone });
  return windowOf(range.from.getTime(), range.to.getTime(), range.label);
}

/**
 * Resolves explicit `startDate`/`endDate` (inclusive, `YYYY-MM-DD`) as local days in `timeZone`,
 * like a relative range: the UTC days sent to Evo Voice cover them, and sessions outside the
 * local days are dropped by this server.
 */
export function resolveLocalDays(
  startDate: string | undefined,
  endDate: string | undefined,
  timeZone: string,
): CursorWindow {
  const fromMs =
    startDate === undefined ? undefined : startOfLocalDay(startDate, timeZone).getTime();
  const toMs =
    endDate === undefined ? undefined : startOfLocalDay(addDays(endDate, 1), timeZone).getTime();
  return windowOf(fromMs, toMs, `${describeDays(startDate, endDate)} (${timeZone})`);
}

/** `20–22 Nov 2026`, `since 20 Nov 2026`, `until 22 Nov 2026`, or `all days`. */
export function describeDays(startDate: string | undefined, endDate: string | undefined): string {
  let query = SessionQuery.create();
  if (startDate !== undefined) query = query.since(startDate);
  if (endDate !== undefined) query = query.until(endDate);
  const words = query.describe();
  return words === "all sessions" ? "all days" : words;
}

/**
 * A window in words with the UTC days sent to Evo Voice:
 * `yesterday (28 Nov 2026, UTC; server days 28 Nov 2026)`.
 */
export function describeWindowDays(window: CursorWindow): string {
  const server = `server days ${describeDays(window.startDate, window.endDate)}`;
  const label = window.label ?? describeDays(window.startDate, window.endDate);
  return label.endsWith(")") ? `${label.slice(0, -1)}; ${server})` : `${label} (${server})`;
}
