// Dates on the wire (API-NOTES: "the format is not documented. ServiceStack's default is WCF
// style `/Date(1764412800000-0000)/`, many hosts switch to ISO 8601. Accept both."). The sandbox
// writes either, and reads both wherever a client may send a date.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// `/Date(<ms since the epoch, UTC>[±hhmm])/`. The offset names the server's zone and does not
// move the instant; it may be absent (`/Date(0)/`), as older ServiceStack versions wrote.
const WCF = /^\/Date\((-?\d{1,16})([+-]\d{4})?\)\/$/;

// ISO 8601 as .NET and browsers write it: a day, optionally a time (`T`, lower-case `t` or a
// space) with seconds and any number of fraction digits, and optionally a zone (`Z`, `±hh:mm`,
// `±hhmm` or `±hh`). Without a zone the time is taken as UTC: ServiceStack writes UTC dates,
// and the notes say to treat the API's days as UTC.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** The instant a wire date names, or undefined when the text is neither ISO 8601 nor WCF. */
export function parseWireDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const ms = text.startsWith("/Date(") ? wcfMillis(text) : isoMillis(text);
  return ms === undefined ? undefined : new Date(ms);
}

function wcfMillis(text: string): number | undefined {
  const match = WCF.exec(text);
  if (match === null) return undefined;
  return withinDateRange(Number(match[1]));
}

function isoMillis(text: string): number | undefined {
  const match = ISO.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", zone] = match;
  const midnight = calendarDayMillis(Number(year), Number(month), Number(day));
  const offset = zoneOffsetMinutes(zone);
  if (midnight === undefined || offset === undefined) return undefined;
  const [h, m, s] = [Number(hour), Number(minute), Number(second)];
  // 23:59:60 (a leap second) is not something .NET writes; reject it with other bad times.
  if (h > 23 || m > 59 || s > 59) return undefined;
  // Digits past milliseconds (.NET writes seven) are truncated, not rounded.
  const millis = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const local = midnight + ((h * 60 + m) * 60 + s) * 1000 + millis;
  return withinDateRange(local - offset * MINUTE_MS);
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === "Z" || zone === "z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}

/** UTC midnight of a real calendar day (month 1–12), else undefined (2026-02-30, 2026-13-01). */
function calendarDayMillis(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  date.setUTCFullYear(year);
  return date.getTime();
}

/** JavaScript dates span ±8.64e15 ms; anything beyond is no date. */
function withinDateRange(ms: number): number | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

/** UTC midnight of a `YYYY-MM-DD` day (the documented form of startDate/endDate), else undefined. */
export function parseCalendarDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  return calendarDayMillis(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The UTC day (its midnight) an instant falls on. */
export function utcDayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * ServiceStack's WCF form of an instant. `offsetMinutes` is the zone the server claims to be in
 * (default UTC, written `-0000` as in the notes' example); it never changes the milliseconds.
 */
export function formatWcfDate(date: Date, offsetMinutes = 0): string {
  const sign = offsetMinutes > 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `/Date(${date.getTime()}${sign}${hhmm})/`;
}

/** ISO 8601 in UTC with milliseconds, e.g. `2026-11-02T14:05:09.120Z`. */
export function formatIsoDate(date: Date): string {
  return date.toISOString();
}

/** How dates are written in responses (the real server's format is undocumented). */
export type DateFormat = "iso" | "wcf";

/** An instant in the given wire format. */
export function formatWireDate(date: Date, format: DateFormat): string {
  return format === "wcf" ? formatWcfDate(date) : formatIsoDate(date);
}
