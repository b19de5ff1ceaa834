// Issue 17's scenarios, in the order a support lead works: missed calls from yesterday, that
// search saved and found again after a reload, the dashboard and a heatmap cell filtering the
// tree, a callback marked done, a customer picked by name, the view exported to CSV. They run
// inside the main suite's session (registered by extension.e2e.test.ts, signed in as `msp`).
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@evo-sessions/sandbox";
import { expect, test } from "vitest";
import type { CodeServer } from "../src/code-server.js";
import { REPO_DIR } from "../src/config.js";
import {
  dayKey,
  readTree,
  recentSessions,
  rowsOutside,
  startOf,
  type SandboxSession,
} from "../src/session-oracle.js";
import { waitUntil, type TreeRow, type Workbench } from "../src/workbench.js";

/** What the steps read from the running suite (assigned in its beforeAll, so read lazily). */
export interface SuiteContext {
  wb(): Workbench;
  sandbox(): Sandbox;
  codeServer(): CodeServer;
  /** The sandbox's clock at start (its archive cutoff). */
  sandboxNow(): Date;
  /** The demo user `msp`'s accounts. */
  accountIds(): readonly string[];
  pageSize: number;
  container: string;
  step(name: string, body: () => Promise<void>): void;
}

const COMMAND = {
  missedOnly: "evoSessions.filter.missedOnly",
  dateRange: "evoSessions.filter.dateRange",
  customers: "evoSessions.filter.customers",
  clear: "evoSessions.filter.clear",
  save: "evoSessions.savedSearch.save",
  deleteSaved: "evoSessions.savedSearch.delete",
  dashboard: "evoSessions.openDashboard",
  refreshCallbacks: "evoSessions.callbacks.refresh",
  markDone: "evoSessions.callbacks.markDone",
  export: "evoSessions.export",
} as const;
const SAVED_NAME = "Missed yesterday";
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_MS = 86_400_000;

/** Commands the packaged extension contributes (a scenario whose feature has not landed is skipped). */
const contributed = new Set(
  (
    JSON.parse(
      readFileSync(join(REPO_DIR, "packages", "vscode-extension", "package.json"), "utf8"),
    ) as { contributes: { commands: { command: string }[] } }
  ).contributes.commands.map((entry) => entry.command),
);

const clock = (hour: number) => `${String(hour).padStart(2, "0")}:00`;
const slotText = (weekday: number, hour: number) =>
  `${WEEKDAYS[weekday]} ${clock(hour)}–${clock(hour + 1)}`;

