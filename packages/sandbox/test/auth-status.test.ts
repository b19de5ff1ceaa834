import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_USERS,
  SANDBOX_ACCOUNT_IDS,
  type Sandbox,
  type SandboxBehaviour,
} from "../src/index.js";
import { basic, getJson, startTestSandbox } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 200 });
});
afterAll(() => sandbox.close());

const USER_INFO_KEYS = [
  "id",
  "isAuthenticated",
  "firstName",
  "lastName",
  "name",
  "emailAddress",
  "roles",
  "accountIds",
  "accountNames",
  "managerAccess",
  "dashboardPermissions",
];

describe("GET /auth/status answers UserInfo", () => {
  it("for every demo user: names, roles and parallel account arrays, keys in the page's order", async () => {
    const names = new Map(sandbox.data.accounts.map((a) => [a.id, a.name]));
    for (const user of DEMO_USERS) {
      const { status, body } = await getJson(sandbox, "/auth/status", basic(user.userName));
      expect(status).toBe(200);
      expect(Object.keys(body)).toEqual(USER_INFO_KEYS);
      const accountIds =
        user.kind === "admin" ? sandbox.data.accounts.map((a) => a.id) : user.accountIds;
      expect(body).toMatchObject({
        id: user.userId,
        isAuthenticated: true,
        firstName: user.firstName,
        lastName: user.lastName,
        name: `${user.firstName} ${user.lastName}`,
        roles: user.roles,
        accountIds,
        accountNames: accountIds.map((id) => names.get(id)),
      });
      expect(body).not.toHaveProperty("userName");
      expect(body).not.toHaveProperty("displayName");
    }
  });

  it("spreads the demo users over the pages' roles", () => {
    const roles = new Set(DEMO_USERS.flatMap((u) => u.roles ?? []));
    for (const role of [
      "User",
      "Manager",
      "Customer",
      "SystemAdministrator",
      "CallCenterDashboard",
    ])
      expect(roles.has(role), role).toBe(true);
  });

  it("the older page copies' shape has no managerAccess and no ViewCallCenter", async () => {
    const older = await startTestSandbox({ sessions: 10, behaviour: { userInfoShape: "older" } });
    try {
      const { body } = await getJson(older, "/auth/status", basic("msp"));
      expect(body).not.toHaveProperty("managerAccess");
      expect(body.dashboardPermissions).not.toContain("ViewCallCenter");
      expect(
        (await getJson(sandbox, "/auth/status", basic("msp"))).body.dashboardPermissions,
      ).toContain("ViewCallCenter");
    } finally {
      await older.close();
    }
  });
});

describe("GET /auth/status signed out: each documented variant", () => {
  async function signedOut(variant: SandboxBehaviour["authStatusSignedOut"] | undefined) {
    const server = await startTestSandbox({
      sessions: 10,
      ...(variant === undefined ? {} : { behaviour: { authStatusSignedOut: variant } }),
    });
    try {
      const response = await fetch(`${server.url}/auth/status`);
      return {
        status: response.status,
        text: await response.text(),
        type: response.headers.get("content-type"),
      };
    } finally {
      await server.close();
    }
  }

  it('defaults to 200 {"isAuthenticated":false}', async () => {
    expect(await signedOut(undefined)).toMatchObject({
      status: 200,
      text: '{"isAuthenticated":false}',
    });
  });

  it("answers 200 null, an empty 204 or a 401 when configured", async () => {
    expect(await signedOut("null")).toMatchObject({ status: 200, text: "null" });
    expect(await signedOut("204")).toMatchObject({ status: 204, text: "" });
    const unauthorized = await signedOut("401");
    expect(unauthorized.status).toBe(401);
    expect(JSON.parse(unauthorized.text)).toMatchObject({
      responseStatus: { errorCode: "Unauthorized" },
    });
  });

  it("wrong Basic credentials are a 401 whatever the variant", async () => {
    expect((await getJson(sandbox, "/auth/status", basic("demo", "nope"))).status).toBe(401);
  });
});

