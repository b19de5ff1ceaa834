import * as vscode from "vscode";
import { AccountsCache } from "./auth/accounts-cache.js";
import { AuthManager } from "./auth/auth-manager.js";
import { CredentialStore } from "./auth/credential-store.js";
import { registerSignInCommands } from "./auth/sign-in-commands.js";
import { nextLoad } from "./sessions/next-load.js";
import { createInsights, type Insights } from "./callbacks/insights.js";
import { routeChanges, warnAboutSettings } from "./change-routes.js";
import { COMMANDS, READY_CONTEXT_KEY } from "./commands.js";
import { SettingsModel } from "./config.js";
import { registerSessionCommands } from "./details/session-commands.js";
import {
  SESSION_DOCUMENT_SCHEME,
  SessionDocumentProvider,
} from "./details/session-document-provider.js";
import { SessionLogs } from "./details/session-logs.js";
import type { EvoSessionsApi, EvoSessionsModels } from "./extension-api.js";
import { registerExportParts } from "./export/export-commands.js";
import { registerFilterCommands } from "./filters/filter-commands.js";
import { FilterStore } from "./filters/filter-store.js";
import {
  filtersToQuery,
  hasActiveFilters,
  type SessionFilters,
} from "./filters/session-filters.js";
import { AutoRefresh } from "./live/auto-refresh.js";
import { LiveCalls } from "./live/live-calls.js";
import { LiveStatusBar } from "./live/live-status-bar.js";
import { EvoSessionsMcpProvider, MCP_PROVIDER_ID } from "./mcp/mcp-provider.js";
import { startInProcessSandbox, type InProcessSandbox } from "./sandbox/in-process-sandbox.js";
import { DayGroups } from "./sessions/day-groups.js";
import { createSavedSearchParts, registerSavedSearchParts } from "./saved/saved-search-parts.js";
import { FeedReloader } from "./sessions/feed-reloader.js";
import { SessionFeed } from "./sessions/session-feed.js";
import { SessionsTreeProvider } from "./tree/sessions-tree-provider.js";
import { SessionsView } from "./tree/sessions-view.js";
import type { ErrorNode } from "./tree/tree-nodes.js";

export type { EvoSessionsApi } from "./extension-api.js";

/** Version reported to servers and to VS Code's MCP list. */
export const EXTENSION_VERSION = "0.1.0";

/** Replaceable parts, for tests and benchmarks. */
export interface ActivationOptions {
  /** The clock (default: the system clock). */
  now?: () => Date;
  /** Starts the in-process sandbox (default: the lazily loaded sandbox bundle). */
  startSandbox?: () => Promise<InProcessSandbox>;
  /** Runtime that starts the MCP server (default: this process's executable). */
  execPath?: string;
}

let running: vscode.Disposable | undefined;

/** Called by VS Code when the view, a command or the MCP provider is first needed. */
export async function activate(context: vscode.ExtensionContext): Promise<EvoSessionsApi> {
  return activateEvoSessions(context);
}

/** Stops the in-process sandbox and timers. */
export function deactivate(): void {
  running?.dispose();
  running = undefined;
}

/** Builds the models and views, wires commands and change routes, and restores the sign-in. */
export async function activateEvoSessions(
  context: vscode.ExtensionContext,
  options: ActivationOptions = {},
): Promise<EvoSessionsApi> {
  const now = options.now ?? (() => new Date());
  const disposables: vscode.Disposable[] = [];
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    disposables.push(disposable);
    return disposable;
  };
  const models = createModels(context, { ...options, now }, own);
  // The dashboard and Callbacks view (their analytics load on first use).
  const insights = createInsights(context, models, own);
  const parts = createViews(context, { ...models, ...insights }, options, own);
  disposables.push(...registerCommands(parts), ...routeChanges(parts));

  warnAboutSettings(parts);
  await parts.auth.restore();
  await vscode.commands.executeCommand("setContext", READY_CONTEXT_KEY, true);

  const all = vscode.Disposable.from(...disposables.reverse());
  running?.dispose();
  running = all;
  context.subscriptions.push({ dispose: () => (running === all ? deactivate() : all.dispose()) });
  return parts;
}

type Own = <T extends vscode.Disposable>(disposable: T) => T;

