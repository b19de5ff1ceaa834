import type { SessionInfo } from "@evo-sessions/core";
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
  options: { offset: number; limit: number; scanCap: number; signal?: AbortSignal | undefined },
): Promise<ScanResult> {
  const filtering = resolved.clientFilters.length > 0;
  const pageSize = filtering ? SCAN_PAGE_SIZE : options.limit;
  let page = Math.floor(options.offset / pageSize);
  let skip = options.offset % pageSize;
  let position = options.offset;
  const matches: ScannedSession[] = [];
  let scanned = 0;
  let serverTotal: number | undefined;
  let exhausted = false;

  while (matches.length < options.limit && scanned < options.scanCap) {
    const response = await ctx.client.listSessions(
      { ...resolved.params, page, countPerPage: pageSize },
      options.signal === undefined ? {} : { signal: options.signal },
    );
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
  };
}
