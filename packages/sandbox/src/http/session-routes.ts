import { identify, notAuthenticated } from "../auth/authenticate.js";
import { parseListSessions } from "../sessions/list-params.js";
import type { RequestContext, ServerState } from "./context.js";
import { json, jsonError, type PlannedResponse } from "./responses.js";
import { toWireSession } from "./session-json.js";
import type { StoredSession } from "../data/model.js";
import { SESSION_INFO_FIELDS } from "../wire/session-fields.js";

/** `GET /sessions`: ListSessions. */
export function listSessions(context: RequestContext, state: ServerState): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  const parsed = parseListSessions(context.params, state.behaviour);
  if (!parsed.ok) {
    const { kind, errors } = parsed.rejection;
    const first = errors[0];
    return kind === "binding"
      ? jsonError(400, "SerializationException", "Unable to bind to request 'ListSessions'", {
          errors,
        })
      : jsonError(
          400,
          first?.errorCode ?? "ValidationException",
          first?.message ?? "Invalid request",
          { errors },
        );
  }
  const request = parsed.request;
  const user = caller.user;
  let accounts: Set<string> | undefined;
  if (request.accountIds !== undefined) {
    if (user.kind !== "admin") {
      const denied = request.accountIds.find((id) => !user.accountIds.includes(id));
      if (denied !== undefined) {
        // ServiceStack answers some 403s (a missing role) with no body at all.
        if (state.behaviour.forbiddenBody === "empty")
          return { status: 403, headers: {}, contentType: "text/plain; charset=utf-8", body: "" };
        return jsonError(
          403,
          "Forbidden",
          `You do not have access to account '${denied}'. GET /auth/status lists the accounts you can use.`,
        );
      }
    }
    accounts = new Set(request.accountIds);
  } else if (user.kind !== "admin") {
    accounts = new Set(user.accountIds);
  }
  const page = state.store.list(request, accounts);
  const items = page.items.map((session) =>
    toWireSession(session, { withLog: true, dateFormat: state.dateFormat }),
  );
  return json(
    200,
    page.totalCount === undefined
      ? { items, hasMorePages: page.hasMorePages }
      : {
          items,
          totalCount: page.totalCount,
          totalPages: page.totalPages,
          hasMorePages: page.hasMorePages,
        },
  );
}

/**
 * How GET /sessions/{id} and the active-session lists write a session's log: `"log": []` as
 * observed on staging, no key (what the sandbox sent before) or the full log, as configured.
 */
export function singleSessionJson(
  session: StoredSession,
  state: ServerState,
): Record<string, unknown> {
  const mode = state.behaviour.getSessionLog;
  const wire = toWireSession(session, { withLog: mode === "full", dateFormat: state.dateFormat });
  if (mode !== "empty") return wire;
  // `log` keeps its place in the seed's key order.
  const out: Record<string, unknown> = {};
  for (const key of SESSION_INFO_FIELDS) {
    if (key === "log") out.log = [];
    else if (key in wire) out[key] = wire[key];
  }
  return out;
}

/**
 * `GET /sessions/{id}` (GetSession): one session with `"log": []`. Archived sessions live apart
 * on the real server, so an archived session's id is a 404 (unless configured otherwise); a
 * session of an account the user cannot see is a 404 as well, not a 403.
 */
export function getSession(
  context: RequestContext,
  state: ServerState,
  id: string,
): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  const session = state.store.get(id);
  const visible =
    session !== undefined &&
    (caller.user.kind === "admin" ||
      caller.user.accountIds.includes(session.info.accountId as string));
  const archived =
    session !== undefined &&
    state.behaviour.getSessionArchived === "404" &&
    session.createdMs < state.store.archiveCutoffMs;
  if (!visible || archived) return jsonError(404, "NotFound", `Session '${id}' was not found`);
  return json(200, singleSessionJson(session, state));
}
