import {
  Directory,
  type AccountRef,
  type AuthStatus,
  type DirectoryEntry,
  type DirectoryKind,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { makeOwnerKey, type OwnerKey } from "../owner-key.js";
import type { AuthManager } from "./auth-manager.js";

/**
 * How long the directory keeps a list of customers or endpoints. Names change rarely and a
 * picker opened twice should not read thousands of entries twice; a new sign-in starts afresh.
 */
export const DIRECTORY_TTL_MS = 10 * 60_000;

interface Entry {
  owner: OwnerKey;
  status: Promise<AuthStatus>;
  /** The answer once it came, for the parts that name the sign-in synchronously. */
  settled?: AuthStatus;
  directory: Directory;
}

/**
 * What the current sign-in is (`/auth/status`: the person's name, roles, accounts) and the
 * names it reaches (core's `Directory` of customers and endpoints), asked once per sign-in and
 * shared by the pickers and the parts that name the sign-in. The status the sign-in itself read
 * is reused, so a fresh sign-in costs no extra request. A failure is asked again next time; a
 * sign-in change forgets everything, and an answer for an earlier sign-in never lands under a
 * newer one.
 */
export class AccountsCache implements vscode.Disposable {
  readonly #auth: AuthManager;
  readonly #subscription: vscode.Disposable;
  readonly #changed = new vscode.EventEmitter<void>();
  #entry: Entry | undefined;

  /** Fires when the person's name became known (or was forgotten). */
  readonly onDidChange = this.#changed.event;

  constructor(auth: AuthManager) {
    this.#auth = auth;
    this.#subscription = auth.onDidChange(() => {
      this.#entry = undefined;
      this.#changed.fire();
    });
  }

  /** The `/auth/status` of the current sign-in; undefined while signed out. */
  status(): Promise<AuthStatus | undefined> {
    return this.#current()?.status ?? Promise.resolve(undefined);
  }

  /** The accounts of the current sign-in; none while signed out. */
  async accounts(): Promise<AccountRef[]> {
    return (await this.status())?.accounts ?? [];
  }

  /** The person's real name (UserInfo's name), once known; undefined before or when not given. */
  get displayName(): string | undefined {
    const entry = this.#entry;
    const connection = this.#auth.connection;
    if (entry === undefined || connection === undefined) return undefined;
    if (entry.owner !== makeOwnerKey(connection)) return undefined;
    const name = entry.settled?.displayName?.trim();
    return name === "" ? undefined : name;
  }

  /** Customers or endpoints by name (within the accounts, when given), from the sign-in's directory. */
  async directoryEntries(
    kind: Exclude<DirectoryKind, "account">,
    accountIds: readonly string[] = [],
  ): Promise<DirectoryEntry[]> {
    const entry = this.#current();
    return entry === undefined ? [] : entry.directory.entries(kind, accountIds);
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }

  #current(): Entry | undefined {
    const client = this.#auth.client;
    const connection = this.#auth.connection;
    if (client === undefined || connection === undefined) return undefined;
    const owner = makeOwnerKey(connection);
    if (this.#entry?.owner === owner) return this.#entry;
    const known = this.#auth.status;
    const entry: Entry = {
      owner,
      status: known === undefined ? client.authStatus() : Promise.resolve(known),
      directory: new Directory(client, { ttlMs: DIRECTORY_TTL_MS }),
    };
    if (known !== undefined) entry.settled = known;
    this.#entry = entry;
    entry.status.then(
      (status) => {
        if (this.#entry !== entry || entry.settled !== undefined) return;
        entry.settled = status;
        this.#changed.fire();
      },
      () => {
        // Asked again next time (the directory is rebuilt with it: it holds nothing yet worth keeping).
        if (this.#entry === entry) this.#entry = undefined;
      },
    );
    return entry;
  }
}
