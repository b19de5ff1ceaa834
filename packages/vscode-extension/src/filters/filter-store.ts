import * as vscode from "vscode";
import { hasActiveFilters, parseStoredFilters, type SessionFilters } from "./session-filters.js";

/** workspaceState key of the saved filters. */
export const FILTERS_STATE_KEY = "evoSessions.filters";
/** Context key that swaps the Filter and Clear Filters buttons of the view title. */
export const HAS_FILTERS_CONTEXT_KEY = "evoSessions.hasFilters";

/**
 * The view's filters, saved per workspace so they survive restarts (a common complaint about
 * tree extensions is filters lost on reload). Every change is saved before listeners run.
 */
export class FilterStore implements vscode.Disposable {
  readonly #state: vscode.Memento;
  readonly #changed = new vscode.EventEmitter<SessionFilters>();
  #filters: SessionFilters;

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

  /** Changes some filters; `undefined` values clear those filters. */
  async update(changes: Partial<SessionFilters>): Promise<void> {
    const next: Record<string, unknown> = { ...this.#filters };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[key];
      else next[key] = value;
    }
    await this.#replace(parseStoredFilters(next));
  }

  /** Clears every filter (names of IDs are kept for the next time they are picked). */
  async clear(): Promise<void> {
    await this.#replace(this.#filters.names ? { names: this.#filters.names } : {});
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
  }
}
