import { describe, expect, it } from "vitest";
import { CallbackTracker } from "../../src/analytics/callbacks.js";
import { classifySession, DEFAULT_THRESHOLDS } from "../../src/analytics/classify.js";
import { GroupedKpis, worstGroups } from "../../src/analytics/groups.js";
import { KpiAccumulator } from "../../src/analytics/kpis.js";
import { normalisePhoneNumber } from "../../src/analytics/phone-numbers.js";
import type { SessionInfo } from "../../src/model/session.js";

let serial = 0;
const base = Date.parse("2026-11-19T23:50:00Z");
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

function inbound(
  minutes: number,
  from: string,
  outcome: string,
  fields: Partial<SessionInfo> = {},
): SessionInfo {
  return {
    id: `s${++serial}`,
    accountId: "a1",
    channel: "Voice",
    direction: "Incoming",
    dateCreated: at(minutes),
    dateCompleted: at(minutes + 2),
    ended: true,
    fromAddress: from,
    outcome,
    wasMissed: outcome !== "Answered" && outcome !== "Failed",
    ...fields,
  } as SessionInfo;
}

function outbound(minutes: number, to: string, outcome: string, agent = "Ann"): SessionInfo {
  return {
    id: `s${++serial}`,
    accountId: "a1",
    channel: "Voice",
    direction: "Outgoing",
    dateCreated: at(minutes),
    dateCompleted: at(minutes + 3),
    ended: true,
    toAddress: to,
    endpointName: agent,
    outcome,
    wasMissed: false,
  } as SessionInfo;
}

function track(sessions: SessionInfo[]) {
  const tracker = new CallbackTracker({
    windowMs: DEFAULT_THRESHOLDS.callbackWindowMs,
    now: new Date(base + 48 * 3_600_000),
  });
  for (const session of sessions) tracker.add(session, classifySession(session));
  return tracker.result();
}

describe("callback closure", () => {
  it("closes a miss called back after midnight, the number written another way", () => {
    const report = track([
      inbound(0, "+15556801840", "No Answer"),
      outbound(30, "(555) 680-1840", "Answered", "Bob"),
    ]);
    expect(report).toMatchObject({ missed: 1, closed: 1, closedByCallback: 1, open: 0 });
    expect(report.closers).toEqual([{ name: "Bob", closed: 1 }]);
    expect(report.medianTimeToCallbackMs).toBe(30 * 60_000);
  });

  it("closes every open miss of a caller who called again and was answered", () => {
    const report = track([
      inbound(0, "15556801840", "Voicemail"),
      inbound(5, "+1 555 680 1840", "Abandoned"),
      inbound(10, "+15556801840", "Answered", { answeredByName: "Cy" }),
    ]);
    expect(report).toMatchObject({ missed: 2, closed: 2, closedByAnsweredCall: 2, open: 0 });
  });

  it("leaves a miss open when the callback is a voicemail, too late, or came before it", () => {
    const report = track([
      outbound(-10, "+15550000001", "Answered"),
      inbound(0, "+15550000001", "No Answer"),
      inbound(1, "+15550000002", "No Answer"),
      outbound(2, "+15550000002", "Voicemail"),
      inbound(3, "+15550000003", "No Answer"),
      outbound(3 + 24 * 60 + 1, "+15550000003", "Answered"),
    ]);
    expect(report).toMatchObject({ missed: 3, closed: 0, open: 3 });
  });

  it("ranks the caller who tried most first, then the one waiting longest", () => {
    const report = track([
      inbound(0, "+15550000010", "No Answer"),
      inbound(1, "+15550000011", "No Answer"),
      inbound(2, "+15550000011", "Busy"),
      inbound(3, "+15550000011", "Abandoned"),
      inbound(4, "+15550000012", "Voicemail"),
    ]);
    expect(report.queue.map((caller) => [caller.number, caller.attempts])).toEqual([
      ["+15550000011", 3],
      ["+15550000010", 1],
      ["+15550000012", 1],
    ]);
    expect(report.queue[0]?.reasons).toEqual(["no-answer", "busy", "abandoned-in-flow"]);
  });

  it("counts an anonymous caller apart, as nobody can call them back", () => {
    expect(track([inbound(0, "anonymous", "No Answer")])).toMatchObject({
      missed: 1,
      withoutNumber: 1,
      open: 0,
    });
    expect(normalisePhoneNumber("client:ann")).toBeUndefined();
  });
});

