// The sandbox's own reading of the DTOs on the service's metadata page (docs/spec/
// ListSessions.seed.txt), written as plain interfaces. They are deliberately not derived from
// core's schemas: the sandbox is a second, independent encoding of the contract, and core's
// tests compare the two (packages/core/test/wire/cross-encoding.test.ts).
//
// Every property is optional, as in the seed (`Optional[...] = None`). ServiceStack omits
// absent values, so the sandbox never writes `null` and these types do not allow it. Enums are
// closed to the seed's values: the sandbox emits only those (its drift fault writes others
// into untyped JSON, after these types no longer apply).

/** SessionDialState. */
export type SessionDialState = "None" | "Active";
/** SessionCallState. */
export type SessionCallState = "Disconnected" | "Ringing" | "Connected" | "Hold" | "Passive";
/** SessionQueueStates. */
export type SessionQueueState =
  "None" | "Queued" | "Ringing" | "Connected" | "Hold" | "Disconnected";
/** FlowChannels. */
export type FlowChannel = "Voice" | "Chat" | "Fax";
/** SessionHoldReasons. */
export type SessionHoldReason = "None" | "Transferring";
/** SessionMemberCallState. */
export type SessionMemberCallState = "None" | "Ringing" | "Connected" | "Hold";
/** SessionMemberRoles. */
export type SessionMemberRole = "None" | "Caller" | "Agent" | "Transfer";
/** SessionDirections. */
export type SessionDirection = "Incoming" | "Outgoing";
/** SortOrders of ListRequest. */
export type SortOrder = "Ascend" | "Descend";

/** EntityInfo: what every entity carries. Dates are wire strings (ISO 8601 or WCF). */
export interface EntityInfo {
  id?: string;
  dateCreated?: string;
  dateLastModified?: string;
  createdBy?: string;
  lastModifiedBy?: string;
}

/** One level of the customer hierarchy. */
export interface CustomerBreadcrumb {
  id?: string;
  name?: string;
}

/** One entry of a session's log. */
export interface SessionLogInfo {
  date?: string;
  message?: string;
}

/** A participant of a session. */
export interface SessionMemberInfo {
  identity?: string;
  endpointId?: string;
  displayName?: string;
  isOriginalMember?: boolean;
  avatarUrl?: string;
  applicationData?: Record<string, string>;
  callState?: SessionMemberCallState;
  role?: SessionMemberRole;
  callSid?: string;
  muted?: boolean;
}

/** A session (call, chat or fax), the items of ListSessions. */
export interface SessionInfo extends EntityInfo {
  dialState?: SessionDialState;
  callState?: SessionCallState;
  queueState?: SessionQueueState;
  accountId?: string;
  accountName?: string;
  customerId?: string;
  customerBreadcrumb?: CustomerBreadcrumb[];
  customerName?: string;
  endpointId?: string;
  endpointName?: string;
  dateCompleted?: string;
  destination?: string;
  toAddress?: string;
  fromAddress?: string;
  fromName?: string;
  answeredByName?: string;
  queueMemberId?: string;
  channel?: FlowChannel;
  ended?: boolean;
  outcome?: string;
  callSid?: string;
  consoleData?: string;
  holdQueueName?: string;
  heldByUserId?: string;
  holdReason?: SessionHoldReason;
  conferenceSid?: string;
  displayName?: string;
  log?: SessionLogInfo[];
  members?: SessionMemberInfo[];
  callbackNumber?: string;
  answeredById?: string;
  direction?: SessionDirection;
  fromPhoneNumber?: string;
  mostRecentParticipantCallSid?: string;
  wasMissed?: boolean;
  ringQueueId?: string;
}

/** Price and allowance of one billable item. */
export interface BillingItem {
  baseCost?: number;
  rawUnitMultiplier?: number;
  unitCost?: number;
  /** A whole number (the seed's `int`). */
  allowance?: number;
}

/** An account's billing settings. */
export interface BillingSettings {
  base?: BillingItem;
  localNumbers?: BillingItem;
  tollFreeNumbers?: BillingItem;
  inboundVoiceCalls?: BillingItem;
  outboundVoiceCalls?: BillingItem;
  inboundFaxes?: BillingItem;
  outboundFaxes?: BillingItem;
  inboundSmsMessages?: BillingItem;
  outboundSmsMessages?: BillingItem;
}

/**
 * An account. The seed's Python name `is_b_y_o_a` is camel-cased by ServiceStack from the C#
 * property `IsBYOA`, so the wire key is `isBYOA` (dataclass_json would write `isBYOA` too).
 */
export interface AccountInfo extends EntityInfo {
  name?: string;
  parentAccountId?: string;
  twilioAccountSid?: string;
  ancestorIds?: string[];
  maxPhoneNumbers?: number;
  isBYOA?: boolean;
  trustHubProfileSid?: string;
  logoId?: string;
  logoUri?: string;
  billingSettings?: BillingSettings;
}

/** ListResponse<T>: one page of items and, unless simplifiedPaging, the totals. */
export interface ListResponse<T> {
  items?: T[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages?: boolean;
}

/**
 * A DTO as a reader of decoded data sees it: every property of the seed listed, `undefined`
 * where the wire omitted it, nested DTOs alike. `sandbox.data` has this shape (as it had when it
 * used core's inferred types), so that its sessions can go wherever a decoded session can.
 */
export type Listed<T> = { [K in keyof T]-?: ListedValue<Exclude<T[K], undefined>> | undefined };

type ListedValue<V> = V extends readonly (infer E)[]
  ? ListedValue<E>[]
  : V extends object
    ? string extends keyof V
      ? V // a map such as applicationData: no fixed keys to list
      : Listed<V>
    : V;
