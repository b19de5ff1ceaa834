import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_ACCOUNT_IDS, type Sandbox } from "../src/index.js";
import { basic, getJson, seedViolations, startTestSandbox } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ sessions: 200, live: true, liveStepMs: 60 });
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
    // One call, slow enough steps that polling sees every stage even on a busy machine.
    const single = await startTestSandbox({
      sessions: 20,
      live: true,
      liveCalls: 1,
      liveStepMs: 250,
    });
    try {
      const { body } = await getJson(single, "/sessions?countPerPage=1", basic("demo"));
      const id = (body.items as Item[])[0]?.id as string;
      const seen: string[] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const page = await getJson(
          single,
          `/sessions?specificIds=${id}&countPerPage=1`,
          basic("demo"),
        );
        expect(seedViolations(page.body)).toEqual([]);
        const item = (page.body.items as Item[])[0] as Item;
        if (seen.at(-1) !== item.callState) seen.push(item.callState);
        if (item.ended) {
          expect(item.log.at(-1)?.message).toMatch(/^Call ended: completed/);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      expect(seen).toEqual(["Ringing", "Connected", "Hold", "Connected", "Disconnected"]);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const next = await getJson(single, "/sessions?countPerPage=1", basic("demo"));
      expect((next.body.items as Item[])[0]?.id).not.toBe(id);
      expect((next.body.items as Item[])[0]?.ended).toBe(false);
    } finally {
      await single.close();
    }
  });

  it("stamps live calls on the data's clock, after every generated session", async () => {
    // The sandbox was generated around TEST_NOW, long before the real clock reads.
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
    const single = await startTestSandbox({
      sessions: 30,
      live: true,
      liveCalls: 1,
      liveStepMs: 150,
    });
    const search = async (log: string): Promise<string[]> => {
      const { body } = await getJson(
        single,
        `/sessions?all=true&log=${encodeURIComponent(log)}`,
        basic("admin"),
      );
      return (body.items as Item[]).map((item) => item.id);
    };
    try {
      const first = await getJson(single, "/sessions?countPerPage=1", basic("demo"));
      const id = (first.body.items as Item[])[0]?.id as string;
      // This first search builds the index while the call is still ringing.
      expect(await search("call resumed by")).not.toContain(id);
      const deadline = Date.now() + 10_000;
      let resumed: string[] = [];
      while (Date.now() < deadline && !(resumed = await search("CALL RESUMED BY")).includes(id))
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(resumed).toContain(id);
      // The next call was added after the index was built: it is found too.
      let next: string | undefined;
      while (Date.now() < deadline) {
        const top = await getJson(single, "/sessions?countPerPage=1", basic("demo"));
        next = (top.body.items as Item[])[0]?.id;
        if (next !== id) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(next).not.toBe(id);
      expect(await search("dialing queue")).toContain(next);
    } finally {
      await single.close();
    }
  });

  it("keeps sandbox.data in step with the live calls", async () => {
    const { body } = await getJson(sandbox, "/sessions?countPerPage=1");
    const id = (body.items as Item[])[0]?.id;
    expect(sandbox.data.sessions.some((s) => s.id === id)).toBe(true);
  });
});
