import {
  createEvoVoiceClient,
  type EvoVoiceClient,
  type EvoVoiceClientOptions,
} from "@evo-sessions/core";
import { startSandbox, type Sandbox } from "@evo-sessions/sandbox";
import { DEFAULT_DEADLINE_MS, hasCredentials, type EvoSessionsMcpConfig } from "./config.js";
import type { Backend } from "./context.js";
import { upstreamLogHooks, type Logger } from "./log.js";
import { VERSION } from "./server.js";

/** A client connected to Evo Voice or to an in-process sandbox. */
export interface RunningBackend {
  client: EvoVoiceClient;
  backend: Backend;
  /** The configuration the tools should use (sandbox mode drops real-account defaults). */
  config: EvoSessionsMcpConfig;
  /** The sandbox, when one was started. */
  sandbox?: Sandbox | undefined;
  close(): Promise<void>;
}

/** Options of {@link startBackend}. */
export interface BackendOptions {
  /** Serve the sandbox even when credentials are set. */
  sandbox?: boolean;
  /** Sandbox live mode: some sessions progress in real time. */
  live?: boolean;
  /** Sandbox port (default: a free one). */
  sandboxPort?: number;
  log: Logger;
}

/**
 * Client options that keep every call inside the tool-call deadline: each core call ends a
 * little before it (so core's own message, which says how long it waited, is what the user
 * sees), and an attempt takes at most a third of it, so one hang leaves room for two retries.
 * The tool-call deadline itself (see server.ts) covers tools that make several calls.
 */
export function clientTimingOptions(
  config: EvoSessionsMcpConfig,
): Pick<EvoVoiceClientOptions, "deadlineMs" | "timeoutMs"> {
  const deadlineMs = config.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return {
    deadlineMs: Math.max(deadlineMs - Math.min(2000, deadlineMs * 0.1), deadlineMs / 2),
    timeoutMs: Math.max(1, Math.min(30_000, Math.round(deadlineMs / 3))),
  };
}

/**
 * Connects to Evo Voice with the configured credentials, or — with `sandbox`, or when no
 * credentials are configured — starts the sandbox in this process and signs in as one of its
 * demo users. The sandbox is announced loudly: its data must never be mistaken for real calls.
 */
export async function startBackend(
  config: EvoSessionsMcpConfig,
  options: BackendOptions,
): Promise<RunningBackend> {
  const userAgent = `evo-sessions-mcp/${VERSION}`;
  if (options.sandbox !== true && hasCredentials(config)) {
    if (config.allowInsecureHttp === true && config.baseUrl.startsWith("http:")) {
      options.log.warn(
        `EVO_VOICE_ALLOW_INSECURE_HTTP is set: the password and session cookies travel to ${config.baseUrl} UNENCRYPTED. Use https:// unless this network is trusted.`,
      );
    }
    const client = createEvoVoiceClient({
      baseUrl: config.baseUrl,
      userAgent,
      ...clientTimingOptions(config),
      allowInsecureHttp: config.allowInsecureHttp === true,
      hooks: upstreamLogHooks(options.log),
      auth: {
        type: "credentials",
        userName: config.userName as string,
        password: config.password as string,
      },
    });
    options.log.info(`serving Evo Voice at ${config.baseUrl} as ${config.userName}`);
    return {
      client,
      backend: { kind: "evo-voice", baseUrl: config.baseUrl },
      config,
      async close() {},
    };
  }

  return startSandboxBackend(config, options, userAgent);
}

/** Starts the in-process sandbox and signs in as its multi-account demo user. */
async function startSandboxBackend(
  config: EvoSessionsMcpConfig,
  options: BackendOptions,
  userAgent: string,
): Promise<RunningBackend> {
  const sandbox = await startSandbox({
    // As many as the sandbox CLI serves: enough for a day's list and stats to look real.
    sessions: 5000,
    ...(options.sandboxPort === undefined ? {} : { port: options.sandboxPort }),
    ...(options.live === true ? { live: true } : {}),
  });
  const user = sandbox.users.find((u) => u.kind === "multi") ?? sandbox.users[0];
  if (user === undefined) {
    await sandbox.close();
    throw new Error("the sandbox has no demo users");
  }
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    userAgent,
    ...clientTimingOptions(config),
    hooks: upstreamLogHooks(options.log),
    auth: { type: "credentials", userName: user.userName, password: user.password },
  });
  announceSandbox(options, sandbox.url, user.userName);
  if (config.defaultAccountIds.length > 0) {
    options.log.warn(
      "EVO_VOICE_ACCOUNT_IDS is ignored in sandbox mode (its accounts are generated).",
    );
  }
  return {
    client,
    backend: { kind: "sandbox", baseUrl: sandbox.url },
    config: { ...config, baseUrl: sandbox.url, defaultAccountIds: [] },
    sandbox,
    async close() {
      await sandbox.close();
    },
  };
}

/** The loud banner: sandbox data must never be mistaken for real calls. */
function announceSandbox(options: BackendOptions, url: string, userName: string): void {
  const why =
    options.sandbox === true
      ? "--sandbox was given"
      : "EVO_VOICE_USERNAME/EVO_VOICE_PASSWORD are not set";
  const bar = "=".repeat(78);
  options.log.warn(
    [
      bar,
      `SANDBOX MODE (${why}): serving GENERATED DEMO DATA from an in-process`,
      `Evo Voice sandbox at ${url}, signed in as demo user "${userName}".`,
      ...(options.sandbox === true
        ? [
            "Nothing here is a real call. To use Evo Voice, start this server without",
            "--sandbox (with EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in its environment).",
          ]
        : [
            "Nothing here is a real call. To use Evo Voice, set EVO_VOICE_USERNAME and",
            "EVO_VOICE_PASSWORD in this server's environment and restart it.",
          ]),
      bar,
    ].join("\n"),
  );
}
