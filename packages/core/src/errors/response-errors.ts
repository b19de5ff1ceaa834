import { EvoVoiceError, type EvoVoiceErrorOptions } from "./evo-voice-error.js";

/** One entry of ServiceStack's `responseStatus.errors`: a parameter the server rejected. */
export interface FieldError {
  /** The parameter, as the server names it (empty when the error concerns the whole request). */
  fieldName: string;
  /** The server's code for the problem, e.g. `NotEmpty`. */
  errorCode: string;
  /** The server's explanation (secrets redacted). */
  message: string;
}

/** What was asked for does not exist (HTTP 404, or no session with the requested id). */
export class NotFoundError extends EvoVoiceError {
  override readonly name = "NotFoundError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("not_found", message, options);
  }
}

/** Options of {@link RateLimitedError}. */
export interface RateLimitedErrorOptions extends EvoVoiceErrorOptions {
  /** How long the server asked to wait (its `Retry-After`), when it said. */
  retryAfterMs?: number | undefined;
}

/** The server asked to slow down (HTTP 429) and retries did not get through. */
export class RateLimitedError extends EvoVoiceError {
  override readonly name = "RateLimitedError";
  /** How long the server asked to wait before trying again, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: RateLimitedErrorOptions = {}) {
    super("rate_limited", message, options);
    this.retryAfterMs = options.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}

/** Options of {@link InvalidRequestError}. */
export interface InvalidRequestErrorOptions extends EvoVoiceErrorOptions {
  /** The parameters the server rejected, from `responseStatus.errors`. */
  fieldErrors?: FieldError[] | undefined;
  /** ServiceStack's `responseStatus.errorCode`, e.g. `ArgumentException`. */
  serverErrorCode?: string | undefined;
}

/** The server rejected the request itself (HTTP 400 and other 4xx); `fieldErrors` names the parameters. */
export class InvalidRequestError extends EvoVoiceError {
  override readonly name = "InvalidRequestError";
  /** The parameters the server rejected, from `responseStatus.errors` (empty when it named none). */
  readonly fieldErrors: FieldError[];
  /** ServiceStack's `responseStatus.errorCode`, when it sent one. */
  readonly serverErrorCode: string | undefined;

  constructor(message: string, options: InvalidRequestErrorOptions = {}) {
    super("invalid_request", message, options);
    this.fieldErrors = options.fieldErrors ?? [];
    this.serverErrorCode = options.serverErrorCode;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.serverErrorCode === undefined ? {} : { serverErrorCode: this.serverErrorCode }),
      fieldErrors: this.fieldErrors,
    };
  }
}

/** The server failed (HTTP 5xx) on every attempt. */
export class ServerError extends EvoVoiceError {
  override readonly name = "ServerError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("server_error", message, options);
  }
}

/** Options of {@link UndecodableResponseError}. */
export interface UndecodableResponseErrorOptions extends EvoVoiceErrorOptions {
  /** What arrived instead of JSON, in words, e.g. `an HTML page (text/html)`. */
  received: string;
  /**
   * Which kind of unusable body: `cut_off` and `malformed_json` are usually passing trouble,
   * `not_json` and `wrong_shape` usually a base URL that does not point at the API.
   */
  kind?: "cut_off" | "malformed_json" | "not_json" | "wrong_shape" | undefined;
}

/**
 * The answer was not the JSON the API sends: an HTML page, malformed or cut-off JSON, an empty
 * body. Usually a wrong base URL or a proxy in the way.
 */
export class UndecodableResponseError extends EvoVoiceError {
  override readonly name = "UndecodableResponseError";
  /** What arrived instead of JSON, in words, e.g. `an HTML page (text/html)`. */
  readonly received: string;
  /** Which kind of unusable body arrived (see {@link UndecodableResponseErrorOptions.kind}). */
  readonly kind: UndecodableResponseErrorOptions["kind"];

  constructor(message: string, options: UndecodableResponseErrorOptions) {
    super("undecodable_response", message, options);
    this.received = options.received;
    this.kind = options.kind;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      received: this.received,
      ...(this.kind === undefined ? {} : { kind: this.kind }),
    };
  }
}
