import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler, toWebRequest } from "@modelcontextprotocol/node";
import { createMcpHandler, isLegacyRequest, type McpServer } from "@modelcontextprotocol/server";
import { silentLogger, type Logger } from "../log.js";
import { LegacySessions, MAX_SESSIONS, reject, serveLegacyStateless } from "./legacy-http.js";

export { MAX_SESSIONS };

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** Builds one MCP server; called per request (2026-07-28, stateless) or per session (2025-11-25). */
  createServer: () => McpServer;
  /** Interface to bind (default 127.0.0.1: only this machine can connect). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** No MCP sessions on 2025-11-25 either: every POST stands alone (for load balancers). */
  stateless?: boolean;
  /** Bearer token clients must send as `Authorization: Bearer …` (secret). */
  token?: string | undefined;
  /** Host names accepted in the Host header besides loopback names and the bound host. */
  allowedHosts?: string[];
  /** Origins (`scheme://host[:port]`) accepted besides loopback origins. */
  allowedOrigins?: string[];
  /** MCP endpoint path (default `/mcp`). */
  path?: string;
  /** Most 2025-11-25 MCP sessions kept (default {@link MAX_SESSIONS}); when full, the least recently used idle one is closed. */
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
/**
 * Largest request body, by default: a tool call's arguments are a few hundred bytes, so 1 MiB
 * is generous, and the SDK's 4 MiB would let one request cost far more memory to parse.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Serves MCP over Streamable HTTP at one endpoint for both protocol revisions: a request in the
 * 2026-07-28 form (its `_meta` names the revision) goes to the SDK's per-request handler, which
 * is stateless by design; 2025-11-25 traffic (an `initialize`, then `Mcp-Session-Id` requests) to
 * MCP sessions, or with `stateless` to one server per POST. The SDK's own `isLegacyRequest`
 * decides, so the two can never disagree. Every request first passes DNS-rebinding protection
 * (Host must name this machine or an allowed host, a browser's Origin must be a loopback or
 * allowed origin: 403), then the bearer token check when one is set (401), then the body limit.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  const log = options.log ?? silentLogger;
  const maxBody = options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const admit = requestGuard({ ...options, host, path, log });
  const modernHandler = createMcpHandler(() => options.createServer(), {
    legacy: "reject",
    maxRequestBodySize: maxBody,
    onerror: (error) => log.warn(`MCP request refused or failed: ${error.message}`),
  });
  const modern = toNodeHandler(modernHandler);
  const sessions = new LegacySessions(options.createServer, {
    maxSessions: options.maxSessions ?? MAX_SESSIONS,
    maxRequestBodySize: maxBody,
    log,
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!admit(req, res)) return;
    const body = req.method === "POST" ? await readJsonBody(req, res, maxBody) : NO_BODY;
    if (body === REFUSED) return;
    const legacy =
      body === NO_BODY || (await isLegacyRequest(await toWebRequest(req, body.value), body.value));
    const parsed = body === NO_BODY ? undefined : body.value;
    if (!legacy) return modern(req, res, parsed);
    if (options.stateless === true) {
      return serveLegacyStateless(options.createServer, req, res, parsed, maxBody);
    }
    return sessions.handle(req, res, parsed);
  };
  const httpServer: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) reject(res, 500, "Internal server error.");
      else res.end();
    });
  });
  const address = await listen(httpServer, options.port ?? 0, host);
  const urlHost = bracketIpv6(host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host);
  return {
    url: `http://${urlHost}:${address.port}${path}`,
    port: address.port,
    host,
    async close() {
      await sessions.close();
      await modernHandler.close().catch(() => {});
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const NO_BODY = Symbol("no body");
const REFUSED = Symbol("refused");

/**
 * A POST's body, parsed as JSON, read once here so that the revision can be told from it and
 * the chosen handler gets it parsed: larger than `max` gets 413 before it is all read; not JSON
 * gets the JSON-RPC parse error.
 */
async function readJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  max: number,
): Promise<{ value: unknown } | typeof REFUSED> {
  const tooLarge = `Payload too large: a request body may be at most ${max} bytes.`;
  if (Number(req.headers["content-length"] ?? 0) > max) {
    reject(res, 413, tooLarge);
    return REFUSED;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      reject(res, 413, tooLarge);
      req.destroy();
      return REFUSED;
    }
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown };
  } catch {
    reject(res, 400, "Parse error: the request body is not valid JSON.", {}, -32700);
    return REFUSED;
  }
}

interface GuardOptions {
  host: string;
  path: string;
  log: Logger;
  token?: string | undefined;
  allowedHosts?: string[];
  allowedOrigins?: string[];
}

/**
 * DNS-rebinding protection, the endpoint path and the bearer token: answers the request itself
 * (403, 404 or 401) and returns false when it may not go on.
 */
function requestGuard(
  options: GuardOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { log, path } = options;
  const allowedHosts = new Set(
    [...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase()),
  );
  if (options.host !== "0.0.0.0" && options.host !== "::") {
    allowedHosts.add(bracketIpv6(options.host).toLowerCase());
  }
  const allowedOrigins = new Set((options.allowedOrigins ?? []).map((o) => o.toLowerCase()));
  const tokenDigest =
    options.token === undefined ? undefined : createHash("sha256").update(options.token).digest();
  return (req, res) => {
    const hostHeader = req.headers.host;
    const hostname = hostnameOf(hostHeader);
    if (hostname === undefined || !allowedHosts.has(hostname)) {
      log.warn(`refused a request for Host ${JSON.stringify(hostHeader ?? "")} (not allowed)`);
      reject(res, 403, "Forbidden: this Host is not allowed (DNS rebinding protection).");
      return false;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, allowedOrigins)) {
      log.warn(`refused a request from Origin ${JSON.stringify(origin)} (not allowed)`);
      reject(res, 403, "Forbidden: this Origin is not allowed (DNS rebinding protection).");
      return false;
    }
    if (new URL(req.url ?? "/", "http://localhost").pathname !== path) {
      reject(res, 404, `Not found: the MCP endpoint is ${path}.`);
      return false;
    }
    if (tokenDigest !== undefined && !bearerMatches(req.headers.authorization, tokenDigest)) {
      reject(
        res,
        401,
        "Unauthorized: send the token from EVO_SESSIONS_MCP_TOKEN as 'Authorization: Bearer <token>'.",
        { "www-authenticate": 'Bearer realm="evo-sessions-mcp"' },
      );
      return false;
    }
    return true;
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
