import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli-args.js";
import { generateStore } from "../src/data/store.js";
import { SANDBOX_ACCOUNT_IDS, generateDataset, startSandbox } from "../src/index.js";
import { TEST_NOW, basic, getJson } from "./helpers.js";

type Session = ReturnType<typeof generateDataset>["sessions"][number];

const data = generateDataset({ sessions: 4000, seed: 11, now: TEST_NOW });
const sessions = [...data.sessions].reverse(); // oldest first
const t = (text: string | null | undefined): number => Date.parse(text ?? "");
const lasted = (s: Session): number => t(s.dateCompleted) - t(s.dateCreated);
const digits = (text: string | null | undefined): string =>
  (text ?? "").replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
const inbound = sessions.filter((s) => s.channel === "Voice" && s.direction === "Incoming");
const missed = inbound.filter((s) => s.wasMissed === true);
const key = (s: Session, address: string | null | undefined): string =>
  `${s.accountId}|${digits(address)}`;

describe("stories around missed calls", () => {
  it("has short abandons: callers who hang up within 10 s, some at exactly 10 s", () => {
    const abandons = inbound.filter((s) => s.outcome === "Abandoned");
    const short = abandons.filter((s) => lasted(s) <= 10_000);
    expect(short.length / inbound.length).toBeGreaterThan(0.02);
    expect(short.length / inbound.length).toBeLessThan(0.1);
    expect(abandons.filter((s) => lasted(s) === 10_000).length).toBeGreaterThan(5);
    // Just past the threshold too, so that a boundary off by one shows.
    expect(abandons.some((s) => lasted(s) > 10_000 && lasted(s) < 15_000)).toBe(true);
    for (const s of short.filter((x) =>
      x.log?.some((e) =>
        /^Caller hung up (during the greeting|while ringing)/.test(e.message ?? ""),
      ),
    )) {
      expect(s.wasMissed).toBe(true);
      expect(s.log?.at(-1)?.message).toBe("Call ended: caller hung up");
      const stated = /after (\d+) seconds/.exec(s.log?.at(-2)?.message ?? "")?.[1];
      expect(
        Math.abs(Number(stated) * 1000 - (t(s.log?.at(-2)?.date) - t(s.dateCreated))),
      ).toBeLessThanOrEqual(500);
    }
  });

  it("has callers who try again within hours, 2–4 times in all", () => {
    const tries = new Map<string, number[]>();
    for (const s of inbound) {
      const list = tries.get(key(s, s.fromAddress)) ?? [];
      list.push(t(s.dateCreated));
      tries.set(key(s, s.fromAddress), list);
    }
    const again = missed.filter((m) =>
      (tries.get(key(m, m.fromAddress)) ?? []).some(
        (at) => at > t(m.dateCreated) && at - t(m.dateCreated) <= 4 * 3_600_000,
      ),
    );
    expect(again.length / missed.length).toBeGreaterThan(0.2);
    // A caller who called again and was answered.
    const answeredAfterMiss = inbound.some(
      (s) =>
        s.outcome === "Answered" &&
        missed.some(
          (m) =>
            key(m, m.fromAddress) === key(s, s.fromAddress) &&
            t(s.dateCreated) > t(m.dateCreated) &&
            t(s.dateCreated) - t(m.dateCreated) < 3 * 3_600_000,
        ),
    );
    expect(answeredAfterMiss).toBe(true);
  });

  it("calls back minutes to a day later, across midnight, with numbers written another way, or never", () => {
    const outbound = sessions.filter((s) => s.channel === "Voice" && s.direction === "Outgoing");
    const delays: number[] = [];
    let acrossMidnight = 0;
    let otherWriting = 0;
    let open = 0;
    for (const m of missed) {
      const callback = outbound.find(
        (o) =>
          key(o, o.toAddress) === key(m, m.fromAddress) &&
          o.outcome === "Answered" &&
          t(o.dateCreated) > t(m.dateCreated),
      );
      if (callback === undefined) {
        open++;
        continue;
      }
      const delay = t(callback.dateCreated) - t(m.dateCreated);
      delays.push(delay);
      // Midnight at the accounts' clock (UTC−5).
      const day = (ms: number): number => Math.floor((ms - 5 * 3_600_000) / 86_400_000);
      if (delay < 86_400_000 && day(t(callback.dateCreated)) !== day(t(m.dateCreated)))
        acrossMidnight++;
      if (callback.toAddress !== m.fromAddress) otherWriting++;
    }
    delays.sort((a, b) => a - b);
    expect(delays[0]).toBeLessThan(10 * 60_000);
    expect(delays.filter((d) => d <= 86_400_000).length / missed.length).toBeGreaterThan(0.2);
    expect(delays.some((d) => d > 86_400_000)).toBe(true);
    expect(acrossMidnight).toBeGreaterThan(5);
    expect(otherWriting).toBeGreaterThan(5);
    expect(outbound.some((o) => o.toAddress?.startsWith("("))).toBe(true);
    expect(open / missed.length).toBeGreaterThan(0.1);
  });

  it("keeps the other sessions' draws: without retries and callbacks the same calls come first", () => {
    // The first sessions drawn are the same ones whatever the total.
    const small = generateStore({ sessions: 300, seed: 11, now: TEST_NOW });
    const large = new Set(
      generateStore({ sessions: 600, seed: 11, now: TEST_NOW }).sessions.map((s) => s.id),
    );
    expect(small.sessions.every((s) => large.has(s.id))).toBe(true);
  });
});

