import { describe, expect, it } from "vitest";
import {
  QueryValidationError,
  addDays,
  canonicalTimeZone,
  isValidTimeZone,
  startOfLocalDay,
  systemTimeZone,
  zonedParts,
} from "../../src/index.js";

const at = (iso: string) => new Date(iso);

describe("zonedParts", () => {
  it("reads the wall clock of a zone, with the local day and weekday", () => {
    expect(zonedParts(at("2026-11-04T20:05:09Z"), "Asia/Kolkata")).toEqual({
      year: 2026,
      month: 11,
      day: 5,
      hour: 1,
      minute: 35,
      second: 9,
      weekday: 4,
      dayKey: "2026-11-05",
    });
  });

  it("America/New_York: the hour repeated when DST ends reads the same both times", () => {
    const first = zonedParts(at("2026-11-01T05:30:00Z"), "America/New_York");
    const second = zonedParts(at("2026-11-01T06:30:00Z"), "America/New_York");
    expect([first.hour, first.minute, first.dayKey]).toEqual([1, 30, "2026-11-01"]);
    expect([second.hour, second.minute, second.dayKey]).toEqual([1, 30, "2026-11-01"]);
    expect(first.weekday).toBe(0);
  });

  it("Pacific/Kiritimati (+14): UTC noon is already the next day", () => {
    expect(zonedParts(Date.parse("2026-11-04T12:00:00Z"), "Pacific/Kiritimati")).toMatchObject({
      dayKey: "2026-11-05",
      hour: 2,
      weekday: 4,
    });
  });

  it("writes midnight as hour 0", () => {
    expect(zonedParts(at("2026-01-01T00:00:00Z"), "UTC")).toMatchObject({
      hour: 0,
      dayKey: "2026-01-01",
    });
  });

  it("rejects an unknown zone and an invalid date, naming the field", () => {
    expect(() => zonedParts(at("2026-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(
      expect.objectContaining({ name: "QueryValidationError", field: "timeZone" }),
    );
    expect(() => zonedParts(new Date(Number.NaN), "UTC")).toThrow(
      expect.objectContaining({ name: "QueryValidationError", field: "date" }),
    );
  });
});

describe("startOfLocalDay", () => {
  it.each([
    ["UTC", "2026-11-04", "2026-11-04T00:00:00.000Z"],
    ["Asia/Kolkata", "2026-11-05", "2026-11-04T18:30:00.000Z"],
    ["Pacific/Kiritimati", "2026-11-05", "2026-11-04T10:00:00.000Z"],
    // The 23-hour day DST starts and the day after it.
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00.000Z"],
    ["America/New_York", "2026-03-09", "2026-03-09T04:00:00.000Z"],
    // The 25-hour day DST ends and the day after it.
    ["America/New_York", "2026-11-01", "2026-11-01T04:00:00.000Z"],
    ["America/New_York", "2026-11-02", "2026-11-02T05:00:00.000Z"],
    // Santiago's clocks jump from 00:00 to 01:00 on 6 Sep 2026: the day starts at 01:00 (-03).
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z"],
    ["America/Santiago", "2026-09-07", "2026-09-07T03:00:00.000Z"],
  ])("%s: %s starts at %s", (timeZone, day, expected) => {
    const start = startOfLocalDay(day, timeZone);
    expect(start.toISOString()).toBe(expected);
    expect(zonedParts(start, timeZone).dayKey).toBe(day);
    expect(zonedParts(start.getTime() - 1, timeZone).dayKey).toBe(addDays(day, -1));
  });

  it("rejects a day that is not YYYY-MM-DD and an unknown zone", () => {
    for (const day of ["2026-02-30", "4 Nov 2026", ""]) {
      expect(() => startOfLocalDay(day, "UTC")).toThrow(QueryValidationError);
    }
    expect(() => startOfLocalDay("2026-11-04", "Nowhere/Special")).toThrow(
      expect.objectContaining({ field: "timeZone" }),
    );
  });
});

describe("addDays", () => {
  it.each([
    ["2026-11-04", 1, "2026-11-05"],
    ["2026-11-04", -4, "2026-10-31"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-11-04", 0, "2026-11-04"],
  ])("%s %+d days is %s", (day, days, expected) => {
    expect(addDays(day, days)).toBe(expected);
  });

  it("rejects a malformed day and a fractional count", () => {
    expect(() => addDays("2026-13-01", 1)).toThrow(expect.objectContaining({ field: "day" }));
    expect(() => addDays("2026-11-04", 1.5)).toThrow(expect.objectContaining({ field: "days" }));
  });
});

describe("time zone names", () => {
  it("knows IANA zones and gives their canonical spelling", () => {
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeUndefined();
  });

  it("systemTimeZone is the zone this runtime runs in", () => {
    expect(systemTimeZone()).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(isValidTimeZone(systemTimeZone())).toBe(true);
  });
});
