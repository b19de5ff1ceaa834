// Times are written the same way on every machine (24-hour clock, English day and month names):
// the tree is scanned by support staff comparing against Evo Voice's dashboard, and tests and
// end-to-end checks look for fixed text such as "Today".

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in a zone. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time of `date` in `timeZone`. */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    // Some runtimes write midnight as 24 even with h23.
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** The local calendar day of `date` as `YYYY-MM-DD`. */
export function localDayKey(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

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
  return `${formatDayKey(localDayKey(date, timeZone))}, ${formatClockWithSeconds(date, timeZone)}`;
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

/** The day before `key` (`YYYY-MM-DD`). */
export function previousDayKey(key: string): string {
  const date = new Date(`${key}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** The day after `key` (`YYYY-MM-DD`). */
export function nextDayKey(key: string): string {
  const date = new Date(`${key}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The instant a local calendar day (`YYYY-MM-DD`) begins in `timeZone`. */
export function startOfLocalDay(key: string, timeZone: string): Date {
  // Guess the instant as if the zone were UTC, then correct by the zone's offset at that
  // instant; a second pass settles days on which the offset changes (DST).
  const target = Date.parse(`${key}T00:00:00Z`);
  let guess = target;
  for (let pass = 0; pass < 2; pass += 1) {
    const p = zonedParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += target - asUtc;
  }
  return new Date(guess);
}

/** "Today", "Yesterday", or the day written out, for a day-group heading. */
export function dayLabel(key: string, todayKey: string): string {
  if (key === todayKey) return "Today";
  if (key === previousDayKey(todayKey)) return "Yesterday";
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
