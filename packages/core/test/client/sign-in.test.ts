import { describe, expect, it } from "vitest";
import { createEvoVoiceClient } from "../../src/client/create-client.js";
import { NotSignedInError, SignInFailedError } from "../../src/errors/auth-errors.js";
import { InvalidOptionError } from "../../src/errors/evo-voice-error.js";
import {
  clientFor,
  recordHooks,
  rejectionOf,
  requestsTo,
  useSmallSandbox,
  userOf,
} from "./sandbox-harness.js";

const sandbox = await useSmallSandbox();

describe("credentials sign-in", () => {
  it("signs in lazily on the first request and keeps the cookies for the next ones", async () => {
    const { client, log, user } = clientFor(sandbox);
    const start = sandbox.requests.length;
    expect(client.sessionCookies()).toBeUndefined();

    await client.listSessions({ countPerPage: 5 });
    await client.listSessions({ countPerPage: 5, page: 1 });

    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(1);
    expect(requestsTo(sandbox, "/sessions", start).map((record) => record.status)).toEqual([
      200, 200,
    ]);
    expect(log.of("onSignIn")).toEqual([{ userName: user.userName, reason: "initial" }]);
    const cookies = client.sessionCookies();
    expect(cookies?.ssId ?? cookies?.ssPid).toBeTruthy();
  });

  it("shares one sign-in among concurrent requests", async () => {
    const { client } = clientFor(sandbox);
    const start = sandbox.requests.length;

    const pages = await Promise.all(
      Array.from({ length: 8 }, (_, page) => client.listSessions({ countPerPage: 2, page })),
    );

    expect(pages.every((page) => page.items.length === 2)).toBe(true);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(1);
  });

  it("signs in again once when the session expires, replays the request and reports it as expired", async () => {
    const { client, log, user } = clientFor(sandbox);
    await client.signIn();
    const before = client.sessionCookies();
    sandbox.faults.expireAllSignIns();
    const start = sandbox.requests.length;

    const page = await client.listSessions({ countPerPage: 2 });

    expect(page.items).toHaveLength(2);
    expect(requestsTo(sandbox, "/sessions", start).map((record) => record.status)).toEqual([
      401, 200,
    ]);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(1);
    expect(log.of("onSignIn").map((event) => event.reason)).toEqual(["initial", "expired"]);
    expect(log.of("onSignIn")[1]?.userName).toBe(user.userName);
    expect(client.sessionCookies()).not.toEqual(before);
  });

  it("renews an expired session with one sign-in however many requests saw the 401", async () => {
    const { client, log } = clientFor(sandbox);
    await client.signIn();
    sandbox.faults.expireAllSignIns();
    const start = sandbox.requests.length;

    await Promise.all(
      Array.from({ length: 6 }, (_, page) => client.listSessions({ countPerPage: 2, page })),
    );

    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(1);
    expect(log.of("onSignIn").filter((event) => event.reason === "expired")).toHaveLength(1);
  });

  it("recovers from the expire-session fault the same way", async () => {
    const { client, log } = clientFor(sandbox);
    await client.listSessions({ countPerPage: 1 });
    sandbox.faults.inject({ route: "sessions", fault: { type: "expire-session" }, times: 1 });

    const page = await client.listSessions({ countPerPage: 1 });

    expect(page.items).toHaveLength(1);
    expect(log.of("onSignIn").map((event) => event.reason)).toEqual(["initial", "expired"]);
  });

  it("reports a wrong password as SignInFailedError without sending the request", async () => {
    const user = userOf(sandbox, "single");
    const client = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "credentials", userName: user.userName, password: "not-the-password" },
    });
    const start = sandbox.requests.length;

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(SignInFailedError);
    expect((error as SignInFailedError).code).toBe("sign_in_failed");
    expect((error as SignInFailedError).message).toMatch(/check the user name and password/i);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(1);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(0);
  });

  it("retries a sign-in the server failed with a 503, so the read that needed it succeeds", async () => {
    const { client, log } = clientFor(sandbox);
    sandbox.faults.inject({ route: "auth", fault: { type: "status", status: 503 }, times: 1 });
    const start = sandbox.requests.length;

    const page = await client.listSessions({ countPerPage: 1 });

    expect(page.items).toHaveLength(1);
    expect(requestsTo(sandbox, "/auth/credentials", start).map((r) => r.status)).toEqual([
      503, 200,
    ]);
    expect(log.of("onRetry")).toEqual([
      expect.objectContaining({ method: "POST", attempt: 1, reason: "HTTP 503" }),
    ]);
  });

  it("retries a sign-in over a dropped connection too", async () => {
    const { client, log } = clientFor(sandbox);
    sandbox.faults.inject({ route: "auth", fault: { type: "reset" }, times: 1 });

    await client.signIn();

    expect(log.of("onRetry")[0]).toMatchObject({ method: "POST", reason: /dropped/ });
    expect(log.of("onSignIn")).toHaveLength(1);
  });

  it("gives up on a sign-in that keeps failing after the configured retries, without sending the read", async () => {
    const { client } = clientFor(sandbox, "single", { retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "auth", fault: { type: "status", status: 503 } });
    const start = sandbox.requests.length;

    const error = await rejectionOf(client.listSessions());

    expect(error).toMatchObject({ code: "server_error", status: 503 });
    expect((error as Error).message).toMatch(/POST \/auth\/credentials.*after 3 attempts/);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(3);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(0);
    // The failure is not sticky: once the server recovers, the next call signs in.
    sandbox.faults.clear();
    await expect(client.listSessions({ countPerPage: 1 })).resolves.toMatchObject({ page: 0 });
  });
});

