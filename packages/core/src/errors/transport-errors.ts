import { EvoVoiceError, type EvoVoiceErrorOptions } from "./evo-voice-error.js";

/** Options of {@link TimeoutError}. */
export interface TimeoutErrorOptions extends EvoVoiceErrorOptions {
  /** The per-attempt timeout that ran out (absent for a server-side 408). */
  timeoutMs?: number | undefined;
}

/** No answer in time: the per-attempt timeout ran out (or the server answered 408) on every attempt. */
export class TimeoutError extends EvoVoiceError {
  override readonly name = "TimeoutError";
  /** The per-attempt timeout that ran out (absent for a server-side 408). */
  readonly timeoutMs: number | undefined;

  constructor(message: string, options: TimeoutErrorOptions = {}) {
    super("timeout", message, options);
    this.timeoutMs = options.timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
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
