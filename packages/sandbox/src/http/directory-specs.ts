import type { DirectoryEndpoint } from "../data/directory.js";
import type { AccountFields } from "../data/model.js";
import type { ParamReader } from "../sessions/list-params.js";
import type {
  CustomerInfo,
  EndpointInfo,
  EndpointType,
  FlowInfo,
  FlowRole,
  UserMode,
} from "../wire/directory-dto.js";
import type { ServerState } from "./context.js";
import {
  accountRoles,
  directoryRoles,
  nameMatches,
  type DirectorySpec,
} from "./directory-routes.js";
import { readEnum, readEnumList } from "./list-request.js";
import { formatDate } from "./session-json.js";

const ENTITY_FIELDS = ["id", "dateCreated", "dateLastModified", "createdBy", "lastModifiedBy"];
const ENDPOINT_TYPES: readonly EndpointType[] = [
  "PhoneNumber",
  "User",
  "Team",
  "Email",
  "Fax",
  "EmergencyAddress",
  "SipTrunk",
  "AssistantBot",
];
const USER_MODES: readonly UserMode[] = ["SoftPhone", "SipPhone"];
const FLOW_ROLES: readonly FlowRole[] = [
  "UI",
  "Reference",
  "PhoneNumberRouting",
  "UserDialOut",
  "FaxNumberRouting",
];

/** An entity with its EntityInfo dates in the configured wire format (a copy). */
function withWireDates<T extends object>(item: T, state: ServerState): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(item) as Record<string, unknown>;
  for (const key of ["dateCreated", "dateLastModified"])
    if (typeof out[key] === "string") out[key] = formatDate(out[key], state.dateFormat);
  return out;
}

function hasAllTags(tags: { id?: string }[] | undefined, wanted: string[] | undefined): boolean {
  if (wanted === undefined) return true;
  const own = new Set((tags ?? []).map((tag) => tag.id));
  return wanted.every((id) => own.has(id));
}

/** A customer's id is among `parents`' direct children (shallow) or anywhere below them (deep). */
function underCustomers(
  customerId: string | undefined,
  parents: string[],
  shallow: boolean,
  state: ServerState,
  direct: string | undefined,
): boolean {
  if (shallow) return direct !== undefined && parents.includes(direct);
  const directory = state.directory();
  return parents.some((p) => customerId !== undefined && directory.subtree(p).has(customerId));
}

interface CustomerFilters {
  accountIds: string[] | undefined;
  nameFilter: string | undefined;
  parentCustomerIds: string[] | undefined;
  shallowParent: boolean;
  tagIds: string[] | undefined;
}

/** ListCustomers / GetCustomer; roles any of SystemAdministrator, Manager, Customer. */
export const CUSTOMERS: DirectorySpec<CustomerInfo, CustomerFilters> = {
  list: {
    name: "ListCustomers",
    itemType: "CustomerInfo",
    fields: [
      ...ENTITY_FIELDS,
      "accountId",
      "accountName",
      "parentCustomerId",
      "breadcrumb",
      "isStaging",
      "name",
      "referenceId",
      "tags",
    ],
  },
  get: { name: "GetCustomer", idField: "CustomerId", noun: "Customer" },
  roles: directoryRoles,
  items: (state) => state.directory().customers,
  readFilters: (reader) => ({
    accountIds: reader.list("accountIds"),
    nameFilter: reader.text("nameFilter"),
    parentCustomerIds: reader.list("parentCustomerIds"),
    shallowParent: reader.bool("shallowParent") ?? false,
    tagIds: reader.list("tagIds"),
  }),
  matches: (c, f, state) =>
    nameMatches(c.name, f.nameFilter, state) &&
    hasAllTags(c.tags, f.tagIds) &&
    // A customer is not below itself: parentCustomerIds asks for descendants only.
    (f.parentCustomerIds === undefined ||
      (!f.parentCustomerIds.includes(c.id as string) &&
        underCustomers(c.id, f.parentCustomerIds, f.shallowParent, state, c.parentCustomerId))),
  toWire: (c, state) => withWireDates(c, state),
  defaultSortField: "name",
};

