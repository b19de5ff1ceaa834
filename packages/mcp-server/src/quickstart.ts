#!/usr/bin/env node
/**
 * The quickstart: starts the backend (the sandbox unless credentials are configured) and the
 * MCP server over Streamable HTTP, then connects a real MCP client to it and prints the answer
 * of a `list_sessions` call. Keeps serving until Ctrl-C so other clients can connect;
 * `--once` exits after printing.
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startBackend } from "./backend.js";
import { applyFlags, DEFAULT_HTTP_PORT, parsePort, type FlagSpecs } from "./cli.js";
import { createContext, type EvoSessionsContext } from "./context.js";
import { isEntryPoint, loadConfigOrLog, runScript } from "./entry-point.js";
import { createStderrLogger, type Logger } from "./log.js";
import { createEvoSessionsMcpServer, VERSION } from "./server.js";
import { startHttpServer, type RunningHttpServer } from "./transports/http.js";

/** Options of {@link runQuickstart}. */
export interface QuickstartOptions {
  /** Port to try first (default 3920); a free port is used when it is taken. */
  port?: number;
  /** Exit after printing instead of serving until Ctrl-C. */
  once?: boolean;
  /** Serve the sandbox even when credentials are configured. */
  sandbox?: boolean;
  /** The demo call's arguments (default: yesterday's missed calls). */
  call?: Record<string, unknown>;
  /** Where the human-readable output goes (default stdout). */
  print?: (line: string) => void;
  log?: Logger;
  /** Resolves when serving should stop (default: SIGINT/SIGTERM). */
  untilStopped?: Promise<void>;
}

const DEFAULT_CALL = { range: "yesterday", missed: true, limit: 10 };

/** Runs the quickstart; resolves with the exit code. */
export async function runQuickstart(options: QuickstartOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = options.log ?? createStderrLogger("quickstart");
  const config = loadConfigOrLog(log);
  if (config === undefined) return 2;
  const running = await startBackend(config, { sandbox: options.sandbox === true, log });
  const context = createContext({
    client: running.client,
    config: running.config,
    backend: running.backend,
    log,
  });
  let http: RunningHttpServer | undefined;
  try {
    http = await serveOnPort(context, running.config.httpToken, options.port, log);
    print(`evo-sessions-mcp ${VERSION} quickstart`);
    print(
      running.backend.kind === "sandbox"
        ? `Backend: SANDBOX (generated demo data) at ${running.backend.baseUrl}`
        : `Backend: Evo Voice at ${running.backend.baseUrl}`,
    );
    print(`MCP endpoint (Streamable HTTP): ${http.url}`);
    print("");
    const call = options.call ?? DEFAULT_CALL;
    const ok = await printSampleAnswer(http.url, running.config.httpToken, call, print);
    if (!ok) return 1;
    for (const line of connectLines(http.url, running.config.httpToken !== undefined)) print(line);
    if (options.once === true) return 0;
    print("");
    print(`Still serving at ${http.url}; Ctrl-C stops.`);
    await (options.untilStopped ?? untilSignal());
    return 0;
  } finally {
    await http?.close();
    await running.close();
  }
}

/** The HTTP server on `port` (default 3920), or on a free port when that one is taken. */
async function serveOnPort(
  context: EvoSessionsContext,
  token: string | undefined,
  port: number = DEFAULT_HTTP_PORT,
  log: Logger,
): Promise<RunningHttpServer> {
  const serve = (on: number) =>
    startHttpServer({
      createServer: () => createEvoSessionsMcpServer({ context }),
      port: on,
      token,
      log,
    });
  try {
    return await serve(port);
  } catch (error) {
    if ((error as { code?: string }).code !== "EADDRINUSE" || port === 0) throw error;
    log.warn(`port ${port} is taken; using a free port instead`);
    return await serve(0);
  }
}

/**
 * Connects the SDK's client (revision 2026-07-28 when the server offers it, which this one
 * does), calls list_sessions and prints the answer's text; false when the answer is an isError.
 */
async function printSampleAnswer(
  url: string,
  token: string | undefined,
  call: Record<string, unknown>,
  print: (line: string) => void,
): Promise<boolean> {
  const client = new Client(
    { name: "evo-sessions-quickstart", version: VERSION },
    { versionNegotiation: { mode: "auto" } },
  );
  const headers: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
    );
    print(`A real MCP client called list_sessions ${JSON.stringify(call)}:`);
    print("");
    const result = await client.callTool({ name: "list_sessions", arguments: call });
    for (const block of result.content) if (block.type === "text") print(block.text);
    print("");
    return result.isError !== true;
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Copy-paste lines that connect the common MCP clients to `url`. The token itself is never
 * printed: the lines refer to EVO_SESSIONS_MCP_TOKEN, which the shell expands. Claude Desktop's
 * configuration file takes only stdio servers, hence the mcp-remote bridge there.
 */
export function connectLines(url: string, tokenRequired: boolean): string[] {
  const bearer = "Authorization: Bearer $EVO_SESSIONS_MCP_TOKEN";
  const headers = tokenRequired
    ? { headers: { Authorization: "Bearer ${env:EVO_SESSIONS_MCP_TOKEN}" } }
    : {};
  const remoteArgs = ["-y", "mcp-remote", url, ...(tokenRequired ? ["--header", bearer] : [])];
  const vsCode = JSON.stringify({ name: "evo-sessions", type: "http", url, ...headers });
  return [
    "Connect an assistant to this server (copy one line):",
    `  Claude Code:    claude mcp add --transport http evo-sessions ${url}${tokenRequired ? ` --header "${bearer}"` : ""}`,
    `  VS Code:        code --add-mcp '${vsCode}'`,
    `  Cursor:         ~/.cursor/mcp.json → ${JSON.stringify({ mcpServers: { "evo-sessions": { url, ...headers } } })}`,
    `  Claude Desktop: claude_desktop_config.json → ${JSON.stringify({ mcpServers: { "evo-sessions": { command: "npx", args: remoteArgs } } })}`,
  ];
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

const QUICKSTART_FLAGS: FlagSpecs<QuickstartOptions> = {
  once: {
    type: "boolean",
    apply: (o) => {
      o.once = true;
    },
  },
  port: {
    type: "string",
    apply: (o, v) => {
      o.port = parsePort(v);
    },
  },
  sandbox: {
    type: "boolean",
    apply: (o) => {
      o.sandbox = true;
    },
  },
};

/** Parses the quickstart's flags: `--once`, `--port N` (or `--port=N`), `--sandbox`. */
export function parseQuickstartArgs(argv: readonly string[]): QuickstartOptions {
  return applyFlags(
    argv,
    QUICKSTART_FLAGS,
    {},
    (argument) => `unknown argument ${argument} (quickstart takes --once, --port N, --sandbox)`,
  );
}

if (isEntryPoint(import.meta.url)) {
  let options: QuickstartOptions;
  try {
    options = parseQuickstartArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`[quickstart] error: ${(error as Error).message}\n`);
    process.exit(2);
  }
  runScript("quickstart", () => runQuickstart(options));
}
