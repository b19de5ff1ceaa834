// The sidebar and the chat are two renderings of one engine (core's query, scanner and facts):
// fed the same sandbox sessions they state the same facts, and the same question sent through
// either reaches the server as the same requests. The MCP server runs as the built CLI, started
// with the environment the extension hands VS Code.
import {
  createEvoVoiceClient,
  formatDuration,
  normalisePhoneNumber,
  type SessionInfo,
} from "@evo-sessions/core";
import type { Sandbox } from "@evo-sessions/sandbox";
import { afterEach, describe, expect, it } from "vitest";
import type * as vscode from "vscode";
import { filtersToQuery, type SessionFilters } from "../src/filters/session-filters.js";
import { SessionFeed } from "../src/sessions/session-feed.js";
import { sessionRows, TEST_TIME_ZONE, useSandboxSuite, type Rendered } from "./support/harness.js";
import { startMcpChild, type McpChild } from "./support/mcp-child.js";

/** A party as the tooltip writes it (`Name (address)`), split again. */
interface PartyShown {
  name?: string;
  address?: string;
}

/** What the sidebar says about one session: its row, its tooltip rows. */
interface SidebarFacts {
  id: string;
  live: boolean;
  missed: boolean;
  ended: boolean;
  direction: string | undefined;
  from: PartyShown;
  to: PartyShown;
  outcome: string | undefined;
  duration: string | undefined;
}

/** The MCP server's structured summary of a session (its compact keys; the fields compared). */
interface McpSummary {
  id: string;
  dir?: "in" | "out";
  out?: string;
  missed?: true;
  /** The call state, only while not ended. */
  live?: string;
  dur?: number;
}

describe("Cross-surface: the sidebar and the MCP server", () => {
  // Three calls in progress, held still (nobody steps the manual live clock).
  const suite = useSandboxSuite({
    sandbox: { sessions: 400, live: true, liveCalls: 3, liveClock: "manual" },
    signedIn: { settings: { "evoSessions.pageSize": 60 } },
  });
  let mcp: McpChild | undefined;
  afterEach(() => {
    mcp?.close();
    mcp = undefined;
  });

  async function startMcp(sandbox: Sandbox): Promise<McpChild> {
    const admin = sandbox.users.find((user) => user.userName === "admin")!;
    mcp = await startMcpChild({
      baseUrl: sandbox.url,
      userName: admin.userName,
      password: admin.password,
      timeZone: TEST_TIME_ZONE,
    });
    return mcp;
  }

  it("state the same facts about the same sessions: live or ended, direction, from and to, outcome, duration", async () => {
    const rows = await sessionRows(suite.ext.api);
    const sidebar = new Map(rows.map((row) => [row.item.id, sidebarFacts(suite.ext.api, row)]));
    const answer = await (await startMcp(suite.sandbox)).callTool("list_sessions", { limit: 60 });
    expect(answer.isError).toBe(false);
    const summaries = answer.structured.sessions as McpSummary[];
    const lines = answer.text.split("\n");

    const compared: SidebarFacts[] = [];
    for (const summary of summaries) {
      const shown = sidebar.get(`session:${summary.id}`);
      if (shown === undefined) continue;
      compared.push(shown);
      const line = lines.find((text) => text.endsWith(`id ${summary.id}`)) ?? "";
      const mcpLive = / (ringing|connected|hold) now\b/i.test(line);
      const mcpEnded = summary.live === undefined;
      const facts = `session ${summary.id}: ${line}`;
      expect(shown.live, facts).toBe(mcpLive);
      expect(shown.missed, facts).toBe(summary.missed === true);
      if (!shown.missed) expect(shown.ended, facts).toBe(mcpEnded);
      expect(shown.direction, facts).toBe(
        summary.dir === undefined ? undefined : summary.dir === "in" ? "Incoming" : "Outgoing",
      );
      expect(shown.outcome, facts).toBe(summary.out);
      // Names read in title case in the sidebar where caller-ID shouts, and numbers are written
      // for people on each surface: the same words and the same numbers (as E.164).
      expect(sameWords(line), facts).toContain(
        sameWords(`${partyWords(shown.from)} → ${partyWords(shown.to)}`),
      );
      if (!shown.live) {
        const seconds = summary.dur;
        expect(shown.duration, facts).toBe(
          seconds === undefined ? undefined : formatDuration(seconds * 1000),
        );
        if (shown.duration !== undefined && !shown.missed) expect(line).toContain(shown.duration);
      }
    }
    // Enough of every kind to mean something: live, missed, outgoing, with a duration.
    // The answer may stop short of the limit to stay within its size budget.
    expect(compared.length).toBeGreaterThanOrEqual(15);
    expect(compared.some((facts) => facts.live)).toBe(true);
    expect(compared.some((facts) => facts.missed)).toBe(true);
    expect(compared.some((facts) => facts.direction === "Outgoing")).toBe(true);
    expect(compared.some((facts) => facts.duration !== undefined && !facts.live)).toBe(true);
  }, 30_000);

  it("a query built from the view's filters and the same list_sessions call send identical GET /sessions requests", async () => {
    const admin = suite.sandbox.users.find((user) => user.userName === "admin")!;
    const account = (suite.sandbox.data.sessions[0] as SessionInfo).accountId as string;
    const cases: { filters: SessionFilters; args: Record<string, unknown>; pageSize: number }[] = [
      {
        // Local days in a zone behind UTC: a window core keeps locally (pages of 100).
        filters: {
          dateRange: { kind: "custom", start: "2025-11-10", end: "2025-11-12" },
          from: "555",
          accountIds: [account],
        },
        args: {
          startDate: "2025-11-10",
          endDate: "2025-11-12",
          from: "555",
          accountIds: [account],
        },
        pageSize: 100,
      },
      {
        // Server filters only: pages of the limit.
        filters: { accountIds: [account], sort: "oldest", archive: true },
        args: { accountIds: [account], sortOrder: "Ascend", searchArchive: true },
        pageSize: 25,
      },
    ];
    const child = await startMcp(suite.sandbox);
    for (const { filters, args, pageSize } of cases) {
      const client = createEvoVoiceClient({
        baseUrl: suite.sandbox.url,
        auth: { type: "credentials", userName: admin.userName, password: admin.password },
      });
      const feed = new SessionFeed({
        client: () => client,
        query: () => filtersToQuery(filters, { now: new Date(), timeZone: TEST_TIME_ZONE }),
        pageSize: () => pageSize,
      });
      const sidebarReads = await readsDuring(suite.sandbox, () => feed.reset());
      feed.dispose();
      expect(feed.status, JSON.stringify(filters)).toBe("ready");
      const chatReads = await readsDuring(suite.sandbox, async () => {
        const answer = await child.callTool("list_sessions", { ...args, limit: pageSize });
        expect(answer.isError, answer.text).toBe(false);
      });
      expect(sidebarReads.length).toBeGreaterThan(0);
      expect(chatReads, JSON.stringify(filters)).toEqual(sidebarReads);
    }
  }, 30_000);
});

