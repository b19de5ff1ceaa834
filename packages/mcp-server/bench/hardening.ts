/**
 * Benchmarks of issue 12 (hardening), run in a process of their own (bench/run.ts starts it) so
 * that peak RSS is this script's alone. Prints `name: value` lines:
 * - time to an isError with the upstream hanging (with a short configured deadline);
 * - reply bytes and peak RSS for a 50,000-key request, and for 5,000-deep nesting;
 * - redaction time after 100,000 rotating cookies;
 * - p50/p99 of 50 concurrent HTTP clients × 20 calls, and the errors among them.
 */
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { createEvoVoiceClient } from "@evo-sessions/core";
import { startSandbox } from "@evo-sessions/sandbox";
// Internal to core (not exported): measured directly, as 100,000 real responses would take minutes.
import { CookieJar } from "../../core/src/client/cookie-jar.js";
import { Redactor } from "../../core/src/client/redactor.js";
import { clientTimingOptions } from "../src/backend.js";
import type { EvoSessionsMcpConfig } from "../src/config.js";
import { createContext } from "../src/context.js";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer } from "../src/transports/http.js";

const now = new Date("2026-03-11T15:30:00Z");
const HANG_DEADLINE_MS = 2000;
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

const sandbox = await startSandbox({ sessions: 2000, seed: 42, now });
const user = sandbox.users.find((u) => u.kind === "multi") ?? sandbox.users[0]!;
const config: EvoSessionsMcpConfig = {
  baseUrl: sandbox.url,
  userName: user.userName,
  password: user.password,
  defaultAccountIds: [],
  timeZone: "UTC",
  tokenBudget: 4000,
  statsMaxSessions: 5000,
  deadlineMs: HANG_DEADLINE_MS,
};
const client = createEvoVoiceClient({
  baseUrl: sandbox.url,
  auth: { type: "credentials", userName: user.userName, password: user.password },
  ...clientTimingOptions(config),
});
const context = createContext({ client, config, now: () => now });

async function inMemoryClient(): Promise<{ mcp: Client; close(): Promise<void> }> {
  const server = createEvoSessionsMcpServer({ context });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "bench", version: "0" });
  await Promise.all([server.connect(b), mcp.connect(a)]);
  return { mcp, close: async () => (await mcp.close(), await server.close()) };
}
const replyBytes = (result: unknown): number => Buffer.byteLength(JSON.stringify(result), "utf8");

// --- Hostile arguments first, while RSS is still this script's baseline.
{
  const { mcp, close } = await inMemoryClient();
  const args = Object.fromEntries(
    Array.from({ length: 50_000 }, (_, i) => [`unknown_argument_${i}`, i]),
  );
  const rssBefore = maxRssMb();
  const result = await mcp.callTool({ name: "list_sessions", arguments: args });
  console.log(`hostile_50k_keys_request_bytes: ${Buffer.byteLength(JSON.stringify(args))}`);
  console.log(`hostile_50k_keys_reply_bytes: ${replyBytes(result)}`);
  console.log(`hostile_50k_keys_peak_rss_mb: ${maxRssMb().toFixed(0)}`);
  console.log(`hostile_50k_keys_peak_rss_growth_mb: ${(maxRssMb() - rssBefore).toFixed(0)}`);
  let deep: Record<string, unknown> = {};
  const root = deep;
  for (let i = 0; i < 5000; i++) deep = (deep.a = {}) as Record<string, unknown>;
  const nested = await mcp.callTool({ name: "list_sessions", arguments: { limit: root } });
  console.log(`hostile_5000_deep_reply_bytes: ${replyBytes(nested)}`);
  await close();
}

// --- Redaction after 100,000 rotating cookies (a load balancer setting a new one per response).
{
  const redactor = new Redactor();
  const jar = new CookieJar();
  redactor.pin("the-password");
  let t = performance.now();
  for (let i = 0; i < 100_000; i++) {
    jar.absorb(new Headers({ "set-cookie": `AWSALB=rotating-${i}-${"x".repeat(40)}; Path=/` }));
    redactor.add(...jar.secretValues());
  }
  const absorbMs = performance.now() - t;
  const message = `upstream said: AWSALB=rotating-99999-${"x".repeat(40)} ss-id=abc ${"filler ".repeat(150)}`;
  // Each failing call after a new cookie: the pattern is rebuilt, then the message redacted.
  t = performance.now();
  for (let i = 0; i < 100; i++) {
    jar.absorb(new Headers({ "set-cookie": `AWSALB=fresh-${i}-${"y".repeat(40)}; Path=/` }));
    redactor.add(...jar.secretValues());
    redactor.redact(message);
  }
  console.log(
    `redaction_after_100k_rotating_cookies_ms: ${((performance.now() - t) / 100).toFixed(3)}`,
  );
  console.log(`absorb_100k_rotating_cookies_ms: ${absorbMs.toFixed(0)}`);
  console.log(`redactor_entries_after_100k_cookies: ${redactor.size}`);
}

// --- Time to an isError with the upstream hanging.
{
  const { mcp, close } = await inMemoryClient();
  await mcp.callTool({ name: "list_accounts", arguments: {} }); // signed in beforehand
  const fault = sandbox.faults.inject({ route: "any", fault: { type: "hang" } });
  const t = performance.now();
  const result = (await mcp.callTool(
    { name: "list_sessions", arguments: { limit: 5 } },
    { timeout: 120_000 },
  )) as CallToolResult;
  console.log(`hang_deadline_ms: ${HANG_DEADLINE_MS}`);
  console.log(`hang_time_to_iserror_ms: ${(performance.now() - t).toFixed(0)}`);
  console.log(`hang_answer_is_error: ${result.isError === true}`);
  sandbox.faults.remove(fault);
  await close();
}

// --- 50 concurrent HTTP clients × 20 calls each.
{
  const http = await startHttpServer({
    createServer: () => createEvoSessionsMcpServer({ context }),
  });
  const clients = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const mcp = new Client({ name: `bench-${i}`, version: "0" });
      await mcp.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      return mcp;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    clients.map(async (mcp, i) => {
      for (let call = 0; call < 20; call++) {
        const t = performance.now();
        try {
          const result = (await mcp.callTool({
            name: i % 2 === 0 ? "list_sessions" : "list_accounts",
            arguments: i % 2 === 0 ? { limit: 10 } : {},
          })) as CallToolResult;
          if (result.isError === true) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(`http_50_clients_x_20_calls: ${latencies.length}`);
  console.log(`http_50_clients_p50_ms: ${at(0.5).toFixed(1)}`);
  console.log(`http_50_clients_p99_ms: ${at(0.99).toFixed(1)}`);
  console.log(`http_50_clients_errors: ${errors}`);
  await Promise.all(clients.map((mcp) => mcp.close()));
  await http.close();
}

await sandbox.close();
