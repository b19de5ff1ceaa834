/**
 * The one place this package reads `process.env`: the same variables as the MCP server, read
 * the same way (secrets only from the environment, never from flags).
 */
import {
  isLoopbackHost,
  isValidTimeZone,
  systemTimeZone,
  DEFAULT_BASE_URL,
} from "@evo-sessions/core";
import { CliError } from "./errors.js";

/** What the command line reads from its environment. */
export interface CliEnvironment {
  baseUrl: string;
  userName: string | undefined;
  /** Secret: never printed. */
  password: string | undefined;
  /** Accounts used when a command names none (empty: every account the sign-in reaches). */
  defaultAccountIds: string[];
  timeZone: string;
  allowInsecureHttp: boolean;
}

/** Every variable read, with what it is for (for `--help` and the README). */
export const ENVIRONMENT_VARIABLES = {
  EVO_VOICE_BASE_URL: `Evo Voice origin, no path (default ${DEFAULT_BASE_URL})`,
  EVO_VOICE_USERNAME:
    "user to sign in as; without it and the password, the sandbox is used (said on stderr)",
  EVO_VOICE_PASSWORD: "that user's password (secret; environment only)",
  EVO_VOICE_ACCOUNT_IDS: "comma-separated default account IDs (default: every account reachable)",
  EVO_VOICE_TIME_ZONE:
    "IANA zone of relative ranges, local days and times shown (default: the system zone)",
  EVO_VOICE_ALLOW_INSECURE_HTTP:
    "1 allows a plain http:// base URL to another machine (warned about)",
} as const;

type Env = Record<string, string | undefined>;

/** Reads the environment (default `process.env`); throws {@link CliError} `config` naming the variable. */
export function readEnvironment(env: Env = process.env): CliEnvironment {
  const read = (name: keyof typeof ENVIRONMENT_VARIABLES): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const allowInsecureHttp = /^(1|true|yes)$/i.test(read("EVO_VOICE_ALLOW_INSECURE_HTTP") ?? "");
  const baseUrl = baseUrlOf(read("EVO_VOICE_BASE_URL") ?? DEFAULT_BASE_URL, allowInsecureHttp);
  const userName = read("EVO_VOICE_USERNAME");
  const password = env.EVO_VOICE_PASSWORD === "" ? undefined : env.EVO_VOICE_PASSWORD;
  if ((userName === undefined) !== (password === undefined)) {
    const missing = userName === undefined ? "EVO_VOICE_USERNAME" : "EVO_VOICE_PASSWORD";
    throw configError(
      missing,
      "is not set but its partner is: set both to sign in, or neither to use the sandbox",
    );
  }
  const timeZone = read("EVO_VOICE_TIME_ZONE") ?? systemTimeZone();
  if (!isValidTimeZone(timeZone)) {
    throw configError(
      "EVO_VOICE_TIME_ZONE",
      `is not an IANA time zone (got ${JSON.stringify(timeZone)}); use e.g. Europe/London`,
    );
  }
  const defaultAccountIds = (read("EVO_VOICE_ACCOUNT_IDS") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  return { baseUrl, userName, password, defaultAccountIds, timeZone, allowInsecureHttp };
}

function baseUrlOf(text: string, allowInsecureHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError("EVO_VOICE_BASE_URL", `is not a URL (got ${JSON.stringify(text)})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError("EVO_VOICE_BASE_URL", `must start with https:// (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw configError(
      "EVO_VOICE_BASE_URL",
      "is plain http:// to another machine; use https:// (or set EVO_VOICE_ALLOW_INSECURE_HTTP=1)",
    );
  }
  return url.origin;
}

function configError(variable: string, reason: string): CliError {
  return new CliError("config", `${variable} ${reason}.`, { argument: variable });
}
