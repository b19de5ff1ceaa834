import type { ScanOptions, SessionScan } from "./scan.js";
import type { ListPage } from "./paging.js";
import type { TranscriptOptions } from "./sessions-api.js";
import type {
  AccountFilters,
  CustomerFilters,
  EndpointFilters,
  FlowFilters,
} from "./directory-api.js";
import type { AccountInfo } from "../model/account.js";
import type {
  CallInfo,
  ChatTranscriptMessage,
  CustomerInfo,
  EndpointInfo,
  FlowInfo,
} from "../model/directory.js";
import type { ListSessions } from "../model/list.js";
import type { DecodeWarning } from "../model/decode.js";
import type { SessionInfo } from "../model/session.js";
import type { SessionQuery } from "../query/session-query.js";

/** How the client signs in. Secrets given here never appear in errors, hooks or logs. */
export type EvoVoiceAuth =
  | {
      /** Sign in lazily with `POST /auth/credentials`, keep the cookies, sign in again on a 401. */
      type: "credentials";
      /** The Evo Voice user name (usually an email address). */
      userName: string;
      /** The password; never shown in errors, hooks or logs. */
      password: string;
      /** Ask for the permanent `ss-pid` cookie (default true). */
      rememberMe?: boolean;
    }
  | {
      /** Send `Authorization: Basic` on every request (reported to work; not verified). */
      type: "basic";
      /** The Evo Voice user name. */
      userName: string;
      /** The password; never shown in errors, hooks or logs. */
      password: string;
    }
  | {
      /** Reuse a stored cookie session; with credentials too, an expired one is renewed. */
      type: "session";
      /** The cookies {@link EvoVoiceClient.sessionCookies} returned earlier. */
      cookies: SessionCookies;
      /** With `password`, lets the client sign in again when the stored session has expired. */
      userName?: string;
      /** With `userName`, lets the client sign in again when the stored session has expired. */
      password?: string;
    };

/** The ServiceStack session cookies: `ss-id` (temporary), `ss-pid` (permanent), `ss-opt`. */
export interface SessionCookies {
  /** `ss-id`, the temporary session id (a secret). */
  ssId?: string | undefined;
  /** `ss-pid`, the permanent session id kept with rememberMe (a secret). */
  ssPid?: string | undefined;
  /** `ss-opt`, the flag `perm` or `temp` saying which of the two the server honours. */
  ssOpt?: string | undefined;
}

/** Retry policy for reads (GET): 408, 429, 5xx and dropped connections. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables). */
  retries?: number;
  /** Base of the full-jitter exponential backoff (default 250 ms). */
  baseDelayMs?: number;
  /**
   * Largest backoff and largest `Retry-After` waited for (default 30 s). When the server asks
   * for a longer wait, the call fails at once with RateLimitedError (or ServerError) carrying it.
   */
  maxDelayMs?: number;
}

/** One request attempt about to be sent (onRequest). */
export interface RequestEvent {
  /** `GET` or `POST`. */
  method: string;
  /** The full URL; it never holds a secret (those travel in headers). */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** One answer received (onResponse). */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status. */
  status: number;
  /** Time from sending to the whole body, in milliseconds. */
  durationMs: number;
}

/** A retry about to wait (onRetry). */
export interface RetryEvent extends RequestEvent {
  /** How long it waits before the next attempt. */
  delayMs: number;
  /** Why, e.g. `HTTP 503` or `the connection was dropped`. */
  reason: string;
}

/** A sign-in that succeeded (onSignIn). */
export interface SignInEvent {
  /** The user signed in as. */
  userName: string;
  /** `initial`: the first sign-in; `expired`: a renewal after the session ended. */
  reason: "initial" | "expired";
}

/** Drift from the documented schema in one answer (onDecodeWarnings). */
export interface DecodeWarningsEvent {
  /** The URL that was answered. */
  url: string;
  /** What did not match the seed; the answer was still decoded. */
  warnings: DecodeWarning[];
}

/**
 * The listing changed during a paging run (onPagingDrift): sessions were added or removed
 * between two pages. See {@link EvoVoiceClient.paginate} for what paging guarantees then.
 */
