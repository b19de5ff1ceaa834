import type { AccountRef } from "@evo-sessions/core";
import type * as vscode from "vscode";
import { makeOwnerKey, type OwnerKey } from "../owner-key.js";
import type { AuthManager } from "./auth-manager.js";

/**
 * The accounts the current sign-in reaches (`/auth/status`), asked once per sign-in and shared
 * by the pickers that offer them. A failure is asked again next time; a sign-in change forgets
 * the answer, and an answer on its way for an earlier sign-in never lands under a newer one.
 */
export class AccountsCache implements vscode.Disposable {
  readonly #auth: AuthManager;
  readonly #subscription: vscode.Disposable;
  #entry: { owner: OwnerKey; accounts: Promise<AccountRef[]> } | undefined;

  constructor(auth: AuthManager) {
    this.#auth = auth;
    this.#subscription = auth.onDidChange(() => (this.#entry = undefined));
  }

  /** The accounts of the current sign-in; none while signed out. */
  accounts(): Promise<AccountRef[]> {
    const client = this.#auth.client;
    const connection = this.#auth.connection;
    if (client === undefined || connection === undefined) return Promise.resolve([]);
    const owner = makeOwnerKey(connection);
    if (this.#entry?.owner !== owner) {
      const entry = { owner, accounts: client.authStatus().then((status) => status.accounts) };
      this.#entry = entry;
      entry.accounts.catch(() => {
        if (this.#entry === entry) this.#entry = undefined;
      });
    }
    return this.#entry.accounts;
  }

  dispose(): void {
    this.#subscription.dispose();
  }
}
