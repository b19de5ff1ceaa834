// The weekday and hour filters (a heatmap cell): read in the filter's zone, else the window's,
// else UTC, validated, canonical, and kept in the query's spec.
import { describe, expect, it } from "vitest";
import { QueryValidationError } from "../../src/errors/evo-voice-error.js";
import type { SessionInfo } from "../../src/model/session.js";
import { SessionQuery } from "../../src/query/session-query.js";

const at = (dateCreated: string): SessionInfo => ({ id: dateCreated, dateCreated }) as SessionInfo;
// Mon 30 Nov 2026 14:30 UTC is Mon 08:30 in Chicago and Tue 01:30 in Auckland.
const monday1430Utc = at("2026-11-30T14:30:00Z");

describe("weekday and hour filters", () => {
  it("keep sessions that started in the cell, in UTC by default", () => {
    const query = SessionQuery.create().filter({ weekdays: [1], hours: [14] });
    expect(query.matches(monday1430Utc)).toBe(true);
    expect(query.matches(at("2026-11-30T15:00:00Z"))).toBe(false);
    expect(query.matches(at("2026-12-01T14:30:00Z"))).toBe(false);
    expect(query.filtersLocally).toBe(true);
    expect(query.toQueryString()).toBe("");
  });

  it("read the filter's own zone before the window's", () => {
    const chicago = SessionQuery.create().filter({
      weekdays: [1],
      hours: [8],
      timeZone: "America/Chicago",
    });
    expect(chicago.matches(monday1430Utc)).toBe(true);
    const windowed = SessionQuery.create()
      .localDays("2026-11-29", "2026-12-05", { timeZone: "Pacific/Auckland" })
      .filter({ weekdays: [2], hours: [1, 3] });
    expect(windowed.matches(monday1430Utc)).toBe(true);
    expect(windowed.filter({ timeZone: "UTC" }).matches(monday1430Utc)).toBe(false);
  });

  it("take either alone, and drop sessions whose start cannot be read", () => {
    expect(
      SessionQuery.create()
        .filter({ weekdays: [1] })
        .matches(monday1430Utc),
    ).toBe(true);
    expect(
      SessionQuery.create()
        .filter({ hours: [14] })
        .matches(monday1430Utc),
    ).toBe(true);
    expect(
      SessionQuery.create()
        .filter({ hours: [13] })
        .matches(monday1430Utc),
    ).toBe(false);
    const noStart = { id: "x" } as SessionInfo;
    expect(
      SessionQuery.create()
        .filter({ hours: [14] })
        .matches(noStart),
    ).toBe(false);
    // A zone alone filters nothing.
    expect(SessionQuery.create().filter({ timeZone: "UTC" }).matches(noStart)).toBe(true);
  });

  it("are canonical (sorted, deduplicated, zone names canonical) and survive the spec", () => {
    const query = SessionQuery.create().filter({
      hours: [15, 14, 14],
      weekdays: 3,
      timeZone: " utc ",
    });
    expect(query.where).toEqual({ weekdays: [3], hours: [14, 15], timeZone: "UTC" });
    expect(SessionQuery.fromSpec(query.toSpec()).equals(query)).toBe(true);
    expect(query.describe()).toBe("on Wed · started 14:00–15:00 or 15:00–16:00 (UTC)");
    expect(
      SessionQuery.create()
        .filter({ weekdays: [0, 6] })
        .describe(),
    ).toBe("on Sun or Sat");
    expect(query.filter({ hours: undefined, weekdays: [] }).where).toEqual({ timeZone: "UTC" });
  });

  it("refuse values outside their range", () => {
    for (const bad of [{ weekdays: [7] }, { hours: [24] }, { hours: [1.5] }, { hours: "9" }]) {
      expect(() => SessionQuery.create().filter(bad)).toThrow(QueryValidationError);
    }
    expect(() => SessionQuery.create().filter({ timeZone: "Mars/Base" })).toThrow(/IANA/);
  });
});
