#!/usr/bin/env node
/**
 * The quickstart: starts the backend (the sandbox unless credentials are configured) and the
 * MCP server over Streamable HTTP, then connects a real MCP client to it and prints the answer
 * of a `list_sessions` call. Keeps serving until Ctrl-C so other clients can connect;
 * `--once` exits after printing.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startBackend } from "./backend.js";
import { DEFAULT_HTTP_PORT, parsePort } from "./cli.js";
import { createContext } from "./context.js";
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
  let client: Client | undefined;
  try {
    const serve = (port: number) =>
      startHttpServer({
        createServer: () => createEvoSessionsMcpServer({ context }),
        port,
        token: running.config.httpToken,
        log,
      });
    const port = options.port ?? DEFAULT_HTTP_PORT;
    try {
      http = await serve(port);
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE" || port === 0) throw error;
      log.warn(`port ${port} is taken; using a free port instead`);
      http = await serve(0);
    }

    print(`evo-sessions-mcp ${VERSION} quickstart`);
    print(
      running.backend.kind === "sandbox"
        ? `Backend: SANDBOX (generated demo data) at ${running.backend.baseUrl}`
        : `Backend: Evo Voice at ${running.backend.baseUrl}`,
    );
    print(`MCP endpoint (Streamable HTTP): ${http.url}`);
    print("");

    const call = options.call ?? DEFAULT_CALL;
    client = new Client({ name: "evo-sessions-quickstart", version: VERSION });
    const headers: Record<string, string> =
      running.config.httpToken === undefined
        ? {}
        : { authorization: `Bearer ${running.config.httpToken}` };
    await client.connect(
      new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers } }),
    );
    print(`A real MCP client called list_sessions ${JSON.stringify(call)}:`);
    print("");
    const result = await client.callTool({ name: "list_sessions", arguments: call });
    const blocks = Array.isArray(result.content) ? result.content : [];
    for (const block of blocks) {
      if ((block as { type?: string }).type === "text") print((block as { text: string }).text);
    }
    print("");
    await client.close();
    client = undefined;
    if (result.isError === true) return 1;

    if (options.once === true) return 0;
    print(`Still serving at ${http.url} — connect an MCP client (see the README); Ctrl-C stops.`);
    await (options.untilStopped ?? untilSignal());
    return 0;
  } finally {
    await client?.close().catch(() => {});
    await http?.close();
    await running.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** Parses the quickstart's flags: `--once`, `--port N`, `--sandbox`. */
export function parseQuickstartArgs(argv: readonly string[]): QuickstartOptions {
  const options: QuickstartOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--once") options.once = true;
    else if (arg === "--sandbox") options.sandbox = true;
    else if (arg === "--port") options.port = parsePort(argv[++i] ?? "");
    else
      throw new Error(
        `unknown argument ${JSON.stringify(arg)} (quickstart takes --once, --port N, --sandbox)`,
      );
  }
  return options;
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
