const WCF_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{2})(\d{2}))?\)\/$/;
// ISO 8601 as ServiceStack and browsers write it: a date, optionally a time with fraction and zone.
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Reads an Evo Voice date string: ISO 8601 or ServiceStack's WCF form `/Date(ms±hhmm)/`.
 * Returns `undefined` for anything else (never throws): the server's date format is undocumented.
 */
export function parseEvoDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const wcf = WCF_DATE.exec(text);
  if (wcf) {
    // The milliseconds are UTC already; the offset only says which zone the server was in.
    const date = new Date(Number(wcf[1]));
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (!ISO_DATE.test(text)) return undefined;
  if (!isCalendarDate(text.slice(0, 10))) return undefined;
  // A date-time without a zone is taken as UTC, which is what ServiceStack means by it.
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  // V8 does not read a zone written without a colon (+0100), so add one.
  const normalised = text.replace(" ", "T").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const date = new Date(hasZone || text.length === 10 ? normalised : `${normalised}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Formats a date as ServiceStack's WCF wire form, e.g. `/Date(1764412800000-0000)/`. */
export function formatWcfDate(date: Date): string {
  return `/Date(${date.getTime()}-0000)/`;
}

/** True for a real calendar day written `YYYY-MM-DD` (rejects 2026-02-30 and 2026-13-01). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
