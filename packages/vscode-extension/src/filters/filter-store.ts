import * as vscode from "vscode";
import { parseOwnerKey, type OwnerKey } from "../owner-key.js";
import {
  hasActiveFilters,
  hasIdFilters,
  parseStoredFilters,
  type SessionFilters,
} from "./session-filters.js";

/** workspaceState key of the saved filters. */
export const FILTERS_STATE_KEY = "evoSessions.filters";
/** Context key that swaps the Filter and Clear Filters buttons of the view title. */
export const HAS_FILTERS_CONTEXT_KEY = "evoSessions.hasFilters";
/** Context key that swaps the "Missed Only" quick toggle for its "Show All" twin. */
export const MISSED_ONLY_CONTEXT_KEY = "evoSessions.missedOnly";

/**
 * The view's filters, saved per workspace so they survive restarts (a common complaint about
 * tree extensions is filters lost on reload). Every change is saved before listeners run.
 * Account, customer and endpoint IDs are saved with the sign-in they were picked under and
 * dropped when another sign-in uses the workspace.
 */
export class FilterStore implements vscode.Disposable {
  readonly #state: vscode.Memento;
  readonly #changed = new vscode.EventEmitter<SessionFilters>();
  #filters: SessionFilters;
  #owner: OwnerKey | undefined;

  /** Fires after the filters changed and were saved. */
  readonly onDidChange: vscode.Event<SessionFilters> = this.#changed.event;

  constructor(workspaceState: vscode.Memento) {
    this.#state = workspaceState;
    this.#filters = parseStoredFilters(workspaceState.get<unknown>(FILTERS_STATE_KEY));
    void this.#updateContextKey();
  }

  /** The current filters (a copy). */
  get filters(): SessionFilters {
    return structuredClone(this.#filters);
  }

  /** True when any filter is set. */
  get hasFilters(): boolean {
    return hasActiveFilters(this.#filters);
  }

  /**
   * Tells the store who is signed in. ID filters saved under another sign-in are dropped (with a
   * message saying so); returns true when that changed the filters (listeners were told).
   */
  async adoptOwner(
    owner: OwnerKey | undefined,
    options: { quiet?: boolean } = {},
  ): Promise<boolean> {
    this.#owner = owner;
    if (owner === undefined || this.#filters.owner === owner) return false;
    const previous = this.#filters.owner;
    if (previous === undefined || !hasIdFilters(this.#filters)) {
      // Nothing to drop (or saved before owners were kept): these filters are this user's now.
      this.#filters = { ...this.#filters, owner };
      await this.#state.update(FILTERS_STATE_KEY, this.#filters);
      return false;
    }
    const next: SessionFilters = { ...this.#filters, owner };
    delete next.accountIds;
    delete next.customerIds;
    delete next.endpointIds;
    if (options.quiet !== true) {
      const who = parseOwnerKey(previous)?.userName ?? "another user";
      void vscode.window.showInformationMessage(
        `Evo Voice: cleared the account, customer and endpoint filters picked by ${who}; they belong to another sign-in.`,
      );
    }
    await this.#replace(next);
    return true;
  }

  /** Changes some filters; `undefined` values clear those filters. */
  async update(changes: Partial<SessionFilters>): Promise<void> {
    const next: Record<string, unknown> = { ...this.#filters };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[key];
      else next[key] = value;
    }
    if (this.#owner !== undefined) next.owner = this.#owner;
    await this.#replace(parseStoredFilters(next));
  }

  /** Clears every filter (names of IDs are kept for the next time they are picked). */
  async clear(): Promise<void> {
    const kept: SessionFilters = {};
    if (this.#filters.names) kept.names = this.#filters.names;
    if (this.#filters.owner) kept.owner = this.#filters.owner;
    await this.#replace(kept);
  }

  dispose(): void {
    this.#changed.dispose();
  }

  async #replace(filters: SessionFilters): Promise<void> {
    this.#filters = filters;
    await this.#state.update(FILTERS_STATE_KEY, filters);
    await this.#updateContextKey();
    this.#changed.fire(this.filters);
  }

  async #updateContextKey(): Promise<void> {
    await vscode.commands.executeCommand("setContext", HAS_FILTERS_CONTEXT_KEY, this.hasFilters);
    const missedOnly = this.#filters.missed === true;
    await vscode.commands.executeCommand("setContext", MISSED_ONLY_CONTEXT_KEY, missedOnly);
  }
}
