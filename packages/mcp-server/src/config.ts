/**
 * The one place this package reads `process.env`. Secrets (password, HTTP bearer token) come
 * only from the environment: command lines are visible to every user of the machine (`ps`)
 * and end up in shell history and MCP client configs shared in screenshots.
 */
import { isLoopbackHost, isValidTimeZone, systemTimeZone } from "@evo-sessions/core";

/** Default size of a tool answer, in estimated tokens (1 token ≈ 4 characters). */
export const DEFAULT_TOKEN_BUDGET = 4000;
/** Default cap on sessions `session_stats` reads for one answer. */
export const DEFAULT_STATS_MAX_SESSIONS = 5000;
/**
 * Default deadline of one tool call: below the 60 s after which MCP clients commonly give up
 * (`-32001 Request timed out`), so the user sees our message rather than a protocol timeout.
 */
export const DEFAULT_DEADLINE_MS = 45_000;
/** Production Evo Voice. */
export const DEFAULT_BASE_URL = "https://evovoice.io";

/** Settings of the MCP server; everything but the secrets may be logged. */
export interface EvoSessionsMcpConfig {
  /** Evo Voice origin, e.g. `https://evovoice.io`. */
  baseUrl: string;
  /** Sign-in user; undefined with no credentials configured. */
  userName?: string | undefined;
  /** Sign-in password (secret: never printed). */
  password?: string | undefined;
  /** Accounts searched when a tool call names none. Empty: every account the sign-in reaches. */
  defaultAccountIds: string[];
  /** IANA zone relative ranges and times in answers are resolved in. */
  timeZone: string;
  /** Bearer token HTTP clients must send (secret: never printed). */
  httpToken?: string | undefined;
  /** Size limit of a tool answer (text, structured JSON and links), in estimated tokens (chars / 4). */
  tokenBudget: number;
  /** Most sessions `session_stats` reads for one answer. */
  statsMaxSessions: number;
  /** Every tool call ends within this many milliseconds (default {@link DEFAULT_DEADLINE_MS}). */
  deadlineMs?: number | undefined;
  /** Plain http:// to a host other than this machine was allowed explicitly (warned about). */
  allowInsecureHttp?: boolean | undefined;
  /**
   * A local DuckDB store synced by `evo-sessions sync` (@evo-sessions/cli). When set, the
   * `query_sessions_sql` tool is registered and session_stats reads the store where it covers
   * the window; unset (the default), neither the tool nor DuckDB is loaded.
   */
  storePath?: string | undefined;
  /**
   * How recently days that still change (the live window) must have been synced for
   * session_stats to read them from the store (minutes, default 60).
   */
  storeMaxAgeMinutes?: number | undefined;
}

/** A configuration value is unusable; the message names the environment variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The environment variable or flag at fault. */
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(message);
    this.variable = variable;
  }
}

