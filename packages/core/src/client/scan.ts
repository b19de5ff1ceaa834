/**
 * The one scanner: reads a query's pages from a position in the server's list, keeps the
 * sessions the query {@link SessionQuery.matches} (its local-day window and the filters the
 * server lacks), and reports what it read against what matched and whether it saw the end.
 * Every surface that lists or counts sessions goes through here, so they agree on when a list
 * ends (the server's totals or `hasMorePages` where given, an empty page otherwise: paging's
 * rule), on repeats (skipped by paging) and on drift.
 */
import { InvalidOptionError } from "../errors/evo-voice-error.js";
import type { SessionInfo } from "../model/session.js";
import { MAX_COUNT_PER_PAGE, type SessionQuery } from "../query/session-query.js";
import {
  ITEM_POSITIONS,
  MAX_CONCURRENCY,
  paginatePages,
  type DriftObserver,
  type PageFetcher,
  type TrackedPage,
} from "./paging.js";
import type { SessionPage } from "./types.js";

/** Page size when the scanner filters pages itself (bigger pages, fewer requests). */
export const SCAN_PAGE_SIZE = 100;
/** Most sessions one scan reads unless told otherwise (about 50 pages). */
export const DEFAULT_SCAN_CAP = 5_000;
/** Pages searched for a cursor's anchor before it is reported lost. */
const ANCHOR_SEARCH_PAGES = 10;

/** Options of a scan. */
export interface ScanOptions {
  /** Matches wanted; the scan stops at this many (default: no limit but the cap). */
  limit?: number;
  /** 0-based position in the server's list to start reading at (default 0). */
  offset?: number;
  /**
   * ID of the session just before `offset` when that offset was handed out: new sessions push a
   * newest-first list down, so the scan finds it and goes on right after it.
   */
  anchorId?: string;
  /** Most sessions read (default {@link DEFAULT_SCAN_CAP}). */
  cap?: number;
  /** countPerPage (default: `limit` when nothing is filtered locally, else {@link SCAN_PAGE_SIZE}). */
  pageSize?: number;
  /** Pages in flight at once (default 1). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each page, awaited (a progress notification may be sent from it). */
  onProgress?: (progress: ScanProgress) => void | Promise<void>;
}

/** How far a scan has come. */
export interface ScanProgress {
  /** Sessions read from the server (before the local filters). */
  read: number;
  /** Of those, the ones the query matches. */
  matched: number;
  /** Position the scan started at (after any anchor shift). */
  start: number;
  /** The server's count of sessions matching its parameters, when it said. */
  serverTotal: number | undefined;
}

/** What a scan found, besides the sessions. */
export interface ScanReport extends ScanProgress {
  /** Position right after the last session read (where the next scan starts). */
  nextOffset: number;
  /** The server's list was read to its end: nothing after `nextOffset`. */
  complete: boolean;
  /** The scan stopped at `cap` before `limit` matches were found and before the end. */
  capReached: boolean;
  /** How the list moved since the anchor was handed out. */
  drift?: { kind: "shifted"; by: number } | { kind: "lost" };
}

/** A matching session with its position in the server's list. */
export interface ScannedSession {
  session: SessionInfo;
  /** 0-based position in the server's list (before the local filters). */
  index: number;
}

/** A scan's sessions and its report. */
export interface ScanResult extends ScanReport {
  matches: ScannedSession[];
}

/**
 * A scan in progress: iterate it for the matches one at a time (constant memory, stopping
 * early stops the requests), or `collect()` them. `report` is final once iteration ends.
 */
export interface SessionScan extends AsyncIterable<ScannedSession> {
  readonly report: Readonly<ScanReport>;
  collect(): Promise<ScanResult>;
}

interface ScanPlan {
  limit: number;
  offset: number;
  cap: number;
  pageSize: number;
  concurrency: number;
}

/** Starts a scan of `query` (validated options; nothing is sent until it is iterated). */
export function scanSessions(
  fetchPage: PageFetcher,
  query: SessionQuery,
  options: ScanOptions = {},
  onDrift: DriftObserver = () => undefined,
): SessionScan {
  const plan = planOf(query, options);
  const report: ScanReport = {
    read: 0,
    matched: 0,
    start: plan.offset,
    serverTotal: undefined,
    nextOffset: plan.offset,
    complete: false,
    capReached: false,
  };
  const iterate = () => run(fetchPage, query, options, plan, report, onDrift);
  return {
    report,
    [Symbol.asyncIterator]: iterate,
    async collect() {
      const matches: ScannedSession[] = [];
      for await (const match of iterate()) matches.push(match);
      return { ...report, matches };
    },
  };
}

function planOf(query: SessionQuery, options: ScanOptions): ScanPlan {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(
      "options",
      "expected an object such as { limit, offset }",
      options,
    );
  }
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const offset = options.offset ?? 0;
  const cap = options.cap ?? DEFAULT_SCAN_CAP;
  const concurrency = options.concurrency ?? 1;
  requireWhole("limit", limit, 1, Number.MAX_SAFE_INTEGER);
  requireWhole("offset", offset, 0, Number.MAX_SAFE_INTEGER);
  requireWhole("cap", cap, 1, Number.MAX_SAFE_INTEGER);
  requireWhole("concurrency", concurrency, 1, MAX_CONCURRENCY);
  const fitting = Math.min(MAX_COUNT_PER_PAGE, limit);
  const pageSize = options.pageSize ?? (query.filtersLocally ? SCAN_PAGE_SIZE : fitting);
  requireWhole("pageSize", pageSize, 1, MAX_COUNT_PER_PAGE);
  return { limit, offset, cap, pageSize, concurrency };
}