describe("ServiceStack's predefined routes", () => {
  const acme = SANDBOX_ACCOUNT_IDS.acmeDental;

  it("answer every operation under /json/reply/{Op} and /api/{Op}, as the custom route does", async () => {
    const session = sandbox.data.sessions.find(
      (s) => s.accountId === acme && s.channel === "Chat",
    )!;
    const customer = sandbox.data.customerDetails!.find((c) => c.accountId === acme)!;
    const pairs: [string, string][] = [
      [
        "ListSessions?countPerPage=3&accountIds=" + acme,
        "/sessions?countPerPage=3&accountIds=" + acme,
      ],
      ["GetSession?sessionId=" + session.id, "/sessions/" + session.id],
      ["GetChatTranscript?sessionId=" + session.id, `/sessions/${session.id}/transcript`],
      ["GetMySessions", "/sessions/my"],
      ["GetActiveSessions", "/sessions/active"],
      ["GetActiveCalls", "/calls/active"],
      ["ListAccounts", "/accounts"],
      ["GetAccount?accountId=" + acme, "/accounts/" + acme],
      ["ListCustomers?nameFilter=clinic", "/customers?nameFilter=clinic"],
      ["GetCustomer?customerId=" + customer.id, "/customers/" + customer.id],
      ["ListEndpoints?type=User", "/endpoints?type=User"],
      ["ListFlows", "/flows"],
      ["GetAuthStatus", "/auth/status"],
    ];
    for (const [operation, custom] of pairs) {
      const expected = await getJson(sandbox, custom, basic("demo"));
      expect(expected.status, custom).toBe(200);
      for (const prefix of ["/json/reply/", "/api/", "/JSON/REPLY/"]) {
        const got = await getJson(sandbox, prefix + operation, basic("demo"));
        expect(got.status, prefix + operation).toBe(200);
        expect(got.body).toEqual(expected.body);
      }
    }
  });

  it("take POST with a JSON body or a form body carrying the DTO's fields", async () => {
    const expected = (
      await getJson(sandbox, `/customers?accountIds=${acme}&countPerPage=2&page=1`, basic("demo"))
    ).body;
    const json = await fetch(`${sandbox.url}/api/ListCustomers`, {
      method: "POST",
      headers: { ...basic("demo"), "Content-Type": "application/json" },
      body: JSON.stringify({ accountIds: [acme], countPerPage: 2, page: 1 }),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(expected);
    const form = await fetch(`${sandbox.url}/json/reply/ListCustomers`, {
      method: "POST",
      headers: { ...basic("demo"), "Content-Type": "application/x-www-form-urlencoded" },
      body: `accountIds=${acme}&countPerPage=2&page=1`,
    });
    expect(await form.json()).toEqual(expected);
    const bad = await fetch(`${sandbox.url}/api/ListCustomers`, {
      method: "POST",
      headers: { ...basic("demo"), "Content-Type": "application/json" },
      body: "[1,2",
    });
    expect(bad.status).toBe(400);
  });

  it("sign in with Authenticate and name a missing id field", async () => {
    const response = await fetch(`${sandbox.url}/api/Authenticate`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ provider: "credentials", userName: "msp", password: "msp-password" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userName: "msp" });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const status = await getJson(sandbox, "/json/reply/GetAuthStatus", { Cookie: cookie });
    expect(status.body).toMatchObject({ isAuthenticated: true, firstName: "Morgan" });
    const missing = await getJson(sandbox, "/api/GetFlow", basic("demo"));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      responseStatus: { errorCode: "NotEmpty", errors: [{ fieldName: "FlowId" }] },
    });
  });

  it(".json and ?format=json work on every route; other formats are a 406", async () => {
    for (const path of [
      "/customers",
      "/endpoints",
      "/flows",
      "/accounts",
      "/calls/active",
      "/sessions/my",
    ]) {
      const plain = await getJson(sandbox, path, basic("demo"));
      expect((await getJson(sandbox, `${path}.json`, basic("demo"))).body).toEqual(plain.body);
      expect((await getJson(sandbox, `${path}?format=json`, basic("demo"))).body).toEqual(
        plain.body,
      );
      expect((await getJson(sandbox, `${path}?format=xml`, basic("demo"))).status).toBe(406);
    }
  });
});
