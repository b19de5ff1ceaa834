// Missed, direction, channel and outcome filters: each keeps what core's predicate keeps.
import { channelOf, directionOf, isMissed, outcomeOf, type SessionInfo } from "@evo-sessions/core";
import { describe, expect, it } from "vitest";
import * as vscode from "vscode";
import { FILTERS_STATE_KEY } from "../src/filters/filter-store.js";
import { filtersToQuery, parseStoredFilters } from "../src/filters/session-filters.js";
import {
  answerQuickPick,
  FIXED_NOW,
  sessionRows,
  settled,
  TEST_TIME_ZONE,
  useSandboxSuite,
} from "./support/harness.js";
import { contextKeys } from "./support/vscode.js";

describe("Missed, direction, channel and outcome filters", () => {
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 200 } } });

  async function run(command: string): Promise<void> {
    await vscode.commands.executeCommand(command);
    await settled(suite.ext.api);
  }

  async function shown(): Promise<SessionInfo[]> {
    const byId = new Map(suite.sandbox.data.sessions.map((s) => [`session:${s.id}`, s]));
    return (await sessionRows(suite.ext.api)).map((row) => byId.get(row.item.id as string)!);
  }

  it("Missed Only keeps only missed sessions, says so in the title and toggles back", async () => {
    await run("evoSessions.filter.missedOnly");
    const rows = await shown();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every(isMissed)).toBe(true);
    expect(suite.ext.view.description).toBe("Sandbox · missed");
    expect(contextKeys.get("evoSessions.missedOnly")).toBe(true);
    await run("evoSessions.filter.missedOff");
    expect((await shown()).some((s) => !isMissed(s))).toBe(true);
    expect(contextKeys.get("evoSessions.missedOnly")).toBe(false);
  });

  it("direction and channel pick one value; outcome ticks classes", async () => {
    answerQuickPick("$(call-outgoing) Outgoing");
    await run("evoSessions.filter.direction");
    expect((await shown()).every((s) => directionOf(s) === "Outgoing")).toBe(true);
    answerQuickPick("$(comment-discussion) Chats");
    await run("evoSessions.filter.channel");
    expect(suite.ext.view.description).toBe("Sandbox · outgoing · chat");
    expect((await shown()).every((s) => channelOf(s) === "Chat")).toBe(true);
    answerQuickPick("Either direction");
    await run("evoSessions.filter.direction");
    answerQuickPick("Any channel");
    await run("evoSessions.filter.channel");

    answerQuickPick("voicemail", "abandoned");
    await run("evoSessions.filter.outcome");
    const rows = await shown();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((s) => ["voicemail", "abandoned"].includes(outcomeOf(s).kind))).toBe(true);
    expect(suite.ext.view.description).toBe("Sandbox · voicemail or abandoned");
    expect(suite.ext.context.workspaceState.get(FILTERS_STATE_KEY)).toMatchObject({
      outcomeKinds: ["voicemail", "abandoned"],
    });
  });
});

describe("Stored predicates", () => {
  it("read back what was saved, drop unknown values and keep reading old state", () => {
    expect(
      parseStoredFilters({
        missed: true,
        direction: "Incoming",
        channel: "Voice",
        outcomeKinds: ["abandoned", "teleported"],
      }),
    ).toEqual({
      missed: true,
      direction: "Incoming",
      channel: "Voice",
      outcomeKinds: ["abandoned"],
    });
    expect(parseStoredFilters({ missed: "yes", direction: "Sideways", from: "555" })).toEqual({
      from: "555",
    });
  });

  it("become core's predicates on the query", () => {
    const query = filtersToQuery(
      { missed: false, direction: "Outgoing", outcomeKinds: ["busy"] },
      { now: FIXED_NOW, timeZone: TEST_TIME_ZONE },
    );
    expect(query.where).toEqual({ missed: false, direction: "Outgoing", outcomeKinds: ["busy"] });
    expect(query.filtersLocally).toBe(true);
  });
});
