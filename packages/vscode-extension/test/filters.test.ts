import { localDateIn, parseEvoDate, type SessionInfo } from "@evo-sessions/core";
import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import { FILTERS_STATE_KEY } from "../src/filters/filter-store.js";
import {
  answerInputBoxes,
  answerQuickPick,
  pressBack,
  typeInvalid,
  FIXED_NOW,
  lastListQuery,
  recentSessions,
  sessionRows,
  settled,
  TEST_TIME_ZONE,
  useSandboxSuite,
} from "./support/harness.js";
import { contextKeys, createExtensionContext, shownInputs } from "./support/vscode.js";

describe("Filters", () => {
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 200 } } });

  async function run(command: string): Promise<void> {
    await vscode.commands.executeCommand(command);
    await settled(suite.ext.api);
  }

  async function shownSessions(): Promise<SessionInfo[]> {
    const byId = new Map(
      suite.sandbox.data.sessions.map((session) => [`session:${session.id}`, session]),
    );
    return (await sessionRows(suite.ext.api)).map((row) => byId.get(row.item.id as string)!);
  }

  const localDay = (session: SessionInfo) =>
    localDateIn(parseEvoDate(session.dateCreated)!, TEST_TIME_ZONE);
  const today = localDateIn(FIXED_NOW, TEST_TIME_ZONE);

  it("date range presets send the UTC days covering the local days and show only those days", async () => {
    answerQuickPick("Today");
    await run("evoSessions.filter.dateRange");
    // 15 Nov in New York runs 05:00 UTC 15 Nov – 05:00 UTC 16 Nov.
    expect(lastListQuery(suite.sandbox).get("startDate")).toBe("2025-11-15");
    expect(lastListQuery(suite.sandbox).get("endDate")).toBe("2025-11-16");
    const todays = recentSessions(suite.sandbox).filter((s) => localDay(s) === today);
    expect((await shownSessions()).map((s) => s.id)).toEqual(todays.map((s) => s.id));
    expect(suite.ext.view.description).toBe("Sandbox · Today");

    answerQuickPick("Yesterday");
    await run("evoSessions.filter.dateRange");
    const shown = await shownSessions();
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map(localDay))).toEqual(new Set(["2025-11-14"]));

    answerQuickPick("Last 7 days");
    await run("evoSessions.filter.dateRange");
    expect(lastListQuery(suite.sandbox).get("startDate")).toBe("2025-11-09");
    expect(
      (await shownSessions()).every((s) => localDay(s) >= "2025-11-09" && localDay(s) <= today),
    ).toBe(true);

    answerQuickPick("This month");
    await run("evoSessions.filter.dateRange");
    expect(lastListQuery(suite.sandbox).get("startDate")).toBe("2025-11-01");
    expect(suite.ext.view.description).toBe("Sandbox · This month");
  });

  it("custom dates take two validated steps", async () => {
    answerQuickPick("Custom dates…");
    answerInputBoxes("2025-11-10", "2025-11-12");
    await run("evoSessions.filter.dateRange");
    expect(lastListQuery(suite.sandbox).get("startDate")).toBe("2025-11-10");
    expect(lastListQuery(suite.sandbox).get("endDate")).toBe("2025-11-13");
    const shown = await shownSessions();
    const expected = recentSessions(suite.sandbox).filter(
      (s) => localDay(s) >= "2025-11-10" && localDay(s) <= "2025-11-12",
    );
    expect(shown.map((s) => s.id)).toEqual(expected.map((s) => s.id));
    expect(suite.ext.view.description).toBe("Sandbox · Mon 10 Nov 2025 – Wed 12 Nov 2025");

    // The validators name the problem, and Back goes a step back with what was typed kept.
    answerQuickPick("Custom dates…");
    typeInvalid("2025-02-30");
    answerInputBoxes("2025-11-12");
    typeInvalid("2025-11-11");
    pressBack();
    answerInputBoxes("2025-11-11", "2025-11-13");
    await run("evoSessions.filter.dateRange");
    const [first, last, again] = shownInputs.filter((input) => input.type === "input").slice(-4);
    expect(first!.problems[0]).toMatch(/First day must be a date written YYYY-MM-DD/);
    expect(last!.title).toBe("Custom Date Range (2/2): last day");
    expect(last!.hasBack).toBe(true);
    expect(last!.problems[0]).toMatch(/must not be before the first day \(2025-11-12\)/);
    expect(again!.title).toBe("Custom Date Range (1/2): first day");
    expect(again!.value).toBe("2025-11-12");
    expect(lastListQuery(suite.sandbox).get("startDate")).toBe("2025-11-11");
    expect(suite.ext.view.description).toBe("Sandbox · Tue 11 Nov 2025 – Thu 13 Nov 2025");
  });

  it("from, to and log filters send contains searches", async () => {
    const sample = recentSessions(suite.sandbox)[3]!;
    const fragment = (sample.fromAddress as string).slice(-4);
    answerInputBoxes(fragment);
    await run("evoSessions.filter.from");
    expect(lastListQuery(suite.sandbox).get("from")).toBe(fragment);
    const fromOracle = recentSessions(suite.sandbox).filter((s) =>
      [s.fromAddress, s.fromName, s.fromPhoneNumber].some((part) =>
        part?.toLowerCase().includes(fragment.toLowerCase()),
      ),
    );
    expect((await shownSessions()).map((s) => s.id)).toEqual(fromOracle.map((s) => s.id));

    answerInputBoxes("");
    await run("evoSessions.filter.from");
    expect(lastListQuery(suite.sandbox).has("from")).toBe(false);

    const toFragment = (sample.toAddress ?? sample.destination ?? "") as string;
    answerInputBoxes(toFragment.slice(-4));
    await run("evoSessions.filter.to");
    expect(lastListQuery(suite.sandbox).get("to")).toBe(toFragment.slice(-4));
    expect((await shownSessions()).map((s) => s.id)).toContain(sample.id);

    answerInputBoxes("voicemail");
    await run("evoSessions.filter.log");
    expect(lastListQuery(suite.sandbox).get("log")).toBe("voicemail");
    expect(suite.ext.view.description).toContain('log "voicemail"');
    for (const session of await shownSessions()) {
      expect(session.log!.some((entry) => entry.message!.toLowerCase().includes("voicemail"))).toBe(
        true,
      );
    }
  });

  it("accounts, customers and endpoints are picked from what the sign-in reaches and the loaded sessions", async () => {
    const [first] = suite.sandbox.data.accounts;
    answerQuickPick(first!.name as string);
    await run("evoSessions.filter.accounts");
    expect(lastListQuery(suite.sandbox).get("accountIds")).toBe(first!.id);
    expect(suite.ext.view.description).toBe(`Sandbox · ${first!.name}`);
    expect((await shownSessions()).every((s) => s.accountId === first!.id)).toBe(true);

    await suite.ext.api.filters.update({ accountIds: undefined });
    await settled(suite.ext.api);
    const sample = recentSessions(suite.sandbox).find((s) => s.customerId && s.customerName)!;
    answerQuickPick(sample.customerName as string);
    await run("evoSessions.filter.customers");
    expect(lastListQuery(suite.sandbox).get("customerIds")).toBe(sample.customerId);
    expect((await shownSessions()).every((s) => s.customerId === sample.customerId)).toBe(true);

    await suite.ext.api.filters.update({ customerIds: undefined });
    await settled(suite.ext.api);
    const withEndpoint = recentSessions(suite.sandbox).find((s) => s.endpointId && s.endpointName)!;
    // An ID typed by hand works too.
    answerQuickPick("$(edit) Enter IDs…");
    answerInputBoxes(withEndpoint.endpointId as string);
    await run("evoSessions.filter.endpoints");
    expect(lastListQuery(suite.sandbox).get("endpointIds")).toBe(withEndpoint.endpointId);
    expect((await shownSessions()).every((s) => s.endpointId === withEndpoint.endpointId)).toBe(
      true,
    );
  });

  it("archive switches to archived sessions and sort order reverses the list", async () => {
    await run("evoSessions.filter.archive");
    expect(lastListQuery(suite.sandbox).get("searchArchive")).toBe("true");
    const archived = await shownSessions();
    expect(archived.length).toBeGreaterThan(0);
    expect(
      archived.every((s) => (s.dateCreated as string) < suite.sandbox.data.archiveCutoff!),
    ).toBe(true);
    await run("evoSessions.filter.archive");
    expect(lastListQuery(suite.sandbox).has("searchArchive")).toBe(false);

    answerQuickPick("Oldest first");
    await run("evoSessions.filter.sort");
    expect(lastListQuery(suite.sandbox).get("sortOrder")).toBe("Ascend");
    const shown = await shownSessions();
    expect(shown[0]!.id).toBe(recentSessions(suite.sandbox).at(-1)!.id);
    expect(suite.ext.view.description).toBe("Sandbox · oldest first");
  });

  it("the Filter… menu comes back after each filter until Done, and Clear Filters resets everything", async () => {
    answerQuickPick("From contains");
    answerInputBoxes("555");
    answerQuickPick("Sort order");
    pressBack();
    answerQuickPick("Archived sessions");
    answerQuickPick("$(check) Done");
    await run("evoSessions.filter");
    expect(lastListQuery(suite.sandbox).get("from")).toBe("555");
    expect(lastListQuery(suite.sandbox).get("searchArchive")).toBe("true");
    expect(contextKeys.get("evoSessions.hasFilters")).toBe(true);
    const menus = shownInputs.filter((input) => input.title === "Filter Evo Voice Sessions");
    expect(menus).toHaveLength(4);
    // Each time it shows the current values, and the step it leads to has Back.
    expect(menus[1]!.items).toContain("From contains");
    expect(shownInputs.find((input) => input.title === "Filter by From")!.hasBack).toBe(true);
    expect(shownInputs.find((input) => input.title === "Sort Sessions")!.hasBack).toBe(true);

    await run("evoSessions.filter.clear");
    expect(contextKeys.get("evoSessions.hasFilters")).toBe(false);
    expect(lastListQuery(suite.sandbox).has("from")).toBe(false);
    expect(suite.ext.view.description).toBe("Sandbox");
  });

  it("active filters are readable in the view's message, not only in its description", async () => {
    // VS Code hides the description when Sessions is alone in its container.
    const [first] = suite.sandbox.data.accounts;
    answerQuickPick(first!.name as string);
    await run("evoSessions.filter.accounts");
    answerQuickPick("Last 7 days");
    await run("evoSessions.filter.dateRange");
    expect((await shownSessions()).length).toBeGreaterThan(0);
    expect(suite.ext.view.message).toBe(
      `Sandbox data · Filtered: Last 7 days · ${first!.name} — Clear Filters shows everything`,
    );
    expect(suite.ext.view.description).toBe(`Sandbox · Last 7 days · ${first!.name}`);
    await run("evoSessions.filter.clear");
    expect(suite.ext.view.message).toBe("Sandbox data");
  });

  it("filters persist per workspace across restarts", async () => {
    answerQuickPick("Yesterday");
    await run("evoSessions.filter.dateRange");
    answerInputBoxes("555");
    await run("evoSessions.filter.from");
    await run("evoSessions.filter.archive");
    const saved = suite.ext.context.workspaceState.get(FILTERS_STATE_KEY);
    expect(saved).toMatchObject({
      dateRange: { kind: "preset", preset: "yesterday" },
      from: "555",
      archive: true,
    });

    // Restart: a new activation over the same workspace state and keyring.
    const previous = suite.ext.context;
    suite.ext.dispose();
    const requestsBefore = suite.sandbox.requests.length;
    const context = createExtensionContext({
      workspaceState: previous.workspaceState,
      secrets: previous.secrets,
      globalState: previous.globalState,
    });
    await suite.activate({ context, settings: { "evoSessions.pageSize": 200 } });
    await settled(suite.ext.api);
    expect(suite.ext.api.filters.filters).toMatchObject({ from: "555", archive: true });
    expect(contextKeys.get("evoSessions.hasFilters")).toBe(true);
    expect(suite.ext.view.description).toBe('Sandbox · Yesterday · from "555" · archive');
    expect(suite.sandbox.requests.length).toBeGreaterThan(requestsBefore);
    const query = lastListQuery(suite.sandbox);
    expect(query.get("from")).toBe("555");
    expect(query.get("searchArchive")).toBe("true");
    expect(query.get("startDate")).toBe("2025-11-14");

    // A damaged saved entry keeps what is valid and loads nothing broken.
    suite.ext.dispose();
    await previous.workspaceState.update(FILTERS_STATE_KEY, {
      from: 42,
      to: "x",
      dateRange: { kind: "custom", start: "2025-13-01", end: "2025-11-01" },
    });
    await suite.activate({
      context: createExtensionContext({
        workspaceState: previous.workspaceState,
        secrets: previous.secrets,
      }),
    });
    const { owner: _owner, ...kept } = suite.ext.api.filters.filters;
    expect(kept).toEqual({ to: "x" });
  });
});
