/**
 * Issue 12: a hanging upstream ends by the deadline; credentials never follow a redirect off the
 * configured origin; plain http to another machine is refused; malformed JSON is retried; the
 * redactor stays bounded under rotating cookies. Small servers on 127.0.0.1 play the upstream.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEvoVoiceClient } from "../../src/client/create-client.js";
import { CookieJar, MAX_COOKIES } from "../../src/client/cookie-jar.js";
import { MAX_REMEMBERED_SECRETS, Redactor } from "../../src/client/redactor.js";
import { EvoVoiceError } from "../../src/errors/evo-voice-error.js";

interface Recorded {
  method: string;
  path: string;
  body: string;
}

interface LocalServer {
  url: string;
  received: Recorded[];
  close(): Promise<void>;
}

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server on 127.0.0.1 that records every request and answers with `handle`. */
async function serve(
  handle: (req: IncomingMessage, res: ServerResponse, recorded: Recorded) => void,
): Promise<LocalServer> {
  const received: Recorded[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", body };
      received.push(recorded);
      handle(req, res, recorded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const local: LocalServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(local);
  return local;
}

const json = (res: ServerResponse, status: number, value: unknown, headers = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(value));
};

const signedIn = { "set-cookie": "ss-id=session-abc; Path=/; HttpOnly" };
const PASSWORD = "hunter2-secret";
const credentials = { type: "credentials", userName: "u@example.com", password: PASSWORD } as const;

async function failure(promise: Promise<unknown>): Promise<EvoVoiceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvoVoiceError);
  return error as EvoVoiceError;
}

describe("deadline", () => {
  it("ends a call to a hanging server by its deadline, saying how long it waited", async () => {
    const hanging = await serve(() => {
      // Never answers.
    });
    const client = createEvoVoiceClient({ baseUrl: hanging.url, deadlineMs: 300 });
    const error = await failure(client.listSessions());
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/within the 300 ms deadline \(waited \d+ ms\)/);
    expect(error.message).toMatch(/Try again/);
    expect(error.toJSON()).toMatchObject({ deadlineMs: 300 });
  });

  it("ends a hanging sign-in by the deadline too, and a per-call deadline overrides the client's", async () => {
    const hanging = await serve(() => {});
    const client = createEvoVoiceClient({
      baseUrl: hanging.url,
      auth: credentials,
      deadlineMs: 60_000,
    });
    const error = await failure(client.listSessions(undefined, { deadlineMs: 250 }));
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/250 ms deadline/);
    expect(error.message).not.toContain(PASSWORD);
  });

  it("does not retry when the backoff would overrun the deadline", async () => {
    const failing = await serve((_req, res) => json(res, 503, {}, { "retry-after": "5" }));
    const client = createEvoVoiceClient({
      baseUrl: failing.url,
      deadlineMs: 1000,
      retry: { retries: 3, maxDelayMs: 10_000 },
    });
    const error = await failure(client.listSessions());
    expect(error.code).toBe("server_error");
    expect(failing.received).toHaveLength(1);
  });

  it("still cancels at once", async () => {
    const hanging = await serve(() => {});
    const client = createEvoVoiceClient({ baseUrl: hanging.url, deadlineMs: 60_000 });
    const controller = new AbortController();
    const pending = client.listSessions(undefined, { signal: controller.signal });
    setImmediate(() => controller.abort());
    expect((await failure(pending)).code).toBe("aborted");
  });
});

