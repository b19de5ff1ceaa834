import { QueryValidationError } from "../errors/evo-voice-error.js";
import { PagingStalledError } from "../errors/paging-errors.js";
import { MAX_COUNT_PER_PAGE, type SessionQuery } from "../query/session-query.js";
import { throwIfAborted } from "./abort.js";
import type { PaginateOptions, SessionPage } from "./types.js";

/** Fetches one page of a query (the client's listSessions). */
export type PageFetcher = (query: SessionQuery, signal: AbortSignal) => Promise<SessionPage>;

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

function planOf(query: SessionQuery, options: PaginateOptions): PagingPlan {
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
    throw new QueryValidationError(field, `must be a whole number from ${min} to ${max}`, value);
  }
}

/**
 * Pages through a query, yielding pages in order.
 *
 * With totals (the first page says `totalPages`) up to `concurrency` later pages are fetched at
 * once, and at most that many wait unread: memory stays flat however long the run. Without
 * totals (`simplifiedPaging`) it follows `hasMorePages` one page at a time. Stopping the loop,
 * reaching `maxItems` or the caller's signal aborts every request still in flight.
 *
 * Sessions are listed newest first by default, so a session created mid-run shifts later pages
 * by one: an item may then appear twice. Sort oldest first for a stable export.
 */
export function paginatePages(
  fetchPage: PageFetcher,
  query: SessionQuery,
  options: PaginateOptions = {},
): AsyncGenerator<SessionPage, void, undefined> {
  // Checked now, so a bad option fails where paginate() is called rather than at the first page.
  return pages(fetchPage, query, options, planOf(query, options));
}

/** The items of a paging run, one at a time; stopping early stops the paging too. */
export async function* itemsOf<T>(
  pages: AsyncIterable<{ items: T[] }>,
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* page.items;
}

async function* pages(
  fetchPage: PageFetcher,
  query: SessionQuery,
  options: PaginateOptions,
  plan: PagingPlan,
): AsyncGenerator<SessionPage, void, undefined> {
  const controller = new AbortController();
  const callerSignal = options.signal;
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const signal = controller.signal;
  try {
    throwIfAborted(callerSignal, "Paging through sessions");
    if (plan.maxItems === 0) return;
    let delivered = 0;
    const deliver = (page: SessionPage): SessionPage => {
      const room = plan.maxItems === undefined ? Infinity : plan.maxItems - delivered;
      const out = page.items.length > room ? { ...page, items: page.items.slice(0, room) } : page;
      delivered += out.items.length;
      return out;
    };
    const satisfied = (): boolean => plan.maxItems !== undefined && delivered >= plan.maxItems;

    // `all=true` is one answer with everything: paging it would fetch the same thing again.
    if (query.params.all === true) {
      yield deliver(await fetchPage(query, signal));
      return;
    }

    const base = query.perPage(plan.pageSize);
    const startPage = query.params.page ?? 0;
    const pagesWanted =
      plan.maxItems === undefined ? Infinity : Math.ceil(plan.maxItems / plan.pageSize);
    const guard = new RepeatGuard(plan.maxPages, startPage);

    const first = await fetchPage(base.page(startPage), signal);
    guard.check(first);
    yield deliver(first);
    if (satisfied() || first.items.length === 0) return;

    if (first.totalPages !== undefined) {
      const lastPage = Math.min(first.totalPages - 1, startPage + pagesWanted - 1);
      const inFlight = new Map<number, Promise<SessionPage>>();
      let nextToFetch = startPage + 1;
      const fill = (): void => {
        while (
          nextToFetch <= lastPage &&
          inFlight.size < plan.concurrency &&
          guard.allows(nextToFetch)
        ) {
          const pending = fetchPage(base.page(nextToFetch), signal);
          // Pages fetched ahead may fail after the loop has stopped; nobody awaits those.
          pending.catch(() => undefined);
          inFlight.set(nextToFetch, pending);
          nextToFetch++;
        }
      };
      for (let index = startPage + 1; index <= lastPage; index++) {
        guard.beforeFetch(index);
        fill();
        const pending = inFlight.get(index);
        if (pending === undefined) return;
        const page = await pending;
        inFlight.delete(index);
        fill();
        guard.check(page);
        // Fewer sessions than the first page counted (some were archived meanwhile): done.
        if (page.items.length === 0) return;
        yield deliver(page);
        if (satisfied()) return;
      }
      return;
    }

    // No totals: follow hasMorePages (or, when the server omits it too, full pages).
    let previous = first;
    for (let index = startPage + 1; index < startPage + pagesWanted; index++) {
      if (!hasMore(previous, plan.pageSize)) return;
      if (previous.totalPages !== undefined && index >= previous.totalPages) {
        throw new PagingStalledError(
          `Evo Voice kept announcing more pages past its own total of ${previous.totalPages}; paging stopped at page ${index}. ` +
            "The sessions fetched so far are complete; narrow the query (a date range) to fetch the rest.",
          { page: index },
        );
      }
      guard.beforeFetch(index);
      const page = await fetchPage(base.page(index), signal);
      guard.check(page);
      if (page.items.length === 0) return;
      yield deliver(page);
      if (satisfied()) return;
      previous = page;
    }
  } finally {
    callerSignal?.removeEventListener("abort", onCallerAbort);
    // Stopping the loop (break, return, an error) abandons everything still in flight.
    controller.abort();
  }
}

function hasMore(page: SessionPage, pageSize: number): boolean {
  if (page.items.length === 0) return false;
  if (page.hasMorePages !== undefined) return page.hasMorePages;
  // Neither totals nor hasMorePages: a full page may have a successor, a short one cannot.
  return page.items.length >= pageSize;
}

/** Catches servers that never end: a page equal to the one before, or more pages than any sane run. */
class RepeatGuard {
  #previousIds: string[] | undefined;
  readonly #maxPages: number;
  readonly #startPage: number;

  constructor(maxPages: number, startPage: number) {
    this.#maxPages = maxPages;
    this.#startPage = startPage;
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

  check(page: SessionPage): void {
    const ids = page.items.map((item) => item.id ?? "");
    const previous = this.#previousIds;
    this.#previousIds = ids;
    if (previous === undefined || ids.length === 0 || ids.length !== previous.length) return;
    // Items without ids cannot be told apart; no verdict rather than a false alarm.
    if (ids.includes("")) return;
    if (ids.every((id, position) => id === previous[position])) {
      throw new PagingStalledError(
        `Evo Voice answered page ${page.page} with exactly the sessions of the page before, so paging would never end; it stopped there. ` +
          "The server may be ignoring the page parameter: fetch with all=true for small results, or narrow the query.",
        { page: page.page },
      );
    }
  }
}
