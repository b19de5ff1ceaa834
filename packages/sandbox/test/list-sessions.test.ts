import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSP_USER, type Sandbox, type SandboxData } from "../src/index.js";
import { SESSION_INFO_FIELDS } from "../src/wire/index.js";
import { basic, getJson, query, startTestSandbox } from "./helpers.js";
import { oracle, type OracleQuery } from "./oracle.js";

let sandbox: Sandbox;
let data: SandboxData;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  data = sandbox.data;
});
afterAll(() => sandbox.close());

function toWire(q: OracleQuery): string {
  const { specificIds, accountIds, customerIds, endpointIds, ...rest } = q;
  const lists = { specificIds, accountIds, customerIds, endpointIds };
  const params: Record<string, string | number | boolean | undefined> = { ...rest };
  for (const [name, values] of Object.entries(lists))
    // Ids are hex and never need CSV quoting; quoting is tested in wire.test.ts.
    if (values !== undefined) params[name] = values.join(",");
  return query(params);
}

/** Asks the sandbox and the oracle the same question and compares the answers. */
async function expectOracle(
  q: OracleQuery,
  user: "admin" | "msp" = "admin",
): Promise<Record<string, unknown>> {
  const { status, body } = await getJson(sandbox, `/sessions${toWire(q)}`, basic(user));
  expect(status, JSON.stringify(body)).toBe(200);
  const expected = oracle(data, user === "admin" ? undefined : MSP_USER.accountIds, q);
  const items = body.items as { id: string }[];
  expect(items.map((item) => item.id)).toEqual(expected.ids);
  expect(body.hasMorePages).toBe(expected.hasMorePages);
  if (q.simplifiedPaging) {
    expect(body).not.toHaveProperty("totalCount");
    expect(body).not.toHaveProperty("totalPages");
  } else {
    expect(body.totalCount).toBe(expected.totalCount);
    expect(body.totalPages).toBe(expected.totalPages);
  }
  return body;
}

const liveSessions = (): SandboxData["sessions"] =>
  data.sessions.filter(
    (s) => Date.parse(s.dateCreated as string) >= Date.parse(data.archiveCutoff as string),
  );

describe("GET /sessions paging", () => {
  it("answers the newest 25 live sessions by default, with totals", async () => {
    const body = await expectOracle({});
    expect((body.items as unknown[]).length).toBe(25);
    expect(body.totalCount).toBe(liveSessions().length);
  });

  it("pages are 0-based and walk through every live session exactly once", async () => {
    const seen: string[] = [];
    for (let page = 0; ; page++) {
      const { body } = await getJson(sandbox, `/sessions?countPerPage=100&page=${page}`);
      seen.push(...(body.items as { id: string }[]).map((item) => item.id));
      if (body.hasMorePages !== true) break;
    }
    expect(seen).toEqual(liveSessions().map((s) => s.id));
  });

  it("a page past the end is empty and says there is no more", async () => {
    const body = await expectOracle({ page: 999, countPerPage: 50 });
    expect(body.items).toEqual([]);
    expect(body.hasMorePages).toBe(false);
  });

  it("simplifiedPaging answers only items and hasMorePages", async () => {
    const body = await expectOracle({ simplifiedPaging: true, countPerPage: 10, page: 2 });
    expect(Object.keys(body).sort()).toEqual(["hasMorePages", "items"]);
  });

  it("all=true returns every match at once, ignoring page and countPerPage", async () => {
    const body = await expectOracle({ all: true, page: 3, countPerPage: 5 });
    expect((body.items as unknown[]).length).toBe(liveSessions().length);
    await expectOracle({ all: true, simplifiedPaging: true, searchArchive: true });
  });

  it("specificIds returns those sessions, with their full log", async () => {
    const picks = liveSessions().filter((_, i) => i % 97 === 0);
    const body = await expectOracle({ specificIds: picks.map((s) => s.id as string) });
    const first = (body.items as { id: string; log: unknown[] }[]).find(
      (item) => item.id === picks[0]?.id,
    );
    expect(first?.log).toEqual(picks[0]?.log);
  });
});

