// Details beyond the record (issue 17): a readable tab title, a timeline of the log with
// elapsed times, a chat's transcript, and links between the sessions of a transfer.
import {
  answeredAt,
  channelOf,
  formatDuration,
  startedAt,
  type SessionInfo,
} from "@evo-sessions/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { sessionDocumentUri } from "../src/details/session-document-provider.js";
import { detailsTitle } from "../src/details/session-markdown.js";
import { timelineSteps } from "../src/details/session-extras.js";
import {
  recentSessions,
  sessionRows,
  TEST_TIME_ZONE,
  FIXED_NOW,
  useSandboxSuite,
} from "./support/harness.js";

describe("Session details: title, timeline, transcript, transfers", () => {
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 200 } } });
  // jest-mock-vscode stubs setTextDocumentLanguage bare: change the language as VS Code does.
  beforeEach(() => {
    vi.mocked(vscode.languages.setTextDocumentLanguage).mockImplementation(
      async (document, languageId) => {
        (document as unknown as { _languageId: string })._languageId = languageId;
        return document;
      },
    );
  });

  const read = (session: SessionInfo) =>
    suite.ext.api.documents.provideTextDocumentContent(
      sessionDocumentUri(session, suite.sandbox.url),
    );

  it("the tab is titled with the heading and the start, and one session stays one tab", async () => {
    const [row] = await sessionRows(suite.ext.api);
    const session = (row!.node as { session: SessionInfo }).session;
    await vscode.commands.executeCommand("evoSessions.openSession", row!.node);
    const opened = await (vi.mocked(vscode.workspace.openTextDocument).mock.results.at(-1)!
      .value as Promise<vscode.TextDocument>);
    const title = detailsTitle(session, TEST_TIME_ZONE, FIXED_NOW);
    expect(title).toMatch(
      /^[A-Z].* · (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$/,
    );
    // The title alone, with no ".md" for the tab to show; Markdown all the same.
    expect(decodeURIComponent(opened.uri.path)).toBe(`/${title}`);
    expect(opened.languageId).toBe("markdown");
    expect(new URLSearchParams(opened.uri.query).get("id")).toBe(session.id);
    // Opened again (even if its heading changed meanwhile), the same tab.
    const renamed = { ...session, callState: "Disconnected", wasMissed: !session.wasMissed };
    expect(suite.ext.api.documents.uriFor(renamed, suite.sandbox.url).toString()).toBe(
      opened.uri.toString(),
    );
  });

  it("a call's timeline: ringing, queue, answer, hold and end, with the time since the start", async () => {
    const session = recentSessions(suite.sandbox).find(
      (s) =>
        (s.log ?? []).some((e) => /placed on hold/i.test(e.message ?? "")) &&
        (s.log ?? []).some((e) => /Dialing queue/.test(e.message ?? "")),
    )!;
    const text = await read(session);
    const timeline = text.slice(text.indexOf("## Timeline"), text.indexOf("## Members"));
    const labels = [...timeline.matchAll(/^- \*\*([^*]+)\*\*/gm)].map((m) => m[1]);
    expect(labels.slice(0, 3)).toEqual(["Ringing", "Queued", "Answered"]);
    expect(labels).toContain("On hold");
    expect(labels).toContain("Resumed");
    expect(labels.at(-1)).toBe("Ended");
    const answerMs = +answeredAt(session)! - +startedAt(session)!;
    expect(timeline).toMatch(
      new RegExp(`\\*\\*Answered\\*\\* \`[\\d:]+\` \\+${formatDuration(answerMs)} — `),
    );
    expect(timeline).toMatch(/\*\*Resumed\*\* .* on hold/);
    // Each log line ends with its time since the start.
    const logLines = text.split("\n").filter((line) => /^- `\d\d:\d\d:\d\d` /.test(line));
    expect(logLines[0]).toMatch(/ _\+0s_$/);
    expect(timelineSteps(session)[0]!.at).toEqual(startedAt(session));
  });

  it("a chat shows its transcript", async () => {
    const chat = recentSessions(suite.sandbox).find((s) => channelOf(s) === "Chat")!;
    const messages = await suite.ext.api.auth.client!.chatTranscript(chat.id as string);
    expect(messages.length).toBeGreaterThan(0);
    const text = await read(chat);
    expect(text).toContain(
      `## Transcript (${messages.length} ${messages.length === 1 ? "message" : "messages"})`,
    );
    const lines = text.slice(text.indexOf("## Transcript")).split("\n");
    const first = messages[0]!;
    // Senders' numbers written for people, as in the rows: (555) 964-2903.
    const sender = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(first.from ?? "");
    const shown = sender === null ? first.from : `(${sender[1]}) ${sender[2]}-${sender[3]}`;
    expect(lines.some((line) => line.includes(`**${shown}**:`))).toBe(true);
    // Voice calls have no transcript section.
    const voice = recentSessions(suite.sandbox).find((s) => channelOf(s) === "Voice")!;
    expect(await read(voice)).not.toContain("## Transcript");
  });

  it("a transfer links the parent and the child sessions", async () => {
    const links = Object.entries(suite.sandbox.data.parentSessionIds ?? {});
    const recent = new Set(recentSessions(suite.sandbox).map((s) => s.id));
    const [childId, parentId] = links.find(([c, p]) => recent.has(c) && recent.has(p))!;
    const byId = (id: string) => recentSessions(suite.sandbox).find((s) => s.id === id)!;

    const parentText = await read(byId(parentId));
    const toChild = /- Transferred to \[(.+)\]\((evo-session:[^)]+)\)/.exec(parentText)!;
    expect(toChild).not.toBeNull();
    expect(new URLSearchParams(vscode.Uri.parse(toChild[2]!).query).get("id")).toBe(childId);
    // The link opens a tab titled like the child's own, with no ".md".
    expect(decodeURIComponent(vscode.Uri.parse(toChild[2]!).path)).toBe(
      `/${detailsTitle(byId(childId), TEST_TIME_ZONE, FIXED_NOW)}`,
    );

    const childText = await read(byId(childId));
    const toParent = /- Transferred from \[(.+)\]\((evo-session:[^)]+)\)/.exec(childText)!;
    expect(new URLSearchParams(vscode.Uri.parse(toParent[2]!).query).get("id")).toBe(parentId);
    expect(toParent[1]).toBe(
      detailsTitle(byId(parentId), TEST_TIME_ZONE, FIXED_NOW).replace(/[\\`*_[\]<>#]/g, "\\$&"),
    );
  });
});
