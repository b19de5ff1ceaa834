/**
 * Protocol revision 2025-11-25 over Streamable HTTP: MCP sessions (an `initialize` opens one,
 * `Mcp-Session-Id` names it), or one server per POST when stateless. 2026-07-28 traffic never
 * comes here (see http.ts).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NodeStreamableHTTPServerTransport } from "@modelcontextprotocol/node";
import type { McpServer } from "@modelcontextprotocol/server";
import type { Logger } from "../log.js";

/** Most MCP sessions kept at once, by default. */
export const MAX_SESSIONS = 1000;
// Sessions idle this long are closed, so an abandoned client does not hold memory forever.
const SESSION_IDLE_MS = 60 * 60_000;

/** Answers with a JSON-RPC error body (no id: the request may not have been read). */
export function reject(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = -32000,
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }));
}

/** Serves one 2025-11-25 POST on a server of its own (no session survives it). */
export async function serveLegacyStateless(
  createServer: () => McpServer,
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody: unknown,
  maxRequestBodySize: number,
): Promise<void> {
  if (req.method !== "POST") {
    return reject(res, 405, "Method not allowed: this server is stateless; use POST.", {
      allow: "POST",
    });
  }
  const server = createServer();
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    maxRequestBodySize,
  });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, parsedBody);
}

interface SessionEntry {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Requests (and open GET streams) being handled now; a session with none is idle. */
  inflight: number;
}

/** Options of {@link LegacySessions}. */
export interface LegacySessionOptions {
  maxSessions: number;
  maxRequestBodySize: number;
  log: Logger;
}

/**
 * The MCP sessions of 2025-11-25 clients. At most `maxSessions`: when full, the least recently
 * used idle session is closed (with a log line) so one local process opening sessions cannot
 * lock other clients out; idle ones are closed after an hour.
 */
export class LegacySessions {
  // Map order is recency of use: a used session moves to the end, so the first idle one found
  // is the least recently used.
  readonly #sessions = new Map<string, SessionEntry>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    private readonly createServer: () => McpServer,
    private readonly options: LegacySessionOptions,
  ) {
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
  }

  /** Serves a request of an existing session, or an `initialize` that opens one. */
  async handle(req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string" && sessionId !== "") {
      const entry = this.#sessions.get(sessionId);
      if (entry === undefined) {
        return reject(
          res,
          404,
          "Session not found: it ended or the server restarted; initialize again.",
        );
      }
      this.#sessions.delete(sessionId);
      this.#sessions.set(sessionId, entry);
      return this.#serve(entry, req, res, parsedBody);
    }
    if (req.method !== "POST") {
      return reject(res, 400, "Bad request: send an initialize request first (no Mcp-Session-Id).");
    }
    const { maxSessions } = this.options;
    if (this.#sessions.size >= maxSessions && !this.#evictIdle()) {
      return reject(
        res,
        503,
        `Too many busy MCP sessions (all ${maxSessions} are handling requests); try again in a moment.`,
        { "retry-after": "5" },
      );
    }
    return this.#open(req, res, parsedBody);
  }

  async #open(req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    const entry: SessionEntry = {
      server: this.createServer(),
      lastUsed: Date.now(),
      inflight: 0,
      transport: new NodeStreamableHTTPServerTransport({
        maxRequestBodySize: this.options.maxRequestBodySize,
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          this.#sessions.set(id, entry);
        },
        onsessionclosed: (id) => {
          this.#sessions.delete(id);
        },
      }),
    };
    entry.transport.onclose = () => {
      const id = entry.transport.sessionId;
      if (id !== undefined) this.#sessions.delete(id);
    };
    await entry.server.connect(entry.transport);
    // Busy while the initialize is answered, so a concurrent newcomer cannot evict it.
    await this.#serve(entry, req, res, parsedBody);
    // A first request that was not a valid initialize leaves no session behind.
    if (entry.transport.sessionId === undefined) await closeEntry(entry);
  }

  async #serve(
    entry: SessionEntry,
    req: IncomingMessage,
    res: ServerResponse,
    parsedBody: unknown,
  ): Promise<void> {
    entry.lastUsed = Date.now();
    entry.inflight++;
    try {
      await entry.transport.handleRequest(req, res, parsedBody);
    } finally {
      entry.inflight--;
      entry.lastUsed = Date.now();
    }
  }

  /** Closes the least recently used idle session; false when every session is busy. */
  #evictIdle(): boolean {
    for (const [id, entry] of this.#sessions) {
      if (entry.inflight > 0) continue;
      this.#sessions.delete(id);
      void closeEntry(entry);
      const idleSeconds = Math.round((Date.now() - entry.lastUsed) / 1000);
      this.options.log.warn(
        `session_evicted {"session":"${id.slice(0, 8)}…","idleSeconds":${idleSeconds},"maxSessions":${this.options.maxSessions}} (the least recently used idle MCP session was closed to admit a new client; its client must initialize again)`,
      );
      return true;
    }
    return false;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.#sessions) {
      if (entry.inflight === 0 && now - entry.lastUsed > SESSION_IDLE_MS) {
        this.#sessions.delete(id);
        void closeEntry(entry);
      }
    }
  }

  /** Closes every session. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const entries = [...this.#sessions.values()];
    this.#sessions.clear();
    for (const entry of entries) await closeEntry(entry);
  }
}

async function closeEntry(entry: SessionEntry): Promise<void> {
  await entry.transport.close().catch(() => {});
  await entry.server.close().catch(() => {});
}
