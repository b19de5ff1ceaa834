import type { AccountRef } from "@evo-sessions/core";
import * as vscode from "vscode";
import { AuthManager } from "./auth/auth-manager.js";
import { CredentialStore } from "./auth/credential-store.js";
import { registerSignInCommands } from "./auth/sign-in-commands.js";
import { COMMANDS, READY_CONTEXT_KEY } from "./commands.js";
import { onDidChangeSettings, readSettings, type ExtensionSettings } from "./config.js";
import { registerSessionCommands } from "./details/session-commands.js";
import {
  SESSION_DOCUMENT_SCHEME,
  SessionDocumentProvider,
} from "./details/session-document-provider.js";
import { registerFilterCommands } from "./filters/filter-commands.js";
import { FilterStore, filterOwner } from "./filters/filter-store.js";
import { filtersToQuery, hasActiveFilters } from "./filters/session-filters.js";
import { AutoRefresh } from "./live/auto-refresh.js";
import { LiveCalls } from "./live/live-calls.js";
import { LiveStatusBar } from "./live/live-status-bar.js";
import { EvoSessionsMcpProvider, MCP_PROVIDER_ID } from "./mcp/mcp-provider.js";
import { startInProcessSandbox, type InProcessSandbox } from "./sandbox/in-process-sandbox.js";
import { SessionFeed } from "./sessions/session-feed.js";
import { SessionsTreeProvider } from "./tree/sessions-tree-provider.js";
import { SessionsView } from "./tree/sessions-view.js";
import type { ErrorNode } from "./tree/tree-nodes.js";

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

/** The running extension's parts, returned by `activate` for tests and automation. */
export interface EvoSessionsApi {
  auth: AuthManager;
  filters: FilterStore;
  feed: SessionFeed;
  tree: SessionsTreeProvider;
  view: SessionsView;
  live: LiveCalls;
  statusBar: LiveStatusBar;
  autoRefresh: AutoRefresh;
  mcp: EvoSessionsMcpProvider;
  documents: SessionDocumentProvider;
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

/** Wires everything up; `activate` with replaceable parts. */
export async function activateEvoSessions(
  context: vscode.ExtensionContext,
  options: ActivationOptions = {},
): Promise<EvoSessionsApi> {
  const now = options.now ?? (() => new Date());
  let settings: ExtensionSettings = readSettings();
  const disposables: vscode.Disposable[] = [];
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    disposables.push(disposable);
    return disposable;
  };

