import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { settled, signInToSandbox, useSandboxSuite } from "./support/harness.js";
import { changeSetting } from "./support/vscode.js";

describe("Live calls and auto-refresh", () => {
  const suite = useSandboxSuite({
    // Three calls in progress (one per slot), held still: a manual live clock nobody steps.
    sandbox: { live: true, liveCalls: 3, liveClock: "manual" },
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the status bar counts live calls and opens the view; live sessions spin", async () => {
    const ext = await suite.activate();
    expect(ext.api.statusBar.item.show).not.toHaveBeenCalled();
    await signInToSandbox(ext.api, suite.sandbox, "admin");
    const item = ext.api.statusBar.item;
    expect(item.text).toBe("$(call-incoming) 3 live (Sandbox)");
    expect(item.command).toBe("evoSessions.sessions.focus");
    expect(item.show).toHaveBeenCalled();
    expect(ext.view.badge).toEqual({ value: 3, tooltip: "3 live calls" });
    const rows = await ext.api.tree.getChildren((await ext.api.tree.getChildren())[0]);
    const spinning = rows.filter(
      (node) => (ext.api.tree.getTreeItem(node).iconPath as vscode.ThemeIcon).id === "loading~spin",
    );
    expect(spinning).toHaveLength(3);

    // The demo user reaches one account, and sees that account's one live call.
    await ext.api.auth.signInWithPassword({
      baseUrl: suite.sandbox.url,
      userName: "demo",
      password: "demo-password",
      sandbox: true,
    });
    await settled(ext.api);
    expect(item.text).toBe("$(call-incoming) 1 live (Sandbox)");

    await vscode.commands.executeCommand("evoSessions.signOut");
    expect(item.hide).toHaveBeenCalled();
  });

  it("counts live calls of every account whatever the view's filters, and says as of when", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox, "admin");
    const item = ext.api.statusBar.item;
    expect(item.text).toBe("$(call-incoming) 3 live (Sandbox)");
    // 15:00 UTC is 10:00 in New York, the test zone.
    expect(String(item.tooltip)).toMatch(
      /3 live calls among the 50 newest .*filters do not apply.*as of 10:00/,
    );

    // Filtered to sessions with no live call, the count still covers every account.
    await ext.api.filters.update({ from: "no-such-caller-zzz" });
    await settled(ext.api);
    expect(ext.api.feed.sessions).toHaveLength(0);
    await vi.waitFor(() => expect(item.text).toBe("$(call-incoming) 3 live (Sandbox)"));
    expect(ext.view.badge).toEqual({ value: 3, tooltip: "3 live calls" });
  });

  it("refreshes on the configured interval only while the view is visible", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const ext = await suite.activate({
      settings: { "evoSessions.autoRefreshSeconds": 30, "evoSessions.pageSize": 20 },
    });
    await signInToSandbox(ext.api, suite.sandbox);
    // The view's reads use its page size (20); the live-call poll reads one page of 50.
    const reads = (countPerPage: string) =>
      suite.sandbox.requests.filter(
        (request) =>
          request.path === "/sessions" &&
          new URLSearchParams(request.query.replace(/^\?/, "")).get("countPerPage") ===
            countPerPage,
      ).length;

    const polls = reads("50");
    let before = reads("20");
    await vi.advanceTimersByTimeAsync(30_000);
    await settled(ext.api);
    expect(reads("20")).toBe(before + 1);
    // Visible and unfiltered, the view's own reads give the live count: no extra request.
    expect(reads("50")).toBe(polls);

    ext.view.setVisible(false);
    before = reads("20");
    // Hidden, the status bar polls at twice the interval: one poll a minute.
    await vi.advanceTimersByTimeAsync(59_000);
    expect(reads("50")).toBe(polls);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(reads("50")).toBe(polls + 1));
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(reads("50")).toBe(polls + 2));
    await settled(ext.api);
    expect(reads("20")).toBe(before);
    expect(ext.api.autoRefresh.active).toBe(false);

    ext.view.setVisible(true);
    await vi.advanceTimersByTimeAsync(30_000);
    await settled(ext.api);
    expect(reads("20")).toBeGreaterThan(before);

    // 0 turns it off.
    await changeSetting("evoSessions.autoRefreshSeconds", 0);
    expect(ext.api.autoRefresh.active).toBe(false);
    expect(ext.api.live.polling).toBe(false);
  });
});
