import { basicCredentials, identify, notAuthenticated } from "../auth/authenticate.js";
import { userInfo } from "../auth/roles.js";
import type { SignIn } from "../auth/sign-ins.js";
import type { DemoUser } from "../types.js";
import type { RequestContext, ServerState } from "./context.js";
import { json, jsonError, type PlannedResponse } from "./responses.js";

const PERMANENT_COOKIE_YEARS = 20;

function cookie(name: string, value: string, expires: Date | undefined): string {
  return `${name}=${value};${expires === undefined ? "" : ` expires=${expires.toUTCString()};`} path=/; samesite=lax; httponly`;
}

function signInCookies(signIn: SignIn): string[] {
  const permanent = new Date(Date.now() + PERMANENT_COOKIE_YEARS * 365 * 86_400_000);
  return [
    cookie("ss-id", signIn.ssId, undefined),
    cookie("ss-pid", signIn.ssPid, permanent),
    cookie("ss-opt", signIn.permanent ? "perm" : "temp", permanent),
  ];
}

function clearedCookies(): string[] {
  const past = new Date(0);
  return [cookie("ss-id", "", past), cookie("ss-pid", "", past), cookie("ss-opt", "", past)];
}

/** ServiceStack's AuthenticateResponse. */
function authenticateResponse(user: DemoUser, sessionId: string): Record<string, unknown> {
  return {
    userId: user.userId ?? user.userName,
    sessionId,
    userName: user.userName,
    displayName: user.displayName,
    roles: user.roles ?? [],
    permissions: [],
  };
}

/** Reads a sign-in body: JSON or form-encoded, names in any case, query-string values as fallback. */
function readFields(context: RequestContext, body: string): Map<string, unknown> | undefined {
  const fields = new Map<string, unknown>();
  for (const [name, value] of context.params) fields.set(name.toLowerCase(), value);
  const text = body.trim();
  if (text === "") return fields;
  const type = context.req.headers["content-type"] ?? "";
  if (type.includes("json") || text.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    for (const [name, value] of Object.entries(parsed)) fields.set(name.toLowerCase(), value);
    return fields;
  }
  for (const [name, value] of new URLSearchParams(text)) fields.set(name.toLowerCase(), value);
  return fields;
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && /^(true|1|on)$/i.test(value.trim()));
}

/** `POST /auth/{provider}` and `POST /auth` with a provider in the body. */
export function signIn(
  context: RequestContext,
  state: ServerState,
  body: string,
  provider: string | undefined,
): PlannedResponse {
  const fields = readFields(context, body);
  if (fields === undefined) {
    return jsonError(
      400,
      "SerializationException",
      "Unable to bind to request 'Authenticate': the body is not valid JSON",
    );
  }
  const chosen = (provider ?? asText(fields.get("provider")) ?? "credentials").trim().toLowerCase();
  if (chosen === "logout") return logout(context, state);
  let userName: string | undefined;
  let password: string | undefined;
  if (chosen === "basic") {
    const basic = basicCredentials(context.req.headers.authorization);
    userName = basic?.userName;
    password = basic?.password;
  } else if (chosen === "credentials") {
    userName = asText(fields.get("username"));
    password = asText(fields.get("password"));
  } else {
    return jsonError(404, "NotFound", `No configuration was added for OAuth provider '${chosen}'`);
  }
  const missing = [
    ...(userName === undefined || userName.trim() === ""
      ? [
          {
            errorCode: "NotEmpty",
            fieldName: "UserName",
            message: "'User Name' must not be empty.",
          },
        ]
      : []),
    ...(password === undefined || password === ""
      ? [{ errorCode: "NotEmpty", fieldName: "Password", message: "'Password' must not be empty." }]
      : []),
  ];
  const first = missing[0];
  if (first !== undefined)
    return jsonError(400, first.errorCode, first.message, { errors: missing });
  const user = state.signIns.check(userName as string, password as string);
  if (user === undefined) return notAuthenticated("bad-credentials");
  const started = state.signIns.start(user, isTrue(fields.get("rememberme")), context.cookies);
  return json(200, authenticateResponse(user, started.sessionId), {
    "Set-Cookie": signInCookies(started),
  });
}

/** `GET /auth`: the current sign-in, or 401. */
export function currentSignIn(context: RequestContext, state: ServerState): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  return json(200, authenticateResponse(caller.user, caller.signIn?.sessionId ?? ""));
}

/** `GET|POST /auth/logout`: ends the cookie's sign-in (if any) and clears the cookies. */
export function logout(context: RequestContext, state: ServerState): PlannedResponse {
  const signIn = state.signIns.find(context.cookies);
  if (signIn !== undefined) state.signIns.end(signIn);
  const body =
    signIn === undefined ? {} : { sessionId: signIn.sessionId, userName: signIn.user.userName };
  return json(200, body, { "Set-Cookie": clearedCookies() });
}

/**
 * `GET /auth/status` (GetAuthStatus): ServiceStack's UserInfo for the signed-in user. Signed
 * out, the page says only "or null": the sandbox answers one variant of that, as configured
 * (`behaviour.authStatusSignedOut`). Wrong Basic credentials are a 401 whatever the variant.
 */
export function authStatus(context: RequestContext, state: ServerState): PlannedResponse {
  const caller = identify(context, state);
  if (caller.ok) return json(200, userInfo(state, caller.user));
  if (caller.reason === "bad-credentials") return notAuthenticated(caller.reason);
  switch (state.behaviour.authStatusSignedOut) {
    case "401":
      return notAuthenticated(caller.reason);
    case "null":
      return json(200, null);
    case "204":
      // ServiceStack answers a service's null with 204 No Content and no body.
      return { status: 204, headers: {}, contentType: "application/json; charset=utf-8", body: "" };
    case "false":
      // A UserInfo with only the flag set: ServiceStack omits the null fields.
      return json(200, { isAuthenticated: false });
  }
}
