import { JsonServiceClient } from "@servicestack/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_IDS, type Sandbox } from "../src/index.js";
import { startTestSandbox } from "./helpers.js";

// "A client that nobody here wrote works against the sandbox unchanged": ServiceStack's own
// JsonServiceClient (on Node's global fetch, managing cookies itself) with DTO classes written
// the way "Add ServiceStack Reference" generates TypeScript DTOs, calling the predefined routes.

interface IReturn<T> {
  createResponse(): T;
}

class ResponseStatus {
  errorCode?: string;
  message?: string;
  errors?: { errorCode?: string; fieldName?: string; message?: string }[];
}

class ListResponse<T> {
  items?: T[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages?: boolean;
  constructor(init?: Partial<ListResponse<T>>) {
    Object.assign(this, init);
  }
}

class ListRequest<T> implements IReturn<ListResponse<T>> {
  page?: number;
  all?: boolean;
  countPerPage?: number;
  specificIds?: string[];
  sortField?: string;
  sortOrder?: "Ascend" | "Descend";
  simplifiedPaging?: boolean;
  constructor(init?: Partial<ListRequest<T>>) {
    Object.assign(this, init);
  }
  getTypeName(): string {
    return "ListRequest`1";
  }
  getMethod(): string {
    return "GET";
  }
  createResponse(): ListResponse<T> {
    return new ListResponse<T>();
  }
}

interface SessionInfo {
  id?: string;
  accountId?: string;
  customerId?: string;
  customerName?: string;
  endpointId?: string;
  endpointName?: string;
  log?: { date?: string; message?: string }[];
}
interface CustomerInfo {
  id?: string;
  accountId?: string;
  name?: string;
  breadcrumb?: { id?: string; name?: string }[];
}
interface EndpointInfo {
  id?: string;
  displayName?: string;
  type?: string;
  accountId?: string;
}

class ListSessions extends ListRequest<SessionInfo> {
  accountIds?: string[];
  customerIds?: string[];
  searchArchive?: boolean;
  constructor(init?: Partial<ListSessions>) {
    super(init);
    Object.assign(this, init);
  }
  override getTypeName(): string {
    return "ListSessions";
  }
}

class GetSession implements IReturn<SessionInfo> {
  sessionId?: string;
  constructor(init?: Partial<GetSession>) {
    Object.assign(this, init);
  }
  getTypeName(): string {
    return "GetSession";
  }
  getMethod(): string {
    return "GET";
  }
  createResponse(): SessionInfo {
    return {};
  }
}

class ListCustomers extends ListRequest<CustomerInfo> {
  accountIds?: string[];
  nameFilter?: string;
  parentCustomerIds?: string[];
  shallowParent?: boolean;
  tagIds?: string[];
  constructor(init?: Partial<ListCustomers>) {
    super(init);
    Object.assign(this, init);
  }
  override getTypeName(): string {
    return "ListCustomers";
  }
}

class ListEndpoints extends ListRequest<EndpointInfo> {
  accountIds?: string[];
  customerIds?: string[];
  nameFilter?: string;
  type?: string;
  constructor(init?: Partial<ListEndpoints>) {
    super(init);
    Object.assign(this, init);
  }
  override getTypeName(): string {
    return "ListEndpoints";
  }
}

class GetAuthStatus implements IReturn<{ isAuthenticated?: boolean; accountIds?: string[] }> {
  getTypeName(): string {
    return "GetAuthStatus";
  }
  getMethod(): string {
    return "GET";
  }
  createResponse() {
    return {};
  }
}

class AuthenticateResponse {
  userId?: string;
  sessionId?: string;
  userName?: string;
  displayName?: string;
  responseStatus?: ResponseStatus;
}

class Authenticate implements IReturn<AuthenticateResponse> {
  provider?: string;
  userName?: string;
  password?: string;
  rememberMe?: boolean;
  constructor(init?: Partial<Authenticate>) {
    Object.assign(this, init);
  }
  getTypeName(): string {
    return "Authenticate";
  }
  getMethod(): string {
    return "POST";
  }
  createResponse(): AuthenticateResponse {
    return new AuthenticateResponse();
  }
}

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 400 });
});
afterAll(() => sandbox.close());

