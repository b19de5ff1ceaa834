import type { Sandbox } from "@evo-sessions/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import {
  activateForTest,
  resetSettings,
  signInToSandbox,
  startTestSandbox,
  type TestExtension,
} from "./support/harness.js";
import { mcpProviders } from "./support/vscode.js";

describe("MCP server definition provider", () => {
  let sandbox: Sandbox;
  let ext: TestExtension | undefined;
  const cancel = {
    isCancellationRequested: false,
    onCancellationRequested: () => ({ dispose() {} }),
  } as never;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ sessions: 100 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  afterEach(async () => {
    ext?.dispose();
    ext = undefined;
    vi.mocked(vscode.window.showInformationMessage).mockReset();
    await resetSettings();
  });

  it("registers as evoSessions and hands out the server with the view's sign-in, secrets only at start", async () => {
    ext = await activateForTest();
    await signInToSandbox(ext.api, sandbox, "msp");
    const msp = sandbox.users.find((user) => user.userName === "msp")!;
    await ext.api.filters.update({ accountIds: [msp.accountIds[0]!] });
    const provider = mcpProviders.get(
      "evoSessions",
    ) as vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>;
    expect(provider).toBeDefined();

    const [definition] = (await provider.provideMcpServerDefinitions(cancel))!;
    expect(definition!.label).toBe("Evo Voice Sessions");
    expect(definition!.command).toBe("/usr/bin/node");
    expect(definition!.args).toHaveLength(1);
    expect(definition!.args[0]).toMatch(/[\\/]dist[\\/]mcp-server\.mjs$/);
    expect(definition!.env).toMatchObject({
      ELECTRON_RUN_AS_NODE: "1",
      EVO_VOICE_BASE_URL: sandbox.url,
      EVO_VOICE_USERNAME: "msp",
      EVO_VOICE_ACCOUNT_IDS: msp.accountIds[0],
      EVO_VOICE_TIME_ZONE: "America/New_York",
    });
    // What VS Code may list and cache carries no secret.
    expect(JSON.stringify(definition)).not.toContain(msp.password);

    const resolved = (await provider.resolveMcpServerDefinition!(definition!, cancel))!;
    expect(resolved.env.EVO_VOICE_PASSWORD).toBe(msp.password);
    expect(resolved.args.join(" ")).not.toContain(msp.password);
    expect(resolved.command).not.toContain(msp.password);
  });

  it("tells VS Code when the sign-in changes", async () => {
    ext = await activateForTest();
    const provider = mcpProviders.get("evoSessions")!;
    const changed = vi.fn();
    provider.onDidChangeMcpServerDefinitions!(changed);
    await signInToSandbox(ext.api, sandbox, "demo");
    expect(changed).toHaveBeenCalled();
  });

  it("when signed out, starting the server offers to sign in and does not start without it", async () => {
    ext = await activateForTest();
    const provider = mcpProviders.get(
      "evoSessions",
    ) as vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>;
    const [definition] = (await provider.provideMcpServerDefinitions(cancel))!;
    expect(definition!.env.EVO_VOICE_USERNAME).toBeUndefined();
    vi.mocked(vscode.window.showInformationMessage).mockResolvedValueOnce(undefined);
    expect(await provider.resolveMcpServerDefinition!(definition!, cancel)).toBeUndefined();
    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith(
      expect.stringContaining("sign in"),
      "Sign In",
      "Try the Sandbox",
    );
  });
});
