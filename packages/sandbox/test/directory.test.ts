import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_IDS, generateDataset, type Sandbox } from "../src/index.js";
import { TEST_NOW, basic, getJson, startTestSandbox } from "./helpers.js";
import {
  type Expected,
  type Paging,
  accountsOf,
  expectCustomers,
  expectEndpoints,
  expectFlows,
  expectPage,
  toQuery,
} from "./directory-oracle.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

type ListBody = {
  items: { id: string }[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages: boolean;
};

async function list(path: string, user: string): Promise<Expected> {
  const { status, body } = await getJson(sandbox, path, basic(user));
  expect(status, JSON.stringify(body)).toBe(200);
  const page = body as unknown as ListBody;
  const answer: Expected = { ids: page.items.map((i) => i.id), hasMorePages: page.hasMorePages };
  if ("totalCount" in page) answer.totalCount = page.totalCount;
  if ("totalPages" in page) answer.totalPages = page.totalPages;
  return answer;
}

const acme = SANDBOX_ACCOUNT_IDS.acmeDental;

describe("the directory and the sessions agree", () => {
  it("every endpoint, customer and answerer a session names resolves, under the same name", () => {
    const data = sandbox.data;
    const endpoints = new Map(data.endpointDetails!.map((e) => [e.id, e]));
    const customers = new Map(data.customerDetails!.map((c) => [c.id, c]));
    for (const session of data.sessions) {
      const endpoint = endpoints.get(session.endpointId!);
      expect(endpoint?.displayName).toBe(session.endpointName);
      expect(endpoint?.accountId).toBe(session.accountId);
      if (session.answeredById !== undefined)
        expect(endpoints.get(session.answeredById)?.type).toBe("User");
      for (const member of session.members ?? [])
        if (member.endpointId !== undefined) expect(endpoints.has(member.endpointId)).toBe(true);
      if (session.customerId !== undefined) {
        const customer = customers.get(session.customerId);
        expect(customer?.name).toBe(session.customerName);
        expect(customer?.breadcrumb).toEqual(session.customerBreadcrumb);
      }
    }
  });

  it("every flow a session's log enters is a flow of its account", () => {
    const data = sandbox.data;
    for (const session of data.sessions) {
      const entered = session.log?.find((e) => e.message?.startsWith("Entered flow '"));
      if (entered === undefined) continue;
      const name = /'(.+)'/.exec(entered.message!)?.[1];
      expect(
        data.flows!.some((f) => f.accountId === session.accountId && f.name === name),
        name,
      ).toBe(true);
    }
  });

  it("is the same for the same seed and draws nothing from the sessions' random stream", async () => {
    const plain = generateDataset({ sessions: 1200, seed: 7, now: TEST_NOW });
    expect(sandbox.data.sessions).toEqual(plain.sessions);
    const again = await startTestSandbox();
    try {
      expect(again.data.endpointDetails).toEqual(sandbox.data.endpointDetails);
      expect(again.data.customerDetails).toEqual(sandbox.data.customerDetails);
    } finally {
      await again.close();
    }
  });
});

describe("ListCustomers and GetCustomer", () => {
  const data = () => sandbox.data;
  const westside = () => data().customerDetails!.find((c) => c.name === "Westside Clinic")!;
  const acmeRoot = () => data().customerDetails!.find((c) => c.name === "Acme Dental")!;
  const vip = () =>
    data()
      .customerDetails!.filter((c) => c.accountId === acme)
      .flatMap((c) => c.tags ?? [])
      .find((t) => t.name === "VIP")!;

  it.each([
    ["demo", {}],
    ["admin", { countPerPage: 7, page: 2 }],
    ["admin", { all: true }],
    ["msp", { simplifiedPaging: true, countPerPage: 3, page: 1 }],
    ["msp", { nameFilter: "CLINIC" }],
    ["admin", { sortField: "breadcrumb", sortOrder: "Descend" as const }],
    ["admin", { sortField: "dateCreated" }],
  ])("%s %j matches the oracle", async (user, q) => {
    expect(await list(`/customers${toQuery(q)}`, user)).toEqual(expectCustomers(data(), user, q));
  });

  it("filters by parent (deep and shallow), tags and accounts", async () => {
    const root = acmeRoot().id!;
    for (const q of [
      { parentCustomerIds: [root] },
      { parentCustomerIds: [root], shallowParent: true },
      { tagIds: [vip().id!], accountIds: [acme] },
      { specificIds: [westside().id!, root] },
    ]) {
      const expected = expectCustomers(data(), "admin", q);
      expect(expected.ids.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(await list(`/customers${toQuery(q)}`, "admin")).toEqual(expected);
    }
  });

  it("GET /customers/{id} answers the customer with its breadcrumb; 404 naming the field otherwise", async () => {
    const customer = westside();
    const { status, body } = await getJson(sandbox, `/customers/${customer.id}`, basic("customer"));
    expect(status).toBe(200);
    expect(body).toEqual(customer);
    expect((body.breadcrumb as { name: string }[]).at(-1)?.name).toBe("Westside Clinic");
    const summit = data().customerDetails!.find((c) => c.accountId !== acme)!;
    for (const id of ["0000000000000000000000000000beef", summit.id!]) {
      const missing = await getJson(sandbox, `/customers/${id}`, basic("demo"));
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        responseStatus: { errorCode: "NotFound", errors: [{ fieldName: "CustomerId" }] },
      });
    }
  });
});

