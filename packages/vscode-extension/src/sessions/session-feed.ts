import {
  isEvoVoiceError,
  type EvoVoiceClient,
  type SessionInfo,
  type SessionPage,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { isInWindow, type FilterQuery } from "../filters/session-filters.js";

/** What the feed reads sessions with; every call reads the current value. */
export interface FeedSource {
  client(): EvoVoiceClient | undefined;
  /** The query for the current filters (resolved against the current clock). */
  filterQuery(): FilterQuery;
  pageSize(): number;
  /** The clock `loadedAt` is read from (default: the system clock). */
  now?(): Date;
  /** Called after every successful request (to save renewed cookies). */
  onSuccess?(): void;
}

/** Where the feed is. */
export type FeedStatus = "signedOut" | "idle" | "loading" | "ready" | "error";

/** What the feed is doing: a full re-read, a re-read of the first page, or the next page. */
export type FeedOperation = "refresh" | "refreshTop" | "loadMore";

interface Queued {
  kind: FeedOperation;
  done: Promise<void>;
}

/**
 * The sessions shown in the view: the pages loaded so far for the current filters.
 *
 * Operations run one at a time, so a refresh never cancels "Load more…": it waits for it, then
 * re-reads every loaded page (page by page, never one giant request). Auto-refresh re-reads only
 * the first page and merges it in by ID, so its cost does not grow with what is loaded, and it
 * skips a tick while anything else runs. Only a reset (new filters, sign-in) cancels what runs.
 * Items are de-duplicated by ID because new sessions shift the server's pages between requests.
 */
export class SessionFeed implements vscode.Disposable {
  readonly #source: FeedSource;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #busyChanged = new vscode.EventEmitter<void>();
  #sessions: SessionInfo[] = [];
  #status: FeedStatus = "idle";
  #error: unknown;
  #loadMoreError: unknown;
  #hasMore = false;
  #totalCount: number | undefined;
  #pagesLoaded = 0;
  #loadedAt: Date | undefined;
  #loads = 0;
  #windowed = false;
  // Bumped by clear and reset: work started before is dropped when it finishes.
  #generation = 0;
  #controller = new AbortController();
  #tail: Promise<void> = Promise.resolve();
  #queued: Queued[] = [];
  #running: FeedOperation | undefined;

  /** Fires when sessions, status or errors changed (once per finished operation). */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;
  /** Fires when the feed starts or stops working (for progress indicators). */
  readonly onDidChangeBusy: vscode.Event<void> = this.#busyChanged.event;

  constructor(source: FeedSource) {
    this.#source = source;
  }

  /** Loaded sessions in server order, each ID once. */
  get sessions(): readonly SessionInfo[] {
    return this.#sessions;
  }

  get status(): FeedStatus {
    return this.#status;
  }

  /** Why the last load failed (status `error`, or a failed refresh over stale data). */
  get error(): unknown {
    return this.#error;
  }

  /** Why the last "Load more" failed. */
  get loadMoreError(): unknown {
    return this.#loadMoreError;
  }

  get hasMore(): boolean {
    return this.#hasMore;
  }

  /** Pages read so far (the next "Load more…" reads this page index). */
  get pagesLoaded(): number {
    return this.#pagesLoaded;
  }

  /** True while any operation runs or waits. */
  get busy(): boolean {
    return this.#running !== undefined || this.#queued.length > 0;
  }

  /** True while "Load more…" runs or waits for its turn. */
  get isLoadingMore(): boolean {
    return this.#running === "loadMore" || this.#queued.some((op) => op.kind === "loadMore");
  }

  /** The server's total for the filters, when it said and no local post-filter applies. */
  get totalCount(): number | undefined {
    return this.#windowed ? undefined : this.#totalCount;
  }

  get loadedAt(): Date | undefined {
    return this.#loadedAt;
  }

  /** Counts successful refreshes (full or first page): changes whenever the list was re-read. */
  get loads(): number {
    return this.#loads;
  }

  /** Forgets everything (signed out), cancelling whatever runs. */
  clear(status: FeedStatus = "signedOut"): void {
    this.#cancel();
    this.#sessions = [];
    this.#status = status;
    this.#error = undefined;
    this.#loadMoreError = undefined;
    this.#hasMore = false;
    this.#totalCount = undefined;
    this.#pagesLoaded = 0;
    this.#loadedAt = undefined;
    this.#changed.fire();
  }

  /** Cancels whatever runs and loads the first page afresh (filters changed, or signed in). */
  async reset(): Promise<void> {
    this.#cancel();
    this.#pagesLoaded = 0;
    this.#sessions = [];
    this.#hasMore = false;
    this.#totalCount = undefined;
    this.#error = undefined;
    this.#loadMoreError = undefined;
    this.#status = this.#source.client() === undefined ? "signedOut" : "loading";
    this.#changed.fire();
    await this.refresh();
  }

  /**
   * Re-reads every loaded page (at least the first), page by page, after whatever runs now.
   * Never throws: failures land in `error`.
   */
  refresh(): Promise<void> {
    return this.#enqueue("refresh", (generation, signal) => this.#readAll(generation, signal));
  }

  /**
   * Re-reads the first page and merges it into the loaded list (auto-refresh). Skipped while
   * anything else runs: the tick after will catch up.
   */
  async refreshTop(): Promise<void> {
    if (this.busy) return;
    await this.#enqueue("refreshTop", (generation, signal) => this.#readTop(generation, signal));
  }

  /** Appends the next page, after whatever runs now. Never throws: failures land in `loadMoreError`. */
  loadMore(): Promise<void> {
    if (this.#source.client() === undefined) return Promise.resolve();
    if (!this.#hasMore && this.#loadMoreError === undefined && !this.busy) {
      return Promise.resolve();
    }
    const done = this.#enqueue("loadMore", (generation, signal) =>
      this.#readNext(generation, signal),
    );
    // "Loading more…" shows at once, even while waiting for a refresh to finish.
    this.#changed.fire();
    return done;
  }

  dispose(): void {
    this.#cancel();
    this.#changed.dispose();
    this.#busyChanged.dispose();
  }

  #enqueue(
    kind: FeedOperation,
    body: (generation: number, signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    // The same request twice in a row is one request: clicking Refresh again while it runs, or
    // Load more while the next page is on its way.
    const last = this.#queued.at(-1) ?? undefined;
    if (last?.kind === kind) return last.done;
    const generation = this.#generation;
    const signal = this.#controller.signal;
    const entry: Queued = { kind, done: Promise.resolve() };
    entry.done = this.#tail.then(async () => {
      this.#queued = this.#queued.filter((queued) => queued !== entry);
      if (generation !== this.#generation) return;
      this.#running = kind;
      this.#busyChanged.fire();
      try {
        await body(generation, signal);
      } finally {
        this.#running = undefined;
        this.#busyChanged.fire();
      }
    });
    this.#queued.push(entry);
    this.#tail = entry.done.catch(() => undefined);
    if (this.#running === undefined && this.#queued.length === 1) this.#busyChanged.fire();
    return entry.done;
  }

  async #readAll(generation: number, signal: AbortSignal): Promise<void> {
    const client = this.#source.client();
    if (client === undefined) {
      this.clear();
      return;
    }
    this.#loadMoreError = undefined;
    // With rows on screen a refresh changes nothing until its answer is in: one event, at the end.
    if (this.#status === "idle" || this.#status === "signedOut") {
      this.#status = "loading";
      this.#changed.fire();
    }
    const pageSize = this.#source.pageSize();
    const pages = Math.max(1, this.#pagesLoaded);
    const filterQuery = this.#source.filterQuery();
    try {
      const collected: SessionInfo[] = [];
      let last: SessionPage | undefined;
      let read = 0;
      for (let index = 0; index < pages; index++) {
        const page = await client.listSessions(filterQuery.query.page(index).perPage(pageSize), {
          signal,
        });
        if (generation !== this.#generation) return;
        collected.push(...page.items.filter((session) => isInWindow(filterQuery, session)));
        last = page;
        read = index + 1;
        if (!hasMorePages(page, pageSize)) break;
      }
      this.#sessions = dedupe(collected);
      this.#pagesLoaded = read;
      this.#hasMore = last === undefined ? false : hasMorePages(last, pageSize);
      this.#totalCount = last?.totalCount;
      this.#windowed = filterQuery.window !== undefined;
      this.#succeeded();
    } catch (error) {
      this.#failed(generation, error);
    } finally {
      if (generation === this.#generation) this.#changed.fire();
    }
  }

  async #readTop(generation: number, signal: AbortSignal): Promise<void> {
    // With one page loaded, the first page is everything: a plain re-read.
    if (this.#pagesLoaded <= 1 || this.#sessions.length === 0 || this.#status !== "ready") {
      return this.#readAll(generation, signal);
    }
    const client = this.#source.client();
    if (client === undefined) return;
    const pageSize = this.#source.pageSize();
    const filterQuery = this.#source.filterQuery();
    try {
      const page = await client.listSessions(filterQuery.query.page(0).perPage(pageSize), {
        signal,
      });
      if (generation !== this.#generation) return;
      const fresh = page.items.filter((session) => isInWindow(filterQuery, session));
      const merged = mergeFirstPage(this.#sessions, fresh);
      if (merged === undefined) {
        // More new sessions than a page: the loaded list would have a hole, so read it all.
        return this.#readAll(generation, signal);
      }
      this.#sessions = merged;
      if (page.totalCount !== undefined) this.#totalCount = page.totalCount;
      this.#hasMore = hasMorePagesAfter(page, this.#pagesLoaded, pageSize, this.#hasMore);
      this.#succeeded();
    } catch (error) {
      this.#failed(generation, error);
    } finally {
      if (generation === this.#generation) this.#changed.fire();
    }
  }

  async #readNext(generation: number, signal: AbortSignal): Promise<void> {
    const client = this.#source.client();
    if (client === undefined) return;
    if (!this.#hasMore && this.#loadMoreError === undefined) {
      // The refresh it waited for found there is no next page.
      this.#changed.fire();
      return;
    }
    this.#loadMoreError = undefined;
    const pageSize = this.#source.pageSize();
    const pageIndex = this.#pagesLoaded;
    const filterQuery = this.#source.filterQuery();
    try {
      const page = await client.listSessions(filterQuery.query.page(pageIndex).perPage(pageSize), {
        signal,
      });
      if (generation !== this.#generation) return;
      this.#sessions = dedupe([
        ...this.#sessions,
        ...page.items.filter((session) => isInWindow(filterQuery, session)),
      ]);
      this.#pagesLoaded = pageIndex + 1;
      this.#hasMore = hasMorePages(page, pageSize);
      if (page.totalCount !== undefined) this.#totalCount = page.totalCount;
      this.#source.onSuccess?.();
    } catch (error) {
      if (generation !== this.#generation || isEvoVoiceError(error, "aborted")) return;
      this.#loadMoreError = error;
    } finally {
      if (generation === this.#generation) this.#changed.fire();
    }
  }

  #succeeded(): void {
    this.#status = "ready";
    this.#error = undefined;
    this.#loadedAt = this.#source.now?.() ?? new Date();
    this.#loads += 1;
    this.#source.onSuccess?.();
  }

  #failed(generation: number, error: unknown): void {
    if (generation !== this.#generation || isEvoVoiceError(error, "aborted")) return;
    // Stale sessions stay visible under the error: a failed auto-refresh should not blank the view.
    this.#status = "error";
    this.#error = error;
  }

  #cancel(): void {
    this.#generation += 1;
    this.#controller.abort();
    this.#controller = new AbortController();
    const wasBusy = this.busy;
    this.#queued = [];
    // What still runs finishes on its own (its answer is dropped); nothing waits behind it.
    if (wasBusy && this.#running === undefined) this.#busyChanged.fire();
  }
}

/**
 * The loaded list with its first page replaced by a fresh read: sessions the server no longer
 * lists within that span are dropped, the rest keep their place. Undefined when the fresh page
 * and the loaded list do not overlap (more new sessions arrived than a page holds).
 */
export function mergeFirstPage(
  loaded: readonly SessionInfo[],
  fresh: readonly SessionInfo[],
): SessionInfo[] | undefined {
  const freshIds = new Set(fresh.map((session) => session.id).filter(isId));
  let lastShared = -1;
  loaded.forEach((session, index) => {
    if (isId(session.id) && freshIds.has(session.id)) lastShared = index;
  });
  if (lastShared < 0) return fresh.length === 0 && loaded.length === 0 ? [] : undefined;
  const rest = loaded.slice(lastShared + 1).filter((session) => !freshIds.has(session.id ?? ""));
  return dedupe([...fresh, ...rest]);
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function hasMorePages(page: SessionPage, requested: number): boolean {
  // Totals first: `hasMorePages` is documented for simplified paging only, and a server may
  // leave it false beside real totals.
  if (page.totalPages !== undefined) return page.page + 1 < page.totalPages;
  if (page.totalCount !== undefined) return (page.page + 1) * requested < page.totalCount;
  if (typeof page.hasMorePages === "boolean") return page.hasMorePages;
  // Without any paging facts, a full page suggests more.
  return page.items.length >= requested;
}

/** Whether pages remain after `pagesLoaded`, judged from a fresh first page's totals. */
function hasMorePagesAfter(
  first: SessionPage,
  pagesLoaded: number,
  pageSize: number,
  previous: boolean,
): boolean {
  if (first.totalPages !== undefined) return pagesLoaded < first.totalPages;
  if (first.totalCount !== undefined) return pagesLoaded * pageSize < first.totalCount;
  return previous;
}

function dedupe(sessions: SessionInfo[]): SessionInfo[] {
  const seen = new Set<string>();
  const out: SessionInfo[] = [];
  for (const session of sessions) {
    const id = session.id;
    if (typeof id === "string" && id !== "") {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    out.push(session);
  }
  return out;
}
