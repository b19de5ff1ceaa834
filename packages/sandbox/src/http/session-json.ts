import { formatWcfDate } from "@evo-sessions/core";
import { materializeLog, type StoredSession } from "../data/model.js";
import type { DateFormat } from "../types.js";

// The order of the seed's sample response: SessionInfo's own properties, then EntityInfo's.
const SESSION_KEYS = [
  "dialState",
  "callState",
  "queueState",
  "accountId",
  "accountName",
  "customerId",
  "customerBreadcrumb",
  "customerName",
  "endpointId",
  "endpointName",
  "dateCompleted",
  "destination",
  "toAddress",
  "fromAddress",
  "fromName",
  "answeredByName",
  "queueMemberId",
  "channel",
  "ended",
  "outcome",
  "callSid",
  "consoleData",
  "holdQueueName",
  "heldByUserId",
  "holdReason",
  "conferenceSid",
  "displayName",
  "log",
  "members",
  "callbackNumber",
  "answeredById",
  "direction",
  "fromPhoneNumber",
  "mostRecentParticipantCallSid",
  "wasMissed",
  "ringQueueId",
  "id",
  "dateCreated",
  "dateLastModified",
  "createdBy",
  "lastModifiedBy",
] as const;

const DATE_KEYS = new Set(["dateCompleted", "dateCreated", "dateLastModified"]);

/** Writes an ISO date string in the configured wire format. */
export function formatDate(iso: string, format: DateFormat): string {
  return format === "wcf" ? formatWcfDate(new Date(iso)) : iso;
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
  for (const key of SESSION_KEYS) {
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
    out[key] = DATE_KEYS.has(key) ? formatDate(value as string, options.dateFormat) : value;
  }
  return out;
}
