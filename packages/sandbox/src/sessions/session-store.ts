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
  const ia = a.id;
  const ib = b.id;
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
  private readonly ranks = new Map<string, Int32Array>();
  /** Sessions created before this instant are archived. */
  readonly archiveCutoffMs: number;
  /** Customer id → the ids of it and every customer below it. */
  private readonly customerSubtree = new Map<string, Set<string>>();

  constructor(
    readonly dataset: Dataset,
    private readonly behaviour: SandboxBehaviour,
  ) {
    this.sessions = dataset.sessions;
    for (const session of this.sessions) this.byId.set(session.id, session);
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
    this.byId.set(session.id, session);
    this.changed();
  }

  /** Bumped on every change, so snapshots know when they are stale. */
  version = 0;

  /** Drops cached orders after a session changed. */
  changed(): void {
    this.version++;
    this.ranks.clear();
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
    const field = request.sortField ?? "dateCreated";
    // Without a sortField the newest come first; with one, ascending unless told otherwise.
    const descending =
      (request.sortOrder ?? (request.sortField === undefined ? "Descend" : "Ascend")) === "Descend";
    if (request.specificIds !== undefined)
      return this.listSpecific(request, matches, field, descending);
    const [lo, hi] = this.timeRange(request);
    const sessions = this.sessions;
    if (field === "dateCreated") {
      // Storage order is dateCreated descending with ids descending: walk it, or walk it backwards.
      const pager = new Pager(request);
      for (let n = lo; n < hi; n++) {
        const session = sessions[descending ? n : hi - 1 - (n - lo)] as StoredSession;
        if (matches(session) && pager.add(session)) break;
      }
      return pager.result();
    }
    const matched: number[] = [];
    for (let index = lo; index < hi; index++)
      if (matches(sessions[index] as StoredSession)) matched.push(index);
    const rank = this.rank(field);
    matched.sort(
      descending
        ? (a, b) => (rank[b] as number) - (rank[a] as number)
        : (a, b) => (rank[a] as number) - (rank[b] as number),
    );
    const pager = new Pager(request);
    for (const index of matched) if (pager.add(sessions[index] as StoredSession)) break;
    return pager.result();
  }

  /** specificIds: look the few sessions up instead of scanning, then sort them directly. */
  private listSpecific(
    request: ListSessionsRequest,
    matches: (s: StoredSession) => boolean,
    field: string,
    descending: boolean,
  ): SessionPage {
    const found: StoredSession[] = [];
    for (const id of request.specificIds ?? []) {
      const session = this.byId.get(id);
      if (session !== undefined && matches(session)) found.push(session);
    }
    found.sort((a, b) => {
      const order =
        field === "dateCreated"
          ? a.createdMs - b.createdMs
          : compareKeys(sortKey(a, field), sortKey(b, field));
      const full = order !== 0 ? order : compareIds(a, b);
      return descending ? -full : full;
    });
    const pager = new Pager(request);
    for (const session of found) if (pager.add(session)) break;
    return pager.result();
  }

  /** The storage slice [lo, hi) whose creation times the archive flag and date range allow. */
  private timeRange(request: ListSessionsRequest): [number, number] {
    let after = request.searchArchive ? Number.NEGATIVE_INFINITY : this.archiveCutoffMs;
    let before = request.searchArchive ? this.archiveCutoffMs : Number.POSITIVE_INFINITY;
    if (request.startMs !== undefined) after = Math.max(after, request.startMs);
    if (request.endMsExclusive !== undefined) before = Math.min(before, request.endMsExclusive);
    if (after >= before) return [0, 0];
    // Newest first: sessions created at or after `before` come first, those before `after` last.
    return [this.firstCreatedBefore(before), this.firstCreatedBefore(after)];
  }

  private firstCreatedBefore(ms: number): number {
    let lo = 0;
    let hi = this.sessions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sessions[mid] as StoredSession).createdMs >= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Each session's position when sorted by `field` ascending, ties by id ascending. */
  private rank(field: string): Int32Array {
    const cached = this.ranks.get(field);
    if (cached !== undefined) return cached;
    const sessions = this.sessions;
    const keys = sessions.map((session) => sortKey(session, field));
    const order = Int32Array.from(sessions.keys());
    order.sort((a, b) => {
      const byKey = compareKeys(keys[a], keys[b]);
      return byKey !== 0
        ? byKey
        : compareIds(sessions[a] as StoredSession, sessions[b] as StoredSession);
    });
    const rank = new Int32Array(sessions.length);
    order.forEach((index, position) => (rank[index] = position));
    this.ranks.set(field, rank);
    return rank;
  }

  private matcher(
    request: ListSessionsRequest,
    accounts: ReadonlySet<string> | undefined,
  ): (s: StoredSession) => boolean {
    const cutoff = this.archiveCutoffMs;
    const archive = request.searchArchive;
    const { startMs, endMsExclusive, specificIds, parentSessionId, from, to, log } = request;
    const customers = this.customerFilter(request.customerIds);
    const endpoints = request.endpointIds;
    const anyEndpoint = this.behaviour.endpointMatch === "any";
    const logPattern = log === undefined ? undefined : new RegExp(escapeRegExp(log), "i");
    const bothSides =
      specificIds !== undefined && this.behaviour.specificIdsSearch === "everywhere";
    return (session) => {
      const created = session.createdMs;
      if (!bothSides && created < cutoff !== archive) return false;
      if (startMs !== undefined && created < startMs) return false;
      if (endMsExclusive !== undefined && created >= endMsExclusive) return false;
      if (accounts !== undefined && !accounts.has(session.accountId)) return false;
      if (specificIds !== undefined && !specificIds.has(session.id)) return false;
      if (parentSessionId !== undefined && session.parentSessionId !== parentSessionId)
        return false;
      if (
        customers !== undefined &&
        (session.customerId === undefined || !customers.has(session.customerId))
      )
        return false;
      if (endpoints !== undefined && !matchesEndpoint(session, endpoints, anyEndpoint))
        return false;
      if (from !== undefined && !session.fromKey.includes(from)) return false;
      if (to !== undefined && !session.toKey.includes(to)) return false;
      // A match must lie within one entry: messages are joined by "\n", which a needle cannot span.
      if (logPattern !== undefined && (log?.includes("\n") || !logPattern.test(session.logText)))
        return false;
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

/** Collects one page while counting every match (or stopping early with simplified paging). */
class Pager {
  private readonly items: StoredSession[] = [];
  private matched = 0;
  private hasMore = false;
  private readonly start: number;
  private readonly end: number;

  constructor(private readonly request: ListSessionsRequest) {
    this.start = request.all ? 0 : request.page * request.countPerPage;
    this.end = request.all ? Number.POSITIVE_INFINITY : this.start + request.countPerPage;
  }

  /** Adds a match; true when the caller may stop (simplified paging knows there is more). */
  add(session: StoredSession): boolean {
    if (this.matched >= this.start && this.matched < this.end) this.items.push(session);
    this.matched++;
    if (this.matched > this.end) {
      this.hasMore = true;
      // Simplified paging answers without counting, which is its point.
      return this.request.simplifiedPaging;
    }
    return false;
  }

  result(): SessionPage {
    if (this.request.simplifiedPaging) {
      return {
        items: this.items,
        totalCount: undefined,
        totalPages: undefined,
        hasMorePages: this.hasMore,
      };
    }
    const totalPages = this.request.all
      ? this.matched > 0
        ? 1
        : 0
      : Math.ceil(this.matched / this.request.countPerPage);
    return { items: this.items, totalCount: this.matched, totalPages, hasMorePages: this.hasMore };
  }
}

function matchesEndpoint(session: StoredSession, endpoints: Set<string>, any: boolean): boolean {
  if (session.endpointId !== undefined && endpoints.has(session.endpointId)) return true;
  if (!any) return false;
  const info = session.info;
  if (info.answeredById != null && endpoints.has(info.answeredById)) return true;
  return (info.members ?? []).some(
    (member) => member.endpointId != null && endpoints.has(member.endpointId),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