describe("ListEndpoints and GetEndpoint", () => {
  const data = () => sandbox.data;

  it.each([
    ["demo", {}],
    ["demo", { types: ["User"] }],
    ["admin", { types: ["PhoneNumber", "Team"], countPerPage: 5, page: 1 }],
    ["msp", { nameFilter: "a", sortField: "type", sortOrder: "Descend" as const }],
    ["admin", { phoneNumberFilter: "555 21" }],
    ["admin", { phoneNumberFilter: "+1555", simplifiedPaging: true }],
    ["admin", { all: true, sortField: "customerName" }],
  ])("%s %j matches the oracle", async (user, q) => {
    expect(await list(`/endpoints${toQuery(q)}`, user)).toEqual(expectEndpoints(data(), user, q));
  });

  it("type=User (as verified on staging) and the flow and customer filters", async () => {
    const flow = data().flows!.find((f) => f.accountId === acme && f.name !== "User Dial Out")!;
    const root = data().customerDetails!.find((c) => c.name === "Acme Dental")!.id!;
    const byType = await list(`/endpoints?type=user&all=true`, "demo");
    expect(byType).toEqual(expectEndpoints(data(), "demo", { types: ["User"], all: true }));
    for (const q of [
      { flowIds: [flow.id!] },
      { customerIds: [root] },
      { customerIds: [root], shallowParent: true },
    ]) {
      const expected = expectEndpoints(data(), "demo", q);
      expect(expected.ids.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(await list(`/endpoints${toQuery(q)}`, "demo")).toEqual(expected);
    }
  });

  it("user endpoints carry first and last name, email and mode (or one `name` when configured)", async () => {
    const agent = data().endpointDetails!.find((e) => e.type === "User" && e.accountId === acme)!;
    const { body } = await getJson(sandbox, `/endpoints/${agent.id}`, basic("demo"));
    expect(body).toEqual(agent);
    expect(`${body.firstName as string} ${body.lastName as string}`).toBe(agent.displayName);
    expect(body).toMatchObject({ userMode: expect.any(String), emailAddress: expect.any(String) });
    const named = await startTestSandbox({
      sessions: 50,
      behaviour: { endpointUserNames: "name" },
    });
    try {
      const user = named.data.endpointDetails!.find((e) => e.type === "User")!;
      const one = await getJson(named, `/endpoints/${user.id}`);
      expect(one.body.name).toBe(user.displayName);
      expect(one.body).not.toHaveProperty("firstName");
    } finally {
      await named.close();
    }
  });

  it("a bad enum is a binding error and an unknown sortField a validation error, each naming its field", async () => {
    const badType = await getJson(sandbox, "/endpoints?Type=Robot");
    expect(badType.status).toBe(400);
    expect(badType.body).toMatchObject({
      responseStatus: {
        errorCode: "SerializationException",
        message: "Unable to bind to request 'ListEndpoints'",
        errors: [{ fieldName: "Type" }],
      },
    });
    const badSort = await getJson(sandbox, "/endpoints?sortField=colour");
    expect(badSort.status).toBe(400);
    expect(badSort.body).toMatchObject({
      responseStatus: { errors: [{ fieldName: "sortField" }] },
    });
    const badPage = await getJson(sandbox, "/customers?page=-1");
    expect(badPage.body).toMatchObject({ responseStatus: { errorCode: "GreaterThanOrEqual" } });
  });
});

describe("ListFlows, GetFlow, ListAccounts and GetAccount", () => {
  const data = () => sandbox.data;

  it.each([
    ["demo", {}],
    ["admin", { role: "UserDialOut" }],
    ["admin", { nameFilter: "hours", countPerPage: 2 }],
    ["msp", { sortField: "nodeCount", sortOrder: "Descend" as const, simplifiedPaging: true }],
  ])("flows: %s %j matches the oracle", async (user, q) => {
    expect(await list(`/flows${toQuery(q)}`, user)).toEqual(expectFlows(data(), user, q));
  });

  it("GET /flows/{id} answers the flow's top-level fields", async () => {
    const flow = data().flows!.find((f) => f.accountId === acme)!;
    const { status, body } = await getJson(sandbox, `/flows/${flow.id}`, basic("demo"));
    expect(status).toBe(200);
    expect(body).toEqual(flow);
  });

  it("accounts: each user lists the accounts they reach, filtered and paged", async () => {
    for (const [user, q] of [
      ["demo", {}],
      ["msp", { nameFilter: "r", countPerPage: 2 }],
      ["admin", { sortField: "dateCreated", sortOrder: "Descend" as const }],
    ] as const) {
      const reachable = data().accounts.filter((a) => accountsOf(data(), user).includes(a.id!));
      const named = reachable.filter(
        (a) => !("nameFilter" in q) || a.name!.toLowerCase().includes(q.nameFilter),
      );
      expect(await list(`/accounts${toQuery(q)}`, user)).toEqual(
        expectPage(named as never, q as Paging, "name"),
      );
    }
    const one = await getJson(sandbox, `/accounts/${acme}`, basic("demo"));
    expect(one.body).toEqual(data().accounts.find((a) => a.id === acme));
    const other = await getJson(
      sandbox,
      `/accounts/${SANDBOX_ACCOUNT_IDS.summitPlumbing}`,
      basic("demo"),
    );
    expect(other.status).toBe(404);
  });
});

describe("roles", () => {
  const forbidden = {
    responseStatus: { errorCode: "Forbidden", message: expect.stringMatching(/^Invalid Role/) },
  };

  it("customers, endpoints and flows need SystemAdministrator, Manager or Customer", async () => {
    for (const path of [
      "/customers",
      "/endpoints",
      "/flows",
      "/flows/x",
      "/customers/x",
      "/endpoints/x",
    ]) {
      for (const user of ["agent", "wallboard"]) {
        const { status, body } = await getJson(sandbox, path, basic(user));
        expect(status, `${user} ${path}`).toBe(403);
        expect(body).toMatchObject(forbidden);
      }
      for (const user of ["customer", "demo", "msp", "admin"])
        expect((await getJson(sandbox, `${path}?countPerPage=1`, basic(user))).status).not.toBe(
          403,
        );
    }
  });

  it("an account the user cannot reach is a 403, as for sessions; without a sign-in a 401", async () => {
    const other = await getJson(
      sandbox,
      `/endpoints?accountIds=${SANDBOX_ACCOUNT_IDS.summitPlumbing}`,
      basic("demo"),
    );
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ responseStatus: { errorCode: "Forbidden" } });
    expect((await getJson(sandbox, "/customers", {})).status).toBe(401);
  });

  it("ListAccounts is open to any signed-in user, or to administrators only when configured", async () => {
    expect((await getJson(sandbox, "/accounts", basic("agent"))).status).toBe(200);
    const strict = await startTestSandbox({
      sessions: 20,
      behaviour: { accountsAccess: "administrators", forbiddenBody: "empty" },
    });
    try {
      const denied = await fetch(`${strict.url}/accounts`, { headers: basic("msp") });
      expect(denied.status).toBe(403);
      expect(await denied.text()).toBe("");
      expect((await getJson(strict, "/accounts", basic("admin"))).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
