// The built extension as VS Code loads it: the production bundles, required with the mocked
// `vscode` module, the sandbox chunk loaded on demand, and the bundled MCP server spoken to
// over stdio the way VS Code's chat does.
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import Module, { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as vscode from "vscode";
import type { EvoSessionsApi } from "../src/extension.js";
import { jsonRpc } from "./support/mcp-child.js";
import { createExtensionContext, registeredCommands, resetHost } from "./support/vscode.js";

const root = fileURLToPath(new URL("..", import.meta.url));
// Built into a temporary folder laid out like the extension: the real dist/ (and the .vsix an
// end-to-end run may be installing from it) is never touched.
const buildRoot = mkdtempSync(join(tmpdir(), "evo-sessions-bundle-"));
const dist = join(buildRoot, "dist");
// The bundled MCP server reads its version from ../package.json, as it does in the .vsix.
copyFileSync(join(root, "package.json"), join(buildRoot, "package.json"));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> };
};

type ModuleLoader = { _load(request: string, parent: unknown, isMain: boolean): unknown };

describe("Built extension", () => {
  let bundle: {
    activate(context: vscode.ExtensionContext): Promise<EvoSessionsApi>;
    deactivate(): void;
  };
  let context: ReturnType<typeof createExtensionContext>;
  let api: EvoSessionsApi;
  const loader = Module as unknown as ModuleLoader;
  const originalLoad = loader._load;

  let distBefore: string[] | undefined;
  let navigatorBefore: PropertyDescriptor | undefined;
  let navigatorReads = 0;

  beforeAll(async () => {
    distBefore = snapshot(join(root, "dist"));
    await promisify(execFile)(
      process.execPath,
      [join(root, "esbuild.mjs"), "--production", "--outdir", dist],
      { cwd: root },
    );
    // VS Code's extension host logs a PendingMigrationError whenever an extension reads the
    // `navigator` global; this getter counts reads the same way.
    navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, "navigator");
    Object.defineProperty(globalThis, "navigator", {
      configurable: true,
      get() {
        navigatorReads += 1;
        return undefined;
      },
    });
    // The extension host provides `vscode` to every require; so does this.
    loader._load = function (request, parent, isMain) {
      return request === "vscode" ? vscode : originalLoad.call(this, request, parent, isMain);
    };
    bundle = createRequire(import.meta.url)(join(dist, "extension.js"));
    context = createExtensionContext();
    Object.assign(context, { extensionUri: vscode.Uri.file(buildRoot), extensionPath: buildRoot });
    api = await bundle.activate(context);
  }, 60_000);

  afterAll(async () => {
    bundle?.deactivate();
    resetHost(context);
    loader._load = originalLoad;
    if (navigatorBefore === undefined) Reflect.deleteProperty(globalThis, "navigator");
    else Object.defineProperty(globalThis, "navigator", navigatorBefore);
    rmSync(buildRoot, { recursive: true, force: true });
  });

  it("builds into the folder it is given and leaves dist/ alone", () => {
    expect(statSync(join(dist, "extension.js")).isFile()).toBe(true);
    expect(snapshot(join(root, "dist"))).toEqual(distBefore);
  });

  it("keeps the sandbox out of the main bundle, in its own file", () => {
    const main = readFileSync(join(dist, "extension.js"), "utf8");
    const sandbox = readFileSync(join(dist, "sandbox.js"), "utf8");
    expect(main).toContain('require("./sandbox.js")');
    expect(main).not.toContain("Northwind MSP");
    expect(sandbox).toContain("Northwind MSP");
    // Core (zod, libphonenumber-js) is its own chunk, loaded on first use (issue 17's budget).
    expect(statSync(join(dist, "extension.js")).size).toBeLessThanOrEqual(150_000);
    expect(main).toContain('require("./core.js")');
    expect(main).not.toContain("ZodError");
  });

  it("registers exactly the commands package.json contributes, and a tree for each view", () => {
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    expect(registeredCommands()).toEqual(contributed);
    const views = manifest.contributes.views.evoSessions!.map((view) => view.id);
    expect(views).toEqual(["evoSessions.sessions", "evoSessions.callbacks"]);
    for (const id of views)
      expect(vscode.window.createTreeView).toHaveBeenCalledWith(id, expect.anything());
  });

  it("Try the sandbox loads the sandbox chunk and shows its sessions", async () => {
    await vscode.commands.executeCommand("evoSessions.trySandbox");
    await waitFor(() => api.feed.status === "ready");
    expect(api.auth.connection).toMatchObject({ sandbox: true, inProcess: true });
    expect(api.feed.sessions.length).toBe(50);
    const roots = await api.tree.getChildren();
    expect(api.tree.getTreeItem(roots[0]!).label).toBe("Today");
  });

  it("never reads the `navigator` global, which VS Code's extension host logs as an error", () => {
    // Activation and the sandbox chunk (loaded by the test before) both ran by now.
    expect(api.auth.inProcessSandbox).toBeDefined();
    expect(navigatorReads).toBe(0);
  });

  it("the bundled MCP server answers list_sessions with the view's sign-in", async () => {
    const provider = api.mcp;
    const [definition] = provider.provideMcpServerDefinitions();
    const resolved = (await provider.resolveMcpServerDefinition(definition!))!;
    expect(resolved.args).toEqual([join(dist, "mcp-server.mjs")]);

    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    for (const [key, value] of Object.entries(resolved.env)) {
      if (value === null) delete env[key];
      else env[key] = String(value);
    }
    // Here the runtime is Node itself rather than VS Code's Electron binary.
    const child = spawn(process.execPath, resolved.args, { env, stdio: ["pipe", "pipe", "pipe"] });
    try {
      const rpc = jsonRpc(child);
      const init = await rpc("initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bundle-test", version: "0" },
      });
      expect(init).toMatchObject({ serverInfo: { name: expect.any(String) } });
      rpc.notify("notifications/initialized");
      const tools = (await rpc("tools/list", {})) as { tools: { name: string }[] };
      expect(tools.tools.map((tool) => tool.name)).toContain("list_sessions");
      const result = (await rpc("tools/call", { name: "list_sessions", arguments: {} })) as {
        content: { type: string; text: string }[];
        isError?: boolean;
      };
      expect(result.isError ?? false).toBe(false);
      const text = result.content.map((part) => part.text).join("\n");
      // The newest session the view shows is in the tool's answer.
      const newest = api.feed.sessions[0]!;
      expect(text).toContain(newest.id as string);
    } finally {
      child.kill();
    }
  }, 30_000);
});

/** Names and modification times of a folder's files (undefined when it does not exist). */
function snapshot(folder: string): string[] | undefined {
  try {
    return readdirSync(folder)
      .map((name) => `${name} ${statSync(join(folder, name)).mtimeMs}`)
      .sort();
  } catch {
    return undefined;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
