import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startSandbox, type DemoUser, type Sandbox } from "@evo-sessions/sandbox";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../src/chromium.js";
import { startCodeServer, type CodeServer } from "../src/code-server.js";
import { readConfig, REPO_DIR } from "../src/config.js";
import { readExtensionManifest } from "../src/extension-manifest.js";
import {
  clockOf,
  dayHeading,
  dayKey,
  expectedLabel,
  fromContains,
  readTree,
  recentSessions,
  rowsOutside,
  sessionsShownBy,
  startOf,
  writtenDay,
  type SandboxSession,
} from "../src/session-oracle.js";
import { waitUntil, Workbench, type TreeRow } from "../src/workbench.js";
import { supportLeadSteps } from "./support-lead.steps.js";

// The extension's contributions the scenarios drive (package.json of packages/vscode-extension).
const CONTAINER = "evoSessions";
const COMMAND = {
  signIn: "evoSessions.signIn",
  signOut: "evoSessions.signOut",
  refresh: "evoSessions.refresh",
  filter: "evoSessions.filter",
  filterFrom: "evoSessions.filter.from",
  filterDateRange: "evoSessions.filter.dateRange",
  clearFilters: "evoSessions.filter.clear",
} as const;
/** The live-call status-bar entry: `<publisher>.<extension name>.<item id>`. */
const LIVE_STATUS_ENTRY = "evo-sessions.evo-sessions-vscode.evoSessions.liveCalls";
/** The label of the extension's MCP server in VS Code's MCP list. */
const MCP_SERVER_LABEL = "Evo Voice Sessions";
const PAGE_SIZE = 25;
const DAY_MS = 86_400_000;

const config = readConfig();
let sandbox: Sandbox;
let codeServer: CodeServer;
let browser: Browser;
let wb: Workbench;
/** The sandbox's clock at start: its archive cutoff (15 days before) is fixed from then on. */
let sandboxNow: Date;
const consoleErrors: string[] = [];

/** A scenario step; on failure the screen is saved next to the other screenshots. */
function step(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      await wb
        ?.screenshot(`FAILED-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}`)
        .catch(() => {});
      throw error;
    }
  });
}

function demoUser(kind: DemoUser["kind"]): DemoUser {
  const user = sandbox.users.find((candidate) => candidate.kind === kind);
  if (user === undefined) throw new Error(`The sandbox has no ${kind} demo user.`);
  return user;
}

function accountName(id: string): string {
  return sandbox.data.accounts.find((account) => account.id === id)?.name ?? id;
}

function sessionRows(rows: TreeRow[]) {
  return readTree(rows).sessions;
}

/** Every rendered session row shows one of `expected`, under the right day heading. */
function expectRowsAmong(rows: TreeRow[], expected: readonly SandboxSession[], now: Date): void {
  const shown = sessionRows(rows);
  expect(shown.length, "session rows on screen").toBeGreaterThan(0);
  expect(rowsOutside(shown, expected, now), "rows that show no expected session").toEqual([]);
}

/** The headings a page of `sessions` is grouped under, newest day first. */
function headingsOf(sessions: readonly SandboxSession[], now: Date): string[] {
  return [...new Set(sessions.map((session) => dayHeading(dayKey(startOf(session)), now)))];
}

/**
 * Errors in the extension host's log that involve this extension (its files or its ID): VS Code
 * logs them without showing anything, e.g. a failed activation or a migration warning.
 */
function extensionErrors(log: string): string[] {
  return log
    .split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[)/)
    .filter((entry) => /^\S+ \S+ \[error\]/.test(entry) && /evo-sessions/i.test(entry))
    .map((entry) => entry.split("\n").slice(0, 4).join("\n"));
}

/** The newest `count` sessions of the demo user `msp` within the last `days` UTC days. */
function lastDays(days: number, now: Date): SandboxSession[] {
  const first = dayKey(new Date(now.getTime() - (days - 1) * DAY_MS));
  return recentSessions(sandbox.data, demoUser("multi").accountIds, sandboxNow).filter(
    (session) => dayKey(startOf(session)) >= first,
  );
}

