/**
 * After a rejected sign-in, tool calls are answered without contacting Evo Voice for a while:
 * an assistant retries failed calls eagerly, and every retry with a wrong password counts
 * towards the account's lockout.
 */

/** How long sign-in attempts pause after one was rejected, by default. */
export const SIGN_IN_PAUSE_MS = 60_000;

/** Sign-in is paused after a rejected attempt; the message says when it is tried again. */
export class SignInPausedError extends Error {
  override readonly name = "SignInPausedError";
}

/** Remembers a rejected sign-in for a short time. */
export class SignInGate {
  #failedAt: number | undefined;

  constructor(
    private readonly now: () => number = Date.now,
    /** How long to pause (ms). */
    readonly pauseMs: number = SIGN_IN_PAUSE_MS,
  ) {}

  /** Notes that Evo Voice rejected the sign-in just now. */
  record(): void {
    this.#failedAt = this.now();
  }

  /** Milliseconds until sign-in is tried again (0 when it is not paused). */
  remainingMs(): number {
    if (this.#failedAt === undefined) return 0;
    return Math.max(0, this.#failedAt + this.pauseMs - this.now());
  }

  /** Throws {@link SignInPausedError} while paused. */
  check(): void {
    const remaining = this.remainingMs();
    if (remaining === 0) return;
    const ago = Math.round((this.now() - (this.#failedAt ?? 0)) / 1000);
    throw new SignInPausedError(
      `The sign-in to Evo Voice was rejected ${ago} s ago (wrong user name or password), so this call was not sent. ${this.pauseWords()} Fix EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in the MCP server's environment and restart it; retrying sooner will not help.`,
    );
  }

  /** `Sign-in is tried again in 60 s …` for messages. */
  pauseWords(): string {
    const seconds = Math.ceil(this.remainingMs() / 1000);
    return seconds === 0
      ? ""
      : `To avoid locking the account, sign-in is not tried again for ${seconds} s.`;
  }
}
