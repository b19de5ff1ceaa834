/**
 * Logs go to stderr only: on the stdio transport stdout is the protocol channel, and one stray
 * line there breaks the client's JSON-RPC parser.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ClientHooks } from "@evo-sessions/core";

/** Where the server writes what it is doing. Messages never carry secrets. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes `[evo-sessions-mcp] message` lines to stderr. */
export function createStderrLogger(prefix = "evo-sessions-mcp"): Logger {
  const write = (level: string, message: string) => {
    process.stderr.write(`[${prefix}] ${level === "info" ? "" : `${level}: `}${message}\n`);
  };
  return {
    info: (message) => write("info", message),
    warn: (message) => write("warn", message),
    error: (message) => write("error", message),
  };
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Fields of one structured log line: short values only, never a secret, a query or a body. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * One structured line: `event {"key":value,…}` (JSON, so it can be grepped and parsed). Sent to
 * the `warn` stream when `warn` is true.
 */
export function logEvent(log: Logger, event: string, fields: LogFields, warn = false): void {
  const line = `${event} ${JSON.stringify(fields)}`;
  if (warn) log.warn(line);
  else log.info(line);
}

/** What one tool call has done so far, gathered while it runs (see {@link trackCall}). */
export interface CallStats {
  /** Upstream requests answered (any status). */
  requests: number;
  /** Pages of sessions read (answers of GET /sessions). */
  pages: number;
  /** The error code the call failed with, when it did. */
  errorCode?: string | undefined;
  /** Sends a log notification to the calling MCP client (honouring its logging/setLevel). */
  notify?: ((level: "info" | "warning", data: LogFields) => void) | undefined;
}

const calls = new AsyncLocalStorage<CallStats>();

/** Runs `work` with `stats` as the current call's, for the client hooks to count into. */
export function trackCall<T>(stats: CallStats, work: () => T): T {
  return calls.run(stats, work);
}

/** The stats of the tool call running now, if any. */
export function currentCall(): CallStats | undefined {
  return calls.getStore();
}

/**
 * Client hooks that count each call's upstream requests and pages and log one structured line
 * per upstream failure (a 4xx/5xx answer, or a retry of a failed attempt). Only the method and
 * the path are logged: the query may hold phone numbers, and headers and bodies hold secrets.
 */
export function upstreamLogHooks(log: Logger): ClientHooks {
  const pathOf = (url: string): string => {
    try {
      return new URL(url).pathname;
    } catch {
      return "?";
    }
  };
  return {
    onResponse(event) {
      const call = currentCall();
      if (call !== undefined) {
        call.requests++;
        if (event.method === "GET" && pathOf(event.url).endsWith("/sessions")) call.pages++;
      }
      if (event.status < 400) return;
      const fields = {
        method: event.method,
        path: pathOf(event.url),
        status: event.status,
        attempt: event.attempt,
        durationMs: event.durationMs,
      };
      logEvent(log, "upstream_failure", fields, true);
      call?.notify?.("warning", { event: "upstream_failure", ...fields });
    },
    onRetry(event) {
      const fields = {
        method: event.method,
        path: pathOf(event.url),
        attempt: event.attempt,
        reason: event.reason,
        retryInMs: event.delayMs,
      };
      logEvent(log, "upstream_retry", fields, true);
      currentCall()?.notify?.("warning", { event: "upstream_retry", ...fields });
    },
  };
}
