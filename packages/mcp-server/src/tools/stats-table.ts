/**
 * The count table of `session_stats`: which group a session falls in, the rows of a grouping
 * (every hour, every day of the window — by week or month when long — or the groups seen), and
 * the rows written into an answer within its budget.
 */
import {
  addDays,
  firstText,
  isMissed,
  startedAt,
  zonedText,
  type ResolvedRange,
  type SessionInfo,
} from "@evo-sessions/core";
import { clip } from "../format/budget.js";
import { counted, jsonChars, type Answer } from "./answer.js";

/** What `session_stats` can group by. */
export const GROUP_BY = [
  "outcome",
  "direction",
  "channel",
  "missed",
  "endpoint",
  "customer",
  "hour_of_day",
  "day",
] as const;

/** One of {@link GROUP_BY}. */
export type GroupBy = (typeof GROUP_BY)[number];

/** Most rows of a count table; the rest are summed into one "other" row (never for time groupings). */
export const MAX_ROWS = 40;
/** Most day rows; a longer span is counted by week (and past as many weeks, by month). */
export const MAX_TIME_ROWS = 62;

/** Key of the row of sessions whose start cannot be read. */
export const UNKNOWN_TIME = "(unknown time)";
/** Widest row label in the text table. */
const MAX_LABEL_CHARS = 80;

/** One row: its key and how many sessions it counts. */
export interface Row {
  key: string;
  count: number;
}

/** The rows of a grouping and, for days, the length of a row. */
export interface Table {
  rows: Row[];
  grain: "day" | "week" | "month" | undefined;
  /** Said after the headline when days were counted by week or month. */
  note: string;
}

/** The group a session is counted in. Days are keyed `YYYY-MM-DD` and labelled by {@link tableOf}. */
export function groupKey(session: SessionInfo, groupBy: GroupBy, timeZone: string): string {
  switch (groupBy) {
    case "outcome":
      return firstText(session.outcome) ?? "(no outcome)";
    case "direction":
      return firstText(session.direction) ?? "(unknown)";
    case "channel":
      return firstText(session.channel) ?? "(unknown)";
    case "missed":
      return isMissed(session) ? "missed" : "not missed";
    case "endpoint":
      return named(session.endpointName, session.endpointId, "(no endpoint)");
    case "customer":
      return named(session.customerName, session.customerId, "(no customer)");
    case "hour_of_day":
    case "day": {
      const date = startedAt(session);
      if (date === undefined) return UNKNOWN_TIME;
      const parts = zonedText(date, timeZone);
      return groupBy === "day" ? parts.day : `${String(parts.hour).padStart(2, "0")}:00`;
    }
  }
}

// Endpoint and customer rows end with `(id)`: the model copies it into endpointIds/customerIds.
function named(
  name: string | null | undefined,
  id: string | null | undefined,
  none: string,
): string {
  return id || name ? `${name ?? "?"} (${id ?? "no id"})` : none;
}

/**
 * A row's label for the text table, shortened by its name only: endpoint and customer rows end
 * with `(id)`, which the model copies into endpointIds/customerIds, so the ID is never cut.
 */
export function rowLabel(key: string): string {
  const id = /^(.*) (\([^()]*\))$/.exec(key);
  if (id === null) return clip(key, MAX_LABEL_CHARS);
  const [, name = "", suffix = ""] = id;
  return `${clip(name, Math.max(8, MAX_LABEL_CHARS - suffix.length - 1))} ${suffix}`;
}

