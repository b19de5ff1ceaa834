import type { SessionInfo } from "./dto.js";

/**
 * Every property of SessionInfo, in the order of the seed's sample response (its own
 * properties, then EntityInfo's): the order the sandbox writes them and the names `sortField`
 * accepts.
 */
export const SESSION_INFO_FIELDS = [
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
] as const satisfies readonly (keyof SessionInfo)[];

/** A SessionInfo property name. */
export type SessionInfoField = (typeof SESSION_INFO_FIELDS)[number];

// Compile-time proof that the list names every property of the interface: a property added to
// SessionInfo but not here makes this type `never` and the assignment below fail.
type Missing = Exclude<keyof SessionInfo, SessionInfoField>;
const everyFieldListed: [Missing] extends [never] ? true : never = true;
void everyFieldListed;

/** The SessionInfo properties that hold dates. */
export const SESSION_DATE_FIELDS: ReadonlySet<string> = new Set<SessionInfoField>([
  "dateCompleted",
  "dateCreated",
  "dateLastModified",
]);

const BY_LOWER_CASE = new Map<string, SessionInfoField>(
  SESSION_INFO_FIELDS.map((name) => [name.toLowerCase(), name]),
);

/** A SessionInfo property named in any letter case (ServiceStack ignores case), else undefined. */
export function sessionInfoField(name: string): SessionInfoField | undefined {
  return BY_LOWER_CASE.get(name.trim().toLowerCase());
}