/** The query strings of the `GET /sessions` requests the sandbox answered while `work` ran. */
async function readsDuring(sandbox: Sandbox, work: () => Promise<unknown>): Promise<string[]> {
  const before = sandbox.requests.length;
  await work();
  return sandbox.requests
    .slice(before)
    .filter((request) => request.path === "/sessions")
    .map((request) => request.query.replace(/^\?/, ""));
}

/** The facts a session's row and tooltip state. */
function sidebarFacts(
  api: {
    tree: { resolveTreeItem(item: vscode.TreeItem, node: Rendered["node"]): vscode.TreeItem };
  },
  row: Rendered,
): SidebarFacts {
  const tooltip = api.tree.resolveTreeItem(row.item, row.node).tooltip as vscode.MarkdownString;
  const rows = tooltipRows(tooltip.value);
  const description = String(row.item.description ?? "");
  const state = rows.get("State") ?? "";
  return {
    id: String(row.item.id),
    live: description.includes("live ·"),
    missed: /(^| · )missed( · |$)/.test(description),
    ended: /\bended\b/.test(state),
    direction: /^(Incoming|Outgoing)\b/.exec(state)?.[1],
    from: splitParty(rows.get("From")),
    to: splitParty(rows.get("To")),
    outcome: rows.get("Outcome"),
    // A missed call's time is how long it rang; a live one's how long it has rung or talked.
    duration: rows.get("Duration") ?? rows.get("Rang"),
  };
}

/** `Name: value` rows of a tooltip, unescaped. */
function tooltipRows(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split("\n")) {
    const match = /^([A-Z][A-Za-z ]+): (.*?) {2}$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!.replace(/\\(.)/g, "$1"));
  }
  return rows;
}

function splitParty(text: string | undefined): PartyShown {
  if (text === undefined) return {};
  const match = /^(.*) \(([^()]*)\)$/.exec(text);
  return match ? { name: match[1]!, address: match[2]! } : { name: text };
}

/**
 * The same party as the chat writes it: `Name <address>`, or one of them. A lone value is a name
 * or an address alike in the tooltip, and the chat writes either the same way.
 */
function partyWords(party: PartyShown): string {
  if (party.name !== undefined && party.address !== undefined) {
    return `${party.name} <${party.address}>`;
  }
  return party.name ?? party.address ?? "?";
}

/** Text with letter case and the writing of phone numbers taken out. */
function sameWords(text: string): string {
  return text
    .replace(
      /\(\d{3}\) \d{3}-\d{4}|\+?\d{10,15}/g,
      (number) => normalisePhoneNumber(number) ?? number,
    )
    .toLowerCase();
}
