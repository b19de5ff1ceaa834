/** One HTTP attempt: what to send. */
export interface HttpAttempt {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** Per-attempt timeout, covering the headers and the whole body. */
  timeoutMs: number;
  /** The caller's cancellation. */
  signal?: AbortSignal | undefined;
}

/** Redirect statuses; each is handled by the client, never followed by fetch itself. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Most same-origin redirects one GET follows. */
export const MAX_REDIRECTS = 3;

/** Why a redirect was not followed. */
export type RedirectRefusal = "other_origin" | "not_get" | "too_many";

/** A redirect that was not followed, for the error message. */
export interface RefusedRedirect {
  reason: RedirectRefusal;
  status: number;
  /** Origin and path of the target; the query string is left out (it may carry a token). */
  location: string;
  /** The target's host, e.g. `login.example.com`. */
  host: string;
}

/** One HTTP attempt: what came back, body read in full. */
export interface HttpReply {
  status: number;
  headers: Headers;
  body: string;
  /** Bytes of body received. */
  bodyBytes: number;
  /** The connection closed before the body was complete (a cut-off response). */
  truncated: boolean;
  durationMs: number;
}

/** Why an attempt got no reply. */
export type TransportFailureKind = "timeout" | "deadline" | "aborted" | "connection" | "redirect";

/**
 * An attempt that got no usable reply. Internal: the request loop decides whether to retry and
 * turns the last one into a public error.
 */
export class TransportFailure extends Error {
  override readonly name = "TransportFailure";

  constructor(
    readonly kind: TransportFailureKind,
    /** A few words for messages, e.g. `connection refused`. */
    readonly detail: string,
    /** Whether trying again might work (dropped connections, timeouts; not DNS or TLS failures). */
    readonly retryable: boolean,
    cause?: unknown,
    /** With kind `redirect`: the redirect that was refused. */
    readonly redirect?: RefusedRedirect,
  ) {
    super(detail, cause === undefined ? undefined : { cause });
  }
}

/**
 * Sends one request with a timeout tied to the caller's signal, and reads the whole body under
 * the same timeout (a server can hang after the headers too). Redirects are handled here rather
 * than by fetch, so that the cookies and the password never leave the request's origin: see
 * {@link followRedirects}.
 */
export async function sendAttempt(
  fetchImpl: typeof fetch,
  attempt: HttpAttempt,
): Promise<HttpReply> {
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, attempt.timeoutMs);
  // A listener removed afterwards rather than AbortSignal.any, so long-lived caller signals
  // (a paging run of thousands of requests) do not collect one dependent signal per attempt.
  const onCallerAbort = (): void => controller.abort();
  attempt.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const failure = (error: unknown): TransportFailure => {
    if (attempt.signal?.aborted === true) {
      return new TransportFailure(
        "aborted",
        "cancelled by the caller",
        false,
        attempt.signal.reason,
      );
    }
    if (timedOut) {
      return new TransportFailure(
        "timeout",
        `no complete answer within ${attempt.timeoutMs} ms`,
        true,
      );
    }
    return describeFetchFailure(error);
  };
  try {
    if (attempt.signal?.aborted === true) throw failure(attempt.signal.reason);
    const response = await followRedirects(fetchImpl, attempt, controller.signal, failure);
    const { body, bodyBytes, truncated } = await readBody(response, failure);
    return {
      status: response.status,
      headers: response.headers,
      body,
      bodyBytes,
      truncated,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    attempt.signal?.removeEventListener("abort", onCallerAbort);
  }
}

/**
 * Fetches with `redirect: "manual"` and decides each redirect itself: one to another origin is
 * never followed (fetch would send the body, and a 307/308 the password, wherever `Location`
 * points), a POST is never re-sent (a 307/308 would repeat the password, and a 303's GET
 * would not be the sign-in's answer), and a GET follows at most {@link MAX_REDIRECTS} hops
 * within its origin. A 3xx without `Location` is returned as the reply.
 */
async function followRedirects(
  fetchImpl: typeof fetch,
  attempt: HttpAttempt,
  signal: AbortSignal,
  failure: (error: unknown) => TransportFailure,
): Promise<Response> {
  const origin = new URL(attempt.url).origin;
  let url = attempt.url;
  for (let hop = 0; ; hop++) {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: attempt.method,
        headers: attempt.headers,
        body: attempt.body,
        signal,
        redirect: "manual",
      });
    } catch (error) {
      throw failure(error);
    }
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => {});
    const target = URL.canParse(location, url) ? new URL(location, url) : undefined;
    if (target === undefined) return response;
    const reason: RedirectRefusal | undefined =
      target.origin !== origin
        ? "other_origin"
        : attempt.method !== "GET"
          ? "not_get"
          : hop >= MAX_REDIRECTS
            ? "too_many"
            : undefined;
    if (reason !== undefined) {
      const refused: RefusedRedirect = {
        reason,
        status: response.status,
        location: `${target.origin}${target.pathname}`,
        host: target.host,
      };
      throw new TransportFailure("redirect", `redirect ${reason}`, false, undefined, refused);
    }
    url = target.href;
  }
}

async function readBody(
  response: Response,
  failure: (error: unknown) => TransportFailure,
): Promise<{ body: string; bodyBytes: number; truncated: boolean }> {
  if (response.body === null) return { body: "", bodyBytes: 0, truncated: false };
  const chunks: Uint8Array[] = [];
  let bodyBytes = 0;
  let truncated = false;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bodyBytes += value.byteLength;
    }
  } catch (error) {
    const cause = failure(error);
    // A connection dropped mid-body is a cut-off response; a timeout or cancel stays what it is.
    if (cause.kind !== "connection") throw cause;
    truncated = true;
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && bodyBytes < declared) truncated = true;
  return { body: Buffer.concat(chunks).toString("utf8"), bodyBytes, truncated };
}

const DROPPED_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** Classifies a fetch failure from the codes and messages undici puts in its cause chain. */
export function describeFetchFailure(error: unknown): TransportFailure {
  const { codes, messages } = collectCauses(error);
  const has = (code: string): boolean => codes.includes(code);
  const said = (text: string): boolean =>
    messages.some((message) => message.toLowerCase().includes(text));
  if (has("ECONNREFUSED"))
    return new TransportFailure("connection", "connection refused", true, error);
  if (
    codes.some((code) => DROPPED_CODES.has(code)) ||
    said("other side closed") ||
    said("terminated") ||
    said("socket hang up")
  ) {
    return new TransportFailure("connection", "the connection was dropped", true, error);
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code))) {
    return new TransportFailure("connection", "the connection timed out", true, error);
  }
  if (has("EAI_AGAIN"))
    return new TransportFailure("connection", "a temporary DNS failure", true, error);
  if (has("ENOTFOUND"))
    return new TransportFailure("connection", "the host name was not found", false, error);
  if (
    codes.some(
      (code) => code.includes("CERT") || code.includes("SELF_SIGNED") || code.startsWith("ERR_TLS"),
    )
  ) {
    return new TransportFailure("connection", "the TLS certificate was not accepted", false, error);
  }
  return new TransportFailure("connection", "the request could not be sent", false, error);
}

function collectCauses(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    if (typeof current === "object") {
      const { code, message, cause } = current as {
        code?: unknown;
        message?: unknown;
        cause?: unknown;
      };
      if (typeof code === "string") codes.push(code);
      if (typeof message === "string") messages.push(message);
      current = cause;
    } else break;
  }
  return { codes, messages };
}
