import { InvalidOptionError, type EvoVoiceError } from "../errors/evo-voice-error.js";
import { NotSignedInError, SignInFailedError } from "../errors/auth-errors.js";
import { awaitWithin, type Deadline } from "./deadline.js";
import type { ClientConfig } from "./client-config.js";
import { CookieJar } from "./cookie-jar.js";
import {
  describeBody,
  errorForStatus,
  errorForTransportFailure,
  readResponseStatus,
  type FailureContext,
} from "./error-mapping.js";
import { TransportFailure, type HttpReply } from "./http-transport.js";
import { requestUrl, sendObserved } from "./observed-send.js";
import type { Redactor } from "./redactor.js";
import { isRetryableStatus, parseRetryAfterMs, RetryBudget } from "./retry-policy.js";
import type { EvoVoiceAuth, SessionCookies } from "./types.js";

const SIGN_IN_PATH = "/auth/credentials";
const SIGN_OUT_PATH = "/auth/logout";

/** The sign-in headers of one request and the sign-in generation they belong to. */
export interface Authorization {
  /** Cookie and Authorization headers; never reported anywhere. */
  headers: Record<string, string>;
  /** Bumped by every sign-in, so a 401 on stale headers does not cause a second sign-in. */
  generation: number;
}

/**
 * The client's sign-in: which headers prove it, when to sign in (lazily, once for all concurrent
 * requests), and what to tell the user when it cannot be renewed. Holds every secret; none
 * leaves except in request headers.
 */
export class AuthSession {
  readonly #config: ClientConfig;
  readonly #redactor: Redactor;
  readonly #type: EvoVoiceAuth["type"] | "none";
  readonly #userName: string | undefined;
  readonly #password: string | undefined;
  readonly #rememberMe: boolean;
  readonly #basicHeader: string | undefined;
  #jar: CookieJar;
  // Some ServiceStack hosts answer a sign-in with a bearer token instead of cookies.
  #bearerToken: string | undefined;
  #generation = 0;
  #inflight: Promise<void> | undefined;
  #everSignedIn = false;
  // Set by signOut(): no request signs in by itself again until an explicit signIn().
  #signedOut = false;

