/** What the core benchmarks share: printing, the sandbox on its own thread, full collections. */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { DemoUser, SandboxOptions } from "@evo-sessions/sandbox";

/** Messages sandbox-worker.mjs understands. */
export type SandboxWorkerCommand = { type: "latency"; ms: number } | { type: "close" };

export const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined)
  console.warn("note: run with --expose-gc; memory figures then include garbage");

/** One `name: value` line. */
export function print(name: string, value: string | number): void {
  console.log(`${name}: ${value}`);
}

/** The sandbox on its own thread: its work and heap stay out of the client's figures. */
export async function startSandboxThread(options: SandboxOptions): Promise<{
  url: string;
  users: DemoUser[];
  send(command: SandboxWorkerCommand): Promise<void>;
}> {
  const worker = new Worker(new URL("./sandbox-worker.mjs", import.meta.url), {
    workerData: options,
  });
  const [ready] = (await once(worker, "message")) as [{ url: string; users: DemoUser[] }];
  return {
    ...ready,
    async send(command) {
      worker.postMessage(command);
      await once(worker, "message");
    },
  };
}

/** A full collection: two passes with a turn of the event loop between, as undici frees
 * response bodies through a FinalizationRegistry whose callbacks leave garbage for the second. */
export async function collect(): Promise<void> {
  gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  gc?.();
}
