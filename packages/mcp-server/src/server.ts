import { createRequire } from "node:module";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { guardToolCalls } from "./call-guard.js";
import { createContext, type ContextOptions, type EvoSessionsContext } from "./context.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { ARGUMENT_LIMITS, installArgumentErrors } from "./tools/argument-errors.js";
import { registerGetSession } from "./tools/get-session.js";
import { registerListAccounts } from "./tools/list-accounts.js";
import { registerListSessions } from "./tools/list-sessions.js";
import { SANDBOX_NOTICE } from "./tools/results.js";
import { registerSessionStats } from "./tools/session-stats.js";

/** This package's version (also the MCP server version). */
export const VERSION: string = (
  createRequire(import.meta.url)("../package.json") as { version: string }
).version;

/** Options of {@link createEvoSessionsMcpServer}: a context, or what to build one from. */
export type EvoSessionsMcpServerOptions = { context: EvoSessionsContext } | ContextOptions;

/**
 * Builds the MCP server with its four read-only tools, the session resource and two prompts.
 * Every tool call ends within the configured deadline and is logged (see call-guard.ts); the
 * logging capability lets clients pick what they receive with `logging/setLevel`.
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
      // A backstop behind installArgumentErrors' own, better-worded size check.
      maxToolInputElements: ARGUMENT_LIMITS.maxElements,
    },
  );
  guardToolCalls(server, ctx);
  registerListSessions(server, ctx);
  registerGetSession(server, ctx);
  registerSessionStats(server, ctx);
  registerListAccounts(server, ctx);
  registerResources(server, ctx);
  registerPrompts(server, ctx);
  installArgumentErrors(server, ctx);
  return server;
}

function instructions(ctx: EvoSessionsContext): string {
  return [
    ...(ctx.backend.kind === "sandbox" ? [SANDBOX_NOTICE] : []),
    "Evo Voice sessions (calls, chats, faxes), read-only.",
    "list_accounts shows which accounts the sign-in reaches; every answer names the accounts it covers.",
    "list_sessions finds sessions (compact lines, paged with nextCursor); session_stats counts them by outcome, day, hour, endpoint and more; get_session reads one session's members and log.",
    `Relative ranges (today, yesterday, last_7_days, …), startDate/endDate days and the times in answers use the time zone ${ctx.config.timeZone}.`,
  ].join("\n");
}
