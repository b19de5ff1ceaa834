import { describe, expect, it } from "vitest";
import { formatWhen } from "../../src/time/time-text.js";

describe("formatWhen", () => {
  it("writes a wire date and a Date alike, in the zone", () => {
    const wire = "2026-03-10T15:00:00Z";
    expect(formatWhen(wire, "Asia/Tokyo")).toBe("2026-03-11 00:00");
    expect(formatWhen(new Date(wire), "Asia/Tokyo")).toBe("2026-03-11 00:00");
    expect(formatWhen("/Date(1773154800000-0000)/", "UTC")).toBe("2026-03-10 15:00");
  });

  it("is undefined for what it cannot read", () => {
    expect(formatWhen("not a date", "UTC")).toBeUndefined();
    expect(formatWhen(new Date(Number.NaN), "UTC")).toBeUndefined();
    expect(formatWhen(undefined, "UTC")).toBeUndefined();
  });
});
