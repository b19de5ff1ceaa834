import { createServer, type Server } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { createEvoVoiceClient } from "../../src/client/create-client.js";
import { parseRetryAfterMs } from "../../src/client/retry-policy.js";
import {
  RateLimitedError,
  ServerError,
  UndecodableResponseError,
} from "../../src/errors/response-errors.js";
import { AbortedError, ConnectionError, TimeoutError } from "../../src/errors/transport-errors.js";
import { clientFor, rejectionOf, requestsTo, useSmallSandbox } from "./sandbox-harness.js";

const sandbox = await useSmallSandbox();

/** A signed-in client, so that the counted requests are the ones under test. */
async function signedInClient(options: Parameters<typeof clientFor>[2] = {}) {
  const harness = clientFor(sandbox, "single", options);
  await harness.client.signIn();
  return { ...harness, start: sandbox.requests.length };
}

describe("retries", () => {
  it.each([408, 500, 502, 503] as const)(
    "retries a %i and returns the page that follows",
    async (status) => {
      const { client, log, start } = await signedInClient();
      sandbox.faults.inject({ route: "sessions", fault: { type: "status", status }, times: 2 });

      const page = await client.listSessions({ countPerPage: 3 });

      expect(page.items).toHaveLength(3);
      expect(requestsTo(sandbox, "/sessions", start).map((record) => record.status)).toEqual([
        status,
        status,
        200,
      ]);
      expect(log.of("onRetry").map((event) => event.reason)).toEqual([
        `HTTP ${status}`,
        `HTTP ${status}`,
      ]);
      expect(log.of("onRetry").map((event) => event.attempt)).toEqual([1, 2]);
    },
  );

  it("gives up after the configured retries with ServerError", async () => {
    const { client, start } = await signedInClient({ retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 502 } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ code: "server_error", status: 502 });
    expect((error as ServerError).message).toMatch(/after 3 attempts.*try again later/i);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(3);
  });

  it("does not retry at all with retry: false", async () => {
    const { client, start } = await signedInClient({ retry: false });
    sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 500 } });

    await expect(client.listSessions()).rejects.toBeInstanceOf(ServerError);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(1);
  });

  it("waits as long as Retry-After says", async () => {
    const { client, log } = await signedInClient({
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5_000 },
    });
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 429, retryAfterSeconds: 1 },
      times: 1,
    });

    // The client's waits run on timers: faked, so that the test moves time, not the machine.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pending = client.listSessions({ countPerPage: 1 });
      while (log.of("onRetry").length === 0) await new Promise((r) => setImmediate(r));
      const [retry] = log.of("onRetry");
      expect(retry?.delayMs).toBe(1000);
      expect(retry?.reason).toMatch(/429.*Retry-After/);
      const requests = (): number => log.of("onRequest").length;
      const atRetry = requests();
      // No replay before the second the server asked for has passed; then exactly one.
      await vi.advanceTimersByTimeAsync(999);
      expect(requests()).toBe(atRetry);
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(requests()).toBe(atRetry + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not wait out a Retry-After longer than maxDelayMs: RateLimitedError with the server's wait, at once", async () => {
    const { client, log, start } = await signedInClient({
      retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2_000 },
    });
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 429, retryAfterSeconds: 120 },
    });

    // "At once" without a stopwatch: timers are faked and never advanced, so a client that
    // slept for any wait at all would never get here.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let error: unknown;
    try {
      error = await rejectionOf(client.listSessions());
    } finally {
      vi.useRealTimers();
    }

    expect(log.of("onRetry")).toEqual([]);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(1);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: "rate_limited", status: 429, retryAfterMs: 120_000 });
    expect((error as RateLimitedError).message).toMatch(/wait 120 s/i);
  });

  it("reports a 503 whose Retry-After is too long as ServerError naming the wait, without retrying", async () => {
    const { client, log } = await signedInClient({
      retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2_000 },
    });
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 503, retryAfterSeconds: 60 },
    });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toMatch(/asked to wait 60 s/);
    expect(log.of("onRetry")).toEqual([]);
  });

  it("reports a 408 that persists as TimeoutError with the status and the attempts", async () => {
    const { client, start } = await signedInClient({ retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 408 } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", status: 408, timeoutMs: undefined });
    expect((error as TimeoutError).message).toMatch(
      /timed out handling GET \/sessions \(408 Request Timeout\) after 3 attempts\. Try again later/,
    );
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(3);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-20T12:00:00Z");
    expect(parseRetryAfterMs("3", now)).toBe(3000);
    expect(parseRetryAfterMs("Fri, 20 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfterMs("yesterday", now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it("keeps full-jitter backoff under base * 2^retry", async () => {
    const { client, log } = await signedInClient({
      retry: { retries: 3, baseDelayMs: 4, maxDelayMs: 1_000 },
    });
    sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 }, times: 3 });

    await client.listSessions({ countPerPage: 1 });

    const delays = log.of("onRetry").map((event) => event.delayMs);
    expect(delays).toHaveLength(3);
    delays.forEach((delay, retry) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4 * 2 ** retry);
    });
  });
});

