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

// The extension's contributions the scenarios drive (package.json of packages/vscode-extension).
const CONTAINER = "evoSessions";
const COMMAND = {
  signIn: "evoSessions.signIn",
  refresh: "evoSessions.refresh",
  filterFrom: "evoSessions.filter.from",
  filterDateRange: "evoSessions.filter.dateRange",
  clearFilters: "evoSessions.filter.clear",
} as const;
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
    // One zone everywhere, so the suite knows which day a session belongs to.
    env: { TZ: "UTC" },
    userSettings: {
      "evoSessions.pageSize": PAGE_SIZE,
      "evoSessions.autoRefreshSeconds": 0,
      "evoSessions.timeZone": "UTC",
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
    expect(sessionRows(await wb.treeRows(CONTAINER))).toEqual([]);
    await wb.screenshot("signed-out-welcome");
  });

  step("connecting to the sandbox shows its sessions grouped by day", async () => {
    const msp = demoUser("multi");
    await wb.page
      .locator(`[id="workbench.view.extension.${CONTAINER}"] .welcome-view-content a.monaco-button`)
      .filter({ hasText: "Connect to a sandbox URL" })
      .click();
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
    // A session with a log of a few entries, so the whole log section fits on one screen.
    const target = sessionRows(rows).find((row) => {
      const shown = sessionsShownBy(row, all, now);
      const entries = shown[0]?.log?.length ?? 0;
      return shown.length === 1 && entries >= 2 && entries <= 15;
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
    expect(await wb.activeTabTitle()).toContain(`${session.id as string}.md`);
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
});
