import { describe, expect, it } from "vitest";
import {
  answeredAt,
  durationMs,
  hasEnded,
  isLive,
  outcomeOf,
  partiesOf,
  partyText,
  ringTimeMs,
  sessionFacts,
  talkTimeMs,
  timeToAnswerMs,
} from "../../src/facts/session-facts.js";
import type { SessionInfo } from "../../src/model/session.js";
import { formatDuration } from "../../src/time/time-text.js";
import { clientFor, useSmallSandbox } from "../client/sandbox-harness.js";

const sandbox = await useSmallSandbox({ sessions: 400 });

// SessionInfo names every field (undefined where absent); tests give only those that matter.
const call = (fields: Partial<SessionInfo>): SessionInfo =>
  ({
    id: "s1",
    dateCreated: "2026-11-20T10:00:00Z",
    ...fields,
  }) as SessionInfo;

describe("live or ended", () => {
  it("is live while ringing, connected or on hold and not ended", () => {
    for (const callState of ["Ringing", "Connected", "Hold"] as const) {
      expect(isLive(call({ callState }))).toBe(true);
    }
    expect(isLive(call({ callState: "Connected", ended: true }))).toBe(false);
    expect(isLive(call({ callState: "Connected", dateCompleted: "2026-11-20T10:05:00Z" }))).toBe(
      false,
    );
    expect(isLive(call({ callState: "Disconnected" }))).toBe(false);
    // An open enum: a value the service adds later is not taken for a live call.
    expect(isLive(call({ callState: "Transferring" }))).toBe(false);
  });

  it("is ended by any of ended, a completion date or a disconnected call", () => {
    expect(hasEnded(call({ ended: true }))).toBe(true);
    expect(hasEnded(call({ dateCompleted: "2026-11-20T10:05:00Z" }))).toBe(true);
    expect(hasEnded(call({ callState: "Disconnected" }))).toBe(true);
    expect(hasEnded(call({ callState: "Ringing" }))).toBe(false);
  });
});

describe("parties", () => {
  it("reads an incoming call as the caller to the endpoint called", () => {
    const { from, to } = partiesOf(
      call({
        direction: "Incoming",
        fromName: "Jane Roe",
        fromAddress: "+15550001111",
        endpointName: "Front desk",
        toAddress: "+15552223333",
      }),
    );
    expect(from).toEqual({ name: "Jane Roe", address: "+15550001111" });
    expect(to).toEqual({ name: "Front desk", address: "+15552223333" });
  });

  it("reads an outgoing call as the endpoint that called to the number dialled", () => {
    const { from, to } = partiesOf(
      call({
        direction: "Outgoing",
        endpointName: "Ann Agent",
        fromAddress: "+15552223333",
        toAddress: "+15550001111",
        // The destination's caller-ID city is not who called.
        answeredByName: "AUSTIN TX",
      }),
    );
    expect(partyText(from)).toBe("Ann Agent");
    expect(to).toEqual({ address: "+15550001111" });
  });

  it("falls back to the phone number and destination fields, and drops a name equal to its address", () => {
    const { from, to } = partiesOf(
      call({ fromPhoneNumber: "+15550001111", fromName: "+15550001111", destination: "Sales" }),
    );
    expect(from).toEqual({ name: "+15550001111" });
    expect(to).toEqual({ address: "Sales" });
  });
});

describe("outcome", () => {
  it.each([
    ["Answered", "answered"],
    ["voicemail", "voicemail"],
    ["Abandoned", "abandoned"],
    ["No Answer", "no-answer"],
    ["no_answer", "no-answer"],
    ["Busy", "busy"],
    ["Failed", "failed"],
    ["Delivered", "delivered"],
  ])("reads the outcome text %j as %s", (outcome, kind) => {
    expect(outcomeOf(call({ outcome, ended: true })).kind).toBe(kind);
  });

  it("is live while the call is, whatever the outcome says so far", () => {
    expect(outcomeOf(call({ callState: "Ringing", outcome: "Answered" })).kind).toBe("live");
  });

  it("falls back to wasMissed and answeredBy when the text is unknown or absent", () => {
    expect(outcomeOf(call({ ended: true, wasMissed: true }))).toEqual({
      kind: "no-answer",
      missed: true,
    });
    expect(outcomeOf(call({ ended: true, answeredByName: "Ann" })).kind).toBe("answered");
    expect(outcomeOf(call({ ended: true, outcome: "Escalated" }))).toEqual({
      kind: "unknown",
      missed: false,
      text: "Escalated",
    });
  });
});

