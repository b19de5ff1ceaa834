import type { Dataset, StoredSession } from "../data/model.js";
import type { SandboxBehaviour } from "../types.js";
import type { ListSessionsRequest } from "./list-params.js";
import { LogIndex, logContains } from "./log-index.js";
import { SessionColumns } from "./session-columns.js";
import { compareKeys, sortKeyOf, type SortKey } from "./sort-keys.js";

const DAY_MS = 86_400_000;

/** A page of matches, before serialisation. */
export interface SessionPage {
  items: StoredSession[];
  /** Absent with simplified paging, which does not count. */
  totalCount: number | undefined;
  totalPages: number | undefined;
  hasMorePages: boolean;
}

function sortKey(session: StoredSession, field: string): SortKey {
  if (field === "log") return session.logOffsets.length;
  return sortKeyOf((session.info as Record<string, unknown>)[field]);
}

function compareIds(a: StoredSession, b: StoredSession): number {
  const ia = a.id;
  const ib = b.id;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** A cached sort: ordinals by key ascending (ties by id ascending), and each ordinal's position. */
interface SortedOrder {
  order: Int32Array;
  rank: Int32Array;
}

/**
 * The sessions a sandbox serves, newest first, with what ListSessions needs to answer fast.
 *
 * Besides its position in `sessions` (which shifts when live mode adds a newest session),
 * each session has an ordinal: its position counted from the oldest, which never changes.
 * Indexes are kept by ordinal: filter columns (kept up to date), the log index (built on the
 * first log search, told about every change) and sort orders (built on first use, dropped
 * when the data changes).
 */
export class SessionStore {
  readonly sessions: StoredSession[];
  private readonly ordinals = new Map<string, number>();
  private readonly orders = new Map<string, SortedOrder>();
  private readonly columns = new SessionColumns();
  private logIndex: LogIndex | undefined;
  /** Sessions created before this instant are archived. */
  readonly archiveCutoffMs: number;
  /** Customer id → the ids of it and every customer below it. */
  private readonly customerSubtree = new Map<string, Set<string>>();

  constructor(
    readonly dataset: Dataset,
    private readonly behaviour: SandboxBehaviour,
  ) {
    this.sessions = dataset.sessions;
    for (let index = this.sessions.length - 1; index >= 0; index--)
      this.index(this.sessions[index] as StoredSession);
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

  /** Gives the next ordinal to a session. */
  private index(session: StoredSession): void {
    this.ordinals.set(session.id, this.columns.size);
    this.columns.append(session);
  }

  private readonly sessionAt = (ordinal: number): StoredSession =>
    this.sessions[this.sessions.length - 1 - ordinal] as StoredSession;

  /** A session by id, regardless of archive state. */
  get(id: string): StoredSession | undefined {
    const ordinal = this.ordinals.get(id);
    return ordinal === undefined ? undefined : this.sessionAt(ordinal);
  }

  /** Adds a session created now (live mode); it becomes the newest. */
  addNewest(session: StoredSession): void {
    this.sessions.unshift(session);
    this.index(session);
    this.changed();
  }

  /** Appends a log entry `offsetMs` after the session's creation (live mode). */
  appendLog(session: StoredSession, message: string, offsetMs: number): void {
    session.logText = session.logOffsets.length === 0 ? message : `${session.logText}\n${message}`;
    session.logOffsets.push(offsetMs);
    const ordinal = this.ordinals.get(session.id);
    if (ordinal !== undefined) this.logIndex?.invalidate(ordinal);
    this.changed(session);
  }

  /** Bumped on every change, so snapshots know when they are stale. */
  version = 0;

  /**
   * Drops cached orders after a session changed; pass the session when its filter fields
   * (account, customer, endpoint, from/to) may have changed too.
   */
  changed(session?: StoredSession): void {
    this.version++;
    this.orders.clear();
    const ordinal = session === undefined ? undefined : this.ordinals.get(session.id);
    if (ordinal !== undefined && session !== undefined) this.columns.set(ordinal, session);
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
    const field = request.sortField ?? "dateCreated";
    // Without a sortField the newest come first; with one, ascending unless told otherwise.
    const descending =
      (request.sortOrder ?? (request.sortField === undefined ? "Descend" : "Ascend")) === "Descend";
    if (request.specificIds !== undefined)
      return this.listSpecific(request, this.matcher(request, accounts), field, descending);
    const [lo, hi] = this.timeRange(request);
    const accepts = this.ordinalMatcher(request, accounts);
    const sessions = this.sessions;
    const last = sessions.length - 1;
    const pager = new Pager(request);
    if (field === "dateCreated") {
      // Storage order is dateCreated descending with ids descending: walk it, or walk it backwards.
      if (descending) {
        for (let index = lo; index < hi; index++)
          if (accepts(last - index) && pager.add(sessions[index] as StoredSession)) break;
      } else {
        for (let index = hi - 1; index >= lo; index--)
          if (accepts(last - index) && pager.add(sessions[index] as StoredSession)) break;
      }
      return pager.result();
    }
    const { order, rank } = this.sorted(field);
    if ((hi - lo) * 8 < sessions.length) {
      // A narrow time range: sorting its few matches beats walking every session's order.
      const matched: number[] = [];
      for (let index = lo; index < hi; index++)
        if (accepts(last - index)) matched.push(last - index);
      matched.sort(
        descending
          ? (a, b) => (rank[b] as number) - (rank[a] as number)
          : (a, b) => (rank[a] as number) - (rank[b] as number),
      );
      for (const ordinal of matched) if (pager.add(this.sessionAt(ordinal))) break;
      return pager.result();
    }
    // Ordinal o sits at index last - o, inside [lo, hi) when o lies in (last - hi, last - lo].
    const above = last - hi;
    const upTo = last - lo;
    const step = descending ? -1 : 1;
    for (let at = descending ? order.length - 1 : 0; at >= 0 && at < order.length; at += step) {
      const ordinal = order[at] as number;
      if (ordinal > above && ordinal <= upTo && accepts(ordinal))
        if (pager.add(sessions[last - ordinal] as StoredSession)) break;
    }
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
      const session = this.get(id);
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

  /** Sessions sorted by `field` ascending, ties by id ascending; cached until the data changes. */
  private sorted(field: string): SortedOrder {
    const cached = this.orders.get(field);
    if (cached !== undefined) return cached;
    const count = this.sessions.length;
    const keys: SortKey[] = [];
    const ids: string[] = [];
    for (let ordinal = 0; ordinal < count; ordinal++) {
      const session = this.sessionAt(ordinal);
      keys.push(sortKey(session, field));
      ids.push(session.id);
    }
    const order = new Int32Array(count);
    for (let ordinal = 0; ordinal < count; ordinal++) order[ordinal] = ordinal;
    order.sort((a, b) => {
      const byKey = compareKeys(keys[a], keys[b]);
      if (byKey !== 0) return byKey;
      const ia = ids[a] as string;
      const ib = ids[b] as string;
      return ia < ib ? -1 : ia > ib ? 1 : 0;
    });
    const rank = new Int32Array(count);
    order.forEach((ordinal, position) => (rank[ordinal] = position));
    const sorted = { order, rank };
    this.orders.set(field, sorted);
    return sorted;
  }

  /**
   * The filters of a request other than its time range (which `timeRange` applies) as a test
   * of an ordinal, reading the typed columns; only rare filters read the session itself.
   */
  private ordinalMatcher(
    request: ListSessionsRequest,
    accounts: ReadonlySet<string> | undefined,
  ): (ordinal: number) => boolean {
    const columns = this.columns;
    const { account, customer, endpoint, from, to, parent } = columns;
    const accountMask = accounts === undefined ? undefined : columns.accounts.maskOf(accounts);
    const customerIds = this.customerFilter(request.customerIds);
    const customerMask =
      customerIds === undefined ? undefined : columns.customers.maskOf(customerIds);
    const endpointIds = request.endpointIds;
    // Matching answeredById and members reads the session: only the "any" behaviour does it.
    const anyEndpoint = this.behaviour.endpointMatch === "any";
    const endpointMask =
      endpointIds === undefined ? undefined : columns.endpoints.maskOf(endpointIds);
    const fromMask =
      request.from === undefined ? undefined : columns.fromKeys.maskContaining(request.from);
    const toMask = request.to === undefined ? undefined : columns.toKeys.maskContaining(request.to);
    const parentId =
      request.parentSessionId === undefined
        ? undefined
        : (columns.parents.idOf(request.parentSessionId) ?? -2);
    const logHits = request.log === undefined ? undefined : this.searchLogs(request.log);
    const sessionAt = this.sessionAt;
    return (ordinal) => {
      if (logHits !== undefined && logHits[ordinal] === 0) return false;
      if (accountMask !== undefined && accountMask[account[ordinal] as number] !== 1) return false;
      if (parentId !== undefined && parent[ordinal] !== parentId) return false;
      if (customerMask !== undefined && customerMask[customer[ordinal] as number] !== 1)
        return false;
      if (fromMask !== undefined && fromMask[from[ordinal] as number] !== 1) return false;
      if (toMask !== undefined && toMask[to[ordinal] as number] !== 1) return false;
      if (
        endpointMask !== undefined &&
        endpointMask[endpoint[ordinal] as number] !== 1 &&
        !(
          anyEndpoint &&
          endpointIds !== undefined &&
          matchesEndpoint(sessionAt(ordinal), endpointIds, true)
        )
      )
        return false;
      return true;
    };
  }

  /** Which sessions (by ordinal) have a log entry containing `needle`, lower-cased. */
  private searchLogs(needle: string): Uint8Array {
    const count = this.sessions.length;
    this.logIndex ??= new LogIndex(count, this.sessionAt);
    return this.logIndex.search(needle, count, this.sessionAt);
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
      if (log !== undefined && !logContains(session, log)) return false;
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
