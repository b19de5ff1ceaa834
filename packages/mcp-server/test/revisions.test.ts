import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer, type RunningHttpServer } from "../src/transports/http.js";
import { startFixture, type Fixture } from "./fixture.js";

/** What each client under test can do, whatever its SDK line. */
interface AnyClient {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

// Arguments that make each tool answer. The others (session_stats, whose arguments are being
// reshaped, and tools added later) are called with none: they must answer something, a result
// or an isError, never a protocol error.
const ARGS: Record<string, Record<string, unknown>> = {
  list_sessions: { range: "last_7_days", limit: 3 },
  list_accounts: {},
};

let f: Fixture;
let http: RunningHttpServer;

beforeAll(async () => {
  f = await startFixture();
  http = await startHttpServer({
    createServer: () => createEvoSessionsMcpServer({ context: f.ctx }),
  });
});
afterAll(async () => {
  await http.close();
  await f.close();
});

const clients: [string, string, () => Promise<AnyClient>][] = [
  [
    "v2 client, default handshake",
    "2025-11-25",
    async () => {
      const client = new Client({ name: "v2-legacy", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      expect(client.getNegotiatedProtocolVersion()).toBe("2025-11-25");
      return client;
    },
  ],
  [
    "v2 client pinned to 2026-07-28",
    "2026-07-28",
    async () => {
      const client = new Client(
        { name: "v2-modern", version: "1" },
        { versionNegotiation: { mode: { pin: "2026-07-28" } } },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      expect(client.getNegotiatedProtocolVersion()).toBe("2026-07-28");
      return client;
    },
  ],
  [
    "v1 client (@modelcontextprotocol/sdk 1.32.2)",
    "2025-11-25",
    async () => {
      const client = new V1Client({ name: "v1", version: "1" });
      await client.connect(new V1Transport(new URL(http.url)));
      return client as unknown as AnyClient;
    },
  ],
];

describe.each(clients)("%s (%s) over Streamable HTTP", (_name, _revision, connect) => {
  it("lists the tools in registration order and calls every one", async () => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names.slice(0, 4)).toEqual([
        "list_sessions",
        "get_session",
        "session_stats",
        "list_accounts",
      ]);
      const listed = (await client.callTool({
        name: "list_sessions",
        arguments: ARGS.list_sessions as Record<string, unknown>,
      })) as CallResult;
      const sessions = (listed.structuredContent?.sessions ?? []) as { id?: string }[];
      const id = sessions[0]?.id;
      expect(id).toBeTypeOf("string");
      for (const name of names) {
        const args = name === "get_session" ? { id } : (ARGS[name] ?? {});
        const result = (await client.callTool({ name, arguments: args })) as CallResult;
        expect(Array.isArray(result.content), name).toBe(true);
        if (name in ARGS || name === "get_session") {
          const text = result.content.map((c) => c.text ?? "").join("\n");
          expect(result.isError, `${name}: ${text}`).toBeFalsy();
          expect(result.structuredContent, name).toBeTypeOf("object");
        }
      }
    } finally {
      await client.close();
    }
  });

  it("answers an invalid argument with an isError naming it", async () => {
    const client = await connect();
    try {
      const result = (await client.callTool({
        name: "list_sessions",
        arguments: { limit: 0 },
      })) as CallResult;
      expect(result.isError).toBe(true);
      expect(result.content[0]?.text).toMatch(/^Invalid argument "limit": must be at least 1/m);
    } finally {
      await client.close();
    }
  });
});
