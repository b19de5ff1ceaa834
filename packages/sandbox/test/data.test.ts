import { describe, expect, it } from "vitest";
import { generateDataset, type SandboxData } from "../src/index.js";
import { TEST_NOW, seedViolations } from "./helpers.js";

const data: SandboxData = generateDataset({ sessions: 2000, seed: 11, now: TEST_NOW });
const sessions = data.sessions;

describe("generated data", () => {
  it("is the same for the same seed and now, and different for another seed", () => {
    const again = generateDataset({ sessions: 300, seed: 11, now: TEST_NOW });
    expect(again).toEqual(generateDataset({ sessions: 300, seed: 11, now: TEST_NOW }));
    const other = generateDataset({ sessions: 300, seed: 12, now: TEST_NOW });
    expect(other.sessions.map((s) => s.id)).not.toEqual(again.sessions.map((s) => s.id));
  });

  it("has exactly the number of sessions asked for, with unique ids, newest first", () => {
    expect(sessions).toHaveLength(2000);
    expect(new Set(sessions.map((s) => s.id)).size).toBe(2000);
    const created = sessions.map((s) => Date.parse(s.dateCreated as string));
    expect(created.every((t, i) => i === 0 || t <= (created[i - 1] as number))).toBe(true);
    expect(generateDataset({ sessions: 0, now: TEST_NOW }).sessions).toEqual([]);
  });

  // Core's tests also decode this data with core's strict schemas (test/wire/).
  it("keeps to the seed: only its properties and enum values, no nulls, valid dates", () => {
    expect(seedViolations({ items: sessions })).toEqual([]);
  });

  it("spans the last 60 days, all ended before now, with live and archived sessions", () => {
    const now = TEST_NOW.getTime();
    const oldest = Date.parse(sessions.at(-1)?.dateCreated as string);
    expect(now - oldest).toBeLessThanOrEqual(60 * 86_400_000);
    expect(now - oldest).toBeGreaterThan(55 * 86_400_000);
    expect(
      sessions.every((s) => Date.parse(s.dateCompleted as string) < now && s.ended === true),
    ).toBe(true);
    const cutoff = Date.parse(data.archiveCutoff as string);
    expect(cutoff).toBe(now - 15 * 86_400_000);
    const live = sessions.filter((s) => Date.parse(s.dateCreated as string) >= cutoff).length;
    expect(live).toBeGreaterThan(300);
    expect(live).toBeLessThan(700);
  });

  it("mixes channels, directions, outcomes and missed calls", () => {
    const count = (pick: (s: (typeof sessions)[number]) => unknown): Map<unknown, number> => {
      const counts = new Map<unknown, number>();
      for (const s of sessions) counts.set(pick(s), (counts.get(pick(s)) ?? 0) + 1);
      return counts;
    };
    const channels = count((s) => s.channel);
    expect((channels.get("Voice") ?? 0) / sessions.length).toBeGreaterThan(0.7);
    expect(channels.get("Chat")).toBeGreaterThan(100);
    expect(channels.get("Fax")).toBeGreaterThan(40);
    expect([...count((s) => s.direction).keys()].sort()).toEqual(["Incoming", "Outgoing"]);
    const outcomes = count((s) => s.outcome);
    for (const outcome of ["Answered", "Voicemail", "Abandoned", "Busy", "No Answer", "Failed"]) {
      expect(outcomes.get(outcome), outcome).toBeGreaterThan(0);
    }
    const missed = sessions.filter((s) => s.wasMissed);
    expect(missed.length).toBeGreaterThan(100);
    expect(missed.every((s) => s.direction === "Incoming" && s.outcome !== "Answered")).toBe(true);
    // Every incoming call or chat that reached the business and was not taken counts as missed.
    for (const s of sessions) {
      if (s.direction !== "Incoming" || s.channel === "Fax") continue;
      expect(s.wasMissed, `${s.outcome as string}`).toBe(
        s.outcome !== "Answered" && s.outcome !== "Failed",
      );
    }
  });

  it("uses E.164 numbers with 555 and Twilio-like SIDs", () => {
    for (const s of sessions.slice(0, 300)) {
      for (const number of [s.fromAddress, s.toAddress].filter((n) => n?.startsWith("+"))) {
        expect(number).toMatch(/^\+1555\d{7}$/);
      }
      if (s.channel === "Voice") expect(s.callSid).toMatch(/^CA[0-9a-f]{32}$/);
      if (s.channel === "Fax") expect(s.callSid).toMatch(/^FX[0-9a-f]{32}$/);
      if (s.conferenceSid !== undefined) expect(s.conferenceSid).toMatch(/^CF[0-9a-f]{32}$/);
    }
  });

  it("writes logs of 5 to 300 entries with increasing timestamps from creation to completion", () => {
    let longest = 0;
    for (const s of sessions) {
      const log = s.log ?? [];
      expect(log.length).toBeGreaterThanOrEqual(5);
      expect(log.length).toBeLessThanOrEqual(300);
      longest = Math.max(longest, log.length);
      const times = log.map((e) => Date.parse(e.date as string));
      expect(times[0]).toBe(Date.parse(s.dateCreated as string));
      expect(times.at(-1)).toBe(Date.parse(s.dateCompleted as string));
      expect(times.every((t, i) => i === 0 || t > (times[i - 1] as number))).toBe(true);
    }
    expect(longest).toBeGreaterThan(100);
    const messages = sessions.flatMap((s) => (s.log ?? []).map((e) => e.message as string));
    for (const pattern of [
      /^Call received from \+1555\d{7}/,
      /^Entered flow '/,
      /^Gathered digits: \d/,
      /^Dialing queue '/,
      /^Agent .+ answered/,
      /^Call transferred to /,
      /^Call ended: completed/,
    ]) {
      expect(
        messages.some((m) => pattern.test(m)),
        String(pattern),
      ).toBe(true);
    }
  });

  it("links transfers: each child names its parent in its log and starts during the parent", () => {
    const links = Object.entries(data.parentSessionIds ?? {});
    expect(links.length).toBeGreaterThan(20);
    const byId = new Map(sessions.map((s) => [s.id, s]));
    for (const [childId, parentId] of links) {
      const child = byId.get(childId);
      const parent = byId.get(parentId);
      expect(child?.log?.[0]?.message).toBe(
        `Transferred from session ${parentId} by ${parent?.answeredByName}`,
      );
      expect(parent?.log?.some((e) => e.message === `Created transfer session ${childId}`)).toBe(
        true,
      );
      expect(parent?.members?.some((m) => m.role === "Transfer")).toBe(true);
      expect(Date.parse(child?.dateCreated as string)).toBeGreaterThan(
        Date.parse(parent?.dateCreated as string),
      );
      expect(child?.accountId).toBe(parent?.accountId);
    }
  });

  it("states durations, hang-ups and timing that agree with the dates", () => {
    let durations = 0;
    for (const s of sessions) {
      const log = s.log ?? [];
      const took = Date.parse(s.dateCompleted as string) - Date.parse(s.dateCreated as string);
      for (const entry of log) {
        const match = /\(duration (\d+)m (\d{2})s\)$/.exec(entry.message as string);
        if (match === null) continue;
        durations++;
        const stated = (Number(match[1]) * 60 + Number(match[2])) * 1000;
        expect(
          Math.abs(stated - took),
          `${s.id as string}: ${entry.message as string}`,
        ).toBeLessThan(501);
      }
      // Only a caller who was queued can hang up while waiting in the queue.
      if (log.some((e) => /while waiting in queue/.test(e.message as string)))
        expect(log.some((e) => /^Queued at position/.test(e.message as string))).toBe(true);
    }
    expect(durations).toBeGreaterThan(500);
  });

  it("names who answered exactly when a session was answered", () => {
    for (const s of sessions) {
      if (s.outcome === "Answered")
        expect(s.answeredByName, s.id as string).toEqual(expect.any(String));
      else expect(s.answeredByName, s.id as string).toBeUndefined();
      if (s.wasMissed) expect(s.answeredById).toBeUndefined();
      // An outgoing chat counts as answered only when the contact wrote back.
      if (s.channel === "Chat" && s.direction === "Outgoing" && s.outcome === "Answered")
        expect(
          s.log?.some((e) => e.message?.startsWith(`Message from ${s.fromPhoneNumber as string}`)),
        ).toBe(true);
    }
  });

  it("gives incoming sessions an original caller and outgoing ones none", () => {
    for (const s of sessions) {
      const members = s.members ?? [];
      if (s.direction === "Incoming" && s.log?.[0]?.message?.startsWith("Transferred") !== true) {
        expect(members[0]).toMatchObject({ role: "Caller", isOriginalMember: true });
      }
      if (s.direction === "Outgoing") expect(members.some((m) => m.role === "Caller")).toBe(false);
    }
  });

  it("clusters sessions in business hours on weekdays (UTC-5)", () => {
    const local = sessions.map(
      (s) => new Date(Date.parse(s.dateCreated as string) - 5 * 3_600_000),
    );
    const daytime = local.filter((d) => d.getUTCHours() >= 8 && d.getUTCHours() < 18).length;
    expect(daytime / local.length).toBeGreaterThan(0.65);
    const weekend = local.filter((d) => d.getUTCDay() === 0 || d.getUTCDay() === 6).length;
    // Two days of seven would be 29 % without weighting.
    expect(weekend / local.length).toBeLessThan(0.15);
  });

  it("places sessions in customers whose breadcrumb runs from the root to the customer", () => {
    const customers = new Map(data.customers.map((c) => [c.id, c]));
    const withCustomer = sessions.filter((s) => s.customerId !== undefined);
    expect(withCustomer.length / sessions.length).toBeGreaterThan(0.85);
    expect(withCustomer.some((s) => (s.customerBreadcrumb?.length ?? 0) >= 2)).toBe(true);
    for (const s of withCustomer) {
      const crumbs = s.customerBreadcrumb ?? [];
      expect(crumbs.at(-1)).toEqual({ id: s.customerId, name: s.customerName });
      expect(customers.get(crumbs[0]?.id as string)?.parentId).toBeUndefined();
      for (let i = 1; i < crumbs.length; i++)
        expect(customers.get(crumbs[i]?.id as string)?.parentId).toBe(crumbs[i - 1]?.id);
      expect(customers.get(s.customerId as string)?.accountId).toBe(s.accountId);
    }
  });

  it("gives members roles, and answered calls an agent endpoint of the same account", () => {
    const endpoints = new Map(data.endpoints.map((e) => [e.id, e]));
    for (const s of sessions) {
      expect(s.members?.length).toBeGreaterThan(0);
      if (s.answeredById !== undefined) {
        const agent = endpoints.get(s.answeredById as string);
        expect(agent?.kind).toBe("user");
        expect(agent?.accountId).toBe(s.accountId);
        expect(s.members?.some((m) => m.endpointId === s.answeredById)).toBe(true);
      }
      expect(endpoints.get(s.endpointId as string)?.accountId).toBe(s.accountId);
    }
    expect(new Set(data.endpoints.map((e) => e.kind))).toEqual(
      new Set(["user", "phoneNumber", "queue"]),
    );
  });
});
