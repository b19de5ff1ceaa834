// Times are written the same way on every machine (24-hour clock, English day and month names):
// the tree is scanned by support staff comparing against Evo Voice's dashboard, and tests and
// end-to-end checks look for fixed text such as "Today". Zones and day arithmetic are core's.
import { addDays, zonedParts } from "@evo-sessions/core";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `14:05` in `timeZone`. */
export function formatClock(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `14:05:09` in `timeZone`. */
export function formatClockWithSeconds(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** `Wed 26 Nov 2025, 14:05:09` in `timeZone`. */
export function formatDateTime(date: Date, timeZone: string): string {
  return `${formatDayKey(zonedParts(date, timeZone).dayKey)}, ${formatClockWithSeconds(date, timeZone)}`;
}

/** `Wed 26 Nov 2025` for `2025-11-26` (the year is left out when `omitYear` matches it). */
export function formatDayKey(key: string, omitYear?: number): string {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const day = Number(key.slice(8, 10));
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const text = `${WEEKDAYS[weekday] ?? "?"} ${day} ${MONTHS[month - 1] ?? "?"}`;
  return year === omitYear ? text : `${text} ${year}`;
}

/** "Today", "Yesterday", or the day written out, for a day-group heading. */
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
