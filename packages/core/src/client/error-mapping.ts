import type { EvoVoiceError } from "../errors/evo-voice-error.js";
import { NotSignedInError, PermissionDeniedError } from "../errors/auth-errors.js";
import {
  InvalidRequestError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  UndecodableResponseError,
  type FieldError,
} from "../errors/response-errors.js";
import {
  ConnectionError,
  TimeoutError,
  AbortedError,
  RedirectRefusedError,
} from "../errors/transport-errors.js";
import type { Deadline } from "./deadline.js";
import {
  MAX_REDIRECTS,
  type HttpReply,
  type RefusedRedirect,
  type TransportFailure,
} from "./http-transport.js";
import type { Redactor } from "./redactor.js";

// Server text is quoted in messages; a stack trace or a novel has no place there.
const MAX_QUOTED_LENGTH = 300;

/** ServiceStack's `responseStatus`, as far as a message needs it. */
export interface ResponseStatusSummary {
  errorCode?: string | undefined;
  message?: string | undefined;
  fieldErrors: FieldError[];
}

/** What the request loop knows when it turns a failure into an error. */
export interface FailureContext {
  /** e.g. `GET /sessions`. */
  request: string;
  /** Attempts made, the failing one included. */
  attempts: number;
  /** The server origin, for advice about the base URL. */
  origin: string;
  redactor: Redactor;
  /** The call's overall deadline, when it has one. */
  deadline?: Deadline | undefined;
  /** A retry was not made because the deadline left no room: a timeout is then the deadline's. */
  cutByDeadline?: boolean | undefined;
}

/**
 * Reads `responseStatus` from an error body. ServiceStack writes camelCase here, but hosts can
 * switch to PascalCase, so keys are matched in any letter case.
 */
export function readResponseStatus(
  body: string,
  redactor: Redactor,
): ResponseStatusSummary | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const status = field(parsed, "responseStatus");
  if (status === null || typeof status !== "object") return undefined;
  const errors = field(status, "errors");
  const fieldErrors: FieldError[] = Array.isArray(errors)
    ? errors.map((entry) => ({
        fieldName: quote(field(entry, "fieldName"), redactor) ?? "",
        errorCode: quote(field(entry, "errorCode"), redactor) ?? "",
        message: quote(field(entry, "message"), redactor) ?? "",
      }))
    : [];
  return {
    errorCode: quote(field(status, "errorCode"), redactor),
    message: quote(field(status, "message"), redactor),
    fieldErrors,
  };
}

function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== "object") return undefined;
  const wanted = name.toLowerCase();
  for (const [key, entry] of Object.entries(value)) {
    if (key.toLowerCase() === wanted) return entry;
  }
  return undefined;
}

function quote(value: unknown, redactor: Redactor): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const clean = redactor.redact(value.trim());
  return clean.length > MAX_QUOTED_LENGTH ? `${clean.slice(0, MAX_QUOTED_LENGTH - 3)}...` : clean;
}

/** What kind of unusable body arrived; each calls for different advice. */
export type UnusableBodyKind =
  /** The connection closed before the whole body arrived. */
  | "cut_off"
  /** JSON that does not parse, though it arrived whole. */
  | "malformed_json"
  /** Not JSON at all: an HTML page, XML, plain text, an empty body. */
  | "not_json"
  /** Valid JSON, but not the shape the API answers with (an array, null, a foreign object). */
  | "wrong_shape";

/** Describes a body that is not the expected JSON, in words a user can act on. */
export function describeBody(reply: HttpReply): string {
  const contentType = contentTypeOf(reply);
  const typeNote = contentType === "" ? "no content type" : contentType;
  if (reply.truncated) return `a response cut off after ${reply.bodyBytes} bytes (${typeNote})`;
  const start = reply.body.trimStart();
  if (start === "") return `an empty body (${typeNote})`;
  if (isHtmlBody(contentType, start)) return `an HTML page (${typeNote})`;
  if (start.startsWith("<")) return `an XML document (${typeNote})`;
  if (looksLikeJson(contentType, start))
    return `malformed JSON (${typeNote}, ${reply.bodyBytes} bytes)`;
  return `text that is not valid JSON (${typeNote}, ${reply.bodyBytes} bytes)`;
}

/** The kind of a body that could not be read as JSON. */
export function unusableBodyKind(reply: HttpReply): UnusableBodyKind {
  if (reply.truncated) return "cut_off";
  const contentType = contentTypeOf(reply);
  const start = reply.body.trimStart();
  if (start !== "" && !isHtmlBody(contentType, start) && looksLikeJson(contentType, start))
    return "malformed_json";
  return "not_json";
}

