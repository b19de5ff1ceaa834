import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatIsoDate,
  formatWcfDate,
  parseCalendarDay,
  parseWireDate,
  parseWireList,
} from "../src/wire/index.js";

// The sandbox's own reading of the wire, by example. Core's tests pit it against core's encoding.
describe("parseWireList", () => {
  it.each([
    ["a,b", ["a", "b"]],
    ["[a,b]", ["a", "b"]],
    [" [ a , b ] ", ["a", "b"]],
    ['"a,b",c', ["a,b", "c"]],
    ['"say ""hi""",x', ['say "hi"', "x"]],
    ['" padded ",b', [" padded ", "b"]],
    ["a,,b,", ["a", "b"]],
    ['a,"",b', ["a", "b"]],
    ["", []],
    ["[]", []],
    ['"unclosed,still one', ["unclosed,still one"]],
    ['"a"b,c', ["ab", "c"]],
    ['"a" ,b', ["a", "b"]],
    ['a"b,c', ['a"b', "c"]],
    ['"[x","y]"', ["[x", "y]"]],
    ["Ünïcødé,日本", ["Ünïcødé", "日本"]],
  ])("reads %j as %j", (text, expected) => {
    expect(parseWireList(text)).toEqual(expected);
  });

  it("never throws and never yields an empty element", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(parseWireList(text).every((element) => element !== "")).toBe(true);
      }),
    );
  });
});

describe("wire dates", () => {
  const instant = Date.UTC(2026, 10, 2, 14, 5, 9, 120);
  it.each([
    "2026-11-02T14:05:09.120Z",
    "2026-11-02T14:05:09.1200000Z",
    "2026-11-02T14:05:09.1209Z",
    "2026-11-02 14:05:09.120",
    "2026-11-02t14:05:09.120z",
    "2026-11-02T15:05:09.120+01:00",
    "2026-11-02T15:05:09.120+0100",
    "2026-11-02T15:05:09.120+01",
    "2026-11-02T09:05:09.120-05:00",
    `/Date(${instant})/`,
    `/Date(${instant}-0000)/`,
    `/Date(${instant}+0100)/`,
    ` /Date(${instant}-0500)/ `,
  ])("reads %s as the same instant", (text) => {
    expect(parseWireDate(text)?.getTime()).toBe(instant);
  });

  it.each([
    "2026-02-30",
    "2026-13-01T00:00:00Z",
    "2026-11-02T24:00:00Z",
    "2026-11-02T14:60:00Z",
    "2026-11-02T14:05:09+25:00",
    "/Date(abc)/",
    "/Date(1)",
    "yesterday",
    "",
  ])("rejects %j", (text) => {
    expect(parseWireDate(text)).toBeUndefined();
  });

  it("rejects what is not a string", () => {
    for (const value of [undefined, null, 0, {}, new Date()])
      expect(parseWireDate(value)).toBeUndefined();
  });

  it("reads a day alone as its UTC midnight", () => {
    expect(parseWireDate("2026-11-02")?.getTime()).toBe(Date.UTC(2026, 10, 2));
    expect(parseCalendarDay("2026-11-02")).toBe(Date.UTC(2026, 10, 2));
    expect(parseCalendarDay("0099-01-01")).toBe(new Date("0099-01-01T00:00:00Z").getTime());
    expect(parseCalendarDay("2026-11-02T00:00:00Z")).toBeUndefined();
    expect(parseCalendarDay("2028-02-29")).toBe(Date.UTC(2028, 1, 29));
    expect(parseCalendarDay("2026-02-29")).toBeUndefined();
  });

  it("writes WCF with the milliseconds in UTC and the offset only as a label", () => {
    const date = new Date(instant);
    expect(formatWcfDate(date)).toBe(`/Date(${instant}-0000)/`);
    expect(formatWcfDate(date, 90)).toBe(`/Date(${instant}+0130)/`);
    expect(formatWcfDate(date, -300)).toBe(`/Date(${instant}-0500)/`);
    expect(formatWcfDate(new Date(-1000))).toBe("/Date(-1000-0000)/");
  });

  it("reads back every instant it writes, in both formats", () => {
    const dates = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true });
    fc.assert(
      fc.property(dates, fc.integer({ min: -1439, max: 1439 }), (date, offset) => {
        expect(parseWireDate(formatWcfDate(date, offset))?.getTime()).toBe(date.getTime());
        // toISOString writes ±YYYYYY beyond year 9999, which is no wire date.
        if (date.getUTCFullYear() >= 0 && date.getUTCFullYear() <= 9999)
          expect(parseWireDate(formatIsoDate(date))?.getTime()).toBe(date.getTime());
      }),
    );
  });
});
