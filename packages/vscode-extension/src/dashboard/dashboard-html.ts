/**
 * The dashboard page as HTML text, from the model: a pure function, unit-tested, with the
 * content security policy that lets in only the page's own nonce'd style and script (no remote
 * resource, no inline `style`, no `eval`). Colours are VS Code's theme variables, so the page
 * follows light, dark and high-contrast themes.
 */
import type { DashboardModel, Tile, WorstRow } from "./dashboard-model.js";
import { heatmapSvg, slotLabel, trendSvg, type SelectedSlot } from "./dashboard-svg.js";
import { escapeHtml } from "./html-text.js";

/** What the page shows. */
export type DashboardState =
  | { kind: "loading"; what: string }
  | { kind: "error"; message: string }
  | { kind: "signedOut" }
  | { kind: "ready"; model: DashboardModel; filters: string; selected?: SelectedSlot };

/** How the page is served: the webview's CSP source and a fresh nonce per render. */
export interface PageContext {
  cspSource: string;
  nonce: string;
  script: string;
}

/** The content security policy of the page. */
export function contentSecurityPolicy(context: Pick<PageContext, "cspSource" | "nonce">): string {
  return [
    "default-src 'none'",
    `img-src ${context.cspSource} data:`,
    `style-src 'nonce-${context.nonce}'`,
    `script-src 'nonce-${context.nonce}'`,
  ].join("; ");
}

/** The whole document for `state`. */
export function dashboardHtml(state: DashboardState, context: PageContext): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(context))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Evo Voice dashboard</title>
<style nonce="${context.nonce}">${STYLE}</style>
</head>
<body>
<main id="dashboard" data-state="${state.kind}">
${bodyOf(state)}
</main>
<script nonce="${context.nonce}">${context.script}</script>
</body>
</html>`;
}

/** The page's main content for `state`. */
export function bodyOf(state: DashboardState): string {
  switch (state.kind) {
    case "loading":
      return `<h1>Dashboard</h1><p class="muted" role="status">Reading ${escapeHtml(state.what)}…</p>`;
    case "signedOut":
      return `<h1>Dashboard</h1><p>Sign in to Evo Voice (or try the sandbox) to see the dashboard.</p>`;
    case "error":
      return `<h1>Dashboard</h1><p class="error" role="alert">${escapeHtml(state.message)}</p><p><button data-action="refresh">Try again</button></p>`;
    case "ready":
      return readyBody(state.model, state.filters, state.selected);
  }
}

function readyBody(model: DashboardModel, filters: string, selected?: SelectedSlot): string {
  const compared =
    model.previousPeriod === undefined
      ? ""
      : ` · compared with ${escapeHtml(model.previousPeriod)}`;
  const slot =
    selected === undefined
      ? `<p class="muted" id="slot">Click or press Enter on a cell to show only that hour in the Sessions view.</p>`
      : `<p id="slot" role="status">Sessions view: <strong>${escapeHtml(slotLabel(selected.weekday, selected.hour))}</strong> only. <button data-action="clearSlot">Show all hours</button></p>`;
  return `<header><h1>Dashboard</h1><button data-action="refresh" title="Read the sessions again">Refresh</button></header>
