import type { ServerResponse } from "node:http";
import type { FieldError } from "../sessions/list-params.js";

/** ServiceStack's error body: `{ responseStatus: { errorCode, message, errors? } }`. */
export function errorBody(
  errorCode: string,
  message: string,
  errors?: FieldError[],
): Record<string, unknown> {
  const responseStatus: Record<string, unknown> = { errorCode, message };
  if (errors !== undefined) responseStatus.errors = errors;
  return { responseStatus };
}

/** A response the server is about to write; faults may rewrite it first. */
export interface PlannedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** A JSON body (serialised late so drift can alter it) or raw text. */
  body: unknown;
  contentType: string;
}

/** A JSON response. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): PlannedResponse {
  return { status, headers, body, contentType: "application/json; charset=utf-8" };
}

/** A ServiceStack error response. */
export function jsonError(
  status: number,
  errorCode: string,
  message: string,
  options: { errors?: FieldError[]; headers?: Record<string, string | string[]> } = {},
): PlannedResponse {
  return json(status, errorBody(errorCode, message, options.errors), options.headers);
}

/** Serialises a planned response body to bytes. */
export function bodyBytes(response: PlannedResponse): Buffer {
  if (typeof response.body === "string") return Buffer.from(response.body, "utf8");
  return Buffer.from(JSON.stringify(response.body), "utf8");
}

/** Writes status, headers and body, with an exact Content-Length. */
export function writeResponse(res: ServerResponse, response: PlannedResponse, bytes: Buffer): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", response.contentType);
  res.setHeader("Content-Length", bytes.length);
  res.end(bytes);
}
