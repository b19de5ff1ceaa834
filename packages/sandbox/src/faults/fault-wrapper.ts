import type { SignIns } from "../auth/sign-ins.js";
import type { RequestContext } from "../http/context.js";
import { jsonError, type PlannedResponse } from "../http/responses.js";
import { applyDrift } from "./drift.js";
import type { FaultDecision } from "./fault-controller.js";

/** A failure that changes how a request is answered (latency is applied before). */
export type Failure = NonNullable<FaultDecision["fault"]>;

/**
 * How to answer the socket: a response, possibly damaged on the way out; or no response at all.
 * `damage` is applied to the bytes, after the response is recorded with its status.
 */
export type Answer =
  | { kind: "respond"; response: PlannedResponse; damage?: "truncate" | "malformed-json" }
  | { kind: "hang" }
  | { kind: "reset" };

const PROXY_502_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/**
 * Wraps a route handler with a failure: some failures replace the handler's answer (it is then
 * never called), others change what it answered. Without a failure the handler answers alone.
 */
export async function withFault(
  failure: Failure | undefined,
  context: RequestContext,
  signIns: SignIns,
  handler: () => Promise<PlannedResponse>,
): Promise<Answer> {
  const respond = (response: PlannedResponse): Answer => ({ kind: "respond", response });
  switch (failure?.type) {
    case undefined:
      return respond(await handler());
    case "hang":
      return { kind: "hang" };
    case "reset":
      return { kind: "reset" };
    case "status":
      return respond(statusFault(failure.status, failure.retryAfterSeconds));
    case "html":
      return respond({ status: 502, headers: {}, contentType: "text/html", body: PROXY_502_PAGE });
    case "expire-session":
      return respond(expireSession(context, signIns));
    case "drift": {
      const response = await handler();
      return respond({ ...response, body: applyDrift(response.body, failure) });
    }
    case "truncate":
    case "malformed-json":
      return { kind: "respond", response: await handler(), damage: failure.type };
  }
}

/** The cookie's sign-in ends, and the request is answered as the real server answers then. */
function expireSession(context: RequestContext, signIns: SignIns): PlannedResponse {
  const signIn = signIns.find(context.cookies);
  if (signIn !== undefined) signIns.end(signIn);
  return jsonError(401, "Unauthorized", "Not Authenticated", {
    headers: { "WWW-Authenticate": 'credentials realm="/auth/credentials"' },
  });
}

/** ServiceStack's answers for the statuses a status fault can send. */
function statusFault(
  status: 408 | 429 | 500 | 502 | 503,
  retryAfterSeconds: number | undefined,
): PlannedResponse {
  switch (status) {
    case 429: {
      // A 429 always says when to come back; a 503 only when asked to.
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
