import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/client";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer, type RunningHttpServer } from "../src/transports/http.js";
import { INITIALIZE_BODY, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let stateful: RunningHttpServer;
let stateless: RunningHttpServer;
let guarded: RunningHttpServer;
const TOKEN = "test-token-1234567890";

beforeAll(async () => {
  f = await startFixture({ sandbox: { sessions: 200 } });
  const createServer = () => createEvoSessionsMcpServer({ context: f.ctx });
  stateful = await startHttpServer({ createServer });
  stateless = await startHttpServer({ createServer, stateless: true });
  guarded = await startHttpServer({
    createServer,
    token: TOKEN,
    allowedHosts: ["mcp.example.com"],
  });
});
afterAll(async () => {
  await stateful.close();
  await stateless.close();
  await guarded.close();
  await f.close();
});

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "http-test", version: "0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

/** A raw POST with chosen headers (fetch cannot set Host). */
function rawPost(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const body = INITIALIZE_BODY;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("Streamable HTTP", () => {
  it("binds to 127.0.0.1 by default and serves the tools to an SDK client (stateful)", async () => {
    expect(stateful.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect(stateful.url);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(6);
    const result = await client.callTool({ name: "list_sessions", arguments: { limit: 2 } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { sessions: unknown[] }).sessions).toHaveLength(2);
    await client.close();
  });

  it("works statelessly: each request stands alone, and cursors still continue", async () => {
    const client = await connect(stateless.url);
    const first = await client.callTool({ name: "list_sessions", arguments: { limit: 2 } });
    const cursor = (first.structuredContent as { paging: { nextCursor: string } }).paging
      .nextCursor;
    // A second, unrelated client (another instance behind a load balancer would do the same).
    const other = await connect(stateless.url);
    const next = await other.callTool({ name: "list_sessions", arguments: { limit: 2, cursor } });
    const all = await client.callTool({ name: "list_sessions", arguments: { limit: 4 } });
    const ids = (r: typeof first) =>
      (r.structuredContent as { sessions: { id: string }[] }).sessions.map((s) => s.id);
    expect([...ids(first), ...ids(next)]).toEqual(ids(all));
    await client.close();
    await other.close();
  });

  it("refuses a foreign Host header with 403 (DNS rebinding)", async () => {
    const res = await rawPost(stateful.url, { host: "evil.example.com" });
    expect(res.status).toBe(403);
    expect(res.body).toContain("Host");
  });

  it("refuses a foreign Origin with 403, and accepts a loopback one", async () => {
    const refused = await rawPost(stateful.url, { origin: "http://evil.example.com" });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Origin");
    const accepted = await rawPost(stateful.url, { origin: "http://localhost:5173" });
    expect(accepted.status).toBe(200);
  });

  it("accepts an allowed extra host name", async () => {
    const res = await rawPost(guarded.url, {
      host: "mcp.example.com",
      authorization: `Bearer ${TOKEN}`,
    });
    expect(res.status).toBe(200);
  });

  it("enforces the bearer token when one is configured", async () => {
    expect((await rawPost(guarded.url, {})).status).toBe(401);
    expect((await rawPost(guarded.url, { authorization: "Bearer wrong" })).status).toBe(401);
    const client = await connect(guarded.url, { authorization: `Bearer ${TOKEN}` });
    expect((await client.listTools()).tools).toHaveLength(6);
    await client.close();
  });

  it("answers 404 outside the MCP path", async () => {
    const url = stateful.url.replace("/mcp", "/other");
    expect((await rawPost(url, {})).status).toBe(404);
  });
});
