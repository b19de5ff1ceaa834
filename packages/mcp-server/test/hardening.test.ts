/**
 * Issue 12 from the outside: a hanging upstream, a sign-in redirected to another origin,
 * hostile arguments (50,000 keys, 5,000-deep nesting, an own __proto__), logging, a malformed
 * resource URI, the smaller wording fixes and 1,001 initialize calls over HTTP.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/client";
import {
  createEvoVoiceClient,
  PermissionDeniedError,
  RateLimitedError,
  ServerError,
} from "@evo-sessions/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { clientTimingOptions } from "../src/backend.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { createContext } from "../src/context.js";
import { upstreamLogHooks, type Logger } from "../src/log.js";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { describeFailure } from "../src/tools/results.js";
import { startHttpServer } from "../src/transports/http.js";
import { call, INITIALIZE_BODY, NOW, startFixture, type Fixture } from "./fixture.js";

const fixtures: Fixture[] = [];
async function fixture(options: Parameters<typeof startFixture>[0] = {}): Promise<Fixture> {
  const started = await startFixture({ sandbox: { sessions: 200 }, ...options });
  fixtures.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

const recordingLog = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
};

async function connect(server: ReturnType<typeof createEvoSessionsMcpServer>): Promise<Client> {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "test", version: "0" });
  await Promise.all([server.connect(b), mcp.connect(a)]);
  return mcp;
}

describe("deadline", () => {
  it("answers a tool call against a hanging upstream with an actionable isError by the deadline", async () => {
    const f = await fixture({ config: { deadlineMs: 300 } });
    f.sandbox.faults.inject({ route: "any", fault: { type: "hang" } });
    const result = await call(f.mcp, "list_accounts", {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/did not answer list_accounts within 300 ms/);
    expect(result.text).toMatch(/try again in a minute/);
    expect(
      f.logs.some((l) => l.startsWith("tool_call ") && l.includes('"outcome":"deadline"')),
    ).toBe(true);
  });

  it("lets core's own deadline, capping attempts and retries, speak when it comes first", async () => {
    const f = await fixture();
    f.sandbox.faults.inject({ route: "any", fault: { type: "hang" } });
    const config = { ...f.config, deadlineMs: 1000 };
    const evo = createEvoVoiceClient({
      baseUrl: f.sandbox.url,
      auth: { type: "credentials", userName: f.config.userName!, password: f.password },
      ...clientTimingOptions(config),
    });
    const ctx = createContext({ client: evo, config, now: () => NOW });
    const mcp = await connect(createEvoSessionsMcpServer({ context: ctx }));
    const result = await call(mcp, "list_accounts", {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/did not answer in time: .*deadline \(waited/);
    expect(result.text).toMatch(/EVO_SESSIONS_DEADLINE_MS/);
    expect(result.text).not.toContain(f.password);
    await mcp.close();
  });
});

describe("redirects", () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  it("never sends the password to the origin a sign-in is redirected to", async () => {
    const received: string[] = [];
    const recorder = await listen((req, res) => {
      req.on("data", (chunk: Buffer) => received.push(chunk.toString()));
      received.push(`${req.method} ${req.url}`);
      res.writeHead(200, { "set-cookie": "ss-id=stolen" }).end("{}");
    });
    const redirector = await listen((req, res) => {
      res.writeHead(307, { location: `${recorder}${req.url}` }).end();
    });
    const password = "p4ssw0rd-that-must-stay";
    const evo = createEvoVoiceClient({
      baseUrl: redirector,
      auth: { type: "credentials", userName: "me@example.com", password },
    });
    const config = {
      baseUrl: redirector,
      userName: "me@example.com",
      password,
      defaultAccountIds: [],
      timeZone: "UTC",
      tokenBudget: 4000,
      statsMaxSessions: 100,
    };
    const ctx = createContext({ client: evo, config, now: () => NOW });
    const mcp = await connect(createEvoSessionsMcpServer({ context: ctx }));
    const result = await call(mcp, "list_accounts", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`another host, ${new URL(recorder).host}`);
    expect(result.text).toMatch(/EVO_VOICE_BASE_URL/);
    expect(result.text).not.toMatch(/user name or password was not accepted/);
    expect(result.text).not.toContain(password);
    expect(received).toEqual([]);
    await mcp.close();
  });
});

describe("hostile arguments", () => {
  it("answers 50,000 unknown keys briefly, naming a few and the count", async () => {
    const f = await fixture();
    const args = Object.fromEntries(
      Array.from({ length: 50_000 }, (_, i) => [`unknown_key_${i}_${"x".repeat(100)}`, i]),
    );
    const result = await call(f.mcp, "list_sessions", args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/far too many \(50,000 top-level keys/);
    expect(result.text.length).toBeLessThan(1500);
    expect(f.sandbox.requests).toHaveLength(0);
  });

  it("lists a handful of unknown keys, shortened, and says how many more", async () => {
    const f = await fixture();
    const args = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`k${i}_${"y".repeat(200)}`, i]),
    );
    const result = await call(f.mcp, "list_sessions", args);
    expect(result.isError).toBe(true);
    expect(
      result.text.match(/^Invalid argument "k\d+_y+…": list_sessions has no such argument\./gm),
    ).toHaveLength(5);
    expect(result.text).toMatch(/^…and 7 more unknown arguments\.$/m);
    expect(result.text.split("arguments are")).toHaveLength(2);
    expect(result.text).not.toContain("y".repeat(60));
  });

  it('quotes an unknown name exactly, white space and all (the fuzz test once drew " ")', async () => {
    const f = await fixture();
    const result = await call(f.mcp, "list_accounts", { " ": 1, "a\nb": 2 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Invalid argument " ": list_accounts has no such argument.');
    expect(result.text).toContain('Invalid argument "a\\nb": list_accounts has no such argument.');
  });

  it("says arguments are nested too deep for 5,000 levels, not a stack overflow", async () => {
    const f = await fixture();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 5000; i++) {
      const next = {};
      deep.a = next;
      deep = next;
    }
    const result = await call(f.mcp, "list_sessions", { limit: root });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/nested too deep/);
    expect(result.text).not.toMatch(/call stack/);
  });

  it("names the argument that holds a nested __proto__ key (the fuzz test drew one)", async () => {
    const f = await fixture();
    const args = JSON.parse('{" ": {"__proto__": ""}}') as Record<string, unknown>;
    const result = await call(f.mcp, "live_now", args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Invalid argument " ": it holds a "__proto__" key/m);
  });

  it("reports an own __proto__ key instead of ignoring it", async () => {
    const f = await fixture();
    const args = JSON.parse('{"__proto__": {"limit": 1}, "limit": 5}') as Record<string, unknown>;
    const result = await call(f.mcp, "list_sessions", args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Invalid argument "__proto__": list_sessions has no such argument/);
  });
});

describe("logging", () => {
  it("declares logging, honours logging/setLevel and logs one line per tool call", async () => {
    const f = await fixture();
    const log = recordingLog();
    const evo = createEvoVoiceClient({
      baseUrl: f.sandbox.url,
      auth: { type: "credentials", userName: f.config.userName!, password: f.password },
      hooks: upstreamLogHooks(log),
    });
    const ctx = createContext({ client: evo, config: f.config, log, now: () => NOW });
    const mcp = await connect(createEvoSessionsMcpServer({ context: ctx }));
    const received: unknown[] = [];
    mcp.setNotificationHandler("notifications/message", (n) => {
      received.push(n.params.data);
    });
    expect(mcp.getServerCapabilities()?.logging).toEqual({});

    await mcp.setLoggingLevel("error");
    await call(mcp, "list_accounts", {});
    await mcp.setLoggingLevel("info");
    await call(mcp, "list_accounts", {});
    await new Promise((resolve) => setImmediate(resolve));

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ event: "tool_call", tool: "list_accounts", outcome: "ok" });
    const lines = log.lines.filter((l) => l.startsWith("tool_call "));
    expect(lines).toHaveLength(2);
    const fields = JSON.parse(lines[0]!.slice("tool_call ".length)) as Record<string, unknown>;
    expect(fields).toMatchObject({ tool: "list_accounts", outcome: "ok", pages: 0 });
    expect(fields.requests).toBeGreaterThanOrEqual(1);
    expect(typeof fields.durationMs).toBe("number");
    expect(log.lines.join("\n")).not.toContain(f.password);
    await mcp.close();
  });

  it("logs each upstream failure as a structured line without secrets", async () => {
    const f = await fixture();
    const log = recordingLog();
    const evo = createEvoVoiceClient({
      baseUrl: f.sandbox.url,
      auth: { type: "credentials", userName: f.config.userName!, password: f.password },
      hooks: upstreamLogHooks(log),
      retry: { retries: 1, baseDelayMs: 1 },
    });
    f.sandbox.faults.inject({ route: "any", fault: { type: "status", status: 503 } });
    const ctx = createContext({ client: evo, config: f.config, log, now: () => NOW });
    const mcp = await connect(createEvoSessionsMcpServer({ context: ctx }));
    await call(mcp, "list_accounts", {});
    const failures = log.lines.filter((l) => l.startsWith("upstream_failure "));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]).toMatch(/"path":"\/auth\/credentials","status":503/);
    expect(log.lines.some((l) => l.includes('"outcome":"error","error":"server_error"'))).toBe(
      true,
    );
    expect(log.lines.join("\n")).not.toContain(f.password);
    await mcp.close();
  });
});

describe("smaller wording fixes", () => {
  it("answers a malformed session URI with a clear invalid-params error", async () => {
    const f = await fixture();
    const error = await f.mcp.readResource({ uri: "evo-sessions://sessions/%E0%A4%A" }).then(
      () => undefined,
      (e: unknown) => e as { code: number; message: string },
    );
    expect(error?.code).toBe(-32602);
    expect(error?.message).toMatch(/not valid percent-encoding/);
  });

  it("does not tell get_session to pass accountIds on a 403", async () => {
    const f = await fixture();
    const error = new PermissionDeniedError("no", { status: 403 });
    const text = describeFailure(f.ctx, error, { sessionId: "s1" });
    expect(text).toMatch(/refused access \(HTTP 403\) to session "s1"/);
    expect(text).not.toMatch(/accountIds/);
    expect(describeFailure(f.ctx, error)).toMatch(/pass one of them as accountIds/);
  });

  it("says 'try again' once for a 5xx and '1 second' for a one-second rate limit", async () => {
    const f = await fixture();
    const five = describeFailure(
      f.ctx,
      new ServerError("Evo Voice failed. Try again later.", {
        status: 503,
        summary: "Evo Voice failed to answer GET /sessions (503 Service Unavailable).",
      }),
    );
    expect(five.match(/try again/gi)).toHaveLength(1);
    const rate = (ms: number) =>
      describeFailure(f.ctx, new RateLimitedError("slow down", { status: 429, retryAfterMs: ms }));
    expect(rate(1000)).toMatch(/Wait 1 second before/);
    expect(rate(3000)).toMatch(/Wait 3 seconds before/);
  });

  it("does not headline a cut-off or malformed body as 'not the Evo Voice API'", async () => {
    const f = await fixture();
    const evo = f.evo;
    await evo.signIn();
    f.sandbox.faults.inject({ route: "sessions", fault: { type: "malformed-json" } });
    const malformed = await evo.listSessions().then(
      () => undefined,
      (e: unknown) => e,
    );
    f.sandbox.faults.clear();
    f.sandbox.faults.inject({ route: "sessions", fault: { type: "truncate" } });
    const cut = await evo.listSessions().then(
      () => undefined,
      (e: unknown) => e,
    );
    for (const error of [malformed, cut]) {
      const text = describeFailure(f.ctx, error);
      expect(text).toMatch(/incomplete or broken answer/);
      expect(text).not.toMatch(/not the Evo Voice API/);
      expect(text.match(/try again/gi)).toHaveLength(1);
    }
  });
});

describe("configuration", () => {
  const base = { EVO_VOICE_USERNAME: "u", EVO_VOICE_PASSWORD: "p" };
  it("refuses a base URL with a path, and plain http off this machine unless allowed", () => {
    expect(() =>
      loadConfig({ ...base, EVO_VOICE_BASE_URL: "https://evovoice.io/dashboard" }),
    ).toThrow(/must be an origin without a path .*Set it to https:\/\/evovoice\.io\./);
    expect(() => loadConfig({ ...base, EVO_VOICE_BASE_URL: "http://evovoice.io" })).toThrow(
      ConfigError,
    );
    expect(
      loadConfig({
        ...base,
        EVO_VOICE_BASE_URL: "http://evovoice.io",
        EVO_VOICE_ALLOW_INSECURE_HTTP: "1",
      }),
    ).toMatchObject({ baseUrl: "http://evovoice.io", allowInsecureHttp: true });
    expect(loadConfig({ ...base, EVO_VOICE_BASE_URL: "http://127.0.0.1:8787" }).baseUrl).toBe(
      "http://127.0.0.1:8787",
    );
  });

  it("reads the deadline, 45 s by default", () => {
    expect(loadConfig(base).deadlineMs).toBe(45_000);
    expect(loadConfig({ ...base, EVO_SESSIONS_DEADLINE_MS: "20000" }).deadlineMs).toBe(20_000);
    expect(() => loadConfig({ ...base, EVO_SESSIONS_DEADLINE_MS: "5" })).toThrow(
      /EVO_SESSIONS_DEADLINE_MS must be a whole number from 1000/,
    );
  });
});

describe("HTTP session cap", () => {
  it("admits a new client after 1,001 initialize calls by evicting the least recently used idle session", async () => {
    const f = await fixture();
    const log = recordingLog();
    const http = await startHttpServer({
      createServer: () => createEvoSessionsMcpServer({ context: f.ctx }),
      log,
    });
    const initialize = () =>
      fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: INITIALIZE_BODY,
      });
    try {
      const first = await initialize();
      const firstId = first.headers.get("mcp-session-id");
      await first.text();
      for (let i = 0; i < 1000; i++) await (await initialize()).text();
      const newcomer = await initialize();
      await newcomer.text();
      expect(newcomer.status).toBe(200);
      expect(log.lines.some((l) => l.startsWith("session_evicted "))).toBe(true);
      const evicted = await fetch(http.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "mcp-session-id": firstId ?? "",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
      expect(evicted.status).toBe(404);
    } finally {
      await http.close();
    }
  }, 60_000);
});
