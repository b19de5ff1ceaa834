// Views VS Code starts collapsed read nothing until they are opened: the Callbacks view
// (contributed `"visibility": "collapsed"`) reads its queue when first shown, not at sign-in.
import { describe, expect, it } from "vitest";
import { signInToSandbox, useSandboxSuite } from "./support/harness.js";
import { treeViews } from "./support/vscode.js";

describe("Collapsed views", () => {
  const suite = useSandboxSuite();

  it("the Callbacks view reads sessions only once it is shown", async () => {
    const ext = await suite.activate();
    const callbacks = treeViews.get("evoSessions.callbacks")!;
    expect(callbacks.visible).toBe(false);
    expect(ext.view.visible).toBe(true);
    await signInToSandbox(ext.api, suite.sandbox);
    const wide = () =>
      suite.sandbox.requests.filter(
        (request) => request.path === "/sessions" && request.query.includes("countPerPage=100"),
      ).length;
    expect(wide()).toBe(0);

    callbacks.setVisible(true);
    // Shown, it reads on its own (onDidChangeVisibility), without a Refresh.
    for (let waited = 0; wide() === 0 && waited < 5000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(wide()).toBeGreaterThan(0);
  });
});
