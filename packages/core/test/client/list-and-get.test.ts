import { describe, expect, it } from "vitest";
import { QueryValidationError } from "../../src/errors/evo-voice-error.js";
import { PermissionDeniedError } from "../../src/errors/auth-errors.js";
import {
  InvalidRequestError,
  NotFoundError,
  UndecodableResponseError,
} from "../../src/errors/response-errors.js";
import { SessionQuery } from "../../src/query/session-query.js";
import {
  clientFor,
  rejectionOf,
  requestsTo,
  startSmallSandbox,
  useSmallSandbox,
  userOf,
} from "./sandbox-harness.js";

const sandbox = await useSmallSandbox();

describe("listSessions", () => {
  it("returns a decoded page with the totals, from a builder or plain parameters alike", async () => {
    const { client, user } = clientFor(sandbox);

    const fromBuilder = await client.listSessions(SessionQuery.create().perPage(7).page(1));
    const fromParams = await client.listSessions({ countPerPage: 7, page: 1 });

    expect(fromBuilder.items).toHaveLength(7);
    expect(fromBuilder.page).toBe(1);
    expect(fromBuilder.totalCount).toBeGreaterThan(7);
    expect(fromBuilder.totalPages).toBe(Math.ceil((fromBuilder.totalCount ?? 0) / 7));
    expect(fromBuilder.warnings).toEqual([]);
    expect(fromParams.items.map((item) => item.id)).toEqual(
      fromBuilder.items.map((item) => item.id),
    );
    expect(fromBuilder.items.every((item) => user.accountIds.includes(item.accountId ?? ""))).toBe(
      true,
    );
  });

  it("sends the query as ServiceStack reads it", async () => {
    const { client } = clientFor(sandbox);
    const start = sandbox.requests.length;

    await client.listSessions(SessionQuery.create().perPage(3).simplifiedPaging().newest());

    const [record] = requestsTo(sandbox, "/sessions", start);
    const params = new URLSearchParams(record?.query ?? "");
    expect(params.get("countPerPage")).toBe("3");
    expect(params.get("simplifiedPaging")).toBe("true");
    expect(params.get("sortOrder")).toBe("Descend");
  });

  it("answers simplified paging with hasMorePages and no totals", async () => {
    const { client } = clientFor(sandbox);

    const page = await client.listSessions({ countPerPage: 4, simplifiedPaging: true });

    expect(page.items).toHaveLength(4);
    expect(page.hasMorePages).toBe(true);
    expect(page.totalCount).toBeUndefined();
    expect(page.totalPages).toBeUndefined();
  });

  it("rejects a bad query before sending anything", async () => {
    const { client } = clientFor(sandbox);
    const start = sandbox.requests.length;

    const error = await rejectionOf(client.listSessions({ countPerPage: -3 }));

    expect(error).toBeInstanceOf(QueryValidationError);
    expect((error as QueryValidationError).field).toBe("countPerPage");
    expect(sandbox.requests.length).toBe(start);
  });

  it("refuses another user's account with PermissionDeniedError", async () => {
    const { client, user } = clientFor(sandbox, "single");
    const foreign = sandbox.data.accounts.find(
      (account) => !user.accountIds.includes(account.id ?? ""),
    );
    expect(foreign).toBeDefined();

    const error = await rejectionOf(client.listSessions({ accountIds: [foreign?.id ?? ""] }));

    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: "permission_denied", status: 403 });
    // Words a person or an assistant can act on, not the name of an API call.
    expect((error as PermissionDeniedError).message).toMatch(/an account this sign-in can reach/);
    expect((error as PermissionDeniedError).message).not.toMatch(/authStatus/);
  });

  it("surfaces the server's field errors of a 400 as InvalidRequestError", async () => {
    // The builder rejects what the sandbox would; a server stricter than the builder is emulated
    // by adding a date the server refuses to the real request.
    const { client } = clientFor(sandbox, "single", {
      fetch: (input, init) => {
        const url = new URL(String(input));
        if (url.pathname === "/sessions") url.searchParams.set("startDate", "yesterday");
        return fetch(url, init);
      },
    });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(InvalidRequestError);
    const invalid = error as InvalidRequestError;
    expect(invalid.status).toBe(400);
    expect(invalid.fieldErrors).toHaveLength(1);
    expect(invalid.fieldErrors[0]).toMatchObject({
      fieldName: "startDate",
      errorCode: "Predicate",
    });
    expect(invalid.fieldErrors[0]?.message).toMatch(/YYYY-MM-DD/);
    expect(invalid.message).toMatch(/Rejected: startDate \(.*YYYY-MM-DD.*\)/);
    expect(invalid.toJSON()).toMatchObject({
      code: "invalid_request",
      status: 400,
      fieldErrors: invalid.fieldErrors,
    });
  });

  it("hands drift to onDecodeWarnings and still returns the page", async () => {
    // Its own sandbox: the sandbox's drift fault also alters the stored sessions it drifts.
    const drifting = await startSmallSandbox();
    try {
      const { client, log } = clientFor(drifting);
      drifting.faults.inject({ route: "sessions", fault: { type: "drift" }, times: 1 });

      const page = await client.listSessions({ countPerPage: 5 });

      expect(page.items).toHaveLength(5);
      expect(page.warnings.length).toBeGreaterThan(0);
      const reported = log.of("onDecodeWarnings");
      expect(reported).toHaveLength(1);
      expect(reported[0]?.warnings).toEqual(page.warnings);
      expect(reported[0]?.url).toContain("/sessions?");
      const codes = new Set(page.warnings.map((warning) => warning.code));
      expect(codes).toContain("unknown_enum_value");
      expect(codes).toContain("unknown_property");
      // Kept as received, not dropped.
      expect(page.items[0]?.callState).toBe("Parked");
    } finally {
      await drifting.close();
    }
  });

  it("reports no warnings and calls no hook for a conforming page", async () => {
    const { client, log } = clientFor(sandbox);
    const page = await client.listSessions({ countPerPage: 5 });
    expect(page.warnings).toEqual([]);
    expect(log.of("onDecodeWarnings")).toEqual([]);
  });
  it("reads a server configured for PascalCase, with one letter-case warning per page", async () => {
    const { client: plain } = clientFor(sandbox);
    const expected = await plain.listSessions({ countPerPage: 5 });
    const { client, log } = clientFor(sandbox, "single", {
      fetch: answering((body) => pascalCase(body)),
    });

    const page = await client.listSessions({ countPerPage: 5 });

    expect(page.items).toEqual(expected.items);
    expect(page.totalCount).toBe(expected.totalCount);
    expect(page.totalPages).toBe(expected.totalPages);
    expect(page.warnings.map((warning) => warning.code)).toEqual(["property_letter_case"]);
    expect(log.of("onDecodeWarnings")).toHaveLength(1);
  });

  it.each([
    [[], "a JSON array"],
    [null, "JSON null"],
    [{ sessions: [] }, "a JSON object with none of items, totalCount, totalPages, hasMorePages"],
  ])(
    "reports %j as UndecodableResponseError naming what arrived and what was expected",
    async (body, received) => {
      const { client } = clientFor(sandbox, "single", { fetch: answering(() => body) });

      const error = await rejectionOf(client.listSessions());

      expect(error).toBeInstanceOf(UndecodableResponseError);
      expect(error).toMatchObject({ received, status: 200 });
      expect((error as UndecodableResponseError).message).toContain(
        `answered GET /sessions with ${received} instead of a ListResponse object (items, totalCount, totalPages, hasMorePages).`,
      );
      expect((error as UndecodableResponseError).message).toMatch(/another JSON service/);
    },
  );
});