/** Registers the scenarios, in order. */
export function supportLeadSteps(ctx: SuiteContext): void {
  const rowsOf = (rows: TreeRow[]) => readTree(rows).sessions;
  const recent = () => recentSessions(ctx.sandbox().data, ctx.accountIds(), ctx.sandboxNow());
  /** Exactly the first page of `expected` is on screen (every row one of them, as many). */
  const showsFirstPageOf = (rows: TreeRow[], expected: readonly SandboxSession[], now: Date) => {
    const shown = rowsOf(rows);
    const wanted = Math.min(expected.length, ctx.pageSize);
    return shown.length === wanted && rowsOutside(shown, expected, now).length === 0;
  };

  ctx.step("Missed Only and Yesterday: only yesterday's missed calls are listed", async () => {
    const wb = ctx.wb();
    const now = new Date();
    const yesterday = dayKey(new Date(now.getTime() - DAY_MS));
    const expected = recent().filter(
      (s) => s.wasMissed === true && dayKey(startOf(s)) === yesterday,
    );
    expect(expected.length, "missed calls yesterday in the sandbox").toBeGreaterThan(0);

    await wb.runCommand(COMMAND.missedOnly);
    await wb.runCommand(COMMAND.dateRange);
    await wb.waitForQuickInput(/Filter by Date Range/);
    await wb.pick(/^Yesterday$/);
    await waitUntil(
      "the description to name both filters",
      () => wb.viewDescription(ctx.container),
      (text) => text.includes("Yesterday") && /missed/i.test(text),
      wb.timeout(30_000),
    );
    const rows = await wb.waitForTreeRows(
      ctx.container,
      `the ${expected.length} missed calls of ${yesterday}`,
      (found) => showsFirstPageOf(found, expected, now),
      60_000,
    );
    await wb.screenshot("missed-yesterday");
    expect(readTree(rows).days).toEqual(["Yesterday"]);
  });

  ctx.step(
    "that search saved to the workspace is a category with its count after a reload",
    async () => {
      const wb = ctx.wb();
      const workspaceFile = join(ctx.codeServer().workspaceDir, ".vscode", "evo-sessions.json");
      await wb.runCommand(COMMAND.save);
      await wb.waitForQuickInput(/Save Current Filters as/);
      await wb.typeAndSubmit(SAVED_NAME);
      await wb.waitForQuickInput(/Save the Search Where/);
      await wb.pick(/This workspace/);
      await waitUntil(
        `${workspaceFile} to hold "${SAVED_NAME}"`,
        async () => (existsSync(workspaceFile) ? readFile(workspaceFile, "utf8") : ""),
        (text) => text.includes(SAVED_NAME),
        wb.timeout(15_000),
      );

      await wb.page.reload();
      await wb.open(wb.page.url());
      await wb.showContainer(ctx.container);
      const now = new Date();
      const yesterday = dayKey(new Date(now.getTime() - DAY_MS));
      const count = recent().filter(
        (s) => s.wasMissed === true && dayKey(startOf(s)) === yesterday,
      ).length;
      const countText = count > ctx.pageSize ? `${ctx.pageSize}+` : String(count);
      const rows = await wb.waitForTreeRows(
        ctx.container,
        `"${SAVED_NAME}" as a top-level category counting ${countText}`,
        (found) =>
          found.some(
            (row) =>
              row.level === 1 &&
              row.label === SAVED_NAME &&
              row.description.startsWith(`${countText} ·`),
          ),
        90_000,
      );
      await wb.screenshot("saved-search-after-reload");
      expect(rows.find((row) => row.label === SAVED_NAME)?.description).toMatch(/workspace/);
      // The filters themselves were kept per workspace too.
      expect(await wb.viewDescription(ctx.container)).toContain("Yesterday");

      // Left as it was found: no category to confuse the later steps' day headings.
      await wb.runCommand(COMMAND.deleteSaved);
      await wb.waitForQuickInput(/Which Saved Search|Delete/);
      await wb.pick(SAVED_NAME);
      // The extension asks before deleting, in VS Code's modal dialog.
      const confirm = wb.page.locator(".monaco-dialog-box .monaco-button", { hasText: /^Delete$/ });
      await confirm.first().waitFor({ timeout: wb.timeout(15_000) });
      await wb.screenshot("saved-search-delete-confirm");
      await confirm.first().click();
      await wb.waitForTreeRows(
        ctx.container,
        `no "${SAVED_NAME}" category`,
        (found) => !found.some((row) => row.label === SAVED_NAME),
        30_000,
      );
      await rm(workspaceFile, { force: true });
    },
  );

  ctx.step(
    "the dashboard draws the week's KPIs, and clicking a heatmap cell filters the tree",
    async () => {
      const wb = ctx.wb();
      await wb.runCommand(COMMAND.clear);
      await wb.runCommand(COMMAND.dateRange);
      await wb.waitForQuickInput(/Filter by Date Range/);
      await wb.pick(/^Last 7 days$/);
      await waitUntil(
        "the description to show only the week",
        () => wb.viewDescription(ctx.container),
        (text) => text.includes("Last 7 days") && !/missed/i.test(text),
        wb.timeout(30_000),
      );

      await wb.runCommand(COMMAND.dashboard);
      const ready = '#dashboard[data-state="ready"]';
      const frame = await waitUntil(
        "the dashboard to draw",
        () => wb.webviewFrame(ready),
        (found) => found !== undefined,
        wb.timeout(60_000),
      );
      const text = await frame!.evaluate(() => document.body.innerText);
      for (const label of ["Answer rate", "Abandon rate", "Service level", "ASA"])
        expect(text).toContain(label);
      expect(text).toMatch(/Last 7 days/);
      expect(text).toMatch(/compared with previous period/);
      expect(await frame!.locator(".cell").count()).toBe(168);
      await wb.screenshot("dashboard");

      // The busiest cell: the tree will have rows to show.
      const cells = await frame!.locator(".cell").evaluateAll((elements) =>
        elements.map((el) => ({
          weekday: Number(el.getAttribute("data-weekday")),
          hour: Number(el.getAttribute("data-hour")),
          offered: Number(/: (\d+) offered/.exec(el.getAttribute("aria-label") ?? "")?.[1] ?? 0),
        })),
      );
      const busiest = [...cells].sort((a, b) => b.offered - a.offered)[0]!;
      expect(busiest.offered).toBeGreaterThan(0);
      await frame!
        .locator(`.cell[data-weekday="${busiest.weekday}"][data-hour="${busiest.hour}"]`)
        .click();
      await expectSlot(busiest.weekday, busiest.hour);

      // The keyboard does the same: the next hour, then Enter.
      if (busiest.hour < 23) {
        const again = await waitUntil(
          "the dashboard to mark the chosen cell",
          () => wb.webviewFrame(".cell.selected"),
          (found) => found !== undefined,
          wb.timeout(30_000),
        );
        await again!.locator(".cell.selected").focus();
        await again!.locator(".cell.selected").press("ArrowRight");
        await again!.locator('.cell[tabindex="0"]').press("Enter");
        await expectSlot(busiest.weekday, busiest.hour + 1);
      }
      await wb.screenshot("dashboard-cell-filters-tree");
      // Only the dashboard: the details left open are the sign-out step's to check.
      await wb.page
        .locator(".editor .tabs-container .tab", { hasText: "Evo Voice Dashboard" })
        .locator(".tab-actions a.action-label")
        .first()
        .click({ timeout: wb.timeout(15_000) });
      await waitUntil(
        "the dashboard's tab to close",
        () =>
          wb.page
            .locator(".editor .tabs-container .tab", { hasText: "Evo Voice Dashboard" })
            .count(),
        (n) => n === 0,
        wb.timeout(10_000),
      );
      await wb.runCommand(COMMAND.clear);
    },
  );

  /** The view says the slot, and lists exactly that slot's sessions of the last 7 days. */
  async function expectSlot(weekday: number, hour: number): Promise<void> {
    const wb = ctx.wb();
    const now = new Date();
    await waitUntil(
      `the description to show ${slotText(weekday, hour)}`,
      () => wb.viewDescription(ctx.container),
      (text) => text.includes(slotText(weekday, hour)),
      wb.timeout(30_000),
    );
    const first = dayKey(new Date(now.getTime() - 6 * DAY_MS));
    const expected = recent().filter((s) => {
      const start = startOf(s);
      return (
        dayKey(start) >= first && start.getUTCDay() === weekday && start.getUTCHours() === hour
      );
    });
    await wb.waitForTreeRows(
      ctx.container,
      `the ${expected.length} sessions of ${slotText(weekday, hour)} in the last 7 days`,
      (found) => (expected.length === 0 ? true : showsFirstPageOf(found, expected, now)),
      60_000,
    );
  }

  ctx.step("the Callbacks view lists callers to call back; Mark done removes one", async () => {
    const wb = ctx.wb();
    const title = "Callbacks";
    await wb.setViewExpanded(ctx.container, title, true);
    const before = await waitUntil(
      "callers in the Callbacks view",
      () => wb.viewRows(ctx.container, title),
      (rows) => rows.length > 0 && rows.every((row) => /tr(y|ies) · waiting/.test(row.description)),
      wb.timeout(60_000),
    );
    await wb.screenshot("callbacks");
    const target = before[0]!;
    // Who it is and how often they tried; the wait moves with the clock.
    const key = (row: TreeRow) => `${row.label}|${row.description.replace(/waiting [^·]+·/, "")}`;
    const same = (rows: TreeRow[]) => rows.filter((row) => key(row) === key(target)).length;
    await wb.clickRowAction(ctx.container, title, target.label, "Mark Callback Done");
    const after = await waitUntil(
      `${target.label} to leave the Callbacks view`,
      () => wb.viewRows(ctx.container, title),
      (rows) => same(rows) === same(before) - 1,
      wb.timeout(30_000),
    );
    expect(after.length).toBeLessThanOrEqual(before.length);
    await wb.screenshot("callback-marked-done");
    // Read again from the server: the mark is the workspace's, so it stays done.
    await wb.runCommand(COMMAND.refreshCallbacks);
    await waitUntil(
      "the Callbacks view read again, still without the caller marked done",
      () => wb.viewRows(ctx.container, title),
      (rows) => rows.length > 0 && same(rows) === same(before) - 1,
      wb.timeout(30_000),
    );
    await wb.setViewExpanded(ctx.container, title, false);
  });

  ctx.step("Filter by Customers: a customer picked by name shows only their sessions", async () => {
    const wb = ctx.wb();
    const now = new Date();
    await wb.runCommand(COMMAND.customers);
    const picker = await wb.waitForQuickInput(/Filter by Customers/);
    const byName = new Map<string, SandboxSession[]>();
    for (const session of recent()) {
      const name = session.customerName ?? "";
      if (name !== "") byName.set(name, [...(byName.get(name) ?? []), session]);
    }
    // A customer the picker offers by name with at least two sessions.
    const name = picker.items.find((item) => (byName.get(item)?.length ?? 0) >= 2);
    expect(name, `a customer among ${JSON.stringify(picker.items)}`).toBeDefined();
    const expected = byName.get(name!)!;
    await wb.page.keyboard.type(name!);
    await wb.toggle(name!);
    await wb.screenshot("customer-picked-by-name");
    await wb.accept();
    await waitUntil(
      `the description to name ${name}`,
      () => wb.viewDescription(ctx.container),
      (text) => text.includes(name!),
      wb.timeout(30_000),
    );
    await wb.waitForTreeRows(
      ctx.container,
      `only the sessions of ${name}`,
      (found) => showsFirstPageOf(found, expected, now),
      60_000,
    );
    await wb.screenshot("customer-sessions");
    await wb.runCommand(COMMAND.clear);
  });

  // The export command is being built (issue 17, "Export"): this runs once it is contributed.
  test.skipIf(!contributed.has(COMMAND.export))(
    "Export: the current view to CSV, read back from the file",
    async () => {
      const wb = ctx.wb();
      const file = join(ctx.codeServer().workspaceDir, "missed-yesterday.csv");
      await wb.runCommand(COMMAND.missedOnly);
      try {
        await wb.runCommand(COMMAND.export);
        await wb.waitForQuickInput(/CSV/);
        await wb.pick(/CSV/);
        // VS Code's own save dialog in code-server: a path box.
        await wb.waitForQuickInput(/./);
        await wb.submitSavePath(file);
        const csv = await waitUntil(
          `${file} to be written`,
          async () => (existsSync(file) ? readFile(file, "utf8") : ""),
          (text) => text.split("\n").length > 1,
          wb.timeout(60_000),
        );
        const expected = recent().filter((s) => s.wasMissed === true);
        const lines = csv.trim().split(/\r?\n/);
        expect(lines.length - 1).toBeGreaterThan(0);
        for (const line of lines.slice(1))
          expect(expected.some((s) => line.includes(s.id as string))).toBe(true);
        await wb.screenshot("exported-csv");
      } finally {
        // Whatever happened, the next scenario starts from an unfiltered view and no open dialog.
        await wb.page.keyboard.press("Escape");
        await wb.runCommand(COMMAND.clear);
      }
    },
  );
}
