import { describe, expect, it } from "vitest";
import {
  MAX_COUNT_PER_PAGE,
  QueryValidationError,
  SessionInfoFields,
  SessionQuery,
  type ListSessions,
} from "../../src/index.js";

/** Runs `build` and returns the QueryValidationError it must throw. */
function rejection(build: () => unknown): QueryValidationError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(QueryValidationError);
    return error as QueryValidationError;
  }
  throw new Error("expected a QueryValidationError, but nothing was thrown");
}

const q = SessionQuery.create();

describe("building a SessionQuery", () => {
  it("sets every ListSessions parameter fluently", () => {
    const query = q
      .page(2)
      .all()
      .perPage(50)
      .ids("s1", "s2")
      .sortBy("dateCreated", "Descend")
      .simplifiedPaging()
      .accounts("a1")
      .archive()
      .between("2026-11-01", "2026-11-07")
      .customers(["c1", "c2"])
      .endpoints("e1")
      .from("555")
      .to("+1 212")
      .logContains("voicemail")
      .parent("p1");
    expect(query.params).toEqual({
      page: 2,
      all: true,
      countPerPage: 50,
      specificIds: ["s1", "s2"],
      sortField: "dateCreated",
      sortOrder: "Descend",
      simplifiedPaging: true,
      accountIds: ["a1"],
      searchArchive: true,
      startDate: "2026-11-01",
      endDate: "2026-11-07",
      customerIds: ["c1", "c2"],
      endpointIds: ["e1"],
      from: "555",
      to: "+1 212",
      log: "voicemail",
      parentSessionId: "p1",
    } satisfies Required<ListSessions>);
  });

  it("never changes the query it was built from", () => {
    const base = q.from("555").accounts("a1");
    const changed = base.from("777").accounts("a2").page(3).without("accountIds");
    expect(base.params).toEqual({ accountIds: ["a1"], from: "555" });
    expect(changed.params).toEqual({ page: 3, from: "777" });
    expect(q.isEmpty).toBe(true);
  });

  it("hands out frozen params, arrays included", () => {
    const params = q.accounts("a1").params;
    expect(Object.isFrozen(params)).toBe(true);
    expect(Object.isFrozen(params.accountIds)).toBe(true);
    expect(() => (params.accountIds as string[]).push("x")).toThrow(TypeError);
    expect(Object.isFrozen(q.accounts("a1"))).toBe(true);
  });

  it("keeps the seed's parameter order whatever the call order", () => {
    const query = q.parent("p").from("f").page(1).accounts("a");
    expect(Object.keys(query.params)).toEqual(["page", "accountIds", "from", "parentSessionId"]);
  });

  it("replaces lists, drops duplicate and surrounding space, and unsets with none", () => {
    const query = q.accounts("a1", "a2").accounts([" b1 ", "b2", "b1"]);
    expect(query.params.accountIds).toEqual(["b1", "b2"]);
    expect(query.accounts().params.accountIds).toBeUndefined();
    expect(query.accounts([]).params.accountIds).toBeUndefined();
  });

  it("treats empty or blank text as unset and trims text filters", () => {
    const query = q.from(" 555 ").to("x").logContains("busy").parent("p");
    expect(query.params).toMatchObject({ from: "555" });
    expect(query.from("").to("   ").logContains("").parent("").isEmpty).toBe(true);
    expect(q.since("2026-01-01").since("").params.startDate).toBeUndefined();
  });

  it("keeps false booleans and sends them", () => {
    const query = q.all(false).archive(false).simplifiedPaging(false);
    expect(query.params).toEqual({ all: false, simplifiedPaging: false, searchArchive: false });
    expect(query.toQueryString()).toBe("all=false&simplifiedPaging=false&searchArchive=false");
  });

  it("normalises sort fields and orders in any letter case", () => {
    expect(q.sortBy("DATECREATED", "descend").params).toMatchObject({
      sortField: "dateCreated",
      sortOrder: "Descend",
    });
    expect(q.sortBy("fromaddress").params).toMatchObject({
      sortField: "fromAddress",
      sortOrder: "Ascend",
    });
    expect(q.sortOrder("DESC").params.sortOrder).toBe("Descend");
    expect(q.sortOrder("ascending").params.sortOrder).toBe("Ascend");
    expect(q.newest().params).toEqual({ sortField: "dateCreated", sortOrder: "Descend" });
    expect(q.oldest().params).toEqual({ sortField: "dateCreated", sortOrder: "Ascend" });
  });

  it("sets and clears several parameters with with(), without() and clear()", () => {
    const query = q.with({ from: "555", page: 1, accountIds: ["a"] });
    expect(query.params).toEqual({ page: 1, accountIds: ["a"], from: "555" });
    expect(query.with({ from: undefined }).params).toEqual({ page: 1, accountIds: ["a"] });
    expect(query.without("page", "from").params).toEqual({ accountIds: ["a"] });
    expect(query.clear().isEmpty).toBe(true);
  });

  it("accepts since/until and their startDate/endDate aliases", () => {
    expect(q.since("2026-11-01").until("2026-11-07").params).toEqual(
      q.startDate("2026-11-01").endDate("2026-11-07").params,
    );
  });

  it("compares queries by their parameters", () => {
    const a = q.from("555").accounts("a1", "a2");
    expect(a.equals(q.accounts("a1", "a2").from("555"))).toBe(true);
    expect(a.equals({ accountIds: ["a1", "a2"], from: "555" })).toBe(true);
    expect(a.equals(q.accounts("a2", "a1").from("555"))).toBe(false);
    expect(a.equals(q.from("555"))).toBe(false);
    expect(a.equals({ page: -1 })).toBe(false);
  });

  it("builds from a typed params object, rejecting unknown names with a hint", () => {
    expect(SessionQuery.fromParams({ page: 0, from: "555", endDate: undefined }).params).toEqual({
      page: 0,
      from: "555",
    });
    const error = rejection(() => SessionQuery.fromParams({ From: "555" } as ListSessions));
    expect(error).toMatchObject({ field: "From", value: "555" });
    expect(error.reason).toContain("did you mean from?");
    expect(
      rejection(() => SessionQuery.fromParams({ page: "1" } as unknown as ListSessions)).field,
    ).toBe("page");
    expect(rejection(() => SessionQuery.fromParams(null as unknown as ListSessions)).field).toBe(
      "params",
    );
  });

  it("accepts a SessionQuery or params in of()", () => {
    const a = q.from("x");
    expect(SessionQuery.of(a)).toBe(a);
    expect(SessionQuery.of({ from: "x" }).equals(a)).toBe(true);
    expect(SessionQuery.of(undefined).isEmpty).toBe(true);
    expect(SessionQuery.isSessionQuery(a)).toBe(true);
    expect(SessionQuery.isSessionQuery({ params: {} })).toBe(false);
  });
});

