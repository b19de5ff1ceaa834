/**
 * The dashboard and the Callbacks view, wired to the extension's models: built at activation,
 * but everything heavy (core's analytics, the drawing) loads from the analytics chunk on first
 * use. Their routes live here rather than in change-routes.ts: they only follow the filters and
 * the sign-in, and nothing else depends on them.
 */
import type * as vscode from "vscode";
import type { EvoSessionsModels } from "../extension-api.js";
import { filtersToQuery, type SessionFilters } from "../filters/session-filters.js";
import { DashboardCommand } from "../dashboard/dashboard-command.js";
import { registerCallbackCommands } from "./callback-commands.js";
import { CallbacksView } from "./callbacks-view.js";

/** The parts this adds to the extension's API. */
export interface Insights {
  dashboard: DashboardCommand;
  callbacks: CallbacksView;
}

type Own = <T extends vscode.Disposable>(disposable: T) => T;

/** Builds the dashboard command and the Callbacks view, and their commands and routes. */
export function createInsights(
  context: vscode.ExtensionContext,
  models: Pick<EvoSessionsModels, "auth" | "filters" | "settings" | "now">,
  own: Own,
): Insights {
  const { auth, filters, settings, now } = models;
  const timeZone = () => settings.current.timeZone;
  const dashboard = own(
    new DashboardCommand({
      client: () => auth.client,
      filters,
      onDidChangeSignIn: auth.onDidChange,
      now,
      timeZone,
    }),
  );
  const callbacks = own(
    new CallbacksView(
      {
        client: () => auth.client,
        query: () =>
          filtersToQuery(callbackFilters(filters.filters), { now: now(), timeZone: timeZone() }),
        now,
        timeZone,
      },
      context.workspaceState,
    ),
  );
  let queryKey = callbackKey(filters.filters);
  own(
    filters.onDidChange((next) => {
      // Only the accounts, customers and dates change the queue (see callbackFilters).
      const key = callbackKey(next);
      if (key === queryKey) return;
      queryKey = key;
      callbacks.invalidate();
    }),
  );
  own(auth.onDidChange(() => callbacks.invalidate()));
  for (const disposable of registerCallbackCommands(callbacks)) own(disposable);
  return { dashboard, callbacks };
}

/**
 * The filters the callback queue is read with: the view's accounts, customers and dates (the
 * last 7 days without a date filter). Not its other filters: a callback is closed by a later
 * outbound call or an answered one, which "missed only" or "from 555" would hide.
 */
export function callbackFilters(filters: SessionFilters): SessionFilters {
  const out: SessionFilters = {
    dateRange: filters.dateRange ?? { kind: "preset", preset: "last-7-days" },
  };
  if (filters.accountIds?.length) out.accountIds = filters.accountIds;
  if (filters.customerIds?.length) out.customerIds = filters.customerIds;
  if (filters.archive === true) out.archive = true;
  return out;
}

function callbackKey(filters: SessionFilters): string {
  return JSON.stringify(callbackFilters(filters));
}