describe("GET /sessions sorting", () => {
  it("sorts by every SessionInfo property in both orders, ties broken by id", async () => {
    for (const field of SESSION_INFO_FIELDS) {
      for (const sortOrder of ["Ascend", "Descend"] as const) {
        await expectOracle({ sortField: field, sortOrder, countPerPage: 40, page: 1 });
      }
    }
  });

  it("matches sortField in any letter case and defaults to ascending when a field is given", async () => {
    const { body } = await getJson(sandbox, "/sessions?sortField=FROMADDRESS&countPerPage=30");
    const expected = oracle(data, undefined, { sortField: "fromAddress", countPerPage: 30 });
    expect((body.items as { id: string }[]).map((i) => i.id)).toEqual(expected.ids);
  });

  it("sortOrder=Ascend without a field gives the oldest first", async () => {
    const body = await expectOracle({ sortOrder: "Ascend", countPerPage: 5 });
    const dates = (body.items as { dateCreated: string }[]).map((i) => i.dateCreated);
    expect([...dates].sort()).toEqual(dates);
  });
});

describe("GET /sessions filters", () => {
  const archived = (): SandboxData["sessions"] =>
    data.sessions.filter(
      (s) => Date.parse(s.dateCreated as string) < Date.parse(data.archiveCutoff as string),
    );

  it("searchArchive switches to sessions older than 15 days", async () => {
    const body = await expectOracle({ searchArchive: true, countPerPage: 10 });
    expect(body.totalCount).toBe(archived().length);
    expect(archived().length).toBeGreaterThan(0);
  });

  it("startDate and endDate include whole UTC days", async () => {
    const day = (liveSessions()[40]?.dateCreated as string).slice(0, 10);
    const body = await expectOracle({ startDate: day, endDate: day, all: true });
    const items = body.items as { dateCreated: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.dateCreated.startsWith(day))).toBe(true);
    await expectOracle({ startDate: "2026-02-01", endDate: "2026-02-10", searchArchive: true });
    await expectOracle({ startDate: "2026-03-10", endDate: "2026-03-01" });
  });

  it("from is a case-insensitive contains over fromAddress, fromName and fromPhoneNumber", async () => {
    const named = liveSessions().find(
      (s) => typeof s.fromName === "string" && s.fromName.includes(" "),
    );
    const word = (named?.fromName as string).split(" ")[1]?.toLowerCase() as string;
    const body = await expectOracle({ from: word, all: true });
    expect((body.items as unknown[]).length).toBeGreaterThan(0);
    await expectOracle({ from: "555", countPerPage: 10 });
    await expectOracle({ from: (liveSessions()[3]?.fromAddress as string).slice(-6) });
  });

  it("to is a case-insensitive contains over toAddress and destination", async () => {
    const target = liveSessions()[5]?.toAddress as string;
    const body = await expectOracle({ to: target.slice(-5), all: true });
    expect((body.items as unknown[]).length).toBeGreaterThan(0);
    await expectOracle({ to: "CLIENT:", all: true });
  });

  it("log searches the log messages, ignoring case", async () => {
    const body = await expectOracle({ log: "VOICEMAIL RECORDED", all: true });
    expect((body.items as unknown[]).length).toBeGreaterThan(0);
    await expectOracle({ log: "hold music", countPerPage: 7, page: 1 });
  });

  it("log matches any needle within one entry: short, regex-special, unicode, any case", async () => {
    // 1–2 characters are shorter than the index's trigrams; the Kelvin sign lower-cases to "k"
    // (a case-insensitive RegExp would not match it); "\n" would span two entries.
    const needles = [
      ...["e", "Q", "zz", "ed", "0s", ".", "(", ")", "*", "+1555", "'", ': "', "[", "\\", "?"],
      ...["é", "İ", "ß", "than\u212As", "\u212A", "CALL ENDED: TRANSFERRED", "hOlD MuSiC"],
      ...["ended: completed (duration", "call ended:\ncall", "queue '", "qqq", "xyzzy"],
    ];
    let matched = 0;
    for (const log of needles) {
      for (const searchArchive of [false, true]) {
        const body = await expectOracle({ log, searchArchive, countPerPage: 30, page: 1 });
        if ((body.totalCount as number) > 0) matched++;
      }
    }
    await expectOracle({ log: "ed", sortField: "fromAddress", sortOrder: "Descend", all: true });
    await expectOracle({ log: "a", simplifiedPaging: true, countPerPage: 5 }, "msp");
    // Most needles must match something, or the comparison proves little.
    expect(matched).toBeGreaterThan(needles.length);
  });

  it("parentSessionId finds the sessions a transfer created", async () => {
    const [child, parent] = Object.entries(data.parentSessionIds ?? {})[0] as [string, string];
    const archive =
      Date.parse(data.sessions.find((s) => s.id === child)?.dateCreated as string) <
      Date.parse(data.archiveCutoff as string);
    const body = await expectOracle({ parentSessionId: parent, searchArchive: archive });
    expect((body.items as { id: string }[]).map((i) => i.id)).toEqual([child]);
  });

  it("customerIds and endpointIds match the session's own customer and endpoint", async () => {
    const sample = liveSessions()[8] as SandboxData["sessions"][number];
    await expectOracle({ customerIds: [sample.customerId as string], all: true });
    await expectOracle({
      endpointIds: [sample.endpointId as string, data.endpoints[0]?.id as string],
      all: true,
    });
  });

  it("accountIds narrows to the accounts asked for; without it a user sees all of theirs", async () => {
    await expectOracle({ countPerPage: 50 }, "msp");
    await expectOracle({ accountIds: [MSP_USER.accountIds[1] as string], countPerPage: 50 }, "msp");
    await expectOracle({ accountIds: [data.accounts[5]?.id as string], all: true });
  });

  it("agrees with the oracle on random combinations of every parameter", async () => {
    const sessions = data.sessions;
    const messageWords = [
      ...new Set(
        sessions
          .slice(0, 200)
          .flatMap((s) => (s.log ?? []).map((e) => (e.message ?? "").split(" ")[1] ?? "")),
      ),
    ];
    const parents = Object.values(data.parentSessionIds ?? {});
    const days = [...new Set(sessions.map((s) => (s.dateCreated as string).slice(0, 10)))].sort();
    const idOf = fc.constantFrom(...sessions.map((s) => s.id as string));
    // Paging and sorting keys appear half of the time; each filter about one time in five, so
    // that many combinations still match something.
    const filter = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
    const arbitrary = fc
      .record({
        paging: fc.record(
          {
            page: fc.integer({ min: 0, max: 3 }),
            countPerPage: fc.integer({ min: 1, max: 60 }),
            all: fc.boolean(),
            simplifiedPaging: fc.boolean(),
            sortField: fc.constantFrom(...SESSION_INFO_FIELDS),
            sortOrder: fc.constantFrom("Ascend" as const, "Descend" as const),
            searchArchive: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        specificIds: filter(fc.array(idOf, { minLength: 1, maxLength: 30 })),
        accountIds: filter(fc.subarray(MSP_USER.accountIds, { minLength: 1 })),
        startDate: filter(fc.constantFrom(...days)),
        endDate: filter(fc.constantFrom(...days)),
        customerIds: filter(
          fc.subarray(
            data.customers.map((c) => c.id),
            { minLength: 1, maxLength: 6 },
          ),
        ),
        endpointIds: filter(
          fc.subarray(
            data.endpoints.map((e) => e.id),
            { minLength: 1, maxLength: 10 },
          ),
        ),
        from: filter(fc.constantFrom("555", "wireless", "jo", "+1555", "DOE", "tx")),
        to: filter(fc.constantFrom("555", "client", "+15552", "9")),
        log: filter(fc.constantFrom(...messageWords.filter((w) => w.length > 2))),
        parentSessionId: filter(fc.constantFrom(...parents)),
      })
      .map(({ paging, ...filters }) => {
        const q: OracleQuery = { ...paging };
        for (const [name, value] of Object.entries(filters))
          if (value !== undefined) Object.assign(q, { [name]: value });
        return q;
      });
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async (q) => {
        const body = await expectOracle(q, "msp");
        if ((body.items as unknown[]).length > 0) nonEmpty++;
      }),
      { numRuns: 80, seed: 20260315 },
    );
    // The property is only worth something if many combinations match sessions.
    expect(nonEmpty).toBeGreaterThan(20);
  });
});
