import { createHash } from "node:crypto";
import type { CustomerBreadcrumb } from "../wire/dto.js";
import type {
  CustomerInfo,
  EndpointInfo,
  EndpointType,
  FlowInfo,
  Tag,
  TagColor,
} from "../wire/directory-dto.js";
import type { DemoUser, SandboxData } from "../types.js";
import type { AccountFields, CustomerRecord, Dataset, EndpointRecord } from "./model.js";

// The directory (customers, endpoints and flows in their ListCustomers/ListEndpoints/ListFlows
// shapes) is derived from the generated data and draws nothing from the generator's random
// stream, so the sessions stay byte-identical. What the public records lack is read back from
// the sessions themselves: the flows their logs enter ("Entered flow '…'") and the agents'
// avatars, departments and user names from their members. Everything else (tags, reference
// ids, which customer owns an endpoint, dates) follows fixed rules from ids and positions.

const DAY_MS = 86_400_000;
const TYPES: Record<EndpointRecord["kind"], EndpointType> = {
  phoneNumber: "PhoneNumber",
  user: "User",
  // The sandbox's queues ring several agents: the public CLI's closest type is Team (unverified).
  queue: "Team",
};
/** The flow every user endpoint dials out through (not named in any log). */
export const DIAL_OUT_FLOW_NAME = "User Dial Out";
const ENTERED_FLOW = /Entered flow '([^'\n]+)'/;

/** An endpoint as served, with the parts of a user's name kept apart for either naming variant. */
export interface DirectoryEndpoint {
  info: EndpointInfo;
  kind: EndpointRecord["kind"];
}

/** The customers, endpoints and flows of every account, by id and in storage order. */
export interface Directory {
  customers: CustomerInfo[];
  endpoints: DirectoryEndpoint[];
  flows: FlowInfo[];
  customerById: ReadonlyMap<string, CustomerInfo>;
  endpointById: ReadonlyMap<string, DirectoryEndpoint>;
  flowById: ReadonlyMap<string, FlowInfo>;
  /** Customer id → itself and every customer below it. */
  subtree(customerId: string): ReadonlySet<string>;
}

