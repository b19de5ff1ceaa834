/**
 * Benchmarks of the MCP server, measured side by side in one run, for each protocol revision
 * (the SDK's v2 client over Streamable HTTP: its 2025-11-25 handshake, and pinned to 2026-07-28):
 * - tools_list_bytes: the whole tools/list result as JSON (what a client puts before the model);
 * - bytes per session of list_sessions' text and of its structuredContent vs the raw
 *   ListSessions JSON (each half must stand on its own);
 * - p50 overhead of a list_sessions tool call over a direct client call;
 * - then bench/hardening.ts in a process of its own (hangs, hostile arguments, redaction, 50 HTTP
 *   clients), so its peak RSS is not this script's.
 * Prints `name: value` lines.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createEvoVoiceClient } from "@evo-sessions/core";
import { startSandbox } from "@evo-sessions/sandbox";
import { createContext } from "../src/context.js";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer } from "../src/transports/http.js";

const PAGE = 100;
const ITERATIONS = 150;
const REVISIONS = ["2025-11-25", "2026-07-28"] as const;
const now = new Date("2026-03-11T15:30:00Z");

const sandbox = await startSandbox({ sessions: 2000, seed: 42, now });
const user = sandbox.users.find((u) => u.kind === "single") ?? sandbox.users[0]!;
const client = createEvoVoiceClient({
  baseUrl: sandbox.url,
  auth: { type: "credentials", userName: user.userName, password: user.password },
});
const context = createContext({
  client,
  config: {
    baseUrl: sandbox.url,
    defaultAccountIds: [],
    timeZone: "UTC",
    tokenBudget: 100_000,
    statsMaxSessions: 5000,
  },
  now: () => now,
});
const http = await startHttpServer({ createServer: () => createEvoSessionsMcpServer({ context }) });

// --- Size: the same 100 sessions as raw API JSON and as list_sessions' answer.
const signIn = await fetch(`${sandbox.url}/auth/credentials`, {
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify({
    provider: "credentials",
    userName: user.userName,
    password: user.password,
  }),
});
const cookie = signIn.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
const params = new URLSearchParams({
  accountIds: user.accountIds.join(","),
  countPerPage: String(PAGE),
  page: "0",
  sortField: "dateCreated",
  sortOrder: "Descend",
});
const raw = await (
  await fetch(`${sandbox.url}/sessions?${params}`, {
    headers: { accept: "application/json", cookie },
  })
).text();
const rawItems = (JSON.parse(raw) as { items: unknown[] }).items.length;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const rawPer = bytes(raw) / rawItems;
const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
console.log(`raw_api_json_bytes_per_session: ${rawPer.toFixed(0)}`);

/** One revision's figures, suffixed with it (`_2025_11_25`, `_2026_07_28`). */
async function measure(revision: (typeof REVISIONS)[number]): Promise<void> {
  const tag = revision.replaceAll("-", "_");
  const mcp = new Client(
    { name: "bench", version: "0" },
    revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: revision } } } : {},
  );
  await mcp.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  const listed = await mcp.listTools();
  console.log(`tools_list_bytes_${tag}: ${bytes(JSON.stringify(listed))}`);
  console.log(`tools_listed_${tag}: ${listed.tools.length}`);
  const result = await mcp.callTool({ name: "list_sessions", arguments: { limit: PAGE } });
  const text = (result.content as { type: string; text?: string }[])
    .filter((c) => c.type === "text")
    .map((c) => c.text ?? "")
    .join("\n");
  const returned = (result.structuredContent as { paging: { returned: number } }).paging.returned;
  const structured = JSON.stringify(result.structuredContent);
  const full = await mcp.callTool({
    name: "list_sessions",
    arguments: { limit: PAGE, detail: "full" },
  });
  const fullText = (full.content as { type: string; text?: string }[])
    .filter((c) => c.type === "text")
    .map((c) => c.text ?? "")
    .join("\n");

  const textPer = bytes(text) / returned;
  console.log(`summary_text_bytes_per_session_${tag}: ${textPer.toFixed(0)}`);
  console.log(`full_text_bytes_per_session_${tag}: ${(bytes(fullText) / returned).toFixed(0)}`);
  console.log(
    `structured_content_bytes_per_session_${tag}: ${(bytes(structured) / returned).toFixed(0)}`,
  );
  console.log(`ratio_raw_json_to_summary_text_${tag}: ${(rawPer / textPer).toFixed(1)}`);
  const structuredPer = bytes(structured) / returned;
  console.log(
    `ratio_raw_json_to_structured_content_${tag}: ${(rawPer / structuredPer).toFixed(1)}`,
  );
  console.log(
    `ratio_raw_json_to_whole_answer_${tag}: ${(rawPer / (textPer + structuredPer)).toFixed(1)}`,
  );
  console.log(`summary_tokens_per_session_estimate_${tag}: ${(textPer / 4).toFixed(1)}`);

  // --- Overhead: direct client call vs the same page through the MCP tool, interleaved.
  const query = {
    accountIds: user.accountIds,
    countPerPage: 20,
    page: 0,
    sortField: "dateCreated",
    sortOrder: "Descend" as const,
  };
  const direct: number[] = [];
  const viaMcp: number[] = [];
  for (let i = 0; i < 20; i++) {
    await client.listSessions(query);
    await mcp.callTool({ name: "list_sessions", arguments: {} });
  }
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    await client.listSessions(query);
    direct.push(performance.now() - t);
    t = performance.now();
    await mcp.callTool({ name: "list_sessions", arguments: {} });
    viaMcp.push(performance.now() - t);
  }
  console.log(`direct_client_call_p50_ms_${tag}: ${p50(direct).toFixed(2)}`);
  console.log(`mcp_tool_call_p50_ms_${tag}: ${p50(viaMcp).toFixed(2)}`);
  console.log(`mcp_overhead_p50_ms_${tag}: ${(p50(viaMcp) - p50(direct)).toFixed(2)}`);
  console.log(`ratio_mcp_to_direct_p50_${tag}: ${(p50(viaMcp) / p50(direct)).toFixed(2)}`);

  await mcp.close();
}

for (const revision of REVISIONS) await measure(revision);
await http.close();
await sandbox.close();

execFileSync(
  process.execPath,
  ["--expose-gc", "--import", "tsx", fileURLToPath(new URL("./hardening.ts", import.meta.url))],
  { stdio: "inherit" },
);
