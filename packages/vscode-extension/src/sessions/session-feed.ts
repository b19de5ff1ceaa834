import {
  isEvoVoiceError,
  type EvoVoiceClient,
  type ScanResult,
  type SessionInfo,
  type SessionQuery,
} from "@evo-sessions/core";
import * as vscode from "vscode";

/** What the feed reads sessions with; every call reads the current value. */
export interface FeedSource {
  client(): EvoVoiceClient | undefined;
  /** The query for the current filters (resolved against the current clock). */
  query(): SessionQuery;
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
 * The sessions shown in the view: what core's scanner found so far for the current query, read
 * a page of matches at a time from the position the last read ended at (`nextOffset`). Whether
 * more follow is the scanner's call (`complete`: the server's totals or `hasMorePages`, else an
 * empty page), so every surface agrees on where a list ends.
 *
 * Operations run one at a time, so a refresh never cancels "Load more…": it waits for it, then
 * re-reads as many matches as are loaded (page by page, never one giant request). Auto-refresh
 * re-reads only the first page and merges it in by ID, so its cost does not grow with what is
 * loaded, and it skips a tick while anything else runs. Only a reset (new filters, sign-in)
 * cancels what runs. Items are de-duplicated by ID across reads because new sessions shift the
 * server's pages between requests (within one read the scanner skips repeats itself).
 */
export class SessionFeed implements vscode.Disposable {
  readonly #source: FeedSource;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #busyChanged = new vscode.EventEmitter<void>();
  #sessions: SessionInfo[] = [];
  #status: FeedStatus = "idle";
  #error: unknown;
  #loadMoreError: unknown;
  // Where the scanner stopped in the server's list, and whether it saw the end.
  #nextOffset = 0;
  #complete = true;
  #pageSizeRead = 1;
  #serverTotal: number | undefined;
  #filtersLocally = false;
  #loadedAt: Date | undefined;
  #loads = 0;
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

  /** True while the scanner has not seen the end of the list. */
  get hasMore(): boolean {
    return !this.#complete;
  }

  /** Pages of the server's list read so far (the next "Load more…" starts in the one after). */
  get pagesLoaded(): number {
    return Math.ceil(this.#nextOffset / this.#pageSizeRead);
  }

  /** True while any operation runs or waits. */
  get busy(): boolean {
    return this.#running !== undefined || this.#queued.length > 0;
  }

  /** True while "Load more…" runs or waits for its turn. */
  get isLoadingMore(): boolean {
    return this.#running === "loadMore" || this.#queued.some((op) => op.kind === "loadMore");
  }

  /** The server's total for the filters, when it said and the query drops nothing locally. */
  get totalCount(): number | undefined {
    return this.#filtersLocally ? undefined : this.#serverTotal;
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
    this.#forgetPosition();
    this.#loadedAt = undefined;
    this.#changed.fire();
  }

  /** Cancels whatever runs and loads the first page afresh (filters changed, or signed in). */
  async reset(): Promise<void> {
    this.#cancel();
    this.#forgetPosition();
    this.#sessions = [];
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
    if (this.#complete && this.#loadMoreError === undefined && !this.busy) {
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
    const query = this.#source.query();
    await this.#read(generation, this.#failed, async () => {
      // As many matches as are loaded (at least a page), so nothing below page one goes stale.
      const limit = Math.max(pageSize, this.#sessions.length);
      const result = await client.scan(query, { limit, pageSize, signal }).collect();
      if (generation !== this.#generation) return;
      this.#sessions = result.matches.map((match) => match.session);
      this.#readTo(result, query, pageSize);
      this.#succeeded();
    });
  }

  async #readTop(generation: number, signal: AbortSignal): Promise<void> {
    const pageSize = this.#source.pageSize();
    // With one page loaded, the first page is everything: a plain re-read.
    if (this.#nextOffset <= pageSize || this.#sessions.length === 0 || this.#status !== "ready") {
      return this.#readAll(generation, signal);
    }
    const client = this.#source.client();
    if (client === undefined) return;
    const query = this.#source.query();
    await this.#read(generation, this.#failed, async () => {
      const result = await client.scan(query, { limit: pageSize, pageSize, signal }).collect();
      if (generation !== this.#generation) return;
      const fresh = result.matches.map((match) => match.session);
      const merged = result.complete ? fresh : mergeFirstPage(this.#sessions, fresh);
      if (merged === undefined) {
        // More new sessions than a page: the loaded list would have a hole, so read it all.
        return this.#readAll(generation, signal);
      }
      this.#sessions = merged;
      if (result.complete) this.#readTo(result, query, pageSize);
      else this.#keepPosition(result);
      this.#succeeded();
    });
  }

  async #readNext(generation: number, signal: AbortSignal): Promise<void> {
    const client = this.#source.client();
    if (client === undefined) return;
    if (this.#complete && this.#loadMoreError === undefined) {
      // The refresh it waited for found there is no next page.
      this.#changed.fire();
      return;
    }
    this.#loadMoreError = undefined;
    const pageSize = this.#source.pageSize();
    const query = this.#source.query();
    const failed = (error: unknown) => (this.#loadMoreError = error);
    await this.#read(generation, failed, async () => {
      const result = await client
        .scan(query, { offset: this.#nextOffset, limit: pageSize, pageSize, signal })
        .collect();
      if (generation !== this.#generation) return;
      this.#sessions = dedupe([...this.#sessions, ...result.matches.map((match) => match.session)]);
      this.#readTo(result, query, pageSize);
      this.#source.onSuccess?.();
    });
  }

  /**
   * Runs one read: a failure of the current generation (not a cancellation) goes to `failed`,
   * and listeners hear once, at the end, unless a reset made the read stale.
   */
  async #read(
    generation: number,
    failed: (error: unknown) => void,
    body: () => Promise<void>,
  ): Promise<void> {
    try {
      await body();
    } catch (error) {
      if (generation === this.#generation && !isEvoVoiceError(error, "aborted")) failed(error);
    } finally {
      if (generation === this.#generation) this.#changed.fire();
    }
  }

  /** Takes the scanner's position and end-of-list verdict from a read that ended at `result`. */
  #readTo(result: ScanResult, query: SessionQuery, pageSize: number): void {
    this.#nextOffset = result.nextOffset;
    this.#complete = result.complete;
    this.#pageSizeRead = pageSize;
    if (result.serverTotal !== undefined) this.#serverTotal = result.serverTotal;
    this.#filtersLocally = query.filtersLocally;
  }

  /**
   * After a first-page re-read the loaded position stands; only the server's total can say the
   * list now ends there (or goes on past it).
   */
  #keepPosition(result: ScanResult): void {
    if (result.serverTotal === undefined) return;
    this.#serverTotal = result.serverTotal;
    if (!this.#filtersLocally) this.#complete = this.#nextOffset >= result.serverTotal;
  }

  #forgetPosition(): void {
    this.#nextOffset = 0;
    this.#complete = true;
    this.#serverTotal = undefined;
  }

  #succeeded(): void {
    this.#status = "ready";
    this.#error = undefined;
    this.#loadedAt = this.#source.now?.() ?? new Date();
    this.#loads += 1;
    this.#source.onSuccess?.();
  }

  readonly #failed = (error: unknown): void => {
    // Stale sessions stay visible under the error: a failed auto-refresh should not blank the view.
    this.#status = "error";
    this.#error = error;
  };

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
