import type { SandboxData } from "../src/index.js";

type Session = SandboxData["sessions"][number];

/** A ListSessions request in the shape the oracle reads (already typed, not wire text). */
export interface OracleQuery {
  page?: number;
  countPerPage?: number;
  all?: boolean;
  simplifiedPaging?: boolean;
  specificIds?: string[];
  sortField?: string;
  sortOrder?: "Ascend" | "Descend";
  accountIds?: string[];
  searchArchive?: boolean;
  startDate?: string;
  endDate?: string;
  customerIds?: string[];
  endpointIds?: string[];
  from?: string;
  to?: string;
  log?: string;
  parentSessionId?: string;
}

/** What the oracle expects: the ids of the page, in order, and the paging fields. */
export interface OracleAnswer {
  ids: string[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages: boolean;
}

function contains(values: (string | null | undefined)[], needle: string): boolean {
  const lower = needle.toLowerCase();
  return values.some((value) => typeof value === "string" && value.toLowerCase().includes(lower));
}

function key(session: Session, field: string): string | number | undefined {
  const value = (session as Record<string, unknown>)[field];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as string | number;
}

/**
 * Brute-force ListSessions over the generated data, written independently of the server's
 * indexes: filter every session, sort a copy, slice the page.
 */
export function oracle(
  data: SandboxData,
  visibleAccounts: string[] | undefined,
  q: OracleQuery,
): OracleAnswer {
  const cutoff = Date.parse(data.archiveCutoff as string);
  const start = q.startDate === undefined ? undefined : Date.parse(`${q.startDate}T00:00:00Z`);
  const end =
    q.endDate === undefined ? undefined : Date.parse(`${q.endDate}T00:00:00Z`) + 86_400_000;
  const accounts = q.accountIds ?? visibleAccounts;
  const parents = data.parentSessionIds ?? {};
  const matches = data.sessions.filter((s) => {
    const created = Date.parse(s.dateCreated as string);
    if (created < cutoff !== (q.searchArchive ?? false)) return false;
    if (start !== undefined && created < start) return false;
    if (end !== undefined && created >= end) return false;
    if (accounts !== undefined && !accounts.includes(s.accountId as string)) return false;
    if (q.specificIds !== undefined && !q.specificIds.includes(s.id as string)) return false;
    if (q.customerIds !== undefined && !q.customerIds.includes(s.customerId as string))
      return false;
    if (q.endpointIds !== undefined && !q.endpointIds.includes(s.endpointId as string))
      return false;
    if (q.parentSessionId !== undefined && parents[s.id as string] !== q.parentSessionId)
      return false;
    if (q.from !== undefined && !contains([s.fromAddress, s.fromName, s.fromPhoneNumber], q.from))
      return false;
    if (q.to !== undefined && !contains([s.toAddress, s.destination], q.to)) return false;
    if (
      q.log !== undefined &&
      !contains(
        (s.log ?? []).map((e) => e.message),
        q.log,
      )
    )
      return false;
    return true;
  });
  const field = q.sortField ?? "dateCreated";
  const descending =
    (q.sortOrder ?? (q.sortField === undefined ? "Descend" : "Ascend")) === "Descend";
  const sorted = [...matches].sort((a, b) => {
    const ka = key(a, field);
    const kb = key(b, field);
    let order = 0;
    if (ka !== kb) {
      if (ka === undefined) order = -1;
      else if (kb === undefined) order = 1;
      else order = ka < kb ? -1 : 1;
    }
    if (order === 0) order = (a.id as string) < (b.id as string) ? -1 : 1;
    return descending ? -order : order;
  });
  const ids = sorted.map((s) => s.id as string);
  if (q.all) {
    return q.simplifiedPaging
      ? { ids, hasMorePages: false }
      : { ids, totalCount: ids.length, totalPages: ids.length > 0 ? 1 : 0, hasMorePages: false };
  }
  const size = q.countPerPage ?? 25;
  const first = (q.page ?? 0) * size;
  const page = ids.slice(first, first + size);
  const hasMorePages = ids.length > first + size;
  return q.simplifiedPaging
    ? { ids: page, hasMorePages }
    : { ids: page, totalCount: ids.length, totalPages: Math.ceil(ids.length / size), hasMorePages };
}