const acme = SANDBOX_ACCOUNT_IDS.acmeDental;

async function signedIn(basePath: "api" | null): Promise<JsonServiceClient> {
  const client = new JsonServiceClient(sandbox.url);
  // `api` is the client's default (/api/{Op}); no base path means /json/reply/{Op}.
  if (basePath === null) client.useBasePath();
  const auth = await client.post(
    new Authenticate({
      provider: "credentials",
      userName: "demo",
      password: "demo-password",
      rememberMe: true,
    }),
  );
  expect(auth.userName).toBe("demo");
  return client;
}

describe("ServiceStack's JsonServiceClient, unchanged", () => {
  it.each(["api", null] as const)(
    "signs in and reads sessions, customers and endpoints (base path %s)",
    async (basePath) => {
      const client = await signedIn(basePath);
      const status = await client.get(new GetAuthStatus());
      expect(status).toMatchObject({ isAuthenticated: true, accountIds: [acme] });

      const sessions = await client.get(new ListSessions({ accountIds: [acme], countPerPage: 5 }));
      const expectedSessions = sandbox.data.sessions.filter(
        (s) =>
          s.accountId === acme &&
          Date.parse(s.dateCreated!) >= Date.parse(sandbox.data.archiveCutoff!),
      );
      expect(sessions.items?.map((s) => s.id)).toEqual(
        expectedSessions.slice(0, 5).map((s) => s.id),
      );
      expect(sessions.totalCount).toBe(expectedSessions.length);

      const first = sessions.items![0]!;
      const one = await client.get(new GetSession({ sessionId: first.id }));
      expect(one).toMatchObject({ id: first.id, log: [] });

      const customers = await client.get(new ListCustomers({ nameFilter: "clinic", all: true }));
      const clinics = sandbox.data.customerDetails!.filter(
        (c) => c.accountId === acme && c.name!.toLowerCase().includes("clinic"),
      );
      expect(customers.items?.map((c) => c.name).sort()).toEqual(clinics.map((c) => c.name).sort());
      expect(customers.items?.[0]?.breadcrumb?.length).toBeGreaterThan(0);

      const endpoints = await client.get(new ListEndpoints({ type: "User", all: true }));
      const agents = sandbox.data.endpointDetails!.filter(
        (e) => e.accountId === acme && e.type === "User",
      );
      expect(endpoints.items?.map((e) => e.id).sort()).toEqual(agents.map((e) => e.id).sort());
      // The names the sessions show resolve to the endpoints the client lists.
      expect(sandbox.requests.at(-1)?.path).toBe(
        basePath === "api" ? "/api/ListEndpoints" : "/json/reply/ListEndpoints",
      );
      const named = new Map(endpoints.items!.map((e) => [e.id, e.displayName]));
      for (const s of expectedSessions)
        if (s.answeredById !== undefined) expect(named.get(s.answeredById)).toBe(s.answeredByName);
    },
  );

  it("POSTs a DTO as JSON when asked to, and reads a ServiceStack error as its responseStatus", async () => {
    const client = await signedIn("api");
    const posted = await client.post(new ListCustomers({ accountIds: [acme], countPerPage: 2 }));
    expect(posted.items).toHaveLength(2);
    const error = (await client
      .get(new ListSessions({ accountIds: [SANDBOX_ACCOUNT_IDS.summitPlumbing] }))
      .catch((e: unknown) => e)) as { responseStatus?: ResponseStatus };
    expect(error.responseStatus?.errorCode).toBe("Forbidden");
    const anonymous = new JsonServiceClient(sandbox.url);
    const unauthorized = (await anonymous.get(new ListCustomers()).catch((e: unknown) => e)) as {
      responseStatus?: ResponseStatus;
    };
    expect(unauthorized.responseStatus?.errorCode).toBe("Unauthorized");
  });

  it("runs on the global fetch of this Node (20 or later)", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(20);
    expect(typeof globalThis.fetch).toBe("function");
  });
});