function createModels(
  context: vscode.ExtensionContext,
  options: ActivationOptions & { now: () => Date },
  own: Own,
): EvoSessionsModels {
  const { now } = options;
  const settings = new SettingsModel();
  const store = own(new CredentialStore(context.secrets, context.globalState));
  const auth = own(
    new AuthManager(store, {
      settings: () => settings.current,
      startSandbox: options.startSandbox ?? (() => startInProcessSandbox()),
      workspaceState: context.workspaceState,
      userAgent: `evo-sessions-vscode/${EXTENSION_VERSION}`,
    }),
  );
  const filters = own(new FilterStore(context.workspaceState));
  const feed = own(
    new SessionFeed({
      client: () => auth.client,
      query: () =>
        filtersToQuery(filters.filters, { now: now(), timeZone: settings.current.timeZone }),
      pageSize: () => settings.current.pageSize,
      now,
      onSuccess: () => void auth.saveRenewedCookies(),
    }),
  );
  const timeZone = () => settings.current.timeZone;
  const query = (f: SessionFilters) => filtersToQuery(f, { now: now(), timeZone: timeZone() });
  const saved = createSavedSearchParts(context, { auth, query, settings }, own);
  const days = own(new DayGroups({ feed, now, timeZone, groupBy: () => saved.groupBy.value }));
  const logs = own(
    new SessionLogs({ feed, client: () => auth.client, origin: () => auth.connection?.baseUrl }),
  );
  const accounts = own(new AccountsCache(auth));
  return { settings, auth, accounts, filters, feed, days, logs, now, ...saved };
}

function createViews(
  context: vscode.ExtensionContext,
  models: EvoSessionsModels & Insights,
  options: ActivationOptions,
  own: Own,
): EvoSessionsApi {
  const { settings, auth, filters, feed, now } = models;
  const sandbox = () => auth.connection?.sandbox === true;
  const signedIn = () => auth.connection !== undefined;
  const timeZone = () => settings.current.timeZone;
  const tree = own(new SessionsTreeProvider({ ...models, signedIn, sandbox, now, timeZone }));
  // The view comes first: the live counter watches its visibility, and it shows the count.
  const counter: { live?: LiveCalls } = {};
  const view = own(
    new SessionsView(tree, {
      feed,
      liveCount: () => counter.live?.count,
      filters: () => filters.filters,
      signedIn,
      sandbox,
      userName: () => models.accounts.displayName ?? auth.connection?.userName,
      timeZone,
    }),
  );
  const reloader = new FeedReloader({
    feed,
    signedIn,
    visible: () => view.treeView.visible,
  });
  const intervalSeconds = () => settings.current.autoRefreshSeconds;
  const live = own(
    new LiveCalls({
      feed,
      client: () => auth.client,
      feedIsUnfiltered: () => !hasActiveFilters(filters.filters),
      treeView: view.treeView,
      intervalSeconds,
      now,
    }),
  );
  counter.live = live;
  const signedInAs = () => models.accounts.displayName ?? auth.connection?.userName;
  const statusBar = own(new LiveStatusBar(live, { signedIn, sandbox, timeZone, signedInAs }));
  const autoRefresh = own(
    new AutoRefresh({
      treeView: view.treeView,
      intervalSeconds,
      enabled: signedIn,
      refresh: () => feed.refreshTop(),
      loadedAt: () => feed.loadedAt,
      now,
    }),
  );
  const documents = own(
    new SessionDocumentProvider({
      client: () => auth.client,
      now,
      timeZone,
      sandbox,
      source: () => auth.connection?.baseUrl ?? settings.current.serverUrl,
    }),
  );
  own(vscode.workspace.registerTextDocumentContentProvider(SESSION_DOCUMENT_SCHEME, documents));
  const mcp = own(
    new EvoSessionsMcpProvider({
      auth,
      extensionUri: context.extensionUri,
      accountIds: () => filters.filters.accountIds ?? [],
      timeZone,
      execPath: options.execPath ?? process.execPath,
      version: EXTENSION_VERSION,
    }),
  );
  // `lm` is missing from hosts without AI chat (e.g. older forks); the view works without it.
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider === "function") {
    own(vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcp));
  }
  return { ...models, tree, view, reloader, live, statusBar, autoRefresh, mcp, documents };
}

function registerCommands(parts: EvoSessionsApi): vscode.Disposable[] {
  const { auth, feed, filters, settings } = parts;
  return [
    ...registerSignInCommands({
      auth,
      filters,
      settings: () => settings.current,
      nextLoad: () => nextLoad(feed),
    }),
    ...registerFilterCommands({
      store: filters,
      sessions: () => feed.sessions,
      accounts: () => parts.accounts.accounts(),
      directory: (kind, accountIds) => parts.accounts.directoryEntries(kind, accountIds),
      now: parts.now,
      timeZone: () => settings.current.timeZone,
    }),
    ...registerSessionCommands({
      sessions: () => feed.sessions,
      documents: parts.documents,
      openAs: () => settings.current.detailsOpenAs,
      origin: () => auth.connection?.baseUrl,
    }),
    ...registerSavedSearchParts(parts),
    ...registerExportParts(parts),
    vscode.commands.registerCommand(COMMANDS.refresh, () => feed.refresh()),
    vscode.commands.registerCommand(COMMANDS.loadMore, () => feed.loadMore()),
    vscode.commands.registerCommand(COMMANDS.retry, (node?: ErrorNode) => {
      if (node?.scope === "log" && node.logNode !== undefined)
        return parts.tree.retryLog(node.logNode);
      if (node?.scope === "loadMore") return feed.loadMore();
      return feed.refresh();
    }),
  ];
}