export interface PagingDriftEvent {
  /** The 0-based page on which the change was seen. */
  page: number;
  /** Items of this page the page before had already delivered; they were skipped. */
  duplicatesSkipped: number;
  /** `totalCount` reported by the page before, when it reported one. */
  previousTotalCount?: number | undefined;
  /** `totalCount` reported by this page, when it reported one. */
  totalCount?: number | undefined;
  /** `totalPages` reported by the page before, when it reported one. */
  previousTotalPages?: number | undefined;
  /** `totalPages` reported by this page, when it reported one. */
  totalPages?: number | undefined;
  /** What happened and what it means, in a sentence or two. */
  message: string;
}

/** Observers of the client's traffic; payloads never carry secrets, and a hook that throws is ignored. */
export interface ClientHooks {
  /** Before every attempt of every request. */
  onRequest?(event: RequestEvent): void;
  /** After every answer, whatever its status. */
  onResponse?(event: ResponseEvent): void;
  /** Before waiting to retry a failed attempt. */
  onRetry?(event: RetryEvent): void;
  /** After each successful sign-in. */
  onSignIn?(event: SignInEvent): void;
  /** When an answer drifted from the documented schema (unknown enum values, extra fields). */
  onDecodeWarnings?(event: DecodeWarningsEvent): void;
  /** When sessions were added or removed while paging (repeats skipped, totals changed). */
  onPagingDrift?(event: PagingDriftEvent): void;
}

/** Options of {@link createEvoVoiceClient}. */
export interface EvoVoiceClientOptions {
  /** Server origin (default `https://evovoice.io`). */
  baseUrl?: string;
  /** How to sign in (default: not at all, for servers that need none). */
  auth?: EvoVoiceAuth;
  /** Per-attempt timeout (default 30 s). */
  timeoutMs?: number;
  /**
   * Overall deadline of each call, sign-in, retries and backoff included (default: none, so a
   * call may take up to attempts × timeoutMs plus backoff). Attempt timeouts are capped by what
   * is left, and a retry is not made when its wait would not leave room for another attempt; a
   * call that runs out throws TimeoutError saying how long it waited. For paging it covers the
   * whole run. A call's own `deadlineMs` overrides it.
   */
  deadlineMs?: number;
  /**
   * Allow a plain `http://` base URL to a host other than this machine (default false: refused,
   * as the password and session cookies would travel unencrypted). The caller should warn its
   * user when it sets this.
   */
  allowInsecureHttp?: boolean;
  /** Retries of reads and of the sign-in; `false` disables them (default: 3 retries). */
  retry?: RetryOptions | false;
  /** The User-Agent header (default `evo-sessions-core/0.1`). */
  userAgent?: string;
  /** Observers of requests, retries, sign-ins, decode warnings and paging drift. */
  hooks?: ClientHooks;
  /** A fetch implementation (default: Node's global fetch). */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call, its retries and (for paging) every page still to come. */
  signal?: AbortSignal;
  /** This call's overall deadline in milliseconds (default: the client's `deadlineMs`). */
  deadlineMs?: number;
}

/** One decoded page of sessions. `items` is always an array. */
export interface SessionPage {
  /** The sessions of this page, in the server's order (repeats skipped when paging). */
  items: SessionInfo[];
  /** The 0-based page number this page was requested as. */
  page: number;
  /** Sessions matching the query in all; absent with simplified paging. */
  totalCount?: number | undefined;
  /** Pages of this size in all; absent with simplified paging. */
  totalPages?: number | undefined;
  /** With simplified paging: whether a next page exists. */
  hasMorePages?: boolean | undefined;
  /** Drift from the documented schema in this answer (also sent to onDecodeWarnings). */
  warnings: DecodeWarning[];
}

/** One account a sign-in can reach. */
export interface AccountRef {
  /** The account id, as `accountIds` takes it. */
  id: string;
  /** The account's name (its id when the server sent no name). */
  name: string;
}

