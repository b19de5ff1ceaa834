import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ListSessionsParams,
  MAX_COUNT_PER_PAGE,
  MAX_PAGE,
  QueryValidationError,
  SessionInfoFields,
  SessionQuery,
  type ListSessions,
} from "../../src/index.js";

const RUNS = 1000;

// Text that stresses the wire: CSV and list syntax, URL syntax, spaces, non-ASCII and emoji.
const tricky = fc.string({
  unit: fc.constantFrom(
    ",",
    '"',
    "[",
    "]",
    " ",
    "a",
    "Z",
    "0",
    "é",
    "☎",
    "😀",
    "%",
    "+",
    "&",
    "=",
    "?",
    "#",
    "\n",
    "\t",
  ),
  minLength: 1,
  maxLength: 12,
});
const text = fc.oneof(tricky, fc.string({ unit: "grapheme", maxLength: 12 }));
const id = text.filter((value) => value.trim() !== "");
const ids = fc.array(id, { maxLength: 5 });
const day = fc
  .date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("2199-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().slice(0, 10));
const anyCase = (name: string) => fc.constantFrom(name, name.toUpperCase(), name.toLowerCase());

/** Every ListSessions parameter, each present or absent, values as a user might type them. */
const validParams: fc.Arbitrary<ListSessions> = fc
  .record(
    {
      page: fc.integer({ min: 0, max: MAX_PAGE }),
      all: fc.boolean(),
      countPerPage: fc.integer({ min: 1, max: MAX_COUNT_PER_PAGE }),
      specificIds: ids,
      sortField: fc.constantFrom(...SessionInfoFields).chain(anyCase),
      sortOrder: fc.constantFrom("Ascend", "Descend", "asc", "DESC", "descending"),
      simplifiedPaging: fc.boolean(),
      accountIds: ids,
      searchArchive: fc.boolean(),
      dates: fc.tuple(day, day, fc.constantFrom("both", "start", "end")),
      customerIds: ids,
      endpointIds: ids,
      from: text,
      to: text,
      log: text,
      parentSessionId: text,
    },
    { requiredKeys: [] },
  )
  .map(({ dates, ...rest }) => {
    const params = { ...rest } as ListSessions;
    if (dates) {
      const [a, b, which] = dates;
      const [start, end] = a <= b ? [a, b] : [b, a];
      if (which !== "end") params.startDate = start;
      if (which !== "start") params.endDate = end;
    }
    return params;
  });

describe("round trip (property)", () => {
  it("parse(toQueryString(q)) equals q for every valid query, and so do the other forms", () => {
    fc.assert(
      fc.property(validParams, (params) => {
        const query = SessionQuery.fromParams(params);
        const fromText = SessionQuery.parse(query.toQueryString());
        expect(fromText.params).toEqual(query.params);
        expect(fromText.equals(query)).toBe(true);
        expect(SessionQuery.parse(`?${query.toQueryString()}`).equals(query)).toBe(true);
        expect(SessionQuery.parse(query.toSearchParams()).equals(query)).toBe(true);
        expect(SessionQuery.parse(query.toSearchParams().toString()).equals(query)).toBe(true);
        expect(
          SessionQuery.parse(JSON.parse(JSON.stringify(query)) as Record<string, unknown>).equals(
            query,
          ),
        ).toBe(true);
        expect(SessionQuery.fromParams(query.params).equals(query)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("describe() is one line for every valid query", () => {
    fc.assert(
      fc.property(validParams, (params) => {
        const summary = SessionQuery.fromParams(params).describe();
        expect(summary.length).toBeGreaterThan(0);
        // Text filters are JSON-quoted, so a newline inside them never breaks the line.
        expect(summary).not.toContain("\n");
      }),
      { numRuns: RUNS },
    );
  });
});

const KNOWN = new Set<string>(ListSessionsParams);

/** Asserts that `run` either returns a query or throws a QueryValidationError naming a field. */
function succeedsOrNamesAField(
  run: () => SessionQuery,
  allowedFields: (field: string, reason: string) => boolean,
): void {
  let query: SessionQuery;
  try {
    query = run();
  } catch (error) {
    expect(error).toBeInstanceOf(QueryValidationError);
    const { field, reason } = error as QueryValidationError;
    expect(field.trim().length).toBeGreaterThan(0);
    expect(allowedFields(field, reason)).toBe(true);
    return;
  }
  // Whatever was accepted is a valid query: it survives its own round trip.
  expect(SessionQuery.parse(query.toQueryString()).equals(query)).toBe(true);
}

const garbageName = fc.oneof(
  fc.constantFrom(...ListSessionsParams).chain(anyCase),
  fc.constantFrom("format", "Format", "", " page ", "acountIds", "__proto__", "constructor"),
  fc.string({ maxLength: 8 }),
);
const garbageValue = fc.oneof(
  fc.anything(),
  fc.string(),
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string(), fc.integer())),
  fc.constantFrom(
    "true",
    "FALSE",
    "2026-02-30",
    "2026-11-01",
    "a,b",
    "[a,b]",
    '"x',
    "-1",
    "0",
    "1e3",
    " ",
    "desc",
    "\uD800",
  ),
);

describe("invalid input (property)", () => {
  it("parse() of any object succeeds or names a field", () => {
    fc.assert(
      fc.property(
        fc.dictionary(garbageName, garbageValue, { maxKeys: 6 }),
        fc.boolean(),
        (input, ignoreUnknown) => {
          succeedsOrNamesAField(
            () => SessionQuery.parse(input, { ignoreUnknown }),
            (field) => KNOWN.has(field) || (!ignoreUnknown && Object.hasOwn(input, field)),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("parse() of any query string succeeds or names a field", () => {
    const pairs = fc.array(fc.tuple(garbageName, fc.oneof(fc.string(), text)), { maxLength: 6 });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          pairs.map((list) => new URLSearchParams(list).toString()),
        ),
        (input) => {
          succeedsOrNamesAField(
            () => SessionQuery.parse(input),
            (field, reason) =>
              KNOWN.has(field) ||
              field === "query" ||
              reason.startsWith("is not a ListSessions parameter"),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("fromParams() of anything succeeds or names a field", () => {
    const input = fc.oneof(fc.anything(), fc.dictionary(garbageName, garbageValue, { maxKeys: 6 }));
    fc.assert(
      fc.property(input, (value) => {
        succeedsOrNamesAField(
          () => SessionQuery.fromParams(value as ListSessions),
          (field) =>
            KNOWN.has(field) ||
            field === "params" ||
            (typeof value === "object" && value !== null && Object.hasOwn(value, field)),
        );
      }),
      { numRuns: RUNS },
    );
  });
});
