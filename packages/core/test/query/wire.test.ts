import { describe, expect, it } from "vitest";
import { formatWireList, parseWireList, readParam } from "../../src/index.js";

describe("wire lists", () => {
  it("comma-joins and CSV-quotes elements with commas or quotes", () => {
    expect(formatWireList(["a", "b,c", 'say "hi"'])).toBe('a,"b,c","say ""hi"""');
  });

  it("quotes a leading [ or trailing ] so the list does not read as the [a,b] form", () => {
    expect(formatWireList(["[a", "b]"])).toBe('"[a","b]"');
    expect(parseWireList(formatWireList(["[a", "b]"]))).toEqual(["[a", "b]"]);
    expect(parseWireList(formatWireList(["[x]"]))).toEqual(["[x]"]);
    expect(formatWireList(["a[b]c"])).toBe("a[b]c");
  });

  it("parses comma lists, [a,b] lists and quoted elements", () => {
    expect(parseWireList("a,b")).toEqual(["a", "b"]);
    expect(parseWireList("[a, b]")).toEqual(["a", "b"]);
    expect(parseWireList('a,"b,c","say ""hi"""')).toEqual(["a", "b,c", 'say "hi"']);
    expect(parseWireList(",,a,,")).toEqual(["a"]);
    expect(parseWireList('"unclosed,x')).toEqual(["unclosed,x"]);
  });

  it("round-trips any list of non-blank strings", () => {
    const values = ["x", " y ", "a,b", '"q"', "[z]"];
    const trimmed = values.map((v) => (/[",]/.test(v) ? v : v.trim()));
    expect(parseWireList(formatWireList(values))).toEqual(trimmed);
  });

  it("reads parameters in any letter case, ignoring empty values", () => {
    const params = new URLSearchParams("AccountIds=a1&accountids=&FROM=555");
    expect(readParam(params, "accountIds")).toBe("a1");
    expect(readParam(params, "from")).toBe("555");
    expect(readParam(params, "to")).toBeUndefined();
  });
});