describe("durations", () => {
  const answered = call({
    dateCompleted: "2026-11-20T10:03:30Z",
    ended: true,
    log: [
      { date: "2026-11-20T10:00:01Z", message: "Call received from +15550001111" },
      { date: "2026-11-20T10:00:20Z", message: "No agent answered within 15 seconds" },
      { date: "2026-11-20T10:00:25Z", message: "Agent Ann answered after 12 seconds" },
    ],
  });

  it("measures ring time to the first real answer and talk time from it to the end", () => {
    expect(answeredAt(answered)?.toISOString()).toBe("2026-11-20T10:00:25.000Z");
    expect(ringTimeMs(answered)).toBe(25_000);
    expect(talkTimeMs(answered)).toBe(185_000);
    expect(durationMs(answered)).toBe(210_000);
  });

  it("counts time to answer from the queue when the call queued", () => {
    const queued = call({
      log: [
        { date: "2026-11-20T10:00:08Z", message: "Dialing queue 'Sales'" },
        { date: "2026-11-20T10:00:09Z", message: "Queued at position 2" },
        { date: "2026-11-20T10:00:30Z", message: "Agent Ann answered after 21 seconds" },
      ],
    });
    expect(timeToAnswerMs(queued)).toBe(22_000);
    expect(ringTimeMs(queued)).toBe(30_000);
  });

  it("does not take a machine for an answer", () => {
    const machine = call({
      log: [
        { date: "2026-11-20T10:00:20Z", message: "+1555 answered by voicemail (machine detected)" },
      ],
    });
    expect(ringTimeMs(machine)).toBeUndefined();
  });

  it("measures a live call to now, and refuses an end before the start", () => {
    const now = new Date("2026-11-20T10:01:00Z");
    expect(durationMs(call({ callState: "Connected" }), now)).toBe(60_000);
    expect(durationMs(call({ callState: "Disconnected" }), now)).toBeUndefined();
    expect(durationMs(call({ dateCompleted: "2026-11-20T09:00:00Z" }))).toBeUndefined();
  });

  it("writes durations one way", () => {
    expect([45_000, 192_000, 3_840_000].map(formatDuration)).toEqual(["45s", "3m 12s", "1h 04m"]);
  });
});

describe("the sandbox's sessions", () => {
  it("read as the outcome their generator gave them, answered calls with ring and talk times", async () => {
    const { client } = clientFor(sandbox, "admin");
    const sessions: SessionInfo[] = [];
    for await (const session of client.iterateSessions({ searchArchive: false })) {
      sessions.push(session);
    }
    expect(sessions.length).toBeGreaterThan(50);
    const kinds = new Map<string, number>();
    for (const session of sessions) {
      const facts = sessionFacts(session);
      kinds.set(facts.outcome.kind, (kinds.get(facts.outcome.kind) ?? 0) + 1);
      expect(facts.outcome.kind, `${session.id} ${session.outcome}`).not.toBe("unknown");
      if (facts.outcome.kind === "answered" && session.channel === "Voice" && facts.ended) {
        // Transferred legs end by transfer; every answered call was answered in its log.
        expect(facts.ringTimeMs, session.id ?? "").toBeGreaterThan(0);
        expect(facts.talkTimeMs, session.id ?? "").toBeGreaterThanOrEqual(0);
      }
    }
    expect(kinds.get("answered")).toBeGreaterThan(10);
    expect(kinds.get("voicemail")).toBeGreaterThan(0);
  });
});
