/**
 * The typed seam for programs that start this server as a child process (the VS Code extension
 * hands it to the editor's chat): settings and a sign-in in, the child's environment out. The
 * variable names come from {@link ENVIRONMENT_VARIABLES}, the list the server itself reads, so
 * they are spelled once; secrets travel in the environment only, never in arguments (`ps`).
 */
import { ConfigError, ENVIRONMENT_VARIABLES, loadConfig } from "./config.js";

/** The name of a variable the server reads. */
export type EnvironmentVariable = keyof typeof ENVIRONMENT_VARIABLES;

/**
 * The child's environment: every variable the server reads, set from the settings or `null` for
 * "remove it from what the child inherits" (VS Code's `McpStdioServerDefinition.env` reads null
 * that way; for `child_process.spawn` use {@link mergeChildEnvironment}). So the child's
 * configuration is exactly the settings, whatever the parent's own environment holds.
 */
export type ChildEnvironment = Record<EnvironmentVariable, string | null>;

/** Who the child signs in as. */
export type ChildSignIn =
  | {
      kind: "credentials";
      /** Evo Voice origin (or a sandbox's URL), e.g. `https://evovoice.io`. */
      baseUrl: string;
      userName: string;
      /**
       * The password. Leave it out for an environment that is listed but not started yet (VS Code
       * caches listed definitions): add it when the child starts.
       */
      password?: string | undefined;
    }
  /** The server's own in-process sandbox (generated demo data): no credentials at all. */
  | { kind: "sandbox" };

/** What the child is started with. */
export interface ChildSettings {
  signIn: ChildSignIn;
  /** Accounts searched when a tool call names none (default: every account the sign-in reaches). */
  accountIds?: readonly string[] | undefined;
  /** IANA zone of relative ranges and of the times in answers (default: the child's system zone). */
  timeZone?: string | undefined;
  /** Largest answer in estimated tokens (default DEFAULT_TOKEN_BUDGET). */
  tokenBudget?: number | undefined;
  /** Most sessions session_stats reads per answer (default DEFAULT_STATS_MAX_SESSIONS). */
  statsMaxSessions?: number | undefined;
  /** Every tool call answers within this many milliseconds (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number | undefined;
  /** A DuckDB store synced by `evo-sessions sync`: adds query_sessions_sql (default none). */
  storePath?: string | undefined;
  /** Minutes within which still-changing days must be synced to be read from the store (default 60). */
  storeMaxAgeMinutes?: number | undefined;
}

/**
 * The environment to start `evo-sessions-mcp` (the package's `./cli` export) with. Checked as
 * the child will read it ({@link loadConfig}), so a bad setting throws {@link ConfigError} here,
 * naming the variable and the reason, instead of failing in a child whose log nobody reads.
 *
 * @example childEnvironment({ signIn: { kind: "credentials", baseUrl, userName, password }, timeZone: "Europe/London" })
 */
export function childEnvironment(settings: ChildSettings): ChildEnvironment {
  const env = Object.fromEntries(
    Object.keys(ENVIRONMENT_VARIABLES).map((name) => [name, null]),
  ) as ChildEnvironment;
  const { signIn } = settings;
  if (signIn.kind === "credentials") {
    env.EVO_VOICE_BASE_URL = signIn.baseUrl;
    env.EVO_VOICE_USERNAME = signIn.userName;
    env.EVO_VOICE_PASSWORD = signIn.password ?? null;
  }
  if (settings.accountIds !== undefined && settings.accountIds.length > 0)
    env.EVO_VOICE_ACCOUNT_IDS = accountList(settings.accountIds);
  if (settings.timeZone !== undefined) env.EVO_VOICE_TIME_ZONE = settings.timeZone;
  if (settings.tokenBudget !== undefined)
    env.EVO_SESSIONS_TOKEN_BUDGET = String(settings.tokenBudget);
  if (settings.statsMaxSessions !== undefined)
    env.EVO_SESSIONS_STATS_MAX_SESSIONS = String(settings.statsMaxSessions);
  if (settings.deadlineMs !== undefined) env.EVO_SESSIONS_DEADLINE_MS = String(settings.deadlineMs);
  if (settings.storePath !== undefined && settings.storePath.trim() !== "")
    env.EVO_SESSIONS_STORE = settings.storePath;
  if (settings.storeMaxAgeMinutes !== undefined)
    env.EVO_SESSIONS_STORE_MAX_AGE = String(settings.storeMaxAgeMinutes);
  // A listed definition has no password yet; a stand-in lets the rest be checked now.
  const withPassword =
    signIn.kind === "credentials" && signIn.password === undefined
      ? { ...env, EVO_VOICE_PASSWORD: "(added when the child starts)" }
      : env;
  loadConfig(mergeChildEnvironment({}, withPassword));
  return env;
}

/** `base` (e.g. `process.env`) with the child's variables set and its `null`s removed, for spawn. */
export function mergeChildEnvironment(
  base: Readonly<Record<string, string | undefined>>,
  child: Readonly<Partial<ChildEnvironment>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) out[name] = value;
  for (const [name, value] of Object.entries(child)) {
    if (value === null || value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** Account IDs as the comma-separated list the server splits again. */
function accountList(ids: readonly string[]): string {
  for (const id of ids) {
    if (typeof id !== "string" || id.trim() === "" || id.includes(",")) {
      throw new ConfigError(
        "EVO_VOICE_ACCOUNT_IDS",
        `EVO_VOICE_ACCOUNT_IDS: every account ID must be non-blank text without a comma (got ${JSON.stringify(id)}).`,
      );
    }
  }
  return ids.map((id) => id.trim()).join(",");
}