describe("classification and KPIs", () => {
  const abandonAfter = (ms: number) =>
    inbound(0, "+15550000020", "Abandoned", { dateCompleted: new Date(base + ms).toISOString() });

  it("takes an abandon at exactly the threshold for a short abandon, a millisecond later not", () => {
    expect(classifySession(abandonAfter(10_000))).toEqual({
      kind: "inbound-missed",
      reason: "short-abandon",
    });
    expect(classifySession(abandonAfter(10_001))).toEqual({
      kind: "inbound-missed",
      reason: "abandoned-in-flow",
    });
  });

  it("tells an abandon in the queue and an after-hours miss from the log", () => {
    const queued = inbound(0, "+1", "Abandoned", {
      log: [
        { date: at(1), message: "Caller hung up while waiting in queue 'Sales' after 60 seconds" },
      ],
    });
    const closed = inbound(0, "+1", "Voicemail", {
      log: [{ date: at(0), message: "Checked business hours: closed" }],
    });
    expect(classifySession(queued)).toEqual({
      kind: "inbound-missed",
      reason: "abandoned-in-queue",
    });
    expect(classifySession(closed)).toEqual({ kind: "inbound-missed", reason: "out-of-hours" });
  });

  it("computes rates, service level and percentiles from answer times in the log", () => {
    const kpis = new KpiAccumulator();
    const answered = (seconds: number) =>
      inbound(0, "+1", "Answered", {
        answeredByName: "Ann",
        log: [
          {
            date: new Date(base + seconds * 1000).toISOString(),
            message: "Agent Ann answered after N seconds",
          },
        ],
      });
    for (const seconds of [5, 10, 20, 21, 40]) kpis.add(answered(seconds));
    kpis.add(abandonAfter(5_000));
    kpis.add(abandonAfter(60_000));
    kpis.add(inbound(0, "+1", "Voicemail"));
    kpis.add(outbound(0, "+1", "Busy"));
    const result = kpis.result();
    expect(result).toMatchObject({ offered: 8, answered: 5, missed: 3, outbound: 1 });
    expect(result.answerRate).toBeCloseTo(5 / 8);
    expect(result.abandonRate).toBeCloseTo(2 / 8);
    expect(result.abandonRateExShort).toBeCloseTo(1 / 7);
    expect(result.serviceLevel).toBeCloseTo(3 / 8);
    expect(result.asaMs).toBeCloseTo(19_200);
    expect(result.timeToAnswerP50Ms).toBe(20_000);
    expect(result.timeToAnswerP90Ms).toBe(40_000);
    expect(result.outboundBy.busy).toBe(1);
  });

  it("groups by hour × weekday in the zone asked, and ranks the worst", () => {
    const grouped = new GroupedKpis("heatmap", {
      timeZone: "America/New_York",
      thresholds: DEFAULT_THRESHOLDS,
    });
    const byAccount = new GroupedKpis("account", {
      timeZone: "UTC",
      thresholds: DEFAULT_THRESHOLDS,
    });
    const sessions = [
      inbound(0, "+1", "Answered", { accountId: "a1", accountName: "Alpha" }),
      inbound(0, "+1", "Abandoned", { accountId: "a2", accountName: "Beta" }),
      inbound(0, "+1", "Answered", { accountId: "a2", accountName: "Beta" }),
    ];
    for (const session of sessions) {
      const call = classifySession(session);
      grouped.add(session, call);
      byAccount.add(session, call);
    }
    // 23:50 UTC on Thursday is 18:50 in New York.
    expect(grouped.result().map((cell) => [cell.key, cell.label, cell.kpis.offered])).toEqual([
      ["4:18", "Thu 18:00", 3],
    ]);
    expect(worstGroups(byAccount.result(), "abandonRate", 1).map((group) => group.label)).toEqual([
      "Beta",
    ]);
  });
});