interface EndpointFilters {
  accountIds: string[] | undefined;
  customerIds: string[] | undefined;
  referenceIds: string[] | undefined;
  shallowParent: boolean;
  flowIds: string[] | undefined;
  tagIds: string[] | undefined;
  nameFilter: string | undefined;
  phoneNumberFilter: string | undefined;
  types: EndpointType[] | undefined;
  userMode: UserMode | undefined;
  sipUserName: string | undefined;
}

function readEndpointFilters(reader: ParamReader): EndpointFilters {
  const type = readEnum(reader, "type", ENDPOINT_TYPES);
  const types = readEnumList(reader, "types", ENDPOINT_TYPES);
  // `type` and `types` together: either may match (the page does not say; a union loses nothing).
  const all =
    type === undefined && types === undefined
      ? undefined
      : [...(types ?? []), ...(type === undefined ? [] : [type])];
  return {
    accountIds: reader.list("accountIds"),
    customerIds: reader.list("customerIds"),
    referenceIds: reader.list("referenceIds"),
    shallowParent: reader.bool("shallowParent") ?? false,
    flowIds: reader.list("flowIds"),
    tagIds: reader.list("tagIds"),
    nameFilter: reader.text("nameFilter"),
    phoneNumberFilter: reader.text("phoneNumberFilter"),
    types: all,
    userMode: readEnum(reader, "userMode", USER_MODES),
    sipUserName: reader.text("sipUserName"),
  };
}

/** phoneNumberFilter: by digits when it has any (`555 210` finds +1555210…), else as text. */
function phoneMatches(number: string | undefined, filter: string | undefined, state: ServerState) {
  if (filter === undefined) return true;
  if (number === undefined) return false;
  const digits = filter.replace(/\D/g, "");
  if (digits === "") return nameMatches(number, filter, state);
  const own = number.replace(/\D/g, "");
  // A prefix filter reads from the national number too: `555` is a prefix of +1555….
  return state.behaviour.nameFilterMatch === "prefix"
    ? own.startsWith(digits) || own.slice(1).startsWith(digits)
    : own.includes(digits);
}

function endpointMatches(e: DirectoryEndpoint, f: EndpointFilters, state: ServerState): boolean {
  const info = e.info;
  if (f.customerIds !== undefined) {
    const own = info.customerId;
    const hit = f.shallowParent
      ? own !== undefined && f.customerIds.includes(own)
      : underCustomers(own, f.customerIds, false, state, undefined);
    if (!hit) return false;
  }
  if (f.referenceIds !== undefined && !f.referenceIds.includes(info.referenceId ?? ""))
    return false;
  if (f.flowIds !== undefined && !f.flowIds.includes(info.flowId ?? "")) return false;
  if (f.types !== undefined && !f.types.includes(info.type as EndpointType)) return false;
  if (f.userMode !== undefined && info.userMode !== f.userMode) return false;
  if (
    f.sipUserName !== undefined &&
    info.sipUserName?.toLowerCase() !== f.sipUserName.toLowerCase()
  )
    return false;
  return (
    nameMatches(info.displayName, f.nameFilter, state) &&
    phoneMatches(info.phoneNumber, f.phoneNumberFilter, state) &&
    hasAllTags(info.tags, f.tagIds)
  );
}

/** An endpoint as served: a user's name as first/last name or as one `name`, as configured. */
export function endpointWire(e: DirectoryEndpoint, state: ServerState): Record<string, unknown> {
  const out = withWireDates(e.info, state);
  if (state.behaviour.endpointUserNames === "name" && e.kind === "user") {
    const name = [out.firstName, out.lastName].filter(Boolean).join(" ");
    delete out.firstName;
    delete out.lastName;
    const avatarUrl = out.avatarUrl;
    delete out.avatarUrl;
    out.name = name;
    if (avatarUrl !== undefined) out.avatarUrl = avatarUrl;
  }
  return out;
}

type Flat<T> = T & { id?: string; accountId?: string };

