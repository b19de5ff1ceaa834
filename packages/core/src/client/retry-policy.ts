import { InvalidOptionError } from "../errors/evo-voice-error.js";
import { sleep } from "./abort.js";
import type { SafeHooks } from "./client-config.js";
import type { Deadline } from "./deadline.js";
import type { RetryOptions } from "./types.js";

/** A retry policy with every default filled in. */
export interface ResolvedRetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Base of the full-jitter exponential backoff. */
  baseDelayMs: number;
  /** Largest backoff, and largest `Retry-After` waited for. */
  maxDelayMs: number;
}

/** Defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY_POLICY: Readonly<ResolvedRetryPolicy> = Object.freeze({
  retries: 3,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
});

/** Fills in defaults and rejects nonsense (negative or fractional counts) with a message naming the field. */
export function resolveRetryPolicy(retry: RetryOptions | false | undefined): ResolvedRetryPolicy {
  if (retry === false) return { ...DEFAULT_RETRY_POLICY, retries: 0 };
  if (retry !== undefined && retry !== null && typeof retry !== "object") {
    throw new InvalidOptionError(
      "retry",
      "expected false or an object such as { retries, baseDelayMs, maxDelayMs }",
      retry,
    );
  }
  const policy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(retry ?? {}) };
  requireNonNegativeInteger("retry.retries", policy.retries);
  requireNonNegativeNumber("retry.baseDelayMs", policy.baseDelayMs);
  requireNonNegativeNumber("retry.maxDelayMs", policy.maxDelayMs);
  return policy;
}

function definedOnly(options: RetryOptions): Partial<ResolvedRetryPolicy> {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<ResolvedRetryPolicy>;
}

function requireNonNegativeInteger(field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidOptionError(field, "expected a whole number of 0 or more", value);
  }
}

function requireNonNegativeNumber(field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(field, "expected a number of milliseconds, 0 or more", value);
  }
}

/** HTTP statuses worth another try: the server may answer differently in a moment. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Full-jitter exponential backoff: a uniform wait in [0, min(max, base·2^retry)). Spreading the
 * waits keeps a crowd of clients that failed together from retrying together.
 */
export function backoffDelayMs(
  retryIndex: number,
  policy: ResolvedRetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/**
 * Reads `Retry-After`, which is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfterMs(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before the next retry: the server's `Retry-After` (clamped to `maxDelayMs`, though
 * {@link RetryBudget} does not retry at all past it), else backoff.
 */
export function retryDelayMs(
  retryIndex: number,
  policy: ResolvedRetryPolicy,
  retryAfterMs: number | undefined,
  random?: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  return backoffDelayMs(retryIndex, policy, random);
}

/** What one request's retries are reported as (the onRetry hook's payload, minus the per-retry parts). */
export interface RetrySubject {
  method: "GET" | "POST";
  url: string;
  /** e.g. `GET /sessions`, for the message of a cancelled wait. */
  label: string;
  signal?: AbortSignal | undefined;
  /** The call's overall deadline: no retry is made whose wait would not leave room for it. */
  deadline?: Deadline | undefined;
}

/** One request's retries: counts them, waits before each, and reports each to `onRetry`. */
export class RetryBudget {
  readonly #policy: ResolvedRetryPolicy;
  readonly #hooks: SafeHooks;
  readonly #subject: RetrySubject;
  #used = 0;
  #cutByDeadline = false;

  constructor(policy: ResolvedRetryPolicy, hooks: SafeHooks, subject: RetrySubject) {
    this.#policy = policy;
    this.#hooks = hooks;
    this.#subject = subject;
  }

  /**
   * Waits before another attempt and resolves true, or resolves false at once when no retry is
   * left or the server asked to wait longer than `maxDelayMs`: waiting less than it asked would
   * only be refused again, and waiting longer than the caller allowed is not ours to decide, so
   * the caller gets the error (with the server's wait) straight away. The same holds for a wait
   * that would leave no room for another attempt before the call's deadline.
   */
  /** True once a retry was not made because the deadline left no room for it. */
  get cutByDeadline(): boolean {
    return this.#cutByDeadline;
  }

  async next(attempt: number, reason: string, retryAfterMs?: number): Promise<boolean> {
    if (this.#used >= this.#policy.retries) return false;
    if (retryAfterMs !== undefined && retryAfterMs > this.#policy.maxDelayMs) return false;
    const delayMs = retryDelayMs(this.#used, this.#policy, retryAfterMs);
    const { method, url, label, signal, deadline } = this.#subject;
    // Past the deadline the caller gets the last failure now rather than a timeout later.
    if (deadline !== undefined && !deadline.allowsWait(delayMs)) {
      this.#cutByDeadline = true;
      return false;
    }
    this.#hooks.onRetry({ method, url, attempt, delayMs, reason });
    this.#used++;
    await sleep(delayMs, signal, label);
    return true;
  }
}
