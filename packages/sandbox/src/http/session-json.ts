import { materializeLog, type StoredSession } from "../data/model.js";
import { formatWireDate, type DateFormat } from "../wire/dates.js";
import { SESSION_DATE_FIELDS, SESSION_INFO_FIELDS } from "../wire/session-fields.js";

/** Writes an ISO date string in the configured wire format. */
export function formatDate(iso: string, format: DateFormat): string {
  // The store keeps ISO already: write it unchanged rather than through a Date and back.
  return format === "wcf" ? formatWireDate(new Date(iso), format) : iso;
}

/**
 * A session as the wire carries it: seed key order, absent fields omitted (ServiceStack's
 * default), dates in the configured format; the log only where ListSessions includes it.
 */
export function toWireSession(
  session: StoredSession,
  options: { withLog: boolean; dateFormat: DateFormat },
): Record<string, unknown> {
  const info = session.info as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of SESSION_INFO_FIELDS) {
    if (key === "log") {
      if (options.withLog) {
        const log = materializeLog(session);
        out.log =
          options.dateFormat === "iso"
            ? log
            : log.map((entry) => ({
                date: formatDate(entry.date, options.dateFormat),
                message: entry.message,
              }));
      }
      continue;
    }
    const value = info[key];
    if (value === undefined || value === null) continue;
    out[key] = SESSION_DATE_FIELDS.has(key)
      ? formatDate(value as string, options.dateFormat)
      : value;
  }
  return out;
}