describe("redirects", () => {
  it("never sends the password to another origin the sign-in redirects to", async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, {}, signedIn));
    for (const status of [307, 308, 302]) {
      const origin = await serve((_req, res) => {
        res.writeHead(status, { location: `${elsewhere.url}/auth/credentials` });
        res.end();
      });
      const client = createEvoVoiceClient({ baseUrl: origin.url, auth: credentials });
      const error = await failure(client.listSessions());
      expect(error.code).toBe("redirect_refused");
      expect(error.message).toContain(`another host, ${new URL(elsewhere.url).host}`);
      expect(error.message).not.toContain(PASSWORD);
    }
    expect(elsewhere.received).toEqual([]);
  });

  it("does not re-send a sign-in POST on a same-origin redirect", async () => {
    const origin = await serve((req, res) => {
      if (req.url === "/auth/credentials") {
        res.writeHead(307, { location: "/login/credentials" });
        res.end();
      } else json(res, 200, {}, signedIn);
    });
    const client = createEvoVoiceClient({ baseUrl: origin.url, auth: credentials });
    const error = await failure(client.listSessions());
    expect(error.code).toBe("redirect_refused");
    expect(error.message).toMatch(/a POST is never re-sent/);
    expect(origin.received.map((r) => r.path)).toEqual(["/auth/credentials"]);
  });

  it("follows a GET's same-origin redirect, a few hops at most", async () => {
    const origin = await serve((req, res) => {
      if (req.url?.startsWith("/sessions")) {
        res.writeHead(302, { location: "/v2/sessions" });
        res.end();
      } else if (req.url === "/v2/sessions") json(res, 200, { items: [], totalCount: 0 });
      else {
        res.writeHead(301, { location: "/loop" });
        res.end();
      }
    });
    const client = createEvoVoiceClient({ baseUrl: origin.url });
    const page = await client.listSessions();
    expect(page.items).toEqual([]);

    const looping = createEvoVoiceClient({ baseUrl: `${origin.url}/x` });
    const error = await failure(looping.listSessions());
    expect(error.code).toBe("redirect_refused");
    expect(error.message).toMatch(/no more are followed/);
  });

  it("refuses a GET redirected to another origin, naming the host", async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { items: [] }));
    const origin = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/sessions?token=abc` });
      res.end();
    });
    const client = createEvoVoiceClient({ baseUrl: origin.url });
    const error = await failure(client.listSessions());
    expect(error.message).toContain(new URL(elsewhere.url).host);
    expect(error.message).not.toContain("token=abc");
    expect(elsewhere.received).toEqual([]);
  });
});

describe("plain http", () => {
  it("is refused to a host other than this machine unless allowed", () => {
    expect(() =>
      createEvoVoiceClient({ baseUrl: "http://evovoice.example", auth: credentials }),
    ).toThrow(/plain http:\/\/ to evovoice\.example .*allowInsecureHttp/);
    expect(
      createEvoVoiceClient({ baseUrl: "http://evovoice.example", allowInsecureHttp: true }).baseUrl,
    ).toBe("http://evovoice.example");
    expect(createEvoVoiceClient({ baseUrl: "http://localhost:8787" }).baseUrl).toBe(
      "http://localhost:8787",
    );
    expect(createEvoVoiceClient({ baseUrl: "http://[::1]:8787" }).baseUrl).toBe(
      "http://[::1]:8787",
    );
  });
});

describe("malformed and cut-off bodies", () => {
  it("retries a transient malformed JSON body like a cut-off one", async () => {
    let calls = 0;
    const flaky = await serve((_req, res) => {
      calls++;
      if (calls === 1) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"items": [');
      } else json(res, 200, { items: [], totalCount: 0 });
    });
    const client = createEvoVoiceClient({ baseUrl: flaky.url, retry: { baseDelayMs: 1 } });
    expect((await client.listSessions()).items).toEqual([]);
    expect(calls).toBe(2);
  });

  it("reports malformed JSON that persists as passing trouble, not a wrong base URL", async () => {
    const broken = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"items": [');
    });
    const client = createEvoVoiceClient({ baseUrl: broken.url, retry: { baseDelayMs: 1 } });
    const error = await failure(client.listSessions());
    expect(error.toJSON()).toMatchObject({ code: "undecodable_response", kind: "malformed_json" });
    expect(broken.received).toHaveLength(4);
  });
});

describe("bounded memory", () => {
  it("keeps the redactor bounded after 100,000 rotating cookies and still hides the live one", () => {
    const redactor = new Redactor();
    const jar = new CookieJar();
    redactor.pin(PASSWORD);
    for (let i = 0; i < 100_000; i++) {
      jar.absorb(new Headers({ "set-cookie": `lb=rotating-value-${i}; Path=/` }));
      redactor.add(...jar.secretValues());
    }
    expect(redactor.size).toBeLessThanOrEqual(MAX_REMEMBERED_SECRETS + 3);
    const text = redactor.redact(
      `lb=rotating-value-99999 ss-id=forgotten-session Bearer abc.def password ${PASSWORD}`,
    );
    expect(text).not.toContain("rotating-value-99999");
    expect(text).not.toContain("forgotten-session");
    expect(text).not.toContain("abc.def");
    expect(text).not.toContain(PASSWORD);
  });

  it("keeps the cookie jar bounded when every response sets a cookie of a new name", () => {
    const jar = new CookieJar();
    jar.absorb(new Headers({ "set-cookie": "ss-id=keep-me; Path=/" }));
    for (let i = 0; i < 1000; i++) jar.absorb(new Headers({ "set-cookie": `c${i}=v${i}` }));
    const header = jar.header() ?? "";
    expect(header.split("; ")).toHaveLength(MAX_COOKIES);
    expect(header).toContain("ss-id=keep-me");
    expect(header).toContain("c999=v999");
  });
});
