import { AbortedError } from "../errors/transport-errors.js";

/** Throws {@link AbortedError} when the caller has already cancelled. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) {
    throw new AbortedError(`${what} was cancelled; nothing more was fetched.`, {
      cause: signal.reason,
    });
  }
}

/** Waits `ms`, ending early with {@link AbortedError} when the signal fires. */
export function sleep(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(
        new AbortedError(`${what} was cancelled; nothing more was fetched.`, {
          cause: signal.reason,
        }),
      );
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(
        new AbortedError(`${what} was cancelled while waiting to retry.`, {
          cause: signal?.reason,
        }),
      );
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for shared work (a sign-in other requests also wait for) but lets this caller leave when
 * its own signal fires, without cancelling the work for the others.
 */
export function awaitUnlessAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
): Promise<T> {
  if (signal === undefined) return work;
  throwIfAborted(signal, what);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        new AbortedError(`${what} was cancelled; nothing more was fetched.`, {
          cause: signal.reason,
        }),
      );
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
