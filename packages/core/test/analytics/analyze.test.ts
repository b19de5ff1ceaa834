import { describe, expect, it } from "vitest";
import { analyzeSessions } from "../../src/analytics/analyze.js";
import type { SessionInfo } from "../../src/model/session.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, useSmallSandbox } from "../client/sandbox-harness.js";

const now = new Date("2026-11-20T12:00:00Z");
const sandbox = await useSmallSandbox({ sessions: 3000, now });
const zone = "America/Chicago";

// ---- The oracle: written from the data's own words, sharing no code with core's analytics ----
const t = (text: string | null | undefined) => Date.parse(text ?? "");
const digits = (text: string | null | undefined) =>
  (text ?? "").replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
const isVoice = (s: SessionInfo) => s.channel === "Voice" && s.ended === true;
const inboundVoice = (s: SessionInfo) => isVoice(s) && s.direction === "Incoming";
const answeredInbound = (s: SessionInfo) => inboundVoice(s) && s.outcome === "Answered";
function answerSeconds(s: SessionInfo): number | undefined {
  const log = s.log ?? [];
  const entry = log.find(
    (e) => /answered after \d+ seconds/.test(e.message ?? "") && !/^No /.test(e.message ?? ""),
  );
  // Time to answer counts from the queue when the call queued (the flow's greeting is not the agents').
  const queued = log.find((e) => /^(Dialing queue|Queued at position)/.test(e.message ?? ""));
  const from = t(queued?.date ?? s.dateCreated);
  return entry === undefined ? undefined : (t(entry.date) - from) / 1000;
}

function oracle(all: SessionInfo[], from: Date, to: Date) {
  const inside = all.filter(
    (s) => t(s.dateCreated) >= from.getTime() && t(s.dateCreated) < to.getTime(),
  );
  const offered = inside.filter(inboundVoice);
  const answered = offered.filter(answeredInbound);
  const abandoned = offered.filter((s) => s.outcome === "Abandoned");
  const short = abandoned.filter((s) => t(s.dateCompleted) - t(s.dateCreated) <= 10_000);
  const withinSla = answered.filter((s) => (answerSeconds(s) ?? Infinity) <= 20);
  return { inside, offered, answered, abandoned, short, withinSla };
}

function openCallbacks(all: SessionInfo[], missed: SessionInfo[]): Set<string> {
  const open = new Set<string>();
  for (const miss of missed) {
    const number = digits(miss.fromAddress);
    if (number === "") continue;
    const closed = all.some(
      (other) =>
        other.accountId === miss.accountId &&
        t(other.dateCreated) > t(miss.dateCreated) &&
        t(other.dateCreated) - t(miss.dateCreated) <= 24 * 3_600_000 &&
        ((other.direction === "Outgoing" &&
          other.outcome === "Answered" &&
          digits(other.toAddress) === number) ||
          (answeredInbound(other) && digits(other.fromAddress) === number)),
    );
    if (!closed) open.add(`${miss.accountId}|${number}`);
  }
  return open;
}

async function allSessions(): Promise<SessionInfo[]> {
  const { client } = clientFor(sandbox, "admin");
  return (await client.listSessions(SessionQuery.create().all())).items;
}

describe("analyzeSessions against a brute-force oracle", () => {
  it("counts last week's KPIs and callbacks exactly", async () => {
    const all = await allSessions();
    const { client } = clientFor(sandbox, "admin");
    const query = SessionQuery.create().range("last-7-days", { now, timeZone: zone });
    const window = query.resolvedRange!;
    const report = await analyzeSessions(client, query, { callbacks: { limit: 10_000 }, now });
    const o = oracle(all, window.from, window.to);

    expect(report.completeness).toMatchObject({
      complete: true,
      capReached: false,
      matched: o.inside.length,
    });
    expect(report.totals).toMatchObject({ offered: o.offered.length, answered: o.answered.length });
    const abandonedByCore =
      report.totals.missedBy["short-abandon"] +
      report.totals.missedBy["abandoned-in-queue"] +
      report.totals.missedBy["abandoned-in-flow"];
    // After-hours abandons are counted as out-of-hours misses by core: add them back.
    const afterHoursAbandons = o.abandoned.filter(
      (s) =>
        (s.log ?? []).some((e) => /business hours: closed/.test(e.message ?? "")) &&
        !o.short.includes(s),
    ).length;
    expect(abandonedByCore + afterHoursAbandons).toBe(o.abandoned.length);
    expect(report.totals.missedBy["short-abandon"]).toBe(o.short.length);
    expect(report.totals.serviceLevel).toBeCloseTo(o.withinSla.length / o.offered.length, 10);

    const missed = o.offered.filter((s) => s.outcome !== "Answered");
    const expectedOpen = openCallbacks(all, missed);
    const reportedOpen = new Set(
      report.callbacks!.queue.map((c) => `${c.accountId}|${digits(c.number)}`),
    );
    expect(report.callbacks!.missed).toBe(missed.length);
    expect(reportedOpen).toEqual(expectedOpen);
    expect(report.callbacks!.closed).toBeGreaterThan(0);
  });

  it("rolls up accounts in parallel to the same totals, and reports an account it cannot read", async () => {
    const { client } = clientFor(sandbox, "multi");
    const query = SessionQuery.create().range("last-7-days", { now, timeZone: zone });
    const user = sandbox.users.find((u) => u.kind === "multi")!;
    const accounts = user.accountIds.map((id) => ({ id, name: id }));
    const single = await analyzeSessions(client, query, { now });
    const progress: number[] = [];
    const rollup = await analyzeSessions(client, query, {
      now,
      accounts: [...accounts, { id: "not-mine", name: "Not mine" }],
      concurrency: 3,
      groupBy: ["account"],
      onProgress: ({ scansDone }) => void progress.push(scansDone),
    });
    expect(rollup.totals).toEqual(single.totals);
    expect(rollup.groups.account?.map((g) => g.key).sort()).toEqual([...user.accountIds].sort());
    expect(rollup.completeness.failures).toEqual([
      expect.objectContaining({ accountId: "not-mine", code: "permission_denied" }),
    ]);
    expect(rollup.completeness.complete).toBe(false);
    expect(progress.length).toBeGreaterThan(0);
  });

  it("compares with the previous period of the same length", async () => {
    const all = await allSessions();
    const { client } = clientFor(sandbox, "admin");
    const query = SessionQuery.create().range("this-week", { now, timeZone: zone });
    const report = await analyzeSessions(client, query, {
      compare: true,
      now,
      groupBy: ["day", "heatmap"],
    });
    const window = query.resolvedRange!;
    const length = window.to.getTime() - window.from.getTime();
    const before = oracle(all, new Date(window.from.getTime() - length), window.from);
    expect(report.previous?.totals.offered).toBe(before.offered.length);
    expect(report.groups.day?.reduce((n, g) => n + g.kpis.sessions, 0)).toBe(
      report.totals.sessions,
    );
    expect(report.groups.heatmap?.reduce((n, g) => n + g.kpis.offered, 0)).toBe(
      report.totals.offered,
    );
  });
});
