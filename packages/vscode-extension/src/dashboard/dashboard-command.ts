/**
 * "Evo Voice: Open Dashboard" in the main bundle: only the command and the query the dashboard
 * reads. The panel, the analytics and the drawing are in the analytics chunk, loaded on first
 * use, so that activation and dist/extension.js do not pay for them.
 */
import type { EvoVoiceClient, SessionQuery } from "@evo-sessions/core";
import * as vscode from "vscode";
import type { FilterStore } from "../filters/filter-store.js";
import {
  describeFilters,
  filtersToQuery,
  type SessionFilters,
} from "../filters/session-filters.js";
import type { DashboardPanel } from "./dashboard-panel.js";

export const OPEN_DASHBOARD_COMMAND = "evoSessions.openDashboard";

/** What the dashboard needs from the running extension. */
export interface DashboardDeps {
  client(): EvoVoiceClient | undefined;
  filters: FilterStore;
  /** Fires on sign-in and sign-out. */
  onDidChangeSignIn: vscode.Event<unknown>;
  now(): Date;
  timeZone(): string;
}

/**
 * The dashboard's filters: the view's, without its time slot (the heatmap shows every slot and
 * marks the one the tree is filtered to) and, when no date range is set, the last 7 days (the
 * previous period needs a bounded window).
 */
export function dashboardFilters(filters: SessionFilters): SessionFilters {
  const out: SessionFilters = { ...filters };
  delete out.weekdays;
  delete out.hours;
  out.dateRange ??= { kind: "preset", preset: "last-7-days" };
  return out;
}

/** The query the dashboard reads for the view's filters. */
export function dashboardQuery(filters: SessionFilters, now: Date, timeZone: string): SessionQuery {
  return filtersToQuery(dashboardFilters(filters), { now, timeZone });
}

/** Registers the command; the panel lives until closed (one at a time). */
export class DashboardCommand implements vscode.Disposable {
  readonly #deps: DashboardDeps;
  readonly #command: vscode.Disposable;
  #panel: DashboardPanel | undefined;

  constructor(deps: DashboardDeps) {
    this.#deps = deps;
    this.#command = vscode.commands.registerCommand(OPEN_DASHBOARD_COMMAND, () => this.open());
  }

  /** The open panel, if any (for tests). */
  get panel(): DashboardPanel | undefined {
    return this.#panel;
  }

  /** Opens the dashboard, or brings it forward. */
  async open(): Promise<DashboardPanel> {
    if (this.#panel !== undefined) {
      this.#panel.panel.reveal();
      return this.#panel;
    }
    const chunk = await import("./analytics-chunk.js");
    const deps = this.#deps;
    const changed = new vscode.EventEmitter<void>();
    const subscriptions = [
      deps.filters.onDidChange(() => changed.fire()),
      deps.onDidChangeSignIn(() => changed.fire()),
      changed,
    ];
    const panel = new chunk.DashboardPanel({
      client: () => deps.client(),
      query: () => dashboardQuery(deps.filters.filters, deps.now(), deps.timeZone()),
      filtersText: () => describeFilters(dashboardFilters(deps.filters.filters)),
      selectedSlot: () => slotOf(deps.filters.filters),
      setSlot: (slot) =>
        deps.filters.update({
          weekdays: slot === undefined ? undefined : [slot.weekday],
          hours: slot === undefined ? undefined : [slot.hour],
        }),
      onDidChange: changed.event,
      now: () => deps.now(),
    });
    this.#panel = panel;
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
      if (this.#panel === panel) this.#panel = undefined;
    });
    return panel;
  }

  dispose(): void {
    this.#panel?.dispose();
    this.#command.dispose();
  }
}

/** The one cell the tree is filtered to, when the slot is exactly one weekday and one hour. */
function slotOf(filters: SessionFilters): { weekday: number; hour: number } | undefined {
  const [weekday, ...moreDays] = filters.weekdays ?? [];
  const [hour, ...moreHours] = filters.hours ?? [];
  if (weekday === undefined || hour === undefined || moreDays.length + moreHours.length > 0)
    return undefined;
  return { weekday, hour };
}