/** Who is signed in and what they can reach (`GET /auth/status`). */
export interface AuthStatus {
  /** Whether the client is signed in. */
  isAuthenticated: boolean;
  /** The signed-in user's ID (UserInfo `id`), when the server says. */
  userId?: string | undefined;
  /** The signed-in user's name, when the server says. */
  userName?: string | undefined;
  /** The person's name as UserInfo gives it (`name`, else first and last name). */
  displayName?: string | undefined;
  /** The signed-in user's email address, when the server says. */
  emailAddress?: string | undefined;
  /** The user's roles, e.g. `SystemAdministrator`. */
  roles: string[];
  /** Every account the sign-in reaches, with its name. */
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
  /** The server origin (plus any path prefix) requests go to, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * One page of sessions (`GET /sessions`), exactly as the server pages them. A query made with
   * `SessionQuery.range()` sends the UTC days covering the local range, so the page may hold
   * sessions just outside it: filter with `query.matchesRange(session)`, or use iterateSessions.
   */
  listSessions(query?: SessionQueryInput, options?: CallOptions): Promise<SessionPage>;
  /** One session with its full log; throws NotFoundError when there is none. */
  getSession(id: string, options?: CallOptions): Promise<SessionInfo>;
  /** Who is signed in and which accounts (id and name) the sign-in reaches; signed out is an answer, not an error. */
  authStatus(options?: CallOptions): Promise<AuthStatus>;
  /** Signs in now (otherwise it happens on the first request); also ends a signOut(). */
  signIn(options?: CallOptions): Promise<void>;
  /** Ends the session on the server; later calls throw NotSignedInError until signIn(). */
  signOut(options?: CallOptions): Promise<void>;
  /** The current cookie session, for storing and handing back later (undefined when none). */
  sessionCookies(): SessionCookies | undefined;
  /**
   * The pages of a query, in order, fetched as the loop asks for them (breaking out stops all
   * fetching). Repeats caused by sessions added mid-run are skipped and the run reaches a last
   * page that moved; the pages are the server's (with `range()`, its UTC days: see listSessions).
   * Sessions removed mid-run may be missed: for a complete export sort oldest first with an end
   * date in the past and concurrency 1.
   */
  paginate(
    query?: SessionQueryInput,
    options?: PaginateOptions,
  ): AsyncIterableIterator<SessionPage>;
  /**
   * The sessions of a query, one at a time, over {@link EvoVoiceClient.paginate}. With a query
   * made by `SessionQuery.range()`, only sessions created within the local range come out.
   */
  iterateSessions(
    query?: SessionQueryInput,
    options?: PaginateOptions,
  ): AsyncIterableIterator<SessionInfo>;
  /**
   * Reads a query from a position in the server's list and keeps what the query matches (its
   * local-day window and session filters), up to `limit` matches or `cap` sessions read; the
   * report says what was read, what matched, where to go on and whether the list ended. What
   * every list and count in the toolkit is built on: see {@link SessionScan}.
   */
  scan(query?: SessionQueryInput, options?: ScanOptions & CallOptions): SessionScan;
  /** Sessions in progress: GetActiveSessions, or the signed-in user's own (GetMySessions) with `mine`. */
  activeSessions(options?: CallOptions & { mine?: boolean }): Promise<SessionInfo[]>;
  /** A chat session's messages (GetChatTranscript). */
  chatTranscript(sessionId: string, options?: TranscriptOptions): Promise<ChatTranscriptMessage[]>;
  /** One page of accounts (ListAccounts; often SystemAdministrator only). */
  listAccounts(filters?: AccountFilters, options?: CallOptions): Promise<ListPage<AccountInfo>>;
  iterateAccounts(
    filters?: AccountFilters,
    options?: PaginateOptions,
  ): AsyncIterableIterator<AccountInfo>;
  getAccount(id: string, options?: CallOptions): Promise<AccountInfo>;
  /** One page of customers (ListCustomers). */
  listCustomers(filters?: CustomerFilters, options?: CallOptions): Promise<ListPage<CustomerInfo>>;
  iterateCustomers(
    filters?: CustomerFilters,
    options?: PaginateOptions,
  ): AsyncIterableIterator<CustomerInfo>;
  getCustomer(id: string, options?: CallOptions): Promise<CustomerInfo>;
  /** One page of endpoints: users, phone numbers, teams… (ListEndpoints). */
  listEndpoints(filters?: EndpointFilters, options?: CallOptions): Promise<ListPage<EndpointInfo>>;
  iterateEndpoints(
    filters?: EndpointFilters,
    options?: PaginateOptions,
  ): AsyncIterableIterator<EndpointInfo>;
  getEndpoint(id: string, options?: CallOptions): Promise<EndpointInfo>;
  /** One page of flows, top level (ListFlows). */
  listFlows(filters?: FlowFilters, options?: CallOptions): Promise<ListPage<FlowInfo>>;
  iterateFlows(filters?: FlowFilters, options?: PaginateOptions): AsyncIterableIterator<FlowInfo>;
  getFlow(id: string, options?: CallOptions): Promise<FlowInfo>;
  /** The calls in progress on an account (GetActiveCalls). */
  activeCalls(accountId: string, options?: CallOptions): Promise<CallInfo[]>;
}
