import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DEFAULT_DEADLINE_MS } from "./config.js";
import type { EvoSessionsContext } from "./context.js";
import { CHARS_PER_TOKEN } from "./format/budget.js";
import { logEvent, trackCall, type CallStats, type LogFields } from "./log.js";
import { findProtoKey, protoKeyMessage } from "./tools/argument-errors.js";
import { errorResult } from "./tools/results.js";

// Most tool calls remembered as carrying an own __proto__ key until they are handled.
const MAX_MARKED_CALLS = 1000;

type ToolCallback = (...params: unknown[]) => CallToolResult | Promise<CallToolResult>;
interface ExtraLike {
  signal: AbortSignal;
  requestId?: unknown;
  sessionId?: string | undefined;
}

/**
 * Makes every tool registered on `server` from now on end within the configured deadline, log
 * one structured stderr line per call (tool, duration, upstream requests, pages, outcome) and
 * send it as an MCP log notification (so `logging/setLevel` decides what the client gets).
 *
 * Why wrap `registerTool` (a public method) rather than each tool: the deadline must hold for
 * every tool, whatever it does inside, and the tools keep their own signatures. At the deadline
 * the call's signal is aborted (core stops fetching) and the answer is an isError at once;
 * whatever the tool returns afterwards is dropped.
 */
export function guardToolCalls(server: McpServer, ctx: EvoSessionsContext): void {
  const protoCalls = watchProtoKeys(server);
  const register = server.registerTool.bind(server) as (...args: unknown[]) => unknown;
  (server as unknown as { registerTool: (...args: unknown[]) => unknown }).registerTool = (
    name: unknown,
    config: unknown,
    callback: unknown,
  ) => {
    const shape = (config as { inputSchema?: { shape?: object } } | undefined)?.inputSchema?.shape;
    const tool = String(name);
    const inner = guarded(server, ctx, tool, callback as ToolCallback);
    const checked: ToolCallback = (...params) => {
      const extra = params[params.length - 1] as ExtraLike;
      const path = protoCalls.get(extra.requestId);
      if (path === undefined) return inner(...params);
      protoCalls.delete(extra.requestId);
      return errorResult(ctx, protoKeyMessage(tool, path, Object.keys(shape ?? {})));
    };
    return register(name, config, checked);
  };
}

/**
 * Notes tool calls whose raw arguments hold an own `__proto__` key, by request id. The SDK's
 * schemas rebuild the arguments object, and assigning `__proto__` there silently drops the key,
 * so it can only be seen in the message as it arrives: hence a look at each incoming message
 * (McpServer.connect is wrapped to see them first).
 */
function watchProtoKeys(server: McpServer): Map<unknown, string> {
  const marked = new Map<unknown, string>();
  const connect = server.connect.bind(server);
  server.connect = async (transport) => {
    await connect(transport);
    const deliver = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const request = message as {
        id?: unknown;
        method?: unknown;
        params?: { arguments?: unknown };
      };
      if (request.method === "tools/call" && request.id !== undefined) {
        const path = findProtoKey(request.params?.arguments);
        if (path !== undefined && marked.size < MAX_MARKED_CALLS) marked.set(request.id, path);
      }
      deliver?.(message, extra);
    };
  };
  return marked;
}

function guarded(
  server: McpServer,
  ctx: EvoSessionsContext,
  tool: string,
  callback: ToolCallback,
): ToolCallback {
  return async (...params: unknown[]) => {
    const extra = params[params.length - 1] as ExtraLike;
    const started = performance.now();
    const deadlineMs = ctx.config.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const controller = new AbortController();
    const forward = (): void => controller.abort(extra.signal.reason);
    if (extra.signal.aborted) forward();
    else extra.signal.addEventListener("abort", forward, { once: true });
    const stats: CallStats = {
      requests: 0,
      pages: 0,
      notify: (level, data) => notify(server, extra, level, data),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const work = Promise.resolve(
      trackCall(stats, () =>
        callback(...params.slice(0, -1), { ...extra, signal: controller.signal }),
      ),
    );
    // A tool's late failure after the deadline has nobody to tell; it must not go unhandled.
    work.catch(() => {});
    let outcome: string;
    let result: CallToolResult;
    try {
      const first = await Promise.race([work, timedOut]);
      if (first === "deadline") {
        controller.abort(new Error(`deadline of ${deadlineMs} ms passed`));
        outcome = "deadline";
        result = errorResult(ctx, deadlineMessage(ctx, tool, deadlineMs));
      } else {
        result = capErrorReply(ctx, first);
        outcome = extra.signal.aborted ? "cancelled" : result.isError === true ? "error" : "ok";
      }
    } finally {
      clearTimeout(timer);
      extra.signal.removeEventListener("abort", forward);
    }
    const fields: LogFields = {
      tool,
      durationMs: Math.round(performance.now() - started),
      requests: stats.requests,
      pages: stats.pages,
      outcome,
      ...(stats.errorCode === undefined || outcome === "ok" ? {} : { error: stats.errorCode }),
    };
    logEvent(ctx.log, "tool_call", fields, outcome !== "ok");
    notify(server, extra, outcome === "ok" ? "info" : "warning", { event: "tool_call", ...fields });
    return result;
  };
}

function deadlineMessage(ctx: EvoSessionsContext, tool: string, deadlineMs: number): string {
  const where =
    ctx.backend.kind === "sandbox" ? "The sandbox" : `Evo Voice at ${ctx.backend.baseUrl}`;
  const seconds = deadlineMs / 1000;
  const waited = seconds >= 1 ? `${Math.round(seconds * 10) / 10} s` : `${deadlineMs} ms`;
  return `${where} did not answer ${tool} within ${waited} (this server's deadline for one tool call, EVO_SESSIONS_DEADLINE_MS), so the call was stopped. Evo Voice may be slow or down: try again in a minute, and ask for less (a shorter date range, fewer accounts, a smaller limit).`;
}

/**
 * An error answer never exceeds the token budget: its text may quote the request (argument
 * names, values), and no request may make the reply grow with it.
 */
function capErrorReply(ctx: EvoSessionsContext, result: CallToolResult): CallToolResult {
  if (result.isError !== true) return result;
  const max = ctx.config.tokenBudget * CHARS_PER_TOKEN;
  let left = max;
  const content = result.content.map((item) => {
    if (item.type !== "text") return item;
    const text =
      item.text.length <= left ? item.text : `${item.text.slice(0, Math.max(0, left - 1))}…`;
    left = Math.max(0, left - text.length);
    return { ...item, text };
  });
  return { ...result, content };
}

function notify(
  server: McpServer,
  extra: ExtraLike,
  level: "info" | "warning",
  data: LogFields,
): void {
  if (!server.isConnected()) return;
  // The SDK drops messages below the level the client set with logging/setLevel.
  server
    .sendLoggingMessage({ level, logger: "evo-sessions", data }, extra.sessionId)
    .catch(() => {});
}
