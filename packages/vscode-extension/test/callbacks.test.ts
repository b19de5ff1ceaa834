// The Callbacks view: core's open-callback queue for the view's accounts and dates, in core's
// order, "Mark done" remembered per workspace (bounded), "Call back" copying the number, the
// count as the badge.
import { analyzeSessions } from "@evo-sessions/core";
import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import { callbackRow, reasonsText, waitText } from "../src/callbacks/callback-text.js";
import { callbackFilters } from "../src/callbacks/insights.js";
import { DONE_STATE_KEY, DoneStore, MAX_DONE } from "../src/callbacks/done-store.js";
import { filtersToQuery } from "../src/filters/session-filters.js";
import { FIXED_NOW, TEST_TIME_ZONE, useSandboxSuite } from "./support/harness.js";
import { createExtensionContext, treeViews } from "./support/vscode.js";

describe("Callbacks view", () => {
  const suite = useSandboxSuite({
    signedIn: { settings: { "evoSessions.timeZone": TEST_TIME_ZONE } },
  });

  it("lists core's open callbacks, most tried and longest waiting first, with the count as badge", async () => {
    const { callbacks, auth } = suite.ext.api;
    await callbacks.refresh();
    const query = filtersToQuery(callbackFilters({}), { now: FIXED_NOW, timeZone: TEST_TIME_ZONE });
    const expected = await analyzeSessions(auth.client!, query, {
      callbacks: { limit: 200 },
      now: FIXED_NOW,
    });
    const queue = expected.callbacks!.queue;
    expect(queue.length).toBeGreaterThan(1);
    expect(callbacks.open.map((entry) => entry.number)).toEqual(queue.map((entry) => entry.number));
    for (let i = 1; i < callbacks.open.length; i++) {
      const [a, b] = [callbacks.open[i - 1]!, callbacks.open[i]!];
      expect(
        a.attempts > b.attempts ||
          (a.attempts === b.attempts && a.firstMissedAt <= b.firstMissedAt),
      ).toBe(true);
    }
    expect(callbacks.treeView.badge?.value).toBe(queue.length);
    const nodes = callbacks.getChildren();
    const item = callbacks.getTreeItem(nodes[0]!);
    expect(item.contextValue).toBe("callback");
    expect(item.description).toMatch(/^\d+ tr(y|ies) · waiting \d+ (min|h|d) · /);
    expect(String((item.tooltip as vscode.MarkdownString).value)).toContain(
      queue[0]!.number.replace("+", "\\+"),
    );
  });

  it("Mark done removes the caller, lowers the badge and is remembered by the next activation", async () => {
    const { callbacks } = suite.ext.api;
    await callbacks.refresh();
    const before = callbacks.open.length;
    const first = callbacks.getChildren()[0]!;
    const entry = callbacks.open[0]!;
    await vscode.commands.executeCommand("evoSessions.callbacks.markDone", first);
    expect(callbacks.open.map((e) => e.number)).not.toContain(entry.number);
    expect(callbacks.treeView.badge?.value).toBe(before - 1);
    expect(suite.ext.context.workspaceState.get(DONE_STATE_KEY)).toEqual([DoneStore.keyOf(entry)]);

    // Another window on the same workspace state remembers it.
    const again = new DoneStore(suite.ext.context.workspaceState);
    expect(again.isDone(entry)).toBe(true);
    await vscode.commands.executeCommand("evoSessions.callbacks.clearDone");
    expect(callbacks.open.length).toBe(before);
  });

  it("Call back copies the caller's number", async () => {
    const { callbacks } = suite.ext.api;
    await callbacks.refresh();
    const node = callbacks.getChildren()[0]!;
    await vscode.commands.executeCommand("evoSessions.callbacks.callBack", node);
    expect(await vscode.env.clipboard.readText()).toBe(callbacks.open[0]!.number);
    expect(treeViews.has("evoSessions.callbacks")).toBe(true);
  });

  it("keeps at most MAX_DONE marks, the newest", async () => {
    const context = createExtensionContext();
    const store = new DoneStore(context.workspaceState);
    for (let i = 0; i < MAX_DONE + 5; i++)
      await store.markDone({ number: `+1555000${i}`, lastMissedAt: "2025-11-15T10:00:00.000Z" });
    expect(store.size).toBe(MAX_DONE);
    expect(store.isDone({ number: "+15550000", lastMissedAt: "2025-11-15T10:00:00.000Z" })).toBe(
      false,
    );
    // A later missed call brings the caller back.
    const last = { number: `+1555000${MAX_DONE + 4}`, lastMissedAt: "2025-11-15T10:00:00.000Z" };
    expect(store.isDone(last)).toBe(true);
    expect(store.isDone({ ...last, lastMissedAt: "2025-11-15T11:00:00.000Z" })).toBe(false);
  });

  it("reads callbacks for the accounts and dates only, and words the rows", () => {
    expect(
      callbackFilters({ missed: true, from: "555", accountIds: ["a1"], weekdays: [1] }),
    ).toEqual({ dateRange: { kind: "preset", preset: "last-7-days" }, accountIds: ["a1"] });
    expect(reasonsText(["no-answer", "voicemail", "no-answer"])).toBe(
      "no answer ×2, went to voicemail",
    );
    expect(waitText(90 * 60_000)).toBe("1 h");
    expect(waitText(3 * 86_400_000)).toBe("3 d");
    const row = callbackRow({
      number: "+15125550100",
      written: "5125550100",
      attempts: 2,
      firstMissedAt: "",
      lastMissedAt: "",
      reasons: ["busy", "abandoned-in-queue"],
      sessionIds: [],
      ageMs: 5 * 60_000,
      displayNumber: "(512) 555-0100",
      displayName: "Austin Tx",
    });
    expect(row).toEqual({
      label: "Austin Tx",
      description: "2 tries · waiting 5 min · busy, hung up in the queue",
    });
  });
});
