/**
 * The accounts list_accounts shows: ListAccounts (`GET /accounts`, with every account's name)
 * where the sign-in's role allows it, else the accounts `/auth/status` names. The answer says
 * which, since an administrator's ListAccounts may name accounts their sign-in list does not.
 */
import { firstText, isEvoVoiceError, type AccountRef, type AuthStatus } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";

/** Most accounts read from ListAccounts for one answer. */
const MAX_ACCOUNTS = 2000;

/** Where the list came from. */
export type AccountSource = "ListAccounts" | "auth/status";

/** The accounts of the sign-in and where they were read; a refused ListAccounts falls back. */
export async function readAccountList(
  ctx: EvoSessionsContext,
  status: AuthStatus,
  signal: AbortSignal,
): Promise<{ accounts: AccountRef[]; source: AccountSource }> {
  try {
    const accounts: AccountRef[] = [];
    for await (const account of ctx.client.iterateAccounts(
      {},
      { signal, maxItems: MAX_ACCOUNTS },
    )) {
      const id = firstText(account.id);
      if (id !== undefined) accounts.push({ id, name: firstText(account.name) ?? id });
    }
    for (const account of accounts) ctx.directory.note("account", account.id, account.name);
    return { accounts, source: "ListAccounts" };
  } catch (error) {
    // A missing role (403), or a server without the operation (404): the sign-in's own list.
    if (!isEvoVoiceError(error, "permission_denied") && !isEvoVoiceError(error, "not_found"))
      throw error;
    return { accounts: status.accounts, source: "auth/status" };
  }
}
