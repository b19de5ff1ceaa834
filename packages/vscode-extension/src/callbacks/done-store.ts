import type * as vscode from "vscode";

/** workspaceState key of the callbacks marked done. */
export const DONE_STATE_KEY = "evoSessions.callbacks.done";
/** Most marks kept: the oldest are forgotten first (their missed calls have long aged out). */
export const MAX_DONE = 500;

/** What identifies a callback: the caller, at an account, as of their latest missed call. */
export interface CallbackIdentity {
  accountId?: string | undefined;
  number: string;
  lastMissedAt: string;
}

/**
 * The callbacks marked done in this workspace. A mark is for the caller's missed calls up to
 * the latest one seen: when they call (and are missed) again, the caller is back in the queue.
 */
export class DoneStore {
  readonly #state: vscode.Memento;
  #keys: string[];

  constructor(workspaceState: vscode.Memento) {
    this.#state = workspaceState;
    const saved = workspaceState.get<unknown>(DONE_STATE_KEY);
    // A corrupt entry must never stop the view: keep the strings, drop the rest.
    this.#keys = Array.isArray(saved)
      ? saved.filter((key): key is string => typeof key === "string").slice(-MAX_DONE)
      : [];
  }

  static keyOf(callback: CallbackIdentity): string {
    return `${callback.accountId ?? ""}|${callback.number}|${callback.lastMissedAt}`;
  }

  isDone(callback: CallbackIdentity): boolean {
    return this.#keys.includes(DoneStore.keyOf(callback));
  }

  /** Marks one done (saved before it resolves). */
  async markDone(callback: CallbackIdentity): Promise<void> {
    const key = DoneStore.keyOf(callback);
    this.#keys = [...this.#keys.filter((known) => known !== key), key].slice(-MAX_DONE);
    await this.#state.update(DONE_STATE_KEY, this.#keys);
  }

  /** Forgets every mark. */
  async clear(): Promise<void> {
    this.#keys = [];
    await this.#state.update(DONE_STATE_KEY, this.#keys);
  }

  get size(): number {
    return this.#keys.length;
  }
}
