import type { SessionFeed } from "./session-feed.js";

/** What decides whether the feed reads now. */
export interface FeedReloaderContext {
  feed: SessionFeed;
  signedIn(): boolean;
  /** Whether the Sessions view is on screen. */
  visible(): boolean;
}

/**
 * A hidden view loads nothing: a reload asked for while the view is hidden only marks the list
 * stale, and it is read when the view is first shown (the status bar counts live calls with one
 * small request of its own).
 */
export class FeedReloader {
  readonly #context: FeedReloaderContext;
  #stale = false;

  constructor(context: FeedReloaderContext) {
    this.#context = context;
  }

  /** Reads the list afresh now, or when the view is next shown; signed out, empties it. */
  reload(): void {
    const feed = this.#context.feed;
    if (!this.#context.signedIn()) {
      this.#stale = false;
      feed.clear();
    } else if (this.#context.visible()) {
      this.#stale = false;
      void feed.reset();
    } else {
      this.#stale = true;
      feed.clear("idle");
    }
  }

  /** The view was shown: reads the list if a reload waited for it. */
  shown(): void {
    if (this.#stale && this.#context.signedIn()) this.reload();
  }
}
