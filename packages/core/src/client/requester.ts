import { throwIfAborted } from "./abort.js";
import type { AuthSession } from "./auth-session.js";
import type { ClientConfig } from "./client-config.js";
import {
  describeBody,
  errorForStatus,
  errorForTransportFailure,
  isHtmlReply,
  undecodableError,
  unusableBodyKind,
  type FailureContext,
} from "./error-mapping.js";
import { TransportFailure, type HttpReply } from "./http-transport.js";
import { requestUrl, sendObserved, type OutgoingRequest } from "./observed-send.js";
import type { Redactor } from "./redactor.js";
import { isRetryableStatus, parseRetryAfterMs, RetryBudget } from "./retry-policy.js";

/** A request to the API and whether it needs the sign-in. */
export interface ApiRequest extends Omit<OutgoingRequest, "headers"> {
  /** Send the sign-in and recover from a 401 (default true). */
  authenticate?: boolean;
  /**
   * Recognises a 2xx answer that means "not signed in" (GET /auth/status may say
   * isAuthenticated: false instead of answering 401); it is then handled like a 401.
   */
  meansSignedOut?: (json: unknown) => boolean;
}

/** A successful answer, its JSON already parsed. */
export interface ApiReply {
  url: string;
  status: number;
  json: unknown;
}

/**
 * Sends API requests: signs them, replays once after a renewed sign-in, retries reads on
 * 408/429/5xx, dropped connections, timeouts and cut-off bodies with full-jitter backoff, and
 * turns the final failure into a typed error.
 *
 * Decisions: only GET is retried here (the issue limits retries to reads; sign-out is a POST and
 * fails at once; the lazy sign-in POST is part of a read and retried by the sign-in itself). A
 * `Retry-After` longer than `maxDelayMs` is not waited for: the error (with the server's wait)
 * comes at once. A timed-out GET is retried, as a read is safe to repeat. A body cut off
 * mid-way, and malformed JSON, are retried too: a read is idempotent, and a proxy or a server
 * under load produces both now and then. An HTML page is retried only when its status is (a
 * proxy's 502 page), and in the end reported as undecodable, since it means a wrong base URL or
 * a failing proxy rather than an answer from the API. With a deadline, attempts and waits stop
 * in time for the call to end by it (see Deadline).
 */
export class Requester {
  readonly #config: ClientConfig;
  readonly #auth: AuthSession;
  readonly #redactor: Redactor;

  constructor(config: ClientConfig, auth: AuthSession, redactor: Redactor) {
    this.#config = config;
    this.#auth = auth;
    this.#redactor = redactor;
  }

  /** Sends `request` until it succeeds or fails for good; resolves with the parsed JSON. */
  async send(request: ApiRequest): Promise<ApiReply> {
    const { signal, deadline } = request;
    const authenticate = request.authenticate ?? true;
    const label = `${request.method} ${request.path}`;
    const url = requestUrl(this.#config, request);
    const canRetry = request.method === "GET";
    const budget = new RetryBudget(this.#config.retry, this.#config.hooks, {
      method: request.method,
      url,
      label,
      signal,
      deadline,
    });
    let attempts = 0;
    let renewed = false;
    const context = (): FailureContext => ({
      request: label,
      attempts,
      origin: this.#config.baseUrl,
      redactor: this.#redactor,
      deadline,
      cutByDeadline: budget.cutByDeadline,
    });
    const retry = (reason: string, retryAfterMs?: number): Promise<boolean> =>
      canRetry ? budget.next(attempts, reason, retryAfterMs) : Promise.resolve(false);

    for (;;) {
      throwIfAborted(signal, label);
      const authorization = authenticate
        ? await this.#auth.authorize(signal, label, deadline)
        : undefined;
      attempts++;
      let reply: HttpReply;
      try {
        reply = await sendObserved(
          this.#config,
          { ...request, headers: authorization?.headers },
          attempts,
        );
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        if (error.retryable && (await retry(error.detail))) continue;
        throw errorForTransportFailure(error, context(), this.#config.timeoutMs);
      }
      this.#auth.absorb(reply);

      const parsed = reply.status >= 200 && reply.status < 300 ? parseJson(reply) : undefined;
      const signedOut =
        reply.status === 401 ||
        (parsed?.ok === true && request.meansSignedOut?.(parsed.value) === true);
      if (signedOut && authorization !== undefined) {
        if (renewed) throw this.#auth.refusedAfterRenewal(label);
        await this.#auth.recover(authorization.generation, label, signal, deadline);
        renewed = true;
        continue;
      }
      if (parsed?.ok === true) return { url, status: reply.status, json: parsed.value };
      const failure = await failureOf(reply, parsed, retry, context);
      if (failure !== undefined) throw failure;
    }
  }
}

/**
 * What an answer that is not a usable 2xx means: undefined when it is worth another attempt
 * (after the backoff `retry` waited), else the error to throw.
 */
async function failureOf(
  reply: HttpReply,
  parsed: ParsedJson | undefined,
  retry: (reason: string, retryAfterMs?: number) => Promise<boolean>,
  context: () => FailureContext,
): Promise<Error | undefined> {
  if (parsed !== undefined && !parsed.ok) {
    const kind = unusableBodyKind(reply);
    if (kind === "cut_off" || kind === "malformed_json") {
      if (await retry(kind === "cut_off" ? "the response was cut off" : "malformed JSON"))
        return undefined;
    }
    return undecodableError(context(), {
      received: describeBody(reply),
      kind,
      cause: parsed.error,
      status: reply.status,
    });
  }
  const retryAfterMs = parseRetryAfterMs(reply.headers.get("retry-after"));
  if (isRetryableStatus(reply.status)) {
    const reason = `HTTP ${reply.status}${retryAfterMs === undefined ? "" : ` (Retry-After ${retryAfterMs} ms)`}`;
    if (await retry(reason, retryAfterMs)) return undefined;
  }
  if (isHtmlReply(reply)) {
    return undecodableError(context(), {
      received: describeBody(reply),
      kind: "not_json",
      status: reply.status,
    });
  }
  return errorForStatus(reply, context(), retryAfterMs);
}

type ParsedJson = { ok: true; value: unknown } | { ok: false; cutOff: boolean; error: unknown };

function parseJson(reply: HttpReply): ParsedJson {
  // Only the transport can tell a cut-off body from a malformed one: JSON that merely ends
  // early may be exactly what the server wrote.
  if (reply.truncated) return { ok: false, cutOff: true, error: undefined };
  // No content (204, or an empty 200): the JSON value "nothing", which a caller may accept
  // (GET /auth/status answers a signed-out client so) or report as the wrong shape.
  if (reply.status === 204 || reply.body.trim() === "") return { ok: true, value: undefined };
  if (isHtmlReply(reply)) return { ok: false, cutOff: false, error: undefined };
  try {
    return { ok: true, value: JSON.parse(reply.body) };
  } catch (error) {
    return { ok: false, cutOff: false, error };
  }
}