describe("stored sessions", () => {
  it("reuses cookies handed back from sessionCookies() without signing in", async () => {
    const { client: first } = clientFor(sandbox);
    await first.signIn();
    const cookies = first.sessionCookies();
    expect(cookies).toBeDefined();
    const log = recordHooks();
    const second = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "session", cookies: cookies ?? {} },
      hooks: log.hooks,
    });
    const start = sandbox.requests.length;

    const page = await second.listSessions({ countPerPage: 2 });

    expect(page.items).toHaveLength(2);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(0);
    expect(log.of("onSignIn")).toEqual([]);
    expect(second.sessionCookies()).toEqual(cookies);
  });

  it("tells the user to sign in again when a stored session expired and there is no password", async () => {
    const { client: first } = clientFor(sandbox);
    await first.signIn();
    const stored = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "session", cookies: first.sessionCookies() ?? {} },
      retry: false,
    });
    sandbox.faults.expireAllSignIns();

    const error = await rejectionOf(stored.listSessions());

    expect(error).toBeInstanceOf(NotSignedInError);
    expect((error as NotSignedInError).status).toBe(401);
    expect((error as NotSignedInError).message).toMatch(/expired.*sign in again/i);
    await expect(stored.authStatus()).resolves.toMatchObject({
      isAuthenticated: false,
      accounts: [],
    });
  });

  it("renews an expired stored session when the credentials were given too", async () => {
    const { client: first, user } = clientFor(sandbox);
    await first.signIn();
    const log = recordHooks();
    const stored = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: {
        type: "session",
        cookies: first.sessionCookies() ?? {},
        userName: user.userName,
        password: user.password,
      },
      hooks: log.hooks,
    });
    sandbox.faults.expireAllSignIns();

    await expect(stored.listSessions({ countPerPage: 1 })).resolves.toMatchObject({ page: 0 });
    expect(log.of("onSignIn")).toEqual([{ userName: user.userName, reason: "expired" }]);
  });
});

describe("no sign-in configured", () => {
  it("answers a 401 with NotSignedInError that says to configure credentials", async () => {
    const client = createEvoVoiceClient({ baseUrl: sandbox.url });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(NotSignedInError);
    expect((error as NotSignedInError).code).toBe("not_signed_in");
    expect((error as NotSignedInError).message).toMatch(/no sign-in configured.*credentials/i);
    await expect(client.signIn()).rejects.toBeInstanceOf(NotSignedInError);
    await expect(client.authStatus()).resolves.toEqual({
      isAuthenticated: false,
      roles: [],
      accounts: [],
    });
  });
});

