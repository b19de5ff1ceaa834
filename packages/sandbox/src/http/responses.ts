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

/** ServiceStack's JSONP: `?callback=name` wraps a JSON body in a call to `name`. */
export function withJsonp(response: PlannedResponse, params: URLSearchParams): PlannedResponse {
  const callback = params.get("callback");
  if (callback === null || !/^[A-Za-z_$][\w$.]*$/.test(callback)) return response;
  if (typeof response.body === "string") return response;
  return {
    ...response,
    contentType: "application/javascript",
    body: `${callback}(${JSON.stringify(response.body)})`,
  };
}

/**
 * Writes a response, damaged if asked: `truncate` promises the full Content-Length, sends half
 * and closes the socket; `malformed-json` cuts the body and adds characters no JSON allows there.
 */
export function transmit(
  res: ServerResponse,
  response: PlannedResponse,
  damage: "truncate" | "malformed-json" | undefined,
): void {
  const bytes = bodyBytes(response);
  if (damage === "truncate") {
    res.writeHead(response.status, {
      ...response.headers,
      "Content-Type": response.contentType,
      "Content-Length": bytes.length,
    });
    res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () =>
      res.socket?.destroy(),
    );
    return;
  }
  if (damage === "malformed-json") {
    const text = bytes.toString("utf8");
    const cut = `${text.slice(0, Math.max(1, Math.floor(text.length * 0.6)))}#!<`;
    writeResponse(res, response, Buffer.from(cut, "utf8"));
    return;
  }
  writeResponse(res, response, bytes);
}
