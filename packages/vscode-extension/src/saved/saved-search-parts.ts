// Saved searches and the grouping, built and wired in one place so that activation only calls
// these two functions.
import type { SessionQuery } from "@evo-sessions/core";
import type * as vscode from "vscode";
import type { AuthManager } from "../auth/auth-manager.js";
import type { SettingsModel } from "../config.js";
import type { EvoSessionsApi } from "../extension-api.js";
import type { SessionFilters } from "../filters/session-filters.js";
import { GroupByStore } from "../tree/group-by-store.js";
import { registerSavedSearchCommands } from "./saved-search-commands.js";
import { SavedSearchResults } from "./saved-search-results.js";
import { SavedSearches } from "./saved-searches.js";

/** The saved searches, what they found, and what the view groups by. */
export interface SavedSearchParts {
  saved: SavedSearches;
  savedResults: SavedSearchResults;
  groupBy: GroupByStore;
}

/** Builds the parts; the searches are read at once (without holding up activation). */
export function createSavedSearchParts(
  context: vscode.ExtensionContext,
  deps: {
    auth: AuthManager;
    query(filters: SessionFilters): SessionQuery;
    settings: SettingsModel;
  },
  own: <T extends vscode.Disposable>(disposable: T) => T,
): SavedSearchParts {
  const saved = own(new SavedSearches());
  const savedResults = own(
    new SavedSearchResults({
      searches: saved,
      client: () => deps.auth.client,
      query: deps.query,
      pageSize: () => deps.settings.current.pageSize,
    }),
  );
  const groupBy = own(new GroupByStore(context.workspaceState));
  void saved.reload();
  return { saved, savedResults, groupBy };
}

/**
 * Commands and routes: a new grouping regroups the loaded sessions; the searches are counted
 * again when they change, when the list was re-read (a refresh counts them too) and on sign-in.
 */
export function registerSavedSearchParts(parts: EvoSessionsApi): vscode.Disposable[] {
  let seenLoads = parts.feed.loads;
  const recount = () => {
    if (parts.saved.searches.length > 0 || parts.auth.connection === undefined)
      void parts.savedResults.refresh();
  };
  return [
    ...registerSavedSearchCommands({
      saved: parts.saved,
      filters: parts.filters,
      groupBy: parts.groupBy,
    }),
    parts.groupBy.onDidChange(() => parts.days.refresh()),
    parts.saved.onDidChange(recount),
    parts.auth.onDidChange(recount),
    parts.feed.onDidChange(() => {
      if (parts.feed.loads === seenLoads) return;
      seenLoads = parts.feed.loads;
      recount();
    }),
  ];
}
