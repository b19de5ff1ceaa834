/**
 * The dashboard's webview panel (in the lazily loaded analytics chunk): one panel, re-read when
 * the Sessions view's filters or sign-in change, re-drawn without reading when only the
 * heatmap cell the tree is filtered to changed. Reads that finish after a newer one started are
 * dropped, and closing the panel cancels its read.
 */
import { randomBytes } from "node:crypto";
import {
  analyzeSessions,
  type AnalyticsReport,
  type EvoVoiceClient,
  type SessionQuery,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { dashboardHtml, type DashboardState } from "./dashboard-html.js";
import { dashboardModel, type DashboardModel } from "./dashboard-model.js";
import { DASHBOARD_SCRIPT } from "./dashboard-script.js";
import type { SelectedSlot } from "./dashboard-svg.js";
import { parseDashboardMessage, type DashboardMessage } from "./protocol.js";

export const DASHBOARD_VIEW_TYPE = "evoSessions.dashboard";
/** Most sessions one dashboard reads per period: enough for weeks of a busy account. */
export const DASHBOARD_CAP = 50_000;

/** What the dashboard reads from the extension (every call reads the current value). */
export interface DashboardHost {
  client(): EvoVoiceClient | undefined;
  /** The tree's filters as a query, without the time slot and with a bounded window. */
  query(): SessionQuery;
  /** The filters in words, as the Sessions view shows them. */
  filtersText(): string;
  selectedSlot(): SelectedSlot | undefined;
  setSlot(slot: SelectedSlot | undefined): Promise<void>;
  /** Fires when filters or sign-in changed. */
  onDidChange: vscode.Event<void>;
  now(): Date;
}

/** The one dashboard panel. */
export class DashboardPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly #host: DashboardHost;
  readonly #subscriptions: vscode.Disposable[] = [];
  #model: DashboardModel | undefined;
  #queryKey: string | undefined;
  #generation = 0;
  #controller: AbortController | undefined;
  #disposed = false;
  readonly #onDidDispose = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.#onDidDispose.event;
  /** The last state drawn (for tests). */
  state: DashboardState = { kind: "loading", what: "sessions" };

  constructor(host: DashboardHost) {
    this.#host = host;
    this.panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      "Evo Voice Dashboard",
      vscode.ViewColumn.Active,
      // No local resources: the page is one HTML document with its own style and script.
      { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false },
    );
    this.#subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((value: unknown) => {
        const message = parseDashboardMessage(value);
        if (message !== undefined) void this.handle(message);
      }),
      host.onDidChange(() => void this.reload()),
    );
    void this.reload();
  }

  /** Acts on a message from the page. */
  async handle(message: DashboardMessage): Promise<void> {
    switch (message.type) {
      case "refresh":
        return this.reload(true);
      case "filterSlot":
        return this.#host.setSlot({ weekday: message.weekday, hour: message.hour });
      case "clearSlot":
        return this.#host.setSlot(undefined);
      case "ready":
        return;
    }
  }

  /** Reads again when the query changed (or when `force`), else redraws the slot selection. */
  async reload(force = false): Promise<void> {
    if (this.#disposed) return;
    const client = this.#host.client();
    if (client === undefined) {
      this.#model = undefined;
      this.#queryKey = undefined;
      return this.#draw({ kind: "signedOut" });
    }
    const query = this.#host.query();
    const key = query.key();
    if (!force && key === this.#queryKey && this.#model !== undefined) {
      return this.#draw(this.#ready(this.#model));
    }
    const generation = ++this.#generation;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#draw({ kind: "loading", what: query.describe() });
    try {
      const report = await this.#analyze(client, query, controller.signal);
      if (generation !== this.#generation || this.#disposed) return;
      this.#model = dashboardModel(report);
      this.#queryKey = key;
      this.#draw(this.#ready(this.#model));
    } catch (error) {
      if (generation !== this.#generation || this.#disposed) return;
      this.#draw({ kind: "error", message: `Couldn't read the sessions: ${messageOf(error)}` });
    }
  }

  #analyze(
    client: EvoVoiceClient,
    query: SessionQuery,
    signal: AbortSignal,
  ): Promise<AnalyticsReport> {
    return analyzeSessions(client, query, {
      compare: true,
      groupBy: ["heatmap", "day", "account", "customer"],
      cap: DASHBOARD_CAP,
      now: this.#host.now(),
      signal,
    });
  }

  #ready(model: DashboardModel): DashboardState {
    const selected = this.#host.selectedSlot();
    const state: DashboardState = { kind: "ready", model, filters: this.#host.filtersText() };
    if (selected !== undefined) state.selected = selected;
    return state;
  }

  #draw(state: DashboardState): void {
    if (this.#disposed) return;
    this.state = state;
    this.panel.webview.html = dashboardHtml(state, {
      cspSource: this.panel.webview.cspSource,
      nonce: randomBytes(16).toString("base64"),
      script: DASHBOARD_SCRIPT,
    });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#controller?.abort();
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.panel.dispose();
    this.#onDidDispose.fire();
    this.#onDidDispose.dispose();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
