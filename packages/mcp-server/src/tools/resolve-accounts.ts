import type { AccountRef, AuthStatus } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { MAX_DEFAULT_ACCOUNT_ID_CHARS, nameAccounts } from "../context.js";
import { ToolArgumentError } from "./results.js";

/** The accounts one tool call searches, and how the answer names them. */
export interface ChosenAccounts {
  accounts: AccountRef[];
  accountsLine: string;
  /** The IDs to send, or undefined to leave accountIds out. */
  accountIds: string[] | undefined;
  warnings: string[];
  /** Who is signed in (part of the cursor hash). */
  user: string | undefined;
}

/**
 * The accounts to search: the ones asked for, else the configured default(s), else every account
 * the sign-in reaches. An account the sign-in cannot reach is refused, naming the reachable ones
 * (an administrator is warned instead: they may reach accounts their list does not name).
 */
export async function resolveAccounts(
  ctx: EvoSessionsContext,
  explicit: readonly string[] | undefined,
  signal: AbortSignal | undefined,
): Promise<ChosenAccounts> {
  const status = await ctx.authStatus(signal === undefined ? {} : { signal });
  const asked = explicit !== undefined && explicit.length > 0;
  const configured = ctx.config.defaultAccountIds;
  const [chosen, how] = asked
    ? [[...new Set(explicit)], "as asked"]
    : configured.length > 0
      ? [configured, "default EVO_VOICE_ACCOUNT_IDS"]
      : [status.accounts.map((a) => a.id), "all reachable"];
  const argument = asked ? "accountIds" : "accountIds (default EVO_VOICE_ACCOUNT_IDS)";
  const warnings = checkReachable(status, chosen, argument);
  const reachable = new Map(status.accounts.map((a) => [a.id, a]));
  const accounts = chosen.map(
    (accountId) => reachable.get(accountId) ?? { id: accountId, name: "" },
  );
  for (const account of accounts) ctx.directory.note("account", account.id, account.name);
  // A long "every account" list is left out of the request: see MAX_DEFAULT_ACCOUNT_IDS_SENT.
  const every = !asked && configured.length === 0;
  const omit =
    every &&
    (chosen.length > ctx.maxDefaultAccountIdsSent ||
      chosen.join(",").length > MAX_DEFAULT_ACCOUNT_ID_CHARS);
  const accountsLine =
    accounts.length === 0
      ? "Accounts: none reachable by this sign-in"
      : `Accounts (${how}${omit ? `: ${accounts.length}, searched by Evo Voice without listing them in the request` : ""}): ${nameAccounts(accounts, 6, false)}`;
  return {
    accounts,
    accountsLine,
    accountIds: chosen.length > 0 && !omit ? chosen : undefined,
    warnings,
    user: status.userName ?? status.emailAddress,
  };
}

/** Throws for accounts the sign-in does not name, or warns an administrator about them. */
function checkReachable(status: AuthStatus, chosen: readonly string[], argument: string): string[] {
  const reachable = new Set(status.accounts.map((a) => a.id));
  const unknown = chosen.filter((accountId) => !reachable.has(accountId));
  if (unknown.length === 0) return [];
  const listed = `${unknown.map((a) => JSON.stringify(a)).join(", ")} ${unknown.length === 1 ? "is not an account" : "are not accounts"} this sign-in's account list names`;
  // System administrators may reach accounts their list does not name: warn them, refuse others.
  const isAdmin = status.roles.some((role) => /admin/i.test(role));
  if (!isAdmin) {
    throw new ToolArgumentError(
      argument,
      `${listed.replace("this sign-in's account list names", "this sign-in reaches")}. Reachable: ${nameAccounts(status.accounts, 10)}. Call list_accounts for the full list.`,
    );
  }
  return [
    `Warning (${argument}): ${listed}. Searched anyway because the user is an administrator (roles: ${status.roles.join(", ")}); if nothing matches, check the ID with list_accounts.`,
  ];
}
