import { describe, expect, it } from "vitest";
import {
  QueryValidationError,
  SessionQuery,
  isWithinRange,
  localDateIn,
  resolveRelativeRange,
  type RelativeRangePreset,
} from "../../src/index.js";

/** The parts of a resolved range a user sees, instants as ISO text. */
function resolve(
  preset: RelativeRangePreset,
  now: string,
  timeZone: string,
  weekStartsOn?: number,
) {
  const range = resolveRelativeRange(preset, { now: new Date(now), timeZone, weekStartsOn });
  return {
    local: [range.localStartDate, range.localEndDate],
    sent: [range.startDate, range.endDate],
    from: range.from.toISOString(),
    to: range.to.toISOString(),
  };
}

describe("relative ranges in UTC (Wednesday 4 Nov 2026, 10:00)", () => {
  const now = "2026-11-04T10:00:00Z";
  it.each([
    ["today", ["2026-11-04", "2026-11-04"], "2026-11-04T00:00:00.000Z", "2026-11-05T00:00:00.000Z"],
    [
      "yesterday",
      ["2026-11-03", "2026-11-03"],
      "2026-11-03T00:00:00.000Z",
      "2026-11-04T00:00:00.000Z",
    ],
    [
      "last-7-days",
      ["2026-10-29", "2026-11-04"],
      "2026-10-29T00:00:00.000Z",
      "2026-11-05T00:00:00.000Z",
    ],
    [
      "this-week",
      ["2026-11-02", "2026-11-04"],
      "2026-11-02T00:00:00.000Z",
      "2026-11-05T00:00:00.000Z",
    ],
    [
      "last-week",
      ["2026-10-26", "2026-11-01"],
      "2026-10-26T00:00:00.000Z",
      "2026-11-02T00:00:00.000Z",
    ],
    [
      "this-month",
      ["2026-11-01", "2026-11-04"],
      "2026-11-01T00:00:00.000Z",
      "2026-11-05T00:00:00.000Z",
    ],
    [
      "last-month",
      ["2026-10-01", "2026-10-31"],
      "2026-10-01T00:00:00.000Z",
      "2026-11-01T00:00:00.000Z",
    ],
  ] as const)("%s", (preset, local, from, to) => {
    // In UTC the local days are exactly the days sent.
    expect(resolve(preset, now, "UTC")).toEqual({ local, sent: local, from, to });
  });

  it("last-24-hours ends now and spans two UTC days", () => {
    expect(resolve("last-24-hours", now, "UTC")).toEqual({
      local: ["2026-11-03", "2026-11-04"],
      sent: ["2026-11-03", "2026-11-04"],
      from: "2026-11-03T10:00:00.000Z",
      to: "2026-11-04T10:00:00.000Z",
    });
  });

  it("starts weeks on Sunday when asked", () => {
    expect(resolve("this-week", now, "UTC", 0).local).toEqual(["2026-11-01", "2026-11-04"]);
    expect(resolve("this-week", "2026-11-01T10:00:00Z", "UTC").local).toEqual([
      "2026-10-26",
      "2026-11-01",
    ]);
  });

  it("reads last month across a year boundary", () => {
    expect(resolve("last-month", "2027-01-15T00:00:00Z", "UTC").local).toEqual([
      "2026-12-01",
      "2026-12-31",
    ]);
  });
});

