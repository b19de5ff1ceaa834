import type { Caller, RequestContext, ServerState } from "../http/context.js";
import { jsonError, type PlannedResponse } from "../http/responses.js";

/** Reads `Authorization: Basic base64(user:password)`; undefined when absent or not Basic. */
export function basicCredentials(
  header: string | undefined,
): { userName: string; password: string } | undefined {
  const match = header === undefined ? null : /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { userName: decoded, password: "" };
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Identifies the caller: Basic credentials win over cookies, as ServiceStack checks them per request. */
export function identify(context: RequestContext, state: ServerState): Caller {
  const basic = basicCredentials(context.req.headers.authorization);
  if (basic !== undefined) {
    const user = state.signIns.check(basic.userName, basic.password);
    return user === undefined
      ? { ok: false, reason: "bad-credentials" }
      : { ok: true, user, signIn: undefined };
  }
  const signIn = state.signIns.resolve(context.cookies);
  return signIn === undefined
    ? { ok: false, reason: "anonymous" }
    : { ok: true, user: signIn.user, signIn };
}

/** ServiceStack's 401 for a request without a valid sign-in. */
export function notAuthenticated(
  reason: "anonymous" | "bad-credentials" = "anonymous",
): PlannedResponse {
  return jsonError(
    401,
    "Unauthorized",
    reason === "bad-credentials" ? "Invalid UserName or Password" : "Not Authenticated",
    { headers: { "WWW-Authenticate": 'credentials realm="/auth/credentials"' } },
  );
}
