/**
 * Logs go to stderr only: on the stdio transport stdout is the protocol channel, and one stray
 * line there breaks the client's JSON-RPC parser.
 */

/** Where the server writes what it is doing. Messages never carry secrets. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Writes `[evo-sessions-mcp] message` lines to stderr. */
export function createStderrLogger(prefix = "evo-sessions-mcp"): Logger {
  const write = (level: string, message: string) => {
    process.stderr.write(`[${prefix}] ${level === "info" ? "" : `${level}: `}${message}\n`);
  };
  return {
    info: (message) => write("info", message),
    warn: (message) => write("warn", message),
    error: (message) => write("error", message),
  };
}

/** A logger that drops everything (tests, embedding). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
