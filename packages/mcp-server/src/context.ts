import {
  Directory,
  type AccountRef,
  type AuthStatus,
  type CallOptions,
  type EvoVoiceClient,
} from "@evo-sessions/core";
import type { EvoSessionsMcpConfig } from "./config.js";
import { SeenDirectory } from "./directory.js";
import { silentLogger, type Logger } from "./log.js";
import { SignInGate } from "./sign-in-gate.js";

/**
 * Most account IDs sent as `accountIds` when a call searches every account the sign-in reaches:
 * past this the list is left out and Evo Voice searches all of the user's accounts by itself
 * (what the sandbox does; the real server's behaviour without accountIds is undocumented, and
 * the dashboard always sends its one account, hence sending short lists). Keeps the GET's query
 * string well under the ~2 KB some proxies allow, e.g. for an MSP reaching 60 accounts.
 */
export const MAX_DEFAULT_ACCOUNT_IDS_SENT = 20;
/** The same limit in characters of the comma-joined list. */
export const MAX_DEFAULT_ACCOUNT_ID_CHARS = 1000;

/** What the tools talk to: a real Evo Voice server or the in-process sandbox. */
export interface Backend {
  kind: "evo-voice" | "sandbox";
  baseUrl: string;
}

/** Everything the tools share; one per process, shared by every MCP session (and stateless request). */
export interface EvoSessionsContext {
  client: EvoVoiceClient;
  config: EvoSessionsMcpConfig;
  backend: Backend;
  directory: SeenDirectory;
  /** Names of customers, endpoints and accounts from Evo Voice's lists (core's, cached a minute). */
  names: Directory;
  log: Logger;
  /** The clock relative ranges are resolved against. */
  now(): Date;
  /** Who is signed in and the accounts they reach (cached for a few minutes). */
  authStatus(options?: CallOptions): Promise<AuthStatus>;
  /** Pauses sign-in attempts after a rejected one. */
  signInGate: SignInGate;
  /** Most IDs sent when searching every reachable account (see {@link MAX_DEFAULT_ACCOUNT_IDS_SENT}). */
  maxDefaultAccountIdsSent: number;
}

/** Options of {@link createContext}. */
export interface ContextOptions {
  client: EvoVoiceClient;
  config: EvoSessionsMcpConfig;
  /** Default: an Evo Voice backend at the client's base URL. */
  backend?: Backend;
  directory?: SeenDirectory;
  names?: Directory;
  log?: Logger;
  now?: () => Date;
  /** How long the sign-in's account list is reused (default 5 minutes). */
  authStatusTtlMs?: number;
  /** How long sign-in pauses after a rejected attempt (default 60 s). */
  signInPauseMs?: number;
  /** Default {@link MAX_DEFAULT_ACCOUNT_IDS_SENT}. */
  maxDefaultAccountIdsSent?: number;
}

/** Builds the shared state of the tools. */
export function createContext(options: ContextOptions): EvoSessionsContext {
  const directory = options.directory ?? new SeenDirectory();
  const ttl = options.authStatusTtlMs ?? 5 * 60_000;
  const now = options.now ?? (() => new Date());
  let cached: { at: number; status: AuthStatus } | undefined;
  return {
    client: options.client,
    config: options.config,
    backend: options.backend ?? { kind: "evo-voice", baseUrl: options.client.baseUrl },
    directory,
    names: options.names ?? new Directory(options.client, { ttlMs: 60_000 }),
    log: options.log ?? silentLogger,
    now,
    signInGate: new SignInGate(Date.now, options.signInPauseMs),
    maxDefaultAccountIdsSent: options.maxDefaultAccountIdsSent ?? MAX_DEFAULT_ACCOUNT_IDS_SENT,
    async authStatus(callOptions) {
      const at = Date.now();
      if (cached !== undefined && at - cached.at < ttl) return cached.status;
      const status = await options.client.authStatus(callOptions);
      // A failed or anonymous status is not cached: the next call should try again.
      if (status.isAuthenticated) cached = { at, status };
      directory.noteAccounts(status.accounts);
      return status;
    },
  };
}

/** Names an account list for an answer: `Acme Dental (acc_1), Beta Law (acc_2)`, or names only. */
export function nameAccounts(accounts: readonly AccountRef[], max = 6, withIds = true): string {
  const shown = accounts
    .slice(0, max)
    .map((a) => (!a.name ? a.id : withIds ? `${a.name} (${a.id})` : a.name));
  if (accounts.length > max) shown.push(`and ${accounts.length - max} more`);
  return shown.join(", ");
}
