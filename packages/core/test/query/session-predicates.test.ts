import { describe, expect, it } from "vitest";
import { QueryValidationError } from "../../src/errors/evo-voice-error.js";
import type { SessionInfo } from "../../src/model/session.js";
import { canonicalPreset, presetLabel, RANGE_PRESETS } from "../../src/query/relative-range.js";
import { SessionQuery } from "../../src/query/session-query.js";

const now = new Date("2026-11-20T12:00:00Z");
// SessionInfo names every field (undefined where absent); tests give only those that matter.
const at = (dateCreated: string, fields: Partial<SessionInfo> = {}): SessionInfo =>
  ({ id: dateCreated, dateCreated, ...fields }) as SessionInfo;

describe("session filters on the query", () => {
  it("keep only what they ask for, and never reach the wire", () => {
    const query = SessionQuery.create()
      .from("555")
      .missed()
      .direction("incoming")
      .channel("VOICE")
      .outcomes("voicemail", "Abandoned");
    expect(query.where).toEqual({
      missed: true,
      direction: "Incoming",
      channel: "Voice",
      outcomes: ["voicemail", "Abandoned"],
    });
    expect(query.toQueryString()).toBe("from=555");
    expect(query.filtersLocally).toBe(true);
    const base = { direction: "Incoming", channel: "Voice", wasMissed: true } as const;
    expect(query.matches(at("2026-11-20T10:00:00Z", { ...base, outcome: "Abandoned" }))).toBe(true);
    expect(query.matches(at("2026-11-20T10:00:00Z", { ...base, outcome: "Answered" }))).toBe(false);
    expect(
      query.matches(
        at("2026-11-20T10:00:00Z", { ...base, outcome: "Voicemail", direction: "Outgoing" }),
      ),
    ).toBe(false);
    expect(query.describe()).toBe(
      'from contains "555" · missed only · incoming only · voice only · outcome "voicemail" or "Abandoned"',
    );
  });

  it("reject bad values naming the filter", () => {
    const query = SessionQuery.create();
    expect(() => query.direction("sideways")).toThrow(QueryValidationError);
    expect(() => query.direction("sideways")).toThrow(
      /Invalid direction: must be one of Incoming, Outgoing/,
    );
    expect(() => query.filter({ missed: "yes" })).toThrow(/Invalid missed/);
    expect(() => query.outcomes("")).toThrow(/Invalid outcomes/);
    expect(() => query.outcomeKinds("great" as never)).toThrow(/Invalid outcomeKinds/);
    expect(() => query.filter({ wasMissed: true } as never)).toThrow(/is not a session filter/);
  });

  it("survive other changes and are unset by undefined", () => {
    const query = SessionQuery.create().missed().from("555").newest().page(2);
    expect(query.where).toEqual({ missed: true });
    expect(query.missed(undefined).where).toEqual({});
    expect(query.missed(undefined).filtersLocally).toBe(false);
  });
});

describe("local days", () => {
  it("send the UTC days that cover them and keep exactly the local days", () => {
    const query = SessionQuery.create().localDays("2026-11-19", "2026-11-19", {
      timeZone: "America/New_York",
    });
    expect(query.params).toEqual({ startDate: "2026-11-19", endDate: "2026-11-20" });
    expect(query.filtersLocally).toBe(true);
    expect(query.matches(at("2026-11-19T04:59:59Z"))).toBe(false);
    expect(query.matches(at("2026-11-19T05:00:00Z"))).toBe(true);
    expect(query.matches(at("2026-11-20T04:59:59Z"))).toBe(true);
    expect(query.matches(at("2026-11-20T05:00:00Z"))).toBe(false);
    expect(query.describe()).toBe("19 Nov 2026 (America/New_York)");
  });

  it("keep a session whose start cannot be read (the server placed it in its days)", () => {
    const query = SessionQuery.create().range("today", { now, timeZone: "Asia/Tokyo" });
    expect(query.matches(at("not a date"))).toBe(true);
    expect(query.matches({ id: "x" } as SessionInfo)).toBe(true);
  });

  it("in UTC are exactly the server's days, so nothing is filtered locally", () => {
    const query = SessionQuery.create().localDays("2026-11-01", "2026-11-07", { timeZone: "UTC" });
    expect(query.params).toEqual({ startDate: "2026-11-01", endDate: "2026-11-07" });
    expect(query.filtersLocally).toBe(false);
  });

  it("may be open at either end", () => {
    const since = SessionQuery.create().localDays("2026-11-19", undefined, {
      timeZone: "Europe/Berlin",
    });
    expect(since.params).toEqual({ startDate: "2026-11-18" });
    expect(since.matches(at("2030-01-01T00:00:00Z"))).toBe(true);
    expect(since.matches(at("2026-11-18T22:59:59Z"))).toBe(false);
    expect(since.describe()).toBe("since 19 Nov 2026 (Europe/Berlin)");
  });

  it("reject a bad day or order naming the field", () => {
    expect(() => SessionQuery.create().localDays("2026-02-30", undefined)).toThrow(
      /Invalid startDate/,
    );
    expect(() => SessionQuery.create().localDays("2026-11-02", "2026-11-01")).toThrow(
      /Invalid endDate/,
    );
  });
});

describe("the canonical form", () => {
  it("reads back to an equal query with the same key, window and filters included", () => {
    const query = SessionQuery.create()
      .accounts("a1", "a2")
      .range("yesterday", { now, timeZone: "America/Los_Angeles" })
      .missed()
      .outcomeKinds("voicemail", "abandoned");
    const spec = JSON.parse(JSON.stringify(query.toSpec())) as ReturnType<SessionQuery["toSpec"]>;
    const back = SessionQuery.fromSpec(spec);
    expect(back.equals(query)).toBe(true);
    expect(back.key()).toBe(query.key());
    expect(back.describe()).toBe(query.describe());
    expect(back.missed(false).key()).not.toBe(query.key());
  });

  it("rejects a tampered window", () => {
    const spec = SessionQuery.create().range("today", { now, timeZone: "UTC" }).toSpec();
    expect(() =>
      SessionQuery.fromSpec({ ...spec, window: { ...spec.window!, from: "soon" } }),
    ).toThrow(/Invalid window/);
  });
});

describe("one preset vocabulary", () => {
  it("names every preset canonically and labels it for menus", () => {
    for (const { preset, label } of RANGE_PRESETS) {
      expect(canonicalPreset(preset)).toBe(preset);
      expect(presetLabel(preset)).toBe(label);
    }
    expect(canonicalPreset("last_7_days")).toBe("last-7-days");
    expect(canonicalPreset("last_24h")).toBe("last-24-hours");
    expect(presetLabel("last_30_days")).toBe("Last 30 days");
  });
});