  constructor(auth: EvoVoiceAuth | undefined, config: ClientConfig, redactor: Redactor) {
    this.#config = config;
    this.#redactor = redactor;
    this.#type = auth === undefined ? "none" : checkAuthType(auth);
    this.#jar = new CookieJar();
    this.#rememberMe = true;
    if (auth === undefined) return;
    if (auth.type === "credentials" || auth.type === "basic") {
      this.#userName = requireText("auth.userName", auth.userName);
      this.#password = requireText("auth.password", auth.password);
    }
    if (auth.type === "credentials") {
      if (auth.rememberMe !== undefined && typeof auth.rememberMe !== "boolean") {
        throw new InvalidOptionError("auth.rememberMe", "expected true or false", auth.rememberMe);
      }
      this.#rememberMe = auth.rememberMe ?? true;
    }
    if (auth.type === "basic") {
      const token = Buffer.from(`${this.#userName}:${this.#password}`, "utf8").toString("base64");
      this.#basicHeader = `Basic ${token}`;
      redactor.pin(token);
    }
    if (auth.type === "session") {
      if (auth.cookies === null || typeof auth.cookies !== "object") {
        throw new InvalidOptionError(
          "auth.cookies",
          "expected the object sessionCookies() returned, e.g. { ssId, ssPid, ssOpt }",
        );
      }
      this.#jar = CookieJar.from(auth.cookies);
      // Renewal needs both; with only one, the stored session is all there is.
      if (
        typeof auth.userName === "string" &&
        auth.userName !== "" &&
        typeof auth.password === "string" &&
        auth.password !== ""
      ) {
        this.#userName = auth.userName;
        this.#password = auth.password;
      }
      this.#everSignedIn = this.#jar.hasSession();
    }
    redactor.pin(this.#password);
    redactor.add(...this.#jar.secretValues());
  }

  /** True when user name and password are at hand to sign in (again). */
  get canSignIn(): boolean {
    return (
      (this.#type === "credentials" || this.#type === "session") && this.#password !== undefined
    );
  }

  /** Headers for a request; signs in first (shared with concurrent requests) when that is needed. */
  async authorize(
    signal: AbortSignal | undefined,
    request: string,
    deadline?: Deadline,
  ): Promise<Authorization> {
    if (this.#signedOut) throw this.#signedOutError(request);
    if (this.canSignIn && !this.#hasSession()) {
      await this.#signInShared(this.#everSignedIn ? "expired" : "initial", signal, deadline);
    }
    return { headers: this.#headers(), generation: this.#generation };
  }

  /**
   * Handles a 401 on headers of `generation`: signs in again when possible (once, however many
   * requests saw the 401), otherwise throws the error that tells the user what to do.
   */
  async recover(
    generation: number,
    request: string,
    signal: AbortSignal | undefined,
    deadline?: Deadline,
  ): Promise<void> {
    if (this.canSignIn) {
      // Another request already signed in again since these headers were sent: just replay.
      if (generation !== this.#generation) return;
      this.#dropSession();
      await this.#signInShared("expired", signal, deadline);
      return;
    }
    throw this.#cannotRecover(request);
  }

  /** The error for a request still refused after signing in again. */
  refusedAfterRenewal(request: string): EvoVoiceError {
    if (!this.canSignIn) return this.#cannotRecover(request);
    return new NotSignedInError(
      `Signed in again as "${this.#userName}", but Evo Voice still refused ${request} (401). ` +
        "The user may be disabled or the server may not keep the session; sign in again later or check the account.",
      { status: 401 },
    );
  }

  /** The error for a request the server says is not signed in, when no sign-in can fix that. */
  notSignedInError(request: string): EvoVoiceError {
    return this.#cannotRecover(request);
  }

  /**
   * Signs in now and ends a signed-out state; without credentials there is nothing to send here
   * (the caller verifies the stored session or Basic auth instead).
   */
  async signInNow(signal: AbortSignal | undefined, deadline?: Deadline): Promise<void> {
    this.#signedOut = false;
    if (!this.canSignIn) return;
    await this.#signInShared(this.#everSignedIn ? "expired" : "initial", signal, deadline);
  }

  /** Keeps cookies the server sets on any response (ServiceStack may rotate them). */
  absorb(reply: HttpReply): void {
    this.#jar.absorb(reply.headers);
    this.#redactor.add(...this.#jar.secretValues());
  }

  /** The current cookie session, for storing. */
  sessionCookies(): SessionCookies | undefined {
    return this.#jar.sessionCookies();
  }

  /**
   * Ends the session on the server (when there is one) and forgets it here in any case. The
   * client then stays signed out: later calls throw NotSignedInError rather than quietly signing
   * in again with the stored password, until signIn() is called.
   */
  async signOut(signal: AbortSignal | undefined, deadline?: Deadline): Promise<void> {
    const hadSession = this.#hasSession();
    const headers = this.#headers();
    this.#dropSession();
    // The next sign-in starts afresh rather than renewing an expired one.
    this.#everSignedIn = false;
    if (this.#type !== "none") this.#signedOut = true;
    if (!hadSession) return;
    const context = { ...this.#context(`POST ${SIGN_OUT_PATH}`), deadline };
    let reply: HttpReply;
    try {
      reply = await sendObserved(
        this.#config,
        { method: "POST", path: SIGN_OUT_PATH, headers, json: {}, signal, deadline },
        1,
      );
    } catch (error) {
      if (error instanceof TransportFailure)
        throw errorForTransportFailure(error, context, this.#config.timeoutMs);
      throw error;
    }
    // A 401 means the server had already ended it: signed out either way.
    if (reply.status === 401 || (reply.status >= 200 && reply.status < 300)) return;
    throw errorForStatus(reply, context);
  }

  #hasSession(): boolean {
    return this.#jar.hasSession() || this.#bearerToken !== undefined;
  }

  #headers(): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.#basicHeader !== undefined) headers.authorization = this.#basicHeader;
    else if (this.#bearerToken !== undefined) headers.authorization = `Bearer ${this.#bearerToken}`;
    const cookie = this.#jar.header();
    if (cookie !== undefined) headers.cookie = cookie;
    return headers;
  }

  #dropSession(): void {
    this.#jar.clear();
    this.#bearerToken = undefined;
    this.#generation++;
  }

  #signedOutError(request: string): EvoVoiceError {
    return new NotSignedInError(
      `Signed out of Evo Voice, so ${request} was not sent. Sign in again to continue.`,
    );
  }

  #cannotRecover(request: string): EvoVoiceError {
    if (this.#type === "basic") {
      return new SignInFailedError(
        `Evo Voice rejected Basic authentication for "${this.#userName}" on ${request} (401). ` +
          'Check the user name and password; if they are right, this server may not accept Basic auth, so use auth { type: "credentials" } instead.',
        { status: 401 },
      );
    }
    if (this.#type === "session") {
      return new NotSignedInError(
        `Your stored Evo Voice session has expired or was signed out (401 on ${request}). Sign in again with your user name and password.`,
        { status: 401 },
      );
    }
    return new NotSignedInError(
      `Evo Voice requires a signed-in user for ${request}, and this client has no sign-in configured. ` +
        'Pass auth: { type: "credentials", userName, password } (or a stored session) to createEvoVoiceClient.',
      { status: 401 },
    );
  }

  #signInShared(
    reason: "initial" | "expired",
    signal: AbortSignal | undefined,
    deadline: Deadline | undefined,
  ): Promise<void> {
    // The sign-in is shared, so it runs without any one caller's signal; each caller may still
    // leave, by its signal or its deadline. The sign-in itself keeps to the deadline of the call
    // that started it, so a hanging sign-in cannot outlive every caller.
    this.#inflight ??= this.#signIn(reason, deadline).finally(() => {
      this.#inflight = undefined;
    });
    return awaitWithin(
      this.#inflight,
      signal,
      deadline,
      `Signing in to Evo Voice as "${this.#userName}"`,
      `POST ${SIGN_IN_PATH}`,
    );
  }

  async #signIn(reason: "initial" | "expired", deadline: Deadline | undefined): Promise<void> {
    const label = `POST ${SIGN_IN_PATH}`;
    const request = {
      method: "POST",
      path: SIGN_IN_PATH,
      deadline,
      json: {
        provider: "credentials",
        userName: this.#userName,
        password: this.#password,
        rememberMe: this.#rememberMe,
      },
    } as const;
    // The sign-in is retried like a read, with the same policy: it runs only as the first step of
    // a read (or of signIn()), it changes nothing on the server but a fresh session, and failing a
    // read whose own GET would have been retried because the POST before it met one 503 is wrong.
    // Only what may pass in a moment is retried; a refused password is not.
    const budget = new RetryBudget(this.#config.retry, this.#config.hooks, {
      method: "POST",
      url: requestUrl(this.#config, request),
      label,
      deadline,
    });
    let attempts = 0;
    let reply: HttpReply;
    for (;;) {
      // Cookies from before would mask whether this sign-in set new ones.
      this.#jar.clear();
      this.#bearerToken = undefined;
      attempts++;
      try {
        reply = await sendObserved(this.#config, request, attempts);
      } catch (error) {
        if (!(error instanceof TransportFailure)) throw error;
        if (error.retryable && (await budget.next(attempts, error.detail))) continue;
        throw errorForTransportFailure(
          error,
          { ...this.#context(label, attempts), deadline, cutByDeadline: budget.cutByDeadline },
          this.#config.timeoutMs,
        );
      }
      if (!isRetryableStatus(reply.status)) break;
      const retryAfterMs = parseRetryAfterMs(reply.headers.get("retry-after"));
      const why = `HTTP ${reply.status}${retryAfterMs === undefined ? "" : ` (Retry-After ${retryAfterMs} ms)`}`;
      if (!(await budget.next(attempts, why, retryAfterMs))) {
        throw errorForStatus(reply, this.#context(label, attempts), retryAfterMs);
      }
    }
    this.absorb(reply);
    if (reply.status >= 200 && reply.status < 300) {
      this.#bearerToken = this.#jar.hasSession() ? undefined : readBearerToken(reply.body);
      this.#redactor.add(this.#bearerToken);
      if (!this.#hasSession()) {
        throw new SignInFailedError(
          `Evo Voice accepted the sign-in for "${this.#userName}" but answered with ${describeSignInBody(reply)} and set no session cookie. ` +
            "Check that the base URL points at the Evo Voice API rather than a proxy or web page.",
          { status: reply.status },
        );
      }
      this.#generation++;
      this.#everSignedIn = true;
      this.#config.hooks.onSignIn({ userName: this.#userName ?? "", reason });
      return;
    }
    if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
      const said = readResponseStatus(reply.body, this.#redactor)?.message;
      throw new SignInFailedError(
        `Evo Voice rejected the sign-in for "${this.#userName}" (${reply.status}${said === undefined ? "" : `: "${said}"`}). ` +
          "Check the user name and password and try again.",
        { status: reply.status },
      );
    }
    throw errorForStatus(reply, this.#context(label, attempts));
  }

  #context(request: string, attempts = 1): FailureContext {
    return { request, attempts, origin: this.#config.baseUrl, redactor: this.#redactor };
  }
}

function describeSignInBody(reply: HttpReply): string {
  try {
    JSON.parse(reply.body);
    return "JSON";
  } catch {
    return describeBody(reply);
  }
}

function readBearerToken(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === "object") {
      const token =
        (parsed as Record<string, unknown>).bearerToken ??
        (parsed as Record<string, unknown>).BearerToken;
      if (typeof token === "string" && token !== "") return token;
    }
  } catch {
    // No JSON body: the cookies (checked by the caller) are all there is.
  }
  return undefined;
}

function checkAuthType(auth: EvoVoiceAuth): EvoVoiceAuth["type"] {
  const type = (auth as { type?: unknown } | null)?.type;
  if (type === "credentials" || type === "basic" || type === "session") return type;
  throw new InvalidOptionError("auth.type", 'expected "credentials", "basic" or "session"', type);
}

function requireText(field: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    // The value is not quoted: it may be a password.
    throw new InvalidOptionError(field, "expected a non-empty string");
  }
  return value;
}