/** The rows of a grouping: every hour or day (zeros included), else the groups by count. */
export function tableOf(
  counts: ReadonlyMap<string, number>,
  groupBy: GroupBy,
  window: ResolvedRange | undefined,
): Table {
  if (groupBy === "day") return dayRows(counts, window);
  if (groupBy === "hour_of_day") return { rows: hourRows(counts), grain: undefined, note: "" };
  const rows = [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return { rows, grain: undefined, note: "" };
}

/** Hours 00:00–23:00, every one (0 when empty), then an unknown-time row if any. */
function hourRows(counts: ReadonlyMap<string, number>): Row[] {
  const rows = [];
  for (let hour = 0; hour < 24; hour++) {
    const key = `${String(hour).padStart(2, "0")}:00`;
    rows.push({ key, count: counts.get(key) ?? 0 });
  }
  const unknown = counts.get(UNKNOWN_TIME);
  if (unknown !== undefined) rows.push({ key: UNKNOWN_TIME, count: unknown });
  return rows;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function bucket(grain: "day" | "week" | "month", day: string): string {
  if (grain === "day") return `${day} ${WEEKDAYS[weekdayOf(day)]}`;
  if (grain === "week") return `week of ${addDays(day, -((weekdayOf(day) + 6) % 7))}`;
  return day.slice(0, 7);
}

/**
 * Day rows in time order, every day of the span (a day without sessions is a 0, not a gap): the
 * window's local days where bounded, else the first or last day seen. Spans longer than
 * {@link MAX_TIME_ROWS} days are counted by week (Monday to Sunday), and past as many weeks by
 * month, and the note says so.
 */
function dayRows(counts: ReadonlyMap<string, number>, window: ResolvedRange | undefined): Table {
  const seenDays = [...counts.keys()].filter((key) => key !== UNKNOWN_TIME).sort();
  let first = window?.localStartDate || seenDays[0];
  let last = window?.localEndDate || seenDays.at(-1);
  // A session outside the days is not counted, but an open side takes the data's edge.
  if (first !== undefined && seenDays[0] !== undefined && seenDays[0] < first) first = seenDays[0];
  const seenLast = seenDays.at(-1);
  if (last !== undefined && seenLast !== undefined && seenLast > last) last = seenLast;
  const unknown = counts.get(UNKNOWN_TIME);
  const tail = unknown === undefined ? [] : [{ key: UNKNOWN_TIME, count: unknown }];
  if (first === undefined || last === undefined) return { rows: tail, grain: "day", note: "" };

  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  let grain: "day" | "week" | "month" = "day";
  if (days.length > MAX_TIME_ROWS)
    grain = new Set(days.map((d) => bucket("week", d))).size > MAX_TIME_ROWS ? "month" : "week";
  const rows = new Map<string, number>();
  for (const day of days) {
    const key = bucket(grain, day);
    rows.set(key, (rows.get(key) ?? 0) + (counts.get(day) ?? 0));
  }
  const partial =
    grain === "week"
      ? " (Monday to Sunday, keyed by Monday; the first and last weeks may be partial)"
      : " (the first and last months may be partial)";
  const note =
    grain === "day"
      ? ""
      : `; ${days.length} days are more than ${MAX_TIME_ROWS}, so they are counted by ${grain}${partial}`;
  return { rows: [...[...rows].map(([key, count]) => ({ key, count })), ...tail], grain, note };
}

/** A share of the matched sessions, 0..1 to three places. */
export function shareOf(count: number, matched: number): number {
  return matched === 0 ? 0 : Math.round((count / matched) * 1000) / 1000;
}

/**
 * Writes the rows that fit and returns them as the JSON shows them. Time rows are never folded
 * into "other": all of them when they fit, else the newest (the oldest are said to be left out).
 * Other groupings keep the biggest {@link MAX_ROWS} that fit and sum the rest into "other".
 */
export function writeRows(
  answer: Answer,
  table: Table,
  matched: number,
  timeGrouping: boolean,
): { rows: Row[]; otherGroups: number; rowsLeftOut: number } {
  const width = Math.min(
    MAX_LABEL_CHARS,
    Math.max(5, ...table.rows.map((row) => rowLabel(row.key).length)),
  );
  const text = (row: Row, label = rowLabel(row.key)) =>
    `  ${label.padEnd(width)}  ${String(row.count).padStart(6)}  ${(shareOf(row.count, matched) * 100).toFixed(0).padStart(3)}%`;
  const json = (row: Row) => jsonChars({ ...row, share: shareOf(row.count, matched) }) + 1;
  if (timeGrouping) return writeNewestRows(answer, table.rows, text, json);
  const kept = answer.fit(table.rows, (row) => ({ text: text(row), extraChars: json(row) }), {
    max: MAX_ROWS,
  });
  const other = table.rows.slice(kept);
  const rows = table.rows.slice(0, kept);
  if (other.length === 0) return { rows, otherGroups: 0, rowsLeftOut: 0 };
  const sum = { key: "other", count: other.reduce((total, row) => total + row.count, 0) };
  answer.line(text(sum, `other (${other.length} groups)`));
  return { rows: [...rows, sum], otherGroups: other.length, rowsLeftOut: 0 };
}

function writeNewestRows(
  answer: Answer,
  rows: readonly Row[],
  text: (row: Row) => string,
  json: (row: Row) => number,
): { rows: Row[]; otherGroups: number; rowsLeftOut: number } {
  let room = 0;
  let fitting = 0;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i] as Row;
    room += text(row).length + 1 + json(row);
    // Room kept for the lines after the table (busiest row, completeness).
    if (!answer.fits(room + 300)) break;
    fitting++;
  }
  const leftOut = rows.slice(0, rows.length - fitting);
  const shown = rows.slice(rows.length - fitting);
  for (const row of shown) answer.line(text(row));
  answer.spend(shown.reduce((total, row) => total + json(row), 0));
  if (leftOut.length > 0) {
    const sum = leftOut.reduce((total, row) => total + row.count, 0);
    answer.leftOut(
      `the ${leftOut.length} oldest rows, ${leftOut[0]?.key} to ${leftOut.at(-1)?.key} (${counted(sum, "session")})`,
      "narrow the range to see them",
    );
  }
  return { rows: shown, otherGroups: 0, rowsLeftOut: leftOut.length };
}
