/**
 * Windows derived from a query's window: the previous period of the same length (for "this week
 * against last week") and the window widened to find the callbacks of its missed calls.
 */
import type { ResolvedRange } from "../query/relative-range.js";
import { localDateIn } from "../query/relative-range.js";
import { describeDateSpan } from "../time/calendar.js";

/** The period of the same length just before `window`: `[from − length, from)`. */
export function previousPeriod(window: ResolvedRange): ResolvedRange {
  const length = window.to.getTime() - window.from.getTime();
  return spanOf(new Date(window.from.getTime() - length), window.from, window, "previous period");
}

/** `window` with its end moved later by `ms`, but not past `now` (callbacks come after misses). */
export function widenedBy(window: ResolvedRange, ms: number, now: Date): ResolvedRange {
  const to = new Date(
    Math.max(window.to.getTime(), Math.min(window.to.getTime() + ms, now.getTime())),
  );
  return spanOf(window.from, to, window, "with callbacks");
}

function spanOf(from: Date, to: Date, like: ResolvedRange, words: string): ResolvedRange {
  const zone = like.timeZone;
  const first = localDateIn(from, zone);
  const last = localDateIn(new Date(to.getTime() - 1), zone);
  const utcDay = (date: Date) => date.toISOString().slice(0, 10);
  return {
    preset: "span",
    label: `${words} (${describeDateSpan(first, last) ?? first}, ${zone})`,
    timeZone: zone,
    localStartDate: first,
    localEndDate: last,
    startDate: utcDay(from),
    endDate: utcDay(new Date(to.getTime() - 1)),
    from,
    to,
  };
}
