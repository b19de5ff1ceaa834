import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { createEvoVoiceClient, type EvoVoiceClient, type SessionInfo } from "@evo-sessions/core";
import { startSandbox, type Sandbox, type SandboxOptions } from "@evo-sessions/sandbox";
import type { EvoSessionsMcpConfig } from "../src/config.js";
import {
  createContext,
  type Backend,
  type ContextOptions,
  type EvoSessionsContext,
} from "../src/context.js";
import type { Logger } from "../src/log.js";
import { createEvoSessionsMcpServer } from "../src/server.js";

/** The instant every test's sandbox data is generated around. */
export const NOW = new Date("2026-03-11T15:30:00Z");

/** A sandbox, a client signed in as one of its demo users and an MCP client connected in memory. */
export interface Fixture {
  sandbox: Sandbox;
  evo: EvoVoiceClient;
  ctx: EvoSessionsContext;
  mcp: Client;
  config: EvoSessionsMcpConfig;
  logs: string[];
  /** The demo user's password (to scan outputs for it). */
  password: string;
  close(): Promise<void>;
}

/** Options of {@link startFixture}. */
export interface FixtureOptions {
  sandbox?: SandboxOptions;
  user?: "single" | "multi" | "admin";
  /** A demo user by name (e.g. "agent", who has only the User role); overrides `user`. */
  userName?: string;
  config?: Partial<EvoSessionsMcpConfig>;
  backend?: Backend["kind"];
  /** Context options beyond the client, config, backend, log and clock. */
  context?: Partial<ContextOptions>;
  /** Wraps the client the tools use (e.g. to drop a field the sandbox always sends). */
  wrapClient?: (client: EvoVoiceClient) => EvoVoiceClient;
  /** The fetch the client uses (e.g. to rewrite the sandbox's answers on the wire). */
  fetch?: typeof fetch;
}

/** Starts a fixture; close it in afterAll. */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const sandbox = await startSandbox({ sessions: 800, seed: 7, now: NOW, ...options.sandbox });
  const user = sandbox.users.find((u) =>
    options.userName === undefined
      ? u.kind === (options.user ?? "multi")
      : u.userName === options.userName,
  );
  if (user === undefined) throw new Error("no demo user");
  const config: EvoSessionsMcpConfig = {
    baseUrl: sandbox.url,
    userName: user.userName,
    password: user.password,
    defaultAccountIds: [],
    timeZone: "UTC",
    tokenBudget: 4000,
    statsMaxSessions: 5000,
    ...options.config,
  };
  const evo = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: user.userName, password: user.password },
    retry: false,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const logs: string[] = [];
  const log: Logger = {
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m) => logs.push(m),
  };
  const ctx = createContext({
    ...options.context,
    client: options.wrapClient?.(evo) ?? evo,
    config,
    backend: { kind: options.backend ?? "evo-voice", baseUrl: sandbox.url },
    log,
    now: () => NOW,
  });
  const server = createEvoSessionsMcpServer({ context: ctx });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "test", version: "0" });
  await Promise.all([server.connect(serverTransport), mcp.connect(clientTransport)]);
  return {
    sandbox,
    evo,
    ctx,
    mcp,
    config,
    logs,
    password: user.password,
    async close() {
      await mcp.close();
      await server.close();
      await sandbox.close();
    },
  };
}

/** Calls a tool and returns its result with the text joined. */
export async function call(
  mcp: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult & { text: string; data: Record<string, unknown> }> {
  const result = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content
    .filter((block) => block.type === "text")
    .map((block) => (block as { text: string }).text)
    .join("\n");
  return { ...result, text, data: (result.structuredContent ?? {}) as Record<string, unknown> };
}

/** The body of a raw JSON-RPC `initialize` POST, for tests that look at the HTTP exchange itself. */
export const INITIALIZE_BODY = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "0" },
  },
});

/** Characters of everything a tool answer sends: text blocks, resource links and the JSON. */
export function answerChars(result: CallToolResult): number {
  const blocks = result.content
    .map((block) => (block.type === "text" ? block.text.length : JSON.stringify(block).length))
    .reduce((a, b) => a + b, 0);
  return blocks + JSON.stringify(result.structuredContent ?? {}).length;
}

/** The marker TextBudget adds when it had to cut an answer (a fitting answer never has it). */
export const CUT_MARKER = "[cut at the size limit]";

/** The `[id, name]` tables of an answer's sessions (accounts, customers, endpoints). */
export function refsOf(result: {
  data: Record<string, unknown>;
}): Record<"a" | "c" | "e", string[][]> {
  const refs = (result.data.refs ?? {}) as Partial<Record<"a" | "c" | "e", string[][]>>;
  return { a: refs.a ?? [], c: refs.c ?? [], e: refs.e ?? [] };
}

/** The IDs of sessions in a list_sessions answer. */
export function ids(result: { data: Record<string, unknown> }): string[] {
  return ((result.data.sessions ?? []) as { id: string }[]).map((s) => s.id);
}

const DAY_MS = 86_400_000;

/** What the sandbox should return for ListSessions filters: an oracle over its generated data. */
export function oracle(
  sandbox: Sandbox,
  accountIds: readonly string[],
  filter: {
    searchArchive?: boolean;
    startDate?: string;
    endDate?: string;
    customerIds?: string[];
    endpointIds?: string[];
    from?: string;
    to?: string;
    log?: string;
    parentSessionId?: string;
    specificIds?: string[];
    predicate?: (s: SessionInfo) => boolean;
  } = {},
): SessionInfo[] {
  const cutoff = Date.parse(sandbox.data.archiveCutoff ?? "1970-01-01T00:00:00Z");
  const parents = sandbox.data.parentSessionIds ?? {};
  return sandbox.data.sessions.filter((s) => {
    const created = Date.parse(s.dateCreated ?? "");
    if (created < cutoff !== (filter.searchArchive ?? false)) return false;
    if (!accountIds.includes(s.accountId ?? "")) return false;
    if (filter.startDate && created < Date.parse(`${filter.startDate}T00:00:00Z`)) return false;
    if (filter.endDate && created >= Date.parse(`${filter.endDate}T00:00:00Z`) + DAY_MS)
      return false;
    if (filter.customerIds && !filter.customerIds.includes(s.customerId ?? "")) return false;
    if (filter.endpointIds && !filter.endpointIds.includes(s.endpointId ?? "")) return false;
    const fromKey = [s.fromAddress, s.fromName, s.fromPhoneNumber]
      .filter(Boolean)
      .join("\n")
      .toLowerCase();
    if (filter.from && !fromKey.includes(filter.from.toLowerCase())) return false;
    const toKey = [s.toAddress, s.destination].filter(Boolean).join("\n").toLowerCase();
    if (filter.to && !toKey.includes(filter.to.toLowerCase())) return false;
    if (
      filter.log &&
      !(s.log ?? []).some((e) =>
        (e.message ?? "").toLowerCase().includes(filter.log!.toLowerCase()),
      )
    )
      return false;
    if (filter.parentSessionId && parents[s.id ?? ""] !== filter.parentSessionId) return false;
    if (filter.specificIds && !filter.specificIds.includes(s.id ?? "")) return false;
    if (filter.predicate && !filter.predicate(s)) return false;
    return true;
  });
}
