import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("EVO_")) env[key] = value;
  }
  return env;
};

describe("the evo-sessions-mcp bin over stdio", () => {
  let client: Client;
  let stderr = "";

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error("build first: npx tsc -p tsconfig.build.json");
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, "--sandbox"],
      env: { ...cleanEnv(), EVO_VOICE_TIME_ZONE: "UTC" },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: "stdio-test", version: "0" });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
  });

  it("serves the sandbox, announcing it in the log and in every answer", async () => {
    const list = await client.callTool({
      name: "list_sessions",
      arguments: { range: "last_7_days", limit: 3 },
    });
    const stats = await client.callTool({
      name: "session_stats",
      arguments: { range: "today", by: "outcome" },
    });
    const accounts = await client.callTool({ name: "list_accounts", arguments: {} });
    for (const result of [list, stats, accounts]) {
      expect(result.isError).toBeFalsy();
      const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
      expect(text.startsWith("⚠ SANDBOX")).toBe(true);
      expect((result.structuredContent as { sandbox?: true }).sandbox).toBe(true);
    }
    expect(stderr).toContain("SANDBOX MODE");
    expect(stderr).toContain("start this server without\n--sandbox");
    expect(stderr).toContain("serving MCP over stdio");
  });

  it("refuses a password on the command line, pointing to the environment variable", () => {
    const run = spawnSync(process.execPath, [cli, "--password", "hunter2"], {
      env: cleanEnv(),
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("EVO_VOICE_PASSWORD");
    expect(run.stderr).not.toContain("hunter2");
    expect(run.stdout).toBe("");
  });

  it("reports a bad configuration by its variable", () => {
    const run = spawnSync(process.execPath, [cli], {
      env: { ...cleanEnv(), EVO_VOICE_TIME_ZONE: "Mars/Olympus" },
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("EVO_VOICE_TIME_ZONE");
  });

  it.each([["--help"], ["--version"]])("%s prints to stdout", (flag) => {
    const run = spawnSync(process.execPath, [cli, flag], {
      env: cleanEnv(),
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      flag === "--help" ? /^evo-sessions-mcp .*Usage:/s : /^\d+\.\d+\.\d+\n$/,
    );
    expect(run.stderr).toBe("");
  });

  it("an unknown flag is echoed by name only, never with its value", () => {
    const run = spawnSync(process.execPath, [cli, "--passwd=hunter2"], {
      env: cleanEnv(),
      encoding: "utf8",
      timeout: 10_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Unknown argument "--passwd"');
    expect(run.stderr).not.toContain("hunter2");
  });
});