beforeAll(async () => {
  for (const [what, path] of [
    ["Node 24", config.node24],
    ["code-server", config.codeServerEntry],
    ["Chromium", config.chromium],
    ["the packaged extension", config.vsix],
  ] as const) {
    if (!existsSync(path)) {
      throw new Error(
        `${what} is missing at ${path}: run \`pnpm test:e2e\` (it sets up and packages).`,
      );
    }
  }
  await rm(config.artifactsDir, { recursive: true, force: true });
  await mkdir(config.artifactsDir, { recursive: true });

  sandboxNow = new Date();
  sandbox = await startSandbox({ port: 0, sessions: 1500, seed: 7, now: sandboxNow });
  const manifest = await readExtensionManifest(
    join(REPO_DIR, "packages", "vscode-extension", "package.json"),
  );
  codeServer = await startCodeServer({
    config,
    logFile: join(config.artifactsDir, "code-server.log"),
    logsCopyDir: join(config.artifactsDir, "vscode-logs"),
    // One zone everywhere, so the suite knows which day a session belongs to.
    env: { TZ: "UTC" },
    userSettings: {
      "evoSessions.pageSize": PAGE_SIZE,
      "evoSessions.autoRefreshSeconds": 0,
      "evoSessions.timeZone": "UTC",
      // VS Code's MCP commands (MCP: List Servers) are part of its AI features.
      "chat.disableAIFeatures": false,
    },
  });
  browser = await launchChromium(config);
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  wb = new Workbench(page, {
    manifest,
    artifactsDir: config.artifactsDir,
    timeoutScale: config.timeoutScale,
  });
  await wb.open(codeServer.workbenchUrl);
});

afterAll(async () => {
  await writeFile(
    join(config.artifactsDir, "browser-console-errors.log"),
    consoleErrors.join("\n"),
  ).catch(() => {});
  await browser?.close().catch(() => {});
  await codeServer?.close().catch(() => {});
  await sandbox?.close().catch(() => {});
});

