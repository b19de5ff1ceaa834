import type { ListSessions } from "../model/list.js";
import type { DecodeWarning } from "../model/decode.js";
import type { SessionInfo } from "../model/session.js";
import type { SessionQuery } from "../query/session-query.js";

/** How the client signs in. Secrets given here never appear in errors, hooks or logs. */
export type EvoVoiceAuth =
  | {
      /** Sign in lazily with `POST /auth/credentials`, keep the cookies, sign in again on a 401. */
      type: "credentials";
      userName: string;
      password: string;
      /** Ask for the permanent `ss-pid` cookie (default true). */
      rememberMe?: boolean;
    }
  | {
      /** Send `Authorization: Basic` on every request (reported to work; not verified). */
      type: "basic";
      userName: string;
      password: string;
    }
  | {
      /** Reuse a stored cookie session; with credentials too, an expired one is renewed. */
      type: "session";
      cookies: SessionCookies;
      userName?: string;
      password?: string;
    };

/** The ServiceStack session cookies: `ss-id` (temporary), `ss-pid` (permanent), `ss-opt`. */
export interface SessionCookies {
  ssId?: string | undefined;
  ssPid?: string | undefined;
  ssOpt?: string | undefined;
}

/** Retry policy for reads (GET): 408, 429, 5xx and dropped connections. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables). */
  retries?: number;
  /** Base of the full-jitter exponential backoff (default 250 ms). */
  baseDelayMs?: number;
  /** Largest backoff and largest `Retry-After` honoured (default 30 s). */
  maxDelayMs?: number;
}

/** Observers of the client's traffic; payloads never carry secrets. */
export interface ClientHooks {
  onRequest?(event: { method: string; url: string; attempt: number }): void;
  onResponse?(event: {
    method: string;
    url: string;
    attempt: number;
    status: number;
    durationMs: number;
  }): void;
  onRetry?(event: {
    method: string;
    url: string;
    attempt: number;
    delayMs: number;
    reason: string;
  }): void;
  onSignIn?(event: { userName: string; reason: "initial" | "expired" }): void;
  onDecodeWarnings?(event: { url: string; warnings: DecodeWarning[] }): void;
}

/** Options of {@link createEvoVoiceClient}. */
export interface EvoVoiceClientOptions {
  /** Server origin (default `https://evovoice.io`). */
  baseUrl?: string;
  auth?: EvoVoiceAuth;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  retry?: RetryOptions | false;
  userAgent?: string;
  hooks?: ClientHooks;
  /** A fetch implementation (default: Node's global fetch). */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** One decoded page of sessions. `items` is always an array. */
export interface SessionPage {
  items: SessionInfo[];
  /** The 0-based page number this page was requested as. */
  page: number;
  /** Absent with simplified paging. */
  totalCount?: number | undefined;
  totalPages?: number | undefined;
  hasMorePages?: boolean | undefined;
  warnings: DecodeWarning[];
}

/** One account a sign-in can reach. */
export interface AccountRef {
  id: string;
  name: string;
}

/** Who is signed in and what they can reach (`GET /auth/status`). */
export interface AuthStatus {
  isAuthenticated: boolean;
  userName?: string | undefined;
  displayName?: string | undefined;
  emailAddress?: string | undefined;
  roles: string[];
  accounts: AccountRef[];
}

/** Options of {@link EvoVoiceClient.paginate}. */
export interface PaginateOptions extends CallOptions {
  /** countPerPage of each request (default: the query's, else 100). */
  pageSize?: number;
  /** Stop after this many items. */
  maxItems?: number;
  /** Pages fetched in parallel when totals are known (default 1). */
  concurrency?: number;
  /** Most pages one run fetches before it reports a server that never ends (default 10 000). */
  maxPages?: number;
}

/** A query given as a builder or as plain ListSessions parameters. */
export type SessionQueryInput = SessionQuery | ListSessions;

/** The Evo Voice client. */
export interface EvoVoiceClient {
  readonly baseUrl: string;
  listSessions(query?: SessionQueryInput, options?: CallOptions): Promise<SessionPage>;
  /** One session with its full log; throws NotFoundError when there is none. */
  getSession(id: string, options?: CallOptions): Promise<SessionInfo>;
  authStatus(options?: CallOptions): Promise<AuthStatus>;
  /** Signs in now (otherwise it happens on the first request). */
  signIn(options?: CallOptions): Promise<void>;
  signOut(options?: CallOptions): Promise<void>;
  /** The current cookie session, for storing and handing back later (undefined when none). */
  sessionCookies(): SessionCookies | undefined;
  paginate(
    query?: SessionQueryInput,
    options?: PaginateOptions,
  ): AsyncIterableIterator<SessionPage>;
  iterateSessions(
    query?: SessionQueryInput,
    options?: PaginateOptions,
  ): AsyncIterableIterator<SessionInfo>;
}
