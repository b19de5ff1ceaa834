import { resolveRelativeRange } from "@evo-sessions/core";
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

/**
 * Resolves a range in `timeZone` at `now`. The UTC days sent to Evo Voice cover the local
 * range; the exact instants are kept only when they are narrower than those whole UTC days,
 * because then this server must drop the sessions outside them (and can no longer report the
 * server's total).
 */
export function resolveRange(name: RangeName, now: Date, timeZone: string): CursorWindow {
  const range = resolveRelativeRange(name, { now, timeZone });
  const fromMs = range.from.getTime();
  const toMs = range.to.getTime();
  const dayStart = Date.parse(`${range.startDate}T00:00:00Z`);
  const dayEnd = Date.parse(`${range.endDate}T00:00:00Z`) + DAY_MS;
  const aligned = fromMs === dayStart && toMs === dayEnd;
  return {
    startDate: range.startDate,
    endDate: range.endDate,
    fromMs: aligned ? undefined : fromMs,
    toMs: aligned ? undefined : toMs,
    label: range.label,
  };
}