describe("relative ranges in other zones", () => {
  it("America/New_York: the 25-hour day DST ends (1 Nov 2026) covers two UTC days", () => {
    expect(resolve("today", "2026-11-01T15:00:00Z", "America/New_York")).toEqual({
      local: ["2026-11-01", "2026-11-01"],
      sent: ["2026-11-01", "2026-11-02"],
      from: "2026-11-01T04:00:00.000Z",
      to: "2026-11-02T05:00:00.000Z",
    });
  });

  it("America/New_York: the 23-hour day DST starts (8 Mar 2026)", () => {
    expect(resolve("today", "2026-03-08T18:00:00Z", "America/New_York")).toMatchObject({
      from: "2026-03-08T05:00:00.000Z",
      to: "2026-03-09T04:00:00.000Z",
    });
  });

  it("America/New_York: a week across the DST change keeps local midnights", () => {
    expect(resolve("last-7-days", "2026-11-04T15:00:00Z", "America/New_York")).toEqual({
      local: ["2026-10-29", "2026-11-04"],
      sent: ["2026-10-29", "2026-11-05"],
      from: "2026-10-29T04:00:00.000Z",
      to: "2026-11-05T05:00:00.000Z",
    });
  });

  it("America/New_York: late evening is still the local day, though UTC has moved on", () => {
    const range = resolve("yesterday", "2026-11-04T03:00:00Z", "America/New_York");
    expect(range.local).toEqual(["2026-11-02", "2026-11-02"]);
    expect(range.sent).toEqual(["2026-11-02", "2026-11-03"]);
  });

  it("Asia/Kolkata (+05:30): the local day starts the UTC evening before", () => {
    expect(resolve("today", "2026-11-04T20:00:00Z", "Asia/Kolkata")).toEqual({
      local: ["2026-11-05", "2026-11-05"],
      sent: ["2026-11-04", "2026-11-05"],
      from: "2026-11-04T18:30:00.000Z",
      to: "2026-11-05T18:30:00.000Z",
    });
  });

  it("Pacific/Kiritimati (+14): 7 local days need 8 UTC days", () => {
    expect(resolve("last-7-days", "2026-11-04T12:00:00Z", "Pacific/Kiritimati")).toEqual({
      local: ["2026-10-30", "2026-11-05"],
      sent: ["2026-10-29", "2026-11-05"],
      from: "2026-10-29T10:00:00.000Z",
      to: "2026-11-05T10:00:00.000Z",
    });
  });

  it("America/Santiago: a day whose midnight DST skips starts at 01:00", () => {
    expect(resolve("today", "2026-09-06T12:00:00Z", "America/Santiago")).toMatchObject({
      from: "2026-09-06T04:00:00.000Z",
      to: "2026-09-07T03:00:00.000Z",
    });
  });

  it("labels the range with its local days and zone", () => {
    const at = { now: new Date("2026-11-04T15:00:00Z"), timeZone: "America/New_York" };
    expect(resolveRelativeRange("last-7-days", at).label).toBe(
      "last 7 days (29 Oct – 4 Nov 2026, America/New_York)",
    );
    expect(resolveRelativeRange("today", at).label).toBe("today (4 Nov 2026, America/New_York)");
    expect(resolveRelativeRange("last-24-hours", at).label).toBe(
      "last 24 hours (until 4 Nov 2026 10:00, America/New_York)",
    );
  });
});

