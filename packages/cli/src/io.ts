import type { Writable } from "node:stream";

/** A stream that may be a terminal. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };

/** What a command runs with: its streams, its environment and its stop signal. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  /** The environment (default: the process's, read in env.ts; tests pass their own). */
  env?: Record<string, string | undefined>;
  /** Fires on Ctrl-C: commands stop reading, write what they have and exit 130. */
  signal: AbortSignal;
  /** The clock (default: the system's). */
  now?: () => Date;
}

/** Writes `text` and waits for the stream to take it (so that output is flushed before exit). */
export function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes a line to stderr (a notice, never data). */
export function notice(io: CliIo, text: string): void {
  io.stderr.write(`${text}\n`);
}
