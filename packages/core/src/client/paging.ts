import { InvalidOptionError } from "../errors/evo-voice-error.js";
import { PagingStalledError } from "../errors/paging-errors.js";
import type { DecodeWarning } from "../model/decode.js";
import type { SessionInfo } from "../model/session.js";
import { MAX_COUNT_PER_PAGE, type SessionQuery } from "../query/session-query.js";
import { throwIfAborted } from "./abort.js";
import type { PaginateOptions, PagingDriftEvent } from "./types.js";

/**
 * What paging needs of a query: its paging parameters and a copy at another page or size.
 * SessionQuery is one; so is the ListQuery of the other list operations (customers, endpoints…).
 */
export interface PageableQuery<Q> {
  readonly params: {
    readonly page?: number;
    readonly countPerPage?: number;
    readonly all?: boolean;
  };
  page(index: number): Q;
  perPage(count: number): Q;
}

/** One decoded page of any ServiceStack list (`SessionPage` is the sessions' one). */
export interface ListPage<T> {
  items: T[];
  /** The 0-based page number this page was requested as. */
  page: number;
  totalCount?: number | undefined;
  totalPages?: number | undefined;
  hasMorePages?: boolean | undefined;
  warnings: DecodeWarning[];
}

/** An item paging can tell apart from its neighbours (repeats are found by id). */
export interface Identified {
  id?: string | null | undefined;
}

/** Fetches one page of a query (the client's listSessions, listCustomers…). */
export type PageFetcher<T extends Identified = SessionInfo, Q = SessionQuery> = (
  query: Q,
  signal: AbortSignal,
) => Promise<ListPage<T>>;

/** Told when the listing changed under a paging run (the client's onPagingDrift hook). */
export type DriftObserver = (event: PagingDriftEvent) => void;

/**
 * Where the items of a yielded page stood on the server's page, when repeats were taken out
 * (absent: item i stood at i). Internal to core: the scanner turns them into list positions.
 */
export const ITEM_POSITIONS: unique symbol = Symbol("evo-sessions.itemPositions");

/** A page as paging yields it. */
export type TrackedPage<T = SessionInfo> = ListPage<T> & { [ITEM_POSITIONS]?: readonly number[] };

/** Page size of paging when neither the options nor the query set one. */
export const DEFAULT_PAGE_SIZE = 100;
/** Most pages one paging run fetches before it assumes the server never ends. */
export const DEFAULT_MAX_PAGES = 10_000;
/** Upper bound on pages in flight at once; more only loads the server. */
export const MAX_CONCURRENCY = 32;

interface PagingPlan {
  pageSize: number;
  maxItems: number | undefined;
  concurrency: number;
  maxPages: number;
}

/** Checks paging options, throwing {@link InvalidOptionError} naming the bad one. */
export function checkPagingOptions<Q extends PageableQuery<Q>>(
  query: Q,
  options: PaginateOptions,
): void {
  planOf(query, options);
}

function planOf<Q extends PageableQuery<Q>>(query: Q, options: PaginateOptions): PagingPlan {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(
      "options",
      "expected an object such as { pageSize, maxItems, concurrency }",
      options,
    );
  }
  const pageSize = options.pageSize ?? query.params.countPerPage ?? DEFAULT_PAGE_SIZE;
  requireInteger("pageSize", pageSize, 1, MAX_COUNT_PER_PAGE);
  if (options.maxItems !== undefined)
    requireInteger("maxItems", options.maxItems, 0, Number.MAX_SAFE_INTEGER);
  const concurrency = options.concurrency ?? 1;
  requireInteger("concurrency", concurrency, 1, MAX_CONCURRENCY);
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  requireInteger("maxPages", maxPages, 1, Number.MAX_SAFE_INTEGER);
  return { pageSize, maxItems: options.maxItems, concurrency, maxPages };
}

function requireInteger(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(field, `must be a whole number from ${min} to ${max}`, value);
  }
}

