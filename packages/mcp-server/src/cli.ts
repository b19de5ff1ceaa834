#!/usr/bin/env node
import { parseArgs } from "node:util";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { startBackend } from "./backend.js";
import { describeConfig, ENVIRONMENT_VARIABLES } from "./config.js";
import { createContext, type EvoSessionsContext } from "./context.js";
import { isEntryPoint, loadConfigOrLog, runScript } from "./entry-point.js";
import { createStderrLogger, type Logger } from "./log.js";
import { createEvoSessionsMcpServer, VERSION } from "./server.js";
import { startHttpServer } from "./transports/http.js";
import { createStdioTransport } from "./transports/stdio.js";

/** Parsed command line of `evo-sessions-mcp`. */
export interface CliOptions {
  http: boolean;
  port: number;
  host: string;
  sandbox: boolean;
  live: boolean;
  stateless: boolean;
  allowedHosts: string[];
  allowedOrigins: string[];
  help: boolean;
  version: boolean;
}

/** Default HTTP port. */
export const DEFAULT_HTTP_PORT = 3920;

/** The command line was not understood; the message says what to do instead. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

// Flags people reach for to pass secrets: refused, because command lines are visible to
// every user of the machine (`ps`) and stored in shell history and MCP client configs.
const SECRET_FLAGS: Record<string, string> = {
  password: "EVO_VOICE_PASSWORD",
  pass: "EVO_VOICE_PASSWORD",
  pw: "EVO_VOICE_PASSWORD",
  username: "EVO_VOICE_USERNAME",
  user: "EVO_VOICE_USERNAME",
  token: "EVO_SESSIONS_MCP_TOKEN",
  "mcp-token": "EVO_SESSIONS_MCP_TOKEN",
  "bearer-token": "EVO_SESSIONS_MCP_TOKEN",
  cookie: "EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD",
};

/** The `--help` text. */
export const USAGE = `evo-sessions-mcp ${VERSION} — MCP server for Evo Voice sessions (read-only)

Usage: evo-sessions-mcp [--http [--port N] [--host H] [--stateless] [--allow-host H]
                        [--allow-origin O]] [--sandbox [--live]]

Tools: list_sessions, get_session, session_stats, list_accounts; prompts triage_missed_calls and
explain_session; resource evo-sessions://sessions/{id}.

  (no flags)        serve MCP over stdio (for Claude Desktop, Cursor, VS Code)
  --http            serve Streamable HTTP at http://HOST:PORT/mcp instead
  --port N          HTTP port (default ${DEFAULT_HTTP_PORT}; 0 picks a free one)
  --host H          HTTP interface (default 127.0.0.1; only this machine can connect)
  --stateless       HTTP without MCP sessions (for several instances behind a load balancer)
  --allow-host H    also accept this Host header name (repeatable; loopback is always accepted)
  --allow-origin O  also accept this browser Origin, e.g. https://app.example.com (repeatable)
  --sandbox         serve the in-process sandbox (generated demo data) even with credentials
  --live            with the sandbox: some sessions progress in real time
  --version, --help

Configuration comes from the environment only (secrets never on the command line):
${Object.entries(ENVIRONMENT_VARIABLES)
  .map(([name, text]) => `  ${name.padEnd(32)} ${text}`)
  .join("\n")}

Without EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD the sandbox is served (and says so).
Logs go to stderr.

Examples:
  evo-sessions-mcp --sandbox                 demo data over stdio (what an MCP client starts)
  evo-sessions-mcp --http --port 0           Streamable HTTP on a free port; the URL is logged
  export EVO_SESSIONS_MCP_TOKEN=$(openssl rand -hex 24); evo-sessions-mcp --http
                                             HTTP that requires that bearer token`;

/** Reads a `--port` value: 0 (any free port) to 65535; throws {@link UsageError}. */
export function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    throw new UsageError(
      `--port must be a port number from 0 to 65535 (got ${JSON.stringify(clip(text, 60))}).`,
    );
  }
  return Number(text);
}