<p class="period"><strong>${escapeHtml(model.period)}</strong>${compared}</p>
<p class="muted">${escapeHtml(filters === "" ? "No filters" : `Filters: ${filters}`)} · ${escapeHtml(model.completeness)}</p>
<section class="tiles" aria-label="Key figures">${model.tiles.map(tileHtml).join("")}</section>
<section aria-labelledby="heatmap-title"><h2 id="heatmap-title">Calls offered by hour and weekday</h2>${slot}${heatmapSvg(model.heatmap, selected)}</section>
<section aria-labelledby="trend-title"><h2 id="trend-title">Calls offered per day</h2>
<p class="legend"><span class="swatch current"></span>this period <span class="swatch previous"></span>previous period</p>${trendSvg(model.trend)}</section>
<div class="columns">
<section aria-labelledby="worst-accounts"><h2 id="worst-accounts">Worst accounts by abandon rate</h2>${worstTable(model.worstAccounts, "Account")}</section>
<section aria-labelledby="worst-customers"><h2 id="worst-customers">Worst customers by abandon rate</h2>${worstTable(model.worstCustomers, "Customer")}</section>
</div>`;
}

function tileHtml(tile: Tile): string {
  const tone = tile.improved === undefined ? "same" : tile.improved ? "better" : "worse";
  const words = tile.improved === undefined ? "" : tile.improved ? " (better)" : " (worse)";
  const previous =
    tile.previous === undefined
      ? ""
      : `<div class="previous">previous ${escapeHtml(tile.previous)}${
          tile.delta === undefined
            ? ""
            : ` · <span class="delta ${tone}">${escapeHtml(tile.delta)}${words}</span>`
        }</div>`;
  return `<div class="tile" id="tile-${tile.id}" title="${escapeHtml(tile.definition)}"><div class="label">${escapeHtml(tile.label)}</div><div class="value">${escapeHtml(tile.value)}</div>${previous}</div>`;
}

function worstTable(rows: readonly WorstRow[], heading: string): string {
  if (rows.length === 0) return `<p class="muted">None with at least 3 calls offered.</p>`;
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(row.abandonRate)}</td><td>${escapeHtml(row.answerRate)}</td><td>${row.offered}</td></tr>`,
    )
    .join("");
  return `<table><thead><tr><th scope="col">${heading}</th><th scope="col">Abandoned</th><th scope="col">Answered</th><th scope="col">Offered</th></tr></thead><tbody>${body}</tbody></table>`;
}

const STYLE = `
body { color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); padding: 0 20px 24px; }
header { display: flex; align-items: center; gap: 16px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 16px 0 4px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 20px 0 6px; }
.muted, .previous, .axis, .legend { color: var(--vscode-descriptionForeground); }
.error { color: var(--vscode-errorForeground); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background);
  border: 1px solid var(--vscode-button-border, transparent); padding: 3px 10px; cursor: pointer;
  font-family: inherit; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:focus-visible, .cell:focus-visible { outline: 2px solid var(--vscode-focusBorder); outline-offset: 1px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 12px; }
.tile { min-width: 150px; padding: 10px 14px; border: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent));
  background: var(--vscode-sideBar-background, transparent); border-radius: 4px; }
.tile .label { color: var(--vscode-descriptionForeground); }
.tile .value { font-size: 1.8em; font-weight: 600; margin: 2px 0; }
.delta.better { color: var(--vscode-charts-green); }
.delta.worse { color: var(--vscode-errorForeground); }
svg text { fill: var(--vscode-descriptionForeground); font-size: 11px; font-family: var(--vscode-font-family); }
.cell { fill: var(--vscode-charts-blue); cursor: pointer; outline: none; }
.cell.selected { stroke: var(--vscode-focusBorder); stroke-width: 2.5; }
.cell:focus { stroke: var(--vscode-focusBorder); stroke-width: 2; }
.trend .grid { stroke: var(--vscode-panel-border, var(--vscode-descriptionForeground)); stroke-opacity: 0.5; }
.trend .current { fill: none; stroke: var(--vscode-charts-blue); stroke-width: 2; }
.trend .previous { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.5; stroke-dasharray: 4 3; }
.trend .dot { fill: var(--vscode-charts-blue); }
.swatch { display: inline-block; width: 18px; height: 0; vertical-align: middle; margin: 0 4px 0 10px; }
.swatch.current { border-top: 2px solid var(--vscode-charts-blue); }
.swatch.previous { border-top: 2px dashed var(--vscode-descriptionForeground); }
.columns { display: flex; flex-wrap: wrap; gap: 32px; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 12px 3px 0; white-space: nowrap; }
td { font-variant-numeric: tabular-nums; }
thead th { color: var(--vscode-descriptionForeground); font-weight: normal;
  border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-descriptionForeground)); }
`;
