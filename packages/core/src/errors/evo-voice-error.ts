/** Machine-readable reason of an {@link EvoVoiceError}; callers branch on it. */
export type EvoVoiceErrorCode =
  | "invalid_query"
  | "invalid_option"
  | "not_signed_in"
  | "sign_in_failed"
  | "permission_denied"
  | "not_found"
  | "rate_limited"
  | "invalid_request"
  | "server_error"
  | "timeout"
  | "connection_failed"
  | "redirect_refused"
  | "undecodable_response"
  | "aborted"
  | "paging_stalled"
  | "name_not_found"
  | "name_ambiguous";

/** Options shared by every Evo Voice error. */
export interface EvoVoiceErrorOptions {
  /** The HTTP status of the answer that failed, when there was one. */
  status?: number | undefined;
  /** The underlying error, for debugging (never shown to users, never holding a secret). */
  cause?: unknown;
  /**
   * What happened, without the advice for programmers the message ends with (e.g. "raise
   * timeoutMs"): for callers such as the MCP server that word their own advice. Default: the message.
   */
  summary?: string | undefined;
}

/** Base class of every error this toolkit throws; `code` says what went wrong, the message what to do next. */
export class EvoVoiceError extends Error {
  override readonly name: string = "EvoVoiceError";
  /** What went wrong, for code to branch on, e.g. `rate_limited`. */
  readonly code: EvoVoiceErrorCode;
  /** The HTTP status of the answer that failed, when there was one. */
  readonly status: number | undefined;
  /** What happened, in a sentence without the advice (see {@link EvoVoiceErrorOptions.summary}). */
  readonly summary: string;

  constructor(code: EvoVoiceErrorCode, message: string, options: EvoVoiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.summary = options.summary ?? message;
  }

  /** A plain, secret-free form for logs and tool results (the cause is reduced to its message). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      ...(this.status === undefined ? {} : { status: this.status }),
      message: this.message,
    };
  }
}

/** True when `value` is an {@link EvoVoiceError}, optionally of the given code. */
export function isEvoVoiceError(value: unknown, code?: EvoVoiceErrorCode): value is EvoVoiceError {
  return value instanceof EvoVoiceError && (code === undefined || value.code === code);
}

/** A query parameter was rejected before any request was sent. */
export class QueryValidationError extends EvoVoiceError {
  override readonly name = "QueryValidationError";
  /** The ListSessions parameter at fault, e.g. `startDate`. */
  readonly field: string;
  /** Why it was rejected, in a few words. */
  readonly reason: string;
  /** The rejected value, as given. */
  readonly value: unknown;

  constructor(field: string, reason: string, value: unknown) {
    super("invalid_query", `Invalid ${field}: ${reason} (got ${formatValue(value)}).`);
    this.field = field;
    this.reason = reason;
    this.value = value;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, reason: this.reason };
  }
}

/**
 * An option given to the client (createEvoVoiceClient, paginate and the like) was rejected before
 * anything was sent: `field` names it (e.g. `retry.retries`), the message says what is accepted.
 */
export class InvalidOptionError extends EvoVoiceError {
  override readonly name = "InvalidOptionError";
  /** The option at fault, as a path, e.g. `timeoutMs` or `auth.password`. */
  readonly field: string;
  /** Why it was rejected, in a few words. */
  readonly reason: string;

  /** `value` is quoted in the message when given; callers leave it out for secrets. */
  constructor(field: string, reason: string, ...value: [unknown?]) {
    super(
      "invalid_option",
      `Invalid ${field}: ${reason}${value.length === 0 ? "" : ` (got ${formatValue(value[0])})`}.`,
    );
    this.field = field;
    this.reason = reason;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, reason: this.reason };
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return "nothing";
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
