import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ADMIN_USER,
  DEMO_USER,
  MSP_USER,
  SANDBOX_ACCOUNT_IDS,
  type Sandbox,
} from "../src/index.js";
import { basic, getJson, startTestSandbox } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 300 });
});
afterAll(() => sandbox.close());

/** Cookie header from a response's Set-Cookie lines (name=value pairs only). */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] as string)
    .join("; ");
}

function setCookies(response: Response): Map<string, string> {
  return new Map(
    response.headers.getSetCookie().map((line) => [line.split("=")[0] as string, line]),
  );
}

async function signIn(
  target: Sandbox,
  body: Record<string, unknown>,
  options: { path?: string; form?: boolean } = {},
): Promise<Response> {
  const form = options.form === true;
  return fetch(`${target.url}${options.path ?? "/auth/credentials"}`, {
    method: "POST",
    headers: {
      "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json",
      Accept: "application/json",
    },
    body: form
      ? new URLSearchParams(
          Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]),
        ).toString()
      : JSON.stringify(body),
  });
}

describe("sign-in", () => {
  it("accepts JSON credentials and answers ServiceStack's AuthenticateResponse with session cookies", async () => {
    const response = await signIn(sandbox, {
      provider: "credentials",
      userName: "demo",
      password: "demo-password",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      userName: "demo",
      displayName: DEMO_USER.displayName,
      userId: expect.any(String),
      sessionId: expect.any(String),
    });
    const cookies = setCookies(response);
    expect([...cookies.keys()].sort()).toEqual(["ss-id", "ss-opt", "ss-pid"]);
    expect(cookies.get("ss-opt")).toMatch(/^ss-opt=temp;/);
    expect(cookies.get("ss-id")).not.toMatch(/expires=/);
    const listed = await fetch(`${sandbox.url}/sessions?countPerPage=1`, {
      headers: { Cookie: cookieHeader(response) },
    });
    expect(listed.status).toBe(200);
  });

  it("accepts a form body, any letter case of names, and /auth with provider=credentials", async () => {
    const form = await signIn(
      sandbox,
      { UserName: "msp", Password: "msp-password" },
      { form: true },
    );
    expect(form.status).toBe(200);
    const viaAuth = await signIn(
      sandbox,
      { provider: "credentials", username: "MSP", password: "msp-password" },
      { path: "/auth" },
    );
    expect(viaAuth.status).toBe(200);
    expect(((await viaAuth.json()) as { userName: string }).userName).toBe("msp");
  });

  it("rememberMe makes ss-pid permanent and sets ss-opt=perm; the permanent cookie alone signs in", async () => {
    const response = await signIn(sandbox, {
      userName: "admin",
      password: "admin-password",
      rememberMe: true,
    });
    const cookies = setCookies(response);
    expect(cookies.get("ss-opt")).toMatch(/^ss-opt=perm;.*expires=/);
    expect(cookies.get("ss-pid")).toMatch(/expires=/);
    const permanentOnly = cookieHeader(response)
      .split("; ")
      .filter((c) => !c.startsWith("ss-id="))
      .join("; ");
    const status = await getJson(sandbox, "/auth/status", { Cookie: permanentOnly });
    expect(status.body.isAuthenticated).toBe(true);
  });

  it("a wrong password answers 401 Invalid UserName or Password", async () => {
    const response = await signIn(sandbox, { userName: "demo", password: "nope" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      responseStatus: { errorCode: "Unauthorized", message: "Invalid UserName or Password" },
    });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("missing credentials answer 400 naming the fields; a broken JSON body answers 400", async () => {
    const response = await signIn(sandbox, { userName: "demo" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { responseStatus: { errors: { fieldName: string }[] } };
    expect(body.responseStatus.errors.map((e) => e.fieldName)).toEqual(["Password"]);
    const broken = await fetch(`${sandbox.url}/auth/credentials`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{oops",
    });
    expect(broken.status).toBe(400);
  });

  it("never echoes the password in any response", async () => {
    const response = await signIn(sandbox, { userName: "demo", password: "secret-attempt-123" });
    expect(await response.text()).not.toContain("secret-attempt-123");
  });
});

describe("Basic authentication and 401s", () => {
  it("Authorization: Basic works on any request without a cookie", async () => {
    expect((await getJson(sandbox, "/sessions?countPerPage=1", basic("demo"))).status).toBe(200);
    const status = await getJson(sandbox, "/auth/status", basic("demo"));
    expect(status.body).toMatchObject({ isAuthenticated: true, id: DEMO_USER.userId });
  });

  it("bad Basic credentials and no credentials answer 401 with a responseStatus", async () => {
    const bad = await getJson(sandbox, "/sessions", basic("demo", "wrong"));
    expect(bad.status).toBe(401);
    expect(bad.body.responseStatus).toMatchObject({ errorCode: "Unauthorized" });
    const none = await getJson(sandbox, "/sessions", {});
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      responseStatus: { errorCode: "Unauthorized", message: "Not Authenticated" },
    });
    expect(none.headers.get("www-authenticate")).toContain("credentials");
    expect((await getJson(sandbox, "/sessions/abc", {})).status).toBe(401);
    expect((await getJson(sandbox, "/auth", {})).status).toBe(401);
  });
});

describe("GET /auth/status", () => {
  it("lists the user's accounts as parallel id and name arrays", async () => {
    const { body } = await getJson(sandbox, "/auth/status", basic("msp"));
    expect(body).toMatchObject({
      id: MSP_USER.userId,
      isAuthenticated: true,
      firstName: "Morgan",
      lastName: "Reyes",
      name: "Morgan Reyes",
      emailAddress: "msp@example.com",
    });
    expect(body.accountIds).toEqual(MSP_USER.accountIds);
    const names = new Map(sandbox.data.accounts.map((a) => [a.id, a.name]));
    expect(body.accountNames).toEqual(MSP_USER.accountIds.map((id) => names.get(id)));
  });

  it("the administrator sees every account and has admin roles", async () => {
    const { body } = await getJson(sandbox, "/auth/status", basic("admin"));
    expect(body.accountIds).toEqual(sandbox.data.accounts.map((a) => a.id));
    expect(body.roles).toEqual(ADMIN_USER.roles);
  });

  // The signed-out variants (200 null, 204, 401) are in auth-status.test.ts.
  it("signed out it answers isAuthenticated false by default", async () => {
    const { status, body } = await getJson(sandbox, "/auth/status", {});
    expect(status).toBe(200);
    expect(body).toEqual({ isAuthenticated: false });
  });
});

describe("sign-out and expiry", () => {
  it("logout (GET or POST) ends the sign-in and clears the cookies", async () => {
    for (const method of ["GET", "POST"]) {
      const cookie = cookieHeader(
        await signIn(sandbox, { userName: "demo", password: "demo-password" }),
      );
      const out = await fetch(`${sandbox.url}/auth/logout`, {
        method,
        headers: { Cookie: cookie },
      });
      expect(out.status).toBe(200);
      expect(
        out.headers.getSetCookie().every((line) => /expires=Thu, 01 Jan 1970/.test(line)),
      ).toBe(true);
      expect((await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } })).status).toBe(
        401,
      );
    }
  });

  it("POST /auth with provider=logout signs out too", async () => {
    const cookie = cookieHeader(
      await signIn(sandbox, { userName: "demo", password: "demo-password" }),
    );
    const out = await fetch(`${sandbox.url}/auth`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
      body: '{"provider":"logout"}',
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } })).status).toBe(
      401,
    );
  });

  it("a sign-in expires after sessionTtlMs without use, and use keeps it alive", async () => {
    // Sign-ins age by the clock: faked (Date only, timers stay real), so that the test moves it.
    vi.useFakeTimers({ toFake: ["Date"] });
    const short = await startTestSandbox({ sessions: 20, sessionTtlMs: 600 });
    try {
      const cookie = cookieHeader(
        await signIn(short, { userName: "demo", password: "demo-password" }),
      );
      for (let i = 0; i < 4; i++) {
        vi.advanceTimersByTime(150);
        expect(
          (await fetch(`${short.url}/sessions?countPerPage=1`, { headers: { Cookie: cookie } }))
            .status,
        ).toBe(200);
      }
      vi.advanceTimersByTime(601);
      const expired = await fetch(`${short.url}/sessions`, { headers: { Cookie: cookie } });
      expect(expired.status).toBe(401);
      // Signing in again works straight away.
      const again = cookieHeader(
        await signIn(short, { userName: "demo", password: "demo-password" }),
      );
      expect((await fetch(`${short.url}/sessions`, { headers: { Cookie: again } })).status).toBe(
        200,
      );
    } finally {
      vi.useRealTimers();
      await short.close();
    }
  });

  it("faults.expireAllSignIns() ends every cookie sign-in", async () => {
    const cookie = cookieHeader(
      await signIn(sandbox, { userName: "msp", password: "msp-password" }),
    );
    sandbox.faults.expireAllSignIns();
    expect((await fetch(`${sandbox.url}/sessions`, { headers: { Cookie: cookie } })).status).toBe(
      401,
    );
  });
});

