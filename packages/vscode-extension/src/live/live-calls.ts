import {
  isEvoVoiceError,
  isLive,
  SessionQuery,
  type EvoVoiceClient,
  type SessionInfo,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import type { SessionFeed } from "../sessions/session-feed.js";

/** How many of the newest sessions the live count looks at: live calls are recent ones. */
export const LIVE_SAMPLE_SIZE = 50;

/** What the live-call counter reads; every call reads the current value. */
export interface LiveCallsContext {
  feed: SessionFeed;
  client(): EvoVoiceClient | undefined;
  /** True when the view lists every session newest first, so its first page is the sample. */
  feedIsUnfiltered(): boolean;
  /** The view whose visibility decides how often to poll. */
  treeView: Pick<vscode.TreeView<unknown>, "visible" | "onDidChangeVisibility">;
  /** The auto-refresh interval; polling runs at twice it while the view is hidden, 0 is off. */
  intervalSeconds(): number;
  now(): Date;
}

/**
 * Counts live calls among the newest sessions of every account the sign-in reaches, whatever the
 * view's filters: taken from the view's own first page when it is unfiltered, else from one
 * cheap request of its own (one page of {@link LIVE_SAMPLE_SIZE}, newest first). While the view
 * is hidden (auto-refresh stops) it polls at twice the auto-refresh interval, so the status bar
 * does not go stale; `asOf` says when the count was taken.
 *
 * With every sample it also asks Evo Voice's own list of sessions in progress
 * (GetActiveSessions, `client.activeSessions()`) where the sign-in may read it, and counts those
 * too. That list holds the signed-in person's own sessions (OPERATIONS.md: "your active
 * sessions"; the sandbox answers those the user's endpoint takes part in), so it cannot replace
 * the sample for a supervisor — but it keeps a long call of theirs counted after it scrolled out
 * of the newest sessions. A 403 is remembered until the next sign-in, and the tooltip says the
 * count comes from the newest sessions only.
 */
export class LiveCalls implements vscode.Disposable {
  readonly #context: LiveCallsContext;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscriptions: vscode.Disposable[] = [];
  #count: number | undefined;
  #asOf: Date | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling: AbortController | undefined;
  #generation = 0;
  #seenLoads = 0;
  #sample: readonly SessionInfo[] = [];
  /** The live sessions of the active-sessions list; undefined until read. */
  #mine: readonly SessionInfo[] | undefined;
  #activeDenied = false;
  #readingMine = false;

  /** Fires when the count or its time changed. */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;

  constructor(context: LiveCallsContext) {
    this.#context = context;
    this.#subscriptions.push(
      context.feed.onDidChange(() => this.#fromFeed()),
      context.treeView.onDidChangeVisibility(() => this.restart({ pollNow: false })),
    );
  }

  /** Live calls in the sample, or undefined when not known (signed out, never counted). */
  get count(): number | undefined {
    return this.#count;
  }

  /** When the count was taken. */
  get asOf(): Date | undefined {
    return this.#asOf;
  }

  /** Live calls of the active-sessions list (the person's own), undefined when not read. */
  get mine(): number | undefined {
    return this.#mine?.length;
  }

  /** True when the sign-in may not read the active-sessions list (403). */
  get activeDenied(): boolean {
    return this.#activeDenied;
  }

  /** True while a poll timer runs. */
  get polling(): boolean {
    return this.#timer !== undefined;
  }

  /** Forgets the count (signed out, or another sign-in). */
  reset(): void {
    this.#generation += 1;
    this.#polling?.abort();
    this.#polling = undefined;
    this.#count = undefined;
    this.#asOf = undefined;
    this.#sample = [];
    this.#mine = undefined;
    this.#activeDenied = false;
    this.#changed.fire();
  }

  /**
   * Applies sign-in, visibility, filters and the interval; `pollNow` counts at once when the
   * view's own data cannot (hidden, or filtered).
   */
  restart(options: { pollNow: boolean }): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#context.client() === undefined) return;
    const needsOwnPoll = !this.#context.treeView.visible || !this.#context.feedIsUnfiltered();
    if (!needsOwnPoll) return;
    if (options.pollNow) void this.poll();
    const seconds = this.#context.intervalSeconds();
    if (seconds <= 0) return;
    const period = this.#context.treeView.visible ? seconds : seconds * 2;
    this.#timer = setInterval(() => void this.poll(), period * 1000);
  }

  /** Counts now with one request of its own. Never throws: a failure keeps the last count. */
  async poll(): Promise<void> {
    const client = this.#context.client();
    if (client === undefined || this.#polling !== undefined) return;
    const generation = this.#generation;
    const controller = new AbortController();
    this.#polling = controller;
    try {
      const page = await client.listSessions(
        SessionQuery.create().newest().page(0).perPage(LIVE_SAMPLE_SIZE),
        { signal: controller.signal },
      );
      if (generation !== this.#generation) return;
      this.#set(page.items);
    } catch {
      // The status bar keeps the last count; its "as of" time shows it is not current.
    } finally {
      if (this.#polling === controller) this.#polling = undefined;
    }
  }

  dispose(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#polling?.abort();
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#changed.dispose();
  }

  #fromFeed(): void {
    const feed = this.#context.feed;
    if (feed.status !== "ready" || !this.#context.feedIsUnfiltered()) return;
    if (feed.loads === this.#seenLoads) return;
    this.#seenLoads = feed.loads;
    this.#set(feed.sessions.slice(0, LIVE_SAMPLE_SIZE), feed.loadedAt);
  }

  #set(sessions: readonly SessionInfo[], asOf: Date = this.#context.now()): void {
    this.#sample = sessions;
    this.#asOf = asOf;
    this.#recount();
    void this.#readMine();
  }

  /** Live sessions of the sample and of the active list, each counted once. */
  #recount(): void {
    const live = new Set<unknown>();
    for (const session of [...this.#sample, ...(this.#mine ?? [])])
      if (isLive(session)) live.add(session.id ?? session);
    this.#count = live.size;
    this.#changed.fire();
  }

  /** Reads the active-sessions list once at a time; a 403 stops asking until the next sign-in. */
  async #readMine(): Promise<void> {
    const client = this.#context.client();
    if (client === undefined || this.#activeDenied || this.#readingMine) return;
    const generation = this.#generation;
    this.#readingMine = true;
    try {
      const active = await client.activeSessions();
      if (generation !== this.#generation) return;
      this.#mine = active.filter(isLive);
      this.#recount();
    } catch (error) {
      if (generation !== this.#generation) return;
      if (isEvoVoiceError(error, "permission_denied")) {
        this.#activeDenied = true;
        this.#changed.fire();
      }
      // Any other failure keeps the last list; the next sample asks again.
    } finally {
      if (generation === this.#generation) this.#readingMine = false;
    }
  }
}