/** A flag of a command, by long name: how parseArgs reads it, and what it does to `T`. */
export type FlagSpecs<T> = Record<
  string,
  { type: "string" | "boolean"; short?: string; apply: (options: T, value: string) => void }
>;

/**
 * Applies the flags of `argv` in order, read by `node:util` parseArgs (`--flag value` or
 * `--flag=value`; `--` ends the flags, and no command takes positional arguments). Not strict,
 * so that each mistake gets its own {@link UsageError} naming the argument, without its value;
 * `unknown` words the message for an unknown argument (its name, quoted and clipped).
 */
export function applyFlags<T>(
  argv: readonly string[],
  specs: FlagSpecs<T>,
  options: T,
  unknown: (argument: string) => string,
): T {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(specs).map(([name, { type, short }]) => [
        name,
        short === undefined ? { type } : { type, short },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    // A stray word is shortened: it might be a secret pasted in the wrong place.
    if (token.kind === "positional")
      throw new UsageError(unknown(JSON.stringify(clip(token.value, 3))));
    refuseSecretFlag(argv[token.index] ?? token.rawName);
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    // Only the flag's name: `--passwd=hunter2` must not echo its value to a log.
    if (spec === undefined) throw new UsageError(unknown(JSON.stringify(clip(token.rawName, 60))));
    const flag = `--${token.name}`;
    if (spec.type === "boolean" && token.value !== undefined)
      throw new UsageError(`${flag} takes no value.`);
    if (
      spec.type === "string" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("--")))
    )
      throw new UsageError(`${flag} needs a value.`);
    spec.apply(options, token.value ?? "");
  }
  return options;
}

/** Throws when `arg` (as typed, e.g. `--password=x` or `-pw`) is a flag for a secret. */
function refuseSecretFlag(arg: string): void {
  const flag = arg.startsWith("--") ? (arg.split("=", 1)[0] as string) : arg;
  const name = flag.replace(/^--?/, "").toLowerCase();
  if (!Object.hasOwn(SECRET_FLAGS, name)) return;
  throw new UsageError(
    `${clip(flag, 60)} is refused: credentials are read from the environment only, never from the command line (it is visible to other users and kept in shell history). Set ${SECRET_FLAGS[name]} in the server's environment instead (in an MCP client config: its "env" block).`,
  );
}

const CLI_FLAGS: FlagSpecs<CliOptions> = {
  http: {
    type: "boolean",
    apply: (o) => {
      o.http = true;
    },
  },
  port: {
    type: "string",
    apply: (o, v) => {
      o.port = parsePort(v);
    },
  },
  host: {
    type: "string",
    apply: (o, v) => {
      o.host = v;
    },
  },
  sandbox: {
    type: "boolean",
    apply: (o) => {
      o.sandbox = true;
    },
  },
  live: {
    type: "boolean",
    apply: (o) => {
      o.live = true;
    },
  },
  stateless: {
    type: "boolean",
    apply: (o) => {
      o.stateless = true;
    },
  },
  "allow-host": {
    type: "string",
    apply: (o, v) => {
      o.allowedHosts.push(v);
    },
  },
  "allow-origin": {
    type: "string",
    apply: (o, v) => {
      o.allowedOrigins.push(v);
    },
  },
  help: {
    type: "boolean",
    short: "h",
    apply: (o) => {
      o.help = true;
    },
  },
  version: {
    type: "boolean",
    short: "v",
    apply: (o) => {
      o.version = true;
    },
  },
};