describe("account access", () => {
  it("asking for another user's account answers 403 with a responseStatus", async () => {
    const { status, body } = await getJson(
      sandbox,
      `/sessions?accountIds=${SANDBOX_ACCOUNT_IDS.summitPlumbing}`,
      basic("demo"),
    );
    expect(status).toBe(403);
    expect(body.responseStatus).toMatchObject({ errorCode: "Forbidden" });
    const mixed = await getJson(
      sandbox,
      `/sessions?accountIds=${SANDBOX_ACCOUNT_IDS.acmeDental},${SANDBOX_ACCOUNT_IDS.harborLegal}`,
      basic("demo"),
    );
    expect(mixed.status).toBe(403);
  });

  it("a user only ever sees sessions of their own accounts", async () => {
    const { body } = await getJson(sandbox, "/sessions?all=true&searchArchive=true", basic("demo"));
    const accounts = new Set((body.items as { accountId: string }[]).map((i) => i.accountId));
    expect([...accounts]).toEqual([SANDBOX_ACCOUNT_IDS.acmeDental]);
  });

  it("the administrator may ask for any account", async () => {
    const { status, body } = await getJson(
      sandbox,
      `/sessions?all=true&searchArchive=true&accountIds=${SANDBOX_ACCOUNT_IDS.evoInternalQa}`,
      basic("admin"),
    );
    expect(status).toBe(200);
    expect((body.items as unknown[]).length).toBeGreaterThan(0);
  });
});
