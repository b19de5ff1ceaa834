import { chatTranscript, activeCalls, mySessions } from "./activity-routes.js";
import { authStatus, currentSignIn, signIn } from "./auth-routes.js";
import { MAX_BODY_BYTES, dtoFields, readBody } from "./body.js";
import type { RequestContext, ServerState } from "./context.js";
import { getDirectory, listDirectory } from "./directory-routes.js";
import { ACCOUNTS, CUSTOMERS, ENDPOINTS, FLOWS } from "./directory-specs.js";
import { jsonError, type PlannedResponse } from "./responses.js";
import type { RouteName } from "./routes.js";
import { getSession, listSessions } from "./session-routes.js";

// ServiceStack's predefined routes, `/json/reply/{Operation}` and `/api/{Operation}`: every
// operation the sandbox serves, under its DTO's name, for any verb, its fields from the query
// string and (for POST) a JSON or form body. The pages never show these routes (OPERATIONS.md
// §1); they are ServiceStack's defaults, and clients generated from the DTOs call them.

/** What an operation reads: its fields (query and body merged), the raw body for sign-in. */
interface OperationCall {
  context: RequestContext;
  state: ServerState;
  body: string;
}

interface Operation {
  name: string;
  route: RouteName;
  /** The path parameter the custom route carries, as a DTO field (e.g. `sessionId`). */
  idField?: string;
  answer(call: OperationCall, id: string): PlannedResponse;
}

const OPERATIONS: readonly Operation[] = [
  { name: "ListSessions", route: "sessions", answer: (c) => listSessions(c.context, c.state) },
  {
    name: "GetSession",
    route: "session",
    idField: "sessionId",
    answer: (c, id) => getSession(c.context, c.state, id),
  },
  {
    name: "GetMySessions",
    route: "sessions",
    answer: (c) => mySessions(c.context, c.state, "GetMySessions"),
  },
  {
    name: "GetActiveSessions",
    route: "sessions",
    answer: (c) => mySessions(c.context, c.state, "GetActiveSessions"),
  },
  {
    name: "GetChatTranscript",
    route: "session",
    idField: "sessionId",
    answer: (c, id) => chatTranscript(c.context, c.state, id),
  },
  { name: "GetActiveCalls", route: "calls", answer: (c) => activeCalls(c.context, c.state) },
  {
    name: "ListAccounts",
    route: "accounts",
    answer: (c) => listDirectory(c.context, c.state, ACCOUNTS),
  },
  {
    name: "GetAccount",
    route: "accounts",
    idField: "accountId",
    answer: (c, id) => getDirectory(c.context, c.state, ACCOUNTS, id),
  },
  {
    name: "ListCustomers",
    route: "customers",
    answer: (c) => listDirectory(c.context, c.state, CUSTOMERS),
  },
  {
    name: "GetCustomer",
    route: "customers",
    idField: "customerId",
    answer: (c, id) => getDirectory(c.context, c.state, CUSTOMERS, id),
  },
  {
    name: "ListEndpoints",
    route: "endpoints",
    answer: (c) => listDirectory(c.context, c.state, ENDPOINTS),
  },
  {
    name: "GetEndpoint",
    route: "endpoints",
    idField: "endpointId",
    answer: (c, id) => getDirectory(c.context, c.state, ENDPOINTS, id),
  },
  { name: "ListFlows", route: "flows", answer: (c) => listDirectory(c.context, c.state, FLOWS) },
  {
    name: "GetFlow",
    route: "flows",
    idField: "flowId",
    answer: (c, id) => getDirectory(c.context, c.state, FLOWS, id),
  },
  { name: "GetAuthStatus", route: "auth", answer: (c) => authStatus(c.context, c.state) },
  { name: "Authenticate", route: "auth", answer: authenticate },
];

/** Authenticate: a sign-in when credentials (or a provider) are given, else the current one. */
function authenticate({ context, state, body }: OperationCall): PlannedResponse {
  const provider = fieldOf(context.params, "provider");
  const hasCredentials = [...context.params.keys()].some((k) => k.toLowerCase() === "username");
  if (provider === undefined && !hasCredentials && context.method === "GET")
    return currentSignIn(context, state);
  // signIn reads the body and the query itself; the merged fields carry the provider.
  return signIn(context, state, body, provider?.trim() === "" ? undefined : provider);
}

function fieldOf(params: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of params) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

/** The camel-cased field's label as FluentValidation writes it: `sessionId` → `Session Id`. */
function label(field: string): string {
  const spaced = field.replace(/([a-z])([A-Z])/g, "$1 $2");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

async function answerOperation(
  operation: Operation,
  context: RequestContext,
  state: ServerState,
): Promise<PlannedResponse> {
  let body = "";
  if (context.method !== "GET" && context.method !== "HEAD") {
    try {
      body = await readBody(context.req);
    } catch {
      return jsonError(
        413,
        "RequestEntityTooLarge",
        `Bodies are limited to ${MAX_BODY_BYTES} bytes`,
      );
    }
  }
  const params = dtoFields(context.params, body, context.req.headers["content-type"]);
  if (params === undefined)
    return jsonError(
      400,
      "SerializationException",
      `Unable to bind to request '${operation.name}': the body is not a JSON object`,
    );
  let id = "";
  if (operation.idField !== undefined) {
    id = fieldOf(params, operation.idField)?.trim() ?? "";
    if (id === "") {
      const fieldName = operation.idField.charAt(0).toUpperCase() + operation.idField.slice(1);
      const message = `'${label(operation.idField)}' must not be empty.`;
      return jsonError(400, "NotEmpty", message, {
        errors: [{ errorCode: "NotEmpty", fieldName, message }],
      });
    }
  }
  return operation.answer({ context: { ...context, params }, state, body }, id);
}

/** A predefined route's table entry: its exact path, fault name and handler for GET and POST. */
export interface PredefinedRoute {
  pattern: string;
  name: RouteName;
  handle(context: RequestContext, state: ServerState): Promise<PlannedResponse>;
}

/** `/json/reply/{op}` and `/api/{op}` for every operation (lower case: routes ignore case). */
export const PREDEFINED_ROUTES: readonly PredefinedRoute[] = OPERATIONS.flatMap((operation) =>
  ["/json/reply/", "/api/"].map((prefix) => ({
    pattern: `${prefix}${operation.name.toLowerCase()}`,
    name: operation.route,
    handle: (context: RequestContext, state: ServerState) =>
      answerOperation(operation, context, state),
  })),
);

/** The operations served, by DTO name (for the README and tests). */
export const PREDEFINED_OPERATIONS: readonly string[] = OPERATIONS.map((o) => o.name);
