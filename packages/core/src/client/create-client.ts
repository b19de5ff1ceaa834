import {
  EvoVoiceError,
  InvalidOptionError,
  QueryValidationError,
} from "../errors/evo-voice-error.js";
import { NotSignedInError } from "../errors/auth-errors.js";
import { NotFoundError, UndecodableResponseError } from "../errors/response-errors.js";
import { decodeSessionList } from "../model/decode.js";
import type { SessionInfo } from "../model/session.js";
import { SessionQuery } from "../query/session-query.js";
import { AuthSession } from "./auth-session.js";
import { decodeAuthStatus, signedOutStatus } from "./auth-status.js";
import { checkDeadline, resolveClientConfig } from "./client-config.js";
import { Deadline } from "./deadline.js";
import { describeJsonValue, undecodableError } from "./error-mapping.js";
import { checkPagingOptions, itemsOf, paginatePages } from "./paging.js";
import { Redactor } from "./redactor.js";
import { Requester } from "./requester.js";
import type {
  AuthStatus,
  CallOptions,
  EvoVoiceClient,
  EvoVoiceClientOptions,
  PaginateOptions,
  SessionPage,
  SessionQueryInput,
} from "./types.js";

const SESSIONS_PATH = "/sessions";
const AUTH_STATUS_PATH = "/auth/status";

async function* sessionsWithin(
  query: SessionQuery,
  pages: AsyncIterable<SessionPage>,
  maxItems: number | undefined,
): AsyncGenerator<SessionInfo, void, undefined> {
  if (maxItems === 0) return;
  let kept = 0;
  for await (const session of itemsOf(pages)) {
    if (!query.matchesRange(session)) continue;
    yield session;
    if (maxItems !== undefined && ++kept >= maxItems) return;
  }
}

/**
 * Creates a client for the Evo Voice API. Nothing is sent until the first call; with
 * credentials, the first call signs in.
 *
 * @example
 * const client = createEvoVoiceClient({ auth: { type: "credentials", userName, password } });
 * for await (const session of client.iterateSessions(SessionQuery.create().since("2026-01-01"))) …
 */
