import type { SandboxData } from "../src/index.js";

// Brute-force answers for the directory operations over `sandbox.data`, written apart from the
// server's code: filter every item, sort a copy, slice the page.

type Item = { id?: string; [key: string]: unknown };

/** ListRequest's paging fields, typed. */
export interface Paging {
  page?: number;
  countPerPage?: number;
  all?: boolean;
  simplifiedPaging?: boolean;
  specificIds?: string[];
  sortField?: string;
  sortOrder?: "Ascend" | "Descend";
}

/** The ids of the expected page and the paging fields. */
export interface Expected {
  ids: string[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages: boolean;
}

function key(item: Item, field: string): string | number | undefined {
  const value = item[field];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as string | number;
}

/** Sorts (default: `defaultField` ascending; ties by id) and pages, as ListSessions pages. */
export function expectPage(items: Item[], q: Paging, defaultField: string): Expected {
  const field = q.sortField ?? defaultField;
  const descending = q.sortOrder === "Descend";
  const matched = items.filter((i) => q.specificIds === undefined || q.specificIds.includes(i.id!));
  const sorted = [...matched].sort((a, b) => {
    const ka = key(a, field);
    const kb = key(b, field);
    let order = 0;
    if (ka !== kb) {
      if (ka === undefined) order = -1;
      else if (kb === undefined) order = 1;
      else order = ka < kb ? -1 : 1;
    }
    if (order === 0) order = a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0;
    return descending ? -order : order;
  });
  const ids = sorted.map((i) => i.id!);
  if (q.all)
    return q.simplifiedPaging
      ? { ids, hasMorePages: false }
      : { ids, totalCount: ids.length, totalPages: ids.length > 0 ? 1 : 0, hasMorePages: false };
  const size = q.countPerPage ?? 25;
  const first = (q.page ?? 0) * size;
  const page = ids.slice(first, first + size);
  const hasMorePages = ids.length > first + size;
  return q.simplifiedPaging
    ? { ids: page, hasMorePages }
    : { ids: page, totalCount: ids.length, totalPages: Math.ceil(ids.length / size), hasMorePages };
}

/** The accounts a demo user reaches. */
export function accountsOf(data: SandboxData, userName: string): string[] {
  const user = data.users?.find((u) => u.userName === userName);
  if (user === undefined) throw new Error(`no user ${userName}`);
  return user.roles.includes("SystemAdministrator")
    ? data.accounts.map((a) => a.id as string)
    : user.accountIds;
}

/** A customer and every customer below it, from the parent links. */
export function customerSubtree(data: SandboxData, id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of data.customers)
      if (c.parentId !== undefined && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
  }
  return out;
}

const contains = (value: unknown, needle: string | undefined): boolean =>
  needle === undefined ||
  (typeof value === "string" && value.toLowerCase().includes(needle.toLowerCase()));

const tagged = (item: Item, tagIds: string[] | undefined): boolean =>
  tagIds === undefined ||
  tagIds.every((id) =>
    ((item.tags as { id: string }[] | undefined) ?? []).some((t) => t.id === id),
  );

/** ListCustomers' filters. */
export interface CustomerQuery extends Paging {
  accountIds?: string[];
  nameFilter?: string;
  parentCustomerIds?: string[];
  shallowParent?: boolean;
  tagIds?: string[];
}

export function expectCustomers(data: SandboxData, user: string, q: CustomerQuery): Expected {
  const accounts = q.accountIds ?? accountsOf(data, user);
  const items = (data.customerDetails ?? []).filter((c) => {
    if (!accounts.includes(c.accountId!)) return false;
    if (!contains(c.name, q.nameFilter) || !tagged(c as Item, q.tagIds)) return false;
    if (q.parentCustomerIds === undefined) return true;
    if (q.shallowParent) return q.parentCustomerIds.includes(c.parentCustomerId ?? "");
    return q.parentCustomerIds.some((p) => p !== c.id && customerSubtree(data, p).has(c.id!));
  });
  return expectPage(items as Item[], q, "name");
}

/** ListEndpoints' filters (those the oracle checks). */
export interface EndpointQuery extends Paging {
  accountIds?: string[];
  customerIds?: string[];
  shallowParent?: boolean;
  nameFilter?: string;
  phoneNumberFilter?: string;
  types?: string[];
  flowIds?: string[];
  tagIds?: string[];
}

export function expectEndpoints(data: SandboxData, user: string, q: EndpointQuery): Expected {
  const accounts = q.accountIds ?? accountsOf(data, user);
  const items = (data.endpointDetails ?? []).filter((e) => {
    if (!accounts.includes(e.accountId!)) return false;
    if (!contains(e.displayName, q.nameFilter) || !tagged(e as Item, q.tagIds)) return false;
    if (q.phoneNumberFilter !== undefined) {
      const digits = q.phoneNumberFilter.replace(/\D/g, "");
      if (!(e.phoneNumber ?? "\u0000").replace(/\D/g, "").includes(digits)) return false;
    }
    if (q.types !== undefined && !q.types.includes(e.type!)) return false;
    if (q.flowIds !== undefined && !q.flowIds.includes(e.flowId ?? "")) return false;
    if (q.customerIds === undefined) return true;
    if (e.customerId === undefined) return false;
    return q.shallowParent
      ? q.customerIds.includes(e.customerId)
      : q.customerIds.some((c) => customerSubtree(data, c).has(e.customerId!));
  });
  return expectPage(items as Item[], q, "displayName");
}

/** ListFlows' filters. */
export interface FlowQuery extends Paging {
  accountIds?: string[];
  nameFilter?: string;
  role?: string;
  tagIds?: string[];
}

export function expectFlows(data: SandboxData, user: string, q: FlowQuery): Expected {
  const accounts = q.accountIds ?? accountsOf(data, user);
  const items = (data.flows ?? []).filter(
    (f) =>
      accounts.includes(f.accountId!) &&
      contains(f.name, q.nameFilter) &&
      tagged(f as Item, q.tagIds) &&
      (q.role === undefined || (f.roles ?? []).includes(q.role as never)),
  );
  return expectPage(items as Item[], q, "name");
}

/** A query string from a typed query (lists comma-joined). */
export function toQuery(q: object): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) search.set(k, Array.isArray(v) ? v.join(",") : String(v));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
