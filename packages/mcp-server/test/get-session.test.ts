import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durationMs, formatDuration, partiesOf, type SessionInfo } from "@evo-sessions/core";
import { answerChars, call, CUT_MARKER, oracle, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let long: SessionInfo;
/** The session that waited longest on hold: its log repeats two lines for an hour. */
let held: SessionInfo;

beforeAll(async () => {
  f = await startFixture();
  const accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
  const sessions = oracle(f.sandbox, accounts);
  long = sessions.reduce((a, b) => ((b.log?.length ?? 0) > (a.log?.length ?? 0) ? b : a));
  const holds = (s: SessionInfo) =>
    (s.log ?? []).filter((e) => e.message === "Played hold music").length;
  held = sessions.reduce((a, b) => (holds(b) > holds(a) ? b : a));
});
afterAll(() => f.close());

describe("get_session", () => {
  it("shows the session with its members and the first page of its log", async () => {
    const result = await call(f.mcp, "get_session", { id: long.id, collapseRepeats: false });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(`Session ${long.id}`);
    expect(result.text).toContain(long.accountName as string);
    for (const member of long.members ?? []) {
      if (member.displayName) expect(result.text).toContain(member.displayName);
    }
    const log = result.data.log as {
      total: number;
      returned: number;
      entries: { index: number; message: string }[];
      nextLogOffset?: number;
    };
    expect(log.total).toBe(long.log?.length);
    expect(log.entries.map((e) => e.message)).toEqual(
      (long.log ?? []).slice(0, log.returned).map((e) => e.message),
    );
    expect(log.entries[0]?.index).toBe(0);
    if ((long.log?.length ?? 0) > 50) {
      expect(log.nextLogOffset).toBe(log.returned);
      expect(result.text).toContain(`logOffset=${log.returned}`);
    }
  });

  it("pages through a long log with logOffset/logLimit, ending exactly at the last entry", async () => {
    const all = long.log ?? [];
    const seen: string[] = [];
    let offset = 0;
    for (let i = 0; i < 100; i++) {
      const result = await call(f.mcp, "get_session", {
        id: long.id,
        logOffset: offset,
        logLimit: 40,
        collapseRepeats: false,
      });
      const log = result.data.log as {
        entries: { message: string }[];
        hasMore: boolean;
        nextLogOffset?: number;
      };
      seen.push(...log.entries.map((e) => e.message));
      if (!log.hasMore) break;
      offset = log.nextLogOffset as number;
    }
    expect(seen).toEqual(all.map((e) => e.message));
  });

  it("shows how the session ended even when the log page stops before its last entry", async () => {
    const all = long.log ?? [];
    const last = all.at(-1)?.message as string;
    const result = await call(f.mcp, "get_session", {
      id: long.id,
      logLimit: 5,
      collapseRepeats: false,
    });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain(
      `How it ended (last log entries, #${all.length - 2}–#${all.length - 1}):`,
    );
    expect(result.text).toContain(all.at(-2)?.message as string);
    expect(result.text).toContain(last);
    expect(result.text).not.toContain(CUT_MARKER);
    // Not repeated when the page already reaches the end.
    const whole = await call(f.mcp, "get_session", { id: held.id });
    expect(whole.data.log).toMatchObject({ hasMore: false });
    expect(whole.text).not.toContain("How it ended");
  });

  it("leaves Evo Voice's 'None' roles and the call state of an ended session out of the text", async () => {
    const ended = oracle(f.sandbox, f.sandbox.users.find((u) => u.kind === "multi")!.accountIds, {
      predicate: (s) => s.dateCompleted != null && (s.members ?? []).some((m) => m.role === "None"),
    })[0]!;
    const result = await call(f.mcp, "get_session", { id: ended.id });
    expect(result.isError, result.text).toBeFalsy();
    const members = result.text.split("\n").filter((line) => line.startsWith("  - "));
    expect(members.length).toBeGreaterThan(0);
    for (const line of members) expect(line).not.toMatch(/· None\b/);
    expect(result.text).not.toContain("call state Disconnected");
    expect((result.data.session as { members: { role?: string }[] }).members).toContainEqual(
      expect.objectContaining({ role: "None" }),
    );
  });

  it("filters the log by text, case-insensitively", async () => {
    const word = ((long.log ?? [])[1]?.message ?? "").split(/\s+/)[0] ?? "";
    const want = (long.log ?? []).filter((e) =>
      (e.message ?? "").toLowerCase().includes(word.toLowerCase()),
    );
    const result = await call(f.mcp, "get_session", {
      id: long.id,
      logContains: word.toUpperCase(),
      logLimit: 500,
      collapseRepeats: false,
    });
    const log = result.data.log as { matching: number; entries: { message: string }[] };
    expect(log.matching).toBe(want.length);
    expect(log.entries.map((e) => e.message)).toEqual(want.map((e) => e.message));
  });

  it("keeps a long uncollapsed log, text and JSON together, within the token budget, saying what it left out", async () => {
    const result = await call(f.mcp, "get_session", {
      id: long.id,
      logLimit: 500,
      collapseRepeats: false,
    });
    expect(result.text).not.toContain(CUT_MARKER);
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
    const log = result.data.log as {
      returned: number;
      leftOutForBudget: number;
      entries: unknown[];
      nextLogOffset: number;
    };
    expect(log.leftOutForBudget).toBeGreaterThan(0);
    expect(log.entries.length).toBe(log.returned);
    expect(result.text).toContain(`Left out: ${log.leftOutForBudget} more requested log entries`);
    expect(result.text).toContain(`logOffset=${log.nextLogOffset}`);
    // The ending has its room reserved: still shown, and the answer still within budget.
    expect(result.text).toContain("How it ended (last log entries");
  });

  it("collapses runs of repeated log lines into one line with a count and time span", async () => {
    const result = await call(f.mcp, "get_session", { id: held.id });
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).not.toContain(CUT_MARKER);
    expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
    const log = result.data.log as {
      total: number;
      returned: number;
      hasMore: boolean;
      entries: {
        index: number;
        message: string;
        repeats?: number;
        entries?: number;
        lastIndex?: number;
      }[];
    };
    // The whole log, over a hundred entries, is read in a few dozen lines.
    expect(log.total).toBeGreaterThan(100);
    expect(log.returned).toBe(log.total);
    expect(log.hasMore).toBe(false);
    expect(log.entries.length).toBeLessThan(40);
    const run = log.entries.find((e) => (e.repeats ?? 0) > 10);
    expect(run, JSON.stringify(log.entries)).toBeDefined();
    expect(run!.message).toMatch(
      /Still waiting in queue .* \(position \d+(→\d+)?\) \/ Played hold music/,
    );
    expect(result.text).toMatch(
      /\d\d:\d\d:\d\d–\d\d:\d\d:\d\d ×\d+ \(\d+ entries\): Still waiting/,
    );
    // Every entry is accounted for, in order, and none twice.
    let next = 0;
    for (const entry of log.entries) {
      expect(entry.index).toBe(next);
      next = (entry.lastIndex ?? entry.index) + 1;
    }
    expect(next).toBe(log.total);
    const text = result.text.split("\n").filter((l) => l.includes("Played hold music"));
    expect(text.length).toBeLessThan(5);
  });

  it("states the session's facts as core decides them, the duration written as every surface writes it", async () => {
    const accounts = f.sandbox.users.find((u) => u.kind === "multi")!.accountIds;
    // A call of a few minutes: the old text wrote "3m12s", core writes "3m 12s".
    const minutes = oracle(f.sandbox, accounts, {
      predicate: (s) => {
        const ms = Date.parse(s.dateCompleted ?? "") - Date.parse(s.dateCreated ?? "");
        return s.wasMissed !== true && ms >= 60_000 && ms < 3_600_000;
      },
    })[0]!;
    const result = await call(f.mcp, "get_session", { id: minutes.id });
    expect(result.isError, result.text).toBeFalsy();
    const session = minutes as SessionInfo;
    const duration = formatDuration(durationMs(session)!);
    expect(duration).toMatch(/^\d+m \d\ds$/);
    expect(result.text).toContain(`(${duration})`);
    expect(result.text).not.toMatch(/\d+m\d\ds/);
    const { from } = partiesOf(session);
    expect(result.text).toContain(`from ${from.name ?? from.address}`);
    const list = await call(f.mcp, "list_sessions", { specificIds: [minutes.id] });
    expect(list.text).toContain(duration);
  });

  it("an unknown id is an error that says what to check, in the assistant's terms", async () => {
    const result = await call(f.mcp, "get_session", { id: "does-not-exist" });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'No session with id "does-not-exist" in the accounts this sign-in reaches (live or archived). Check the id — copy it from a list_sessions line — or call list_accounts to see which accounts this sign-in reaches.',
    );
    expect(result.text).not.toMatch(/authStatus|\(\)/);
  });

  it("a missing id is an error naming id first", async () => {
    const result = await call(f.mcp, "get_session", {});
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Invalid argument "id": it is required/);
  });
});