export function createEvoVoiceClient(options: EvoVoiceClientOptions = {}): EvoVoiceClient {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(
      "options",
      "expected an object such as { baseUrl, auth }",
      options,
    );
  }
  const config = resolveClientConfig(options);
  const redactor = new Redactor();
  const auth = new AuthSession(options.auth, config, redactor);
  const requester = new Requester(config, auth, redactor);

  /** The deadline of one call: its own `deadlineMs`, else the client's, else none. */
  function deadlineFor(callOptions: CallOptions): Deadline | undefined {
    const ms = checkDeadline("deadlineMs", callOptions.deadlineMs) ?? config.deadlineMs;
    return ms === undefined ? undefined : new Deadline(ms);
  }

  async function listSessions(
    query?: SessionQueryInput,
    callOptions: CallOptions = {},
    deadline: Deadline | undefined = deadlineFor(callOptions),
  ): Promise<SessionPage> {
    const validated = SessionQuery.of(query);
    const reply = await requester.send({
      method: "GET",
      path: SESSIONS_PATH,
      query: validated.toQueryString(),
      signal: callOptions.signal,
      deadline,
    });
    let decoded: ReturnType<typeof decodeSessionList>;
    try {
      decoded = decodeSessionList(reply.json);
    } catch (error) {
      throw undecodableError(
        { request: `GET ${SESSIONS_PATH}`, attempts: 1, origin: config.baseUrl, redactor },
        {
          received:
            error instanceof UndecodableResponseError
              ? error.received
              : describeJsonValue(reply.json),
          kind: "wrong_shape",
          expected: "a ListResponse object (items, totalCount, totalPages, hasMorePages)",
          cause: error instanceof EvoVoiceError ? undefined : error,
          status: reply.status,
        },
      );
    }
    const { value, warnings } = decoded;
    if (warnings.length > 0) config.hooks.onDecodeWarnings({ url: reply.url, warnings });
    return {
      items: value.items ?? [],
      page: validated.params.page ?? 0,
      totalCount: value.totalCount ?? undefined,
      totalPages: value.totalPages ?? undefined,
      hasMorePages: value.hasMorePages ?? undefined,
      warnings,
    };
  }

  async function findById(
    id: string,
    archive: boolean,
    callOptions: CallOptions,
    deadline: Deadline | undefined,
  ): Promise<SessionInfo | undefined> {
    // GET /sessions/{id} drops the log (API-NOTES), so ask the list for exactly this id.
    let query = SessionQuery.create().ids(id).perPage(1).simplifiedPaging();
    if (archive) query = query.archive();
    const page = await listSessions(query, callOptions, deadline);
    // Checked rather than trusted: a server ignoring specificIds would answer some other session.
    return page.items.find((item) => item.id === id);
  }

  async function getSession(id: string, callOptions: CallOptions = {}): Promise<SessionInfo> {
    if (typeof id !== "string" || id.trim() === "") {
      throw new QueryValidationError("id", "must be a non-empty session id", id);
    }
    const wanted = id.trim();
    // One deadline for both lookups: the caller asked for one session, not two requests.
    const deadline = deadlineFor(callOptions);
    // Sessions older than about 15 days live only in the archive (API-NOTES), so look there next.
    const found =
      (await findById(wanted, false, callOptions, deadline)) ??
      (await findById(wanted, true, callOptions, deadline));
    if (found === undefined) {
      throw new NotFoundError(
        `No session with id "${wanted}" among the live or archived sessions the signed-in user can see. ` +
          "Check the id, and that the session belongs to an account this sign-in can reach.",
      );
    }
    return found;
  }

  async function fetchAuthStatus(
    callOptions: CallOptions,
    deadline: Deadline | undefined = deadlineFor(callOptions),
  ): Promise<AuthStatus> {
    const reply = await requester.send({
      method: "GET",
      path: AUTH_STATUS_PATH,
      signal: callOptions.signal,
      deadline,
      // The server may answer an expired session with 200 and isAuthenticated: false (API-NOTES
      // leaves it open), which must renew a sign-in just like a 401 does.
      meansSignedOut: (json) =>
        (json as { isAuthenticated?: unknown } | null)?.isAuthenticated === false,
    });
    return decodeAuthStatus(reply.json);
  }

  async function authStatus(callOptions: CallOptions = {}): Promise<AuthStatus> {
    try {
      return await fetchAuthStatus(callOptions);
    } catch (error) {
      // "Who am I?" has an answer when nobody is: not signed in.
      if (error instanceof NotSignedInError) return signedOutStatus();
      throw error;
    }
  }

  async function signIn(callOptions: CallOptions = {}): Promise<void> {
    const deadline = deadlineFor(callOptions);
    // Also ends the signed-out state signOut() left behind.
    await auth.signInNow(callOptions.signal, deadline);
    if (auth.canSignIn) return;
    // Basic auth, a stored session or nothing at all: check now that the server accepts it.
    const status = await fetchAuthStatus(callOptions, deadline);
    if (!status.isAuthenticated) throw auth.notSignedInError(`GET ${AUTH_STATUS_PATH}`);
  }

  function paginate(
    query?: SessionQueryInput,
    paginateOptions: PaginateOptions = {},
  ): AsyncGenerator<SessionPage, void, undefined> {
    // One deadline for the whole run, started when the first page is asked for.
    let deadline: Deadline | undefined;
    return paginatePages(
      (pageQuery, signal) => {
        deadline ??= deadlineFor(paginateOptions);
        return listSessions(pageQuery, { signal }, deadline);
      },
      SessionQuery.of(query),
      paginateOptions,
      (event) => config.hooks.onPagingDrift(event),
    );
  }

  function iterateSessions(
    query?: SessionQueryInput,
    paginateOptions: PaginateOptions = {},
  ): AsyncGenerator<SessionInfo, void, undefined> {
    const validated = SessionQuery.of(query);
    if (validated.resolvedRange === undefined) return itemsOf(paginate(validated, paginateOptions));
    // The server pages whole UTC days; an item stream can keep exactly the local range asked
    // for. maxItems then counts the sessions kept, so paging runs unbounded underneath.
    checkPagingOptions(validated, paginateOptions);
    const { maxItems } = paginateOptions;
    const pages = paginate(validated, { ...paginateOptions, maxItems: undefined });
    return sessionsWithin(validated, pages, maxItems);
  }

  return {
    baseUrl: config.baseUrl,
    listSessions,
    getSession,
    authStatus,
    signIn,
    signOut: (callOptions: CallOptions = {}) =>
      auth.signOut(callOptions.signal, deadlineFor(callOptions)),
    sessionCookies: () => auth.sessionCookies(),
    paginate,
    iterateSessions,
  };
}
