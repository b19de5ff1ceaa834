import { describe, expect, it } from "vitest";
import { analyzeSessions } from "../../src/analytics/analyze.js";
import {
  pagedSessionSource,
  preferCopy,
  summarizeChoices,
  type SessionCopy,
  type SessionPageReader,
  type SourceChoice,
} from "../../src/client/session-source.js";
import type { SessionInfo } from "../../src/model/session.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, useSmallSandbox } from "./sandbox-harness.js";

const now = new Date("2026-11-20T12:00:00Z");
const sandbox = await useSmallSandbox({ sessions: 1500, now });
const { client, log } = clientFor(sandbox, "multi");
const accounts = (await client.authStatus()).accounts;
const week = SessionQuery.create().range("last_7_days", { now, timeZone: "UTC" });

/** An in-memory copy of what the server lists for the week: accounts, days and sort applied. */
async function copyOfWeek(): Promise<SessionInfo[]> {
  const scan = client.scan(week.accounts(...accounts.map((a) => a.id)), { cap: 100_000 });
  return (await scan.collect()).matches.map((match) => match.session);
}
const held = await copyOfWeek();

const readPage: SessionPageReader = async (query) => {
  const ids = new Set(query.params.accountIds ?? []);
  const rows = held
    .filter((s) => ids.size === 0 || ids.has(s.accountId ?? ""))
    .sort((a, b) => Date.parse(a.dateCreated ?? "") - Date.parse(b.dateCreated ?? ""));
  if (query.params.sortOrder !== "Ascend") rows.reverse();
  const size = query.params.countPerPage ?? 100;
  const page = query.params.page ?? 0;
  return {
    items: rows.slice(page * size, (page + 1) * size),
    page,
    totalCount: rows.length,
    warnings: [],
  };
};

function requestsDuring<T>(work: () => Promise<T>): Promise<{ value: T; requests: number }> {
  const before = log.of("onRequest").length;
  return work().then((value) => ({ value, requests: log.of("onRequest").length - before }));
}

describe("a paged session source", () => {
  it("gives analytics the same numbers as Evo Voice, without a request", async () => {
    const options = { accounts, timeZone: "UTC", now, groupBy: ["account" as const] };
    const fromServer = await analyzeSessions(client, week, options);
    const source = pagedSessionSource(readPage);
    const { value: fromCopy, requests } = await requestsDuring(() =>
      analyzeSessions(client, week, { ...options, source }),
    );
    expect(requests).toBe(0);
    expect(fromCopy.totals).toEqual(fromServer.totals);
    expect(fromCopy.groups).toEqual(fromServer.groups);
    expect(fromCopy.completeness).toMatchObject({ complete: true, matched: held.length });
  });

  it("keeps the scanner's rules: limit, cap and the local filters", async () => {
    const source = pagedSessionSource(readPage);
    const missed = week.filter({ missed: true });
    const limited = await source.scan(missed, { limit: 3, pageSize: 50 }).collect();
    expect(limited.matches.map((m) => m.session.id)).toEqual(
      held
        .filter((s) => missed.matches(s))
        .slice(0, 3)
        .map((s) => s.id),
    );
    expect(held.length).toBeGreaterThan(60);
    const capped = await source.scan(week, { cap: 60, pageSize: 25 }).collect();
    expect(capped).toMatchObject({ read: 60, capReached: true, complete: false });
  });
});

describe("preferCopy", () => {
  it("reads each scan from the copy when it covers it, else from Evo Voice, and says which", async () => {
    const [first, second] = accounts;
    const choices: SourceChoice[] = [];
    const copy: SessionCopy = {
      ...pagedSessionSource(readPage),
      covers: async (query) =>
        query.params.accountIds?.includes(first!.id) === true
          ? { covered: true, syncedTo: "2026-11-20T11:00:00.000Z" }
          : { covered: false, reason: "not synced" },
    };
    const source = preferCopy(copy, client, (choice) => choices.push(choice));
    const scan = source.scan(week.accounts(second!.id));
    expect(scan.report).toMatchObject({ read: 0, complete: false });
    const { requests } = await requestsDuring(() => scan.collect());
    expect(requests).toBeGreaterThan(0);
    expect(scan.report.complete).toBe(true);

    const report = await analyzeSessions(client, week, {
      accounts,
      timeZone: "UTC",
      now,
      source,
    });
    const fromServer = await analyzeSessions(client, week, { accounts, timeZone: "UTC", now });
    expect(report.totals).toEqual(fromServer.totals);
    const bySource = choices.slice(1).map((c) => [c.query.params.accountIds?.[0], c.source]);
    expect(bySource).toEqual(
      expect.arrayContaining([
        [first!.id, "copy"],
        [second!.id, "server"],
      ]),
    );
    expect(choices[0]).toMatchObject({ source: "server", verdict: { reason: "not synced" } });
    const copied = choices.filter((c) => c.source === "copy").length;
    expect(summarizeChoices(choices)).toEqual({
      fromCopy: copied,
      fromServer: choices.length - copied,
      syncedFrom: "2026-11-20T11:00:00.000Z",
      syncedTo: "2026-11-20T11:00:00.000Z",
      reason: "not synced",
    });
  });

  it("reads Evo Voice when the copy cannot say what it covers", async () => {
    const choices: SourceChoice[] = [];
    const broken: SessionCopy = {
      ...pagedSessionSource(readPage),
      covers: () => Promise.reject(new Error("IO Error: store.duckdb is damaged")),
    };
    const scan = preferCopy(broken, client, (c) => choices.push(c)).scan(week);
    expect((await scan.collect()).matched).toBe(held.length);
    expect(choices[0]?.verdict).toEqual({
      covered: false,
      reason: "the copy could not be read (IO Error: store.duckdb is damaged)",
    });
  });
});
