import {
  firstText,
  type EvoVoiceClient,
  type SessionInfo,
  type SessionLogInfo,
} from "@evo-sessions/core";
import type * as vscode from "vscode";
import type { SessionFeed } from "../sessions/session-feed.js";

/** What the log cache reads; every call reads the current value. */
export interface SessionLogsContext {
  feed: SessionFeed;
  client(): EvoVoiceClient | undefined;
  /** Origin of the current sign-in: cached logs belong to one server. */
  origin(): string | undefined;
}

/** A session's log as far as it is known: its entries, why reading it failed, or nothing. */
export type LogRead =
  | { kind: "entries"; log: readonly SessionLogInfo[] }
  | { kind: "failed"; error: unknown }
  | { kind: "unavailable" };

/** Logs kept for sessions whose list item came without one (least recently used go first). */
export const MAX_CACHED_LOGS = 200;

/**
 * The logs of sessions whose list item came without one, fetched when a session is expanded and
 * kept by server origin and session ID, valid while the session's `dateLastModified` stays. A
 * failure is kept too, so rendering the tree again sends no request storm; it is forgotten by
 * `retry`, by a successful refresh of the list, and by a sign-in change.
 */
export class SessionLogs implements vscode.Disposable {
  readonly #context: SessionLogsContext;
  readonly #subscription: vscode.Disposable;
  // A Map keeps insertion order, which makes it an LRU when entries are re-inserted on use.
  readonly #logs = new Map<string, { stamp: string; log: SessionLogInfo[] }>();
  readonly #errors = new Map<string, unknown>();
  #seenLoads = 0;

  constructor(context: SessionLogsContext) {
    this.#context = context;
    this.#subscription = context.feed.onDidChange(() => {
      // A successful refresh is the moment to try failed logs again and read fresh ones.
      if (context.feed.loads === this.#seenLoads) return;
      this.#seenLoads = context.feed.loads;
      this.forget();
    });
  }

  /** The log of `session`: the list's own, a cached one, or one fetched now. */
  async read(session: SessionInfo): Promise<LogRead> {
    if (session.log != null) return { kind: "entries", log: session.log };
    const id = firstText(session.id);
    const key = this.#key(session);
    if (id === undefined || key === undefined) return { kind: "unavailable" };
    const stamp = session.dateLastModified ?? "";
    const cached = this.#logs.get(key);
    if (cached !== undefined && cached.stamp === stamp) {
      this.#remember(key, cached);
      return { kind: "entries", log: cached.log };
    }
    const failed = this.#errors.get(key);
    if (failed !== undefined) return { kind: "failed", error: failed };
    return this.#fetch(session, id, key, stamp);
  }

  /** Forgets a failure so that the next read asks the server again. */
  retry(session: SessionInfo): void {
    const key = this.#key(session);
    if (key !== undefined) this.#errors.delete(key);
  }

  /** Drops cached logs and failures (signed in or out, or the list was refreshed). */
  forget(): void {
    this.#logs.clear();
    this.#errors.clear();
  }

  dispose(): void {
    this.#subscription.dispose();
  }

  async #fetch(session: SessionInfo, id: string, key: string, stamp: string): Promise<LogRead> {
    const client = this.#context.client();
    if (client === undefined) return { kind: "unavailable" };
    try {
      const full = await client.getSession(id);
      const log = full.log ?? [];
      // Signed out or switched user while the log was on its way: keep nothing.
      if (this.#key(session) !== key) return { kind: "unavailable" };
      this.#remember(key, { stamp, log });
      return { kind: "entries", log };
    } catch (error) {
      if (this.#key(session) === key) this.#errors.set(key, error);
      return { kind: "failed", error };
    }
  }

  #remember(key: string, entry: { stamp: string; log: SessionLogInfo[] }): void {
    this.#logs.delete(key);
    this.#logs.set(key, entry);
    while (this.#logs.size > MAX_CACHED_LOGS) {
      const oldest = this.#logs.keys().next().value;
      if (oldest === undefined) break;
      this.#logs.delete(oldest);
    }
  }

  #key(session: SessionInfo): string | undefined {
    const id = firstText(session.id);
    const origin = this.#context.origin();
    return id === undefined || origin === undefined ? undefined : `${origin} ${id}`;
  }
}
