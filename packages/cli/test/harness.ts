import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createEvoVoiceClient, type EvoVoiceClient, type SessionInfo } from "@evo-sessions/core";
import {
  startSandbox,
  type DemoUser,
  type Sandbox,
  type SandboxOptions,
} from "@evo-sessions/sandbox";
import { afterAll } from "vitest";
import { run } from "../src/main.js";

/** The instant every sandbox here is generated around. */
export const NOW = new Date("2026-11-20T12:00:00Z");

/** A sandbox for one test file, closed after it. */
export async function useSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ sessions: 2000, seed: 11, now: NOW, ...options });
  afterAll(() => sandbox.close());
  return sandbox;
}

export function userOf(sandbox: Sandbox, kind: DemoUser["kind"] = "multi"): DemoUser {
  const user = sandbox.users.find((u) => u.kind === kind);
  if (user === undefined) throw new Error(`no ${kind} user`);
  return user;
}

export function clientOf(sandbox: Sandbox, kind: DemoUser["kind"] = "multi"): EvoVoiceClient {
  const user = userOf(sandbox, kind);
  return createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: user.userName, password: user.password },
  });
}

/** The environment that points the CLI at `sandbox` as its `kind` user. */
export function envOf(sandbox: Sandbox, kind: DemoUser["kind"] = "multi"): Record<string, string> {
  const user = userOf(sandbox, kind);
  return {
    EVO_VOICE_BASE_URL: sandbox.url,
    EVO_VOICE_USERNAME: user.userName,
    EVO_VOICE_PASSWORD: user.password,
    EVO_VOICE_TIME_ZONE: "UTC",
  };
}

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with captured streams. */
export async function cli(
  argv: string[],
  options: { env?: Record<string, string>; tty?: boolean; signal?: AbortSignal; now?: Date } = {},
): Promise<CliRun> {
  const stdout = new Capture(options.tty === true);
  const stderr = new Capture(false);
  const code = await run(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
    now: () => options.now ?? NOW,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temporary directory for one test file, removed after it. */
export async function useTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "evo-cli-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The sandbox's live sessions the user sees, oldest first (what an export of everything live holds). */
export function liveSessionsOf(sandbox: Sandbox, kind: DemoUser["kind"] = "multi"): SessionInfo[] {
  const accounts = new Set(userOf(sandbox, kind).accountIds);
  const cutoff = Date.parse(sandbox.data.archiveCutoff ?? "1970-01-01T00:00:00Z");
  return (sandbox.data.sessions as SessionInfo[])
    .filter((s) => accounts.has(s.accountId ?? "") && Date.parse(s.dateCreated ?? "") >= cutoff)
    .sort(
      (a, b) =>
        (a.dateCreated ?? "").localeCompare(b.dateCreated ?? "") ||
        (a.id ?? "").localeCompare(b.id ?? ""),
    );
}
