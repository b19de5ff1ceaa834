import type { AccountsCache } from "./auth/accounts-cache.js";
import type { AuthManager } from "./auth/auth-manager.js";
import type { Insights } from "./callbacks/insights.js";
import type { SettingsModel } from "./config.js";
import type { SessionDocumentProvider } from "./details/session-document-provider.js";
import type { SessionLogs } from "./details/session-logs.js";
import type { SavedSearchParts } from "./saved/saved-search-parts.js";
import type { FilterStore } from "./filters/filter-store.js";
import type { AutoRefresh } from "./live/auto-refresh.js";
import type { LiveCalls } from "./live/live-calls.js";
import type { LiveStatusBar } from "./live/live-status-bar.js";
import type { EvoSessionsMcpProvider } from "./mcp/mcp-provider.js";
import type { DayGroups } from "./sessions/day-groups.js";
import type { FeedReloader } from "./sessions/feed-reloader.js";
import type { SessionFeed } from "./sessions/session-feed.js";
import type { SessionsTreeProvider } from "./tree/sessions-tree-provider.js";
import type { SessionsView } from "./tree/sessions-view.js";

/** The models of a running extension: what state it keeps and what the views read. */
export interface EvoSessionsModels extends SavedSearchParts {
  settings: SettingsModel;
  auth: AuthManager;
  accounts: AccountsCache;
  filters: FilterStore;
  feed: SessionFeed;
  days: DayGroups;
  logs: SessionLogs;
  /** The clock every part reads. */
  now(): Date;
}

/** The running extension's parts, returned by `activate` for tests and automation. */
export interface EvoSessionsApi extends EvoSessionsModels, Insights {
  tree: SessionsTreeProvider;
  view: SessionsView;
  reloader: FeedReloader;
  live: LiveCalls;
  statusBar: LiveStatusBar;
  autoRefresh: AutoRefresh;
  mcp: EvoSessionsMcpProvider;
  documents: SessionDocumentProvider;
}