/** ListEndpoints / GetEndpoint; roles any of SystemAdministrator, Manager, Customer. */
export const ENDPOINTS: DirectorySpec<Flat<DirectoryEndpoint>, EndpointFilters> = {
  list: {
    name: "ListEndpoints",
    itemType: "EndpointInfo",
    fields: [
      ...ENTITY_FIELDS,
      "displayName",
      "type",
      "accountId",
      "accountName",
      "customerId",
      "customerName",
      "customerBreadcrumb",
      "referenceId",
      "extraInformation",
      "flowId",
      "flowName",
      "phoneNumber",
      "userMode",
      "emailAddress",
      "tags",
    ],
  },
  get: { name: "GetEndpoint", idField: "EndpointId", noun: "Endpoint" },
  roles: directoryRoles,
  items: (state) => endpointItems(state),
  readFilters: readEndpointFilters,
  matches: endpointMatches,
  toWire: endpointWire,
  defaultSortField: "displayName",
};

// The generic list reads `id`, `accountId` and sort fields off the item itself: the endpoints
// are flattened once per directory (the EndpointInfo with its kind alongside).
const flatEndpoints = new WeakMap<object, Flat<DirectoryEndpoint>[]>();
function endpointItems(state: ServerState): Flat<DirectoryEndpoint>[] {
  const directory = state.directory();
  let items = flatEndpoints.get(directory);
  if (items === undefined) {
    items = directory.endpoints.map((e) =>
      Object.assign({ ...e.info }, { info: e.info, kind: e.kind }),
    );
    flatEndpoints.set(directory, items);
  }
  return items;
}

interface FlowFilters {
  accountIds: string[] | undefined;
  customerIds: string[] | undefined;
  nameFilter: string | undefined;
  tagIds: string[] | undefined;
  role: FlowRole | undefined;
}

/** ListFlows / GetFlow (top-level fields; nodes are not modelled); same roles as customers. */
export const FLOWS: DirectorySpec<FlowInfo, FlowFilters> = {
  list: {
    name: "ListFlows",
    itemType: "FlowInfo",
    fields: [
      ...ENTITY_FIELDS,
      "name",
      "roles",
      "description",
      "notes",
      "accountId",
      "accountName",
      "customerId",
      "customerName",
      "tags",
      "nodeCount",
    ],
  },
  get: { name: "GetFlow", idField: "FlowId", noun: "Flow" },
  roles: directoryRoles,
  items: (state) => state.directory().flows,
  readFilters: (reader) => {
    // Accepted and not applied (node definitions are not modelled): includeNodes, nodeTypeFilter.
    reader.bool("includeNodes");
    return {
      accountIds: reader.list("accountIds"),
      customerIds: reader.list("customerIds"),
      nameFilter: reader.text("nameFilter"),
      tagIds: reader.list("tagIds"),
      role: readEnum(reader, "role", FLOW_ROLES),
    };
  },
  matches: (flow, f, state) =>
    nameMatches(flow.name, f.nameFilter, state) &&
    hasAllTags(flow.tags, f.tagIds) &&
    (f.role === undefined || (flow.roles ?? []).includes(f.role)) &&
    (f.customerIds === undefined || f.customerIds.includes(flow.customerId ?? "")),
  toWire: (flow, state) => withWireDates(flow, state),
  defaultSortField: "name",
};

/** ListAccounts / GetAccount: AccountInfo as in the seed, of the accounts the user reaches. */
export const ACCOUNTS: DirectorySpec<AccountFields, { nameFilter: string | undefined }> = {
  list: {
    name: "ListAccounts",
    itemType: "AccountInfo",
    fields: [
      ...ENTITY_FIELDS,
      "name",
      "parentAccountId",
      "twilioAccountSid",
      "ancestorIds",
      "maxPhoneNumbers",
      "isBYOA",
      "trustHubProfileSid",
      "logoId",
      "logoUri",
    ],
  },
  get: { name: "GetAccount", idField: "AccountId", noun: "Account" },
  roles: accountRoles,
  items: (state) => state.store.dataset.accounts,
  readFilters: (reader) => ({ nameFilter: reader.text("nameFilter") }),
  matches: (account, f, state) => nameMatches(account.name, f.nameFilter, state),
  toWire: (account, state) => withWireDates(account, state),
  defaultSortField: "name",
};

/** For typing elsewhere: the endpoint spec's items are EndpointInfo plus the directory entry. */
export type EndpointItem = Flat<DirectoryEndpoint> & EndpointInfo;
