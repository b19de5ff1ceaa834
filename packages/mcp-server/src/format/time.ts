import { parseEvoDate } from "@evo-sessions/core";

/** A moment split into its calendar parts in one time zone. */
export interface ZonedParts {
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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Splits `date` into calendar parts as a wall clock in `timeZone` shows them. */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) parts[part.type] = part.value;
  const hour = Number(parts.hour) % 24;
  const hh = String(hour).padStart(2, "0");
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${hh}:${parts.minute}`,
    timeWithSeconds: `${hh}:${parts.minute}:${parts.second}`,
    hour,
    weekday: parts.weekday ?? "",
  };
}

/** `2026-03-01 14:02` in `timeZone`, or `undefined` for a missing or unreadable date. */
export function formatWhen(value: unknown, timeZone: string): string | undefined {
  const date = parseEvoDate(value);
  if (date === undefined) return undefined;
  const parts = zonedParts(date, timeZone);
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
