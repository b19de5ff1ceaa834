import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { E2eConfig } from "./config.js";

/** Options of {@link startCodeServer}. */
export interface CodeServerOptions {
  config: E2eConfig;
  /** User settings written to the fresh user-data-dir before start. */
  userSettings?: Record<string, unknown>;
  /** Extra environment of the server and its extension host (e.g. TZ). */
  env?: Record<string, string>;
  /** Where the server's output is written. */
  logFile: string;
  /** Where VS Code's own logs (extension host, MCP, …) are copied when the server closes. */
  logsCopyDir?: string;
}

/** A running code-server with the extension under test installed. */
export interface CodeServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The folder opened as the workspace. */
  workspaceDir: string;
  /** URL of the workbench with the workspace open. */
  workbenchUrl: string;
  /**
   * The extension host's log (`remoteexthost.log`, every window's, joined): activation and
   * the errors extensions cause, which the workbench does not show.
   */
  extensionHostLog(): Promise<string>;
  close(): Promise<void>;
}

// Settings that keep code-server's own UI (welcome page, chat, tips) out of the screenshots
// and stop it from reaching the network this machine doesn't have.
const QUIET_WORKBENCH_SETTINGS: Record<string, unknown> = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "window.restoreWindows": "none",
};

const LISTENING = /HTTP server listening on (http:\/\/[^\s/]+)/;

/**
 * Starts code-server on a free loopback port with a fresh profile: installs the vsix into a
 * fresh extensions dir, writes the settings, and resolves once the server accepts requests.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { config } = options;
  const dirs = await makeProfile(options);
  const log = createWriteStream(options.logFile);
  // XDG_* keep code-server from writing its config.yaml and state into the real home.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(dirs.xdgDir, "config"),
    XDG_DATA_HOME: join(dirs.xdgDir, "data"),
    ...options.env,
  };
  const common = [
    config.codeServerEntry,
    "--extensions-dir",
    dirs.extensionsDir,
    "--user-data-dir",
    dirs.userDataDir,
  ];
  try {
    const install = await run(config.node24, [...common, "--install-extension", config.vsix], env);
    log.write(install.output);
    if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
      throw new Error(
        `code-server could not install ${config.vsix} (exit ${install.code}):\n${install.output}`,
      );
    }
    const child = spawn(config.node24, [...common, ...SERVE_FLAGS, dirs.workspaceDir], {
      // Own process group: the extension host and its helpers end with the server.
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const url = await waitForListening(child, 30_000 * config.timeoutScale);
    return runningServer(url, child, log, dirs, options);
  } catch (error) {
    log.end();
    await rm(dirs.root, { recursive: true, force: true });
    throw error;
  }
}

const SERVE_FLAGS = [
  "--auth",
  "none",
  "--disable-telemetry",
  "--disable-update-check",
  "--disable-workspace-trust",
  "--disable-getting-started-override",
  "--disable-proxy",
  "--bind-addr",
  "127.0.0.1:0",
];

interface Profile {
  root: string;
  extensionsDir: string;
  userDataDir: string;
  workspaceDir: string;
  xdgDir: string;
}

/** A fresh profile: extensions, user data with the settings, a workspace, XDG dirs. */
async function makeProfile(options: CodeServerOptions): Promise<Profile> {
  const root = await mkdtemp(join(tmpdir(), "evo-e2e-"));
  const dirs: Profile = {
    root,
    extensionsDir: join(root, "extensions"),
    userDataDir: join(root, "user-data"),
    workspaceDir: join(root, "workspace"),
    xdgDir: join(root, "xdg"),
  };
  await Promise.all([
    mkdir(dirs.extensionsDir, { recursive: true }),
    mkdir(join(dirs.userDataDir, "User"), { recursive: true }),
    mkdir(dirs.workspaceDir, { recursive: true }),
    mkdir(dirs.xdgDir, { recursive: true }),
  ]);
  await writeFile(
    join(dirs.userDataDir, "User", "settings.json"),
    JSON.stringify({ ...QUIET_WORKBENCH_SETTINGS, ...options.userSettings }, null, 2),
  );
  await writeFile(
    join(dirs.workspaceDir, "README.md"),
    "Evo Voice sessions end-to-end workspace.\n",
  );
  return dirs;
}

function runningServer(
  url: string,
  child: ChildProcess,
  log: WriteStream,
  dirs: Profile,
  options: CodeServerOptions,
): CodeServer {
  return {
    url,
    workspaceDir: dirs.workspaceDir,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(dirs.workspaceDir)}`,
    async extensionHostLog() {
      const logs = await readdir(join(dirs.userDataDir, "logs"), {
        recursive: true,
        withFileTypes: true,
      }).catch(() => []);
      const files = logs
        .filter((entry) => entry.isFile() && entry.name === "remoteexthost.log")
        .map((entry) => join(entry.parentPath, entry.name))
        .sort();
      const texts = await Promise.all(files.map((file) => readFile(file, "utf8")));
      return texts.join("\n");
    },
    async close() {
      await stop(child);
      log.end();
      if (options.logsCopyDir !== undefined) {
        await rm(options.logsCopyDir, { recursive: true, force: true });
        await cp(join(dirs.userDataDir, "logs"), options.logsCopyDir, { recursive: true }).catch(
          () => {},
        );
      }
      await rm(dirs.root, { recursive: true, force: true });
    },
  };
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`code-server did not start within ${timeoutMs} ms; it printed:\n${seen}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = LISTENING.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${code}) before listening; it printed:\n${seen}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => killGroup(child.pid ?? 0, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  // Helpers that outlive the server (extension host) share its group.
  killGroup(child.pid, "SIGKILL");
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
