import type { FaultRoute } from "../types.js";
import { activeCalls, chatTranscript, mySessions } from "./activity-routes.js";
import { authStatus, currentSignIn, logout, signIn } from "./auth-routes.js";
import { MAX_BODY_BYTES, readBody } from "./body.js";
import type { RequestContext, ServerState } from "./context.js";
import { getDirectory, listDirectory, type DirectorySpec } from "./directory-routes.js";
import { ACCOUNTS, CUSTOMERS, ENDPOINTS, FLOWS } from "./directory-specs.js";
import { PREDEFINED_ROUTES } from "./predefined-routes.js";
import { jsonError, type PlannedResponse } from "./responses.js";
import { getSession, listSessions } from "./session-routes.js";

/** What a faults rule can name a request by; "other" is every path no route claims. */
export type RouteName = Exclude<FaultRoute, "any"> | "other";

/** One request as a route handler sees it. */
export interface RouteRequest {
  context: RequestContext;
  state: ServerState;
  /** The path as sent (letter case kept, trailing slashes dropped), for ids and messages. */
  rawPath: string;
  /** For a `/prefix/*` route: what follows the prefix, as sent (case kept, no `.json`). */
  rest: string;
}

type RouteHandler = (request: RouteRequest) => PlannedResponse | Promise<PlannedResponse>;

interface Route {
  /**
   * An exact lower-case path; `/prefix/*` for every path below the prefix; or a path whose
   * `{id}` segments match any one non-empty segment (`/customers/{id}`).
   */
  pattern: string;
  /** The name faults use for requests to this route. */
  name: RouteName;
  /** Handlers by method; the keys, in order, make the `Allow` header of a 405. */
  methods: Partial<Record<string, RouteHandler>>;
  /** A method without a handler is a 404 rather than a 405 (for `/`, as ServiceStack has no route there). */
  otherMethodsNotFound?: boolean;
}

/** The path as routes match it: ServiceStack ignores letter case and a `.json` suffix. */
export function routePath(rawPath: string): string {
  return rawPath.toLowerCase().replace(/\.json$/, "");
}

const signInWithBody: RouteHandler = async ({ context, state }) => {
  const provider = context.route === "/auth" ? undefined : context.route.slice("/auth/".length);
  let body: string;
  try {
    body = await readBody(context.req);
  } catch {
    const message = `Sign-in bodies are limited to ${MAX_BODY_BYTES} bytes`;
    return jsonError(413, "RequestEntityTooLarge", message);
  }
  return signIn(context, state, body, provider);
};

const sessionById: RouteHandler = ({ context, state, rawPath, rest }) => {
  let id: string;
  try {
    id = decodeURIComponent(rest);
  } catch {
    return notFound(context.method, rawPath);
  }
  if (id === "" || id.includes("/")) return notFound(context.method, rawPath);
  return getSession(context, state, id);
};