/** 32 hex digits from a text: ids that depend only on what they name. */
export function stableHex(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

function dayAfter(iso: string | undefined, days: number): string {
  const base = iso === undefined ? Date.UTC(2024, 0, 1) : Date.parse(iso);
  return new Date(base + days * DAY_MS).toISOString();
}

function entity(account: AccountFields, id: string, days: number) {
  const dateCreated = dayAfter(account.dateCreated, days);
  return {
    id,
    dateCreated,
    dateLastModified: dayAfter(dateCreated, 30 + (days % 11)),
    createdBy: "system",
    lastModifiedBy: "system",
  };
}

function accountTags(accountId: string): Tag[] {
  const tag = (name: string, color: TagColor): Tag => ({
    id: stableHex(`${accountId}:tag:${name}`),
    name,
    color,
  });
  return [tag("VIP", "Gold"), tag("Priority", "Red"), tag("Onboarding", "Cyan")];
}

function breadcrumbOf(customer: CustomerRecord, byId: Map<string, CustomerRecord>) {
  const crumbs: CustomerBreadcrumb[] = [];
  for (let c: CustomerRecord | undefined = customer; c !== undefined;) {
    crumbs.unshift({ id: c.id, name: c.name });
    c = c.parentId === undefined ? undefined : byId.get(c.parentId);
  }
  return crumbs;
}

function buildCustomers(dataset: Dataset, accounts: Map<string, AccountFields>): CustomerInfo[] {
  const byId = new Map(dataset.customers.map((c) => [c.id, c]));
  const positions = new Map<string, number>();
  return dataset.customers.map((record, index) => {
    const account = accounts.get(record.accountId) ?? {};
    const position = positions.get(record.accountId) ?? 0;
    positions.set(record.accountId, position + 1);
    const tags = accountTags(record.accountId);
    // Tags by position: none, VIP, Priority, VIP and Priority, then again.
    const chosen = [[], [tags[0]], [tags[1]], [tags[0], tags[1]]][position % 4] as Tag[];
    const customer: CustomerInfo = { ...entity(account, record.id, 1 + position) };
    customer.accountId = record.accountId;
    if (account.name !== undefined) customer.accountName = account.name;
    if (record.parentId !== undefined) customer.parentCustomerId = record.parentId;
    customer.breadcrumb = breadcrumbOf(record, byId);
    customer.isStaging = false;
    customer.name = record.name;
    customer.referenceId = `CRM-${String(1001 + index)}`;
    customer.data = {};
    customer.tags = chosen;
    customer.schedule = {
      timeZoneId: "America/New_York",
      inherit: record.parentId !== undefined,
      forceClosed: false,
      rules: [],
      defaultState: "Open",
    };
    customer.overrideBillingSettings = false;
    customer.overrideAppSettings = false;
    return customer;
  });
}

/** The flows each account's sessions enter, in order of name, and every account's dial-out flow. */
function buildFlows(dataset: Dataset): FlowInfo[] {
  const names = new Map<string, Set<string>>();
  for (const session of dataset.sessions) {
    const name = ENTERED_FLOW.exec(session.logText)?.[1];
    if (name === undefined) continue;
    let set = names.get(session.accountId);
    if (set === undefined) names.set(session.accountId, (set = new Set()));
    set.add(name);
  }
  return dataset.accounts.flatMap((account) => {
    const id = account.id as string;
    const entered = [...(names.get(id) ?? [])].sort();
    return [...entered, DIAL_OUT_FLOW_NAME].map((name, position) => {
      const flowId = stableHex(`${id}:flow:${name}`);
      const flow: FlowInfo = { ...entity(account, flowId, 2 + position) };
      flow.name = name;
      flow.roles = name === DIAL_OUT_FLOW_NAME ? ["UserDialOut"] : ["PhoneNumberRouting"];
      flow.description = `${name} of ${account.name ?? id}`;
      flow.accountId = id;
      if (account.name !== undefined) flow.accountName = account.name;
      flow.parameters = [];
      flow.exits = [];
      flow.tags = name === "After Hours" ? [accountTags(id)[1] as Tag] : [];
      flow.nodeCount = 3 + (parseInt(flowId.slice(0, 2), 16) % 10);
      return flow;
    });
  });
}

/** What the agents' session legs say of them: avatar, department and user name. */
function agentDetails(dataset: Dataset) {
  const details = new Map<string, { avatarUrl?: string; department?: string; userName?: string }>();
  for (const session of dataset.sessions) {
    for (const member of session.info.members ?? []) {
      const id = member.endpointId;
      if (id === undefined || details.has(id)) continue;
      const identity = member.identity ?? "";
      details.set(id, {
        ...(member.avatarUrl === undefined ? {} : { avatarUrl: member.avatarUrl }),
        ...(member.applicationData?.department === undefined
          ? {}
          : { department: member.applicationData.department }),
        ...(identity.startsWith("client:") ? { userName: identity.slice("client:".length) } : {}),
      });
    }
  }
  return details;
}

function emailDomain(accountName: string | undefined): string {
  const slug = (accountName ?? "account").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return `${slug.replace(/^-|-$/g, "")}.example.com`;
}

interface EndpointContext {
  accounts: Map<string, AccountFields>;
  customersOf: Map<string, CustomerInfo[]>;
  flowsOf: Map<string, FlowInfo[]>;
  agents: ReturnType<typeof agentDetails>;
}

function addFlow(info: EndpointInfo, flow: FlowInfo | undefined): void {
  if (flow === undefined) return;
  info.flowId = flow.id as string;
  info.flowName = flow.name as string;
  info.flowParams = {};
}

function buildEndpoint(record: EndpointRecord, position: number, ctx: EndpointContext) {
  const account = ctx.accounts.get(record.accountId) ?? {};
  const info: EndpointInfo = { ...entity(account, record.id, 3 + position) };
  info.displayName = record.name;
  info.type = TYPES[record.kind];
  info.accountId = record.accountId;
  if (account.name !== undefined) info.accountName = account.name;
  // Endpoint i of an account belongs to its customer i, the last slot to the account itself.
  const customers = ctx.customersOf.get(record.accountId) ?? [];
  const customer = customers[position % (customers.length + 1)];
  if (customer !== undefined) {
    info.customerId = customer.id as string;
    info.customerName = customer.name as string;
    info.customerBreadcrumb = customer.breadcrumb as CustomerBreadcrumb[];
  }
  const flows = ctx.flowsOf.get(record.accountId) ?? [];
  const tags = accountTags(record.accountId);
  if (record.kind === "phoneNumber") {
    const routing = flows.filter((f) => f.roles?.includes("PhoneNumberRouting"));
    addFlow(info, routing[position % Math.max(1, routing.length)]);
    info.disableSms = false;
    info.useExternal10DlcCampaign = false;
    info.isVirtualPhoneNumber = false;
    info.tags = position % 2 === 0 ? [tags[1] as Tag] : [];
    info.phoneNumber = record.name;
    return info;
  }
  info.tags = [];
  if (record.kind === "queue") return info;
  addFlow(
    info,
    flows.find((f) => f.name === DIAL_OUT_FLOW_NAME),
  );
  const agent = ctx.agents.get(record.id) ?? {};
  if (agent.department !== undefined) info.extraInformation = agent.department;
  const userName = agent.userName ?? record.name.toLowerCase().replace(" ", ".");
  const sipPhone = position % 3 === 2;
  info.userMode = sipPhone ? "SipPhone" : "SoftPhone";
  info.emailAddress = `${userName}@${emailDomain(account.name)}`;
  if (sipPhone) info.sipUserName = userName;
  const space = record.name.indexOf(" ");
  info.firstName = space < 0 ? record.name : record.name.slice(0, space);
  info.lastName = space < 0 ? "" : record.name.slice(space + 1);
  if (agent.avatarUrl !== undefined) info.avatarUrl = agent.avatarUrl;
  return info;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item) ?? "";
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/** Builds the directory of a dataset; the same dataset always gives the same directory. */
export function buildDirectory(dataset: Dataset): Directory {
  const accounts = new Map(dataset.accounts.map((a) => [a.id as string, a]));
  const customers = buildCustomers(dataset, accounts);
  const flows = buildFlows(dataset);
  const ctx: EndpointContext = {
    accounts,
    customersOf: groupBy(customers, (c) => c.accountId),
    flowsOf: groupBy(flows, (f) => f.accountId),
    agents: agentDetails(dataset),
  };
  const positions = new Map<string, number>();
  const endpoints = dataset.endpoints.map((record) => {
    const position = positions.get(record.accountId) ?? 0;
    positions.set(record.accountId, position + 1);
    return { info: buildEndpoint(record, position, ctx), kind: record.kind };
  });
  const children = groupBy(customers, (c) => c.parentCustomerId);
  const subtrees = new Map<string, Set<string>>();
  const subtree = (id: string): Set<string> => {
    let found = subtrees.get(id);
    if (found !== undefined) return found;
    found = new Set([id]);
    for (const child of children.get(id) ?? [])
      for (const d of subtree(child.id as string)) found.add(d);
    subtrees.set(id, found);
    return found;
  };
  return {
    customers,
    endpoints,
    flows,
    customerById: new Map(customers.map((c) => [c.id as string, c])),
    endpointById: new Map(endpoints.map((e) => [e.info.id as string, e])),
    flowById: new Map(flows.map((f) => [f.id as string, f])),
    subtree,
  };
}

/** The directory part of `sandbox.data`: plain copies (ISO dates), in generation order. */
export function directorySnapshot(
  directory: Directory,
  users: readonly DemoUser[],
): Pick<SandboxData, "customerDetails" | "endpointDetails" | "flows" | "users"> {
  return {
    customerDetails: structuredClone(directory.customers),
    endpointDetails: directory.endpoints.map((e) => structuredClone(e.info)),
    flows: structuredClone(directory.flows),
    users: users.map((user) => ({
      userName: user.userName,
      roles: [...(user.roles ?? [])],
      accountIds: [...user.accountIds],
      ...(user.endpointId === undefined ? {} : { endpointId: user.endpointId }),
    })),
  };
}