describe("validation names the field, the reason and the value", () => {
  it.each([
    ["page", () => q.page(-1), -1, "0-based"],
    ["page", () => q.page(1.5), 1.5, "integer"],
    ["page", () => q.page(Number.NaN), Number.NaN, "integer"],
    ["page", () => q.page(2 ** 31), 2 ** 31, "2147483647"],
    ["countPerPage", () => q.perPage(0), 0, "from 1 to 1000"],
    ["countPerPage", () => q.perPage(MAX_COUNT_PER_PAGE + 1), 1001, "from 1 to 1000"],
    ["countPerPage", () => q.perPage(2.5), 2.5, "integer"],
    ["startDate", () => q.since("2026-02-30"), "2026-02-30", "not a real calendar date"],
    ["endDate", () => q.until("2026-13-01"), "2026-13-01", "not a real calendar date"],
    ["startDate", () => q.since("1/11/2026"), "1/11/2026", "YYYY-MM-DD"],
    ["endDate", () => q.until("2026-11-07T00:00:00Z"), "2026-11-07T00:00:00Z", "YYYY-MM-DD"],
    [
      "startDate",
      () => q.between("2026-11-08", "2026-11-07"),
      "2026-11-08",
      "after endDate 2026-11-07",
    ],
    ["startDate", () => q.until("2026-11-07").since("2026-11-08"), "2026-11-08", "after endDate"],
    [
      "endDate",
      () => q.since("2026-11-08").until("2026-11-07"),
      "2026-11-07",
      "before startDate 2026-11-08",
    ],
    ["sortField", () => q.sortBy("nonsense"), "nonsense", "SessionInfo property"],
    ["sortOrder", () => q.sortBy("dateCreated", "sideways"), "sideways", "Ascend or Descend"],
    ["sortOrder", () => q.sortOrder(""), undefined, ""],
    ["specificIds", () => q.ids("s1", " "), ["s1", " "], "blank"],
    ["accountIds", () => q.accounts(""), [""], "blank"],
    ["customerIds", () => q.customers([" "]), [" "], "blank"],
    ["endpointIds", () => q.endpoints(["e", 5 as unknown as string]), ["e", 5], "string"],
    ["from", () => q.from(555 as unknown as string), 555, "text"],
    ["to", () => q.to("\uD800x"), "\uD800x", "Unicode"],
    ["log", () => q.logContains({} as unknown as string), {}, "text"],
    ["parentSessionId", () => q.parent(["p"] as unknown as string), ["p"], "text"],
    ["all", () => q.all("yes" as unknown as boolean), "yes", "true or false"],
    ["searchArchive", () => q.archive(1 as unknown as boolean), 1, "true or false"],
    ["simplifiedPaging", () => q.simplifiedPaging(null as unknown as boolean), undefined, ""],
  ] as const)("%s: %s", (field, build, value, reason) => {
    if (value === undefined) {
      // An empty sort order or a null flag means "unset", not an error.
      expect((build as () => SessionQuery)().isEmpty).toBe(true);
      return;
    }
    const error = rejection(build);
    expect(error.field).toBe(field);
    expect(error.value).toEqual(value);
    expect(error.reason).toContain(reason);
    expect(error.code).toBe("invalid_query");
    expect(error.message).toContain(field);
  });

  it("lists the valid sort fields in the error", () => {
    const error = rejection(() => q.sortBy("date"));
    for (const name of SessionInfoFields) expect(error.reason).toContain(name);
  });

  it("rejects an unknown name in without()", () => {
    expect(rejection(() => q.without("nope" as never)).field).toBe("nope");
  });
});

