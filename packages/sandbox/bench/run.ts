// Speed and memory of the sandbox at 100k sessions. Prints `name: value` lines.
// Run: pnpm bench (node --expose-gc --import tsx bench/run.ts)
import { generateStore } from "../src/data/store.js";
import { MSP_USER, SANDBOX_ACCOUNT_IDS, startSandbox } from "../src/index.js";
import { DEFAULT_BEHAVIOUR } from "../src/server.js";
import { parseListSessions } from "../src/sessions/list-params.js";
import { SessionStore } from "../src/sessions/session-store.js";

const SESSIONS = 100_000;
const ROUNDS = 200;
const now = new Date("2026-03-15T18:30:00Z");
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** One `name: value` line; the unit is the name's suffix (`_ms`, `_mb` = 10^6 bytes, `_ratio`). */
function print(name: string, value: number): void {
  console.log(`${name}: ${value.toFixed(value >= 100 ? 0 : 2)}`);
}

gc();
const heapBefore = process.memoryUsage().heapUsed;
let started = performance.now();
const dataset = generateStore({ sessions: SESSIONS, seed: 42, now });
print(`generate_${SESSIONS}_ms`, performance.now() - started);
gc();
print(`heap_${SESSIONS}_mb`, (process.memoryUsage().heapUsed - heapBefore) / 1e6);
const logChars = dataset.sessions.reduce((sum, s) => sum + s.logText.length, 0);
print("log_text_mb", logChars / 1e6);

/** The log index against the scan it replaced, in-process and side by side on the same query. */
function compareLogSearch(): void {
  const parsed = parseListSessions(
    new URLSearchParams("log=transferred&searchArchive=true"),
    DEFAULT_BEHAVIOUR,
  );
  if (!parsed.ok) throw new Error("bench query rejected");
  const logQuery = parsed.request;
  const store = new SessionStore(dataset, DEFAULT_BEHAVIOUR);
  // Typed arrays live outside the JS heap: count their buffers too.
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const heapBeforeIndex = used();
  started = performance.now();
  const indexedPage = store.list(logQuery, undefined);
  print("log_index_build_and_first_search_ms", performance.now() - started);
  gc();
  print("log_index_mb", (used() - heapBeforeIndex) / 1e6);
  /** What the store did before the index: a case-insensitive RegExp over every session's log. */
  function scanCount(needle: string): number {
    const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
    let count = 0;
    for (const session of dataset.sessions)
      if (session.createdMs < store.archiveCutoffMs && pattern.test(session.logText)) count++;
    return count;
  }
  if (scanCount("transferred") !== indexedPage.totalCount)
    throw new Error("the log index and the scan disagree");
  const scanTimes: number[] = [];
  const indexedTimes: number[] = [];
  for (let round = 0; round < 40; round++) {
    let t = performance.now();
    scanCount("transferred");
    scanTimes.push(performance.now() - t);
    t = performance.now();
    store.list(logQuery, undefined);
    indexedTimes.push(performance.now() - t);
  }
  scanTimes.sort((a, b) => a - b);
  indexedTimes.sort((a, b) => a - b);
  print("log_search_scan_p50_ms", percentile(scanTimes, 50));
  print("log_search_indexed_p50_ms", percentile(indexedTimes, 50));
  print(
    "log_search_scan_vs_indexed_ratio",
    percentile(scanTimes, 50) / percentile(indexedTimes, 50),
  );
}
compareLogSearch();
dataset.sessions.length = 0;

started = performance.now();
const sandbox = await startSandbox({ port: 0, sessions: SESSIONS, seed: 42, now });
print("start_sandbox_ms", performance.now() - started);
const auth = { Authorization: `Basic ${Buffer.from("msp:msp-password").toString("base64")}` };
const adminAuth = {
  Authorization: `Basic ${Buffer.from("admin:admin-password").toString("base64")}`,
};

async function measure(name: string, path: string, headers = auth): Promise<number> {
  // Warm up (and fill any sort cache) before timing.
  for (let i = 0; i < 5; i++)
    await (await fetch(`${sandbox.url}${path}`, { headers })).arrayBuffer();
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    const response = await fetch(`${sandbox.url}${path}`, { headers });
    await response.arrayBuffer();
    times.push(performance.now() - t);
    status = response.status;
  }
  if (status !== 200) throw new Error(`${name} answered ${status}`);
  times.sort((a, b) => a - b);
  print(`${name}_p50_ms`, percentile(times, 50));
  print(`${name}_p99_ms`, percentile(times, 99));
  return percentile(times, 50);
}

const acme = SANDBOX_ACCOUNT_IDS.acmeDental;
const base = await measure("default_page", "/sessions");
const account = await measure("account_filter", `/sessions?accountIds=${acme}`);
const from = await measure(
  "from_filter",
  `/sessions?accountIds=${MSP_USER.accountIds.join(",")}&from=555`,
);
const dates = await measure(
  "date_range",
  `/sessions?accountIds=${acme}&startDate=2026-03-05&endDate=2026-03-10`,
);
const archive = await measure(
  "archive_date_range",
  `/sessions?searchArchive=true&startDate=2026-01-20&endDate=2026-02-10`,
);
const log = await measure(
  "log_search_one_account",
  `/sessions?accountIds=${acme}&log=voicemail%20recorded`,
);
const logAll = await measure(
  "log_search_all_accounts",
  "/sessions?log=transferred&searchArchive=true",
  adminAuth,
);
// Two characters: shorter than a trigram, so the distinct messages are scanned.
const logShort = await measure(
  "log_search_two_chars",
  "/sessions?log=no&searchArchive=true",
  adminAuth,
);
const sorted = await measure(
  "sort_by_from_address",
  `/sessions?sortField=fromAddress&sortOrder=Descend`,
);
const simplified = await measure(
  "simplified_paging",
  `/sessions?simplifiedPaging=true&countPerPage=50`,
);
print("account_filter_vs_default_ratio", account / base);
print("from_filter_vs_default_ratio", from / base);
print("date_range_vs_default_ratio", dates / base);
print("archive_date_range_vs_default_ratio", archive / base);
print("log_search_one_account_vs_default_ratio", log / base);
print("log_search_all_accounts_vs_default_ratio", logAll / base);
print("log_search_two_chars_vs_default_ratio", logShort / base);
print("sort_by_from_address_vs_default_ratio", sorted / base);
print("simplified_paging_vs_default_ratio", simplified / base);
gc();
print("heap_total_with_server_mb", process.memoryUsage().heapUsed / 1e6);
print("array_buffers_with_server_mb", process.memoryUsage().arrayBuffers / 1e6);
await sandbox.close();
