import { callerNameCase, localDateIn, parseEvoDate } from "@evo-sessions/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import {
  children,
  clockAfterNewest,
  labelOf,
  recentSessions,
  sessionRows,
  settled,
  signInToSandbox,
  TEST_TIME_ZONE,
  useSandboxSuite,
} from "./support/harness.js";

describe("Sessions tree", () => {
  const suite = useSandboxSuite();
  afterEach(() => {
    vi.useRealTimers();
  });

  it("moves Today to Yesterday at local midnight without any refresh, and when the view shows", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"], shouldAdvanceTime: true });
    let clock = clockAfterNewest(suite.sandbox);
    const ext = await suite.activate({ now: () => clock });
    await signInToSandbox(ext.api, suite.sandbox);
    const before = suite.sandbox.requests.length;
    expect(labelOf((await children(ext.api))[0]!.item)).toBe("Today");

    // A day later, the midnight timer (not a refresh: auto-refresh is off) rebuilds the groups.
    clock = new Date(clock.getTime() + 86_400_000);
    vi.advanceTimersByTime(86_400_000);
    expect(labelOf((await children(ext.api))[0]!.item)).toBe("Yesterday");
    expect(suite.sandbox.requests.length).toBe(before);

    // Showing the view checks the day too (e.g. after the machine slept through the timer).
    vi.useRealTimers();
    clock = new Date(clock.getTime() + 86_400_000);
    ext.view.setVisible(false);
    ext.view.setVisible(true);
    expect(labelOf((await children(ext.api))[0]!.item)).not.toMatch(/^(Today|Yesterday)$/);
  });

  it("is empty while signed out, so the welcome view with Sign in and Try the sandbox shows", async () => {
    const ext = await suite.activate();
    expect(await children(ext.api)).toEqual([]);
    const { contextKeys } = await import("./support/vscode.js");
    expect(contextKeys.get("evoSessions.signedIn")).toBe(false);
    expect(contextKeys.get("evoSessions.ready")).toBe(true);
  });

  it("groups the newest sessions by local day: Today, Yesterday, then dates", async () => {
    const now = clockAfterNewest(suite.sandbox);
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 60 }, now: () => now });
    await signInToSandbox(ext.api, suite.sandbox);

    const expected = recentSessions(suite.sandbox).slice(0, 60);
    const roots = await children(ext.api);
    const days = roots.filter((root) => root.node.kind === "day");
    const today = localDateIn(now, TEST_TIME_ZONE);

    // The oracle: the same sessions, grouped by their day in New York, in server order.
    const groups = new Map<string, string[]>();
    for (const session of expected) {
      const key = localDateIn(parseEvoDate(session.dateCreated) as Date, TEST_TIME_ZONE);
      groups.set(key, [...(groups.get(key) ?? []), session.id as string]);
    }
    expect(days.map((day) => (day.node as { key: string }).key)).toEqual([...groups.keys()]);
    expect((days[0]!.node as { key: string }).key).toBe(today);
    expect(labelOf(days[0]!.item)).toBe("Today");
    expect(days.length).toBeGreaterThan(2);
    const yesterday = new Date(`${today}T12:00:00Z`);
    yesterday.setUTCDate(yesterday.getUTCDate() - 1);
    const yesterdayKey = yesterday.toISOString().slice(0, 10);
    for (const day of days.slice(1)) {
      const key = (day.node as { key: string }).key;
      // Older days are written out, e.g. "Wed 12 Nov".
      if (key === yesterdayKey) expect(labelOf(day.item)).toBe("Yesterday");
      else
        expect(labelOf(day.item)).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}$/);
    }
    expect(days[0]!.item.collapsibleState).toBe(vscode.TreeItemCollapsibleState.Expanded);

    const rows = await sessionRows(ext.api);
    expect(rows.map((row) => row.item.id)).toEqual(
      expected.map((session) => `session:${session.id}`),
    );
    for (const day of days) {
      const key = (day.node as { key: string }).key;
      const ids = groups.get(key)!;
      const count = ids.length;
      const missed = expected.filter((s) => ids.includes(s.id as string) && s.wasMissed).length;
      expect(day.item.description).toBe(
        `${count} ${count === 1 ? "session" : "sessions"}${missed > 0 ? ` · ${missed} missed` : ""}`,
      );
    }
  });

  it("labels each session with its name or from → to, and describes time, duration or outcome", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 80 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const rows = await sessionRows(ext.api);
    const byId = new Map(
      recentSessions(suite.sandbox).map((session) => [`session:${session.id}`, session]),
    );

    for (const row of rows) {
      const session = byId.get(row.item.id as string)!;
      const label = labelOf(row.item);
      if (session.displayName) {
        if (/[a-z]/i.test(session.displayName))
          expect(label).toBe(callerNameCase(session.displayName));
      } else expect(label).toContain("→");
      // No shouting caller-ID text and no raw E.164 numbers in labels.
      expect(label).not.toMatch(/\b[A-Z]{4,}\b/);
      expect(label).not.toMatch(/\+1\d{10}/);
      const start = parseEvoDate(session.dateCreated)!;
      const clock = new Intl.DateTimeFormat("en-GB", {
        timeZone: TEST_TIME_ZONE,
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(start);
      expect(row.item.description).toMatch(new RegExp(`^${clock}`));
      if (session.direction === "Incoming" || session.direction === "Outgoing")
        expect(row.item.description).toContain(session.direction.toLowerCase());
      const icon = row.item.iconPath as vscode.ThemeIcon;
      if (session.wasMissed) {
        expect(row.item.description).toContain("missed");
        expect((icon.color as vscode.ThemeColor).id).toBe("errorForeground");
      } else if (session.ended) {
        expect(row.item.description).toMatch(/\d+(s|m \d\ds|h \d\dm)/);
      }
      if (session.channel === "Chat") expect(icon.id).toBe("comment-discussion");
      // Tooltips are built on hover, through resolveTreeItem.
      expect(row.item.tooltip).toBeUndefined();
      const resolved = ext.api.tree.resolveTreeItem(row.item, row.node);
      const tooltip = (resolved.tooltip as vscode.MarkdownString).value;
      expect(tooltip).toContain("Session ID");
      expect(tooltip).toContain(`Times in ${TEST_TIME_ZONE.replace(/_/g, "\\_")}`);
      if (/^\+1\d{10}$/.test(session.fromAddress ?? ""))
        expect(tooltip.replace(/\\/g, "")).toContain(session.fromAddress);
      expect(row.item.contextValue).toBe(session.callSid ? "session hasCallSid" : "session");
    }
    expect(rows.some((row) => byId.get(row.item.id as string)!.wasMissed)).toBe(true);
  });

  it("builds members and the log only when a session is expanded", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 20 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const rows = await sessionRows(ext.api);
    const withMembers = rows.find((row) => {
      const node = row.node as { session: { members?: unknown[] | null } };
      return (node.session.members?.length ?? 0) > 0;
    })!;
    const session = recentSessions(suite.sandbox).find(
      (s) => `session:${s.id}` === withMembers.item.id,
    )!;

    const kids = await children(ext.api, withMembers.node);
    const members = kids.filter((kid) => kid.node.kind === "member");
    expect(members).toHaveLength(session.members!.length);
    expect(members[0]!.item.id).toBe(`session:${session.id}/member/0`);
    expect(members[0]!.item.description).toContain(session.members![0]!.role as string);
    const log = kids.find((kid) => kid.node.kind === "log")!;
    expect(log.item.description).toBe(`${session.log!.length} entries`);

    const entries = await children(ext.api, log.node);
    expect(entries.map((entry) => labelOf(entry.item))).toEqual(
      session.log!.map((entry) => (entry.message as string).split("\n")[0]!.slice(0, 160)),
    );
    expect(entries[0]!.item.description).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it("keeps item IDs stable across refreshes, so expanded sessions stay expanded", async () => {
    const ext = await suite.activate({ settings: { "evoSessions.pageSize": 30 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const before = (await sessionRows(ext.api)).map((row) => row.item.id);
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(ext.api);
    const after = (await sessionRows(ext.api)).map((row) => row.item.id);
    expect(after).toEqual(before);
    expect(new Set(after).size).toBe(after.length);
  });

  it("says so in the view message when nothing matches the filters", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox);
    await ext.api.filters.update({ from: "no-such-caller-zzz" });
    await settled(ext.api);
    expect(await children(ext.api)).toEqual([]);
    expect(ext.view.message).toContain('No sessions match from "no-such-caller-zzz"');
    expect(ext.view.description).toContain('Sandbox · from "no-such-caller-zzz"');
    await ext.api.filters.clear();
    await settled(ext.api);
    // Without filters, the message only says whose data this is.
    expect(ext.view.message).toBe("Sandbox data");
    expect((await sessionRows(ext.api)).length).toBeGreaterThan(0);
  });
});
