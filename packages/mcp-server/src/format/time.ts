import { parseEvoDate, zonedParts } from "@evo-sessions/core";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** A moment as answers write it in one time zone. */
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
  const hh = String(parts.hour).padStart(2, "0");
  const mm = String(parts.minute).padStart(2, "0");
  return {
    day: parts.dayKey,
    time: `${hh}:${mm}`,
    timeWithSeconds: `${hh}:${mm}:${String(parts.second).padStart(2, "0")}`,
    hour: parts.hour,
    weekday: WEEKDAYS[parts.weekday] ?? "",
  };
}

/** `2026-03-01 14:02` in `timeZone`, or `undefined` for a missing or unreadable date. */
export function formatWhen(value: unknown, timeZone: string): string | undefined {
  const date = parseEvoDate(value);
  if (date === undefined) return undefined;
  const parts = zonedText(date, timeZone);
  return `${parts.day} ${parts.time}`;
}

/** An ISO 8601 UTC string for a wire date, or `undefined` when it cannot be read. */
export function toIso(value: unknown): string | undefined {
  return parseEvoDate(value)?.toISOString();
}

/** A duration as `45s`, `3m12s` or `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Seconds between a session's creation and completion, when both are known and ordered. */
export function sessionDurationMs(created: unknown, completed: unknown): number | undefined {
  const start = parseEvoDate(created);
  const end = parseEvoDate(completed);
  if (start === undefined || end === undefined) return undefined;
  const ms = end.getTime() - start.getTime();
  return ms >= 0 ? ms : undefined;
}
