import type { ClientConfig } from "./client-config.js";
import { sendAttempt, type HttpReply } from "./http-transport.js";

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
}

/** The full URL of a request; it carries no secrets (they travel in headers only). */
export function requestUrl(config: ClientConfig, request: OutgoingRequest): string {
  const query = request.query === undefined || request.query === "" ? "" : `?${request.query}`;
  return `${config.baseUrl}${request.path}${query}`;
}

/** Sends one attempt and reports it to the onRequest/onResponse hooks (without headers or bodies). */
export async function sendObserved(
  config: ClientConfig,
  request: OutgoingRequest,
  attempt: number,
): Promise<HttpReply> {
  const url = requestUrl(config, request);
  config.hooks.onRequest({ method: request.method, url, attempt });
  const headers: Record<string, string> = { ...config.headers, ...request.headers };
  if (request.json !== undefined) headers["content-type"] = "application/json";
  const reply = await sendAttempt(config.fetch, {
    method: request.method,
    url,
    headers,
    body: request.json === undefined ? undefined : JSON.stringify(request.json),
    timeoutMs: config.timeoutMs,
    signal: request.signal,
  });
  config.hooks.onResponse({
    method: request.method,
    url,
    attempt,
    status: reply.status,
    durationMs: reply.durationMs,
  });
  return reply;
}
