import type { z } from "zod";
import {
  FlowChannelsValues,
  SessionCallStateValues,
  SessionDialStateValues,
  SessionDirectionsValues,
  SessionHoldReasonsValues,
  SessionMemberCallStateValues,
  SessionMemberRolesValues,
  SessionQueueStatesValues,
} from "./enums.js";
import { strictFields, tolerantFields, type FieldKit } from "./fields.js";

/** The five fields every Evo Voice entity carries (ServiceStack's EntityInfo). */
export function entityInfoShape(f: FieldKit) {
  return {
    id: f.string("The ID of the object"),
    dateCreated: f.string("The date the object was created"),
    dateLastModified: f.string("The date the object was last modified"),
    createdBy: f.string("The user that created this object"),
    lastModifiedBy: f.string("The user that last modified this object"),
  };
}

function buildSessionSchemas(f: FieldKit) {
  const EntityInfo = f.object(entityInfoShape(f));
  const CustomerBreadcrumb = f.object({
    id: f.string("The ID of the customer"),
    name: f.string("The name of the customer"),
  });
  const SessionLogInfo = f.object({
    date: f.string("When the entry was written"),
    message: f.string("What happened"),
  });
  const SessionMemberInfo = f.object({
    identity: f.string("The member's identity (client name or phone number)"),
    endpointId: f.string("The ID of the member's endpoint"),
    displayName: f.string("The member's display name"),
    isOriginalMember: f.boolean("Was this member in the session from the start?"),
    avatarUrl: f.string("The member's avatar URL"),
    applicationData: f.stringMap("Application data attached to the member"),
    callState: f.enumOf(SessionMemberCallStateValues, "The member's call state"),
    role: f.enumOf(SessionMemberRolesValues, "The member's role in the session"),
    callSid: f.string("The Twilio Call SID of the member's leg"),
    muted: f.boolean("Is the member muted?"),
  });
  const SessionInfo = f.object({
    ...entityInfoShape(f),
    dialState: f.enumOf(SessionDialStateValues, "The state of the session"),
    callState: f.enumOf(SessionCallStateValues, "The call state of the session"),
    queueState: f.enumOf(SessionQueueStatesValues, "The queue state of the session"),
    accountId: f.string("The ID of the account associated with the flow"),
    accountName: f.string("The name of the account associated with the session"),
    customerId: f.string("The ID of the customer this session is associated with"),
    customerBreadcrumb: f.arrayOf(
      CustomerBreadcrumb,
      "The customer breadcrumb this session is associated with",
    ),
    customerName: f.string("The name of the customer this session is associated with"),
    endpointId: f.string("The ID of the endpoint associated with this session"),
    endpointName: f.string("The name of the endpoint associated with this session"),
    dateCompleted: f.string("The date the call completed"),
    destination: f.string(
      "The destination of the session (e.g. what was entered into the Dial box)",
    ),
    toAddress: f.string("The to address if any"),
    fromAddress: f.string("The from address if any"),
    fromName: f.string("The from name if any"),
    answeredByName: f.string("Answered by name (if any)"),
    queueMemberId: f.string("The ID of the queue member assigned to this call"),
    channel: f.enumOf(FlowChannelsValues, "The flow channel"),
    ended: f.boolean("Has the session ended"),
    outcome: f.string("The outcome of the call"),
    callSid: f.string("The twilio Call SID of this session"),
    consoleData: f.string("Any console data for this session"),
    holdQueueName: f.string("The name of the hold queue for this call"),
    heldByUserId: f.string("The user ID who put this call on hold"),
    holdReason: f.enumOf(SessionHoldReasonsValues, "The reason for the hold"),
    conferenceSid: f.string("The SID of the conference if in a conference call"),
    displayName: f.string("The display name for this session"),
    log: f.arrayOf(SessionLogInfo, "The log entries for this session"),
    members: f.arrayOf(SessionMemberInfo, "The members of this session"),
    callbackNumber: f.string("The callback number (typically used for SIP to User calls)"),
    answeredById: f.string("The ID of the endpoint that answered"),
    direction: f.enumOf(SessionDirectionsValues, "Is this session incoming or outgoing?"),
    fromPhoneNumber: f.string(
      "The phone number that this session is coming from (used with SMS chats)",
    ),
    mostRecentParticipantCallSid: f.string(
      "The Call SID of the most recently added conference participant",
    ),
    wasMissed: f.boolean("Was this session missed?"),
    ringQueueId: f.string("The ring queue that the call is currently in"),
  });
  return { EntityInfo, CustomerBreadcrumb, SessionLogInfo, SessionMemberInfo, SessionInfo };
}

const tolerant = buildSessionSchemas(tolerantFields);
const strict = buildSessionSchemas(strictFields);

/** EntityInfo: id, creation and modification stamps. */
export const EntityInfoSchema = tolerant.EntityInfo.describe("Common fields of every entity");
/** One level of the customer hierarchy a session belongs to. */
export const CustomerBreadcrumbSchema = tolerant.CustomerBreadcrumb;
/** One entry of a session's log. */
export const SessionLogInfoSchema = tolerant.SessionLogInfo;
/** One participant of a session. */
export const SessionMemberInfoSchema = tolerant.SessionMemberInfo;
/** A session (call, chat or fax) as ListSessions returns it: 41 fields, all optional. */
export const SessionInfoSchema = tolerant.SessionInfo.describe("An Evo Voice session");

/** The seed's contract to the letter (closed enums, no extra properties), for drift checks. */
export const StrictSessionInfoSchema = strict.SessionInfo;
/** SessionMemberInfo to the letter of the seed, for drift checks. */
export const StrictSessionMemberInfoSchema = strict.SessionMemberInfo;

/** Id, creation and modification stamps every entity carries; each may be missing or null. */
export type EntityInfo = z.infer<typeof EntityInfoSchema>;
/** One level (id, name) of the customer hierarchy a session belongs to. */
export type CustomerBreadcrumb = z.infer<typeof CustomerBreadcrumbSchema>;
/** One entry of a session's log: when, and what happened. */
export type SessionLogInfo = z.infer<typeof SessionLogInfoSchema>;
/** One participant of a session (caller, agent, transfer target). */
export type SessionMemberInfo = z.infer<typeof SessionMemberInfoSchema>;
/** A session (call, chat or fax) as ListSessions returns it; every field may be missing or null. */
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** Every property name of SessionInfo, in the seed's order (the valid `sortField` values). */
export const SessionInfoFields = Object.keys(SessionInfoSchema.shape) as (keyof SessionInfo)[];
