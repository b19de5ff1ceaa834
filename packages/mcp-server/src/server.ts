import { createRequire } from "node:module";
import { McpServer } from "@modelcontextprotocol/server";
import { watchProtoKeys } from "./call-guard.js";
import { createContext, type ContextOptions, type EvoSessionsContext } from "./context.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { registerGetSession } from "./tools/get-session.js";
import { registerListAccounts } from "./tools/list-accounts.js";
import { registerListSessions } from "./tools/list-sessions.js";
import { registerLiveNow } from "./tools/live-now.js";
import { registerMissedCallbacks } from "./tools/missed-callbacks.js";
import { registerQuerySessionsSql } from "./tools/query-sql.js";
import { SANDBOX_NOTICE } from "./tools/results.js";
import { registerSessionStats } from "./tools/session-stats.js";

/** This package's version (also the MCP server version). */
export const VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;

/** Options of {@link createEvoSessionsMcpServer}: a context, or what to build one from. */
export type EvoSessionsMcpServerOptions = { context: EvoSessionsContext } | ContextOptions;

/**
 * How long clients may cache list results on 2026-07-28 (`ttlMs`): the tools, resources and
 * prompts of a running server never change, but a restart may bring a new version, so a
 * minute. Shared caches may keep them (they are the same for every user); `resources/read`
 * stays private (a session belongs to one sign-in).
 */
const LIST_CACHE = { ttlMs: 60_000, cacheScope: "public" } as const;

/**
 * Builds the MCP server with its six read-only tools (seven with a local store: query_sessions_sql),
 * the session resource and two prompts.
 * The same server serves protocol revisions 2025-11-25 and 2026-07-28 (the SDK picks the era per
 * connection or request). Every tool is registered with registerEvoTool (tools/register.ts):
 * it ends within the configured deadline and is logged; the logging capability lets clients pick
 * what they receive (`logging/setLevel`, or a request's own level on 2026-07-28).
 * Pass one `context` to several servers (e.g. one per stateless HTTP request) to share the
 * client's sign-in and the IDs seen for completions.
 */
export function createEvoSessionsMcpServer(options: EvoSessionsMcpServerOptions): McpServer {
  const ctx = "context" in options ? options.context : createContext(options);
  const server = new McpServer(
    { name: "evo-sessions", title: "Evo Voice sessions", version: VERSION },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, completions: {}, logging: {} },
      instructions: instructions(ctx),
      // No maxToolInputElements: it would answer before argumentSchema's own size and depth
      // checks (which stop at the first limit passed, so they bound the work as well) in the
      // SDK's wording; the request itself is bounded by the HTTP body limit.
      cacheHints: {
        "tools/list": LIST_CACHE,
        "prompts/list": LIST_CACHE,
        "resources/templates/list": LIST_CACHE,
        "server/discover": LIST_CACHE,
      },
    },
  );
  watchProtoKeys(server);
  registerListSessions(server, ctx);
  registerGetSession(server, ctx);
  registerSessionStats(server, ctx);
  registerListAccounts(server, ctx);
  registerMissedCallbacks(server, ctx);
  registerLiveNow(server, ctx);
  // Only with a store configured: the default tools/list stays as it is, and DuckDB unloaded.
  if (ctx.config.storePath !== undefined) registerQuerySessionsSql(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server, ctx);
  return server;
}

function instructions(ctx: EvoSessionsContext): string {
  return [
    ...(ctx.backend.kind === "sandbox" ? [SANDBOX_NOTICE] : []),
    "Evo Voice sessions (calls, chats, faxes), read-only.",
    "list_accounts shows which accounts the sign-in reaches; every answer names the accounts it covers.",
    "list_sessions finds sessions (compact lines, paged with nextCursor); session_stats gives KPIs (answer and abandon rates, service level; compare, by account/day/hour…, worst) and counts; missed_callbacks lists callers not yet called back; live_now shows calls in progress; get_session reads one session (log, chat transcript). Customers and endpoints may be named (customers, endpoints).",
    ...(ctx.config.storePath === undefined
      ? []
      : [
          "query_sessions_sql runs one read-only SQL query over the local synced store, for questions the other tools cannot answer.",
        ]),
    `Relative ranges (today, yesterday, last_7_days, …), startDate/endDate days and the times in answers use the time zone ${ctx.config.timeZone}.`,
  ].join("\n");
}
