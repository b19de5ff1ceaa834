import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SignIns, parseCookies } from "./auth/sign-ins.js";
import { DEMO_USERS } from "./data/catalog.js";
import { generateStore } from "./data/generate.js";
import { toSandboxData } from "./data/dataset.js";
import { applyDrift } from "./faults/drift.js";
import { Faults, type FaultDecision } from "./faults/fault-controller.js";
import { authStatus, currentSignIn, logout, signIn } from "./http/auth-routes.js";
import type { RequestContext, ServerState } from "./http/context.js";
import { bodyBytes, jsonError, writeResponse, type PlannedResponse } from "./http/responses.js";
import { getSession, listSessions } from "./http/session-routes.js";
import { LiveCalls } from "./live/live-calls.js";
import { SessionStore } from "./sessions/session-store.js";
import type {
  DemoUser,
  RequestRecord,
  Sandbox,
  SandboxBehaviour,
  SandboxData,
  SandboxOptions,
} from "./types.js";

/** The sandbox's guesses where the real server's behaviour is undocumented. */
export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  archiveAfterDays: 15,
  customerMatch: "exact",
  endpointMatch: "session",
  unknownSortField: "reject",
  authStatusSignedOut: "false",
  specificIdsSearch: "archive-flag",
  forbiddenBody: "json",
};

const DEFAULTS = {
  host: "127.0.0.1",
  sessions: 2000,
  seed: 42,
  dateFormat: "iso",
  sessionTtlMs: 3_600_000,
  liveCalls: 3,
  liveStepMs: 5_000,
} as const;

const MAX_BODY_BYTES = 64 * 1024;
// Long-running sandboxes would grow without bound; tests look at far fewer than this.
const MAX_REQUEST_RECORDS = 10_000;

const PROXY_502_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

type RouteKind = "sessions" | "session" | "auth" | "other";

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