describe("serialisation", () => {
  it.each([
    [q.page(0), "page=0"],
    [q.all(), "all=true"],
    [q.perPage(50), "countPerPage=50"],
    [q.ids("s1", "s2"), "specificIds=s1,s2"],
    [q.sortBy("dateCreated", "Descend"), "sortField=dateCreated&sortOrder=Descend"],
    [q.sortOrder("Ascend"), "sortOrder=Ascend"],
    [q.simplifiedPaging(), "simplifiedPaging=true"],
    [q.accounts("a1", "a2"), "accountIds=a1,a2"],
    [q.archive(), "searchArchive=true"],
    [q.since("2026-11-01"), "startDate=2026-11-01"],
    [q.until("2026-11-07"), "endDate=2026-11-07"],
    [q.customers("c 1"), "customerIds=c%201"],
    [q.endpoints("e,1", 'say "hi"'), "endpointIds=%22e,1%22,%22say%20%22%22hi%22%22%22"],
    [q.from("+1 555"), "from=%2B1%20555"],
    [q.to("555&x=1"), "to=555%26x%3D1"],
    [q.logContains("café ☎"), "log=caf%C3%A9%20%E2%98%8E"],
    [q.parent("p1"), "parentSessionId=p1"],
    [q, ""],
  ])("%s", (query, expected) => {
    expect(query.toQueryString()).toBe(expected);
    expect(new URLSearchParams(query.toQueryString()).toString()).toBe(
      query.toSearchParams().toString(),
    );
  });

  it("writes all parameters in the seed's order", () => {
    const full = q
      .parent("p")
      .logContains("l")
      .to("t")
      .from("f")
      .endpoints("e")
      .customers("c")
      .between("2026-01-01", "2026-01-02")
      .archive()
      .accounts("a")
      .simplifiedPaging()
      .sortBy("id", "Descend")
      .ids("s")
      .perPage(10)
      .all()
      .page(1);
    expect([...full.toSearchParams().keys()]).toEqual([
      "page",
      "all",
      "countPerPage",
      "specificIds",
      "sortField",
      "sortOrder",
      "simplifiedPaging",
      "accountIds",
      "searchArchive",
      "startDate",
      "endDate",
      "customerIds",
      "endpointIds",
      "from",
      "to",
      "log",
      "parentSessionId",
    ]);
  });

  it("quotes list elements whose brackets would read as the [a,b] form", () => {
    const query = q.accounts("[a", "b]");
    expect(query.toSearchParams().get("accountIds")).toBe('"[a","b]"');
    expect(SessionQuery.parse(query.toQueryString()).equals(query)).toBe(true);
  });

  it("serialises to JSON as its params and to a string as its query", () => {
    const query = q.from("555").page(1);
    expect(JSON.parse(JSON.stringify(query))).toEqual({ page: 1, from: "555" });
    expect(`${query}`).toBe("page=1&from=555");
  });
});