describe("presets, clocks and errors", () => {
  const at = { now: new Date("2026-11-04T10:00:00Z"), timeZone: "UTC" };

  it.each<RelativeRangePreset>([
    "last-7-days",
    "Last 7 Days",
    "last_7_days",
    "last-7d",
    "past-7-days",
    { lastDays: 7 },
  ])("reads %j as the last 7 days", (preset) => {
    expect(resolveRelativeRange(preset, at).preset).toBe("last-7-days");
  });

  it.each<RelativeRangePreset>([
    "last-24-hours",
    "last 24 hours",
    "last-24h",
    "LAST-24-HRS",
    { lastHours: 24 },
  ])("reads %j as the last 24 hours", (preset) => {
    expect(resolveRelativeRange(preset, at).preset).toBe("last-24-hours");
  });

  it("takes the clock as a function and canonicalises the zone", () => {
    const range = resolveRelativeRange("today", {
      now: () => new Date("2026-11-04T10:00:00Z"),
      timeZone: "utc",
    });
    expect(range.timeZone).toBe("UTC");
    expect(range.localStartDate).toBe("2026-11-04");
  });

  it("defaults to the machine's zone", () => {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(resolveRelativeRange("today", { now: at.now }).timeZone).toBe(zone);
  });

  it.each([
    ["range", "next-week", {}],
    ["range", { lastDays: 0 }, {}],
    ["range", { lastDays: 7, lastHours: 1 }, {}],
    ["range", "last-0-days", {}],
    ["range", { lastHours: 1.5 }, {}],
    ["timeZone", "today", { timeZone: "Mars/Olympus_Mons" }],
    ["timeZone", "today", { timeZone: "" }],
    ["now", "today", { now: new Date(Number.NaN) }],
    ["now", "today", { now: () => "yesterday" as unknown as Date }],
    ["weekStartsOn", "this-week", { weekStartsOn: 7 }],
  ] as const)("names %s when it is wrong (%j)", (field, preset, options) => {
    let caught: unknown;
    try {
      resolveRelativeRange(preset as RelativeRangePreset, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueryValidationError);
    expect((caught as QueryValidationError).field).toBe(field);
  });

  it("post-filters sessions by exact instant, to exclusive", () => {
    const range = resolveRelativeRange("today", {
      now: new Date("2026-11-04T15:00:00Z"),
      timeZone: "America/New_York",
    });
    expect(isWithinRange(range, "2026-11-04T05:00:00Z")).toBe(true);
    expect(isWithinRange(range, "2026-11-04T04:59:59Z")).toBe(false);
    expect(isWithinRange(range, `/Date(${Date.parse("2026-11-05T04:59:00Z")}-0000)/`)).toBe(true);
    expect(isWithinRange(range, new Date("2026-11-05T05:00:00Z"))).toBe(false);
    expect(isWithinRange(range, "not a date")).toBe(false);
    expect(isWithinRange(range, undefined)).toBe(false);
  });

  it("gives the local day of an instant", () => {
    expect(localDateIn(new Date("2026-11-04T20:00:00Z"), "Asia/Kolkata")).toBe("2026-11-05");
  });

  it("sets a SessionQuery's days with range()", () => {
    const query = SessionQuery.create()
      .from("555")
      .range("last-7-days", {
        now: new Date("2026-11-04T12:00:00Z"),
        timeZone: "Pacific/Kiritimati",
      });
    expect(query.params).toEqual({ startDate: "2026-10-29", endDate: "2026-11-05", from: "555" });
    // The summary names the local days asked for, not the UTC days sent.
    expect(query.describe()).toBe(
      'from contains "555" · last 7 days (30 Oct – 5 Nov 2026, Pacific/Kiritimati)',
    );
  });
});

describe("a SessionQuery keeps the relative range it was given", () => {
  // Monday 2 Nov 2026, 15:00 in New York (20:00 UTC).
  const options = { now: new Date("2026-11-02T20:00:00Z"), timeZone: "America/New_York" };
  const today = SessionQuery.create().range("today", options);

  it("sends the UTC days covering the local day but describes the local day", () => {
    expect(today.params).toEqual({ startDate: "2026-11-02", endDate: "2026-11-03" });
    expect(today.describe()).toBe("today (2 Nov 2026, America/New_York)");
    expect(today.toQueryString()).toBe("startDate=2026-11-02&endDate=2026-11-03");
    expect(today.resolvedRange).toMatchObject({
      preset: "today",
      localStartDate: "2026-11-02",
      localEndDate: "2026-11-02",
    });
  });

  it("tells sessions inside the local day from those the UTC days add", () => {
    expect(today.matchesRange({ dateCreated: "2026-11-02T05:00:00Z" })).toBe(true);
    expect(today.matchesRange({ dateCreated: "2026-11-03T04:59:59Z" })).toBe(true);
    expect(today.matchesRange({ dateCreated: "2026-11-02T04:59:59Z" })).toBe(false);
    expect(today.matchesRange({ dateCreated: "2026-11-03T05:00:00Z" })).toBe(false);
    // Without a relative range every session matches.
    expect(SessionQuery.create().matchesRange({ dateCreated: null })).toBe(true);
  });

  it("keeps the range through other changes and drops it when the dates are set otherwise", () => {
    expect(today.from("555").accounts("a1").page(2).resolvedRange?.preset).toBe("today");
    expect(today.since("2026-11-01").resolvedRange).toBeUndefined();
    expect(today.without("endDate").resolvedRange).toBeUndefined();
    expect(today.between("2026-11-02", "2026-11-03").describe()).toBe("2–3 Nov 2026");
  });

  it("compares ranges in equals(), not just the days they send", () => {
    const sameDays = SessionQuery.create().between("2026-11-02", "2026-11-03");
    expect(today.params).toEqual(sameDays.params);
    expect(today.equals(sameDays)).toBe(false);
    expect(sameDays.equals(today)).toBe(false);
    expect(today.equals(SessionQuery.create().range("today", options))).toBe(true);
    // The same UTC days from another zone's "today" are a different range.
    const london = SessionQuery.create().range("today", {
      now: new Date("2026-11-02T20:00:00Z"),
      timeZone: "Europe/London",
    });
    expect(london.equals(today)).toBe(false);
  });

  it("is not part of the wire form: parsing the query string gives the UTC days only", () => {
    const parsed = SessionQuery.parse(today.toQueryString());
    expect(parsed.params).toEqual(today.params);
    expect(parsed.resolvedRange).toBeUndefined();
    expect(today.toJSON()).toEqual({ startDate: "2026-11-02", endDate: "2026-11-03" });
  });

  it("hands out a copy of the range, so the query cannot be changed through it", () => {
    today.resolvedRange?.from.setTime(0);
    expect(today.matchesRange({ dateCreated: "2026-11-02T05:00:00Z" })).toBe(true);
    expect(today.resolvedRange?.from.toISOString()).toBe("2026-11-02T05:00:00.000Z");
  });
});
