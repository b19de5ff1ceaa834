// Which change moves what: the policy between the extension's parts, in one place, so that
// activation only builds and wires them. Each route says why it does what it does.
import * as vscode from "vscode";
import type { Connection } from "./auth/auth-manager.js";
import { onDidChangeSettings } from "./config.js";
import type { EvoSessionsApi } from "./extension-api.js";
import { hasActiveFilters } from "./filters/session-filters.js";
import { makeOwnerKey } from "./owner-key.js";

/** Subscribes every route; dispose the result to stop them. */
export function routeChanges(parts: EvoSessionsApi): vscode.Disposable[] {
  return [
    parts.view.treeView.onDidChangeVisibility((event) => {
      if (!event.visible) return;
      parts.days.checkDay();
      parts.reloader.shown();
    }),
    parts.days.onDidChangeDay(() => {
      // "Today" and the other presets moved with the clock: read them again.
      if (parts.auth.connection !== undefined && dateFilterActive(parts)) parts.reloader.reload();
    }),
    parts.live.onDidChange(() => parts.view.update()),
    parts.auth.onDidChange((connection) => signInChanged(parts, connection)),
    // The person's real name arrives after the sign-in (a restored one reads it then).
    parts.accounts.onDidChange(() => {
      parts.view.update();
      parts.statusBar.update();
    }),
    parts.filters.onDidChange(() => filtersChanged(parts)),
    onDidChangeSettings(() => settingsChanged(parts)),
  ];
}

/** Shows the problems of the settings, one warning each. */
export function warnAboutSettings(parts: Pick<EvoSessionsApi, "settings">): void {
  for (const problem of parts.settings.current.problems)
    void vscode.window.showWarningMessage(`Evo Voice: ${problem}`);
}

function dateFilterActive(parts: EvoSessionsApi): boolean {
  return parts.filters.filters.dateRange !== undefined;
}

function signInChanged(parts: EvoSessionsApi, connection: Connection | undefined): void {
  parts.logs.forget();
  // Open details documents must not keep showing the previous sign-in's data.
  parts.documents.reloadAll();
  parts.live.reset();
  // A restored sign-in has not read /auth/status yet: the real name shows once it has.
  if (connection !== undefined) parts.accounts.status().catch(() => undefined);
  void (async () => {
    const owner = connection === undefined ? undefined : makeOwnerKey(connection);
    // When the ID filters belonged to someone else, dropping them reloads the list.
    const changed = await parts.filters.adoptOwner(owner, { quiet: connection?.sandbox === true });
    if (!changed) parts.reloader.reload();
    parts.view.update();
    parts.live.restart({ pollNow: true });
  })();
  parts.view.update();
  parts.statusBar.update();
  parts.autoRefresh.restart({ catchUp: false });
}

function filtersChanged(parts: EvoSessionsApi): void {
  parts.view.update();
  parts.mcp.refresh();
  if (parts.auth.connection === undefined) return;
  parts.reloader.reload();
  // Filtered, the view's own list no longer gives the count: take it at once.
  parts.live.restart({ pollNow: hasActiveFilters(parts.filters.filters) });
}

function settingsChanged(parts: EvoSessionsApi): void {
  const previous = parts.settings.reread();
  const settings = parts.settings.current;
  warnAboutSettings(parts);
  void parts.auth.onSettingsChanged();
  parts.mcp.refresh();
  const zoneChanged = previous.timeZone !== settings.timeZone;
  if (zoneChanged) {
    parts.days.refresh();
    parts.statusBar.update();
  }
  // Only a date filter depends on the zone; the rest of the list is the same in any zone.
  const zoneMatters = zoneChanged && dateFilterActive(parts);
  if (
    parts.auth.connection !== undefined &&
    (previous.pageSize !== settings.pageSize || zoneMatters)
  ) {
    parts.reloader.reload();
  }
  parts.autoRefresh.restart({ catchUp: false });
  parts.live.restart({ pollNow: false });
}