describe("Evo Voice Sessions in VS Code (code-server), driven in Chromium", () => {
  step("signed out, the welcome view offers Sign in and Try the sandbox", async () => {
    await wb.showContainer(CONTAINER);
    await wb.widenSideBar(560);
    const buttons = await waitUntil(
      "the welcome view's buttons",
      () => wb.welcomeButtons(CONTAINER),
      (found) => found.includes("Sign in") && found.includes("Try the sandbox"),
      wb.timeout(60_000),
    );
    expect(buttons).toEqual(expect.arrayContaining(["Sign in", "Try the sandbox"]));
    expect(await wb.welcomeText(CONTAINER)).toMatch(/Sign in to Evo Voice/);
    await wb.waitForTreeRows(
      CONTAINER,
      "no session rows",
      (found) => sessionRows(found).length === 0,
    );
    await wb.screenshot("signed-out-welcome");
  });

  step("connecting to the sandbox shows its sessions grouped by day", async () => {
    const msp = demoUser("multi");
    await wb.clickWelcomeButton(CONTAINER, "Connect to a sandbox URL");
    await wb.waitForQuickInput(/Connect to a Sandbox \(1\/2\)/);
    await wb.typeAndSubmit(sandbox.url);
    const users = await wb.waitForQuickInput(/demo user/);
    expect(users.items).toEqual(expect.arrayContaining(["msp", "demo", "admin"]));
    await wb.screenshot("connect-sandbox-pick-user");
    await wb.pick(msp.userName);

    const now = new Date();
    const firstPage = recentSessions(sandbox.data, msp.accountIds, sandboxNow).slice(0, PAGE_SIZE);
    const rows = await wb.waitForTreeRows(
      CONTAINER,
      "day groups of the sandbox's sessions",
      (found) => readTree(found).days.length > 0 && sessionRows(found).length > 0,
      60_000,
    );
    await wb.screenshot("sandbox-sessions-by-day");

    const tree = readTree(rows);
    const expectedHeadings = headingsOf(firstPage, now);
    expect(tree.days, "day headings, newest first").toEqual(
      expectedHeadings.slice(0, tree.days.length),
    );
    expect(tree.days[0]).toBe(dayHeading(dayKey(startOf(firstPage[0] as SandboxSession)), now));
    expectRowsAmong(rows, firstPage, now);
    // The newest session is the first row under the first heading.
    const first = tree.sessions[0];
    expect(first?.row.label).toBe(expectedLabel(firstPage[0] as SandboxSession));
    expect(await wb.viewDescription(CONTAINER)).toContain("Sandbox");
  });

  step(
    "signing in with a demo user and picking an account shows that account's sessions",
    async () => {
      const msp = demoUser("multi");
      const now = new Date();
      // The account with the most recent sessions that the user shares with no one else.
      const accountId = [...msp.accountIds].sort(
        (a, b) =>
          recentSessions(sandbox.data, [b], sandboxNow).length -
          recentSessions(sandbox.data, [a], sandboxNow).length,
      )[0] as string;
      const name = accountName(accountId);

      await wb.runCommand(COMMAND.signIn);
      await wb.waitForQuickInput(/\(1\/3\): server/);
      await wb.typeAndSubmit(sandbox.url);
      await wb.waitForQuickInput(/\(2\/3\): user name/);
      await wb.typeAndSubmit(msp.userName);
      await wb.waitForQuickInput(/\(3\/3\): password/);
      await wb.page.keyboard.type(msp.password);
      const typed = await wb.quickInput();
      // The box masks the password; the screenshot must not show it either.
      expect(
        await wb.page.locator(".quick-input-widget .quick-input-box input").getAttribute("type"),
      ).toBe("password");
      expect(typed.value).toBe(msp.password);
      await wb.page.keyboard.press("Enter");

      const accounts = await wb.waitForQuickInput(/Which accounts/, 60_000);
      expect(accounts.items).toEqual(
        expect.arrayContaining(msp.accountIds.map((id) => accountName(id))),
      );
      await wb.toggle(name);
      await wb.screenshot("sign-in-pick-account");
      await wb.accept();

      const expected = recentSessions(sandbox.data, [accountId], sandboxNow).slice(0, PAGE_SIZE);
      await waitUntil(
        `the view to name the account ${name}`,
        () => wb.viewDescription(CONTAINER),
        (description) => description.includes(name),
        wb.timeout(30_000),
      );
      const rows = await wb.waitForTreeRows(
        CONTAINER,
        `only sessions of ${name}`,
        (found) =>
          sessionRows(found).length > 0 &&
          rowsOutside(sessionRows(found), expected, now).length === 0,
        60_000,
      );
      await wb.screenshot("signed-in-one-account");
      expectRowsAmong(rows, expected, now);
      expect(readTree(rows).days).toEqual(
        headingsOf(expected, now).slice(0, readTree(rows).days.length),
      );
      expect(await wb.viewDescription(CONTAINER)).not.toContain("Sandbox");
    },
  );

  step(
    "a from-contains filter and a date range show in the description and every row matches",
    async () => {
      const msp = demoUser("multi");
      const now = new Date();
      const description = await wb.viewDescription(CONTAINER);
      const accountId = msp.accountIds.find((id) =>
        description.includes(accountName(id)),
      ) as string;
      expect(accountId, `the account named in "${description}"`).toBeDefined();

      // Three whole days ending the day before yesterday, and the caller-name word that matches
      // the most of that account's sessions in them.
      const start = dayKey(new Date(now.getTime() - 4 * DAY_MS));
      const end = dayKey(new Date(now.getTime() - 2 * DAY_MS));
      const inRange = recentSessions(sandbox.data, [accountId], sandboxNow).filter((session) => {
        const day = dayKey(startOf(session));
        return day >= start && day <= end;
      });
      const words = new Set<string>();
      for (const session of inRange) {
        for (const word of (session.fromName ?? "").split(/[^A-Za-z]+/)) {
          if (word.length >= 4) words.add(word);
        }
      }
      // A caller name that every matching row shows in its label, so the screenshot proves the
      // filter to a reader too; at most 20 matches, so they all fit on screen and can be counted.
      const candidates = [...words]
        .map((word) => ({
          word,
          matches: inRange.filter((session) => fromContains(session, word)),
        }))
        .filter(({ matches }) => matches.length >= 2 && matches.length <= 20)
        .map((entry) => ({
          ...entry,
          visible: entry.matches.every((session) =>
            expectedLabel(session).toLowerCase().includes(entry.word.toLowerCase()),
          ),
        }))
        .sort(
          (a, b) =>
            Number(b.visible) - Number(a.visible) ||
            b.matches.length - a.matches.length ||
            a.word.localeCompare(b.word),
        );
      const fromText = candidates[0]?.word;
      expect(fromText, "a caller name to filter by").toBeDefined();
      const matching = candidates[0]?.matches ?? [];
      expect(matching.length).toBeGreaterThan(0);
      expect(matching.length).toBeLessThanOrEqual(PAGE_SIZE);

      await wb.runCommand(COMMAND.filterFrom);
      await wb.waitForQuickInput(/Filter by From/);
      await wb.typeAndSubmit(fromText as string);
      await waitUntil(
        "the description to show the from filter",
        () => wb.viewDescription(CONTAINER),
        (text) => text.includes(`from "${fromText}"`),
        wb.timeout(30_000),
      );

      await wb.runCommand(COMMAND.filterDateRange);
      await wb.waitForQuickInput(/Filter by Date Range/);
      await wb.pick("Custom dates…");
      await wb.waitForQuickInput(/first day/);
      await wb.typeAndSubmit(start);
      await wb.waitForQuickInput(/last day/);
      await wb.screenshot("filter-date-range-last-day");
      await wb.typeAndSubmit(end);

      const rangeText = `${writtenDay(start)} – ${writtenDay(end)}`;
      const shownDescription = await waitUntil(
        "the description to show both filters",
        () => wb.viewDescription(CONTAINER),
        (text) => text.includes(rangeText) && text.includes(`from "${fromText}"`),
        wb.timeout(30_000),
      );
      expect(shownDescription).toContain(accountName(accountId));

      const expected = matching;
      const rows = await wb.waitForTreeRows(
        CONTAINER,
        `exactly the ${expected.length} sessions from "${fromText}" between ${start} and ${end}`,
        (found) => {
          const shown = sessionRows(found);
          return shown.length === expected.length && rowsOutside(shown, expected, now).length === 0;
        },
        60_000,
      );
      await wb.screenshot("filtered-from-and-date-range");
      expectRowsAmong(rows, expected, now);
      // The description is only worth something if a person can read it on screen. Soft: the
      // step goes on to clear the filters, so later steps start from the state they expect.
      const heading = await wb.visibleViewHeading(CONTAINER);
      expect
        .soft(heading, "the filters, readable at the top of the view")
        .toContain(`from "${fromText}"`);
      expect.soft(heading, "the date range, readable at the top of the view").toContain(rangeText);
      for (const day of readTree(rows).days) {
        expect(headingsOf(expected, now), `heading ${day} lies in the range`).toContain(day);
      }
      // Every row visibly matches: its session's caller contains the text, its day is in range.
      for (const row of sessionRows(rows)) {
        const session = sessionsShownBy(row, expected, now)[0] as SandboxSession;
        expect(fromContains(session, fromText as string)).toBe(true);
        expect(row.row.description.startsWith(clockOf(startOf(session)))).toBe(true);
      }

      await wb.runCommand(COMMAND.clearFilters);
      await waitUntil(
        "the description to drop the filters",
        () => wb.viewDescription(CONTAINER),
        (text) => !text.includes('from "') && !text.includes(rangeText),
        wb.timeout(30_000),
      );
      const everyAccount = recentSessions(sandbox.data, msp.accountIds, sandboxNow).slice(
        0,
        PAGE_SIZE,
      );
      const cleared = await wb.waitForTreeRows(
        CONTAINER,
        "the unfiltered sessions of every account again",
        (found) =>
          sessionRows(found).length > 0 &&
          rowsOutside(sessionRows(found), everyAccount, now).length === 0 &&
          sessionRows(found).some((row) => sessionsShownBy(row, matching, now).length === 0),
        60_000,
      );
      await wb.screenshot("filters-cleared");
      expectRowsAmong(cleared, everyAccount, now);
    },
  );

  step('"Load more…" adds a page', async () => {
    const msp = demoUser("multi");
    const now = new Date();
    const all = recentSessions(sandbox.data, msp.accountIds, sandboxNow);
    const total = all.length.toLocaleString("en-US");

    await wb.scrollTreeToEnd(CONTAINER);
    const before = await wb.waitForTreeRows(
      CONTAINER,
      `"Load more…" after the first ${PAGE_SIZE}`,
      (found) => found.some((row) => row.label === "Load more…"),
    );
    expect(before.find((row) => row.label === "Load more…")?.description).toBe(
      `${PAGE_SIZE} of ${total}`,
    );
    await wb.screenshot("load-more-before");

    await wb.clickTreeRow(CONTAINER, "Load more…");
    const after = await waitUntil(
      `"Load more…" to count ${2 * PAGE_SIZE}`,
      async () => {
        await wb.scrollTreeToEnd(CONTAINER);
        return wb.treeRows(CONTAINER);
      },
      (found) =>
        found.some(
          (row) => row.label === "Load more…" && row.description === `${2 * PAGE_SIZE} of ${total}`,
        ),
      wb.timeout(60_000),
    );
    await wb.screenshot("load-more-after");
    const secondPage = all.slice(PAGE_SIZE, 2 * PAGE_SIZE);
    expect(rowsOutside(sessionRows(after), all.slice(0, 2 * PAGE_SIZE), now)).toEqual([]);
    expect(
      sessionRows(after).filter((row) => sessionsShownBy(row, secondPage, now).length > 0).length,
      "rows of the second page on screen",
    ).toBeGreaterThan(0);
  });

  step("opening a session shows its detail document with the log", async () => {
    const msp = demoUser("multi");
    const now = new Date();
    await wb.scrollTreeToTop(CONTAINER);
    const rows = await wb.treeRows(CONTAINER);
    const all = recentSessions(sandbox.data, msp.accountIds, sandboxNow).slice(0, 2 * PAGE_SIZE);
    // A session with a log of a few entries, so the whole log section fits on one screen, on the
    // only row with its label (callers call again: the row is clicked by its label).
    const labels = sessionRows(rows).map((row) => row.row.label);
    const target = sessionRows(rows).find((row) => {
      const shown = sessionsShownBy(row, all, now);
      const entries = shown[0]?.log?.length ?? 0;
      const unique = labels.filter((label) => label === row.row.label).length === 1;
      return unique && shown.length === 1 && entries >= 2 && entries <= 15;
    });
    expect(target, "a session row with a log").toBeDefined();
    const session = sessionsShownBy(target!, all, now)[0] as SandboxSession;
    const log = session.log ?? [];

    await wb.clickTreeRow(CONTAINER, target!.row.label);
    // Details open as a rendered Markdown preview (the extension's default).
    const text = await waitUntil(
      `the detail preview of ${target!.row.label}`,
      () => wb.previewText("Facts"),
      (found) => found.includes(session.id as string),
      wb.timeout(30_000),
    );
    // The tab is titled for people ("Missed call from Austin TX · Tue 1 Dec 04:51"), not by ID.
    const tabTitle = await wb.activeTabTitle();
    expect(tabTitle).not.toContain(session.id as string);
    expect(tabTitle).toMatch(
      /(call|chat|fax|session).* · (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}( \d{4})? \d\d:\d\d/i,
    );
    // No file ending in the title (the document's language is set to Markdown instead).
    expect(tabTitle).not.toContain(".md");
    await wb.screenshot("session-details-top");

    // The whole log is in the document, ending with the session's last entry.
    const last = log[log.length - 1];
    const clock = new Date(last?.date ?? 0).toISOString().slice(11, 19);
    const squash = (value: string) => value.replace(/\\/g, "").replace(/\s+/g, "");
    expect(squash(text)).toContain(squash(`Log (${log.length} entries)`));
    expect(squash(text)).toContain(squash(`${clock} ${(last?.message ?? "").slice(0, 40)}`));
    await wb.scrollPreviewToLastSection("Facts");
    await wb.screenshot("session-details-log");
  });

  step("a sandbox fault (503) shows the error item, and retry recovers", async () => {
    const faultId = sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 503 },
    });
    const failedBefore = sandbox.requests.filter((request) => request.status === 503).length;
    await wb.runCommand(COMMAND.refresh);
    await wb.scrollTreeToTop(CONTAINER);
    const rows = await wb.waitForTreeRows(
      CONTAINER,
      "an error item",
      (found) => found.some((row) => row.label.startsWith("Couldn't load sessions")),
      60_000,
    );
    await wb.screenshot("fault-503-error-item");
    const error = rows.find((row) => row.label.startsWith("Couldn't load sessions")) as TreeRow;
    expect(error.label).toMatch(/503/);
    expect(error.description).toBe("Click to retry");
    expect(sandbox.requests.filter((request) => request.status === 503).length).toBeGreaterThan(
      failedBefore,
    );

    sandbox.faults.remove(faultId);
    await wb.clickTreeRow(CONTAINER, /^Couldn't load sessions/);
    const recovered = await wb.waitForTreeRows(
      CONTAINER,
      "the sessions back, without the error",
      (found) =>
        !found.some((row) => row.label.startsWith("Couldn't load")) &&
        sessionRows(found).length > 0,
      60_000,
    );
    await wb.screenshot("fault-retry-recovered");
    const msp = demoUser("multi");
    const now = new Date();
    expectRowsAmong(
      recovered,
      recentSessions(sandbox.data, msp.accountIds, sandboxNow).slice(0, 2 * PAGE_SIZE),
      now,
    );
  });
  step('the Filter menu: "Date range" → "Last 7 days", then "Done"', async () => {
    const now = new Date();
    await waitUntil(
      "the Filter button while nothing is filtered",
      () => wb.viewTitleActions(),
      (actions) => actions.includes(wb.commandTitle(COMMAND.filter)),
      wb.timeout(10_000),
    );
    // The funnel in the view's title, as a person finds it.
    await wb.clickViewTitleAction(wb.commandTitle(COMMAND.filter));
    const menu = await wb.waitForQuickInput(/Filter Evo Voice Sessions/);
    expect(menu.items).toEqual(expect.arrayContaining(["Done", "Date range", "From contains"]));
    await wb.pick(/^Date range$/);
    const presets = await wb.waitForQuickInput(/Filter by Date Range/);
    expect(presets.items).toEqual(
      expect.arrayContaining(["Today", "Yesterday", "Last 7 days", "This month", "Custom dates…"]),
    );
    await wb.pick(/^Last 7 days$/);
    // The menu comes back with the new value beside "Date range", until "Done".
    await waitUntil(
      'the Filter menu again, showing "Last 7 days"',
      () =>
        wb.page.locator(".quick-input-widget .quick-input-list .monaco-list-row").allInnerTexts(),
      (rows) => rows.some((row) => /Date range\s*Last 7 days/.test(row)),
      wb.timeout(15_000),
    );
    await wb.screenshot("filter-menu-after-preset");
    await wb.pick(/^\s*Done\s*$/);
    await waitUntil(
      "the Filter menu to close",
      () => wb.quickInput(),
      (state) => !state.visible,
      wb.timeout(10_000),
    );

    const message = await waitUntil(
      "the view's message to show the filter",
      () => wb.viewMessage(CONTAINER),
      (text) => text.includes("Last 7 days"),
      wb.timeout(30_000),
    );
    expect(message).toMatch(/Filtered: Last 7 days/);
    const expected = lastDays(7, now);
    const rows = await wb.waitForTreeRows(
      CONTAINER,
      "only sessions of the last 7 days",
      (found) =>
        sessionRows(found).length > 0 &&
        rowsOutside(sessionRows(found), expected.slice(0, PAGE_SIZE), now).length === 0,
      60_000,
    );
    await wb.screenshot("filtered-last-7-days");
    expectRowsAmong(rows, expected, now);
    await waitUntil(
      "the description to show the filter too",
      () => wb.viewDescription(CONTAINER),
      (text) => text.includes("Last 7 days"),
      wb.timeout(10_000),
    );

    // The title swaps the funnel for "Clear Filters" while a filter is set; it clears them.
    await waitUntil(
      "the Clear Filters button in the view's title",
      () => wb.viewTitleActions(),
      (actions) =>
        actions.includes(wb.commandTitle(COMMAND.clearFilters)) &&
        !actions.includes(wb.commandTitle(COMMAND.filter)),
      wb.timeout(10_000),
    );
    await wb.clickViewTitleAction(wb.commandTitle(COMMAND.clearFilters));
    await waitUntil(
      "the message and description to drop the filter",
      async () => `${await wb.viewMessage(CONTAINER)} | ${await wb.viewDescription(CONTAINER)}`,
      (text) => !text.includes("Last 7 days"),
      wb.timeout(30_000),
    );
    // The context key that swaps the buttons reaches the workbench on its own channel.
    await waitUntil(
      "the Filter button back in the view's title",
      () => wb.viewTitleActions(),
      (actions) =>
        actions.includes(wb.commandTitle(COMMAND.filter)) &&
        !actions.includes(wb.commandTitle(COMMAND.clearFilters)),
      wb.timeout(10_000),
    );
  });

  step(
    "VS Code's MCP list offers the extension's server, which starts with the view's sign-in",
    async () => {
      const msp = demoUser("multi");
      await wb.runPaletteCommand("MCP: List Servers");
      const list = await waitUntil(
        `"${MCP_SERVER_LABEL}" in MCP: List Servers`,
        () => wb.quickInput(),
        (state) => state.visible && state.items.includes(MCP_SERVER_LABEL),
        wb.timeout(30_000),
      );
      expect(list.placeholder).toMatch(/MCP Server/);
      await wb.screenshot("mcp-list-servers");
      await wb.pick(MCP_SERVER_LABEL);
      await wb.waitForQuickInput(new RegExp(`action for '${MCP_SERVER_LABEL}'`));
      await wb.pick(/^Start Server$/);

      // VS Code shows the server's output: it started, spoke MCP, and listed its tools.
      const output = await waitUntil(
        "the MCP server's output to list its tools",
        () => wb.outputText(),
        (text) => /Discovered \d+ tools?/.test(text),
        wb.timeout(60_000),
      );
      await wb.screenshot("mcp-server-running");
      const flat = output.replace(/\s+/g, " ");
      expect(flat).toContain(`serving Evo Voice at ${sandbox.url} as ${msp.userName}`);
      expect(flat).toContain('"password":"(set)"');
      expect(flat, "the password never shows in the output").not.toContain(msp.password);

      // Nothing the extension did so far left an error in the extension host's log.
      const log = await codeServer.extensionHostLog();
      expect(log).toMatch(/_doActivateExtension evo-sessions\.evo-sessions-vscode/);
      expect(extensionErrors(log), "errors involving the extension").toEqual([]);
      await wb.runPaletteCommand("View: Hide Panel");
    },
  );

  // Issue 17: missed calls, saved searches, the dashboard, callbacks, customers, export.
  supportLeadSteps({
    wb: () => wb,
    sandbox: () => sandbox,
    codeServer: () => codeServer,
    sandboxNow: () => sandboxNow,
    accountIds: () => demoUser("multi").accountIds,
    pageSize: PAGE_SIZE,
    container: CONTAINER,
    step,
  });

  step("signing out brings the welcome view back", async () => {
    await wb.showContainer(CONTAINER);
    await wb.runCommand(COMMAND.signOut);
    const buttons = await waitUntil(
      "the welcome view's buttons",
      () => wb.welcomeButtons(CONTAINER),
      (found) => found.includes("Sign in") && found.includes("Try the sandbox"),
      wb.timeout(30_000),
    );
    expect(buttons).toEqual(expect.arrayContaining(["Sign in", "Try the sandbox"]));
    const told = await waitUntil(
      "a notification that the sign-in is forgotten",
      () => wb.notifications(),
      (toasts) => toasts.some((toast) => toast.includes("signed out of")),
      wb.timeout(15_000),
    );
    expect(told.find((toast) => toast.includes("signed out of"))).toContain(sandbox.url);
    // The details still open from before show none of the signed-out user's data.
    await waitUntil(
      "the open details to drop the signed-out data",
      () => wb.previewText("Signed out"),
      (text) => /Signed out: sign in to Evo Voice/.test(text) && !text.includes("Facts"),
      wb.timeout(15_000),
    );
    await wb.screenshot("signed-out-again");
    await wb.waitForTreeRows(
      CONTAINER,
      "no session rows",
      (found) => sessionRows(found).length === 0,
    );
    await waitUntil(
      "no description and no live-call item once signed out",
      async () => ({
        description: await wb.viewDescription(CONTAINER),
        live: await wb.statusBarEntry(LIVE_STATUS_ENTRY),
      }),
      (state) => state.description === "" && state.live === undefined,
      wb.timeout(10_000),
    );
  });

  step('"Try the sandbox" runs a sandbox inside VS Code, labelled as sandbox data', async () => {
    const requestsBefore = sandbox.requests.length;
    await wb.clickWelcomeButton(CONTAINER, "Try the sandbox");
    const rows = await wb.waitForTreeRows(
      CONTAINER,
      "the in-process sandbox's sessions grouped by day",
      (found) => readTree(found).days.length > 0 && sessionRows(found).length > 0,
      60_000,
    );
    // The newest day is today, or yesterday in the small hours (the data follows business hours).
    expect(["Today", "Yesterday"]).toContain(readTree(rows).days[0]);
    await waitUntil(
      "the view to say it shows sandbox data",
      async () => `${await wb.viewDescription(CONTAINER)} | ${await wb.viewMessage(CONTAINER)}`,
      (text) => /^Sandbox\b.* \| .*Sandbox data/.test(text),
      wb.timeout(10_000),
    );
    await waitUntil(
      'the "Starting the Evo Voice sandbox…" progress to finish',
      () => wb.notifications(),
      (toasts) => !toasts.some((toast) => toast.includes("Starting the Evo Voice sandbox")),
      wb.timeout(30_000),
    );
    await wb.screenshot("try-sandbox-sessions");

    // Its details say so too, and name a sandbox other than the suite's.
    const first = readTree(rows).sessions[0] as ReturnType<typeof readTree>["sessions"][number];
    await wb.clickTreeRow(CONTAINER, first.row.label);
    const details = await waitUntil(
      `the detail preview of ${first.row.label}`,
      () => wb.previewText("Facts"),
      (text) => text.includes("Sandbox data") && text.includes(first.row.label),
      wb.timeout(30_000),
    );
    const source = /Read-only view from (\S+?);/.exec(details)?.[1];
    expect(source, "the server the details came from").toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(source).not.toBe(sandbox.url);
    await wb.screenshot("try-sandbox-details");
    // Everything came from the sandbox inside the extension host, nothing from the suite's.
    expect(sandbox.requests.length).toBe(requestsBefore);
  });

  step("the status bar counts live calls, and clicking it opens the view", async () => {
    // The in-process sandbox runs live calls that ring, connect and hang up every few seconds;
    // auto-refresh is off in this run, so Refresh is what a person would press.
    let refreshedAt = 0;
    const entry = await waitUntil(
      "a live-call count in the status bar",
      async () => {
        const found = await wb.statusBarEntry(LIVE_STATUS_ENTRY);
        if (found === undefined && Date.now() - refreshedAt > 3_000) {
          refreshedAt = Date.now();
          await wb.clickViewTitleAction(wb.commandTitle(COMMAND.refresh));
        }
        return found;
      },
      (found) => found !== undefined && /^\S*\s*\d+ live \(Sandbox\)$/.test(found.text),
      wb.timeout(60_000),
    );
    const count = Number(/(\d+) live/.exec(entry?.text ?? "")?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(entry?.label).toMatch(/sandbox data/);
    expect(entry?.label).toMatch(/Click to open the Sessions view/);
    // The tree shows them too. The count reads live calls on its own (the newest sessions of
    // every account), so the tree may need its own Refresh before a live call is among its rows.
    refreshedAt = Date.now();
    await waitUntil(
      "live calls among the rows",
      async () => {
        const rows = await wb.treeRows(CONTAINER);
        const live = sessionRows(rows).some((row) => row.row.description.includes("live"));
        if (!live && Date.now() - refreshedAt > 3_000) {
          refreshedAt = Date.now();
          await wb.clickViewTitleAction(wb.commandTitle(COMMAND.refresh));
        }
        return live;
      },
      (live) => live,
      wb.timeout(60_000),
    );
    await wb.screenshot("status-bar-live-calls");

    await wb.showActivity("Explorer");
    await waitUntil(
      "the Explorer to replace the Sessions view",
      () => wb.container(CONTAINER).isVisible(),
      (visible) => !visible,
      wb.timeout(15_000),
    );
    await wb
      .statusBarItem(LIVE_STATUS_ENTRY)
      .first()
      .click({ timeout: wb.timeout(15_000) });
    await waitUntil(
      "the Sessions view to open",
      () => wb.container(CONTAINER).isVisible(),
      (visible) => visible,
      wb.timeout(15_000),
    );
    await wb.waitForTreeRows(
      CONTAINER,
      "the sandbox's sessions",
      (found) => sessionRows(found).length > 0,
    );
    await wb.screenshot("status-bar-opened-view");
  });

  step(
    "signing out of the sandbox stops it and, with no sign-in left, shows the welcome view",
    async () => {
      await wb.runCommand(COMMAND.signOut);
      await waitUntil(
        "the welcome view's buttons",
        () => wb.welcomeButtons(CONTAINER),
        (found) => found.includes("Try the sandbox"),
        wb.timeout(30_000),
      );
      await waitUntil(
        "a notification that the sandbox stopped",
        () => wb.notifications(),
        (toasts) => toasts.some((toast) => toast.includes("stopped the sandbox")),
        wb.timeout(15_000),
      );
      await waitUntil(
        "the live-call count to leave the status bar",
        () => wb.statusBarEntry(LIVE_STATUS_ENTRY),
        (found) => found === undefined,
        wb.timeout(15_000),
      );
      await wb.screenshot("sandbox-stopped-welcome");
      await wb.waitForTreeRows(
        CONTAINER,
        "no session rows",
        (found) => sessionRows(found).length === 0,
      );
      expect(extensionErrors(await codeServer.extensionHostLog())).toEqual([]);
    },
  );
});