/** Every environment variable the server reads, with what it is for (for `--help` and the README). */
export const ENVIRONMENT_VARIABLES = {
  EVO_VOICE_BASE_URL: `Evo Voice origin, no path (default ${DEFAULT_BASE_URL}; staging: https://team.evovoice.io)`,
  EVO_VOICE_ALLOW_INSECURE_HTTP:
    "set to 1 to allow a plain http:// EVO_VOICE_BASE_URL to a host other than this machine (the password then travels unencrypted; a warning is logged)",
  EVO_VOICE_USERNAME: "Evo Voice user to sign in as (without it, the in-process sandbox is served)",
  EVO_VOICE_PASSWORD: "that user's password (secret; environment only)",
  EVO_VOICE_ACCOUNT_IDS:
    "comma-separated default account IDs searched when a tool call names none (default: every account the sign-in reaches)",
  EVO_VOICE_TIME_ZONE:
    "IANA time zone for relative ranges and times in answers (default: the system zone)",
  EVO_SESSIONS_MCP_TOKEN: "bearer token HTTP clients must send (secret; environment only)",
  EVO_SESSIONS_TOKEN_BUDGET: `largest answer (text, structured JSON and links together) in estimated tokens, 1 token ≈ 4 characters (default ${DEFAULT_TOKEN_BUDGET}, at least 1000)`,
  EVO_SESSIONS_STATS_MAX_SESSIONS: `most sessions session_stats reads per answer (default ${DEFAULT_STATS_MAX_SESSIONS})`,
  EVO_SESSIONS_DEADLINE_MS: `every tool call answers within this many milliseconds, retries included (default ${DEFAULT_DEADLINE_MS}, 1000–600000; keep it below your MCP client's timeout)`,
  EVO_SESSIONS_STORE:
    "path of a DuckDB store synced by `evo-sessions sync` (@evo-sessions/cli, installed beside this server): adds the read-only query_sessions_sql tool, and session_stats and missed_callbacks read the store where it covers the window (default: none, no DuckDB loaded)",
  EVO_SESSIONS_STORE_MAX_AGE:
    "minutes since the last sync within which days that still change (the last ~15) count as covered by the store (default 60; older: read from Evo Voice)",
} as const;

// Core owns time zone names; they stay part of this package's config API for its callers.
export { isValidTimeZone, systemTimeZone };

/** Reads the configuration from an environment (default `process.env`); throws {@link ConfigError}. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
): EvoSessionsMcpConfig {
  const read = (name: keyof typeof ENVIRONMENT_VARIABLES): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };

  const baseUrl = read("EVO_VOICE_BASE_URL") ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError(
      "EVO_VOICE_BASE_URL",
      `EVO_VOICE_BASE_URL is not a URL (got ${JSON.stringify(baseUrl)}); set it to an origin such as ${DEFAULT_BASE_URL}.`,
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(
      "EVO_VOICE_BASE_URL",
      `EVO_VOICE_BASE_URL must start with https:// (got ${parsed.protocol}).`,
    );
  }
  const allowInsecureHttp = /^(1|true|yes)$/i.test(read("EVO_VOICE_ALLOW_INSECURE_HTTP") ?? "");
  checkBaseUrl(parsed, allowInsecureHttp);

  const userName = read("EVO_VOICE_USERNAME");
  // Passwords may legitimately start or end with spaces: do not trim them.
  const rawPassword = env.EVO_VOICE_PASSWORD;
  const password = rawPassword === undefined || rawPassword === "" ? undefined : rawPassword;
  if ((userName === undefined) !== (password === undefined)) {
    const missing = userName === undefined ? "EVO_VOICE_USERNAME" : "EVO_VOICE_PASSWORD";
    throw new ConfigError(
      missing,
      `${missing} is not set but ${missing === "EVO_VOICE_USERNAME" ? "EVO_VOICE_PASSWORD" : "EVO_VOICE_USERNAME"} is: set both to sign in to Evo Voice, or neither to use the sandbox.`,
    );
  }

  const timeZone = read("EVO_VOICE_TIME_ZONE") ?? systemTimeZone();
  if (!isValidTimeZone(timeZone)) {
    throw new ConfigError(
      "EVO_VOICE_TIME_ZONE",
      `EVO_VOICE_TIME_ZONE is not an IANA time zone (got ${JSON.stringify(timeZone)}); use a name such as Europe/London or America/New_York.`,
    );
  }

  const httpToken = env.EVO_SESSIONS_MCP_TOKEN === "" ? undefined : env.EVO_SESSIONS_MCP_TOKEN;

  const storePath = read("EVO_SESSIONS_STORE");

  return {
    baseUrl: parsed.origin,
    allowInsecureHttp,
    ...(storePath === undefined ? {} : { storePath }),
    storeMaxAgeMinutes: readInt(read("EVO_SESSIONS_STORE_MAX_AGE"), "EVO_SESSIONS_STORE_MAX_AGE", {
      fallback: 60,
      min: 1,
      max: 100_000,
    }),
    deadlineMs: readInt(read("EVO_SESSIONS_DEADLINE_MS"), "EVO_SESSIONS_DEADLINE_MS", {
      fallback: DEFAULT_DEADLINE_MS,
      min: 1000,
      max: 600_000,
    }),
    userName,
    password,
    defaultAccountIds: splitList(read("EVO_VOICE_ACCOUNT_IDS")),
    timeZone,
    httpToken,
    tokenBudget: readInt(read("EVO_SESSIONS_TOKEN_BUDGET"), "EVO_SESSIONS_TOKEN_BUDGET", {
      fallback: DEFAULT_TOKEN_BUDGET,
      // Below this, the headers and one session in text and JSON do not fit.
      min: 1000,
      max: 200_000,
    }),
    statsMaxSessions: readInt(
      read("EVO_SESSIONS_STATS_MAX_SESSIONS"),
      "EVO_SESSIONS_STATS_MAX_SESSIONS",
      { fallback: DEFAULT_STATS_MAX_SESSIONS, min: 1, max: 1_000_000 },
    ),
  };
}

/**
 * The API lives at the root of the dashboard's origin (API-NOTES "Hosts"), so a path is refused
 * rather than cut off: it is most likely a dashboard page's address pasted whole, and silently
 * dropping it would hide that. Plain http:// leaves this machine only when explicitly allowed.
 */