/** True when the body is an HTML page (a proxy's error page, a web app's sign-in page). */
export function isHtmlReply(reply: HttpReply): boolean {
  return !reply.truncated && isHtmlBody(contentTypeOf(reply), reply.body.trimStart());
}

function contentTypeOf(reply: HttpReply): string {
  return (reply.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
}

function isHtmlBody(contentType: string, start: string): boolean {
  return contentType.includes("html") || /^<(!doctype|html|head|body)/i.test(start);
}

function looksLikeJson(contentType: string, start: string): boolean {
  return contentType.includes("json") || start.startsWith("{") || start.startsWith("[");
}

/** How an undecodable answer is reported. */
export interface UndecodableDetails {
  /** What arrived, in words (from {@link describeBody} or {@link describeJsonValue}). */
  received: string;
  /** Which advice fits. */
  kind: UnusableBodyKind;
  /** What was expected instead (default `JSON`), e.g. `a ListResponse object`. */
  expected?: string | undefined;
  /** The parser's error, kept redacted. */
  cause?: unknown;
  /** The HTTP status, mentioned when it is not a 2xx. */
  status?: number | undefined;
}

/** The error for an answer that could not be used: what came, what was expected, what to do. */
export function undecodableError(
  context: FailureContext,
  details: UndecodableDetails,
): UndecodableResponseError {
  const { received, kind, status } = details;
  const withStatus =
    status === undefined || (status >= 200 && status < 300) ? "" : ` (status ${status})`;
  const tries = context.attempts > 1 ? ` (${context.attempts} attempts)` : "";
  const summary = `Evo Voice answered ${context.request} with ${received}${withStatus} instead of ${details.expected ?? "JSON"}${tries}.`;
  const advice: Record<UnusableBodyKind, string> = {
    cut_off: "The connection was cut off before the whole answer arrived; try again.",
    malformed_json:
      "The server, or a proxy in between, sent broken JSON; try again, and if it keeps happening the service is having trouble.",
    not_json: `The base URL (${context.origin}) may not point at the Evo Voice API, or a proxy in between failed; check it and try again.`,
    wrong_shape: `The base URL (${context.origin}) may point at another JSON service rather than the Evo Voice API; check it.`,
  };
  return new UndecodableResponseError(`${summary} ${advice[kind]}`, {
    received,
    kind,
    status,
    summary,
    cause: sanitizeCause(details.cause, context.redactor),
  });
}

/**
 * Parser errors quote the body they choked on, and a body may hold a session id: keep the
 * cause for debugging, but only as redacted text.
 */
function sanitizeCause(cause: unknown, redactor: Redactor): unknown {
  if (!(cause instanceof Error)) return undefined;
  const clean = new Error(redactor.redact(cause.message));
  clean.name = cause.name;
  return clean;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The error for a non-2xx answer (401 aside, which sign-in handling owns). */
export function errorForStatus(
  reply: HttpReply,
  context: FailureContext,
  retryAfterMs?: number,
): EvoVoiceError {
  const { status } = reply;
  const summary = readResponseStatus(reply.body, context.redactor);
  const label = `${status}${STATUS_TEXT[status] === undefined ? "" : ` ${STATUS_TEXT[status]}`}`;
  const said = summary?.message === undefined ? "" : `: "${summary.message}"`;
  const tries = context.attempts > 1 ? ` after ${context.attempts} attempts` : "";
  if (status === 401) {
    return new NotSignedInError(
      `Evo Voice answered ${context.request} with 401${said}: the request is not signed in. Sign in again.`,
      { status },
    );
  }
  if (status === 403) {
    return new PermissionDeniedError(
      `Evo Voice refused ${context.request} (${label})${said}. The signed-in user lacks a role or cannot reach the requested account; ` +
        "pick an account this sign-in can reach, or sign in as a user who can.",
      { status },
    );
  }
  if (status === 404) {
    return new NotFoundError(
      // No request here names an id (getSession asks the list endpoint and words its own
      // not-found), so a 404 means the address itself is wrong: no API answers there.
      `Evo Voice found nothing at ${context.request} (${label})${said}. The base URL (${context.origin}) may not point at the Evo Voice API; check it.`,
      { status },
    );
  }
  if (status === 408) {
    const summary = `Evo Voice timed out handling ${context.request} (${label})${tries}.`;
    return new TimeoutError(
      `${summary} Try again later, or ask for less (a date range, smaller pages).`,
      { status, summary },
    );
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? "a moment" : `${Math.ceil(retryAfterMs / 1000)} s`;
    const summary = `Evo Voice is rate limiting requests (${label})${said}; ${context.request} was refused${tries}.`;
    return new RateLimitedError(
      `${summary} Wait ${wait} and try again, or send fewer requests (lower paging concurrency).`,
      { status, retryAfterMs, summary },
    );
  }
  if (status >= 500) {
    const summary = `Evo Voice failed to answer ${context.request} (${label})${tries}${said}.`;
    return new ServerError(
      `${summary} ` +
        (retryAfterMs === undefined
          ? "Try again later; if it keeps failing, the service is having trouble."
          : `It asked to wait ${Math.ceil(retryAfterMs / 1000)} s; try again after that.`),
      { status, summary },
    );
  }
  const fields = summary?.fieldErrors ?? [];
  const fieldText =
    fields.length === 0
      ? ""
      : ` Rejected: ${fields.map((entry) => `${entry.fieldName || "(request)"} (${entry.message || entry.errorCode})`).join("; ")}.`;
  return new InvalidRequestError(
    `Evo Voice rejected ${context.request} (${label})${said}.${fieldText} Fix the request and try again.`,
    { status, fieldErrors: fields, serverErrorCode: summary?.errorCode },
  );
}

/** The error for an attempt that got no reply at all. */
export function errorForTransportFailure(
  failure: TransportFailure,
  context: FailureContext,
  timeoutMs: number,
): EvoVoiceError {
  const tries = context.attempts > 1 ? ` (${context.attempts} attempts)` : "";
  if (failure.kind === "aborted") {
    return new AbortedError(`${context.request} was cancelled; nothing more was fetched.`, {
      cause: failure.cause,
    });
  }
  const deadlineRanOut =
    failure.kind === "deadline" || (failure.kind === "timeout" && context.cutByDeadline === true);
  if (deadlineRanOut && context.deadline !== undefined) {
    return context.deadline.error(context.request, context.attempts);
  }
  if (failure.kind === "timeout" || failure.kind === "deadline") {
    const summary = `Evo Voice did not answer ${context.request} within ${timeoutMs} ms${tries}.`;
    return new TimeoutError(
      `${summary} Try again, raise timeoutMs, or ask for less (a date range, smaller pages).`,
      { timeoutMs, summary },
    );
  }
  if (failure.kind === "redirect" && failure.redirect !== undefined) {
    return redirectError(failure.redirect, context);
  }
  const summary = `Could not reach Evo Voice at ${context.origin} for ${context.request}: ${failure.detail}${tries}.`;
  return new ConnectionError(
    `${summary} Check the base URL and the network connection, then try again.`,
    { cause: failure.cause, summary },
  );
}

/** The error for a redirect the client refused to follow; names where it pointed. */
function redirectError(redirect: RefusedRedirect, context: FailureContext): RedirectRefusedError {
  const { status, location, host } = redirect;
  const head = `Evo Voice answered ${context.request} with a redirect (${status})`;
  const texts: Record<RefusedRedirect["reason"], [summary: string, advice: string]> = {
    other_origin: [
      `${head} to another host, ${host}; it was not followed, so no cookie or password went there.`,
      `If the API really lives at ${host}, set the base URL to that origin; otherwise the base URL (${context.origin}) or a proxy in between is misconfigured.`,
    ],
    not_get: [
      `${head} to ${location}; a POST is never re-sent on a redirect (it could repeat the password), so nothing more was sent.`,
      `Set the base URL to the origin the API answers at directly (check https:// and that it has no path), e.g. https://evovoice.io.`,
    ],
    too_many: [
      `${head} to ${location} after ${MAX_REDIRECTS} redirects already; no more are followed.`,
      `The base URL (${context.origin}) or a proxy in between is misconfigured; check it.`,
    ],
  };
  const [summary, advice] = texts[redirect.reason];
  return new RedirectRefusedError(`${summary} ${advice}`, { status, location, summary });
}

/** Names the kind of JSON value that arrived where an object was expected. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "JSON null";
  if (Array.isArray(value)) return "a JSON array";
  if (typeof value === "object") return "a JSON object of an unexpected shape";
  return `a JSON ${typeof value}`;
}
