// A failed refresh keeps the last rows and says they are old, and since when.
import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import { settled, useSandboxSuite } from "./support/harness.js";

describe("Stale rows", () => {
  const suite = useSandboxSuite({ signedIn: {} });

  it("after a failed refresh the view says the rows are from the last good load", async () => {
    const loadedAt = suite.ext.api.feed.loadedAt!;
    expect(suite.ext.view.description).not.toMatch(/stale/);
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(suite.ext.api);
    expect(suite.ext.api.feed.sessions.length).toBeGreaterThan(0);
    const clock = new Intl.DateTimeFormat("en-GB", {
      timeZone: suite.ext.api.settings.current.timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(loadedAt);
    expect(suite.ext.view.description).toMatch(new RegExp(`^stale since ${clock}`));
    expect(suite.ext.view.message).toMatch(new RegExp(`Couldn't refresh .*loaded at ${clock}`));
    suite.sandbox.faults.clear();
    await vscode.commands.executeCommand("evoSessions.refresh");
    await settled(suite.ext.api);
    expect(suite.ext.view.description).not.toMatch(/stale/);
  });
});
