import {
  formatWhen,
  SessionPredicateNames,
  SessionQuery,
  type AccountRef,
  type ResolvedRange,
  type SessionInfo,
} from "@evo-sessions/core";
import { isoSeconds } from "../format/session-summary.js";
import type { ResolvedFilters } from "./filters.js";
import { MAX_ACCOUNTS_LISTED, type AppliedFilters } from "./common-schemas.js";

/** Every session filter unset: the query as Evo Voice sees it. */
const NO_PREDICATES = Object.fromEntries(SessionPredicateNames.map((name) => [name, undefined]));

/**
 * A query in the words of an answer: the local days with the UTC days sent beside them, the other
 * filters (core's describe), and what this server applies to the pages it reads. The accounts
 * have their own line, and counting has no order.
 */
export function describeQuery(
  query: SessionQuery,
  timeZone: string,
  counting: boolean,
): { summary: string; clientSide: string[] } {
  const parts: string[] = [];
  const range = query.resolvedRange;
  if (range !== undefined) parts.push(windowWords(range, query));
  const server = query.filter(NO_PREDICATES);
  let rest = server.without("accountIds", "startDate", "endDate");
  if (counting) rest = rest.without("sortField", "sortOrder");
  const restWords = rest.describe();
  if (restWords !== "all sessions" || parts.length === 0) parts.push(restWords);
  const clientSide = predicateWords(query);
  // The window is this server's filter too when it is narrower than the UTC days sent.
  if (range !== undefined && server.filtersLocally)
    clientSide.unshift(`started ${instantsWords(range, timeZone)}`);
  if (clientSide.length > 0)
    parts.push(`applied by this server to the pages read: ${clientSide.join(", ")}`);
  return { summary: parts.join(" · "), clientSide };
}

/** Each session filter in core's words: `missed only`, `outcome "Abandoned" or "Failed"`. */
function predicateWords(query: SessionQuery): string[] {
  const where = query.where as Record<string, unknown>;
  return SessionPredicateNames.filter((name) => where[name] !== undefined).map((name) =>
    SessionQuery.create()
      .filter({ [name]: where[name] })
      .describe(),
  );
}

/** `yesterday (10 Mar 2026, UTC; server days 10 Mar 2026)`. */
function windowWords(range: ResolvedRange, query: SessionQuery): string {
  const { startDate, endDate } = query.params;
  const days = SessionQuery.create().with({ startDate, endDate }).describe();
  const server = `server days ${days === "all sessions" ? "all days" : days}`;
  return range.label.endsWith(")")
    ? `${range.label.slice(0, -1)}; ${server})`
    : `${range.label} (${server})`;
}

/** `2026-03-01 00:00 – 2026-03-02 00:00 Europe/Berlin` (end exclusive; `…` for an open end). */
function instantsWords(range: ResolvedRange, timeZone: string): string {
  const from = range.localStartDate === "" ? "…" : (formatWhen(range.from, timeZone) ?? "…");
  const to = range.localEndDate === "" ? "…" : (formatWhen(range.to, timeZone) ?? "…");
  return `${from} – ${to} ${timeZone}`;
}

/** The structured form of the filters an answer applied. */
export function appliedFilters(resolved: ResolvedFilters, timeZone: string): AppliedFilters {
  const out: AppliedFilters = { text: resolved.summary, tz: timeZone };
  const range = resolved.query.resolvedRange;
  if (range !== undefined) {
    out.range = { label: range.label };
    // The exact instants only when they say more than the days (see describeQuery).
    if (resolved.query.filter(NO_PREDICATES).filtersLocally) {
      if (range.localStartDate !== "") out.range.from = isoSeconds(range.from);
      if (range.localEndDate !== "") out.range.to = isoSeconds(range.to);
    }
  }
  if (resolved.clientSide.length > 0) out.local = resolved.clientSide;
  if (resolved.warnings.length > 0) out.warn = resolved.warnings;
  if (resolved.names.length > 0)
    out.names = resolved.names.map(({ kind, name, id }) => ({ kind, name, id }));
  if (!resolved.accountIdsSent) out.notSent = true;
  return out;
}

/**
 * The accounts an answer names in its JSON: every account searched when there are few; else
 * those the answer's sessions belong to (the count is given beside). Sessions name only their
 * accountId, so each of their accounts is listed here, also one outside the searched list.
 */
export function accountsForAnswer(
  resolved: ResolvedFilters,
  sessions: readonly SessionInfo[],
): AccountRef[] {
  const byId = new Map(resolved.accounts.map((a) => [a.id, a]));
  const out = new Map<string, AccountRef>();
  if (resolved.accounts.length <= MAX_ACCOUNTS_LISTED)
    for (const account of resolved.accounts) out.set(account.id, account);
  for (const session of sessions) {
    const id = session.accountId;
    if (id === null || id === undefined || id === "" || out.has(id)) continue;
    out.set(id, byId.get(id) ?? { id, name: session.accountName ?? "" });
  }
  return [...out.values()];
}