describe("an MSP fleet", () => {
  const now = new Date("2026-11-20T12:00:00Z");

  it("adds client accounts under the MSP beside the fixed ones, over the days asked for", () => {
    const fleet = generateDataset({
      sessions: 6000,
      seed: 3,
      now,
      fleet: { accounts: 40, days: 90 },
    });
    expect(fleet.accounts).toHaveLength(43);
    const clients = fleet.accounts.filter(
      (a) => a.parentAccountId === SANDBOX_ACCOUNT_IDS.northwindMsp,
    );
    expect(clients).toHaveLength(40);
    expect(new Set(fleet.accounts.map((a) => a.name)).size).toBe(43);
    expect(fleet.accounts.slice(0, 6).map((a) => a.id)).toEqual(Object.values(SANDBOX_ACCOUNT_IDS));
    const accountsWithSessions = new Set(fleet.sessions.map((s) => s.accountId));
    expect(accountsWithSessions.size).toBe(43);
    const oldest = t(fleet.sessions.at(-1)?.dateCreated);
    expect(now.getTime() - oldest).toBeGreaterThan(80 * 86_400_000);
    expect(now.getTime() - oldest).toBeLessThanOrEqual(90 * 86_400_000);
    expect(generateDataset({ sessions: 500, seed: 3, now, fleet: { accounts: 40 } })).toEqual(
      generateDataset({ sessions: 500, seed: 3, now, fleet: { accounts: 40 } }),
    );
  });

  it("lets the admin and MSP users see every client; the demo user keeps one account", async () => {
    const sandbox = await startSandbox({
      port: 0,
      sessions: 800,
      seed: 3,
      now,
      fleet: { accounts: 12 },
    });
    try {
      const admin = sandbox.users.find((u) => u.kind === "admin");
      const msp = sandbox.users.find((u) => u.kind === "multi");
      expect(admin?.accountIds).toHaveLength(15);
      expect(msp?.accountIds).toHaveLength(13);
      expect(sandbox.users.find((u) => u.kind === "single")?.accountIds).toEqual([
        SANDBOX_ACCOUNT_IDS.acmeDental,
      ]);
      const last = msp?.accountIds.at(-1) as string;
      const page = await getJson(
        sandbox,
        `/sessions?accountIds=${last}&countPerPage=5`,
        basic("msp"),
      );
      expect(page.status).toBe(200);
      expect((page.body.items as Session[]).every((s) => s.accountId === last)).toBe(true);
    } finally {
      await sandbox.close();
    }
  });

  it("is switched on from the command line", () => {
    expect(parseCliArgs(["--accounts", "200", "--days", "90"]).sandbox.fleet).toEqual({
      accounts: 200,
      days: 90,
    });
    expect(parseCliArgs(["--days=30"]).sandbox.fleet).toEqual({ accounts: 3, days: 30 });
    expect(() => parseCliArgs(["--accounts", "2"])).toThrow(
      /--accounts needs a whole number from 3/,
    );
  });

  it("refuses a fleet it cannot build", async () => {
    await expect(startSandbox({ fleet: { accounts: 2 } })).rejects.toThrow(/fleet.accounts/);
    await expect(startSandbox({ fleet: { accounts: 10, days: 0 } })).rejects.toThrow(/fleet.days/);
  });
});