/** A fetch that signs in with the sandbox but answers GET /sessions with `body` (of the real answer). */
function answering(body: (real: unknown) => unknown): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (new URL(String(input)).pathname !== "/sessions") return response;
    return Response.json(body(await response.json()));
  };
}

/** A body as a PascalCase ServiceStack host writes it (applicationData's own keys untouched). */
function pascalCase(value: unknown, freeForm = false): unknown {
  if (Array.isArray(value)) return value.map((item) => pascalCase(item));
  if (value === null || typeof value !== "object" || freeForm) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      key.charAt(0).toUpperCase() + key.slice(1),
      pascalCase(entry, key === "applicationData"),
    ]),
  );
}

describe("a wrong base URL", () => {
  it("says nothing was found there and points at the base URL, not at an id the request lacks", async () => {
    const { client } = clientFor(sandbox, "single", { baseUrl: `${sandbox.url}/not-the-api` });

    const error = await rejectionOf(client.listSessions());

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404 });
    const { message } = error as NotFoundError;
    expect(message).toContain(`The base URL (${sandbox.url}/not-the-api) may not point at`);
    expect(message).not.toMatch(/\bid\b/);
  });
});

describe("getSession", () => {
  it("returns one session with its full log via the list endpoint", async () => {
    const { client, user } = clientFor(sandbox);
    const expected = sandbox.data.sessions.find(
      (session) =>
        user.accountIds.includes(session.accountId ?? "") && (session.log?.length ?? 0) > 2,
    );
    expect(expected).toBeDefined();
    const start = sandbox.requests.length;

    const session = await client.getSession(expected?.id ?? "");

    expect(session.id).toBe(expected?.id);
    expect(session.log?.map((entry) => entry.message)).toEqual(
      expected?.log?.map((entry) => entry.message),
    );
    const [record] = requestsTo(sandbox, "/sessions", start);
    const params = new URLSearchParams(record?.query ?? "");
    expect(params.get("specificIds")).toBe(expected?.id);
    expect(params.get("countPerPage")).toBe("1");
    expect(params.get("simplifiedPaging")).toBe("true");
  });

  it("finds a session old enough to be archived", async () => {
    const { client, user } = clientFor(sandbox);
    const cutoff = Date.parse(sandbox.data.archiveCutoff ?? "");
    const archived = sandbox.data.sessions.find(
      (session) =>
        user.accountIds.includes(session.accountId ?? "") &&
        Date.parse(session.dateCreated ?? "") < cutoff,
    );
    expect(archived).toBeDefined();
    const start = sandbox.requests.length;

    const session = await client.getSession(archived?.id ?? "");

    expect(session.id).toBe(archived?.id);
    const queries = requestsTo(sandbox, "/sessions", start).map(
      (record) => new URLSearchParams(record.query),
    );
    expect(queries.map((params) => params.get("searchArchive"))).toEqual([null, "true"]);
  });

  it("throws NotFoundError for an id nobody has", async () => {
    const { client } = clientFor(sandbox);

    const error = await rejectionOf(client.getSession("no-such-session-id"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "not_found" });
    expect((error as NotFoundError).message).toContain("no-such-session-id");
    expect((error as NotFoundError).message).toMatch(/an account this sign-in can reach/);
    expect((error as NotFoundError).message).not.toMatch(/authStatus/);
  });

  it("throws NotFoundError for a session of an account the user cannot reach", async () => {
    const { client } = clientFor(sandbox, "single");
    const user = userOf(sandbox, "single");
    const foreign = sandbox.data.sessions.find(
      (session) => !user.accountIds.includes(session.accountId ?? ""),
    );

    await expect(client.getSession(foreign?.id ?? "x")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("rejects an empty id without a request", async () => {
    const { client } = clientFor(sandbox);
    const start = sandbox.requests.length;

    const error = await rejectionOf(client.getSession("  "));

    expect(error).toBeInstanceOf(QueryValidationError);
    expect((error as QueryValidationError).field).toBe("id");
    expect(sandbox.requests.length).toBe(start);
  });
});
