import type { Sandbox } from "@evo-sessions/sandbox";
import { inspect } from "node:util";
import { expect, it } from "vitest";
import { createEvoVoiceClient } from "../../src/client/create-client.js";
import type {
  EvoVoiceClient,
  EvoVoiceClientOptions,
  SessionCookies,
} from "../../src/client/types.js";
import { EvoVoiceError } from "../../src/errors/evo-voice-error.js";
import { recordHooks, rejectionOf, useSmallSandbox, userOf } from "./sandbox-harness.js";

const sandbox = await useSmallSandbox();

const WRONG_PASSWORD = "Wr0ng-zebra-S3cret!";

it("keeps passwords, cookie values and the Basic header out of every error, its JSON and every hook payload", async () => {
  const user = userOf(sandbox, "single");
  const log = recordHooks();
  const clients: EvoVoiceClient[] = [];
  const make = (options: EvoVoiceClientOptions): EvoVoiceClient => {
    const client = createEvoVoiceClient({
      baseUrl: sandbox.url,
      hooks: log.hooks,
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 },
      ...options,
    });
    clients.push(client);
    return client;
  };
  const credentials = {
    type: "credentials",
    userName: user.userName,
    password: user.password,
  } as const;
  const cookieValues = new Set<string>();
  const remember = (cookies: SessionCookies | undefined): void => {
    // ss-opt is a flag ("perm"/"temp"), not a secret.
    for (const value of [cookies?.ssId, cookies?.ssPid])
      if (value !== undefined) cookieValues.add(value);
  };
  const errors: unknown[] = [];
  const fail = async (promise: Promise<unknown>): Promise<void> => {
    errors.push(await rejectionOf(promise));
  };
  const withFault = async (
    fault: Parameters<Sandbox["faults"]["inject"]>[0],
    run: () => Promise<void>,
  ): Promise<void> => {
    const id = sandbox.faults.inject(fault);
    try {
      await run();
    } finally {
      sandbox.faults.remove(id);
    }
  };

  const client = make({ auth: credentials, timeoutMs: 300 });
  await client.signIn();
  remember(client.sessionCookies());
  const stored = make({ auth: { type: "session", cookies: client.sessionCookies() ?? {} } });
  const foreign = sandbox.data.accounts.find(
    (account) => !user.accountIds.includes(account.id ?? ""),
  );

  await fail(make({ auth: { ...credentials, password: WRONG_PASSWORD } }).listSessions());
  await fail(
    make({
      auth: { type: "basic", userName: user.userName, password: WRONG_PASSWORD },
    }).listSessions(),
  );
  await fail(make({}).listSessions());
  await fail(client.listSessions({ accountIds: [foreign?.id ?? ""] }));
  await fail(client.getSession("no-such-session"));
  const stricter = make({
    auth: credentials,
    fetch: (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === "/sessions") url.searchParams.set("startDate", "yesterday");
      return fetch(url, init);
    },
  });
  await fail(stricter.listSessions());
  remember(stricter.sessionCookies());
  await fail(client.listSessions({ countPerPage: -1 }));
  await fail(client.listSessions({}, { signal: AbortSignal.abort() }));
  await withFault(
    { route: "sessions", fault: { type: "status", status: 429, retryAfterSeconds: 1 } },
    () => fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "status", status: 500 } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "reset" } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "hang" } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "truncate" } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "malformed-json" } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "sessions", fault: { type: "html" } }, () =>
    fail(client.listSessions()),
  );
  await withFault({ route: "auth", fault: { type: "html" } }, async () => {
    await fail(make({ auth: credentials }).signIn());
  });
  await withFault({ route: "sessions", fault: { type: "drift" }, times: 1 }, async () => {
    await client.listSessions({ countPerPage: 3 });
  });
  // Expiry: the stored session cannot renew; the credentials client signs in again.
  sandbox.faults.expireAllSignIns();
  await fail(stored.listSessions());
  await client.listSessions({ countPerPage: 1 });
  remember(client.sessionCookies());
  const repeating = make({
    auth: credentials,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname === "/sessions") url.searchParams.set("page", "0");
      const response = await fetch(url, init);
      if (url.pathname !== "/sessions") return response;
      const body = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...body, hasMorePages: true }), { status: 200 });
    },
  });
  await fail(
    (async () => {
      for await (const _page of repeating.paginate({ simplifiedPaging: true }, { pageSize: 5 })) {
        // reading until the guard stops it
      }
    })(),
  );
  remember(repeating.sessionCookies());
  await client.signOut();

  const codes = new Set(errors.map((error) => (error as EvoVoiceError).code));
  expect([...codes].sort()).toEqual(
    [
      "aborted",
      "connection_failed",
      "invalid_query",
      "invalid_request",
      "not_found",
      "not_signed_in",
      "paging_stalled",
      "permission_denied",
      "rate_limited",
      "server_error",
      "sign_in_failed",
      "timeout",
      "undecodable_response",
    ].sort(),
  );
  expect(errors.every((error) => error instanceof EvoVoiceError)).toBe(true);
  expect(log.of("onSignIn").length).toBeGreaterThanOrEqual(2);
  expect(log.of("onDecodeWarnings").length).toBeGreaterThanOrEqual(1);
  expect(cookieValues.size).toBeGreaterThanOrEqual(3);

  const basicToken = (password: string): string =>
    Buffer.from(`${user.userName}:${password}`).toString("base64");
  const secrets = [
    user.password,
    WRONG_PASSWORD,
    basicToken(user.password),
    basicToken(WRONG_PASSWORD),
    ...cookieValues,
  ];
  const texts: string[] = [];
  for (const error of errors) {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
      texts.push(
        String(current),
        JSON.stringify(current) ?? "",
        inspect(current, { depth: 8, showHidden: true }),
      );
      if (current instanceof Error) texts.push(current.message, current.stack ?? "");
      current = current instanceof Error ? current.cause : undefined;
    }
  }
  texts.push(JSON.stringify(log.events), inspect(log.events, { depth: 8 }));
  for (const each of clients)
    texts.push(inspect(each, { depth: 8, showHidden: true }), JSON.stringify(each));

  const leaks = secrets.flatMap((secret) =>
    texts
      .filter((text) => text.includes(secret))
      .map((text) => `${secret.slice(0, 4)}… in ${text.slice(0, 200)}`),
  );
  expect(leaks).toEqual([]);
  // The scan looked at real text: messages name the user, just never the secrets.
  expect(texts.some((text) => text.includes(user.userName))).toBe(true);
});

