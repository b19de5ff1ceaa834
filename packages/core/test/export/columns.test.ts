import { describe, expect, it } from "vitest";
import { classifySession } from "../../src/analytics/classify.js";
import {
  DEFAULT_EXPORT_COLUMNS,
  EXPORT_COLUMNS,
  flattenSession,
  resolveExportColumns,
  sessionRecord,
  textCells,
} from "../../src/export/columns.js";
import { outcomeOf, partiesOf, ringTimeMs, talkTimeMs } from "../../src/facts/session-facts.js";
import type { SessionInfo } from "../../src/model/session.js";
import { SessionQuery } from "../../src/query/session-query.js";
import { clientFor, useSmallSandbox } from "../client/sandbox-harness.js";

const sandbox = await useSmallSandbox({ sessions: 300 });

const call = (fields: Partial<SessionInfo>): SessionInfo =>
  ({ id: "s1", dateCreated: "2026-11-20T10:00:00Z", ...fields }) as SessionInfo;

describe("export columns", () => {
  it("resolves names in any case, keeps the order given, and expands all", () => {
    expect(resolveExportColumns("ID, outcome,Started").map((c) => c.name)).toEqual([
      "id",
      "outcome",
      "started",
    ]);
    expect(resolveExportColumns(["all"])).toHaveLength(EXPORT_COLUMNS.length);
    expect(resolveExportColumns().map((c) => c.name)).toEqual(DEFAULT_EXPORT_COLUMNS);
  });

  it("names the unknown column and the option", () => {
    expect(() => resolveExportColumns("id,colour")).toThrow(
      /Invalid columns: unknown column.*"colour"/,
    );
    expect(() => resolveExportColumns(",")).toThrow(/columns/);
  });

  it("writes local times in the chosen zone and instants in UTC", () => {
    const columns = resolveExportColumns("started,startedAt,day");
    const row = flattenSession(call({ dateCreated: "2026-11-20T03:30:00Z" }), {
      timeZone: "America/New_York",
      columns,
    });
    expect(row.started).toBe("2026-11-19 22:30:00");
    expect(row.day).toBe("2026-11-19");
    expect(textCells(row, columns)).toEqual([
      "2026-11-19 22:30:00",
      "2026-11-20T03:30:00.000Z",
      "2026-11-19",
    ]);
  });

  it("leaves out what the session does not say", () => {
    const row = flattenSession(call({}), { timeZone: "UTC" });
    expect(row.ended).toBeNull();
    expect(row.customer).toBeNull();
    expect(row.talkSeconds).toBeNull();
  });

  it("states core's facts and classification for every sandbox session", async () => {
    const { client } = clientFor(sandbox, "admin");
    const now = new Date("2026-11-20T12:00:00Z");
    const { matches } = await client.scan(SessionQuery.create().oldest(), { cap: 1000 }).collect();
    expect(matches.length).toBeGreaterThan(50);
    for (const { session } of matches) {
      const row = flattenSession(session, { timeZone: "UTC", now });
      const cls = classifySession(session);
      expect(row.class).toBe(cls.kind);
      expect(row.outcome).toBe(outcomeOf(session).kind);
      const ring = ringTimeMs(session);
      expect(row.ringSeconds).toBe(ring === undefined ? null : Math.round(ring / 1000));
      const talk = talkTimeMs(session, now);
      expect(row.talkSeconds).toBe(talk === undefined ? null : Math.round(talk / 1000));
      const { from } = partiesOf(session);
      expect(row.from).toBe(from.name ?? from.address ?? null);
      expect(row.accountId).toBe(session.accountId ?? null);
    }
  });

  it("keeps every field in a record, the log only when asked", () => {
    const session = call({ log: [{ date: "2026-11-20T10:00:00Z", message: "hi" }], ended: true });
    expect(sessionRecord(session)).toEqual({
      id: "s1",
      dateCreated: "2026-11-20T10:00:00Z",
      ended: true,
    });
    expect(sessionRecord(session, { includeLog: true }).log).toHaveLength(1);
  });
});
