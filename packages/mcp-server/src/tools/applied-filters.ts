import type { AccountRef, SessionInfo } from "@evo-sessions/core";
import type { ResolvedFilters } from "./filters.js";
import { MAX_ACCOUNTS_LISTED, type AppliedFilters } from "./common-schemas.js";

/** The structured form of the filters an answer applied. */
export function appliedFilters(resolved: ResolvedFilters, timeZone: string): AppliedFilters {
  const w = resolved.window;
  const params: Record<string, unknown> = { ...resolved.params };
  delete params.accountIds;
  const out: AppliedFilters = {
    summary: resolved.summary,
    params,
    accountIdsSent: resolved.accountIdsSent,
    clientSide: resolved.clientFilters.map((f) => f.label),
    timeZone,
  };
  if (resolved.warnings.length > 0) out.warnings = resolved.warnings;
  if (w !== undefined) {
    out.range = {};
    if (w.label !== undefined) out.range.label = w.label;
    if (w.startDate !== undefined) out.range.startDate = w.startDate;
    if (w.endDate !== undefined) out.range.endDate = w.endDate;
    if (w.fromMs !== undefined) out.range.from = new Date(w.fromMs).toISOString();
    if (w.toMs !== undefined) out.range.to = new Date(w.toMs).toISOString();
  }
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
