/**
 * The DTOs of the operations sessions point to (docs/spec/OPERATIONS.md): who is signed in
 * (UserInfo), customers, endpoints, flows (top level), live calls (CallInfo) and chat
 * transcripts. Built twice like the sessions: tolerant for decoding, strict for drift reports.
 *
 * The stored metadata pages are incomplete in places (EndpointInfo stops part-way; EndpointTypes
 * and UserModes are not printed), so the strict schemas also name the fields the vendor's own
 * CLI reads from the live service (phoneNumber, emailAddress, userMode…), marked unverified, so
 * that a real answer carrying them is not reported as drift. Nested structures the toolkit does
 * not read (flow nodes, schedules, app settings) are kept as opaque JSON.
 */
import { z } from "zod";
import { strictFields, tolerantFields, type FieldKit } from "./fields.js";
import { entityInfoShape } from "./session.js";

export const TagColorsValues = [
  "Magenta",
  "Red",
  "Volcano",
  "Orange",
  "Gold",
  "Lime",
  "Green",
  "Cyan",
  "Blue",
  "GeekBlue",
  "Purple",
] as const;
export const UserManagerAccessValues = ["ReadOnly", "ReadWrite", "ReadWriteDelete"] as const;
export const DashboardPermissionsValues = [
  "ViewFiles",
  "ViewNotifications",
  "ViewSessions",
  "ViewEndpoints",
  "ViewReports",
  "ViewCustomers",
  "ViewFlows",
  "ViewCallCenter",
] as const;
export const FlowRolesValues = [
  "UI",
  "Reference",
  "PhoneNumberRouting",
  "UserDialOut",
  "FaxNumberRouting",
] as const;
/** Not printed on any stored page: the values the vendor's CLI uses (only `User` verified). */
export const EndpointTypesValues = [
  "PhoneNumber",
  "User",
  "Team",
  "Email",
  "Fax",
  "EmergencyAddress",
  "SipTrunk",
  "AssistantBot",
] as const;
/** Not printed on any stored page: the vendor CLI's examples. */
export const UserModesValues = ["SoftPhone", "SipPhone"] as const;

const text = (f: FieldKit) => f.string() as z.ZodType<string>;
const opaque = (f: FieldKit, d: string) => f.nested(z.unknown(), d);

function buildShared(f: FieldKit) {
  const Breadcrumb = f.object({
    id: f.string("The ID of the customer"),
    name: f.string("The name"),
  });
  const breadcrumb = (d: string) => f.arrayOf(Breadcrumb, d);
  const Tag = f.object({
    id: f.string("The ID of the tag"),
    name: f.string("The tag's name"),
    color: f.enumOf(TagColorsValues, "The tag's colour"),
  });
  const owner = {
    accountId: f.string("The ID of the owning account"),
    accountName: f.string("The name of the owning account"),
    customerId: f.string("The ID of the owning customer"),
    customerName: f.string("The name of the owning customer"),
    customerBreadcrumb: breadcrumb("The path to the owning customer"),
  };
  return { Tag, breadcrumb, owner };
}

type Shared = ReturnType<typeof buildShared>;

function buildUserInfo(f: FieldKit) {
  return f.object({
    id: f.string("The user's ID"),
    isAuthenticated: f.boolean("Is the user signed in?"),
    firstName: f.string("First name"),
    lastName: f.string("Last name"),
    name: f.string("Full name"),
    avatarUrl: f.string("Avatar URL"),
    emailAddress: f.string("Email address"),
    roles: f.arrayOf(text(f), "The user's roles"),
    accountIds: f.arrayOf(
      text(f),
      "IDs of the accounts the user can reach (parallel to accountNames)",
    ),
    accountNames: f.arrayOf(text(f), "Names of those accounts"),
    managerAccess: f.enumOf(UserManagerAccessValues, "Manager access (newer pages only)"),
    dashboardPermissions: f.arrayOf(
      f.enumOf(DashboardPermissionsValues) as z.ZodType<string>,
      "What the user's dashboard may show",
    ),
  });
}

function buildCustomerInfo(f: FieldKit, { Tag, breadcrumb, owner }: Shared) {
  return f.object({
    ...entityInfoShape(f),
    accountId: owner.accountId,
    accountName: owner.accountName,
    parentCustomerId: f.string("The ID of the parent customer"),
    breadcrumb: breadcrumb("The path to this customer"),
    isStaging: f.boolean("Is this a staging customer?"),
    name: f.string("The customer's (company) name"),
    referenceId: f.string("External reference"),
    data: opaque(f, "Free-form data (Struct)"),
    tags: f.arrayOf(Tag, "Tags"),
    schedule: opaque(f, "Schedule"),
    integrationData: opaque(f, "Integration data"),
    overrideBillingSettings: f.boolean("Overrides the parent's billing settings"),
    billingSettings: opaque(f, "Billing settings"),
    overrideAppSettings: f.boolean("Overrides the parent's app settings"),
    appSettings: opaque(f, "Portal settings"),
  });
}

