import type { Dataset, StoredSession } from "../data/model.js";
import type { SandboxBehaviour } from "../types.js";
import type { ListSessionsRequest } from "./list-params.js";

const DAY_MS = 86_400_000;

/** A page of matches, before serialisation. */
export interface SessionPage {
  items: StoredSession[];
  /** Absent with simplified paging, which does not count. */
  totalCount: number | undefined;
  totalPages: number | undefined;
  hasMorePages: boolean;
}

type SortKey = string | number | undefined;

function sortKey(session: StoredSession, field: string): SortKey {
  if (field === "log") return session.logOffsets.length;
  const value = (session.info as Record<string, unknown>)[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  // Arrays (members, customerBreadcrumb) sort by how many elements they hold.
  if (Array.isArray(value)) return value.length;
  return JSON.stringify(value);
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  // Missing values first in ascending order, as SQL sorts NULLs.
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  // Ordinal comparison of strings: the real server's collation is unknown, ordinal is stable.
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function compareIds(a: StoredSession, b: StoredSession): number {
  const ia = a.info.id as string;
  const ib = b.info.id as string;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/**
 * The sessions a sandbox serves, newest first, with what ListSessions needs to answer fast:
 * the default order is the storage order, other orders are computed once and cached until
 * the data changes (live mode).
 */
export class SessionStore {
  readonly sessions: StoredSession[];
  private readonly byId = new Map<string, StoredSession>();
  private readonly ascending = new Map<string, Int32Array>();
  /** Sessions created before this instant are archived. */
  readonly archiveCutoffMs: number;
  /** Customer id → the ids of it and every customer below it. */
  private readonly customerSubtree = new Map<string, Set<string>>();

  constructor(
    readonly dataset: Dataset,
    private readonly behaviour: SandboxBehaviour,
  ) {
    this.sessions = dataset.sessions;
    for (const session of this.sessions) this.byId.set(session.info.id as string, session);
    this.archiveCutoffMs = dataset.now.getTime() - behaviour.archiveAfterDays * DAY_MS;
    const parents = new Map(dataset.customers.map((c) => [c.id, c.parentId]));
    for (const customer of dataset.customers) {
      let current: string | undefined = customer.id;
      while (current !== undefined) {
        let subtree = this.customerSubtree.get(current);
        if (subtree === undefined) this.customerSubtree.set(current, (subtree = new Set()));
        subtree.add(customer.id);
        current = parents.get(current);
      }
    }
  }

  /** A session by id, regardless of archive state. */
  get(id: string): StoredSession | undefined {
    return this.byId.get(id);
  }

  /** Adds a session created now (live mode); it becomes the newest. */
  addNewest(session: StoredSession): void {
    this.sessions.unshift(session);
    this.byId.set(session.info.id as string, session);
    this.changed();
  }

  /** Drops cached orders after a session changed. */
  changed(): void {
    this.ascending.clear();
  }

  /** True when a session is archived (searchArchive=true reaches it, the default does not). */
  isArchived(session: StoredSession): boolean {
    return session.createdMs < this.archiveCutoffMs;
  }

  /**
   * Answers a ListSessions request. `accounts` is the set of account ids to search, or
   * undefined for every account (an administrator without accountIds).
   */
  list(request: ListSessionsRequest, accounts: ReadonlySet<string> | undefined): SessionPage {
    const matches = this.matcher(request, accounts);
    const { order, reverse } = this.order(request);
    const sessions = this.sessions;
    const count = order === undefined ? sessions.length : order.length;
    const pageStart = request.all ? 0 : request.page * request.countPerPage;
    const pageEnd = request.all ? Number.POSITIVE_INFINITY : pageStart + request.countPerPage;
    const items: StoredSession[] = [];
    let matched = 0;
    let hasMore = false;
    for (let n = 0; n < count; n++) {
      const position = reverse ? count - 1 - n : n;
      const index = order === undefined ? position : (order[position] as number);
      const session = sessions[index] as StoredSession;
      if (!matches(session)) continue;
      if (matched >= pageStart && matched < pageEnd) items.push(session);
      matched++;
      if (matched > pageEnd) {
        hasMore = true;
        // Simplified paging answers without counting, which is its point.
        if (request.simplifiedPaging) break;
      }
    }
    if (request.simplifiedPaging) return { items, totalCount: undefined, totalPages: undefined, hasMorePages: hasMore };
    const totalPages = request.all ? (matched > 0 ? 1 : 0) : Math.ceil(matched / request.countPerPage);
    return { items, totalCount: matched, totalPages, hasMorePages: hasMore };
  }

  private order(request: ListSessionsRequest): { order: Int32Array | undefined; reverse: boolean } {
    const field = request.sortField ?? "dateCreated";
    // Without a sortField the newest come first; with one, ascending unless told otherwise.
    const descending = (request.sortOrder ?? (request.sortField === undefined ? "Descend" : "Ascend")) === "Descend";
    // Storage order is dateCreated descending with ids descending: no sort needed.
    if (field === "dateCreated") return { order: undefined, reverse: !descending };
    return { order: this.ascendingOrder(field), reverse: descending };
  }

  /** Indexes of the sessions by `field` ascending, ties by id ascending (descending is its reverse). */
  private ascendingOrder(field: string): Int32Array {
    const cached = this.ascending.get(field);
    if (cached !== undefined) return cached;
    const sessions = this.sessions;
    const keys = sessions.map((session) => sortKey(session, field));
    const order = Int32Array.from(sessions.keys());
    order.sort((a, b) => {
      const byKey = compareKeys(keys[a], keys[b]);
      return byKey !== 0 ? byKey : compareIds(sessions[a] as StoredSession, sessions[b] as StoredSession);
    });
    this.ascending.set(field, order);
    return order;
  }

  private matcher(request: ListSessionsRequest, accounts: ReadonlySet<string> | undefined): (s: StoredSession) => boolean {
    const cutoff = this.archiveCutoffMs;
    const archive = request.searchArchive;
    const { startMs, endMsExclusive, specificIds, parentSessionId, from, to, log } = request;
    const customers = this.customerFilter(request.customerIds);
    const endpoints = request.endpointIds;
    const anyEndpoint = this.behaviour.endpointMatch === "any";
    const logPattern = log === undefined ? undefined : new RegExp(escapeRegExp(log), "i");
    return (session) => {
      const created = session.createdMs;
      if (created < cutoff !== archive) return false;
      if (startMs !== undefined && created < startMs) return false;
      if (endMsExclusive !== undefined && created >= endMsExclusive) return false;
      const info = session.info;
      if (accounts !== undefined && !accounts.has(info.accountId as string)) return false;
      if (specificIds !== undefined && !specificIds.has(info.id as string)) return false;
      if (parentSessionId !== undefined && session.parentSessionId !== parentSessionId) return false;
      if (customers !== undefined && (info.customerId == null || !customers.has(info.customerId))) return false;
      if (endpoints !== undefined && !matchesEndpoint(session, endpoints, anyEndpoint)) return false;
      if (from !== undefined && !session.fromKey.includes(from)) return false;
      if (to !== undefined && !session.toKey.includes(to)) return false;
      // A match must lie within one entry: messages are joined by "\n", which a needle cannot span.
      if (logPattern !== undefined && (log?.includes("\n") || !logPattern.test(session.logText))) return false;
      return true;
    };
  }

  private customerFilter(ids: Set<string> | undefined): Set<string> | undefined {
    if (ids === undefined || this.behaviour.customerMatch === "exact") return ids;
    const expanded = new Set<string>();
    for (const id of ids) {
      expanded.add(id);
      for (const below of this.customerSubtree.get(id) ?? []) expanded.add(below);
    }
    return expanded;
  }
}

function matchesEndpoint(session: StoredSession, endpoints: Set<string>, any: boolean): boolean {
  const info = session.info;
  if (info.endpointId != null && endpoints.has(info.endpointId)) return true;
  if (!any) return false;
  if (info.answeredById != null && endpoints.has(info.answeredById)) return true;
  return (info.members ?? []).some((member) => member.endpointId != null && endpoints.has(member.endpointId));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