function validateOptions(options: SandboxOptions): void {
  const { port, sessions, seed, latencyMs, sessionTtlMs, liveCalls, liveStepMs, dateFormat, now } =
    options;
  check(
    port === undefined || (Number.isInteger(port) && port >= 0 && port <= 65535),
    `Invalid port ${String(port)}: use 0-65535 (0 picks a free port)`,
  );
  check(
    sessions === undefined || (Number.isInteger(sessions) && sessions >= 0),
    `Invalid sessions ${String(sessions)}: use a whole number >= 0`,
  );
  check(
    seed === undefined || Number.isInteger(seed),
    `Invalid seed ${String(seed)}: use a whole number`,
  );
  check(
    latencyMs === undefined || (Number.isFinite(latencyMs) && latencyMs >= 0),
    `Invalid latencyMs ${String(latencyMs)}: use milliseconds >= 0`,
  );
  check(
    sessionTtlMs === undefined || (Number.isFinite(sessionTtlMs) && sessionTtlMs > 0),
    `Invalid sessionTtlMs ${String(sessionTtlMs)}: use milliseconds > 0`,
  );
  check(
    liveCalls === undefined || (Number.isInteger(liveCalls) && liveCalls >= 0),
    `Invalid liveCalls ${String(liveCalls)}: use a whole number >= 0`,
  );
  check(
    liveStepMs === undefined || (Number.isFinite(liveStepMs) && liveStepMs > 0),
    `Invalid liveStepMs ${String(liveStepMs)}: use milliseconds > 0`,
  );
  check(
    dateFormat === undefined || dateFormat === "iso" || dateFormat === "wcf",
    `Invalid dateFormat ${String(dateFormat)}: use "iso" or "wcf"`,
  );
  check(
    now === undefined || (now instanceof Date && !Number.isNaN(now.getTime())),
    "Invalid now: use a valid Date",
  );
  const days = options.behaviour?.archiveAfterDays;
  check(
    days === undefined || (Number.isFinite(days) && days >= 0),
    `Invalid behaviour.archiveAfterDays ${String(days)}: use a number of days >= 0`,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RangeError("body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function routeKind(route: string): RouteKind {
  if (route === "/sessions") return "sessions";
  if (route.startsWith("/sessions/")) return "session";
  if (route === "/auth" || route.startsWith("/auth/")) return "auth";
  return "other";
}

/**
 * Starts an Evo Voice–compatible server with generated data. Resolves once it listens;
 * `close()` stops it promptly, including requests a fault left hanging.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  validateOptions(options);
  const seed = options.seed ?? DEFAULTS.seed;
  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const dataset = generateStore({
    sessions: options.sessions ?? DEFAULTS.sessions,
    seed,
    now: options.now ?? new Date(),
  });
  const store = new SessionStore(dataset, behaviour);
  const users: DemoUser[] = DEMO_USERS.map((user) => structuredClone(user));
  const signIns = new SignIns(users, options.sessionTtlMs ?? DEFAULTS.sessionTtlMs);
  const faults = new Faults(seed, () => signIns.endAll());
  const state: ServerState = {
    store,
    signIns,
    users,
    dateFormat: options.dateFormat ?? DEFAULTS.dateFormat,
    behaviour,
  };
  const requests: RequestRecord[] = [];
  const baseLatencyMs = options.latencyMs ?? 0;
  const pendingTimers = new Set<NodeJS.Timeout>();
  let closing = false;

  const record = (entry: RequestRecord): void => {
    requests.push(entry);
    if (requests.length > MAX_REQUEST_RECORDS * 2)
      requests.splice(0, requests.length - MAX_REQUEST_RECORDS);
  };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  const route = async (context: RequestContext, rawPath: string): Promise<PlannedResponse> => {
    const { method, route: path } = context;
    const format = context.params.get("format");
    const suffix = /\.(xml|csv|jsv|html)$/.exec(path)?.[1];
    if (suffix !== undefined) {
      return jsonError(
        406,
        "NotAcceptable",
        `The sandbox answers JSON only; use .json instead of .${suffix}`,
      );
    }
    if (format != null && format.trim() !== "" && format.trim().toLowerCase() !== "json") {
      return jsonError(
        406,
        "NotAcceptable",
        `The sandbox answers JSON only; drop format=${format} or use format=json`,
      );
    }
    if (path === "/sessions") {
      return method === "GET" ? listSessions(context, state) : methodNotAllowed(method, "GET");
    }
    if (path.startsWith("/sessions/")) {
      let id: string;
      try {
        id = decodeURIComponent(rawPath.replace(/\.json$/i, "").slice("/sessions/".length));
      } catch {
        return notFound(method, rawPath);
      }
      if (id === "" || id.includes("/")) return notFound(method, rawPath);
      return method === "GET" ? getSession(context, state, id) : methodNotAllowed(method, "GET");
    }
    if (path === "/auth/logout")
      return method === "GET" || method === "POST"
        ? logout(context, state)
        : methodNotAllowed(method, "GET, POST");
    if (path === "/auth/status")
      return method === "GET" ? authStatus(context, state) : methodNotAllowed(method, "GET");
    if (path === "/auth" || path.startsWith("/auth/")) {
      const provider = path === "/auth" ? undefined : path.slice("/auth/".length);
      if (method === "GET" && provider === undefined) return currentSignIn(context, state);
      if (method !== "POST")
        return methodNotAllowed(method, provider === undefined ? "GET, POST" : "POST");
      let body: string;
      try {
        body = await readBody(context.req);
      } catch {
        return jsonError(
          413,
          "RequestEntityTooLarge",
          `Sign-in bodies are limited to ${MAX_BODY_BYTES} bytes`,
        );
      }
      return signIn(context, state, body, provider);
    }
    if (path === "/" && method === "GET") {
      return {
        status: 200,
        headers: {},
        contentType: "text/plain; charset=utf-8",
        body: `Evo Voice sandbox: ${store.sessions.length} sessions. Sign in with POST /auth/credentials (${users.map((u) => u.userName).join(", ")}), then GET /sessions.\n`,
      };
    }
    return notFound(method, rawPath);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const rawPath = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const path = rawPath.toLowerCase().replace(/\.json$/, "");
    const entry: RequestRecord = {
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      status: 0,
    };
    const decision: FaultDecision = faults.decide(routeKind(path));
    if (decision.recorded !== undefined) entry.fault = decision.recorded;
    await delay(baseLatencyMs + decision.latencyMs);
    if (closing) return;
    const fault = decision.fault;
    if (fault?.type === "hang") {
      // Never answered: close() destroys the socket.
      record(entry);
      return;
    }
    if (fault?.type === "reset") {
      record(entry);
      req.socket.resetAndDestroy();
      return;
    }
    const context: RequestContext = {
      req,
      method,
      route: path,
      params: url.searchParams,
      cookies: parseCookies(req.headers.cookie),
    };
    let response: PlannedResponse;
    if (fault?.type === "status") {
      response = statusFault(fault.status, fault.retryAfterSeconds);
    } else if (fault?.type === "html") {
      response = { status: 502, headers: {}, contentType: "text/html", body: PROXY_502_PAGE };
    } else if (fault?.type === "expire-session") {
      const signIn = signIns.find(context.cookies);
      if (signIn !== undefined) signIns.end(signIn);
      response = jsonError(401, "Unauthorized", "Not Authenticated", {
        headers: { "WWW-Authenticate": 'credentials realm="/auth/credentials"' },
      });
    } else {
      try {
        response = await route(context, rawPath);
      } catch (error) {
        response = jsonError(
          500,
          (error as Error).name || "Exception",
          "The sandbox failed to answer; see its console",
        );
        console.error("evo-sessions-sandbox: request failed", error);
      }
    }
    // Response bodies share nested objects (members, breadcrumbs) with the store: drift a copy.
    if (fault?.type === "drift") response.body = applyDrift(structuredClone(response.body), fault);
    const callback = context.params.get("callback");
    if (
      callback !== null &&
      /^[A-Za-z_$][\w$.]*$/.test(callback) &&
      typeof response.body !== "string"
    ) {
      // ServiceStack's JSONP: ?callback=name wraps the JSON.
      response = {
        ...response,
        contentType: "application/javascript",
        body: `${callback}(${JSON.stringify(response.body)})`,
      };
    }
    let bytes = bodyBytes(response);
    entry.status = response.status;
    record(entry);
    if (fault?.type === "truncate") {
      res.writeHead(response.status, {
        ...response.headers,
        "Content-Type": response.contentType,
        "Content-Length": bytes.length,
      });
      res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () =>
        res.socket?.destroy(),
      );
      return;
    }
    if (fault?.type === "malformed-json") {
      const text = bytes.toString("utf8");
      // Cut mid-document and add characters no JSON allows there.
      bytes = Buffer.from(
        `${text.slice(0, Math.max(1, Math.floor(text.length * 0.6)))}#!<`,
        "utf8",
      );
    }
    writeResponse(res, response, bytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("evo-sessions-sandbox: request failed", error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  // Keep-alive sockets must not hold close() up.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? DEFAULTS.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  // Live calls happen "now" in the data's own time line: with an explicit `now` in the past or
  // future they must still come after (and not interleave with) the generated sessions.
  const clockOffsetMs = options.now === undefined ? 0 : options.now.getTime() - Date.now();
  const live = options.live
    ? new LiveCalls(
        store,
        options.liveCalls ?? DEFAULTS.liveCalls,
        options.liveStepMs ?? DEFAULTS.liveStepMs,
        seed,
        () => Date.now() + clockOffsetMs,
      )
    : undefined;
  live?.start();

  let cached: { version: number; data: SandboxData } | undefined;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    users,
    faults,
    get data(): SandboxData {
      // Materialised on first use (full logs cost memory) and again after live mode changed it.
      if (cached === undefined || cached.version !== store.version)
        cached = {
          version: store.version,
          data: toSandboxData(store.dataset, store.sessions, store.archiveCutoffMs),
        };
      return cached.data;
    },
    requests,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        live?.stop();
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        server.close(() => resolve());
        // Hung and keep-alive connections would otherwise hold close() until they time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function statusFault(
  status: 408 | 429 | 500 | 502 | 503,
  retryAfterSeconds: number | undefined,
): PlannedResponse {
  switch (status) {
    case 429: {
      const seconds = retryAfterSeconds ?? 1;
      return jsonError(
        429,
        "TooManyRequests",
        `Too many requests. Try again in ${seconds} seconds.`,
        {
          headers: { "Retry-After": String(seconds) },
        },
      );
    }
    case 408:
      return jsonError(408, "RequestTimeout", "The request timed out");
    case 500:
      return jsonError(
        500,
        "NullReferenceException",
        "Object reference not set to an instance of an object.",
      );
    case 502:
      return jsonError(502, "BadGateway", "The upstream server returned an invalid response");
    case 503: {
      const headers: Record<string, string> =
        retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) };
      return jsonError(503, "ServiceUnavailable", "The service is temporarily unavailable", {
        headers,
      });
    }
  }
}

function notFound(method: string, path: string): PlannedResponse {
  return jsonError(404, "NotFound", `Handler for Request not found (404): ${method} ${path}`);
}

function methodNotAllowed(method: string, allowed: string): PlannedResponse {
  return jsonError(405, "MethodNotAllowed", `${method} is not allowed here; use ${allowed}`, {
    headers: { Allow: allowed },
  });
}
