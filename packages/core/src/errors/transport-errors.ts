import { EvoVoiceError, type EvoVoiceErrorOptions } from "./evo-voice-error.js";

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends EvoVoiceErrorOptions {
  /** The per-attempt timeout that ran out (absent for a server-side 408). */
  timeoutMs?: number | undefined;
  /** The call's overall deadline, when that is what ran out. */
  deadlineMs?: number | undefined;
  /** How long the call waited in all before giving up. */
  waitedMs?: number | undefined;
}

/** No answer in time: the per-attempt timeout ran out (or the server answered 408) on every attempt. */
export class TimeoutError extends EvoVoiceError {
  override readonly name = "TimeoutError";
  /** The per-attempt timeout that ran out (absent for a server-side 408). */
  readonly timeoutMs: number | undefined;
  /** The call's overall deadline, when that is what ran out. */
  readonly deadlineMs: number | undefined;
  /** How long the call waited in all before giving up, when known. */
  readonly waitedMs: number | undefined;

  constructor(message: string, options: TimeoutErrorOptions = {}) {
    super("timeout", message, options);
    this.timeoutMs = options.timeoutMs;
    this.deadlineMs = options.deadlineMs;
    this.waitedMs = options.waitedMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
      ...(this.deadlineMs === undefined ? {} : { deadlineMs: this.deadlineMs }),
      ...(this.waitedMs === undefined ? {} : { waitedMs: this.waitedMs }),
    };
  }
}

/** The server could not be reached or dropped the connection, on every attempt. */
export class ConnectionError extends EvoVoiceError {
  override readonly name = "ConnectionError";

  constructor(message: string, options: EvoVoiceErrorOptions = {}) {
    super("connection_failed", message, options);
  }
}

/** The caller cancelled (its `AbortSignal` fired, or it stopped iterating); nothing more was fetched. */
export class AbortedError extends EvoVoiceError {
  override readonly name = "AbortedError";

  constructor(message = "The request was cancelled.", options: EvoVoiceErrorOptions = {}) {
    super("aborted", message, options);
  }
}

/** Options of {@link RedirectRefusedError}. */
export interface RedirectRefusedErrorOptions extends EvoVoiceErrorOptions {
  /** Where the redirect pointed (origin and path only; never a query string). */
  location: string;
}

/**
 * The server answered with a redirect the client does not follow: to another origin (cookies and
 * the password must not leave the configured one), a POST (the sign-in is never re-sent), or too
 * many hops.
 */
export class RedirectRefusedError extends EvoVoiceError {
  override readonly name = "RedirectRefusedError";
  /** Where the redirect pointed (origin and path only). */
  readonly location: string;

  constructor(message: string, options: RedirectRefusedErrorOptions) {
    super("redirect_refused", message, options);
    this.location = options.location;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), location: this.location };
  }
}
