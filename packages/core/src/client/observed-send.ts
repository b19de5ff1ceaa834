import type { ClientConfig } from "./client-config.js";
import type { Deadline } from "./deadline.js";
import { sendAttempt, TransportFailure, type HttpReply } from "./http-transport.js";

/** One request as the client sends it, before the base URL and common headers are added. */
export interface OutgoingRequest {
  method: "GET" | "POST";
  /** Path below the base URL, e.g. `/sessions`. */
  path: string;
  /** Query string without the `?`. */
  query?: string | undefined;
  /** Sign-in headers (Cookie, Authorization); never reported anywhere. */
  headers?: Record<string, string> | undefined;
  /** Sent as JSON. */
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** The call's overall deadline: caps the attempt's timeout. */
  deadline?: Deadline | undefined;
}

/** The full URL of a request; it carries no secrets (they travel in headers only). */
export function requestUrl(config: ClientConfig, request: OutgoingRequest): string {
  const query = request.query === undefined || request.query === "" ? "" : `?${request.query}`;
  return `${config.baseUrl}${request.path}${query}`;
}

/**
 * Sends one attempt and reports it to the onRequest/onResponse hooks (without headers or bodies).
 * A timeout cut short by the call's deadline fails as `deadline` (not retried), and no attempt
 * is sent once the deadline leaves no room for one.
 */
export async function sendObserved(
  config: ClientConfig,
  request: OutgoingRequest,
  attempt: number,
): Promise<HttpReply> {
  const url = requestUrl(config, request);
  const { timeoutMs, byDeadline } = request.deadline?.attemptTimeout(config.timeoutMs) ?? {
    timeoutMs: config.timeoutMs,
    byDeadline: false,
  };
  if (request.deadline !== undefined && !request.deadline.hasRoomForAttempt()) {
    throw new TransportFailure("deadline", "the deadline passed", false);
  }
  config.hooks.onRequest({ method: request.method, url, attempt });
  const headers: Record<string, string> = { ...config.headers, ...request.headers };
  if (request.json !== undefined) headers["content-type"] = "application/json";
  let reply: HttpReply;
  try {
    reply = await sendAttempt(config.fetch, {
      method: request.method,
      url,
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      timeoutMs,
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof TransportFailure && error.kind === "timeout" && byDeadline) {
      throw new TransportFailure("deadline", "the deadline passed", false);
    }
    throw error;
  }
  config.hooks.onResponse({
    method: request.method,
    url,
    attempt,
    status: reply.status,
    durationMs: reply.durationMs,
  });
  return reply;
}
