/**
 * Client benchmarks, each measured side by side in one run and printed as `name: value` lines:
 * - exporting 20k sessions through paging with 50 ms latency per request, sequential vs parallel;
 * - memory while streaming 5k vs 20k sessions through iterateSessions: median live heap after
 *   a full collection (flat ⇒ ratio ≈ 1), its growth per 1000 sessions (flat ⇒ ≈ 0) and what
 *   stays alive after the stream ends;
 * - validated decode of a 1000-session page vs a bare JSON.parse of it.
 * Run with `pnpm bench` (node --expose-gc --import tsx bench/run.ts); the sandbox, a
 * devDependency, is built first by turbo (`^build`).
 */
import { createEvoVoiceClient, decodeSessionList, type EvoVoiceClient } from "../src/index.js";
import { collect, print, startSandboxThread } from "./support.js";

const TOTAL_SESSIONS = 20_000;
const LATENCY_MS = 50;
const PAGE_SIZE = 200;
const PARALLEL = 6;

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

/** What streaming `maxItems` sessions kept alive, from heap samples taken after a full collection. */
interface StreamMemory {
  /** Median live heap above the start over the samples: the steady cost of the stream. */
  medianHeapMb: number;
  /** Largest sample. */
  peakHeapMb: number;
  /** Growth of the live heap per 1000 sessions streamed (least-squares slope): 0 when flat. */
  slopeKbPer1k: number;
  /** Live heap above the start once the stream has ended: anything the client kept. */
  retainedAfterMb: number;
  /** Largest RSS above the start (the whole process, the sandbox thread included). */
  peakRssMb: number;
}

const SAMPLE_EVERY = 500;
const PIPELINE_FILL_ITEMS = 1_000;

/**
 * Streams `maxItems` sessions and samples the live heap after a full collection every 500 of
 * them. The samples are noisy by up to a few pages (0–4 pages are in flight at any sample), so
 * the figures compared are the median and the slope rather than a single maximum, which would
 * also grow with the number of samples alone.
 */
async function streamMemory(client: EvoVoiceClient, maxItems: number): Promise<StreamMemory> {
  await collect();
  const base = process.memoryUsage();
  const samples: [items: number, heap: number][] = [];
  let peakRss = base.rss;
  let count = 0;
  for await (const session of client.iterateSessions(
    {},
    { pageSize: PAGE_SIZE, maxItems, concurrency: 4 },
  )) {
    if (session.id !== undefined) count++;
    if (count % SAMPLE_EVERY === 0) {
      await collect();
      const usage = process.memoryUsage();
      // The first pages fill the fetch-ahead pipeline: a one-off rise, not growth.
      if (count > PIPELINE_FILL_ITEMS) samples.push([count, usage.heapUsed - base.heapUsed]);
      peakRss = Math.max(peakRss, usage.rss);
    }
  }
  if (count !== maxItems) throw new Error(`streamed ${count} sessions, expected ${maxItems}`);
  await collect();
  const retained = process.memoryUsage().heapUsed - base.heapUsed;
  const heaps = samples.map(([, heap]) => heap).sort((a, b) => a - b);
  const mb = (bytes: number): number => bytes / 2 ** 20;
  return {
    medianHeapMb: mb(heaps[Math.floor(heaps.length / 2)] ?? 0),
    peakHeapMb: mb(heaps.at(-1) ?? 0),
    slopeKbPer1k: (slope(samples) * 1000) / 1024,
    retainedAfterMb: mb(retained),
    peakRssMb: mb(peakRss - base.rss),
  };
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
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
  // A first run warms up the JIT and zod's lazily built parsers, so neither counts as growth.
  await streamMemory(client, 2_000);
  const small = await streamMemory(client, 5_000);
  const large = await streamMemory(client, 20_000);
  print("stream_5k_median_live_heap_mb", small.medianHeapMb.toFixed(1));
  print("stream_20k_median_live_heap_mb", large.medianHeapMb.toFixed(1));
  print(
    "stream_median_live_heap_ratio_20k_vs_5k",
    (large.medianHeapMb / small.medianHeapMb).toFixed(2),
  );
  print("stream_5k_peak_live_heap_mb", small.peakHeapMb.toFixed(1));
  print("stream_20k_peak_live_heap_mb", large.peakHeapMb.toFixed(1));
  print("stream_peak_live_heap_ratio_20k_vs_5k", (large.peakHeapMb / small.peakHeapMb).toFixed(2));
  print("stream_20k_heap_growth_kb_per_1k_sessions", large.slopeKbPer1k.toFixed(1));
  print("stream_5k_retained_after_end_mb", small.retainedAfterMb.toFixed(2));
  print("stream_20k_retained_after_end_mb", large.retainedAfterMb.toFixed(2));
  // Nothing accumulates: what stays alive after three more 20k streams, against before them.
  await collect();
  const before = process.memoryUsage().heapUsed;
  for (let run = 0; run < 3; run++) await streamMemory(client, 20_000);
  await collect();
  print(
    "stream_retained_after_60k_more_sessions_mb",
    ((process.memoryUsage().heapUsed - before) / 2 ** 20).toFixed(2),
  );
  print("stream_5k_peak_rss_delta_mb", small.peakRssMb.toFixed(1));
  print("stream_20k_peak_rss_delta_mb", large.peakRssMb.toFixed(1));

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
