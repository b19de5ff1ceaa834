import type { IncomingMessage, ServerResponse } from "node:http";
import { parseCookies } from "../auth/sign-ins.js";
import type { Faults } from "../faults/fault-controller.js";
import { withFault } from "../faults/fault-wrapper.js";
import type { RequestRecord } from "../types.js";
import type { RequestContext, ServerState } from "./context.js";
import { jsonError, transmit, withJsonp, type PlannedResponse } from "./responses.js";
import { dispatch, routeName, routePath, type RouteRequest } from "./routes.js";

/** What answering a request needs from the running sandbox. */
export interface RequestHandlerDeps {
  state: ServerState;
  faults: Faults;
  /** Latency added to every request, in ms. */
  baseLatencyMs: number;
  record(entry: RequestRecord): void;
  /** Waits, unless the sandbox closes first. */
  delay(ms: number): Promise<void>;
  isClosing(): boolean;
}

/**
 * The sandbox's request handler: decides the request's faults by the name of its route, waits
 * out any latency, answers through the route table wrapped in the fault, and records the
 * request with the status it got (0 when it got none).
 */
export function createRequestHandler(
  deps: RequestHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const { request, entry } = readRequest(req, deps.state);
    const decision = deps.faults.decide(routeName(request.context.route));
    if (decision.recorded !== undefined) entry.fault = decision.recorded;
    await deps.delay(deps.baseLatencyMs + decision.latencyMs);
    if (deps.isClosing()) return;
    const answer = await withFault(decision.fault, request.context, deps.state.signIns, () =>
      answerOrFail(request),
    );
    if (answer.kind !== "respond") {
      deps.record(entry);
      // A hung request is never answered: close() destroys its socket.
      if (answer.kind === "reset") req.socket.resetAndDestroy();
      return;
    }
    const response = withJsonp(answer.response, request.context.params);
    entry.status = response.status;
    deps.record(entry);
    transmit(res, response, answer.damage);
  };
}

function readRequest(
  req: IncomingMessage,
  state: ServerState,
): { request: RouteRequest; entry: RequestRecord } {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  // Trailing slashes do not change the route (`/sessions/` is `/sessions`).
  const rawPath = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  const context: RequestContext = {
    req,
    method,
    route: routePath(rawPath),
    params: url.searchParams,
    cookies: parseCookies(req.headers.cookie),
  };
  const entry: RequestRecord = {
    method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ""),
    status: 0,
  };
  return { request: { context, state, rawPath, rest: "" }, entry };
}

/** A handler that throws is a 500, as ServiceStack answers an unhandled exception. */
async function answerOrFail(request: RouteRequest): Promise<PlannedResponse> {
  try {
    return await dispatch(request);
  } catch (error) {
    console.error("evo-sessions-sandbox: request failed", error);
    const name = (error as Error).name || "Exception";
    return jsonError(500, name, "The sandbox failed to answer; see its console");
  }
}
