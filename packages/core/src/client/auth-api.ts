/** Who is signed in (GetAuthStatus), signing in now, and signing out. */
import { NotSignedInError } from "../errors/auth-errors.js";
import type { ApiCore } from "./api-core.js";
import { decodeAuthStatus, signedOutStatus } from "./auth-status.js";
import type { Deadline } from "./deadline.js";
import type { AuthStatus, CallOptions } from "./types.js";

const AUTH_STATUS_PATH = "/auth/status";

export function authApi(core: ApiCore) {
  async function fetchAuthStatus(
    callOptions: CallOptions,
    deadline: Deadline | undefined = core.deadlineFor(callOptions),
  ): Promise<AuthStatus> {
    const reply = await core.requester.send({
      method: "GET",
      path: AUTH_STATUS_PATH,
      signal: callOptions.signal,
      deadline,
      // Signed out, the operation answers null, nothing (204) or isAuthenticated: false rather
      // than a 401 (OPERATIONS.md: "the current authenticated status or null"); each must renew
      // a sign-in just like a 401 does.
      meansSignedOut: (json) =>
        json === null ||
        json === undefined ||
        (json as { isAuthenticated?: unknown }).isAuthenticated === false,
    });
    return decodeAuthStatus(reply.json);
  }

  async function authStatus(callOptions: CallOptions = {}): Promise<AuthStatus> {
    try {
      return await fetchAuthStatus(callOptions);
    } catch (error) {
      // "Who am I?" has an answer when nobody is: not signed in.
      if (error instanceof NotSignedInError) return signedOutStatus();
      throw error;
    }
  }

  async function signIn(callOptions: CallOptions = {}): Promise<void> {
    const deadline = core.deadlineFor(callOptions);
    // Also ends the signed-out state signOut() left behind.
    await core.auth.signInNow(callOptions.signal, deadline);
    if (core.auth.canSignIn) return;
    // Basic auth, a stored session or nothing at all: check now that the server accepts it.
    const status = await fetchAuthStatus(callOptions, deadline);
    if (!status.isAuthenticated) throw core.auth.notSignedInError(`GET ${AUTH_STATUS_PATH}`);
  }

  return {
    authStatus,
    signIn,
    signOut: (callOptions: CallOptions = {}) =>
      core.auth.signOut(callOptions.signal, core.deadlineFor(callOptions)),
    sessionCookies: () => core.auth.sessionCookies(),
  };
}
