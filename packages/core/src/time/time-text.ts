// Times and durations as every surface writes them: the same text on every machine (24-hour
// clock, English day and month names), so that the sidebar, the chat and the tests agree and
// support staff can compare against Evo Voice's dashboard. Zones come from zoned-time.
import { parseEvoDate } from "../model/dates.js";
import { addDays } from "./calendar.js";
import { zonedParts } from "./zoned-time.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (value: number): string => String(value).padStart(2, "0");

/** A moment as a wall clock in one time zone shows it. */
export interface ZonedText {
  /** `YYYY-MM-DD` */
  day: string;
  /** `HH:mm` (24 h) */
  time: string;
  /** `HH:mm:ss` */
  timeWithSeconds: string;
  /** 0–23 */
  hour: number;
  /** `Mon`…`Sun` */
  weekday: string;
}

/** Writes `date` the way a wall clock in `timeZone` shows it (English weekday, 24-hour time). */
export function zonedText(date: Date, timeZone: string): ZonedText {
  const parts = zonedParts(date, timeZone);
  const time = `${pad(parts.hour)}:${pad(parts.minute)}`;
  return {
    day: parts.dayKey,
    time,
    timeWithSeconds: `${time}:${pad(parts.second)}`,
    hour: parts.hour,
    weekday: WEEKDAYS[parts.weekday] ?? "",
  };
}

/** `14:05` in `timeZone`. */
export function formatClock(date: Date, timeZone: string): string {
  return zonedText(date, timeZone).time;
}

/** `14:05:09` in `timeZone`. */
export function formatClockWithSeconds(date: Date, timeZone: string): string {
  return zonedText(date, timeZone).timeWithSeconds;
}

/** `Wed 26 Nov 2025` for `2025-11-26` (the year is left out when it equals `omitYear`). */
export function formatDayKey(key: string, omitYear?: number): string {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const day = Number(key.slice(8, 10));
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const text = `${WEEKDAYS[weekday] ?? "?"} ${day} ${MONTHS[month - 1] ?? "?"}`;
  return year === omitYear ? text : `${text} ${year}`;
}

/** `Wed 26 Nov 2025, 14:05:09` in `timeZone`. */
export function formatDateTime(date: Date, timeZone: string): string {
  const text = zonedText(date, timeZone);
  return `${formatDayKey(text.day)}, ${text.timeWithSeconds}`;
}

/**
 * `2026-03-01 14:02` in `timeZone`, for a wire date or a `Date` (an instant computed rather than
 * read, such as a window's bound); undefined for a missing, unreadable or invalid one.
 */
export function formatWhen(value: unknown, timeZone: string): string | undefined {
  const date =
    value instanceof Date
      ? Number.isNaN(value.getTime())
        ? undefined
        : value
      : parseEvoDate(value);
  if (date === undefined) return undefined;
  const text = zonedText(date, timeZone);
  return `${text.day} ${text.time}`;
}

/** "Today", "Yesterday", or the day written out (year left out in this year), for headings. */
export function dayLabel(key: string, todayKey: string): string {
  if (key === todayKey) return "Today";
  if (key === addDays(todayKey, -1)) return "Yesterday";
  return formatDayKey(key, Number(todayKey.slice(0, 4)));
}

/** A duration as people read it on a call log: `45s`, `3m 12s`, `1h 04m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}
