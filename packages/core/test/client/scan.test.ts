import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/errors/evo-voice-error.js";
import type { SessionInfo } from "../../src/model/session.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, requestsTo, useSmallSandbox } from "./sandbox-harness.js";

const now = new Date("2026-11-20T12:00:00Z");
const sandbox = await useSmallSandbox({ sessions: 1000, now });

/** Every live session of the admin, newest first, read in one answer: the oracle's input. */
async function everything(): Promise<SessionInfo[]> {
  const { client } = clientFor(sandbox, "admin");
  const page = await client.listSessions(SessionQuery.create().newest().all());
  return page.items;
}

// The oracle's own reading of "missed incoming calls", independent of core's predicates.
const missedIncoming = (session: SessionInfo): boolean =>
  session.wasMissed === true && session.direction === "Incoming";

describe("scan", () => {
  it("finds exactly the matches, in order, with their positions in the server's list", async () => {
    const all = await everything();
    const expected = all
      .map((session, index) => ({ id: session.id, index }))
      .filter(({ index }) => missedIncoming(all[index] as SessionInfo));
    const { client } = clientFor(sandbox, "admin");
    const query = SessionQuery.create().newest().missed().direction("Incoming");
    const result = await client.scan(query, { limit: 10_000 }).collect();
    expect(result.matches.map(({ session, index }) => ({ id: session.id, index }))).toEqual(
      expected,
    );
    expect(result).toMatchObject({
      read: all.length,
      matched: expected.length,
      complete: true,
      capReached: false,
      nextOffset: all.length,
      serverTotal: all.length,
    });
  });

  it("goes on from nextOffset without repeating or losing a match", async () => {
    const { client } = clientFor(sandbox, "admin");
    const query = SessionQuery.create().newest().missed();
    const whole = await client.scan(query).collect();
    const seen: string[] = [];
    let offset = 0;
    let anchorId: string | undefined;
    for (let round = 0; round < 100; round++) {
      const part = await client
        .scan(query, { limit: 7, offset, ...(anchorId ? { anchorId } : {}) })
        .collect();
      seen.push(...part.matches.map((match) => match.session.id ?? ""));
      expect(part.drift).toBeUndefined();
      if (part.complete) break;
      offset = part.nextOffset;
      anchorId = part.matches.at(-1)?.session.id ?? undefined;
    }
    expect(seen).toEqual(whole.matches.map((match) => match.session.id));
  });

  it("asks for pages of the limit when nothing is filtered locally, so a window is one request", async () => {
    const { client } = clientFor(sandbox, "admin");
    const before = requestsTo(sandbox, "/sessions").length;
    const result = await client
      .scan(SessionQuery.create().newest(), { limit: 20, offset: 40 })
      .collect();
    const sent = requestsTo(sandbox, "/sessions").slice(before);
    expect(sent.map((request) => new URLSearchParams(request.query).get("countPerPage"))).toEqual([
      "20",
    ]);
    expect(new URLSearchParams(sent[0]?.query).get("page")).toBe("2");
    expect(result.matches.map((match) => match.index)).toEqual(
      Array.from({ length: 20 }, (_, i) => 40 + i),
    );
    expect(result.complete).toBe(false);
  });

  it("stops at the cap and says so, ready to go on", async () => {
    const { client } = clientFor(sandbox, "admin");
    const result = await client
      .scan(SessionQuery.create().newest().outcomes("No such outcome"), { cap: 150 })
      .collect();
    expect(result).toMatchObject({
      read: 150,
      matched: 0,
      capReached: true,
      complete: false,
      nextOffset: 150,
    });
  });

  it("finds the anchor when the list moved and continues right after it", async () => {
    const all = await everything();
    const { client } = clientFor(sandbox, "admin");
    // A cursor handed out at offset 30 whose anchor (position 29 then) now stands at 32, as if
    // three calls had arrived at the top of the newest-first list since.
    const anchor = all[32]?.id ?? "";
    const result = await client
      .scan(SessionQuery.create().newest(), { limit: 5, offset: 30, anchorId: anchor })
      .collect();
    expect(result.drift).toEqual({ kind: "shifted", by: 3 });
    expect(result.matches.map((match) => match.session.id)).toEqual(
      all.slice(33, 38).map((s) => s.id),
    );
    const lost = await client
      .scan(SessionQuery.create().newest(), { limit: 5, offset: 30, anchorId: "gone" })
      .collect();
    expect(lost.drift).toEqual({ kind: "lost" });
    expect(lost.matches[0]?.index).toBe(30);
  });

  it("keeps the local-day window exactly and reports progress after each page", async () => {
    const all = await everything();
    const { client } = clientFor(sandbox, "admin");
    const query = SessionQuery.create()
      .newest()
      .range("yesterday", { now, timeZone: "America/Chicago" });
    const window = query.resolvedRange!;
    const inside = all.filter((session) => {
      const t = Date.parse(session.dateCreated ?? "");
      return t >= window.from.getTime() && t < window.to.getTime();
    });
    const progress: number[] = [];
    const result = await client
      .scan(query, { onProgress: ({ read }) => void progress.push(read) })
      .collect();
    expect(result.matches.map((match) => match.session.id)).toEqual(inside.map((s) => s.id));
    expect(result.read).toBeGreaterThan(inside.length);
    expect(progress.at(-1)).toBe(result.read);
    expect(progress.length).toBe(Math.ceil(result.read / 100));
  });

  it("rejects bad options naming them, before anything is sent", () => {
    const { client } = clientFor(sandbox, "admin");
    expect(() => client.scan(SessionQuery.create(), { limit: 0 })).toThrow(InvalidOptionError);
    expect(() => client.scan(SessionQuery.create(), { offset: -1 })).toThrow(/offset/);
    expect(() => client.scan(SessionQuery.create(), { pageSize: 5000 })).toThrow(/pageSize/);
  });
});
