import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, getJson, seedViolations, startTestSandbox } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 300 });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const list = (path = "/sessions?countPerPage=5"): Promise<Response> =>
  fetch(`${sandbox.url}${path}`, { headers: basic("admin") });

/** Raw HTTP GET that reports what arrived and how the connection ended. */
function rawGet(
  path: string,
): Promise<{ status?: number; headers?: Record<string, unknown>; body: string; error?: string }> {
  return new Promise((resolve) => {
    const url = new URL(`${sandbox.url}${path}`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: basic("admin"),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
        res.on("error", (error) =>
          resolve({ status: res.statusCode, headers: res.headers, body, error: error.message }),
        );
        res.on("aborted", () =>
          resolve({ status: res.statusCode, headers: res.headers, body, error: "aborted" }),
        );
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({ body: "", error: error.code ?? error.message }),
    );
    req.end();
  });
}

describe("faults", () => {
  it("latency delays the answer", async () => {
    sandbox.faults.inject({ fault: { type: "latency", ms: 250 }, times: 1 });
    const from = sandbox.requests.length;
    const started = performance.now();
    expect((await list()).status).toBe(200);
    // A lower bound only: a busy machine makes answers slower, never faster.
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    await list();
    // times: 1 — the next request is not delayed (what the sandbox applied, not a stopwatch).
    expect(sandbox.requests.slice(from).map((r) => r.fault)).toEqual(["latency", undefined]);
  });

  it("429 carries Retry-After and a ServiceStack body, for the next N requests only", async () => {
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "status", status: 429, retryAfterSeconds: 3 },
      times: 2,
    });
    for (let i = 0; i < 2; i++) {
      const response = await list();
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("3");
      expect(
        ((await response.json()) as { responseStatus: { errorCode: string } }).responseStatus
          .errorCode,
      ).toBe("TooManyRequests");
    }
    expect((await list()).status).toBe(200);
  });

  for (const status of [408, 500, 502, 503] as const) {
    it(`status ${status} answers with a responseStatus body`, async () => {
      sandbox.faults.inject({ fault: { type: "status", status }, times: 1 });
      const response = await list();
      expect(response.status).toBe(status);
      const body = (await response.json()) as {
        responseStatus: { errorCode: string; message: string };
      };
      expect(body.responseStatus.message).toEqual(expect.any(String));
    });
  }

  it("faults apply only to their route", async () => {
    sandbox.faults.inject({ route: "auth", fault: { type: "status", status: 503 } });
    expect((await list()).status).toBe(200);
    expect((await getJson(sandbox, "/auth/status")).status).toBe(503);
    sandbox.faults.clear();
    const id = sandbox.faults.inject({ route: "session", fault: { type: "status", status: 500 } });
    expect((await list()).status).toBe(200);
    expect(
      (await getJson(sandbox, `/sessions/${sandbox.data.sessions[0]?.id as string}`)).status,
    ).toBe(500);
    sandbox.faults.remove(id);
    expect(
      (await getJson(sandbox, `/sessions/${sandbox.data.sessions[0]?.id as string}`)).status,
    ).toBe(200);
  });

  it("probability applies a fault to about that share of requests", async () => {
    sandbox.faults.inject({ fault: { type: "status", status: 503 }, probability: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => list().then((r) => r.status)),
    );
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
  });

  it("reset drops the connection without an answer", async () => {
    sandbox.faults.inject({ fault: { type: "reset" }, times: 1 });
    const result = await rawGet("/sessions");
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/ECONNRESET|socket hang up/);
    await expect(list()).resolves.toHaveProperty("status", 200);
  });

  it("hang never answers, and close() still finishes promptly", async () => {
    const hung = await startTestSandbox({ sessions: 20 });
    hung.faults.inject({ fault: { type: "hang" } });
    const pending = fetch(`${hung.url}/sessions`, { headers: basic("admin") }).then(
      () => "answered",
      () => "failed",
    );
    // The sandbox records a hung request when it starts hanging: wait for that, not for a timer.
    while (!hung.requests.some((r) => r.fault === "hang"))
      await new Promise((resolve) => setImmediate(resolve));
    // close() resolves although the request is still open, and the client sees it fail: it was
    // never answered.
    await hung.close();
    expect(await pending).toBe("failed");
  });

  it("truncate sends fewer bytes than Content-Length promises, then closes", async () => {
    sandbox.faults.inject({ fault: { type: "truncate" }, times: 1 });
    const result = await rawGet("/sessions?countPerPage=5");
    expect(result.status).toBe(200);
    expect(result.body.length).toBeLessThan(Number(result.headers?.["content-length"]));
    expect(result.error).toBeDefined();
    await expect(list().then((r) => r.text())).resolves.toContain('"items"');
  });

  it("malformed-json answers 200 application/json that does not parse", async () => {
    sandbox.faults.inject({ fault: { type: "malformed-json" }, times: 1 });
    const response = await list();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/json/);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it("html answers a proxy's 502 page", async () => {
    sandbox.faults.inject({ fault: { type: "html" }, times: 1 });
    const response = await list();
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("expire-session answers 401 and ends the sign-in used", async () => {
    const signIn = await fetch(`${sandbox.url}/auth/credentials`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ userName: "demo", password: "demo-password" }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    expect((await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } })).status).toBe(
      200,
    );
    sandbox.faults.inject({ route: "sessions", fault: { type: "expire-session" }, times: 1 });
    const expired = await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } });
    expect(expired.status).toBe(401);
    expect((await expired.json()) as unknown).toEqual({
      responseStatus: { errorCode: "Unauthorized", message: "Not Authenticated" },
    });
    expect((await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } })).status).toBe(
      401,
    );
  });

  it("drift sends unknown enum values, extra properties, missing fields and WCF dates", async () => {
    sandbox.faults.inject({ route: "sessions", fault: { type: "drift" }, times: 1 });
    const body = (await (await list()).json()) as { items: Record<string, unknown>[] };
    const item = body.items[0] as Record<string, unknown>;
    expect(item.callState).toBe("Parked");
    expect(item).toHaveProperty("recordingUrl");
    expect(item).not.toHaveProperty("accountName");
    expect(item.dateCompleted).toMatch(/^\/Date\(\d+-0000\)\/$/);
    // Unknown values and properties, and nothing else the seed forbids (WCF dates are allowed).
    const violations = seedViolations(body);
    expect(violations).toContain("#0 callState: unknown value Parked");
    expect(violations).toContain("#0 recordingUrl: not in the seed");
    expect(violations.filter((v) => !/unknown value|not in the seed/.test(v))).toEqual([]);
    // Only the flags asked for apply.
    sandbox.faults.inject({
      route: "sessions",
      fault: { type: "drift", wcfDates: true },
      times: 1,
    });
    const wcfOnly = (await (await list()).json()) as { items: Record<string, unknown>[] };
    expect(wcfOnly.items[0]?.dateCreated).toMatch(/^\/Date\(/);
    expect(seedViolations(wcfOnly)).toEqual([]);
  });

  it("drift damages only the response it is injected into, not the stored sessions", async () => {
    sandbox.faults.inject({ route: "sessions", fault: { type: "drift" }, times: 1 });
    await list();
    const after = (await (await list()).json()) as unknown;
    expect(seedViolations(after)).toEqual([]);
    const first = (after as { items: { log?: { date: string }[] }[] }).items[0];
    expect(first?.log?.[0]?.date).not.toMatch(/^\/Date\(/);
  });

  it("records every request with its status and fault", async () => {
    const before = sandbox.requests.length;
    sandbox.faults.inject({ fault: { type: "status", status: 503 }, times: 1 });
    await list("/sessions?countPerPage=2");
    await list("/sessions?countPerPage=3");
    const recent = sandbox.requests.slice(before);
    expect(recent).toEqual([
      { method: "GET", path: "/sessions", query: "countPerPage=2", status: 503, fault: "status" },
      { method: "GET", path: "/sessions", query: "countPerPage=3", status: 200 },
    ]);
  });

  it("rejects a bad fault spec with an error naming the field", () => {
    expect(() => sandbox.faults.inject({ fault: { type: "status", status: 418 as 500 } })).toThrow(
      /status/,
    );
    expect(() => sandbox.faults.inject({ fault: { type: "reset" }, probability: 2 })).toThrow(
      /probability/,
    );
    expect(() => sandbox.faults.inject({ fault: { type: "reset" }, times: 0 })).toThrow(/times/);
    expect(() =>
      sandbox.faults.inject({ route: "everything" as "any", fault: { type: "reset" } }),
    ).toThrow(/route/);
  });
});
