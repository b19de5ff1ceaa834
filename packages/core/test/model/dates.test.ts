import { describe, expect, it } from "vitest";
import { formatWcfDate, parseEvoDate } from "../../src/index.js";

describe("parseEvoDate", () => {
  it("reads ServiceStack's WCF form with and without an offset", () => {
    expect(parseEvoDate("/Date(1764412800000-0000)/")?.toISOString()).toBe(
      "2025-11-29T10:40:00.000Z",
    );
    expect(parseEvoDate("/Date(1764412800000+0200)/")?.getTime()).toBe(1764412800000);
    expect(parseEvoDate("/Date(1764412800000)/")?.getTime()).toBe(1764412800000);
    expect(parseEvoDate("/Date(-1000)/")?.getTime()).toBe(-1000);
  });

  it("reads ISO 8601 with Z, an offset, no zone (UTC) or a date alone", () => {
    expect(parseEvoDate("2026-11-29T10:00:00Z")?.toISOString()).toBe("2026-11-29T10:00:00.000Z");
    expect(parseEvoDate("2026-11-29T10:00:00.123+01:00")?.toISOString()).toBe(
      "2026-11-29T09:00:00.123Z",
    );
    expect(parseEvoDate("2026-11-29T10:00:00+0100")?.toISOString()).toBe(
      "2026-11-29T09:00:00.000Z",
    );
    expect(parseEvoDate("2026-11-29T10:00:00")?.toISOString()).toBe("2026-11-29T10:00:00.000Z");
    expect(parseEvoDate("2026-11-29")?.toISOString()).toBe("2026-11-29T00:00:00.000Z");
  });

  it("returns undefined for anything else, never throwing", () => {
    for (const value of [
      "",
      "String",
      "yesterday",
      "2026-13-45",
      "2026-02-30",
      "/Date(abc)/",
      null,
      5,
      {},
    ]) {
      expect(parseEvoDate(value)).toBeUndefined();
    }
  });

  it("round-trips through the WCF form", () => {
    const date = new Date("2026-11-29T10:00:00.000Z");
    expect(parseEvoDate(formatWcfDate(date))).toEqual(date);
  });
});
