// The MCP server as VS Code's chat runs it: a child process spoken to over stdio (newline-
// delimited JSON-RPC), started with the environment the server's own seam builds.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  childEnvironment,
  mergeChildEnvironment,
} from "@evo-sessions/mcp-server/child-environment";

/** Newline-delimited JSON-RPC over a child's stdio (MCP's stdio transport). */
export function jsonRpc(child: ChildProcess) {
  let nextId = 1;
  let buffer = "";
  let stderr = "";
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line === "") continue;
      const message = JSON.parse(line) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (waiter === undefined) continue;
      pending.delete(message.id as number);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    }
  });
  child.on("exit", (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`MCP server exited (${code}): ${stderr}`));
  });
  const call = (method: string, params: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin!.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  return Object.assign(call, {
    notify: (method: string) =>
      child.stdin!.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`),
  });
}

/** A tool's answer: its text and its structured content. */
export interface ToolAnswer {
  text: string;
  structured: Record<string, unknown>;
  isError: boolean;
}

/** A running MCP server child, initialised, and how to call its tools. */
export interface McpChild {
  callTool(name: string, args: Record<string, unknown>): Promise<ToolAnswer>;
  close(): void;
}

/**
 * Starts the built CLI (`@evo-sessions/mcp-server/cli`) signed in to `baseUrl`, with the
 * environment `childEnvironment` makes (what the extension hands VS Code), and initialises it.
 */
export async function startMcpChild(signIn: {
  baseUrl: string;
  userName: string;
  password: string;
  timeZone: string;
}): Promise<McpChild> {
  const cli = fileURLToPath(import.meta.resolve("@evo-sessions/mcp-server/cli"));
  const { timeZone, ...credentials } = signIn;
  const env = mergeChildEnvironment(
    process.env,
    childEnvironment({ signIn: { kind: "credentials", ...credentials }, timeZone }),
  );
  const child = spawn(process.execPath, [cli], { env, stdio: ["pipe", "pipe", "pipe"] });
  const rpc = jsonRpc(child);
  await rpc("initialize", {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "cross-surface-test", version: "0" },
  });
  rpc.notify("notifications/initialized");
  return {
    async callTool(name, args) {
      const result = (await rpc("tools/call", { name, arguments: args })) as {
        content: { type: string; text?: string }[];
        structuredContent?: Record<string, unknown>;
        isError?: boolean;
      };
      return {
        text: result.content.map((part) => part.text ?? "").join("\n"),
        structured: result.structuredContent ?? {},
        isError: result.isError ?? false,
      };
    },
    close: () => child.kill(),
  };
}
