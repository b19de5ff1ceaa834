import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { settled, signInToSandbox, useSandboxSuite } from "./support/harness.js";
import { changeSetting } from "./support/vscode.js";

describe("Live calls and auto-refresh", () => {
  const suite = useSandboxSuite({
    // Three calls in progress (one per slot), held still for the test's length.
    sandbox: { live: true, liveCalls: 3, liveStepMs: 600_000 },
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

  it("refreshes on the configured interval only while the view is visible", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const ext = await suite.activate({ settings: { "evoSessions.autoRefreshSeconds": 30 } });
    await signInToSandbox(ext.api, suite.sandbox);
    const lists = () =>
      suite.sandbox.requests.filter((request) => request.path === "/sessions").length;

    let before = lists();
    await vi.advanceTimersByTimeAsync(30_000);
    await settled(ext.api);
    expect(lists()).toBe(before + 1);

    ext.view.setVisible(false);
    before = lists();
    await vi.advanceTimersByTimeAsync(120_000);
    await settled(ext.api);
    expect(lists()).toBe(before);
    expect(ext.api.autoRefresh.active).toBe(false);

    ext.view.setVisible(true);
    await vi.advanceTimersByTimeAsync(30_000);
    await settled(ext.api);
    expect(lists()).toBeGreaterThan(before);

    // 0 turns it off.
    await changeSetting("evoSessions.autoRefreshSeconds", 0);
    expect(ext.api.autoRefresh.active).toBe(false);
  });
});
