// The sandbox's own reading of the operations beyond ListSessions (docs/spec/OPERATIONS.md),
// as plain interfaces, like dto.ts. Every property is optional (the pages show none required);
// ServiceStack omits absent values, so the sandbox never writes `null`. Where the pages print
// two generations of a DTO, both are allowed here and the sandbox's `behaviour` picks one.

import type { CustomerBreadcrumb, EntityInfo, SessionInfo } from "./dto.js";

/** UserManagerAccess (newer page copies only). */
export type UserManagerAccess = "ReadOnly" | "ReadWrite" | "ReadWriteDelete";
/** DashboardPermissions; `ViewCallCenter` is in the newer copies only. */
export type DashboardPermission =
  | "ViewFiles"
  | "ViewNotifications"
  | "ViewSessions"
  | "ViewEndpoints"
  | "ViewReports"
  | "ViewCustomers"
  | "ViewFlows"
  | "ViewCallCenter";
/** TagColors. */
export type TagColor =
  | "Magenta"
  | "Red"
  | "Volcano"
  | "Orange"
  | "Gold"
  | "Lime"
  | "Green"
  | "Cyan"
  | "Blue"
  | "GeekBlue"
  | "Purple";
/**
 * EndpointTypes: no page lists the values; these are the public CLI's (unverified except
 * `User`). The sandbox serves PhoneNumber, User and Team (its queues).
 */
export type EndpointType =
  | "PhoneNumber"
  | "User"
  | "Team"
  | "Email"
  | "Fax"
  | "EmergencyAddress"
  | "SipTrunk"
  | "AssistantBot";
/** UserModes: not on any page; the CLI's examples. */
export type UserMode = "SoftPhone" | "SipPhone";
/** FlowRoles. */
export type FlowRole =
  "UI" | "Reference" | "PhoneNumberRouting" | "UserDialOut" | "FaxNumberRouting";

/** GetAuthStatus's answer (ServiceStack's UserInfo, as Evo Voice extends it). */
export interface UserInfo {
  id?: string;
  isAuthenticated?: boolean;
  firstName?: string;
  lastName?: string;
  name?: string;
  avatarUrl?: string;
  emailAddress?: string;
  roles?: string[];
  /** Parallel to `accountNames`. */
  accountIds?: string[];
  accountNames?: string[];
  managerAccess?: UserManagerAccess;
  dashboardPermissions?: DashboardPermission[];
}

/** A tag on a customer, endpoint or flow. */
export interface Tag {
  id?: string;
  name?: string;
  color?: TagColor;
}

/** Schedule (summary: the stored page copies stop after these fields). */
export interface Schedule {
  timeZoneId?: string;
  inherit?: boolean;
  forceClosed?: boolean;
  rules?: unknown[];
  defaultState?: string;
}

/** A customer of an account (ListCustomers, GetCustomer). */
export interface CustomerInfo extends EntityInfo {
  accountId?: string;
  accountName?: string;
  parentCustomerId?: string;
  /** The path from the top customer down to this one, this one included. */
  breadcrumb?: CustomerBreadcrumb[];
  isStaging?: boolean;
  name?: string;
  referenceId?: string;
  /** Struct: a free-form bag of Values. */
  data?: Record<string, unknown>;
  tags?: Tag[];
  schedule?: Schedule;
  overrideBillingSettings?: boolean;
  overrideAppSettings?: boolean;
}

/** An endpoint: a phone number, a user (agent) or a team (ListEndpoints, GetEndpoint). */
export interface EndpointInfo extends EntityInfo {
  displayName?: string;
  type?: EndpointType;
  accountId?: string;
  accountName?: string;
  customerId?: string;
  customerName?: string;
  customerBreadcrumb?: CustomerBreadcrumb[];
  referenceId?: string;
  extraInformation?: string;
  flowId?: string;
  flowName?: string;
  flowParams?: Record<string, unknown>;
  disableSms?: boolean;
  useExternal10DlcCampaign?: boolean;
  isVirtualPhoneNumber?: boolean;
  tags?: Tag[];
  /** PhoneNumber endpoints: the number, E.164 (field name as the public CLI reads it). */
  phoneNumber?: string;
  // User endpoints. None of these names is on a page (see OPERATIONS.md §10): `userMode`,
  // `emailAddress`, `sipUserName` are what the public CLI reads; first/last name follow the
  // user-app DTO's `firstName`/`lastName`, or a single `name` (behaviour.endpointUserNames).
  userMode?: UserMode;
  emailAddress?: string;
  sipUserName?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  avatarUrl?: string;
}

/** A flow, top-level fields only (ListFlows, GetFlow). */
export interface FlowInfo extends EntityInfo {
  name?: string;
  roles?: FlowRole[];
  description?: string;
  notes?: string;
  accountId?: string;
  accountName?: string;
  customerId?: string;
  customerName?: string;
  customerBreadcrumb?: CustomerBreadcrumb[];
  parameters?: unknown[];
  exits?: unknown[];
  tags?: Tag[];
  nodeCount?: number;
}

/** One Twilio-style call leg (GetActiveCalls). Dates are plain strings on the page. */
export interface CallInfo {
  accountSid?: string;
  answeredBy?: string;
  callerName?: string;
  dateCreated?: string;
  dateUpdated?: string;
  direction?: string;
  duration?: number;
  endTime?: string;
  forwardedFrom?: string;
  from?: string;
  fromFormatted?: string;
  parentCallSid?: string;
  phoneNumberSid?: string;
  price?: number;
  priceUnit?: string;
  sid?: string;
  startTime?: string;
  status?: string;
  to?: string;
  toFormatted?: string;
  uri?: string;
}

/** GetActiveCallsResponse. */
export interface GetActiveCallsResponse {
  calls?: CallInfo[];
}

/** GetMySessionsResponse and GetActiveSessionsResponse. */
export interface SessionsResponse {
  sessions?: SessionInfo[];
}

/** One message of a chat transcript; every field is a string on the page, `date` included. */
export interface ChatTranscriptMessage {
  date?: string;
  from?: string;
  body?: string;
  mediaUri?: string;
  mediaContentType?: string;
}

/** GetChatTranscriptResponse. */
export interface GetChatTranscriptResponse {
  messages?: ChatTranscriptMessage[];
}
