// Core and the sandbox each encode the wire contract on their own, from docs/spec (the sandbox
// imports nothing from core). This file pits one encoding against the other: a mistake in
// either shows up here as a disagreement, where a shared implementation would hide it.
import {
  SESSION_INFO_FIELDS,
  formatIsoDate,
  formatWcfDate as sandboxFormatWcfDate,
  parseListSessions,
  parseWireDate,
  parseWireList as sandboxParseWireList,
} from "@evo-sessions/sandbox/wire";
import { generateDataset, startSandbox, type Sandbox } from "@evo-sessions/sandbox";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SessionInfoFields,
  SessionQuery,
  StrictSessionListResponseSchema,
  decodeAccount,
  decodeSession,
  decodeSessionList,
  formatWcfDate,
  formatWireList,
  parseEvoDate,
  parseWireList,
} from "../../src/index.js";

const RUNS = { numRuns: 300, seed: 20261102 };

/** Strings the wire must carry: commas, quotes, brackets, spaces and any Unicode. */
const awkwardText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(",", '"', "[", "]", " ", "a", "é", "日", "😀"), maxLength: 8 }),
);

/** What a list element means once on the wire: bare elements lose surrounding blanks. */
const canonicalElement = awkwardText.filter((text) => text !== "" && text.trim() === text);

describe("SessionInfo's field names", () => {
  it("are the same in core's schema and the sandbox's list", () => {
    expect([...SessionInfoFields].sort()).toEqual([...SESSION_INFO_FIELDS].sort());
    expect(SessionInfoFields).toHaveLength(41);
  });
});

describe("list parameters: core writes, the sandbox reads", () => {
  it("gives back every element, commas, quotes and Unicode included", () => {
    fc.assert(
      fc.property(fc.array(canonicalElement, { maxLength: 6 }), (values) => {
        expect(sandboxParseWireList(formatWireList(values))).toEqual(values);
      }),
      RUNS,
    );
  });

  it("reads anything core writes as core itself reads it back", () => {
    fc.assert(
      fc.property(fc.array(awkwardText, { maxLength: 6 }), (values) => {
        const wire = formatWireList(values);
        expect(sandboxParseWireList(wire)).toEqual(parseWireList(wire));
      }),
      RUNS,
    );
  });

  it("agrees with core's reader on the spellings the notes allow", () => {
    for (const wire of ["a,b", "[a,b]", '"a,b",c', '"say ""hi""",x', "a,,b,", " a , b ", ""])
      expect(sandboxParseWireList(wire), wire).toEqual(parseWireList(wire));
  });
});

