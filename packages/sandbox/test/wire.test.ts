import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_SEEDS } from "../src/data/catalog.js";
import { MSP_USER, SANDBOX_ACCOUNT_IDS, type Sandbox } from "../src/index.js";
import { SESSION_INFO_FIELDS, parseWireDate } from "../src/wire/index.js";
import { basic, getJson, seedViolations, startTestSandbox } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 600 });
});
afterAll(() => sandbox.close());

const ids = (body: Record<string, unknown>): string[] =>
  (body.items as { id: string }[]).map((item) => item.id);

describe("query-string conventions", () => {
  it("matches parameter names in any letter case", async () => {
    const lower = await getJson(sandbox, "/sessions?countperpage=3&PAGE=1&SortOrder=ascend");
    const camel = await getJson(sandbox, "/sessions?countPerPage=3&page=1&sortOrder=Ascend");
    expect(lower.status).toBe(200);
    expect(ids(lower.body)).toEqual(ids(camel.body));
    expect(ids(lower.body)).toHaveLength(3);
  });

  it("reads comma lists, [a,b] lists and CSV-quoted elements alike", async () => {
    const [a, b] = MSP_USER.accountIds.slice(1, 3) as [string, string];
    const comma = await getJson(sandbox, `/sessions?all=true&accountIds=${a},${b}`);
    const bracket = await getJson(
      sandbox,
      `/sessions?all=true&accountIds=${encodeURIComponent(`[${a},${b}]`)}`,
    );
    const quoted = await getJson(
      sandbox,
      `/sessions?all=true&accountIds=${encodeURIComponent(`"${a}", "${b}"`)}`,
    );
    expect(ids(comma.body).length).toBeGreaterThan(0);
    expect(ids(bracket.body)).toEqual(ids(comma.body));
    expect(ids(quoted.body)).toEqual(ids(comma.body));
    const single = await getJson(sandbox, `/sessions?all=true&accountIds=${a}`);
    expect(ids(single.body).length).toBeLessThan(ids(comma.body).length);
  });

  it("keeps a CSV-quoted element that contains a comma as one element", async () => {
    const [first, second] = sandbox.data.sessions.slice(0, 2).map((s) => s.id as string) as [
      string,
      string,
    ];
    // Split naively, `"first,junk"` would find `first`; read as CSV it is one unknown id.
    const { status, body } = await getJson(
      sandbox,
      `/sessions?searchArchive=false&specificIds=${encodeURIComponent(`"${first},junk",${second}`)}`,
    );
    expect(status).toBe(200);
    expect(ids(body)).toEqual([second]);
  });

  it("joins the values of a repeated list parameter", async () => {
    const [a, b] = MSP_USER.accountIds.slice(1, 3) as [string, string];
    const joined = await getJson(sandbox, `/sessions?all=true&accountIds=${a},${b}`);
    const repeated = await getJson(sandbox, `/sessions?all=true&accountIds=${a}&AccountIds=${b}`);
    expect(ids(repeated.body)).toEqual(ids(joined.body));
    const single = await getJson(sandbox, `/sessions?all=true&accountIds=${b}`);
    expect(ids(repeated.body).length).toBeGreaterThan(ids(single.body).length);
  });

  it("survives malformed percent-encoding in the path and in cookies", async () => {
    const path = await getJson(sandbox, "/sessions/%E0%A4%A");
    expect(path.status).toBe(404);
    const cookie = await getJson(sandbox, "/sessions?countPerPage=1", {
      ...basic("admin"),
      Cookie: "ss-id=%E0%A4%A",
    });
    expect(cookie.status).toBe(200);
    const anonymous = await getJson(sandbox, "/sessions", { Cookie: "ss-id=%E0%A4%A" });
    expect(anonymous.status).toBe(401);
  });

  it("ignores empty values and unknown parameters", async () => {
    const plain = await getJson(sandbox, "/sessions");
    const noisy = await getJson(
      sandbox,
      "/sessions?page=&from=&accountIds=&sortField=&frobnicate=yes&_=123",
    );
    expect(noisy.status).toBe(200);
    expect(ids(noisy.body)).toEqual(ids(plain.body));
  });

  it("serves /sessions.json, ?format=json and JSONP, and refuses other formats", async () => {
    const plain = await getJson(sandbox, "/sessions?countPerPage=2");
    expect(ids((await getJson(sandbox, "/sessions.json?countPerPage=2")).body)).toEqual(
      ids(plain.body),
    );
    const formatted = await getJson(sandbox, "/sessions?countPerPage=2&format=json");
    expect(formatted.headers.get("content-type")).toMatch(/^application\/json/);
    expect(ids(formatted.body)).toEqual(ids(plain.body));
    expect((await getJson(sandbox, "/sessions?format=xml")).status).toBe(406);
    expect((await getJson(sandbox, "/sessions.xml")).status).toBe(406);
    const jsonp = await fetch(`${sandbox.url}/sessions?countPerPage=1&callback=handle`, {
      headers: basic("admin"),
    });
    expect(await jsonp.text()).toMatch(/^handle\(\{"items":/);
  });

  it("answers camelCase JSON that omits absent fields instead of sending null", async () => {
    const { body } = await getJson(sandbox, "/sessions?all=true&searchArchive=true");
    const text = JSON.stringify(body);
    expect(text).not.toContain("null");
    const item = (body.items as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(Object.keys(item).every((key) => /^[a-z][A-Za-z]*$/.test(key))).toBe(true);
  });
});

describe("400 for values that do not parse", () => {
  const cases: [string, string][] = [
    ["page=abc", "page"],
    ["countPerPage=1.5", "countPerPage"],
    ["countPerPage=99999999999", "countPerPage"],
    ["all=maybe", "all"],
    ["simplifiedPaging=yes", "simplifiedPaging"],
    ["searchArchive=2", "searchArchive"],
    ["sortOrder=Sideways", "sortOrder"],
    ["startDate=2026-02-30", "startDate"],
    ["endDate=yesterday", "endDate"],
    ["page=-1", "page"],
    ["countPerPage=0", "countPerPage"],
    ["sortField=loudness", "sortField"],
  ];
  for (const [text, field] of cases) {
    it(`${text} → 400 naming ${field}`, async () => {
      const { status, body } = await getJson(sandbox, `/sessions?${text}`);
      expect(status).toBe(400);
      const responseStatus = body.responseStatus as {
        errorCode: string;
        message: string;
        errors: { fieldName: string; errorCode: string; message: string }[];
      };
      expect(responseStatus.errorCode).toEqual(expect.any(String));
      expect(responseStatus.message).toEqual(expect.any(String));
      expect(responseStatus.errors.map((e) => e.fieldName)).toEqual([field]);
      expect(responseStatus.errors[0]?.message).toContain(text.split("=")[1] as string);
    });
  }

  it("echoes the parameter name as sent and lists every bad field", async () => {
    const { body } = await getJson(sandbox, "/sessions?PAGE=x&All=perhaps");
    const errors = (body.responseStatus as { errors: { fieldName: string }[] }).errors;
    expect(errors.map((e) => e.fieldName).sort()).toEqual(["All", "PAGE"]);
  });

  it("accepts an ISO timestamp as a date (its UTC day) and 0/1 as booleans", async () => {
    const stamped = await getJson(sandbox, "/sessions?startDate=2026-03-05T10:00:00Z&all=0");
    const day = await getJson(sandbox, "/sessions?startDate=2026-03-05&all=false");
    expect(stamped.status).toBe(200);
    expect(stamped.body).toEqual(day.body);
    expect(ids(stamped.body)).toHaveLength(25);
    const all = await getJson(sandbox, "/sessions?startDate=2026-03-05&all=1");
    expect(ids(all.body).length).toBe(day.body.totalCount);
    expect(ids(all.body).length).toBeGreaterThan(25);
  });
});

describe("GET /sessions/{id}", () => {
  it('returns the session with "log": [] in the seed\'s key order, as on staging', async () => {
    const session = sandbox.data.sessions[10] as Record<string, unknown>;
    const { status, body } = await getJson(sandbox, `/sessions/${session.id as string}`);
    expect(status).toBe(200);
    expect(body).toEqual({ ...session, log: [] });
    expect(Object.keys(body)).toEqual(SESSION_INFO_FIELDS.filter((key) => key in body));
    expect(seedViolations(body)).toEqual([]);
    expect((await getJson(sandbox, `/sessions/${session.id as string}.json`)).body).toEqual({
      ...session,
      log: [],
    });
  });

  it("answers 404 with a responseStatus for an unknown id or one in another user's account", async () => {
    const unknown = await getJson(sandbox, "/sessions/0000000000000000000000000000dead");
    expect(unknown.status).toBe(404);
    expect((unknown.body.responseStatus as { errorCode: string }).errorCode).toBe("NotFound");
    const foreign = sandbox.data.sessions.find(
      (s) => s.accountId === SANDBOX_ACCOUNT_IDS.summitPlumbing,
    );
    const hidden = await getJson(sandbox, `/sessions/${foreign?.id as string}`, basic("demo"));
    expect(hidden.status).toBe(404);
  });

  it("answers 404 for an archived session's id, as staging does (or finds it when configured)", async () => {
    const old = sandbox.data.sessions.at(-1) as Record<string, unknown>;
    expect(Date.parse(old.dateCreated as string)).toBeLessThan(
      Date.parse(sandbox.data.archiveCutoff as string),
    );
    const archived = await getJson(sandbox, `/sessions/${old.id as string}`);
    expect(archived.status).toBe(404);
    expect(archived.body).toMatchObject({ responseStatus: { errorCode: "NotFound" } });
    // The full log is still one list request away, as on staging.
    const listed = await getJson(
      sandbox,
      `/sessions?specificIds=${old.id as string}&searchArchive=true&simplifiedPaging=true`,
    );
    expect((listed.body.items as unknown[])[0]).toEqual(old);
    const lenient = await startTestSandbox({
      behaviour: { getSessionArchived: "found", getSessionLog: "omitted" },
    });
    try {
      const same = lenient.data.sessions.at(-1) as Record<string, unknown>;
      const found = await getJson(lenient, `/sessions/${same.id as string}`);
      expect(found.status).toBe(200);
      const { log: _log, ...withoutLog } = same;
      expect(found.body).toEqual(withoutLog);
    } finally {
      await lenient.close();
    }
  });
});

describe("routing", () => {
  it("answers 404 for unknown paths and 405 for wrong methods, with a JSON body", async () => {
    const missing = await getJson(sandbox, "/nope");
    expect(missing.status).toBe(404);
    const post = await fetch(`${sandbox.url}/sessions`, {
      method: "POST",
      headers: basic("admin"),
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    expect(((await post.json()) as { responseStatus: unknown }).responseStatus).toBeDefined();
  });

  it("matches routes in any letter case", async () => {
    expect((await getJson(sandbox, "/Sessions?countPerPage=1")).status).toBe(200);
  });
});

describe("date formats", () => {
  it("writes WCF dates when asked to", async () => {
    const wcf = await startTestSandbox({ sessions: 50, dateFormat: "wcf" });
    try {
      const { body } = await getJson(wcf, "/sessions?countPerPage=1&searchArchive=true");
      const item = (body.items as Record<string, unknown>[])[0] as {
        dateCreated: string;
        log: { date: string }[];
      };
      expect(item.dateCreated).toMatch(/^\/Date\(\d+-0000\)\/$/);
      expect(item.log[0]?.date).toMatch(/^\/Date\(\d+-0000\)\/$/);
      const original = wcf.data.sessions.find(
        (s) => s.id === (item as unknown as { id: string }).id,
      );
      expect(parseWireDate(item.dateCreated)?.toISOString()).toBe(original?.dateCreated);
    } finally {
      await wcf.close();
    }
  });

  it("writes ISO 8601 UTC dates by default", async () => {
    const { body } = await getJson(sandbox, "/sessions?countPerPage=1");
    const item = (body.items as { dateCreated: string }[])[0];
    expect(item?.dateCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe("accounts", () => {
  it("has an MSP with client accounts that name it as parent and ancestor", () => {
    const accounts = sandbox.data.accounts;
    expect(accounts.map((a) => a.name)).toEqual(ACCOUNT_SEEDS.map((a) => a.name));
    const clients = accounts.filter((a) => a.parentAccountId === SANDBOX_ACCOUNT_IDS.northwindMsp);
    expect(clients).toHaveLength(3);
    expect(clients.every((a) => a.ancestorIds?.includes(SANDBOX_ACCOUNT_IDS.northwindMsp))).toBe(
      true,
    );
  });
});