/** The `{id}` segment of a `/noun/{id}…` path, as sent (case kept), or undefined when unreadable. */
function idSegment(rawPath: string): string | undefined {
  const segment = rawPath.replace(/\.json$/i, "").split("/")[2] ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `GET /noun` and `GET /noun/{id}` of a directory operation pair. */
function directoryRoutes(
  noun: string,
  name: RouteName,
  spec: DirectorySpec<never, never>,
): Route[] {
  const byId: RouteHandler = (r) => {
    const id = idSegment(r.rawPath);
    if (id === undefined || id === "") return notFound(r.context.method, r.rawPath);
    return getDirectory(r.context, r.state, spec, id);
  };
  return [
    { pattern: `/${noun}`, name, methods: { GET: (r) => listDirectory(r.context, r.state, spec) } },
    { pattern: `/${noun}/{id}`, name, methods: { GET: byId } },
  ];
}

const transcript: RouteHandler = (r) => {
  const id = idSegment(r.rawPath);
  if (id === undefined || id === "") return notFound(r.context.method, r.rawPath);
  return chatTranscript(r.context, r.state, id);
};

const index: RouteHandler = ({ state }) => ({
  status: 200,
  headers: {},
  contentType: "text/plain; charset=utf-8",
  body: `Evo Voice sandbox: ${state.store.sessions.length} sessions. Sign in with POST /auth/credentials (${state.users.map((u) => u.userName).join(", ")}), then GET /sessions.\n`,
});

// First match wins, so exact paths come before the prefix that also covers them.
const ROUTES: readonly Route[] = [
  {
    pattern: "/sessions",
    name: "sessions",
    methods: { GET: (r) => listSessions(r.context, r.state) },
  },
  // Before `/sessions/*`, which would read `my` and `active` as session ids.
  {
    pattern: "/sessions/my",
    name: "sessions",
    methods: { GET: (r) => mySessions(r.context, r.state, "GetMySessions") },
  },
  {
    pattern: "/sessions/active",
    name: "sessions",
    methods: { GET: (r) => mySessions(r.context, r.state, "GetActiveSessions") },
  },
  { pattern: "/sessions/{id}/transcript", name: "session", methods: { GET: transcript } },
  { pattern: "/sessions/*", name: "session", methods: { GET: sessionById } },
  ...directoryRoutes("accounts", "accounts", ACCOUNTS as DirectorySpec<never, never>),
  ...directoryRoutes("customers", "customers", CUSTOMERS as DirectorySpec<never, never>),
  ...directoryRoutes("endpoints", "endpoints", ENDPOINTS as DirectorySpec<never, never>),
  ...directoryRoutes("flows", "flows", FLOWS as DirectorySpec<never, never>),
  {
    pattern: "/calls/active",
    name: "calls",
    methods: { GET: (r) => activeCalls(r.context, r.state) },
  },
  // ServiceStack's predefined routes answer any verb; GET and POST are what clients send.
  ...PREDEFINED_ROUTES.map((route): Route => ({
    pattern: route.pattern,
    name: route.name,
    methods: {
      GET: (r) => route.handle(r.context, r.state),
      POST: (r) => route.handle(r.context, r.state),
    },
  })),
  {
    pattern: "/auth/logout",
    name: "auth",
    methods: { GET: (r) => logout(r.context, r.state), POST: (r) => logout(r.context, r.state) },
  },
  {
    pattern: "/auth/status",
    name: "auth",
    methods: { GET: (r) => authStatus(r.context, r.state) },
  },
  {
    pattern: "/auth",
    name: "auth",
    methods: { GET: (r) => currentSignIn(r.context, r.state), POST: signInWithBody },
  },
  { pattern: "/auth/*", name: "auth", methods: { POST: signInWithBody } },
  { pattern: "/", name: "other", methods: { GET: index }, otherMethodsNotFound: true },
];

function matches(route: Route, path: string): boolean {
  if (route.pattern.includes("{")) {
    const want = route.pattern.split("/");
    const got = path.split("/");
    return (
      want.length === got.length &&
      want.every((segment, i) => (segment.startsWith("{") ? got[i] !== "" : segment === got[i]))
    );
  }
  if (!route.pattern.endsWith("/*")) return path === route.pattern;
  return path.startsWith(route.pattern.slice(0, -1));
}

/** The route a path (see {@link routePath}) belongs to, whatever the method. */
export function findRoute(path: string): Route | undefined {
  return ROUTES.find((route) => matches(route, path));
}

/** The name faults know a path by: the one matcher that also routes it. */
export function routeName(path: string): RouteName {
  return findRoute(path)?.name ?? "other";
}

/** Answers a request through the route table: 406 for other formats, 404/405 where no handler is. */
export async function dispatch(request: RouteRequest): Promise<PlannedResponse> {
  const { context, rawPath } = request;
  const refusal = formatRefusal(context);
  if (refusal !== undefined) return refusal;
  const route = findRoute(context.route);
  const handler = route?.methods[context.method];
  if (route === undefined || (handler === undefined && route.otherMethodsNotFound === true))
    return notFound(context.method, rawPath);
  if (handler === undefined) return methodNotAllowed(context.method, Object.keys(route.methods));
  const prefix = route.pattern.endsWith("/*") ? route.pattern.length - 1 : rawPath.length;
  return handler({ ...request, rest: rawPath.replace(/\.json$/i, "").slice(prefix) });
}

/** The sandbox speaks JSON only: a `.xml`-style suffix or `format=` other than json is a 406. */
function formatRefusal(context: RequestContext): PlannedResponse | undefined {
  const suffix = /\.(xml|csv|jsv|html)$/.exec(context.route)?.[1];
  if (suffix !== undefined) {
    const message = `The sandbox answers JSON only; use .json instead of .${suffix}`;
    return jsonError(406, "NotAcceptable", message);
  }
  const format = context.params.get("format")?.trim();
  if (format !== undefined && format !== "" && format.toLowerCase() !== "json") {
    const message = `The sandbox answers JSON only; drop format=${context.params.get("format")} or use format=json`;
    return jsonError(406, "NotAcceptable", message);
  }
  return undefined;
}

function notFound(method: string, path: string): PlannedResponse {
  return jsonError(404, "NotFound", `Handler for Request not found (404): ${method} ${path}`);
}

function methodNotAllowed(method: string, allowed: readonly string[]): PlannedResponse {
  const allow = allowed.join(", ");
  return jsonError(405, "MethodNotAllowed", `${method} is not allowed here; use ${allow}`, {
    headers: { Allow: allow },
  });
}
