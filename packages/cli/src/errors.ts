/** Every failure of the command line is a {@link CliError} with a code and an exit status. */

/** What went wrong, for code and tests to branch on. */
export type CliErrorCode =
  | "usage"
  | "config"
  | "store_locked"
  | "store_missing"
  | "sql_refused"
  | "sql_failed"
  | "store_uncovered"
  | "export_conflict"
  | "interrupted";

/** Exit statuses, as `--help` documents them. */
export const EXIT_CODES = {
  ok: 0,
  /** Evo Voice, the store or the file system failed (the message says which). */
  failure: 1,
  /** A bad argument: the message names it. */
  usage: 2,
  /** A bad environment variable: the message names it. */
  config: 3,
  /** The store is being synced by another run and did not come free in time. */
  locked: 4,
  /** Ctrl-C (SIGINT) or SIGTERM: what was read is written and a checkpoint kept. */
  interrupted: 130,
} as const;

const EXIT_BY_CODE: Record<CliErrorCode, number> = {
  usage: EXIT_CODES.usage,
  config: EXIT_CODES.config,
  store_locked: EXIT_CODES.locked,
  store_missing: EXIT_CODES.failure,
  sql_refused: EXIT_CODES.usage,
  sql_failed: EXIT_CODES.failure,
  store_uncovered: EXIT_CODES.failure,
  export_conflict: EXIT_CODES.usage,
  interrupted: EXIT_CODES.interrupted,
};

/** A failure of the command line, with the argument or variable at fault where there is one. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly code: CliErrorCode;
  /** The argument or environment variable at fault, e.g. `--limit` or `EVO_VOICE_TIME_ZONE`. */
  readonly argument: string | undefined;

  constructor(
    code: CliErrorCode,
    message: string,
    options: { argument?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.argument = options.argument;
  }

  /** The process exit status for this failure. */
  get exitCode(): number {
    return EXIT_BY_CODE[this.code];
  }
}

/** A bad argument: `--limit: must be a whole number from 1 to 100000 (got "x")`. */
export function usageError(argument: string, reason: string): CliError {
  return new CliError("usage", `${argument}: ${reason}`, { argument });
}
