import type { SessionInfo, SessionPage } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { matchesClientFilters, type ResolvedFilters } from "./filters.js";

/** A session found while scanning, with its position in the server's list. */
export interface ScannedSession {
  session: SessionInfo;
  /** 0-based index in the server's list (before client-side filters). */
  index: number;
}

/** What {@link scanSessions} found. */
export interface ScanResult {
  matches: ScannedSession[];
  /** Index in the server's list right after the last session consumed. */
  nextOffset: number;
  /** Sessions read from the server (before client-side filters). */
  scanned: number;
  /** The server's count of sessions matching its filters, when it said. */
  serverTotal: number | undefined;
  /** The server's list has no more sessions after `nextOffset`. */
  exhausted: boolean;
  /** Scanning stopped at the per-call cap before `limit` matches were found. */
  capReached: boolean;
  /**
   * How the list moved since the cursor was issued: `shifted` by this many positions (sessions
   * added ahead, skipped so none repeats), or `lost` when the last session handed out is gone.
   */
  drift?: { kind: "shifted"; by: number } | { kind: "lost" } | undefined;
}

/** Page size used when this server filters the pages itself (bigger pages, fewer requests). */
export const SCAN_PAGE_SIZE = 100;

/**
 * Reads the server's list from `offset` until `limit` sessions pass the client-side filters,
 * the list ends, or `scanCap` sessions were read. Without client-side filters the page size is
 * `limit`, so a window costs one or two requests.
 */
export async function scanSessions(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  options: {
    offset: number;
    limit: number;
    scanCap: number;
    signal?: AbortSignal | undefined;
    /** ID of the session just before `offset` when the cursor was issued. */
    anchorId?: string | undefined;
    /** Called after each page read: sessions read so far, and the most there are to read. */
    onProgress?: ((scanned: number, total: number | undefined) => Promise<void>) | undefined;
  },
): Promise<ScanResult> {
  const filtering = resolved.clientFilters.length > 0;
  const pageSize = filtering ? SCAN_PAGE_SIZE : options.limit;
  const callOptions = options.signal === undefined ? {} : { signal: options.signal };
  const fetched = new Map<number, SessionPage>();
  const fetchPage = async (index: number): Promise<SessionPage> => {
    let response = fetched.get(index);
    if (response === undefined) {
      response = await ctx.client.listSessions(
        { ...resolved.params, page: index, countPerPage: pageSize },
        callOptions,
      );
      fetched.set(index, response);
    }
    return response;
  };

  let start = options.offset;
  let drift: ScanResult["drift"];
  if (options.anchorId !== undefined && options.offset > 0) {
    // New sessions arrive at the top of a newest-first list and push the rest down: find the
    // last session handed out and continue right after it, so none is handed out twice.
    const found = await locateAnchor(fetchPage, pageSize, options.offset - 1, options.anchorId);
    if (found === undefined) drift = { kind: "lost" };
    else {
      if (found !== options.offset - 1)
        drift = { kind: "shifted", by: found - (options.offset - 1) };
      start = found + 1;
    }
  }

  let page = Math.floor(start / pageSize);
  let skip = start % pageSize;
  let position = start;
  const matches: ScannedSession[] = [];
  let scanned = 0;
  let serverTotal: number | undefined;
  let exhausted = false;

  while (matches.length < options.limit && scanned < options.scanCap) {
    const response = await fetchPage(page);
    if (response.totalCount !== undefined) serverTotal = response.totalCount;
    const items = response.items;
    let stopped = false;
    for (let i = skip; i < items.length; i++) {
      const session = items[i] as SessionInfo;
      const index = page * pageSize + i;
      position = index + 1;
      scanned++;
      ctx.directory.noteSession(session);
      if (!filtering || matchesClientFilters(resolved, session)) {
        matches.push({ session, index });
        if (matches.length >= options.limit) {
          stopped = true;
          break;
        }
      }
      if (scanned >= options.scanCap) {
        stopped = true;
        break;
      }
    }
    if (skip > items.length) position = page * pageSize + items.length;
    skip = 0;
    if (options.onProgress !== undefined) {
      const left = serverTotal === undefined ? undefined : Math.max(0, serverTotal - start);
      await options.onProgress(
        scanned,
        left === undefined
          ? undefined
          : Math.max(scanned, Math.min(left, filtering ? options.scanCap : options.limit)),
      );
    }
    const lastPage =
      items.length < pageSize ||
      response.hasMorePages === false ||
      (response.totalPages !== undefined && page + 1 >= response.totalPages) ||
      (serverTotal !== undefined && (page + 1) * pageSize >= serverTotal);
    if (stopped) {
      exhausted = lastPage && position >= page * pageSize + items.length;
      break;
    }
    if (lastPage) {
      exhausted = true;
      break;
    }
    page++;
  }
  if (serverTotal !== undefined && position >= serverTotal) exhausted = true;
  return {
    matches,
    nextOffset: position,
    scanned,
    serverTotal,
    exhausted,
    capReached: !exhausted && matches.length < options.limit && scanned >= options.scanCap,
    drift,
  };
}

/** Pages searched for the last session handed out before giving up. */
const ANCHOR_SEARCH_PAGES = 10;

/**
 * The position of `anchorId` at or after `expected` (or shortly before it), reading pages of
 * `pageSize` from the one that holds `expected`; undefined when it is not found nearby.
 */
async function locateAnchor(
  fetchPage: (index: number) => Promise<SessionPage>,
  pageSize: number,
  expected: number,
  anchorId: string,
): Promise<number | undefined> {
  const first = Math.floor(expected / pageSize);
  const pages = Math.max(1, Math.min(ANCHOR_SEARCH_PAGES, Math.ceil(1000 / pageSize)));
  for (let index = first; index < first + pages; index++) {
    const response = await fetchPage(index);
    const found = response.items.findIndex((item) => item.id === anchorId);
    if (found !== -1) return index * pageSize + found;
    if (response.items.length < pageSize || response.hasMorePages === false) return undefined;
  }
  return undefined;
}
