/**
 * Client benchmarks, each measured side by side in one run and printed as `name: value` lines:
 * - exporting 20k sessions through paging with 50 ms latency per request, sequential vs parallel;
 * - memory while streaming 5k vs 20k sessions through iterateSessions (flat ⇒ ratio ≈ 1);
 * - validated decode of a 1000-session page vs a bare JSON.parse of it.
 * Run with `pnpm bench` (node --expose-gc --import tsx bench/run.ts). The sandbox must be built
 * (`pnpm -F @evo-sessions/sandbox build`): tsx does not apply vitest's alias, and the sandbox
 * cannot be a dependency of core (it depends on core), so its build is imported by path.
 */
import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { DemoUser, SandboxOptions } from "../../sandbox/dist/index.js";
import { createEvoVoiceClient, decodeSessionList, type EvoVoiceClient } from "../src/index.js";

/** Messages sandbox-worker.mjs understands. */
type SandboxWorkerCommand = { type: "latency"; ms: number } | { type: "close" };

const TOTAL_SESSIONS = 20_000;
const LATENCY_MS = 50;
const PAGE_SIZE = 200;
const PARALLEL = 6;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined)
  console.warn("note: run with --expose-gc; memory figures then include garbage");

function print(name: string, value: string | number): void {
  console.log(`${name}: ${value}`);
}

/** The sandbox on its own thread: its work and heap stay out of the client's figures. */
async function startSandboxThread(options: SandboxOptions): Promise<{
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

async function exportAll(
  client: EvoVoiceClient,
  concurrency: number,
): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  let count = 0;
  for await (const page of client.paginate({}, { pageSize: PAGE_SIZE, concurrency }))
    count += page.items.length;
  return { ms: performance.now() - started, count };
}

/** Live heap (after a collection) and RSS at their highest while streaming, above the start. */
async function streamPeak(
  client: EvoVoiceClient,
  maxItems: number,
): Promise<{ heapMb: number; rssMb: number }> {
  gc?.();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let count = 0;
  for await (const session of client.iterateSessions(
    {},
    { pageSize: PAGE_SIZE, maxItems, concurrency: 4 },
  )) {
    if (session.id !== undefined) count++;
    // Every 5 pages: collect, then read what is still alive — what the stream keeps.
    if (count % (PAGE_SIZE * 5) === 0) {
      gc?.();
      const usage = process.memoryUsage();
      peakHeap = Math.max(peakHeap, usage.heapUsed);
      peakRss = Math.max(peakRss, usage.rss);
    }
  }
  if (count !== maxItems) throw new Error(`streamed ${count} sessions, expected ${maxItems}`);
  return { heapMb: (peakHeap - base.heapUsed) / 2 ** 20, rssMb: (peakRss - base.rss) / 2 ** 20 };
}

function timeEach(runs: number, work: () => void): number {
  work();
  const started = performance.now();
  for (let run = 0; run < runs; run++) work();
  return (performance.now() - started) / runs;
}

const sandbox = await startSandboxThread({
  port: 0,
  sessions: TOTAL_SESSIONS,
  seed: 11,
  now: new Date("2026-11-20T12:00:00Z"),
  // Nothing archived, so all 20k sessions are in the live listing.
  behaviour: { archiveAfterDays: 100_000 },
});
try {
  const admin = sandbox.users.find((user) => user.kind === "admin");
  if (admin === undefined) throw new Error("the sandbox has no admin user");
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: admin.userName, password: admin.password },
  });
  await client.signIn();

  // 1. Export through paging with latency on every request.
  await sandbox.send({ type: "latency", ms: LATENCY_MS });
  const sequential = await exportAll(client, 1);
  const parallel = await exportAll(client, PARALLEL);
  await sandbox.send({ type: "latency", ms: 0 });
  if (parallel.count !== sequential.count)
    throw new Error("the parallel export returned a different count");
  print("export_sessions", sequential.count);
  print("export_page_size", PAGE_SIZE);
  print("export_latency_ms", LATENCY_MS);
  print("export_sequential_ms", sequential.ms.toFixed(0));
  print(`export_parallel_${PARALLEL}_ms`, parallel.ms.toFixed(0));
  print("export_parallel_speedup_ratio", (sequential.ms / parallel.ms).toFixed(2));

  // 2. Memory while streaming: a flat stream holds the same few pages whatever the total.
  const small = await streamPeak(client, 5_000);
  const large = await streamPeak(client, 20_000);
  print("stream_5k_peak_live_heap_delta_mb", small.heapMb.toFixed(1));
  print("stream_20k_peak_live_heap_delta_mb", large.heapMb.toFixed(1));
  print("stream_live_heap_ratio_20k_vs_5k", (large.heapMb / small.heapMb).toFixed(2));
  print("stream_5k_peak_rss_delta_mb", small.rssMb.toFixed(1));
  print("stream_20k_peak_rss_delta_mb", large.rssMb.toFixed(1));

  // 3. Decoding a 1000-session page exactly as it comes off the wire.
  const token = Buffer.from(`${admin.userName}:${admin.password}`).toString("base64");
  const response = await fetch(`${sandbox.url}/sessions?countPerPage=1000`, {
    headers: { accept: "application/json", authorization: `Basic ${token}` },
  });
  const text = await response.text();
  const parseMs = timeEach(20, () => JSON.parse(text));
  const decodeMs = timeEach(20, () => decodeSessionList(JSON.parse(text)));
  print("decode_page_sessions", (JSON.parse(text) as { items: unknown[] }).items.length);
  print("decode_page_kb", (text.length / 1024).toFixed(0));
  print("decode_json_parse_ms", parseMs.toFixed(2));
  print("decode_json_parse_and_validate_ms", decodeMs.toFixed(2));
  print("decode_validated_vs_parse_ratio", (decodeMs / parseMs).toFixed(2));
} finally {
  await sandbox.send({ type: "close" });
}