/** Parses the command line; throws {@link UsageError}. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options = applyFlags(
    argv,
    CLI_FLAGS,
    {
      http: false,
      port: DEFAULT_HTTP_PORT,
      host: "127.0.0.1",
      sandbox: false,
      live: false,
      stateless: false,
      allowedHosts: [],
      allowedOrigins: [],
      help: false,
      version: false,
    },
    (argument) => `Unknown argument ${argument}. Run evo-sessions-mcp --help.`,
  );
  if (
    !options.http &&
    (options.stateless || options.allowedHosts.length > 0 || options.allowedOrigins.length > 0)
  ) {
    throw new UsageError("--stateless, --allow-host and --allow-origin only apply with --http.");
  }
  return options;
}

/** `text`, shortened to `max` characters with an ellipsis. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Runs the server until stdin closes (stdio) or a signal arrives; returns the exit code. */
export async function main(
  argv: readonly string[],
  log: Logger = createStderrLogger(),
): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      log.error(error.message);
      return 2;
    }
    throw error;
  }
  // Asked-for output goes to stdout (`evo-sessions-mcp --help | less`); nothing is served then.
  if (options.help || options.version) {
    process.stdout.write(`${options.help ? USAGE : VERSION}\n`);
    return 0;
  }
  const config = loadConfigOrLog(log);
  if (config === undefined) return 2;
  const running = await startBackend(config, { sandbox: options.sandbox, live: options.live, log });
  log.info(`configuration: ${JSON.stringify(describeConfig(running.config))}`);
  const context = createContext({
    client: running.client,
    config: running.config,
    backend: running.backend,
    log,
  });
  const stop = options.http
    ? await serveHttp(options, running.config.httpToken, context, log)
    : serveOverStdio(context, log);
  return await untilStopped(log, !options.http, async () => {
    await stop().catch(() => {});
    await running.close().catch(() => {});
  });
}

/** Serves Streamable HTTP (both protocol revisions at one endpoint); resolves with its stop. */
async function serveHttp(
  options: CliOptions,
  token: string | undefined,
  context: EvoSessionsContext,
  log: Logger,
): Promise<() => Promise<void>> {
  const http = await startHttpServer({
    createServer: () => createEvoSessionsMcpServer({ context }),
    host: options.host,
    port: options.port,
    stateless: options.stateless,
    token,
    allowedHosts: options.allowedHosts,
    allowedOrigins: options.allowedOrigins,
    log,
  });
  log.info(
    `MCP endpoint (Streamable HTTP${options.stateless ? ", stateless" : ""}): ${http.url}${token === undefined ? "" : " (bearer token required)"}`,
  );
  if (token === undefined && options.host !== "127.0.0.1" && options.host !== "localhost") {
    log.warn(
      `listening on ${options.host} without EVO_SESSIONS_MCP_TOKEN: anyone who can reach it can read sessions.`,
    );
  }
  return () => http.close();
}

/**
 * Serves stdio through the SDK's serveStdio, which picks the revision from the client's first
 * message (an `initialize` for 2025-11-25, a 2026-07-28 request otherwise) and builds one server
 * for the connection from the factory.
 */
function serveOverStdio(context: EvoSessionsContext, log: Logger): () => Promise<void> {
  const handle = serveStdio(() => createEvoSessionsMcpServer({ context }), {
    // stdin through a line-length guard (the HTTP body limit); a longer line is refused alone.
    transport: createStdioTransport({ log }),
    onerror: (error) => log.warn(`stdio: ${error.message}`),
  });
  log.info("serving MCP over stdio");
  return () => handle.close();
}

/** Resolves with exit code 0 once SIGINT, SIGTERM or (stdio) the end of stdin has run `stop`. */
function untilStopped(log: Logger, stdio: boolean, stop: () => Promise<void>): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (reason: string) => {
      if (stopping) return;
      stopping = true;
      log.info(`stopping (${reason})`);
      void stop().then(() => resolve(0));
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    // A stdio client that goes away closes stdin: that is the end of the session.
    if (stdio) process.stdin.once("end", () => shutdown("stdin closed"));
  });
}

if (isEntryPoint(import.meta.url)) runScript("evo-sessions-mcp", () => main(process.argv.slice(2)));
