/**
 * The webview's own script, as text served inline under the page's nonce (no file, no remote
 * resource). It only moves focus and posts messages: everything drawn comes from the extension
 * as HTML. The heatmap is one tab stop (a roving tabindex): arrow keys move between cells,
 * Home/End to the day's first and last hour, Enter or Space filters the tree to the cell.
 */
export const DASHBOARD_SCRIPT = `(() => {
  const vscode = acquireVsCodeApi();
  const post = (message) => vscode.postMessage(message);
  const cells = () => [...document.querySelectorAll(".cell")];
  const at = (weekday, hour) =>
    document.querySelector('.cell[data-row="' + weekday + '"][data-hour="' + hour + '"]');
  const choose = (cell) =>
    post({ type: "filterSlot", weekday: Number(cell.dataset.weekday), hour: Number(cell.dataset.hour) });
  const focus = (cell) => {
    if (!cell) return;
    for (const other of cells()) other.setAttribute("tabindex", "-1");
    cell.setAttribute("tabindex", "0");
    cell.focus();
  };
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const cell = target?.closest(".cell");
    if (cell) { focus(cell); choose(cell); return; }
    const action = target?.closest("[data-action]");
    if (action) post({ type: action.getAttribute("data-action") });
  });
  document.addEventListener("keydown", (event) => {
    const cell = event.target instanceof Element ? event.target.closest(".cell") : null;
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const hour = Number(cell.dataset.hour);
    const moves = {
      ArrowLeft: [row, hour - 1], ArrowRight: [row, hour + 1],
      ArrowUp: [row - 1, hour], ArrowDown: [row + 1, hour],
      Home: [row, 0], End: [row, 23],
    };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      choose(cell);
    } else if (moves[event.key]) {
      event.preventDefault();
      const [r, h] = moves[event.key];
      focus(at(r, h));
    }
  });
  post({ type: "ready" });
})();`;
