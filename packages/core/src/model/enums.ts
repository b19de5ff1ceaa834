import { z } from "zod";

/** A value of an enum the seed lists, or any other string a newer server may send. */
export type OpenEnum<Known extends string> = Known | (string & {});

/** Sort directions of ListRequest. */
export const SortOrdersValues = ["Ascend", "Descend"] as const;
/** The state of the session. */
export const SessionDialStateValues = ["None", "Active"] as const;
/** The call state of the session. */
export const SessionCallStateValues = [
  "Disconnected",
  "Ringing",
  "Connected",
  "Hold",
  "Passive",
] as const;
/** The queue state of the session. */
export const SessionQueueStatesValues = [
  "None",
  "Queued",
  "Ringing",
  "Connected",
  "Hold",
  "Disconnected",
] as const;
/** The flow channel. */
export const FlowChannelsValues = ["Voice", "Chat", "Fax"] as const;
/** The reason for a hold. */
export const SessionHoldReasonsValues = ["None", "Transferring"] as const;
/** The call state of one member of a session. */
export const SessionMemberCallStateValues = ["None", "Ringing", "Connected", "Hold"] as const;
/** The role of one member of a session. */
export const SessionMemberRolesValues = ["None", "Caller", "Agent", "Transfer"] as const;
/** Is the session incoming or outgoing. */
export const SessionDirectionsValues = ["Incoming", "Outgoing"] as const;

/** A sort direction: `Ascend` or `Descend`. */
export type SortOrders = (typeof SortOrdersValues)[number];
/** A session's dial state as the seed lists it. */
export type SessionDialState = (typeof SessionDialStateValues)[number];
/** A session's call state as the seed lists it. */
export type SessionCallState = (typeof SessionCallStateValues)[number];
/** A session's queue state as the seed lists it. */
export type SessionQueueStates = (typeof SessionQueueStatesValues)[number];
/** A flow channel: `Voice`, `Chat` or `Fax`. */
export type FlowChannels = (typeof FlowChannelsValues)[number];
/** Why a session is on hold, as the seed lists it. */
export type SessionHoldReasons = (typeof SessionHoldReasonsValues)[number];
/** A member's call state as the seed lists it. */
export type SessionMemberCallState = (typeof SessionMemberCallStateValues)[number];
/** A member's role as the seed lists it. */
export type SessionMemberRoles = (typeof SessionMemberRolesValues)[number];
/** A session's direction: `Incoming` or `Outgoing`. */
export type SessionDirections = (typeof SessionDirectionsValues)[number];

// Strict zod schemas of the seed's enums: they accept only the listed values (the model's
// fields use openEnumSchema instead, which keeps unlisted values).
/** Sort directions the seed lists, and nothing else. */
export const SortOrdersSchema = z.enum(SortOrdersValues);
/** Session dial states the seed lists, and nothing else. */
export const SessionDialStateSchema = z.enum(SessionDialStateValues);
/** Session call states the seed lists, and nothing else. */
export const SessionCallStateSchema = z.enum(SessionCallStateValues);
/** Session queue states the seed lists, and nothing else. */
export const SessionQueueStatesSchema = z.enum(SessionQueueStatesValues);
/** Flow channels the seed lists, and nothing else. */
export const FlowChannelsSchema = z.enum(FlowChannelsValues);
/** Hold reasons the seed lists, and nothing else. */
export const SessionHoldReasonsSchema = z.enum(SessionHoldReasonsValues);
/** Member call states the seed lists, and nothing else. */
export const SessionMemberCallStateSchema = z.enum(SessionMemberCallStateValues);
/** Member roles the seed lists, and nothing else. */
export const SessionMemberRolesSchema = z.enum(SessionMemberRolesValues);
/** Session directions the seed lists, and nothing else. */
export const SessionDirectionsSchema = z.enum(SessionDirectionsValues);

/**
 * An enum that also takes unlisted strings: ServiceStack serialises enums by name and the
 * server may add names the seed does not list, so a client must keep them rather than fail.
 */
export function openEnumSchema<const Known extends readonly [string, ...string[]]>(
  values: Known,
): z.ZodType<OpenEnum<Known[number]>> {
  return z.union([z.enum(values), z.string()]) as unknown as z.ZodType<OpenEnum<Known[number]>>;
}

/** True when `value` is one of the listed `values` (narrows an {@link OpenEnum}). */
export function isKnownValue<const Known extends readonly string[]>(
  values: Known,
  value: unknown,
): value is Known[number] {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}
