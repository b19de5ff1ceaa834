import type { Sandbox } from "@evo-sessions/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { QueryValidationError } from "../../src/errors/evo-voice-error.js";
import { PermissionDeniedError } from "../../src/errors/auth-errors.js";
import { InvalidRequestError, NotFoundError } from "../../src/errors/response-errors.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, rejectionOf, requestsTo, startSmallSandbox, userOf } from "./sandbox-harness.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSmallSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  sandbox.faults.clear();
});

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
    expect(fromParams.items.map((item) => item.id)).toEqual(fromBuilder.items.map((item) => item.id));
    expect(fromBuilder.items.every((item) => user.accountIds.includes(item.accountId ?? ""))).toBe(true);
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
    const foreign = sandbox.data.accounts.find((account) => !user.accountIds.includes(account.id ?? ""));
    expect(foreign).toBeDefined();

    const error = await rejectionOf(client.listSessions({ accountIds: [foreign?.id ?? ""] }));

    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: "permission_denied", status: 403 });
    expect((error as PermissionDeniedError).message).toMatch(/authStatus\(\)/);
  });

  it("surfaces the server's field errors of a 400 as InvalidRequestError", async () => {
    const { client } = clientFor(sandbox);

    const error = await rejectionOf(client.listSessions({ sortField: "noSuchField" }));

    expect(error).toBeInstanceOf(InvalidRequestError);
    const invalid = error as InvalidRequestError;
    expect(invalid.status).toBe(400);
    expect(invalid.fieldErrors.length).toBeGreaterThan(0);
    expect(invalid.fieldErrors[0]?.fieldName.toLowerCase()).toBe("sortfield");
    expect(invalid.message).toMatch(/sortField/i);
    expect(invalid.toJSON()).toMatchObject({ code: "invalid_request", status: 400, fieldErrors: invalid.fieldErrors });
  });

  it("hands drift to onDecodeWarnings and still returns the page", async () => {
    const { client, log } = clientFor(sandbox);
    sandbox.faults.inject({ route: "sessions", fault: { type: "drift" }, times: 1 });

    const page = await client.listSessions({ countPerPage: 5 });

    expect(page.items).toHaveLength(5);
    expect(page.warnings.length).toBeGreaterThan(0);
    const reported = log.of("onDecodeWarnings");
    expect(reported).toHaveLength(1);
    expect(reported[0]?.warnings).toEqual(page.warnings);
    expect(reported[0]?.url).toContain("/sessions?");
    const codes = new Set(page.warnings.map((warning) => warning.code));
    expect(codes.has("unknown_enum_value") || codes.has("unknown_property")).toBe(true);
  });

  it("reports no warnings and calls no hook for a conforming page", async () => {
    const { client, log } = clientFor(sandbox);
    await client.listSessions({ countPerPage: 5 });
    expect(log.of("onDecodeWarnings")).toEqual([]);
  });
});

describe("getSession", () => {
  it("returns one session with its full log via the list endpoint", async () => {
    const { client, user } = clientFor(sandbox);
    const expected = sandbox.data.sessions.find(
      (session) => user.accountIds.includes(session.accountId ?? "") && (session.log?.length ?? 0) > 2,
    );
    expect(expected).toBeDefined();
    const start = sandbox.requests.length;

    const session = await client.getSession(expected?.id ?? "");

    expect(session.id).toBe(expected?.id);
    expect(session.log?.map((entry) => entry.message)).toEqual(expected?.log?.map((entry) => entry.message));
    const [record] = requestsTo(sandbox, "/sessions", start);
    const params = new URLSearchParams(record?.query ?? "");
    expect(params.get("specificIds")).toBe(expected?.id);
    expect(params.get("countPerPage")).toBe("1");
    expect(params.get("simplifiedPaging")).toBe("true");
  });

  it("throws NotFoundError for an id nobody has", async () => {
    const { client } = clientFor(sandbox);

    const error = await rejectionOf(client.getSession("no-such-session-id"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: "not_found" });
    expect((error as NotFoundError).message).toContain("no-such-session-id");
  });

  it("throws NotFoundError for a session of an account the user cannot reach", async () => {
    const { client } = clientFor(sandbox, "single");
    const user = userOf(sandbox, "single");
    const foreign = sandbox.data.sessions.find((session) => !user.accountIds.includes(session.accountId ?? ""));

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
