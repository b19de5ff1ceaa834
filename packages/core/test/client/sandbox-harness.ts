import {
  startSandbox,
  type DemoUser,
  type Sandbox,
  type SandboxOptions,
} from "@evo-sessions/sandbox";
import { afterAll, afterEach } from "vitest";
import { createEvoVoiceClient } from "../../src/client/create-client.js";
import type { ClientHooks, EvoVoiceClient, EvoVoiceClientOptions } from "../../src/client/types.js";

/** Every hook call a client made, in order, for assertions and secret scans. */
export interface HookLog {
  /** `at` is performance.now() when the hook ran. */
  events: { hook: keyof ClientHooks; event: unknown; at: number }[];
  hooks: Required<ClientHooks>;
  of<K extends keyof ClientHooks>(hook: K): Parameters<Required<ClientHooks>[K]>[0][];
}

/** Hooks that record every event. */
export function recordHooks(): HookLog {
  const events: HookLog["events"] = [];
  const record =
    (hook: keyof ClientHooks) =>
    (event: unknown): void => {
      events.push({ hook, event, at: performance.now() });
    };
  return {
    events,
    hooks: {
      onRequest: record("onRequest"),
      onResponse: record("onResponse"),
      onRetry: record("onRetry"),
      onSignIn: record("onSignIn"),
      onDecodeWarnings: record("onDecodeWarnings"),
      onPagingDrift: record("onPagingDrift"),
    },
    of<K extends keyof ClientHooks>(hook: K) {
      return events
        .filter((entry) => entry.hook === hook)
        .map((entry) => entry.event) as Parameters<Required<ClientHooks>[K]>[0][];
    },
  };
}

/** Starts a small sandbox for one test file. */
export function startSmallSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    sessions: 300,
    seed: 7,
    now: new Date("2026-11-20T12:00:00Z"),
    ...options,
  });
}

/**
 * Starts a small sandbox for the test file that awaits it at its top level, closes it after the
 * file's tests and clears its faults after each test, so no injected fault leaks into the next.
 */
export async function useSmallSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSmallSandbox(options);
  afterAll(async () => {
    await sandbox.close();
  });
  afterEach(() => {
    sandbox.faults.clear();
  });
  return sandbox;
}

/** The demo user of a kind. */
export function userOf(sandbox: Sandbox, kind: DemoUser["kind"]): DemoUser {
  const user = sandbox.users.find((candidate) => candidate.kind === kind);
  if (user === undefined) throw new Error(`The sandbox has no ${kind} user`);
  return user;
}

/** A client signed in (lazily) as the user of `kind`, with fast retries and recorded hooks. */
export function clientFor(
  sandbox: Sandbox,
  kind: DemoUser["kind"] = "single",
  options: EvoVoiceClientOptions = {},
): { client: EvoVoiceClient; log: HookLog; user: DemoUser } {
  const user = userOf(sandbox, kind);
  const log = recordHooks();
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: user.userName, password: user.password },
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 50 },
    timeoutMs: 5_000,
    hooks: log.hooks,
    ...options,
  });
  return { client, log, user };
}

/** Requests the sandbox answered on a path since `from` (an index into sandbox.requests). */
export function requestsTo(sandbox: Sandbox, path: string, from = 0): Sandbox["requests"] {
  return sandbox.requests.slice(from).filter((record) => record.path === path);
}

/** Awaits a promise expected to reject and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the promise to reject, but it resolved");
}
