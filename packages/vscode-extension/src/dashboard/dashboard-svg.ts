/**
 * The dashboard's charts as SVG text, drawn here rather than by a chart library: two small
 * charts do not justify a dependency, and generated SVG needs no remote resource and follows the
 * theme through CSS classes (colours are VS Code's CSS variables, set in dashboard-html.ts).
 * Only presentation attributes are used, never inline `style`: the page's CSP forbids it.
 */
import { slotLabel, WEEKDAY_NAMES, type HeatCell, type TrendPoint } from "./dashboard-model.js";
import { escapeHtml } from "./html-text.js";

const CELL = 22;
const GAP = 2;
const LEFT = 40;
const TOP = 18;
/** Rows top to bottom: Monday first. */
const ROW_WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];

/** A heatmap cell the tree is filtered to, drawn outlined. */
export interface SelectedSlot {
  weekday: number;
  hour: number;
}

/**
 * The hour × weekday heatmap: one focusable cell per slot (a roving tabindex: the selected or
 * else the first cell is the tab stop), shaded by the calls offered.
 */
export function heatmapSvg(cells: readonly HeatCell[], selected?: SelectedSlot): string {
  const width = LEFT + 24 * (CELL + GAP);
  const height = TOP + 7 * (CELL + GAP);
  const stop = selected ?? { weekday: 1, hour: 0 };
  const hours = [0, 3, 6, 9, 12, 15, 18, 21]
    .map((hour) => {
      const x = LEFT + hour * (CELL + GAP);
      return `<text class="axis" x="${x}" y="12">${String(hour).padStart(2, "0")}</text>`;
    })
    .join("");
  const rows = ROW_WEEKDAYS.map((weekday, row) => {
    const y = TOP + row * (CELL + GAP);
    const name = WEEKDAY_NAMES[weekday] ?? "?";
    const rowCells = cells
      .filter((cell) => cell.weekday === weekday)
      .map((cell) => cellSvg(cell, row, y, stop, selected))
      .join("");
    return `<g role="row"><text class="axis" x="0" y="${y + CELL - 7}" role="rowheader">${name}</text>${rowCells}</g>`;
  }).join("");
  return (
    `<svg class="heatmap" role="grid" aria-label="Calls offered by hour and weekday; press Enter on a cell to filter the Sessions view" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${hours}${rows}</svg>`
  );
}

function cellSvg(
  cell: HeatCell,
  row: number,
  y: number,
  stop: SelectedSlot,
  selected: SelectedSlot | undefined,
): string {
  const x = LEFT + cell.hour * (CELL + GAP);
  const isStop = cell.weekday === stop.weekday && cell.hour === stop.hour;
  const isSelected = cell.weekday === selected?.weekday && cell.hour === selected.hour;
  // Empty slots stay faintly visible so the grid reads as a grid.
  const opacity = cell.offered === 0 ? 0.06 : 0.2 + 0.8 * cell.intensity;
  const classes = ["cell", cell.missed > 0 ? "has-missed" : "", isSelected ? "selected" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    `<rect class="${classes}" role="gridcell" tabindex="${isStop ? 0 : -1}" ` +
    `aria-selected="${isSelected}" aria-label="${escapeHtml(cell.label)}" ` +
    `data-row="${row}" data-hour="${cell.hour}" data-weekday="${cell.weekday}" ` +
    `x="${x}" y="${y}" width="${CELL}" height="${CELL}" rx="3" fill-opacity="${opacity.toFixed(2)}">` +
    `<title>${escapeHtml(cell.label)}</title></rect>`
  );
}

const TREND_WIDTH = 616;
const TREND_HEIGHT = 170;
const PAD = { left: 36, right: 8, top: 10, bottom: 24 };

/** Calls offered per day, this period (solid) against the previous one (dashed). */
export function trendSvg(points: readonly TrendPoint[]): string {
  if (points.length === 0) return `<p class="muted">No days to draw.</p>`;
  const max = Math.max(1, ...points.map((p) => Math.max(p.offered, p.previousOffered ?? 0)));
  const plotWidth = TREND_WIDTH - PAD.left - PAD.right;
  const plotHeight = TREND_HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) =>
    PAD.left + (points.length === 1 ? plotWidth / 2 : (index * plotWidth) / (points.length - 1));
  const y = (value: number) => PAD.top + plotHeight - (value * plotHeight) / max;
  const line = (values: (number | undefined)[]) =>
    values
      .map((value, index) =>
        value === undefined ? "" : `${x(index).toFixed(1)},${y(value).toFixed(1)}`,
      )
      .filter(Boolean)
      .join(" ");
  const current = line(points.map((p) => p.offered));
  const previous = line(points.map((p) => p.previousOffered));
  const dots = points
    .map(
      (p, index) =>
        `<circle class="dot" cx="${x(index).toFixed(1)}" cy="${y(p.offered).toFixed(1)}" r="2.5"><title>${escapeHtml(
          `${p.day}: ${p.offered} offered, ${p.missed} missed${p.previousOffered === undefined ? "" : `; previous period ${p.previousOffered}`}`,
        )}</title></circle>`,
    )
    .join("");
  const first = points[0]?.day ?? "";
  const last = points[points.length - 1]?.day ?? "";
  const summary = `Calls offered per day from ${first} to ${last}, at most ${max} a day`;
  return (
    `<svg class="trend" role="img" aria-label="${escapeHtml(summary)}" width="${TREND_WIDTH}" height="${TREND_HEIGHT}" viewBox="0 0 ${TREND_WIDTH} ${TREND_HEIGHT}">` +
    `<line class="grid" x1="${PAD.left}" x2="${TREND_WIDTH - PAD.right}" y1="${y(0)}" y2="${y(0)}"/>` +
    `<line class="grid" x1="${PAD.left}" x2="${TREND_WIDTH - PAD.right}" y1="${y(max)}" y2="${y(max)}"/>` +
    `<text class="axis" x="0" y="${y(max) + 4}">${max}</text><text class="axis" x="0" y="${y(0) + 4}">0</text>` +
    `<text class="axis" x="${PAD.left}" y="${TREND_HEIGHT - 6}">${escapeHtml(first)}</text>` +
    `<text class="axis" x="${TREND_WIDTH - PAD.right}" y="${TREND_HEIGHT - 6}" text-anchor="end">${escapeHtml(last)}</text>` +
    (previous === "" ? "" : `<polyline class="previous" points="${previous}"/>`) +
    `<polyline class="current" points="${current}"/>${dots}</svg>`
  );
}

export { slotLabel };