it("redacts a short password, the Basic token, a bearer token and cookie values when the server echoes them", async () => {
  const user = userOf(sandbox, "single");
  // Passwords this short were once exempt from redaction; the sandbox knows only the real one,
  // so the wrapper swaps it in on the way out and the server "echoes" what the client sent.
  const SHORT = "pw1";
  const basicOf = (password: string): string =>
    Buffer.from(`${user.userName}:${password}`).toString("base64");
  const BEARER = "tk9";
  const echoed: string[] = [];
  const echo = (message: string): Response => {
    echoed.push(message);
    return Response.json(
      {
        responseStatus: {
          errorCode: "ArgumentException",
          message,
          errors: [{ errorCode: "Invalid", fieldName: "password", message }],
        },
      },
      { status: 400 },
    );
  };
  const echoingFetch =
    (mode: "cookies" | "bearer"): typeof fetch =>
    async (input, init) => {
      const url = new URL(String(input));
      const headers = new Headers(init?.headers);
      if (url.pathname === "/auth/credentials") {
        const body = JSON.parse(String(init?.body)) as { password: string };
        const response = await fetch(url, {
          ...init,
          body: JSON.stringify({ ...body, password: user.password }),
        });
        if (mode === "cookies") return response;
        // A host answering with a bearer token instead of cookies.
        return Response.json({ userName: user.userName, bearerToken: BEARER });
      }
      if (headers.get("authorization")?.startsWith("Basic ")) {
        return echo(`Basic ${basicOf(SHORT)} from ${user.userName} with password ${SHORT} refused`);
      }
      const cookie = headers.get("cookie") ?? "";
      const ssId = /ss-id=([^;]+)/.exec(cookie)?.[1] ?? "";
      const ssPid = /ss-pid=([^;]+)/.exec(cookie)?.[1] ?? "";
      return echo(
        mode === "cookies"
          ? `Session ${ssId} (permanent ${ssPid}, ss-opt=perm) of ${user.userName} rejects password ${SHORT}; json "${JSON.stringify(SHORT)}", url ${encodeURIComponent(SHORT)}`
          : `Bearer ${headers.get("authorization")?.slice(7) ?? ""} for ${user.userName} rejects password ${SHORT}`,
      );
    };
  const log = recordHooks();
  const make = (auth: EvoVoiceClientOptions["auth"], mode: "cookies" | "bearer") =>
    createEvoVoiceClient({
      baseUrl: sandbox.url,
      auth,
      hooks: log.hooks,
      retry: false,
      fetch: echoingFetch(mode),
    });

  const withCookies = make(
    { type: "credentials", userName: user.userName, password: SHORT },
    "cookies",
  );
  await withCookies.signIn();
  const cookies = withCookies.sessionCookies();
  const errors = [
    await rejectionOf(withCookies.listSessions()),
    await rejectionOf(
      make(
        { type: "credentials", userName: user.userName, password: SHORT },
        "bearer",
      ).listSessions(),
    ),
    await rejectionOf(
      make({ type: "basic", userName: user.userName, password: SHORT }, "cookies").listSessions(),
    ),
  ];

  const secrets = [SHORT, basicOf(SHORT), BEARER, cookies?.ssId ?? "?", cookies?.ssPid ?? "?"];
  // The server really did echo every secret, and every error carries the server's words.
  for (const secret of secrets) expect(echoed.some((text) => text.includes(secret))).toBe(true);
  expect(errors.every((error) => error instanceof EvoVoiceError)).toBe(true);
  const texts = errors.flatMap((error) => [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 8, showHidden: true }),
  ]);
  texts.push(JSON.stringify(log.events));
  for (const secret of secrets) {
    expect(texts.filter((text) => text.includes(secret))).toEqual([]);
  }
  expect(texts.filter((text) => text.includes("[redacted]")).length).toBeGreaterThanOrEqual(3);
  // ss-opt is a flag, not a secret: it stays readable.
  expect(cookies?.ssOpt).toBe("perm");
  expect(texts.some((text) => text.includes("ss-opt=perm"))).toBe(true);
});
