import { afterEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { signInToSandbox, useSandboxSuite } from "./support/harness.js";
import { changeSetting, mcpProviders } from "./support/vscode.js";

describe("MCP server definition provider", () => {
  const suite = useSandboxSuite({ sandbox: { sessions: 100 } });
  const cancel = {
    isCancellationRequested: false,
    onCancellationRequested: () => ({ dispose() {} }),
  } as never;
  afterEach(() => {
    vi.mocked(vscode.window.showInformationMessage).mockReset();
  });

  it("registers as evoSessions and hands out the server with the view's sign-in, secrets only at start", async () => {
    const ext = await suite.activate();
    await signInToSandbox(ext.api, suite.sandbox, "msp");
    const msp = suite.sandbox.users.find((user) => user.userName === "msp")!;
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
      EVO_VOICE_BASE_URL: suite.sandbox.url,
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
    const ext = await suite.activate();
    const provider = mcpProviders.get("evoSessions")!;
    const changed = vi.fn();
    provider.onDidChangeMcpServerDefinitions!(changed);
    await signInToSandbox(ext.api, suite.sandbox, "demo");
    expect(changed).toHaveBeenCalled();
  });

  it("lists no server while signed out, and a server listed before sign-out does not start", async () => {
    const ext = await suite.activate();
    const provider = mcpProviders.get(
      "evoSessions",
    ) as vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>;
    expect(await provider.provideMcpServerDefinitions(cancel)).toEqual([]);

    await signInToSandbox(ext.api, suite.sandbox, "demo");
    const [definition] = (await provider.provideMcpServerDefinitions(cancel))!;
    const changed = vi.fn();
    provider.onDidChangeMcpServerDefinitions!(changed);
    await vscode.commands.executeCommand("evoSessions.signOut");
    // VS Code asks again, gets nothing, and stops the running server.
    expect(changed).toHaveBeenCalled();
    expect(await provider.provideMcpServerDefinitions(cancel)).toEqual([]);

    // A start VS Code had already begun gets no server and no password; one notice per window.
    expect(await provider.resolveMcpServerDefinition!(definition!, cancel)).toBeUndefined();
    expect(await provider.resolveMcpServerDefinition!(definition!, cancel)).toBeUndefined();
    // null: the MCP server's child environment removes the variable (never a password).
    expect(definition!.env.EVO_VOICE_PASSWORD ?? undefined).toBeUndefined();
    const notices = vi
      .mocked(vscode.window.showInformationMessage)
      .mock.calls.filter((call) => String(call[0]).includes("let chat read your sessions"));
    expect(notices).toHaveLength(1);
  });

  it("gives the server a new version when the user, accounts or time zone change", async () => {
    const ext = await suite.activate();
    const provider = mcpProviders.get(
      "evoSessions",
    ) as vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>;
    await signInToSandbox(ext.api, suite.sandbox, "msp");
    const version = async () => (await provider.provideMcpServerDefinitions(cancel))![0]!.version;
    const first = await version();
    expect(await version()).toBe(first);

    const changed = vi.fn();
    provider.onDidChangeMcpServerDefinitions!(changed);
    const msp = suite.sandbox.users.find((user) => user.userName === "msp")!;
    await ext.api.filters.update({ accountIds: [msp.accountIds[0]!] });
    expect(changed).toHaveBeenCalledTimes(1);
    const filtered = await version();
    expect(filtered).not.toBe(first);

    await changeSetting("evoSessions.timeZone", "Europe/London");
    expect(changed).toHaveBeenCalledTimes(2);
    const zoned = await version();
    expect(zoned).not.toBe(filtered);

    changed.mockClear();
    await signInToSandbox(ext.api, suite.sandbox, "admin");
    expect(changed).toHaveBeenCalled();
    expect(await version()).not.toBe(zoned);
  });
});