describe("a SessionQuery read by the sandbox's ListSessions binder", () => {
  const ids = fc.array(canonicalElement, { minLength: 1, maxLength: 4 });
  const day = fc
    .date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  const contains = canonicalElement;

  it("means the same request, whichever way core serialises it", () => {
    const params = fc.record(
      {
        accountIds: ids,
        customerIds: ids,
        endpointIds: ids,
        specificIds: ids,
        startDate: day,
        from: contains,
        to: contains,
        log: contains,
        page: fc.integer({ min: 0, max: 1000 }),
        countPerPage: fc.integer({ min: 1, max: 500 }),
        sortField: fc.constantFrom(...SessionInfoFields),
        sortOrder: fc.constantFrom("Ascend" as const, "Descend" as const),
        searchArchive: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(params, (input) => {
        const query = SessionQuery.fromParams(input);
        const viaParams = parseListSessions(query.toSearchParams(), { unknownSortField: "reject" });
        const viaText = parseListSessions(new URLSearchParams(query.toQueryString()), {
          unknownSortField: "reject",
        });
        expect(viaText).toEqual(viaParams);
        if (!viaParams.ok) throw new Error(JSON.stringify(viaParams.rejection));
        const read = viaParams.request;
        expect(read.accountIds).toEqual(input.accountIds);
        expect(read.customerIds).toEqual(input.customerIds && new Set(input.customerIds));
        expect(read.endpointIds).toEqual(input.endpointIds && new Set(input.endpointIds));
        expect(read.specificIds).toEqual(input.specificIds && new Set(input.specificIds));
        expect(read.startMs).toBe(input.startDate && Date.parse(`${input.startDate}T00:00:00Z`));
        expect(read.from).toBe(input.from?.toLowerCase());
        expect(read.to).toBe(input.to?.toLowerCase());
        expect(read.log).toBe(input.log?.toLowerCase());
        expect(read.page).toBe(input.page ?? 0);
        expect(read.countPerPage).toBe(input.countPerPage ?? 25);
        expect(read.sortField).toBe(input.sortField);
        expect(read.sortOrder).toBe(input.sortOrder);
        expect(read.searchArchive).toBe(input.searchArchive ?? false);
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});

describe("dates: each side reads what the other writes", () => {
  // Years 1–9999: ISO 8601 as the wire writes it has four digits.
  const instant = fc.date({
    min: new Date("0001-01-01T00:00:00Z"),
    max: new Date("9999-12-31T23:59:59.999Z"),
    noInvalidDate: true,
  });
  const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });

  it("core reads the sandbox's WCF dates (any zone label) and ISO dates", () => {
    fc.assert(
      fc.property(instant, offsetMinutes, (date, offset) => {
        expect(parseEvoDate(sandboxFormatWcfDate(date, offset))?.getTime()).toBe(date.getTime());
        expect(parseEvoDate(formatIsoDate(date))?.getTime()).toBe(date.getTime());
      }),
      RUNS,
    );
  });

  it("the sandbox reads core's WCF dates and ISO dates", () => {
    fc.assert(
      fc.property(instant, (date) => {
        expect(parseWireDate(formatWcfDate(date))?.getTime()).toBe(date.getTime());
        expect(parseWireDate(date.toISOString())?.getTime()).toBe(date.getTime());
      }),
      RUNS,
    );
  });

  // Found by the property above: core once built days with Date.UTC, which reads the years
  // 0–99 as 1900–1999, and so rejected "0099-12-31T23:59:59.999Z".
  it("core reads ISO dates in the years 1–99", () => {
    const date = new Date("0099-12-31T23:59:59.999Z");
    expect(parseWireDate(formatIsoDate(date))?.getTime()).toBe(date.getTime());
    expect(parseEvoDate(formatIsoDate(date))?.getTime()).toBe(date.getTime());
  });

  it("both read the variants the notes leave open to the same instant, or both reject them", () => {
    const texts = [
      "/Date(1764412800000-0000)/",
      "/Date(1764412800000+0530)/",
      "/Date(1764412800000)/",
      "/Date(-86400000-0000)/",
      "2026-11-29T10:40:00Z",
      "2026-11-29T10:40:00.1234567Z",
      "2026-11-29T10:40:00+01:00",
      "2026-11-29T10:40:00+0100",
      "2026-11-29T10:40:00",
      "2026-11-29 10:40",
      "2026-11-29",
      "2026-02-30",
      "2026-11-29T25:00:00Z",
      "not a date",
    ];
    for (const text of texts)
      expect(parseWireDate(text)?.getTime(), text).toBe(parseEvoDate(text)?.getTime());
  });
});

describe("what the sandbox serves decodes with core's strict schemas", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, sessions: 200, seed: 7, dateFormat: "wcf" });
  });
  afterAll(() => sandbox.close());

  const admin = (): Record<string, string> => ({
    Authorization: `Basic ${Buffer.from("admin:admin-password").toString("base64")}`,
  });
  const get = async (path: string): Promise<unknown> =>
    (await fetch(`${sandbox.url}${path}`, { headers: admin() })).json();

  it("its generated data, without a single warning", () => {
    const data = generateDataset({ sessions: 1000, seed: 11, now: new Date("2026-03-15") });
    const page = { items: data.sessions, totalCount: 1000, totalPages: 1, hasMorePages: false };
    expect(StrictSessionListResponseSchema.safeParse(page).success).toBe(true);
    expect(decodeSessionList(page).warnings).toEqual([]);
    for (const account of data.accounts) expect(decodeAccount(account).warnings).toEqual([]);
  });

  it("its WCF-dated pages and single sessions, with the same instants as its data", async () => {
    // Live sessions: GET /sessions/{id} answers 404 for an archived one (as on staging).
    const body = await get("/sessions?countPerPage=50");
    const decoded = decodeSessionList(body);
    expect(decoded.warnings).toEqual([]);
    const first = decoded.value.items?.[0];
    const original = sandbox.data.sessions.find((session) => session.id === first?.id);
    expect(parseEvoDate(first?.dateCreated)?.toISOString()).toBe(original?.dateCreated);
    expect(decodeSession(await get(`/sessions/${first?.id ?? ""}`)).warnings).toEqual([]);
  });

  it("its drift fault, as unknown enum values and unknown properties only", async () => {
    sandbox.faults.inject({ route: "sessions", fault: { type: "drift" }, times: 1 });
    const codes = new Set(decodeSessionList(await get("/sessions")).warnings.map((w) => w.code));
    expect(codes).toEqual(new Set(["unknown_enum_value", "unknown_property"]));
  });
});
