// The dashboard: its data from core's analytics (a real report over the sandbox), the page drawn
// from it (pure functions), the message protocol, and a heatmap cell filtering the tree.
import { analyzeSessions, SessionQuery, startedAt, zonedParts } from "@evo-sessions/core";
import { describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { dashboardQuery } from "../src/dashboard/dashboard-command.js";
import { bodyOf, contentSecurityPolicy, dashboardHtml } from "../src/dashboard/dashboard-html.js";
import {
  dashboardModel,
  percent,
  seconds,
  type DashboardModel,
} from "../src/dashboard/dashboard-model.js";
import { DASHBOARD_SCRIPT } from "../src/dashboard/dashboard-script.js";
import { parseDashboardMessage } from "../src/dashboard/protocol.js";
import { filtersToQuery } from "../src/filters/session-filters.js";
import { FIXED_NOW, settled, TEST_TIME_ZONE, useSandboxSuite } from "./support/harness.js";

const page = { cspSource: "vscode-webview://test", nonce: "bm9uY2U=", script: DASHBOARD_SCRIPT };

/** A webview panel that records what the extension draws and lets the test post messages. */
function fakeWebviewPanel() {
  const received = new vscode.EventEmitter<unknown>();
  const disposed = new vscode.EventEmitter<void>();
  const panel = {
    webview: {
      html: "",
      cspSource: page.cspSource,
      options: {},
      onDidReceiveMessage: received.event,
      postMessage: vi.fn(async () => true),
    },
    onDidDispose: disposed.event,
    reveal: vi.fn(),
    dispose: () => disposed.fire(),
  };
  return { panel, send: (message: unknown) => received.fire(message) };
}

describe("Dashboard", () => {
  const suite = useSandboxSuite({
    signedIn: { settings: { "evoSessions.timeZone": TEST_TIME_ZONE, "evoSessions.pageSize": 200 } },
  });

  async function report() {
    const client = suite.ext.api.auth.client!;
    const query = dashboardQuery({}, FIXED_NOW, TEST_TIME_ZONE);
    return analyzeSessions(client, query, {
      compare: true,
      groupBy: ["heatmap", "day", "account", "customer"],
      now: FIXED_NOW,
    });
  }

  it("shows core's KPIs for the last 7 days against the 7 before, by hour and weekday and by day", async () => {
    const analysis = await report();
    const model = dashboardModel(analysis);
    expect(model.period).toMatch(/Last 7 days/i);
    expect(model.previousPeriod).toMatch(/previous period/);
    const tile = (id: string) => model.tiles.find((t) => t.id === id)!;
    expect(model.tiles.map((t) => t.label)).toEqual([
      "Answer rate",
      "Abandon rate",
      "Service level",
      "ASA",
    ]);
    expect(tile("answerRate").value).toBe(percent(analysis.totals.answerRate));
    expect(tile("answerRate").previous).toBe(percent(analysis.previous!.totals.answerRate));
    expect(tile("asa").value).toBe(seconds(analysis.totals.asaMs));
    const points =
      ((analysis.totals.answerRate ?? 0) - (analysis.previous!.totals.answerRate ?? 0)) * 100;
    expect(tile("answerRate").delta).toBe(
      `${points >= 0 ? "+" : "\u2212"}${Math.abs(points).toFixed(1)} pts`,
    );
    // 7 × 24 cells, Monday first; together they hold every call offered.
    expect(model.heatmap).toHaveLength(168);
    expect(model.heatmap[0]).toMatchObject({ weekday: 1, hour: 0 });
    expect(model.heatmap.reduce((sum, cell) => sum + cell.offered, 0)).toBe(
      analysis.totals.offered,
    );
    expect(Math.max(...model.heatmap.map((cell) => cell.intensity))).toBe(1);
    // One point per local day, each beside the previous period's day at the same offset.
    expect(model.trend).toHaveLength(7);
    expect(model.trend.reduce((sum, point) => sum + point.offered, 0)).toBe(
      analysis.totals.offered,
    );
    expect(model.trend.every((point) => point.previousOffered !== undefined)).toBe(true);
    expect(model.trend.reduce((sum, p) => sum + (p.previousOffered ?? 0), 0)).toBe(
      analysis.previous!.totals.offered,
    );
    expect(model.worstAccounts.length).toBeGreaterThan(0);
  });

  it("draws the page with a strict CSP, no remote resource and one tab stop in the heatmap", async () => {
    const model = dashboardModel(await report());
    const html = dashboardHtml({ kind: "ready", model, filters: "" }, page);
    expect(contentSecurityPolicy(page)).toBe(
      `default-src 'none'; img-src ${page.cspSource} data:; style-src 'nonce-${page.nonce}'; script-src 'nonce-${page.nonce}'`,
    );
    expect(html).toContain(`<script nonce="${page.nonce}">`);
    expect(html).not.toMatch(/https?:\/\/|<link|\ssrc=|\sstyle=/);
    expect(html.match(/class="cell[^"]*"/g)).toHaveLength(168);
    expect(html.match(/class="cell[^>]*tabindex="0"/g)).toHaveLength(1);
    expect(html).toContain('aria-label="Mon 00:00–01:00:');
    for (const label of ["Answer rate", "Abandon rate", "Service level", "ASA"])
      expect(html).toContain(`<div class="label">${label}</div>`);
    expect(html).toContain('<polyline class="previous"');
    // Colours are the theme's.
    expect(html).toContain("var(--vscode-charts-blue)");
    expect(html).not.toMatch(/#[0-9a-f]{6}\b/i);
  });

  it("escapes every name, marks the selected cell, and words the other states", () => {
    const model: DashboardModel = {
      title: "t",
      period: "<b>week</b>",
      previousPeriod: undefined,
      tiles: [],
      heatmap: [
        { weekday: 2, hour: 9, offered: 1, answered: 0, missed: 1, intensity: 1, label: 'a"b' },
      ],
      trend: [],
      worstAccounts: [
        { label: "<script>x</script>", abandonRate: "50%", answerRate: "50%", offered: 4 },
      ],
      worstCustomers: [],
      completeness: "",
      offered: 1,
    };
    const body = bodyOf({ kind: "ready", model, filters: "", selected: { weekday: 2, hour: 9 } });
    expect(body).not.toContain("<script>");
    expect(body).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(body).toContain("&lt;b&gt;week&lt;/b&gt;");
    expect(body).toContain('aria-label="a&quot;b"');
    expect(body).toMatch(/class="cell has-missed selected" role="gridcell" tabindex="0"/);
    expect(body).toContain("Sessions view: <strong>Tue 09:00–10:00</strong> only.");
    expect(bodyOf({ kind: "signedOut" })).toMatch(/Sign in/);
    expect(bodyOf({ kind: "error", message: "<x>" })).toContain("&lt;x&gt;");
  });

  it("accepts only well-formed messages from the webview", () => {
    expect(parseDashboardMessage({ type: "filterSlot", weekday: 1, hour: 14 })).toEqual({
      type: "filterSlot",
      weekday: 1,
      hour: 14,
    });
    expect(parseDashboardMessage({ type: "ready", extra: 1 })).toEqual({ type: "ready" });
    expect(parseDashboardMessage({ type: "clearSlot" })).toEqual({ type: "clearSlot" });
    for (const bad of [
      null,
      "filterSlot",
      { type: "filterSlot", weekday: 7, hour: 1 },
      { type: "filterSlot", weekday: 1, hour: 24 },
      { type: "filterSlot", weekday: "1", hour: 2 },
      { type: "filterSlot", weekday: 1.5, hour: 2 },
      { type: "runCommand", command: "workbench.action.quit" },
    ])
      expect(parseDashboardMessage(bad)).toBeUndefined();
  });

  it("a heatmap cell filters the tree to that weekday and hour, and Show all hours undoes it", async () => {
    const { panel, send } = fakeWebviewPanel();
    vscode.window.createWebviewPanel = vi.fn(() => panel) as never;
    const api = suite.ext.api;
    await vscode.commands.executeCommand("evoSessions.openDashboard");
    const dashboard = api.dashboard.panel!;
    await vi.waitFor(() => expect(dashboard.state.kind).toBe("ready"));
    expect(panel.webview.html).toContain('data-state="ready"');
    // The busiest cell, so that the tree has rows to show.
    const model = (dashboard.state as { model: DashboardModel }).model;
    const cell = [...model.heatmap].sort((a, b) => b.offered - a.offered)[0]!;

    send({ type: "filterSlot", weekday: cell.weekday, hour: cell.hour });
    await vi.waitFor(() => expect(api.filters.filters.weekdays).toEqual([cell.weekday]));
    expect(api.filters.filters.hours).toEqual([cell.hour]);
    await settled(api);
    const sessions = api.feed.sessions;
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) {
      const parts = zonedParts(startedAt(session)!, TEST_TIME_ZONE);
      expect([parts.weekday, parts.hour]).toEqual([cell.weekday, cell.hour]);
    }
    expect(suite.ext.view.description).toContain(
      `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][cell.weekday]} ${String(cell.hour).padStart(2, "0")}:00`,
    );
    // The dashboard keeps every cell (its query drops the slot) and marks the chosen one.
    await vi.waitFor(() => expect(panel.webview.html).toContain("Sessions view: <strong>"));
    expect(panel.webview.html.match(/class="cell[^"]*"/g)).toHaveLength(168);
    expect(panel.webview.html).toMatch(/class="cell[^"]* selected"/);

    send({ type: "clearSlot" });
    await vi.waitFor(() => expect(api.filters.filters.weekdays).toBeUndefined());
    expect(api.filters.hasFilters).toBe(false);
    panel.dispose();
    expect(api.dashboard.panel).toBeUndefined();
  });

  it("reads the view's filters with the slot dropped and a week when no dates are set", () => {
    const query = dashboardQuery(
      { missed: true, weekdays: [1], hours: [9], from: "555" },
      FIXED_NOW,
      TEST_TIME_ZONE,
    );
    expect(query.where).toEqual({ missed: true });
    expect(query.resolvedRange?.preset).toBe("last-7-days");
    expect(query.params.from).toBe("555");
    const tree = filtersToQuery(
      { weekdays: [1], hours: [9] },
      { now: FIXED_NOW, timeZone: TEST_TIME_ZONE },
    );
    expect(tree.where).toEqual({ weekdays: [1], hours: [9], timeZone: TEST_TIME_ZONE });
    expect(SessionQuery.isSessionQuery(tree)).toBe(true);
  });
});
