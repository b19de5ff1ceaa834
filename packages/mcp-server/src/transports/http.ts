import { randomUUID, timingSafeEqual, createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { silentLogger, type Logger } from "../log.js";

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Builds one MCP server; called per session (stateful) or per request (stateless). */
  createServer: () => McpServer;
  /** Interface to bind (default 127.0.0.1: only this machine can connect). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** No MCP sessions: every POST stands alone, so instances can sit behind a load balancer. */
  stateless?: boolean;
  /** Bearer token clients must send as `Authorization: Bearer …` (secret). */
  token?: string | undefined;
  /** Host names accepted in the Host header besides loopback names and the bound host. */
  allowedHosts?: string[];
  /** Origins (`scheme://host[:port]`) accepted besides loopback origins. */
  allowedOrigins?: string[];
  /** MCP endpoint path (default `/mcp`). */
  path?: string;
  /** Most MCP sessions kept (default {@link MAX_SESSIONS}); when full, the least recently used idle one is closed. */
  maxSessions?: number;
  /** Largest request body in bytes (default {@link MAX_REQUEST_BODY_BYTES}); larger ones get 413. */
  maxRequestBodyBytes?: number;
  log?: Logger;
}

/** A running Streamable HTTP endpoint. */
export interface RunningHttpServer {
  /** The endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]", "::1"];
// Sessions idle this long are closed, so an abandoned client does not hold memory forever.
const SESSION_IDLE_MS = 60 * 60_000;
/** Most MCP sessions kept at once, by default. */
export const MAX_SESSIONS = 1000;
/**
 * Largest request body, by default: a tool call's arguments are a few hundred bytes, so 1 MiB
 * is generous, and the SDK's 4 MiB would let one request cost far more memory to parse.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

interface SessionEntry {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Requests (and open GET streams) being handled now; a session with none is idle. */
  inflight: number;
}