/**
 * Pages through a query, yielding pages in order.
 *
 * With totals (the first page says `totalPages`) up to `concurrency` later pages are fetched at
 * once, and at most that many wait unread: memory stays flat however long the run. Without
 * totals (`simplifiedPaging`) it follows `hasMorePages` one page at a time; when the server sends
 * neither, it goes on until a page comes back empty (a short page proves nothing: the server may
 * cap the page size below the one asked for). Stopping the loop, reaching `maxItems` or the
 * caller's signal aborts every request still in flight.
 *
 * What paging guarantees while sessions are added or removed during a run (it reads pages at
 * different moments; the server keeps no snapshot):
 * - The listing is newest first by default, so every session created mid-run pushes the older
 *   ones one place later: the last items of a page come back at the start of the next. Those
 *   repeats are skipped (each page is compared with the ids of the page before it, so memory
 *   stays flat), as long as fewer than a page of sessions arrive between two pages.
 * - When a later page reports more sessions (`totalCount`/`totalPages`) than the first did, the
 *   run goes on to the new last page (still bounded by `maxPages`), so sessions pushed past the
 *   first page's end are not lost.
 * - Sessions removed mid-run (archived after about 15 days, or deleted) pull the later ones one
 *   place earlier: a session can then slip from the next page onto one already read and be
 *   missed. Nothing on the client can see that; the change of totals is reported instead.
 * - With `concurrency` above 1, pages are answered in no fixed order, so even additions can
 *   make a session slip between two pages read at different moments.
 * Every change seen (repeats skipped, totals that moved) is reported to the client's
 * `onPagingDrift` hook. For a complete export, sort oldest first (`SessionQuery.oldest()`: new
 * sessions then land at the end and shift nothing), bound the range with an end date in the
 * past, and page with concurrency 1 — or compare the count with a second run.
 */
export function paginatePages<
  T extends Identified = SessionInfo,
  Q extends PageableQuery<Q> = SessionQuery,
>(
  fetchPage: PageFetcher<T, Q>,
  query: Q,
  options: PaginateOptions = {},
  onDrift: DriftObserver = () => undefined,
): AsyncGenerator<TrackedPage<T>, void, undefined> {
  // Checked now, so a bad option fails where paginate() is called rather than at the first page.
  return pages(fetchPage, query, options, planOf(query, options), onDrift);
}

/** The items of a paging run, one at a time; stopping early stops the paging too. */
export async function* itemsOf<T>(
  pages: AsyncIterable<{ items: T[] }>,
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* page.items;
}

async function* pages<T extends Identified, Q extends PageableQuery<Q>>(
  fetchPage: PageFetcher<T, Q>,
  query: Q,
  options: PaginateOptions,
  plan: PagingPlan,
  onDrift: DriftObserver,
): AsyncGenerator<TrackedPage<T>, void, undefined> {
  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    throwIfAborted(callerSignal, "Paging through sessions");
    if (plan.maxItems === 0) return;
    const run = new PagingRun(fetchPage, query, plan, controller.signal, onDrift);
    // `all=true` is one answer with everything: paging it would fetch the same thing again.
    if (query.params.all === true) {
      const page = await fetchPage(query, controller.signal);
      const room = run.room();
      yield page.items.length > room ? { ...page, items: page.items.slice(0, room) } : page;
      return;
    }
    const first = await run.fetch(run.startPage);
    const taken = run.take(first);
    if (taken.out !== undefined) yield taken.out;
    if (taken.last) return;
    if (first.totalPages !== undefined) yield* run.withTotals(first.totalPages);
    else yield* run.followingHasMore(first);
  } finally {
    callerSignal?.removeEventListener("abort", onCallerAbort);
    // Stopping the loop (break, return, an error) abandons everything still in flight.
    controller.abort();
  }
}

/** The state of one paging run past its first page. */
class PagingRun<T extends Identified, Q extends PageableQuery<Q>> {
  readonly startPage: number;
  readonly #fetchPage: PageFetcher<T, Q>;
  readonly #base: Q;
  readonly #plan: PagingPlan;
  readonly #signal: AbortSignal;
  readonly #tracker: PageTracker<T>;
  #delivered = 0;

  constructor(
    fetchPage: PageFetcher<T, Q>,
    query: Q,
    plan: PagingPlan,
    signal: AbortSignal,
    onDrift: DriftObserver,
  ) {
    this.#fetchPage = fetchPage;
    this.#base = query.perPage(plan.pageSize);
    this.#plan = plan;
    this.#signal = signal;
    this.startPage = query.params.page ?? 0;
    this.#tracker = new PageTracker<T>(plan.maxPages, this.startPage, onDrift);
  }

  fetch(index: number): Promise<ListPage<T>> {
    return this.#fetchPage(this.#base.page(index), this.#signal);
  }

  /** Items still wanted before maxItems. */
  room(): number {
    return this.#plan.maxItems === undefined ? Infinity : this.#plan.maxItems - this.#delivered;
  }