function requireWhole(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(field, `must be a whole number from ${min} to ${max}`, value);
  }
}

async function* run(
  fetchPage: PageFetcher,
  query: SessionQuery,
  options: ScanOptions,
  plan: ScanPlan,
  report: ScanReport,
  onDrift: DriftObserver,
): AsyncGenerator<ScannedSession, void, undefined> {
  const base = query.without("page", "countPerPage");
  const pages = new PageMemo(fetchPage, plan.pageSize);
  const signal = options.signal ?? new AbortController().signal;
  const start = await locateStart(pages, base, plan, options.anchorId, signal, report);
  Object.assign(report, { start, nextOffset: start, read: 0, matched: 0, complete: false });
  const firstPage = Math.floor(start / plan.pageSize);
  const paging = paginatePages(
    pages.fetcher,
    base.page(firstPage),
    {
      pageSize: plan.pageSize,
      concurrency: plan.concurrency,
      signal,
      // When every session read is a match, the limit says which page is the last one wanted:
      // paging then fetches nothing ahead of it (a feed re-reading two pages sends two requests).
      // The sessions before `start` on the first page are read too, so they count.
      ...(query.filtersLocally || plan.limit === Number.MAX_SAFE_INTEGER
        ? {}
        : { maxItems: start - firstPage * plan.pageSize + plan.limit }),
    },
    onDrift,
  );
  for await (const page of paging) {
    const stop = yield* takePage(page, query, plan, start, report);
    if (page.totalCount !== undefined) report.serverTotal = page.totalCount;
    await options.onProgress?.({
      read: report.read,
      matched: report.matched,
      start,
      serverTotal: report.serverTotal,
    });
    if (stop !== undefined) {
      report.capReached = stop === "cap";
      report.complete = endsAt(page, plan.pageSize, report.nextOffset);
      return;
    }
  }
  report.complete = true;
}

/** Yields the matches of one page; says why the scan stops there, if it does. */
function* takePage(
  page: TrackedPage,
  query: SessionQuery,
  plan: ScanPlan,
  start: number,
  report: ScanReport,
): Generator<ScannedSession, "limit" | "cap" | undefined, undefined> {
  const positions = page[ITEM_POSITIONS];
  for (let i = 0; i < page.items.length; i++) {
    const index = page.page * plan.pageSize + (positions?.[i] ?? i);
    if (index < start) continue;
    if (report.read >= plan.cap) return "cap";
    const session = page.items[i] as SessionInfo;
    report.read++;
    report.nextOffset = index + 1;
    if (!query.matches(session)) continue;
    report.matched++;
    yield { session, index };
    if (report.matched >= plan.limit) return "limit";
  }
  return undefined;
}

/** True when nothing follows `next` in the list, as the page's totals or hasMorePages say. */
function endsAt(page: SessionPage, pageSize: number, next: number): boolean {
  const endOfPage = page.page * pageSize + page.items.length;
  if (page.totalCount !== undefined) return next >= page.totalCount;
  const lastPage =
    page.hasMorePages === false ||
    (page.totalPages !== undefined && page.page + 1 >= page.totalPages);
  return lastPage && next >= endOfPage;
}

/**
 * Where to start: `offset`, or right after the anchor session when it moved. The pages read to
 * find it are kept for the scan itself (no page is asked for twice).
 */
async function locateStart(
  pages: PageMemo,
  query: SessionQuery,
  plan: ScanPlan,
  anchorId: string | undefined,
  signal: AbortSignal,
  report: ScanReport,
): Promise<number> {
  if (anchorId === undefined || plan.offset === 0) return plan.offset;
  const expected = plan.offset - 1;
  const first = Math.floor(expected / plan.pageSize);
  for (let index = first; index < first + ANCHOR_SEARCH_PAGES; index++) {
    pages.keeping = true;
    const page = await pages.fetcher(query.page(index).perPage(plan.pageSize), signal);
    pages.keeping = false;
    const found = page.items.findIndex((item) => item.id === anchorId);
    if (found !== -1) {
      const at = index * plan.pageSize + found;
      if (at !== expected) report.drift = { kind: "shifted", by: at - expected };
      return at + 1;
    }
    if (page.items.length === 0 || page.hasMorePages === false) break;
    if (page.totalPages !== undefined && index + 1 >= page.totalPages) break;
  }
  report.drift = { kind: "lost" };
  return plan.offset;
}

/** The pages fetched to find an anchor, handed to the scan once each; others go to the server. */
class PageMemo {
  readonly #fetchPage: PageFetcher;
  readonly #pageSize: number;
  readonly #kept = new Map<number, Promise<SessionPage>>();
  /** True while the anchor is searched: only those pages are kept (at most ANCHOR_SEARCH_PAGES). */
  keeping = false;

  constructor(fetchPage: PageFetcher, pageSize: number) {
    this.#fetchPage = fetchPage;
    this.#pageSize = pageSize;
  }

  readonly fetcher: PageFetcher = (query, signal) => {
    const index = query.params.page ?? 0;
    const kept = this.#kept.get(index);
    if (kept !== undefined && query.params.countPerPage === this.#pageSize) {
      this.#kept.delete(index);
      return kept;
    }
    const pending = this.#fetchPage(query, signal);
    if (this.keeping) this.#kept.set(index, pending);
    return pending;
  };
}
