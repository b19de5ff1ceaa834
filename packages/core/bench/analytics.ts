/**
 * Analytics benchmarks, end to end through the sandbox over HTTP (the sandbox on its own thread,
 * so that its CPU time and heap are not the client's), printed as `name: value` lines:
 * - KPIs (analyzeSessions with the heatmap and the callback queue) over 100k sessions: sessions
 *   per second and peak heap;
 * - the same over 200 client accounts of an MSP fleet, with latency on every request as over a
 *   network: accounts scanned 8 at a time against one at a time, side by side, and their ratio;
 * - live heap after a full collection at 100k and 200k sessions read, for the totals alone and
 *   for the heatmap: growth per 100k sessions, which must stay near 0 (constant memory).
 * Run with `pnpm bench` (node --expose-gc --import tsx bench/analytics.ts).
 */
import type { DemoUser } from "@evo-sessions/sandbox";
import {
  analyzeSessions,
  createEvoVoiceClient,
  SessionQuery,
  type AnalyticsOptions,
  type EvoVoiceClient,
} from "../src/index.js";
import { collect, print, startSandboxThread } from "./support.js";

const KPI_SESSIONS = 100_000;
const HEAP_SESSIONS = 200_000;
const FLEET_ACCOUNTS = 200;
// Small enough per account (about 150 sessions, one page each) that the waiting, not the
// decoding, is what parallel scans save, as across a real fleet on a real network.
const FLEET_SESSIONS = 30_000;
const LATENCY_MS = 30;
const PARALLEL = 8;
const TIME_ZONE = "America/Chicago";
const NOW = new Date("2026-11-20T12:00:00Z");

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function adminClient(sandbox: { url: string; users: DemoUser[] }): {
  client: EvoVoiceClient;
  admin: DemoUser;
} {
  const admin = sandbox.users.find((user) => user.kind === "admin");
  if (admin === undefined) throw new Error("the sandbox has no admin user");
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: admin.userName, password: admin.password },
  });
  return { client, admin };
}

/** Every session, oldest first (no window: nothing is left out at the edges). */
const everything = SessionQuery.create();
const kpiOptions: AnalyticsOptions = {
  groupBy: ["heatmap"],
  callbacks: { limit: 20 },
  timeZone: TIME_ZONE,
  now: NOW,
};

/** One analysis, timed, with the largest heap seen after any page (no collection forced). */
async function timedAnalysis(
  client: EvoVoiceClient,
  options: AnalyticsOptions,
): Promise<{ ms: number; read: number; peakHeap: number; totals: unknown }> {
  await collect();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const started = performance.now();
  const report = await analyzeSessions(client, everything, {
    ...options,
    onProgress: () => void (peak = Math.max(peak, process.memoryUsage().heapUsed)),
  });
  const ms = performance.now() - started;
  if (!report.completeness.complete && options.cap === undefined)
    throw new Error(`incomplete analysis: ${JSON.stringify(report.completeness)}`);
  return { ms, read: report.completeness.read, peakHeap: peak - base, totals: report.totals };
}

/**
 * Live heap (after a full collection) above the start, sampled as the scan passes 100k and
 * 200k sessions read: what the analysis holds at each size.
 */
async function heapAtSizes(
  client: EvoVoiceClient,
  options: AnalyticsOptions,
  sizes: readonly number[],
): Promise<number[]> {
  await collect();
  const base = process.memoryUsage().heapUsed;
  const samples: number[] = [];
  await analyzeSessions(client, everything, {
    ...options,
    cap: Math.max(...sizes),
    onProgress: async ({ read }) => {
      if (samples.length < sizes.length && read >= (sizes[samples.length] as number)) {
        await collect();
        samples.push(process.memoryUsage().heapUsed - base);
      }
    },
  });
  if (samples.length !== sizes.length) throw new Error(`read fewer than ${sizes.at(-1)} sessions`);
  return samples;
}

// 1 and 3: one sandbox of 200k sessions, nothing archived (so that the listing holds them all).
const big = await startSandboxThread({
  port: 0,
  sessions: HEAP_SESSIONS,
  seed: 42,
  now: NOW,
  behaviour: { archiveAfterDays: 100_000 },
});
try {
  const { client } = adminClient(big);
  await client.signIn();
  // A first, smaller run warms up the JIT and zod's lazily built parsers.
  await timedAnalysis(client, { ...kpiOptions, cap: 10_000 });
  const kpis = await timedAnalysis(client, { ...kpiOptions, cap: KPI_SESSIONS });
  print("analytics_kpis_sessions", kpis.read);
  print("analytics_kpis_ms", kpis.ms.toFixed(0));
  print("analytics_kpis_sessions_per_s", ((kpis.read / kpis.ms) * 1000).toFixed(0));
  print("analytics_kpis_peak_heap_mb", mb(kpis.peakHeap));

  const sizes = [100_000, HEAP_SESSIONS];
  for (const [shape, options] of [
    ["totals", { timeZone: TIME_ZONE, now: NOW }],
    ["heatmap", { groupBy: ["heatmap"], timeZone: TIME_ZONE, now: NOW }],
  ] as const) {
    const [at100k = 0, at200k = 0] = await heapAtSizes(client, options, sizes);
    print(`analytics_${shape}_live_heap_100k_mb`, mb(at100k));
    print(`analytics_${shape}_live_heap_200k_mb`, mb(at200k));
    print(
      `analytics_${shape}_heap_growth_kb_per_100k_sessions`,
      ((at200k - at100k) / ((HEAP_SESSIONS - 100_000) / 100_000) / 1024).toFixed(1),
    );
  }
} finally {
  await big.send({ type: "close" });
}

// 2: an MSP fleet, its client accounts rolled up one at a time and 8 at a time.
const fleet = await startSandboxThread({
  port: 0,
  sessions: FLEET_SESSIONS,
  seed: 42,
  now: NOW,
  fleet: { accounts: FLEET_ACCOUNTS, days: 90 },
  behaviour: { archiveAfterDays: 100_000 },
});
try {
  const { client } = adminClient(fleet);
  await client.signIn();
  const msp = fleet.users.find((user) => user.kind === "multi");
  const clients = (msp?.accountIds ?? []).slice(1).map((id) => ({ id, name: id }));
  if (clients.length !== FLEET_ACCOUNTS) throw new Error(`${clients.length} client accounts`);
  await fleet.send({ type: "latency", ms: LATENCY_MS });
  const rollup = (concurrency: number) =>
    timedAnalysis(client, { ...kpiOptions, accounts: clients, concurrency });
  await rollup(PARALLEL); // warm-up
  const sequential = await rollup(1);
  const parallel = await rollup(PARALLEL);
  if (JSON.stringify(sequential.totals) !== JSON.stringify(parallel.totals))
    throw new Error("the parallel rollup counted differently");
  print("analytics_rollup_accounts", clients.length);
  print("analytics_rollup_sessions", parallel.read);
  print("analytics_rollup_latency_ms", LATENCY_MS);
  print("analytics_rollup_sequential_ms", sequential.ms.toFixed(0));
  print(`analytics_rollup_parallel_${PARALLEL}_ms`, parallel.ms.toFixed(0));
  print("analytics_rollup_parallel_speedup_ratio", (sequential.ms / parallel.ms).toFixed(2));
  print("analytics_rollup_parallel_peak_heap_mb", mb(parallel.peakHeap));
} finally {
  await fleet.send({ type: "close" });
}
