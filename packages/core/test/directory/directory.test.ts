import { describe, expect, it } from "vitest";
import type { EvoVoiceClient } from "../../src/client/types.js";
import {
  Directory,
  NameResolutionError,
  resolveName,
  type DirectoryEntry,
} from "../../src/directory/directory.js";
import { SessionQuery } from "../../src/query/session-query.js";

const entries: DirectoryEntry[] = [
  { kind: "customer", id: "c1", name: "Westside Clinic", detail: "Acme MSP › Westside Clinic" },
  { kind: "customer", id: "c2", name: "Eastside Clinic" },
  { kind: "customer", id: "c3", name: "Front Desk" },
  { kind: "customer", id: "c4", name: "front  desk" },
  { kind: "endpoint", id: "e1", name: "Main line", detail: "PhoneNumber +15556801840" },
];

describe("resolveName", () => {
  it("takes an exact name in any case and spacing, an ID, a number or one containing match", () => {
    expect(resolveName(entries, "westside clinic")).toMatchObject({
      status: "unique",
      how: "exact",
      entry: { id: "c1" },
    });
    expect(resolveName(entries, "c2")).toMatchObject({
      status: "unique",
      how: "id",
      entry: { id: "c2" },
    });
    expect(resolveName(entries, "(555) 680-1840")).toMatchObject({
      status: "unique",
      how: "number",
      entry: { id: "e1" },
    });
    expect(resolveName(entries, "Westside")).toMatchObject({
      status: "unique",
      how: "contains",
      entry: { id: "c1" },
    });
  });

  it("reports several fits rather than guessing", () => {
    const found = resolveName(entries, "Front desk");
    expect(found).toMatchObject({ status: "ambiguous" });
    expect(found.status === "ambiguous" && found.candidates.map((e) => e.id)).toEqual(["c3", "c4"]);
    expect(resolveName(entries, "clinic")).toMatchObject({ status: "ambiguous" });
  });

  it("names the closest entries for an unknown name", () => {
    const found = resolveName(entries, "Westsid Clinik");
    expect(found.status).toBe("unknown");
    expect(found.status === "unknown" && found.closest[0]?.id).toBe("c1");
  });
});

/** A client that serves fixed customers and counts how often it was asked. */
function stubClient(reads: { count: number }): EvoVoiceClient {
  return {
    async *iterateCustomers() {
      reads.count++;
      yield* [
        {
          id: "c1",
          name: "Westside Clinic",
          breadcrumb: [
            { id: "m", name: "Acme MSP" },
            { id: "c1", name: "Westside Clinic" },
          ],
        },
        { id: "c2", name: "Eastside Clinic" },
      ];
    },
  } as unknown as EvoVoiceClient;
}

describe("Directory", () => {
  it("keeps a list for its time to live, then reads it again", async () => {
    let now = 0;
    const reads = { count: 0 };
    const directory = new Directory(stubClient(reads), { ttlMs: 1000, now: () => now });
    expect(await directory.nameOf("customer", "c2")).toBe("Eastside Clinic");
    now = 999;
    await directory.resolve("customer", "Westside");
    expect(reads.count).toBe(1);
    now = 1000;
    await directory.resolve("customer", "Westside");
    expect(reads.count).toBe(2);
  });

  it("turns names into the query's customer IDs, and refuses an ambiguous one with the candidates", async () => {
    const directory = new Directory(stubClient({ count: 0 }));
    const { query, resolved } = await directory.applyNames(SessionQuery.create().customers("c9"), {
      customers: ["westside"],
    });
    expect(query.params.customerIds).toEqual(["c9", "c1"]);
    expect(resolved[0]?.entry.detail).toBe("Acme MSP › Westside Clinic");
    const error = await directory
      .applyNames(SessionQuery.create(), { customers: ["Clinic"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NameResolutionError);
    expect((error as NameResolutionError).code).toBe("name_ambiguous");
    expect((error as Error).message).toMatch(
      /fits 2 customers: Westside Clinic .*id c1.*Eastside Clinic/,
    );
  });

  it("searches names for pickers, best first", async () => {
    const directory = new Directory(stubClient({ count: 0 }));
    expect((await directory.search("customer", "east")).map((e) => e.id)).toEqual(["c2"]);
    expect((await directory.search("customer", "")).length).toBe(2);
  });
});