  const store = own(new CredentialStore(context.secrets, context.globalState));
  const auth = own(
    new AuthManager(store, {
      settings: () => settings,
      startSandbox: options.startSandbox ?? (() => startInProcessSandbox()),
      workspaceState: context.workspaceState,
      userAgent: `evo-sessions-vscode/${EXTENSION_VERSION}`,
    }),
  );
  const filters = own(new FilterStore(context.workspaceState));
  const feed = own(
    new SessionFeed({
      client: () => auth.client,
      filterQuery: () =>
        filtersToQuery(filters.filters, { now: now(), timeZone: settings.timeZone }),
      pageSize: () => settings.pageSize,
      now,
      onSuccess: () => void auth.saveRenewedCookies(),
    }),
  );
  const sandbox = () => auth.connection?.sandbox === true;
  const signedIn = () => auth.connection !== undefined;
  const tree = own(
    new SessionsTreeProvider({
      feed,
      client: () => auth.client,
      origin: () => auth.connection?.baseUrl,
      signedIn,
      sandbox,
      now,
      timeZone: () => settings.timeZone,
    }),
  );
  // The view comes first: the live counter watches its visibility, and it shows the count.
  const counter: { live?: LiveCalls } = {};
  const view = own(
    new SessionsView(tree, {
      feed,
      liveCount: () => counter.live?.count,
      filters: () => filters.filters,
      signedIn,
      sandbox,
      userName: () => auth.connection?.userName,
    }),
  );
  const liveCalls = own(
    new LiveCalls({
      feed,
      client: () => auth.client,
      feedIsUnfiltered: () => !hasActiveFilters(filters.filters),
      treeView: view.treeView,
      intervalSeconds: () => settings.autoRefreshSeconds,
      now,
    }),
  );
  counter.live = liveCalls;
  disposables.push(liveCalls.onDidChange(() => view.update()));
  const statusBar = own(
    new LiveStatusBar(liveCalls, { signedIn, sandbox, timeZone: () => settings.timeZone }),
  );
  const autoRefresh = own(
    new AutoRefresh({
      treeView: view.treeView,
      intervalSeconds: () => settings.autoRefreshSeconds,
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
      timeZone: () => settings.timeZone,
      sandbox,
      source: () => auth.connection?.baseUrl ?? settings.serverUrl,
    }),
  );
  own(vscode.workspace.registerTextDocumentContentProvider(SESSION_DOCUMENT_SCHEME, documents));
  const mcp = own(
    new EvoSessionsMcpProvider({
      auth,
      extensionUri: context.extensionUri,
      accountIds: () => filters.filters.accountIds ?? [],
      timeZone: () => settings.timeZone,
      execPath: options.execPath ?? process.execPath,
      version: EXTENSION_VERSION,
    }),
  );
  // `lm` is missing from hosts without AI chat (e.g. older forks); the view works without it.
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider === "function") {
    own(vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, mcp));
  }

  let accountsCache: { key: string; accounts: Promise<AccountRef[]> } | undefined;
  const accounts = (): Promise<AccountRef[]> => {
    const client = auth.client;
    const connection = auth.connection;
    if (client === undefined || connection === undefined) return Promise.resolve([]);
    const key = `${connection.baseUrl}|${connection.userName}`;
    if (accountsCache?.key !== key) {
      const entry = { key, accounts: client.authStatus().then((status) => status.accounts) };
      accountsCache = entry;
      // A failure is asked again next time; it must not drop a newer sign-in's entry.
      entry.accounts.catch(() => {
        if (accountsCache === entry) accountsCache = undefined;
      });
    }
    return accountsCache.accounts;
  };

  // A hidden view loads nothing: the list is read when the view is first shown (the status bar
  // counts live calls with one small request of its own).
  let feedStale = false;
  const reloadFeed = (): void => {
    if (auth.connection === undefined) {
      feedStale = false;
      feed.clear();
    } else if (view.treeView.visible) {
      feedStale = false;
      void feed.reset();
    } else {
      feedStale = true;
      feed.clear("idle");
    }
  };
  const dateFilterActive = () => filters.filters.dateRange !== undefined;

  disposables.push(
    ...registerSignInCommands({ auth, filters, settings: () => settings }),
    ...registerFilterCommands({
      store: filters,
      sessions: () => feed.sessions,
      accounts,
      now,
      timeZone: () => settings.timeZone,
    }),
    ...registerSessionCommands({
      sessions: () => feed.sessions,
      documents,
      openAs: () => settings.detailsOpenAs,
      origin: () => auth.connection?.baseUrl,
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, () => feed.refresh()),
    vscode.commands.registerCommand(COMMANDS.loadMore, () => feed.loadMore()),
    vscode.commands.registerCommand(COMMANDS.retry, (node?: ErrorNode) => {
      if (node?.scope === "log" && node.logNode !== undefined) return tree.retryLog(node.logNode);
      if (node?.scope === "loadMore") return feed.loadMore();
      return feed.refresh();
    }),
    view.treeView.onDidChangeVisibility((event) => {
      if (!event.visible) return;
      tree.checkDay();
      if (feedStale && auth.connection !== undefined) reloadFeed();
    }),
    tree.onDidChangeDay(() => {
      // "Today" and the other presets moved with the clock: read them again.
      if (auth.connection !== undefined && dateFilterActive()) reloadFeed();
    }),
    auth.onDidChange((connection) => {
      accountsCache = undefined;
      tree.forgetLogs();
      // Open details documents must not keep showing the previous sign-in's data.
      documents.reloadAll();
      liveCalls.reset();
      void (async () => {
        const owner = connection === undefined ? undefined : filterOwner(connection);
        // When the ID filters belonged to someone else, dropping them reloads the list.
        const changed = await filters.adoptOwner(owner, { quiet: connection?.sandbox === true });
        if (!changed) reloadFeed();
        view.update();
        liveCalls.restart({ pollNow: true });
      })();
      view.update();
      statusBar.update();
      autoRefresh.restart({ catchUp: false });
    }),
    filters.onDidChange(() => {
      view.update();
      mcp.refresh();
      if (auth.connection !== undefined) {
        reloadFeed();
        // Filtered, the view's own list no longer gives the count: take it at once.
        liveCalls.restart({ pollNow: hasActiveFilters(filters.filters) });
      }
    }),
    onDidChangeSettings(() => {
      const previous = settings;
      settings = readSettings();
      warnAboutSettings(settings);
      void auth.onSettingsChanged();
      mcp.refresh();
      if (previous.timeZone !== settings.timeZone) {
        tree.refreshItems();
        statusBar.update();
      }
      // Only a date filter depends on the zone; the rest of the list is the same in any zone.
      const zoneMatters = previous.timeZone !== settings.timeZone && dateFilterActive();
      if (
        auth.connection !== undefined &&
        (previous.pageSize !== settings.pageSize || zoneMatters)
      ) {
        reloadFeed();
      }
      autoRefresh.restart({ catchUp: false });
      liveCalls.restart({ pollNow: false });
    }),
  );

  warnAboutSettings(settings);
  await auth.restore();
  await vscode.commands.executeCommand("setContext", READY_CONTEXT_KEY, true);

  const all = vscode.Disposable.from(...disposables.reverse());
  running?.dispose();
  running = all;
  context.subscriptions.push({ dispose: () => (running === all ? deactivate() : all.dispose()) });
  return {
    auth,
    filters,
    feed,
    tree,
    view,
    live: liveCalls,
    statusBar,
    autoRefresh,
    mcp,
    documents,
  };
}

function warnAboutSettings(settings: ExtensionSettings): void {
  for (const problem of settings.problems)
    void vscode.window.showWarningMessage(`Evo Voice: ${problem}`);
}
