import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SANDBOX_ACCOUNT_IDS, type Sandbox } from "../src/index.js";
import { basic, getJson, seedViolations, startTestSandbox, TEST_NOW } from "./helpers.js";

// Live calls on a manual clock: they move only when a test calls sandbox.live.step(), so what
// each test sees never depends on how fast the machine is.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 200, live: true, liveClock: "manual" });
});
afterAll(() => sandbox.close());

interface Item {
  id: string;
  callState: string;
  dialState: string;
  ended: boolean;
  accountId: string;
  log: { message: string }[];
}

/** A sandbox with one live call on a manual clock, 5 s per step (the default). */
function startSingleCall(sessions: number): Promise<Sandbox> {
  return startTestSandbox({ sessions, live: true, liveCalls: 1, liveClock: "manual" });
}

async function top(on: Sandbox): Promise<Item> {
  const { body } = await getJson(on, "/sessions?countPerPage=1", basic("demo"));
  return (body.items as Item[])[0] as Item;
}

describe("live mode", () => {
  it("puts calls in progress at the top, where every demo user can see one", async () => {
    const { body } = await getJson(sandbox, "/sessions?countPerPage=3");
    const items = body.items as Item[];
    expect(items.every((item) => item.ended === false && item.dialState === "Active")).toBe(true);
    expect(new Set(items.map((i) => i.accountId))).toEqual(
      new Set([
        SANDBOX_ACCOUNT_IDS.acmeDental,
        SANDBOX_ACCOUNT_IDS.brightsideRealty,
        SANDBOX_ACCOUNT_IDS.summitPlumbing,
      ]),
    );
    const demo = await getJson(sandbox, "/sessions?countPerPage=1", basic("demo"));
    expect((demo.body.items as Item[])[0]?.ended).toBe(false);
  });

  it("progresses a call ringing → connected → hold → connected → disconnected, then starts another", async () => {
    const single = await startSingleCall(20);
    try {
      const id = (await top(single)).id;
      const seen: string[] = [];
      let item: Item | undefined;
      for (let step = 0; step < 5; step++) {
        if (step > 0) single.live?.step();
        const page = await getJson(
          single,
          `/sessions?specificIds=${id}&countPerPage=1`,
          basic("demo"),
        );
        expect(seedViolations(page.body)).toEqual([]);
        item = (page.body.items as Item[])[0] as Item;
        seen.push(item.callState);
      }
      expect(seen).toEqual(["Ringing", "Connected", "Hold", "Connected", "Disconnected"]);
      expect(item?.ended).toBe(true);
      // The log tells the times of the clock: one step (5 s) to answer, four to the end.
      const log = item?.log.map((entry) => entry.message) ?? [];
      expect(log.find((m) => m.startsWith("Agent "))).toMatch(/answered after 5 seconds$/);
      expect(log.at(-1)).toBe("Call ended: completed (duration 0m 20s)");

      single.live?.step();
      const next = await top(single);
      expect(next.id).not.toBe(id);
      expect(next.ended).toBe(false);
      expect(next.callState).toBe("Ringing");
    } finally {
      await single.close();
    }
  });

  it("stamps live calls on the data's clock, after every generated session", async () => {
    // The sandbox was generated around TEST_NOW, long before the real clock reads.
    expect(sandbox.live?.now()).toEqual(TEST_NOW);
    const { body } = await getJson(sandbox, "/sessions?countPerPage=50");
    const created = (body.items as { dateCreated: string }[]).map((i) => Date.parse(i.dateCreated));
    const now = Date.parse(sandbox.data.now as string);
    const live = created.filter((t) => t >= now);
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(live.every((t) => t < now + 60_000)).toBe(true);
    // Live calls come first; calls begun in the same instant still get distinct times.
    expect(created.slice(0, live.length)).toEqual(live);
    expect(new Set(live).size).toBe(live.length);
  });

  it("log search finds what live calls log after the first search indexed the logs", async () => {
    const single = await startSingleCall(30);
    const search = async (log: string): Promise<string[]> => {
      const { body } = await getJson(
        single,
        `/sessions?all=true&log=${encodeURIComponent(log)}`,
        basic("admin"),
      );
      return (body.items as Item[]).map((item) => item.id);
    };
    try {
      const id = (await top(single)).id;
      // This first search builds the index while the call is still ringing.
      expect(await search("call resumed by")).not.toContain(id);
      single.live?.step(3); // connected, hold, resumed
      expect(await search("CALL RESUMED BY")).toContain(id);
      // The next call was added after the index was built: it is found too.
      single.live?.step(2); // ended, and the next call rings
      const next = (await top(single)).id;
      expect(next).not.toBe(id);
      expect(await search("dialing queue")).toContain(next);
    } finally {
      await single.close();
    }
  });

  it("keeps sandbox.data in step with the live calls", async () => {
    const before = await top(sandbox);
    expect(sandbox.data.sessions.find((s) => s.id === before.id)?.callState).toBe("Ringing");
    sandbox.live?.step();
    expect(sandbox.data.sessions.find((s) => s.id === before.id)?.callState).toBe("Connected");
    expect((await top(sandbox)).callState).toBe("Connected");
  });

  it("refuses step() on the real clock, saying which clock to ask for", async () => {
    const real = await startTestSandbox({ sessions: 20, live: true });
    try {
      expect(() => real.live?.step()).toThrow(/liveClock: "manual"/);
    } finally {
      await real.close();
    }
  });
});

describe("live mode on the real clock (the default)", () => {
  // The real clock runs on timers: faked here, so that the test moves them, not the machine.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("moves calls on by themselves, one step every liveStepMs", async () => {
    const real = await startTestSandbox({
      sessions: 20,
      live: true,
      liveCalls: 1,
      liveStepMs: 250,
    });
    try {
      const id = real.data.sessions[0]?.id as string;
      const state = (): string | undefined =>
        real.data.sessions.find((s) => s.id === id)?.callState;
      expect(state()).toBe("Ringing");
      vi.advanceTimersByTime(249);
      expect(state()).toBe("Ringing");
      vi.advanceTimersByTime(1);
      expect(state()).toBe("Connected");
      vi.advanceTimersByTime(250 * 3);
      expect(state()).toBe("Disconnected");
      vi.advanceTimersByTime(250);
      expect(real.data.sessions[0]?.id).not.toBe(id);
    } finally {
      await real.close();
    }
  });
});