/**
 * Serves MCP over Streamable HTTP. Every request first passes DNS-rebinding protection (the
 * Host header must name this machine or an allowed host, and a browser's Origin must be a
 * loopback or allowed origin: 403 otherwise), then the bearer token check when one is set (401).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  const log = options.log ?? silentLogger;
  const maxSessions = options.maxSessions ?? MAX_SESSIONS;
  const maxRequestBodySize = options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  // Map order is recency of use: a used session moves to the end, so the first idle one found is
  // the least recently used.
  const sessions = new Map<string, SessionEntry>();
  const allowedHosts = new Set(
    [...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );
  if (host !== "0.0.0.0" && host !== "::") allowedHosts.add(bracketIpv6(host).toLowerCase());
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((o) => o.toLowerCase()));
  const tokenDigest =
    options.token === undefined ? undefined : createHash("sha256").update(options.token).digest();

  const reject = (res: ServerResponse, status: number, message: string, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const hostHeader = req.headers.host;
    const hostname = hostnameOf(hostHeader);
    if (hostname === undefined || !allowedHosts.has(hostname)) {
      log.warn(`refused a request for Host ${JSON.stringify(hostHeader ?? "")} (not allowed)`);
      return reject(res, 403, "Forbidden: this Host is not allowed (DNS rebinding protection).");
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, allowedOrigins)) {
      log.warn(`refused a request from Origin ${JSON.stringify(origin)} (not allowed)`);
      return reject(res, 403, "Forbidden: this Origin is not allowed (DNS rebinding protection).");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) return reject(res, 404, `Not found: the MCP endpoint is ${path}.`);
    if (tokenDigest !== undefined && !bearerMatches(req.headers.authorization, tokenDigest)) {
      return reject(
        res,
        401,
        "Unauthorized: send the token from EVO_SESSIONS_MCP_TOKEN as 'Authorization: Bearer <token>'.",
        { "www-authenticate": 'Bearer realm="evo-sessions-mcp"' },
      );
    }

    if (options.stateless === true) {
      if (req.method !== "POST") {
        return reject(res, 405, "Method not allowed: this server is stateless; use POST.", {
          allow: "POST",
        });
      }
      const server = options.createServer();
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        maxRequestBodySize,
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
      return;
    }

    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string" && sessionId !== "") {
      const entry = sessions.get(sessionId);
      if (entry === undefined) {
        return reject(
          res,
          404,
          "Session not found: it ended or the server restarted; initialize again.",
        );
      }
      sessions.delete(sessionId);
      sessions.set(sessionId, entry);
      entry.lastUsed = Date.now();
      entry.inflight++;
      try {
        await entry.transport.handleRequest(req, res);
      } finally {
        entry.inflight--;
        entry.lastUsed = Date.now();
      }
      return;
    }
    if (req.method !== "POST") {
      return reject(res, 400, "Bad request: send an initialize request first (no Mcp-Session-Id).");
    }
    if (sessions.size >= maxSessions && !evictIdleSession()) {
      return reject(
        res,
        503,
        `Too many busy MCP sessions (all ${maxSessions} are handling requests); try again in a moment.`,
        { "retry-after": "5" },
      );
    }
    const server = options.createServer();
    const entry: SessionEntry = {
      server,
      lastUsed: Date.now(),
      inflight: 0,
      transport: new StreamableHTTPServerTransport({
        maxRequestBodySize,
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, entry);
        },
        onsessionclosed: (id) => {
          sessions.delete(id);
        },
      }),
    };
    entry.transport.onclose = () => {
      const id = entry.transport.sessionId;
      if (id !== undefined) sessions.delete(id);
    };
    await server.connect(entry.transport);
    // Busy while the initialize is answered, so a concurrent newcomer cannot evict it.
    entry.inflight++;
    try {
      await entry.transport.handleRequest(req, res);
    } finally {
      entry.inflight--;
    }
    // A first request that was not a valid initialize leaves no session behind.
    if (entry.transport.sessionId === undefined) {
      await entry.transport.close();
      await server.close();
    }
  };

  /**
   * Closes the least recently used idle session to make room, so one local process opening
   * sessions cannot lock other clients out; false when every session is busy.
   */
  const evictIdleSession = (): boolean => {
    for (const [id, entry] of sessions) {
      if (entry.inflight > 0) continue;
      sessions.delete(id);
      void entry.transport.close().catch(() => {});
      void entry.server.close().catch(() => {});
      const idleSeconds = Math.round((Date.now() - entry.lastUsed) / 1000);
      log.warn(
        `session_evicted {"session":"${id.slice(0, 8)}…","idleSeconds":${idleSeconds},"maxSessions":${maxSessions}} (the least recently used idle MCP session was closed to admit a new client; its client must initialize again)`,
      );
      return true;
    }
    return false;
  };

  const httpServer: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reject(res, 500, "Internal server error.");
      else res.end();
    });
  });
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of sessions) {
      if (entry.inflight === 0 && now - entry.lastUsed > SESSION_IDLE_MS) {
        sessions.delete(id);
        void entry.transport.close();
        void entry.server.close();
      }
    }
  }, 60_000);
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const urlHost = bracketIpv6(host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);
  return {
    url: `http://${urlHost}:${address.port}${path}`,
    port: address.port,
    host,
    async close() {
      clearInterval(sweeper);
      for (const entry of sessions.values()) {
        await entry.transport.close().catch(() => {});
        await entry.server.close().catch(() => {});
      }
      sessions.clear();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function bracketIpv6(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined || hostHeader === "") return undefined;
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function originAllowed(origin: string, allowed: Set<string>): boolean {
  if (allowed.has(origin.toLowerCase())) return true;
  try {
    const url = new URL(origin);
    // Pages served from this machine (any port) may call a loopback server; nothing else.
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      LOOPBACK_HOSTS.includes(url.hostname.toLowerCase())
    );
  } catch {
    return false;
  }
}

function bearerMatches(header: string | undefined, digest: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (match === null) return false;
  // Compare digests: equal length, constant time, and the token's length is not leaked.
  const given = createHash("sha256")
    .update(match[1] ?? "")
    .digest();
  return timingSafeEqual(given, digest);
}