describe("dropped connections and timeouts", () => {
  it("retries a reset connection", async () => {
    const { client, log, start } = await signedInClient();
    sandbox.faults.inject({ route: "sessions", fault: { type: "reset" }, times: 1 });

    const page = await client.listSessions({ countPerPage: 2 });

    expect(page.items).toHaveLength(2);
    expect(log.of("onRetry")[0]?.reason).toMatch(/dropped/);
    expect(requestsTo(sandbox, "/sessions", start).length).toBeGreaterThanOrEqual(1);
  });

  it("reports ConnectionError when every attempt is reset", async () => {
    const { client } = await signedInClient({ retry: { retries: 1, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "reset" } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(
      /dropped \(2 attempts\).*check the base URL/i,
    );
  });

  it("reports ConnectionError for a port nobody listens on", async () => {
    const port = await unusedPort();
    const client = createEvoVoiceClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { retries: 1, baseDelayMs: 1 },
    });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toMatch(/connection refused/);
  });

  it("times out a hung request, retries it, and reports TimeoutError in the end", async () => {
    const { client, log } = await signedInClient({
      timeoutMs: 150,
      retry: { retries: 1, baseDelayMs: 1 },
    });
    sandbox.faults.inject({ route: "sessions", fault: { type: "hang" } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout", timeoutMs: 150 });
    expect(log.of("onRetry").map((event) => event.reason)).toEqual([
      "no complete answer within 150 ms",
    ]);
  });

  it("recovers when only the first attempt hangs", async () => {
    const { client } = await signedInClient({ timeoutMs: 150 });
    sandbox.faults.inject({ route: "sessions", fault: { type: "hang" }, times: 1 });

    await expect(client.listSessions({ countPerPage: 1 })).resolves.toMatchObject({ page: 0 });
  });

  it("rides out injected latency below the timeout", async () => {
    const { client, log } = await signedInClient();
    sandbox.faults.inject({ route: "sessions", fault: { type: "latency", ms: 80 }, times: 1 });

    await client.listSessions({ countPerPage: 1 });

    expect(log.of("onRetry")).toEqual([]);
    const response = log.of("onResponse").at(-1);
    expect(response?.durationMs).toBeGreaterThanOrEqual(70);
  });
});

describe("bodies that are not the API's JSON", () => {
  it("retries a cut-off body and returns the page that follows", async () => {
    const { client, log } = await signedInClient();
    sandbox.faults.inject({ route: "sessions", fault: { type: "truncate" }, times: 1 });

    const page = await client.listSessions({ countPerPage: 3 });

    expect(page.items).toHaveLength(3);
    expect(log.of("onRetry")).toHaveLength(1);
  });

  it("reports UndecodableResponseError when every body is cut off", async () => {
    const { client } = await signedInClient({ retry: { retries: 1, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "truncate" } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(UndecodableResponseError);
    const { message, received } = error as UndecodableResponseError;
    expect(received).toMatch(/cut off/);
    expect(message).toMatch(
      /\(2 attempts\)\. The connection was cut off before the whole answer arrived; try again\./,
    );
    expect(message).not.toMatch(/base URL/);
  });

  it("retries malformed JSON like a cut-off body, then reports UndecodableResponseError", async () => {
    const { client, log, start } = await signedInClient({ retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "malformed-json" } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(UndecodableResponseError);
    const { message, received } = error as UndecodableResponseError;
    expect(received).toMatch(/^malformed JSON/);
    // Broken JSON is the server's fault, not a wrong address: no base-URL advice.
    expect(message).toMatch(
      /instead of JSON \(3 attempts\)\. The server, or a proxy in between, sent broken JSON; try again/,
    );
    expect(message).not.toMatch(/base URL/);
    expect(log.of("onRetry").map((event) => event.reason)).toEqual([
      "malformed JSON",
      "malformed JSON",
    ]);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(3);
  });

  it("says an HTML page arrived (a proxy's 502), after retrying it, and points at the base URL", async () => {
    const { client, log, start } = await signedInClient({ retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.faults.inject({ route: "sessions", fault: { type: "html" } });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(UndecodableResponseError);
    const undecodable = error as UndecodableResponseError;
    expect(undecodable.received).toMatch(/^an HTML page \(text\/html\)/);
    expect(undecodable.status).toBe(502);
    expect(undecodable.message).toContain(sandbox.url);
    expect(undecodable.message).toMatch(/base URL.*proxy/);
    expect(log.of("onRetry")).toHaveLength(2);
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(3);
  });
});

describe("cancelling", () => {
  it("stops waiting to retry at once when the caller aborts", async () => {
    const controller = new AbortController();
    const { client, start } = await signedInClient({
      retry: { retries: 5, baseDelayMs: 1, maxDelayMs: 30_000 },
      hooks: { onRetry: () => controller.abort() },
    });
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 503, retryAfterSeconds: 30 },
    });

    const error = await rejectionOf(client.listSessions({}, { signal: controller.signal }));

    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ code: "aborted" });
    expect(requestsTo(sandbox, "/sessions", start)).toHaveLength(1);
  });

  it("aborts a request in flight", async () => {
    const { client, start } = await signedInClient();
    sandbox.faults.inject({ route: "sessions", fault: { type: "hang" } });
    const controller = new AbortController();

    const pending = rejectionOf(client.listSessions({}, { signal: controller.signal }));
    // Aborted once the sandbox holds the request (it records a hang when it starts), not after
    // a guessed delay.
    while (!requestsTo(sandbox, "/sessions", start).some((r) => r.fault === "hang"))
      await new Promise((resolve) => setImmediate(resolve));
    controller.abort();

    expect(await pending).toBeInstanceOf(AbortedError);
  });

  it("sends nothing when the signal has already fired", async () => {
    const { client, start } = await signedInClient();

    await expect(client.listSessions({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortedError,
    );
    expect(sandbox.requests.length).toBe(start);
  });
});

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
