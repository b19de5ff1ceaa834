/** Shared by the package's command-line scripts: the server (cli.ts) and the quickstart. */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig, type EvoSessionsMcpConfig } from "./config.js";
import type { Logger } from "./log.js";

/**
 * True when the module at `moduleUrl` (its `import.meta.url`) is the script Node was started
 * with, also when started through a symlink such as npm's `bin` link; false when imported.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  try {
    return (
      process.argv[1] !== undefined &&
      moduleUrl === pathToFileURL(realpathSync(process.argv[1])).href
    );
  } catch {
    return false;
  }
}

/**
 * Runs a script's `main` and exits with the code it returns; an unexpected error is written to
 * stderr as `[name] error: …` and exits with 1.
 */
export function runScript(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `[${name}] error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

/**
 * The configuration from the environment, or undefined after logging why it is unusable (the
 * script then exits with 2, the usage-error code).
 */
export function loadConfigOrLog(log: Logger): EvoSessionsMcpConfig | undefined {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);
      return undefined;
    }
    throw error;
  }
}
