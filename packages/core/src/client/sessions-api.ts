/**
 * The session operations: one page (ListSessions), one session with its log, paging, the
 * scanner, what is live now (GetActiveSessions, GetMySessions) and chat transcripts.
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import { NotFoundError } from "../errors/response-errors.js";
import { decodeSessionList } from "../model/decode.js";
import { decodeSessionsBody, decodeTranscriptBody } from "../model/directory-decode.js";
import type { ChatTranscriptMessage } from "../model/directory.js";
import type { SessionInfo } from "../model/session.js";
import { SessionQuery } from "../query/session-query.js";
import { pageOf, type ApiCore } from "./api-core.js";
import type { Deadline } from "./deadline.js";
import { checkPagingOptions, itemsOf, paginatePages } from "./paging.js";
import { scanSessions, type ScanOptions, type SessionScan } from "./scan.js";
import type {
  CallOptions,
  PaginateOptions,
  PagingDriftEvent,
  SessionPage,
  SessionQueryInput,
} from "./types.js";

const SESSIONS_PATH = "/sessions";

/** Options of a chat transcript (GetChatTranscript). */
export interface TranscriptOptions extends CallOptions {
  /** Also earlier messages from the same chat party. */
  includeHistorical?: boolean;
  /** How far back historical messages go (at most 6 months, says the service). */
  historicalCutOffDate?: string;
}

/** The session operations of a client. */
export function sessionsApi(core: ApiCore) {
  const listSessions = listSessionsOf(core);
  return {
    listSessions,
    ...sessionReaders(core, listSessions),
    ...sessionLookups(core, listSessions),
  };
}

type ListSessionsFn = (
  query?: SessionQueryInput,
  callOptions?: CallOptions,
  deadline?: Deadline,
) => Promise<SessionPage>;

/** One page of ListSessions, decoded. */
function listSessionsOf(core: ApiCore): ListSessionsFn {
  return async (query, callOptions = {}, deadline = core.deadlineFor(callOptions)) => {
    const validated = SessionQuery.of(query);
    const { value, warnings } = await core.get(
      {
        path: SESSIONS_PATH,
        query: validated.toQueryString(),
        decode: decodeSessionList,
        expected: "a ListResponse object (items, totalCount, totalPages, hasMorePages)",
      },
      callOptions,
      deadline,
    );
    return pageOf(value, validated.params.page ?? 0, warnings);
  };
}

/** Paging, item streams and the scanner, each run under one deadline. */
function sessionReaders(core: ApiCore, listSessions: ListSessionsFn) {
  /** A page fetcher with one deadline for the whole run, started at the first page. */
  const runFetcher = (callOptions: CallOptions) => {
    let deadline: Deadline | undefined;
    return (pageQuery: SessionQuery, signal: AbortSignal) => {
      deadline ??= core.deadlineFor(callOptions);
      return listSessions(pageQuery, { signal }, deadline);
    };
  };
  const onDrift = (event: PagingDriftEvent) => core.config.hooks.onPagingDrift(event);

  function paginate(query?: SessionQueryInput, options: PaginateOptions = {}) {
    return paginatePages(runFetcher(options), SessionQuery.of(query), options, onDrift);
  }

  function iterateSessions(
    query?: SessionQueryInput,
    options: PaginateOptions = {},
  ): AsyncGenerator<SessionInfo, void, undefined> {
    const validated = SessionQuery.of(query);
    if (validated.resolvedRange === undefined && !validated.filtersLocally) {
      return itemsOf(paginate(validated, options));
    }
    // The server pages whole UTC days and lacks some filters; an item stream keeps exactly what
    // the query asks for. maxItems then counts the sessions kept, so paging runs unbounded.
    checkPagingOptions(validated, options);
    const pages = paginate(validated, { ...options, maxItems: undefined });
    return matchesOf(validated, pages, options.maxItems);
  }

  function scan(query?: SessionQueryInput, options: ScanOptions & CallOptions = {}): SessionScan {
    return scanSessions(runFetcher(options), SessionQuery.of(query), options, onDrift);
  }

  return { paginate, iterateSessions, scan };
}

/** One session with its log, what is live now, and chat transcripts. */
function sessionLookups(core: ApiCore, listSessions: ListSessionsFn) {
  async function getSession(id: string, callOptions: CallOptions = {}): Promise<SessionInfo> {
    const wanted = requireId("id", id);
    // One deadline for both lookups: the caller asked for one session, not two requests.
    const deadline = core.deadlineFor(callOptions);
    // GET /sessions/{id} answers `log: []` and 404 for an archived session (OPERATIONS.md), so
    // the list is asked for exactly this id, among the live sessions and then the archive.
    const find = async (archive: boolean) => {
      let query = SessionQuery.create().ids(wanted).perPage(1).simplifiedPaging();
      if (archive) query = query.archive();
      const page = await listSessions(query, callOptions, deadline);
      // Checked rather than trusted: a server ignoring specificIds would answer another session.
      return page.items.find((item) => item.id === wanted);
    };
    const found = (await find(false)) ?? (await find(true));
    if (found === undefined) {
      throw new NotFoundError(
        `No session with id "${wanted}" among the live or archived sessions the signed-in user can see. ` +
          "Check the id, and that the session belongs to an account this sign-in can reach.",
      );
    }
    return found;
  }

  /** Sessions in progress (GetActiveSessions, or GetMySessions for `mine`). */
  async function activeSessions(
    options: CallOptions & { mine?: boolean } = {},
  ): Promise<SessionInfo[]> {
    const path = options.mine === true ? "/sessions/my" : "/sessions/active";
    const request = { path, decode: decodeSessionsBody, expected: "{ sessions: [...] }" };
    return (await core.get(request, options)).value;
  }

  async function chatTranscript(
    sessionId: string,
    options: TranscriptOptions = {},
  ): Promise<ChatTranscriptMessage[]> {
    const id = requireId("sessionId", sessionId);
    const params = new URLSearchParams();
    if (options.includeHistorical !== undefined)
      params.set("includeHistorical", String(options.includeHistorical));
    if (options.historicalCutOffDate !== undefined)
      params.set("historicalCutOffDate", options.historicalCutOffDate);
    const request = {
      path: `${SESSIONS_PATH}/${encodeURIComponent(id)}/transcript`,
      query: params.toString(),
      decode: decodeTranscriptBody,
      expected: "{ messages: [...] }",
    };
    return (await core.get(request, options)).value;
  }

  return { getSession, activeSessions, chatTranscript };
}

/** Checks an ID argument: non-empty text, trimmed. */
export function requireId(field: string, id: unknown): string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new QueryValidationError(field, "must be a non-empty ID", id);
  }
  return id.trim();
}

async function* matchesOf(
  query: SessionQuery,
  pages: AsyncIterable<SessionPage>,
  maxItems: number | undefined,
): AsyncGenerator<SessionInfo, void, undefined> {
  if (maxItems === 0) return;
  let kept = 0;
  for await (const session of itemsOf(pages)) {
    if (!query.matches(session)) continue;
    yield session;
    if (maxItems !== undefined && ++kept >= maxItems) return;
  }
}
