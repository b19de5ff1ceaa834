import {
  MAX_COUNT_PER_PAGE,
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
  /** Called after every successful request (to save renewed cookies). */
  onSuccess?(): void;
}

/** Where the feed is. */
export type FeedStatus = "signedOut" | "idle" | "loading" | "ready" | "error";

/**
 * The sessions shown in the view: the pages loaded so far for the current filters. Refreshing
 * re-reads every loaded page in one request so items never go stale below the first page, and
 * items are de-duplicated by ID because new sessions shift the server's pages between requests.
 */
export class SessionFeed implements vscode.Disposable {
  readonly #source: FeedSource;
  readonly #changed = new vscode.EventEmitter<void>();
  #sessions: SessionInfo[] = [];
  #status: FeedStatus = "idle";
  #error: unknown;
  #loadMoreError: unknown;
  #hasMore = false;
  #totalCount: number | undefined;
  #pagesLoaded = 0;
  #loadedAt: Date | undefined;
  #generation = 0;
  #inFlight: AbortController | undefined;
  #loadingMore = false;
  #windowed = false;

  /** Fires whenever sessions, status or errors change. */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;

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

  get isLoadingMore(): boolean {
    return this.#loadingMore;
  }

  /** The server's total for the filters, when it said and no local post-filter applies. */
  get totalCount(): number | undefined {
    return this.#windowed ? undefined : this.#totalCount;
  }

  get loadedAt(): Date | undefined {
    return this.#loadedAt;
  }

  /** Forgets everything (signed out). */
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

  /** Loads the first page afresh (filters changed, or signed in). */
  async reset(): Promise<void> {
    this.#pagesLoaded = 0;
    this.#sessions = [];
    this.#hasMore = false;
    this.#totalCount = undefined;
    await this.refresh();
  }

  /** Re-reads every loaded page (at least the first). Never throws: failures land in `error`. */
  async refresh(): Promise<void> {
    const client = this.#source.client();
    if (client === undefined) {
      this.clear();
      return;
    }
    this.#cancel();
    const generation = ++this.#generation;
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#status = "loading";
    this.#loadMoreError = undefined;
    this.#changed.fire();

    const pageSize = this.#source.pageSize();
    const pages = Math.max(1, this.#pagesLoaded);
    // One request for everything loaded so far; past the server's page-size cap, fewer pages.
    const count = Math.min(pageSize * pages, Math.floor(MAX_COUNT_PER_PAGE / pageSize) * pageSize);
    const filterQuery = this.#source.filterQuery();
    try {
      const page = await client.listSessions(filterQuery.query.page(0).perPage(count), {
        signal: controller.signal,
      });
      if (generation !== this.#generation) return;
      this.#sessions = dedupe(page.items.filter((session) => isInWindow(filterQuery, session)));
      this.#pagesLoaded = count / pageSize;
      this.#hasMore = hasMorePages(page, count, page.items.length);
      this.#totalCount = page.totalCount;
      this.#windowed = filterQuery.window !== undefined;
      this.#status = "ready";
      this.#error = undefined;
      this.#loadedAt = new Date();
      this.#source.onSuccess?.();
    } catch (error) {
      if (generation !== this.#generation || isEvoVoiceError(error, "aborted")) return;
      // Stale sessions stay visible under the error: a failed auto-refresh should not blank the view.
      this.#status = "error";
      this.#error = error;
    } finally {
      if (generation === this.#generation) {
        this.#inFlight = undefined;
        this.#changed.fire();
      }
    }
  }

  /** Appends the next page. Never throws: a failure lands in `loadMoreError`. */
  async loadMore(): Promise<void> {
    const client = this.#source.client();
    if (client === undefined || this.#loadingMore || this.#status === "loading") return;
    if (!this.#hasMore && this.#loadMoreError === undefined) return;
    const generation = this.#generation;
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#loadingMore = true;
    this.#loadMoreError = undefined;
    this.#changed.fire();
    const pageSize = this.#source.pageSize();
    const pageIndex = this.#pagesLoaded;
    const filterQuery = this.#source.filterQuery();
    try {
      const page = await client.listSessions(filterQuery.query.page(pageIndex).perPage(pageSize), {
        signal: controller.signal,
      });
      if (generation !== this.#generation) return;
      this.#sessions = dedupe([
        ...this.#sessions,
        ...page.items.filter((session) => isInWindow(filterQuery, session)),
      ]);
      this.#pagesLoaded = pageIndex + 1;
      this.#hasMore = hasMorePages(page, pageSize, page.items.length);
      if (page.totalCount !== undefined) this.#totalCount = page.totalCount;
      this.#source.onSuccess?.();
    } catch (error) {
      if (generation !== this.#generation || isEvoVoiceError(error, "aborted")) return;
      this.#loadMoreError = error;
    } finally {
      if (generation === this.#generation) {
        this.#loadingMore = false;
        this.#inFlight = undefined;
        this.#changed.fire();
      }
    }
  }

  dispose(): void {
    this.#cancel();
    this.#changed.dispose();
  }

  #cancel(): void {
    this.#generation += 1;
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    this.#loadingMore = false;
  }
}

function hasMorePages(page: SessionPage, requested: number, received: number): boolean {
  // Totals first: `hasMorePages` is documented for simplified paging only, and a server may
  // leave it false beside real totals.
  if (page.totalPages !== undefined) return page.page + 1 < page.totalPages;
  if (page.totalCount !== undefined) return (page.page + 1) * requested < page.totalCount;
  if (typeof page.hasMorePages === "boolean") return page.hasMorePages;
  // Without any paging facts, a full page suggests more.
  return received >= requested;
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
