import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  decodeAccount,
  decodeSession,
  decodeSessionList,
  isEvoVoiceError,
  SessionInfoFields,
  SessionInfoSchema,
} from "../../src/index.js";

const seedSample: unknown = JSON.parse(
  readFileSync(new URL("./fixtures/seed-sample-response.json", import.meta.url), "utf8"),
);

describe("decodeSessionList", () => {
  it("decodes the seed's sample response without warnings", () => {
    const { value, warnings } = decodeSessionList(seedSample);
    expect(warnings).toEqual([]);
    expect(value.totalCount).toBe(0);
    expect(value.hasMorePages).toBe(false);
    const session = value.items?.[0];
    expect(session).toMatchObject({
      dialState: "None",
      callState: "Disconnected",
      channel: "Voice",
      direction: "Incoming",
      ended: false,
      wasMissed: false,
      customerBreadcrumb: [{ id: "String", name: "String" }],
      log: [{ date: "String", message: "String" }],
    });
    expect(session?.members?.[0]).toMatchObject({
      applicationData: { String: "String" },
      callState: "None",
      role: "None",
      isOriginalMember: false,
      muted: false,
    });
  });

  it("has all 41 SessionInfo fields of the seed, the 5 of EntityInfo included", () => {
    expect(SessionInfoFields).toHaveLength(41);
    const sample = (seedSample as { items: Record<string, unknown>[] }).items[0]!;
    expect([...SessionInfoFields].sort()).toEqual(Object.keys(sample).sort());
  });

  it("keeps an unknown enum value as its raw string and warns with its path", () => {
    const { value, warnings } = decodeSessionList({
      items: [
        { id: "s1", callState: "Parked" },
        { id: "s2", members: [{ role: "Supervisor" }] },
      ],
    });
    expect(value.items?.[0]?.callState).toBe("Parked");
    expect(value.items?.[1]?.members?.[0]?.role).toBe("Supervisor");
    expect(warnings).toEqual([
      expect.objectContaining({ code: "unknown_enum_value", path: "items[0].callState" }),
      expect.objectContaining({ code: "unknown_enum_value", path: "items[1].members[0].role" }),
    ]);
    expect(warnings[0]?.message).toContain('"Parked"');
  });

  it("accepts missing and null fields", () => {
    const { value, warnings } = decodeSessionList({ items: [{}, { id: null, log: null }] });
    expect(warnings).toEqual([]);
    expect(value.items).toHaveLength(2);
    expect(value.totalCount).toBeUndefined();
  });

  it("drops unknown properties from the value and reports them", () => {
    const { value, warnings } = decodeSessionList({
      items: [{ id: "s1", recordingUrl: "https://x" }],
      totalCount: 1,
      serverTime: "now",
    });
    expect(value.items?.[0]).not.toHaveProperty("recordingUrl");
    expect(value).not.toHaveProperty("serverTime");
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ["unknown_property", "items[0].recordingUrl"],
      ["unknown_property", "serverTime"],
    ]);
  });

  it("treats a value of the wrong type as missing without losing the rest of the page", () => {
    const { value, warnings } = decodeSessionList({
      items: [{ id: "s1", ended: "yes", log: [{ message: "ok" }, 42] }, { id: "s2" }],
      totalCount: "many",
    });
    expect(value.items?.[0]?.id).toBe("s1");
    expect(value.items?.[0]?.ended).toBeUndefined();
    expect(value.items?.[0]?.log?.[0]?.message).toBe("ok");
    expect(value.items?.[1]?.id).toBe("s2");
    expect(value.totalCount).toBeUndefined();
    expect(warnings.map((w) => w.path).sort()).toEqual(
      ["items[0].ended", "items[0].log[1]", "totalCount"].sort(),
    );
  });

  it("refuses a body that is not an object with an undecodable_response error", () => {
    for (const body of [null, [], "<html>", 3]) {
      try {
        decodeSessionList(body);
        expect.unreachable();
      } catch (error) {
        expect(isEvoVoiceError(error, "undecodable_response")).toBe(true);
      }
    }
  });

  it("bounds the number of warnings for a page full of drift", () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ id: `s${i}`, channel: "Video" }));
    const { value, warnings } = decodeSessionList({ items });
    expect(value.items?.[499]?.channel).toBe("Video");
    expect(warnings.length).toBeLessThanOrEqual(201);
    expect(warnings.at(-1)?.message).toContain("300 more");
  });
});

describe("decodeSession and decodeAccount", () => {
  it("decodes one session", () => {
    expect(decodeSession({ id: "s1", direction: "Outgoing" }).value.direction).toBe("Outgoing");
  });

  it("decodes an account with billing settings", () => {
    const { value, warnings } = decodeAccount({
      id: "a1",
      name: "Acme",
      isBYOA: true,
      ancestorIds: ["root"],
      billingSettings: { base: { baseCost: 10, allowance: 100 } },
    });
    expect(warnings).toEqual([]);
    expect(value.billingSettings?.base?.allowance).toBe(100);
  });
});

describe("JSON Schema", () => {
  it("carries the seed's field descriptions", () => {
    const schema = z.toJSONSchema(SessionInfoSchema, { io: "input", unrepresentable: "any" }) as {
      properties: Record<string, { description?: string }>;
    };
    expect(schema.properties.wasMissed?.description).toBe("Was this session missed?");
    expect(schema.properties.fromAddress?.description).toBe("The from address if any");
  });
});
