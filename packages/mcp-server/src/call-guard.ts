import {
  isInputRequiredResult,
  type CallToolResult,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { DEFAULT_DEADLINE_MS } from "./config.js";
import type { EvoSessionsContext } from "./context.js";
import { CHARS_PER_TOKEN } from "./format/budget.js";
import { logEvent, trackCall, type CallStats, type LogFields } from "./log.js";
import type { ToolExtra } from "./tools/answer.js";
import { ArgumentProblem, findProtoKey, protoKeyMessage } from "./tools/argument-errors.js";
import { errorResult } from "./tools/results.js";

// Most tool calls remembered as carrying an own __proto__ key until they are handled.
const MAX_MARKED_CALLS = 1000;

/** A tool's answer, or a question for the user first (an ambiguous name, see name-choice.ts). */
export type ToolReply = CallToolResult | InputRequiredResult;

/** A tool's work, given its parsed arguments. */
export type ToolRun<A> = (args: A, extra: ToolExtra) => Promise<ToolReply>;

/** Per server: the tool calls whose raw arguments hold an own `__proto__` key, by request id. */
const protoCallsOf = new WeakMap<McpServer, Map<unknown, string>>();

/**
 * Notes tool calls whose raw arguments hold an own `__proto__` key, by request id. The SDK's
 * request schema rebuilds the arguments object, and assigning `__proto__` there silently drops
 * the key, so it can only be seen in the message as it arrives: `connect` (public) is wrapped to
 * look at each incoming message through the transport's public `onmessage` first.
 */
export function watchProtoKeys(server: McpServer): void {
  const marked = new Map<unknown, string>();
  protoCallsOf.set(server, marked);
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
}

/**
 * The SDK callback of one tool: arguments that failed the checks (an {@link ArgumentProblem}, or
 * an own `__proto__` key) are answered as an `isError` at once; anything else runs `run` within
 * the configured deadline, and each call logs one structured stderr line (tool, duration,
 * upstream requests, pages, outcome) and sends it as an MCP log notification (the client's
 * `logging/setLevel`, or the request's own level on 2026-07-28, decides whether it is sent).
 * At the deadline the call's signal is aborted (core stops fetching) and the answer is an isError
 * at once; whatever the tool returns afterwards is dropped.
 */
export function guardTool<A>(
  server: McpServer,
  ctx: EvoSessionsContext,
  tool: string,
  argumentNames: readonly string[],
  run: ToolRun<A>,
): (args: A | ArgumentProblem, sdk: ServerContext) => Promise<ToolReply> {
  return async (args, sdk) => {
    const protoCalls = protoCallsOf.get(server);
    const protoPath = protoCalls?.get(sdk.mcpReq.id);
    if (protoPath !== undefined) {
      protoCalls?.delete(sdk.mcpReq.id);
      return errorResult(ctx, protoKeyMessage(tool, protoPath, argumentNames));
    }
    if (args instanceof ArgumentProblem) return errorResult(ctx, args.message);
    return withDeadline(ctx, tool, sdk, (extra) => run(args, extra));
  };
}

/** The tool's view of the SDK's context (see {@link ToolExtra}), with the guard's own signal. */
function toolExtra(sdk: ServerContext, signal: AbortSignal): ToolExtra {
  return {
    signal,
    _meta: sdk.mcpReq._meta,
    sendNotification: (notification) => sdk.mcpReq.notify(notification),
    mcp: sdk,
  };
}

async function withDeadline(
  ctx: EvoSessionsContext,
  tool: string,
  sdk: ServerContext,
  run: (extra: ToolExtra) => Promise<ToolReply>,
): Promise<ToolReply> {
  const started = performance.now();
  const deadlineMs = ctx.config.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const outer = sdk.mcpReq.signal;
  const controller = new AbortController();
  const forward = (): void => controller.abort(outer.reason);
  if (outer.aborted) forward();
  else outer.addEventListener("abort", forward, { once: true });
  const stats: CallStats = {
    requests: 0,
    pages: 0,
    notify: (level, data) => notify(sdk, level, data),
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), deadlineMs);
  });
  const work = trackCall(stats, () => run(toolExtra(sdk, controller.signal)));
  // A tool's late failure after the deadline has nobody to tell; it must not go unhandled.
  work.catch(() => {});
  let outcome: string;
  let result: ToolReply;
  try {
    const first = await Promise.race([work, timedOut]);
    if (first === "deadline") {
      controller.abort(new Error(`deadline of ${deadlineMs} ms passed`));
      outcome = "deadline";
      result = errorResult(ctx, deadlineMessage(ctx, tool, deadlineMs));
    } else {
      result = isInputRequiredResult(first) ? first : capErrorReply(ctx, first);
      outcome = outer.aborted
        ? "cancelled"
        : isInputRequiredResult(result)
          ? "input_required"
          : result.isError === true
            ? "error"
            : "ok";
    }
  } finally {
    clearTimeout(timer);
    outer.removeEventListener("abort", forward);
  }
  const fields: LogFields = {
    tool,
    durationMs: Math.round(performance.now() - started),
    requests: stats.requests,
    pages: stats.pages,
    outcome,
    ...(stats.errorCode === undefined || outcome === "ok" ? {} : { error: stats.errorCode }),
  };
  const fine = outcome === "ok" || outcome === "input_required";
  logEvent(ctx.log, "tool_call", fields, !fine);
  notify(sdk, fine ? "info" : "warning", { event: "tool_call", ...fields });
  return result;
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

function notify(sdk: ServerContext, level: "info" | "warning", data: LogFields): void {
  // The SDK drops messages below the client's level (logging/setLevel on 2025-11-25, the
  // request's own log level on 2026-07-28, where nothing is sent unless the request asks).
  // Deprecated in 2026-07-28 for stderr or OpenTelemetry; we write stderr too (logEvent).
  sdk.mcpReq.log(level, data, "evo-sessions").catch(() => {});
}
