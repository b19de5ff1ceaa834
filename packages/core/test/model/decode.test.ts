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
  UndecodableResponseError,
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
        expect(error).toBeInstanceOf(UndecodableResponseError);
      }
    }
  });

  it("reads a PascalCase body (a ServiceStack host set to PascalCase) with one warning", () => {
    const { value, warnings } = decodeSessionList({
      Items: [
        {
          Id: "s1",
          CallState: "Connected",
          AccountName: "Acme",
          Log: [{ Date: "2026-11-02T10:00:00Z", Message: "Call received" }],
          CustomerBreadcrumb: [{ ID: "c1", NAME: "Acme" }],
          Members: [{ Role: "Agent", ApplicationData: { QueueName: "Sales", region: "east" } }],
        },
      ],
      TotalCount: 1,
      TotalPages: 1,
      HasMorePages: false,
    });

    expect(value).toMatchObject({ totalCount: 1, totalPages: 1, hasMorePages: false });
    expect(value.items?.[0]).toMatchObject({
      id: "s1",
      callState: "Connected",
      accountName: "Acme",
      log: [{ date: "2026-11-02T10:00:00Z", message: "Call received" }],
      customerBreadcrumb: [{ id: "c1", name: "Acme" }],
    });
    // applicationData is free-form: its keys stay exactly as sent.
    expect(value.items?.[0]?.members?.[0]).toEqual({
      role: "Agent",
      applicationData: { QueueName: "Sales", region: "east" },
    });
    expect(warnings).toEqual([
      expect.objectContaining({ code: "property_letter_case", path: "(root)" }),
    ]);
    expect(warnings[0]?.message).toMatch(/16 property names.*"Items", "Id", "CallState"/);
  });

  it("still reports drift in a PascalCase body, at the documented paths", () => {
    const { value, warnings } = decodeSessionList({
      Items: [{ Id: "s1", CallState: "Parked", RecordingUrl: "x" }],
      TotalCount: 1,
    });
    expect(value.items?.[0]?.callState).toBe("Parked");
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ["property_letter_case", "(root)"],
      ["unknown_enum_value", "items[0].callState"],
      ["unknown_property", "items[0].RecordingUrl"],
    ]);
  });

  it("prefers the exact name when a body has a key in both cases", () => {
    const { value, warnings } = decodeSessionList({ items: [{ id: "a" }], Items: [{ id: "b" }] });
    expect(value.items?.map((item) => item.id)).toEqual(["a"]);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["unknown_property", "Items"]]);
  });

  it("decodes one session and an account in any letter case", () => {
    expect(decodeSession({ ID: "s1", DIRECTION: "Outgoing" }).value).toEqual({
      id: "s1",
      direction: "Outgoing",
    });
    const account = decodeAccount({
      Name: "Acme",
      BillingSettings: { Base: { BaseCost: 10 } },
      AncestorIds: ["root"],
    });
    expect(account.value).toEqual({
      name: "Acme",
      billingSettings: { base: { baseCost: 10 } },
      ancestorIds: ["root"],
    });
  });

  it("refuses a list body with none of items, totalCount, totalPages, hasMorePages", () => {
    for (const body of [{}, { responseStatus: {} }, { sessions: [{ id: "s1" }], count: 1 }]) {
      let caught: unknown;
      try {
        decodeSessionList(body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UndecodableResponseError);
      expect((caught as UndecodableResponseError).message).toMatch(
        /none of items, totalCount, totalPages, hasMorePages \(in any letter case\)/,
      );
    }
    // Any one of them, in any case, is a list (an empty one is still an answer).
    expect(decodeSessionList({ HASMOREPAGES: false }).value.hasMorePages).toBe(false);
    expect(decodeSessionList({ items: [] }).value.items).toEqual([]);
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