function buildEndpointInfo(f: FieldKit, { Tag, owner }: Shared) {
  return f.object({
    ...entityInfoShape(f),
    ...owner,
    displayName: f.string("The name to show"),
    type: f.enumOf(EndpointTypesValues, "The kind of endpoint"),
    referenceId: f.string("Third-party ID"),
    extraInformation: f.string("Extra text shown in grids"),
    flowId: f.string("The voice flow used"),
    flowName: f.string("Its name"),
    flowParams: opaque(f, "The flow's parameters"),
    flowSchedule: f.string("Single flow or scheduled flows"),
    schedule: opaque(f, "Schedule"),
    scheduledFlows: opaque(f, "Scheduled flows"),
    disableSms: f.boolean("SMS disabled"),
    useExternal10DlcCampaign: f.boolean("Uses an external 10DLC campaign"),
    isVirtualPhoneNumber: f.boolean("Is a virtual phone number"),
    tags: f.arrayOf(Tag, "Tags"),
    // Unverified (read by the vendor CLI from the live service, not on the stored pages):
    name: f.string("Name (unverified field)"),
    phoneNumber: f.string("Phone number, E.164 (unverified field)"),
    emailAddress: f.string("Email address (unverified field)"),
    userEmailAddress: f.string("The user's email address (unverified field)"),
    sipUserName: f.string("SIP user name (unverified field)"),
    userMode: f.enumOf(UserModesValues, "User mode (unverified field)"),
    firstName: f.string("First name (unverified field)"),
    lastName: f.string("Last name (unverified field)"),
    avatarUrl: f.string("Avatar URL (unverified field, as AppUserInfo names it)"),
  });
}

function buildFlowInfo(f: FieldKit, { Tag, owner }: Shared) {
  return f.object({
    ...entityInfoShape(f),
    ...owner,
    name: f.string("The flow's name"),
    roles: f.arrayOf(f.enumOf(FlowRolesValues) as z.ZodType<string>, "The flow's roles"),
    description: f.string("Description"),
    notes: f.string("Notes"),
    nodes: opaque(f, "The flow's nodes"),
    parameters: opaque(f, "Parameters"),
    exits: opaque(f, "Exits"),
    ui: opaque(f, "Editor layout"),
    tags: f.arrayOf(Tag, "Tags"),
    nodeCount: f.int("Number of nodes"),
  });
}

function buildCallInfo(f: FieldKit) {
  return f.object({
    accountSid: f.string("Twilio account SID"),
    annotation: f.string("Annotation (older pages only)"),
    answeredBy: f.string("Who or what answered"),
    callerName: f.string("Caller ID name"),
    dateCreated: f.string("Created"),
    dateUpdated: f.string("Updated"),
    direction: f.string("Direction (free text)"),
    duration: f.int("Duration in seconds"),
    endTime: f.string("End"),
    forwardedFrom: f.string("Forwarded from"),
    from: f.string("From"),
    fromFormatted: f.string("From, formatted"),
    parentCallSid: f.string("Parent call SID"),
    phoneNumberSid: f.string("Phone number SID"),
    price: f.number("Price"),
    priceUnit: f.string("Price unit"),
    sid: f.string("Call SID"),
    startTime: f.string("Start"),
    status: f.string("Status (free text)"),
    to: f.string("To"),
    toFormatted: f.string("To, formatted"),
    uri: f.string("URI"),
  });
}

function buildDirectorySchemas(f: FieldKit) {
  const shared = buildShared(f);
  const ChatTranscriptMessage = f.object({
    date: f.string("When it was sent"),
    from: f.string("Who sent it"),
    body: f.string("The text"),
    mediaUri: f.string("Attached media"),
    mediaContentType: f.string("Its content type"),
  });
  return {
    Tag: shared.Tag,
    UserInfo: buildUserInfo(f),
    CustomerInfo: buildCustomerInfo(f, shared),
    EndpointInfo: buildEndpointInfo(f, shared),
    FlowInfo: buildFlowInfo(f, shared),
    CallInfo: buildCallInfo(f),
    ChatTranscriptMessage,
  };
}

const tolerant = buildDirectorySchemas(tolerantFields);
/** The same DTOs to the letter of the pages, for drift reports. */
export const StrictDirectorySchemas = buildDirectorySchemas(strictFields);

export const TagSchema = tolerant.Tag;
export const UserInfoSchema = tolerant.UserInfo;
export const CustomerInfoSchema = tolerant.CustomerInfo;
export const EndpointInfoSchema = tolerant.EndpointInfo;
export const FlowInfoSchema = tolerant.FlowInfo;
export const CallInfoSchema = tolerant.CallInfo;
export const ChatTranscriptMessageSchema = tolerant.ChatTranscriptMessage;

export type Tag = z.infer<typeof TagSchema>;
/** ServiceStack's UserInfo (GET /auth/status); every field may be missing or null. */
export type UserInfo = z.infer<typeof UserInfoSchema>;
export type CustomerInfo = z.infer<typeof CustomerInfoSchema>;
export type EndpointInfo = z.infer<typeof EndpointInfoSchema>;
export type FlowInfo = z.infer<typeof FlowInfoSchema>;
/** A live call (GET /calls/active), Twilio-style. */
export type CallInfo = z.infer<typeof CallInfoSchema>;
export type ChatTranscriptMessage = z.infer<typeof ChatTranscriptMessageSchema>;