describe("parsing", () => {
  const expected = q.page(1).accounts("a", "b").from("555");

  it.each([
    ["a query string", "page=1&accountIds=a,b&from=555"],
    ["a leading ?", "?page=1&accountIds=a,b&from=555"],
    ["a full URL", "https://evovoice.io/sessions?page=1&accountIds=a,b&from=555"],
    ["a path", "/sessions.json?page=1&accountIds=a,b&from=555"],
    ["[a,b] lists", "page=1&accountIds=[a,b]&from=555"],
    ["encoded commas", "page=1&accountIds=a%2Cb&from=555"],
    ["any letter case", "PAGE=1&AccountIDs=a,b&From=555"],
    ["repeated list keys", "page=1&accountIds=a&accountids=b&from=555"],
    ["empty values", "page=1&accountIds=a,b&from=555&to=&log=&startDate="],
    ["format", "page=1&accountIds=a,b&from=555&format=json"],
    ["spaces around elements", "page=1&accountIds=%20a%20,%20b%20&from=555"],
    ["empty elements", "page=1&accountIds=,a,,b,&from=555"],
  ])("reads %s", (_name, text) => {
    expect(SessionQuery.parse(text).params).toEqual(expected.params);
  });

  it("reads URLSearchParams", () => {
    expect(
      SessionQuery.parse(new URLSearchParams("page=1&accountIds=a,b&from=555")).equals(expected),
    ).toBe(true);
  });

  it("reads CSV-quoted elements", () => {
    const query = SessionQuery.parse('customerIds="a,b",c,"say ""hi"""');
    expect(query.params.customerIds).toEqual(["a,b", "c", 'say "hi"']);
  });

  it("reads plain objects with arrays or comma text, numbers or numeric text, booleans or true/false", () => {
    const a = SessionQuery.parse({
      page: 1,
      accountIds: ["a", "b"],
      from: "555",
      all: true,
      countPerPage: 10,
    });
    const b = SessionQuery.parse({
      Page: "1",
      ACCOUNTIDS: "a,b",
      from: 555,
      all: "TRUE",
      countperpage: " 10 ",
    });
    expect(a.equals(b)).toBe(true);
    expect(a.params).toEqual({
      page: 1,
      all: true,
      countPerPage: 10,
      accountIds: ["a", "b"],
      from: "555",
    });
    expect(
      SessionQuery.parse({ searchArchive: "false", sortOrder: "desc", sortField: "DateCreated" })
        .params,
    ).toEqual({
      sortField: "dateCreated",
      sortOrder: "Descend",
      searchArchive: false,
    });
    expect(SessionQuery.parse({ from: null, to: undefined, log: "" }).isEmpty).toBe(true);
  });

  it("rejects unknown names unless told to ignore them", () => {
    const error = rejection(() => SessionQuery.parse("acountIds=a1"));
    expect(error.field).toBe("acountIds");
    expect(error.reason).toContain("ignoreUnknown");
    expect(SessionQuery.parse("acountIds=a1&from=5", { ignoreUnknown: true }).params).toEqual({
      from: "5",
    });
    expect(rejection(() => SessionQuery.parse({ frm: "5" })).field).toBe("frm");
  });

  it("rejects a single-valued parameter given twice with different values", () => {
    const error = rejection(() => SessionQuery.parse("from=555&FROM=777"));
    expect(error.field).toBe("from");
    expect(error.reason).toContain("more than once");
    expect(SessionQuery.parse("from=555&from=555").params).toEqual({ from: "555" });
  });

  it.each([
    ["page=-1", "page"],
    ["page=1.5", "page"],
    ["page=abc", "page"],
    ["countPerPage=5000", "countPerPage"],
    ["all=yes", "all"],
    ["startDate=2026-02-29", "startDate"],
    ["startDate=2026-11-08&endDate=2026-11-07", "startDate"],
    ["sortField=colour", "sortField"],
    ["sortOrder=up", "sortOrder"],
  ])("rejects %s naming %s", (text, field) => {
    expect(rejection(() => SessionQuery.parse(text)).field).toBe(field);
  });

  it("rejects values of the wrong shape in objects", () => {
    expect(rejection(() => SessionQuery.parse({ from: ["a", "b"] })).field).toBe("from");
    expect(rejection(() => SessionQuery.parse({ accountIds: ["a", ""] })).field).toBe("accountIds");
    expect(rejection(() => SessionQuery.parse({ accountIds: { a: 1 } })).field).toBe("accountIds");
    expect(rejection(() => SessionQuery.parse({ page: true })).field).toBe("page");
    expect(rejection(() => SessionQuery.parse(42 as never)).field).toBe("query");
    expect(rejection(() => SessionQuery.parse("https://exa mple.com/?page=1")).field).toBe("query");
  });
});