  /** Pages worth fetching for maxItems: one more for every page's worth of repeats skipped. */
  #lastWanted(): number {
    const { maxItems, pageSize } = this.#plan;
    if (maxItems === undefined) return Infinity;
    return this.startPage + Math.ceil((maxItems + this.#tracker.skipped) / pageSize) - 1;
  }

  /**
   * Takes in one page: `out` is the page with the repeats and anything past maxItems taken out
   * (undefined when nothing is left), `last` says the run ends with it. An empty page ends it:
   * past the first, it means fewer sessions than counted before (some were archived meanwhile).
   */
  take(page: ListPage<T>): { out: TrackedPage<T> | undefined; last: boolean } {
    const fresh = this.#tracker.accept(page);
    const room = this.room();
    const items = fresh.items.length > room ? fresh.items.slice(0, room) : fresh.items;
    this.#delivered += items.length;
    const last = page.items.length === 0 || this.room() <= 0;
    if (items.length === 0) return { out: undefined, last };
    if (items === page.items) return { out: page, last };
    const out: TrackedPage<T> = { ...page, items };
    if (fresh.positions !== undefined) out[ITEM_POSITIONS] = fresh.positions.slice(0, items.length);
    return { out, last };
  }

  /** With totals: up to `concurrency` pages fetched ahead; the end grows when totals do. */
  async *withTotals(totalPages: number): AsyncGenerator<TrackedPage<T>, void, undefined> {
    let lastPage = totalPages - 1;
    const stretch = (page: ListPage<T>): void => {
      if (page.totalPages !== undefined) lastPage = Math.max(lastPage, page.totalPages - 1);
      else if (page.totalCount !== undefined)
        lastPage = Math.max(lastPage, Math.ceil(page.totalCount / this.#plan.pageSize) - 1);
    };
    const lastToFetch = (): number => Math.min(lastPage, this.#lastWanted());
    const inFlight = new Map<number, Promise<ListPage<T>>>();
    let nextToFetch = this.startPage + 1;
    const fill = (): void => {
      while (
        nextToFetch <= lastToFetch() &&
        inFlight.size < this.#plan.concurrency &&
        this.#tracker.allows(nextToFetch)
      ) {
        const pending = this.fetch(nextToFetch);
        // Pages fetched ahead may fail after the loop has stopped; nobody awaits those.
        pending.catch(() => undefined);
        inFlight.set(nextToFetch, pending);
        nextToFetch++;
      }
    };
    for (let index = this.startPage + 1; index <= lastToFetch(); index++) {
      this.#tracker.beforeFetch(index);
      fill();
      const pending = inFlight.get(index);
      if (pending === undefined) return;
      const page = await pending;
      inFlight.delete(index);
      // Extend the run before fetching ahead again, so the fetch-ahead sees the new end.
      stretch(page);
      fill();
      const { out, last } = this.take(page);
      if (out !== undefined) yield out;
      if (last) return;
    }
  }

  /** No totals: follow hasMorePages (or, when the server omits it too, go on to an empty page). */
  async *followingHasMore(first: ListPage<T>): AsyncGenerator<TrackedPage<T>, void, undefined> {
    let previous = first;
    for (let index = this.startPage + 1; index <= this.#lastWanted(); index++) {
      if (!hasMore(previous)) return;
      if (previous.totalPages !== undefined && index >= previous.totalPages) {
        throw new PagingStalledError(
          `Evo Voice kept announcing more pages past its own total of ${previous.totalPages}; paging stopped at page ${index}. ` +
            "The sessions fetched so far are complete; narrow the query (a date range) to fetch the rest.",
          { page: index },
        );
      }
      this.#tracker.beforeFetch(index);
      const page = await this.fetch(index);
      const { out, last } = this.take(page);
      if (out !== undefined) yield out;
      if (last) return;
      previous = page;
    }
  }
}

function hasMore(page: ListPage<unknown>): boolean {
  if (page.items.length === 0) return false;
  if (page.hasMorePages !== undefined) return page.hasMorePages;
  // Neither totals nor hasMorePages: even a short page may have a successor, as the server may
  // cap page sizes below the one asked for; only an empty page (or maxPages) ends the run.
  return true;
}

/**
 * Follows the pages of one run in order: skips items the page before already delivered, reports
 * totals that moved, and catches servers that never end (a page equal to the one before, or more
 * pages than any sane run). Holds only the previous page's ids, so memory stays flat.
 */
class PageTracker<T extends Identified> {
  readonly #maxPages: number;
  readonly #startPage: number;
  readonly #onDrift: DriftObserver;
  #previousIds: string[] | undefined;
  #previousTotals: { totalCount?: number | undefined; totalPages?: number | undefined } | undefined;
  /** Items skipped as repeats so far in this run. */
  skipped = 0;

  constructor(maxPages: number, startPage: number, onDrift: DriftObserver) {
    this.#maxPages = maxPages;
    this.#startPage = startPage;
    this.#onDrift = onDrift;
  }

  allows(index: number): boolean {
    return index - this.#startPage < this.#maxPages;
  }

  beforeFetch(index: number): void {
    if (!this.allows(index)) {
      throw new PagingStalledError(
        `Paging stopped after ${this.#maxPages} pages, the most one run fetches (maxPages), and the server still announced more. ` +
          "Narrow the query (a date range, accountIds), raise maxPages, or use larger pages.",
        { page: index },
      );
    }
  }

  /**
   * Checks a page against the one before and returns its items not delivered already, with
   * their places on the page when some were taken out.
   */
  accept(page: ListPage<T>): { items: T[]; positions?: number[] } {
    const ids = page.items.map((item) => item.id ?? "");
    const previous = this.#previousIds;
    const totalsBefore = this.#previousTotals;
    this.#previousIds = ids;
    this.#previousTotals = { totalCount: page.totalCount, totalPages: page.totalPages };
    const countChange = change(totalsBefore?.totalCount, page.totalCount);
    const pagesChange = change(totalsBefore?.totalPages, page.totalPages);
    if (previous !== undefined) this.#checkRepeat(page, ids, previous, countChange);

    let items = page.items;
    let positions: number[] | undefined;
    let duplicates = 0;
    if (previous !== undefined && previous.length > 0 && ids.length > 0) {
      const seen = new Set(previous);
      seen.delete("");
      // Items without an id cannot be told apart: they are always kept.
      positions = [];
      for (let position = 0; position < ids.length; position++) {
        if (!seen.has(ids[position] ?? "")) positions.push(position);
      }
      duplicates = page.items.length - positions.length;
      if (duplicates > 0) items = positions.map((position) => page.items[position] as T);
      else positions = undefined;
      this.skipped += duplicates;
    }
    if (duplicates > 0 || countChange !== undefined || pagesChange !== undefined) {
      this.#onDrift(driftEvent(page, duplicates, totalsBefore));
    }
    return positions === undefined ? { items } : { items, positions };
  }

  #checkRepeat(
    page: ListPage<T>,
    ids: string[],
    previous: string[],
    countChange: number | undefined,
  ): void {
    if (ids.length === 0 || ids.length !== previous.length) return;
    // Items without ids cannot be told apart; no verdict rather than a false alarm.
    if (ids.includes("")) return;
    // A whole page of sessions added between two pages repeats a page too; that is not a stall.
    if (countChange !== undefined && countChange >= ids.length) return;
    if (ids.every((id, position) => id === previous[position])) {
      throw new PagingStalledError(
        `Evo Voice answered page ${page.page} with exactly the sessions of the page before, so paging would never end; it stopped there. ` +
          "The server may be ignoring the page parameter: fetch with all=true for small results, or narrow the query.",
        { page: page.page },
      );
    }
  }
}

function change(before: number | undefined, now: number | undefined): number | undefined {
  if (before === undefined || now === undefined || before === now) return undefined;
  return now - before;
}

function driftEvent(
  page: ListPage<unknown>,
  duplicatesSkipped: number,
  before: { totalCount?: number | undefined; totalPages?: number | undefined } | undefined,
): PagingDriftEvent {
  const parts: string[] = [];
  const countChange = change(before?.totalCount, page.totalCount);
  if (countChange !== undefined) {
    parts.push(
      `Page ${page.page} counted ${page.totalCount} sessions where the page before counted ${before?.totalCount}: ` +
        (countChange > 0
          ? "sessions were added during paging"
          : "sessions were removed (archived or deleted) during paging, so some may have been missed"),
    );
  } else if (change(before?.totalPages, page.totalPages) !== undefined) {
    parts.push(
      `Page ${page.page} reported ${page.totalPages} pages where the page before reported ${before?.totalPages}`,
    );
  }
  if (duplicatesSkipped > 0) {
    parts.push(
      `${duplicatesSkipped} session${duplicatesSkipped === 1 ? "" : "s"} on page ${page.page} had already come on the page before and ${duplicatesSkipped === 1 ? "was" : "were"} skipped`,
    );
  }
  return {
    page: page.page,
    duplicatesSkipped,
    ...(before?.totalCount === undefined ? {} : { previousTotalCount: before.totalCount }),
    ...(page.totalCount === undefined ? {} : { totalCount: page.totalCount }),
    ...(before?.totalPages === undefined ? {} : { previousTotalPages: before.totalPages }),
    ...(page.totalPages === undefined ? {} : { totalPages: page.totalPages }),
    message: `${parts.join("; ")}. For a complete export, sort oldest first with an end date in the past.`,
  };
}
