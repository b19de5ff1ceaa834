import { TimeoutError } from "../errors/transport-errors.js";
import { awaitUnlessAborted } from "./abort.js";

// Below this, an attempt cannot get an answer from a real server: better to stop than to send it.
const MIN_ATTEMPT_MS = 50;

/**
 * One call's overall deadline. Every attempt's timeout is capped by what is left of it and a
 * retry whose wait would not leave room for another attempt is not made, so a call (its
 * sign-in, retries and backoff included) ends by the deadline whatever the server does.
 */
export class Deadline {
  readonly #startedAt: number;

  constructor(
    /** The whole allowance, in milliseconds. */
    readonly totalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#startedAt = now();
  }

  /** Milliseconds since the call started. */
  elapsedMs(): number {
    return Math.round(this.now() - this.#startedAt);
  }

  /** Milliseconds left (0 when it has passed). */
  remainingMs(): number {
    return Math.max(0, this.totalMs - (this.now() - this.#startedAt));
  }

  /**
   * The timeout of the next attempt: the per-attempt timeout, or what is left when that is less.
   * `byDeadline` says which, so a timeout is reported as the deadline passing.
   */
  attemptTimeout(perAttemptMs: number): { timeoutMs: number; byDeadline: boolean } {
    const remaining = Math.floor(this.remainingMs());
    return remaining < perAttemptMs
      ? { timeoutMs: remaining, byDeadline: true }
      : { timeoutMs: perAttemptMs, byDeadline: false };
  }

  /** True when there is time for an attempt at all. */
  hasRoomForAttempt(): boolean {
    return this.remainingMs() >= MIN_ATTEMPT_MS;
  }

  /** True when waiting `delayMs` still leaves room for one more attempt. */
  allowsWait(delayMs: number): boolean {
    return delayMs + MIN_ATTEMPT_MS <= this.remainingMs();
  }

  /** The error for a call that ran out of time; says how long was waited and what to try. */
  error(request: string, attempts: number): TimeoutError {
    const tries = attempts > 1 ? `, ${attempts} attempts` : "";
    const summary = `Evo Voice did not answer ${request} within the ${formatDuration(this.totalMs)} deadline (waited ${formatDuration(this.elapsedMs())}${tries})`;
    return new TimeoutError(
      `${summary}. Try again in a minute; if it keeps happening Evo Voice may be down or slow. Ask for less (a date range, smaller pages) or raise deadlineMs.`,
      { deadlineMs: this.totalMs, waitedMs: this.elapsedMs(), summary: `${summary}.` },
    );
  }
}

/** A deadline of `ms`, or none when `ms` is undefined. */
export function deadlineOf(ms: number | undefined): Deadline | undefined {
  return ms === undefined ? undefined : new Deadline(ms);
}

/** `850 ms`, `2 s`, `45 s`, `1.5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) || seconds >= 10 ? Math.round(seconds) : seconds.toFixed(1)} s`;
}

/**
 * Waits for shared work (the sign-in other requests also wait for) but leaves when this caller's
 * signal fires or its deadline passes, without ending the work for the others.
 */
export function awaitWithin<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  deadline: Deadline | undefined,
  what: string,
  request: string,
): Promise<T> {
  const cancellable = awaitUnlessAborted(work, signal, what);
  if (deadline === undefined) return cancellable;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadline.error(request, 1)), deadline.remainingMs());
    cancellable.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