describe("authStatus and signOut", () => {
  it("lists the accounts a multi-account user reaches, ids zipped with names", async () => {
    const { client, user } = clientFor(sandbox, "multi");

    const status = await client.authStatus();

    expect(status.isAuthenticated).toBe(true);
    expect(status.accounts.map((account) => account.id)).toEqual(user.accountIds);
    for (const account of status.accounts) {
      const known = sandbox.data.accounts.find((candidate) => candidate.id === account.id);
      expect(account.name).toBe(known?.name);
    }
  });

  it("renews an expired sign-in when /auth/status says it is no longer authenticated", async () => {
    const { client, log } = clientFor(sandbox);
    await client.signIn();
    sandbox.faults.expireAllSignIns();

    const status = await client.authStatus();

    expect(status.isAuthenticated).toBe(true);
    expect(log.of("onSignIn").map((event) => event.reason)).toEqual(["initial", "expired"]);
  });

  it("signs out on the server, forgets the cookies and stays signed out until signIn()", async () => {
    const { client, log } = clientFor(sandbox);
    await client.signIn();
    const start = sandbox.requests.length;

    await client.signOut();

    expect(client.sessionCookies()).toBeUndefined();
    expect(requestsTo(sandbox, "/auth/logout", start)).toHaveLength(1);
    // No quiet sign-in with the stored password: the call fails and sends nothing.
    const error = await rejectionOf(client.listSessions({ countPerPage: 1 }));
    expect(error).toBeInstanceOf(NotSignedInError);
    expect((error as NotSignedInError).message).toMatch(/Signed out.*Sign in again/);
    await expect(client.iterateSessions().next()).rejects.toBeInstanceOf(NotSignedInError);
    expect(await client.authStatus()).toMatchObject({ isAuthenticated: false });
    expect(sandbox.requests.length).toBe(start + 1);

    await client.signIn();
    await client.listSessions({ countPerPage: 1 });
    expect(log.of("onSignIn").map((event) => event.reason)).toEqual(["initial", "initial"]);
  });

  it("keeps a Basic-auth client signed out after signOut() until signIn()", async () => {
    const user = userOf(sandbox, "single");
    const client = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "basic", userName: user.userName, password: user.password },
    });
    await client.listSessions({ countPerPage: 1 });

    await client.signOut();

    await expect(client.listSessions({ countPerPage: 1 })).rejects.toBeInstanceOf(NotSignedInError);
    await client.signIn();
    await expect(client.listSessions({ countPerPage: 1 })).resolves.toMatchObject({ page: 0 });
  });
});

describe("basic auth", () => {
  it("sends the Authorization header on every request without signing in", async () => {
    const user = userOf(sandbox, "single");
    const client = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "basic", userName: user.userName, password: user.password },
    });
    const start = sandbox.requests.length;

    const page = await client.listSessions({ countPerPage: 2 });

    expect(page.items).toHaveLength(2);
    expect(requestsTo(sandbox, "/auth/credentials", start)).toHaveLength(0);
    expect(client.sessionCookies()).toBeUndefined();
  });

  it("reports a rejected Basic password as SignInFailedError", async () => {
    const user = userOf(sandbox, "single");
    const client = createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth: { type: "basic", userName: user.userName, password: "wrong-basic-password" },
    });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(SignInFailedError);
    expect((error as SignInFailedError).message).toMatch(/Basic/);
  });
});

describe("options", () => {
  it("rejects bad options with InvalidOptionError naming the field", () => {
    const failure = (make: () => unknown): InvalidOptionError => {
      try {
        make();
      } catch (error) {
        return error as InvalidOptionError;
      }
      throw new Error("expected the options to be rejected");
    };
    for (const [make, field] of [
      [() => createEvoVoiceClient({ baseUrl: "evovoice.io" }), "baseUrl"],
      [() => createEvoVoiceClient({ baseUrl: "ftp://evovoice.io" }), "baseUrl"],
      [() => createEvoVoiceClient({ timeoutMs: -5 }), "timeoutMs"],
      [() => createEvoVoiceClient({ retry: { baseDelayMs: Number.NaN } }), "retry.baseDelayMs"],
      [() => createEvoVoiceClient({ retry: 3 as never }), "retry"],
      [() => createEvoVoiceClient({ auth: { type: "token" } as never }), "auth.type"],
      [
        () =>
          createEvoVoiceClient({
            auth: { type: "credentials", userName: "u", password: "p", rememberMe: "yes" as never },
          }),
        "auth.rememberMe",
      ],
      [
        () => createEvoVoiceClient({ auth: { type: "session", cookies: null as never } }),
        "auth.cookies",
      ],
      [() => createEvoVoiceClient("https://evovoice.io" as never), "options"],
    ] as const) {
      const error = failure(make);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ code: "invalid_option", field });
      expect(error.message).toMatch(new RegExp(`^Invalid ${field.replace(".", "\\.")}: `));
    }
    expect(() => createEvoVoiceClient({ baseUrl: "evovoice.io" })).toThrow(/baseUrl/);
    expect(() => createEvoVoiceClient({ baseUrl: "https://me:pw@evovoice.io" })).toThrow(
      /must not contain a user name or password/,
    );
    expect(() => createEvoVoiceClient({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createEvoVoiceClient({ retry: { retries: -1 } })).toThrow(/retry\.retries/);
    expect(() =>
      createEvoVoiceClient({ auth: { type: "credentials", userName: "someone", password: "" } }),
    ).toThrow(/auth\.password/);
  });

  it("defaults to the production origin", () => {
    expect(createEvoVoiceClient().baseUrl).toBe("https://evovoice.io");
    expect(createEvoVoiceClient({ baseUrl: "https://team.evovoice.io/" }).baseUrl).toBe(
      "https://team.evovoice.io",
    );
  });
});