describe("describe()", () => {
  it.each([
    [q, "all sessions"],
    [
      q.from("555").between("2026-11-01", "2026-11-07").archive().newest(),
      'from contains "555" · 1–7 Nov 2026 · archive · newest first',
    ],
    [q.accounts("a1").oldest(), "account a1 · oldest first"],
    [q.accounts("a1", "a2", "a3", "a4", "a5"), "accounts a1, a2, a3 +2 more"],
    [q.customers("c 1", "c2").endpoints("e1"), 'customers "c 1", c2 · endpoint e1'],
    [q.to("212").logContains("voicemail"), 'to contains "212" · log contains "voicemail"'],
    [q.parent("p1"), "children of session p1"],
    [q.ids("s1"), "session s1"],
    [q.ids("s1", "s2", "s3"), "3 specific sessions"],
    [q.between("2026-10-28", "2026-11-03"), "28 Oct – 3 Nov 2026"],
    [q.between("2026-12-28", "2027-01-03"), "28 Dec 2026 – 3 Jan 2027"],
    [q.between("2026-11-05", "2026-11-05"), "5 Nov 2026"],
    [q.since("2026-11-05"), "since 5 Nov 2026"],
    [q.until("2026-11-05"), "until 5 Nov 2026"],
    [q.sortBy("fromAddress", "Descend"), "sorted by fromAddress descending"],
    [q.sortOrder("Descend"), "descending order"],
    [q.page(0).perPage(25), "all sessions"],
    [
      q.page(2).perPage(50).simplifiedPaging(),
      "page 2 (0-based) · 50 per page · simplified paging",
    ],
    [q.all().archive(false), "all at once"],
    [q.logContains("x".repeat(100)), `log contains "${"x".repeat(59)}…"`],
  ])("%s → %s", (query, expected) => {
    expect(query.describe()).toBe(expected);
  });
  it("names accounts from accountNames, as a record or a Map, keeping the ids", () => {
    const query = q.accounts("a1", "a2", "a3", "a4").newest();
    expect(query.describe({ accountNames: { a1: "Acme Dental", a2: "Summit, Inc." } })).toBe(
      'accounts Acme Dental (a1), "Summit, Inc." (a2), a3 +1 more · newest first',
    );
    expect(q.accounts("a1").describe({ accountNames: new Map([["a1", "Acme Dental"]]) })).toBe(
      "account Acme Dental (a1)",
    );
    // An unknown id, or a name that is just the id, reads as before.
    expect(q.accounts("a9").describe({ accountNames: { a1: "Acme Dental", a9: "a9" } })).toBe(
      "account a9",
    );
  });

  it("rejects accountNames that are neither an object nor a Map, naming the option", () => {
    expect(() => q.accounts("a1").describe({ accountNames: "Acme" as never })).toThrow(
      /accountNames/,
    );
  });
});
