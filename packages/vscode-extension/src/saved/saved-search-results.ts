import type { EvoVoiceClient, SessionInfo, SessionQuery } from "@evo-sessions/core";
import * as vscode from "vscode";
import type { SessionFilters } from "../filters/session-filters.js";
import type { SavedSearch } from "./saved-search-file.js";
import type { SavedSearches } from "./saved-searches.js";

/** What a saved search found so far. */
export type SavedSearchResult =
  | { status: "loading" }
  | { status: "ready"; sessions: readonly SessionInfo[]; more: boolean }
  | { status: "failed"; error: unknown };

/** What the results read; every call reads the current value. */
export interface SavedSearchResultsContext {
  searches: SavedSearches;
  client(): EvoVoiceClient | undefined;
  query(filters: SessionFilters): SessionQuery;
  pageSize(): number;
}

/**
 * The first page of matches of every saved search, for its count and its sessions in the tree:
 * one scan each (core's scanner, so a count means what the view would show), one search at a
 * time, read again by `refresh` (the view refreshed, the sign-in or the searches changed).
 */
export class SavedSearchResults implements vscode.Disposable {
  readonly #context: SavedSearchResultsContext;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #results = new Map<string, SavedSearchResult>();
  #generation = 0;
  #controller = new AbortController();

  readonly onDidChange: vscode.Event<void> = this.#changed.event;

  constructor(context: SavedSearchResultsContext) {
    this.#context = context;
  }

  /** The result of a search (loading until its scan is in). */
  result(search: SavedSearch): SavedSearchResult {
    return this.#results.get(keyOf(search)) ?? { status: "loading" };
  }

  /** Reads every search again; resolves when all are in. */
  async refresh(): Promise<void> {
    this.#controller.abort();
    this.#controller = new AbortController();
    const generation = ++this.#generation;
    const signal = this.#controller.signal;
    const client = this.#context.client();
    this.#results.clear();
    this.#changed.fire();
    if (client === undefined) return;
    for (const search of this.#context.searches.searches) {
      if (generation !== this.#generation) return;
      const result = await this.#scan(client, search, signal);
      if (generation !== this.#generation) return;
      this.#results.set(keyOf(search), result);
      this.#changed.fire();
    }
  }

  dispose(): void {
    this.#controller.abort();
    this.#changed.dispose();
  }

  async #scan(
    client: EvoVoiceClient,
    search: SavedSearch,
    signal: AbortSignal,
  ): Promise<SavedSearchResult> {
    try {
      const pageSize = this.#context.pageSize();
      const query = this.#context.query(search.filters);
      const scan = await client.scan(query, { limit: pageSize, pageSize, signal }).collect();
      return {
        status: "ready",
        sessions: scan.matches.map((match) => match.session),
        more: !scan.complete,
      };
    } catch (error) {
      return { status: "failed", error };
    }
  }
}

function keyOf(search: SavedSearch): string {
  return `${search.source}|${search.name}`;
}