function checkBaseUrl(url: URL, allowInsecureHttp: boolean): void {
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(
      "EVO_VOICE_BASE_URL",
      "EVO_VOICE_BASE_URL must not contain a user name or password; set EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD instead.",
    );
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
    const shown = `${url.origin}${url.pathname}`.slice(0, 120);
    throw new ConfigError(
      "EVO_VOICE_BASE_URL",
      `EVO_VOICE_BASE_URL must be an origin without a path or query (got ${JSON.stringify(shown)}): the Evo Voice API lives at the root of its host. Set it to ${url.origin}.`,
    );
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    throw new ConfigError(
      "EVO_VOICE_BASE_URL",
      `EVO_VOICE_BASE_URL is plain http:// to ${url.host}, which would send the password unencrypted. Use https://${url.host}, or set EVO_VOICE_ALLOW_INSECURE_HTTP=1 if this network is trusted.`,
    );
  }
}

/** True when the configuration can sign in to a real Evo Voice server. */
export function hasCredentials(config: EvoSessionsMcpConfig): boolean {
  return config.userName !== undefined && config.password !== undefined;
}

/** The configuration without secrets, for logs. */
export function describeConfig(config: EvoSessionsMcpConfig): Record<string, unknown> {
  return {
    baseUrl: config.baseUrl,
    userName: config.userName ?? null,
    password: config.password === undefined ? "(not set)" : "(set)",
    defaultAccountIds: config.defaultAccountIds,
    timeZone: config.timeZone,
    httpToken: config.httpToken === undefined ? "(not set)" : "(set)",
    tokenBudget: config.tokenBudget,
    statsMaxSessions: config.statsMaxSessions,
    deadlineMs: config.deadlineMs ?? DEFAULT_DEADLINE_MS,
    allowInsecureHttp: config.allowInsecureHttp === true,
    storePath: config.storePath ?? null,
    storeMaxAgeMinutes: config.storeMaxAgeMinutes ?? 60,
  };
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [
    ...new Set(
      value
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== ""),
    ),
  ];
}

function readInt(
  value: string | undefined,
  variable: string,
  limits: { fallback: number; min: number; max: number },
): number {
  if (value === undefined) return limits.fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < limits.min || number > limits.max) {
    throw new ConfigError(
      variable,
      `${variable} must be a whole number from ${limits.min} to ${limits.max} (got ${JSON.stringify(value)}).`,
    );
  }
  return number;
}
