import { beforeEach, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { sessionDocumentUri } from "../src/details/session-document-provider.js";
import { recentSessions, sessionRows, settled, useSandboxSuite } from "./support/harness.js";
import { changeSetting, documentText, executedBuiltins } from "./support/vscode.js";

describe("Session details", () => {
  const suite = useSandboxSuite({
    sandbox: { sessions: 150 },
    signedIn: { settings: { "evoSessions.pageSize": 30 } },
  });
  // jest-mock-vscode stubs setTextDocumentLanguage bare: change the language as VS Code does
  // (the same TextDocument object reports the new language).
  beforeEach(() => {
    vi.mocked(vscode.languages.setTextDocumentLanguage)
      .mockClear()
      .mockImplementation(async (document, languageId) => {
        (document as unknown as { _languageId: string })._languageId = languageId;
        return document;
      });
  });

  it("clicking a session opens a read-only Markdown document with facts, members and the full log", async () => {
    const rows = await sessionRows(suite.ext.api);
    const row = rows.find(
      (r) => ((r.node as { session: { members?: unknown[] } }).session.members?.length ?? 0) > 1,
    )!;
    const session = recentSessions(suite.sandbox).find((s) => `session:${s.id}` === row.item.id)!;
    const command = row.item.command!;
    expect(command.command).toBe("evoSessions.openSession");

    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const opened = vi.mocked(vscode.workspace.openTextDocument).mock.results.at(-1)!
      .value as Promise<vscode.TextDocument>;
    const document = await opened;
    expect(document.uri.scheme).toBe("evo-session");
    // The tab shows the title alone: no ".md", so the extension sets the language itself.
    expect(document.uri.path).not.toMatch(/\.\w+$/);
    expect(vscode.languages.setTextDocumentLanguage).toHaveBeenCalledWith(document, "markdown");
    expect(document.languageId).toBe("markdown");
    const text = document.getText();
    expect(text).toContain("> **Sandbox data**");
    expect(text).toContain(`| Session ID | \`${session.id}\` |`);
    expect(text).toContain(`## Members (${session.members!.length})`);
    expect(text).toContain(`## Log (${session.log!.length} entries)`);
    const logLines = text.split("\n").filter((line) => /^- `\d\d:\d\d:\d\d` /.test(line));
    expect(logLines).toHaveLength(session.log!.length);
    // Fetched again with its full log (one session by ID), then its transfers (parentSessionId).
    const queries = suite.sandbox.requests
      .filter((request) => request.path === "/sessions")
      .map((request) => new URLSearchParams(request.query.replace(/^\?/, "")));
    expect(queries.some((query) => query.get("specificIds") === session.id)).toBe(true);
    expect(queries.at(-1)!.get("parentSessionId")).toBe(session.id);
    // Shown as a rendered Markdown preview by default.
    expect(executedBuiltins.at(-1)).toEqual({
      command: "markdown.showPreview",
      args: [document.uri],
    });
    expect(vscode.window.showTextDocument).not.toHaveBeenCalled();
  });

  it("evoSessions.details.openAs = source shows the Markdown source instead", async () => {
    await changeSetting("evoSessions.details.openAs", "source");
    const [row] = await sessionRows(suite.ext.api);
    await vscode.commands.executeCommand("evoSessions.openSession", row!.node);
    expect(vscode.window.showTextDocument).toHaveBeenCalledWith(
      expect.objectContaining({ languageId: "markdown" }),
      { preview: true },
    );
    const shown = vi.mocked(vscode.window.showTextDocument).mock.calls.at(-1)![0] as unknown;
    expect((shown as vscode.TextDocument).uri.path).not.toMatch(/\.md$/);
    expect(executedBuiltins.some((run) => run.command === "markdown.showPreview")).toBe(false);
  });

  it("the document's address comes from the session ID and its server, so one session is one tab", () => {
    const a = sessionDocumentUri({ id: "abc-1", displayName: "Before" } as never, "https://a.test");
    const b = sessionDocumentUri(
      { id: "abc-1", displayName: "Renamed" } as never,
      "https://a.test",
    );
    expect(a.toString()).toBe(b.toString());
    expect(a.path).toBe("/abc-1");
    expect(new URLSearchParams(a.query).get("id")).toBe("abc-1");
    expect(new URLSearchParams(a.query).get("origin")).toBe("https://a.test");
  });

  it("a session document VS Code opens itself (a transfer link, a restored tab) becomes Markdown", async () => {
    const [row] = await sessionRows(suite.ext.api);
    const id = (row!.node as { session: { id: string } }).session.id;
    const onOpened = vi.mocked(vscode.workspace.onDidOpenTextDocument).mock.calls.at(-1)![0];
    // Opened by VS Code, not by the extension: plain text, as a path with no ending gives.
    const document = await vscode.workspace.openTextDocument(
      sessionDocumentUri(
        { id },
        suite.sandbox.url,
        "Missed call from Ethan White · Tue 1 Dec 05:56",
      ),
    );
    expect(decodeURIComponent(document.uri.path)).toBe(
      "/Missed call from Ethan White · Tue 1 Dec 05:56",
    );
    expect(document.languageId).toBe("plaintext");
    onOpened(document);
    await vi.waitFor(() => expect(document.languageId).toBe("markdown"));
    expect(vscode.languages.setTextDocumentLanguage).toHaveBeenCalledTimes(1);
    // Setting the language reopens it (onDidOpenTextDocument again): nothing more to do.
    onOpened(document);
    // Other documents keep their language.
    const other = { uri: vscode.Uri.parse("file:///notes.txt"), languageId: "plaintext" };
    onOpened(other as vscode.TextDocument);
    await Promise.resolve();
    expect(vscode.languages.setTextDocumentLanguage).toHaveBeenCalledTimes(1);
  });

  it("a tab left open from another server says where it is from and asks no one", async () => {
    const [row] = await sessionRows(suite.ext.api);
    await vscode.commands.executeCommand("evoSessions.openSession", row!.node);
    const own = await (vi.mocked(vscode.workspace.openTextDocument).mock.results.at(-1)!
      .value as Promise<vscode.TextDocument>);
    expect(new URLSearchParams(own.uri.query).get("origin")).toBe(suite.sandbox.url);
    expect(own.getText()).toContain("## Facts");

    const requests = suite.sandbox.requests.length;
    const id = (row!.node as { session: { id: string } }).session.id;
    const foreign = await vscode.workspace.openTextDocument(
      sessionDocumentUri({ id }, "https://evovoice.io"),
    );
    expect(foreign.getText()).toBe(
      `# Session ${id}\n\nThis session is from https://evovoice.io, but the Sessions view now reads ` +
        `the sandbox at ${suite.sandbox.url}. Sign in to https://evovoice.io again (Evo Voice: Sign In) to read it.\n`,
    );
    expect(suite.sandbox.requests.length).toBe(requests);
  });

  it("opening an open document again reads it again, and signing out blanks open documents", async () => {
    const [row] = await sessionRows(suite.ext.api);
    const id = (row!.node as { session: { id: string } }).session.id;
    suite.sandbox.faults.inject({ route: "sessions", fault: { type: "status", status: 503 } });
    await vscode.commands.executeCommand("evoSessions.openSession", row!.node);
    const document = await (vi.mocked(vscode.workspace.openTextDocument).mock.results.at(-1)!
      .value as Promise<vscode.TextDocument>);
    expect(documentText(document)).toMatch(/Couldn't load this session/);

    suite.sandbox.faults.clear();
    // From the palette by ID: the same document, read again.
    await vscode.commands.executeCommand("evoSessions.openSession", id);
    await vi.waitFor(() => expect(documentText(document)).toContain("## Facts"));
    expect(vscode.workspace.textDocuments).toHaveLength(1);

    await vscode.commands.executeCommand("evoSessions.signOut");
    await settled(suite.ext.api);
    await vi.waitFor(() => expect(documentText(document)).toMatch(/Signed out/));
    expect(documentText(document)).not.toContain("## Facts");
  });

  it("copies the session ID and the call SID", async () => {
    const rows = await sessionRows(suite.ext.api);
    const voice = rows.find((r) => r.item.contextValue === "session hasCallSid")!;
    const session = recentSessions(suite.sandbox).find((s) => `session:${s.id}` === voice.item.id)!;
    await vscode.commands.executeCommand("evoSessions.copySessionId", voice.node);
    expect(await vscode.env.clipboard.readText()).toBe(session.id);
    await vscode.commands.executeCommand("evoSessions.copyCallSid", voice.node);
    expect(await vscode.env.clipboard.readText()).toBe(session.callSid);

    // From the command palette: pick among the loaded sessions.
    const other = rows[1]!;
    vi.mocked(vscode.window.showQuickPick).mockImplementationOnce((async (
      items: readonly { description?: string }[],
    ) => items.find((item) => `session:${item.description}` === other.item.id)) as never);
    await vscode.commands.executeCommand("evoSessions.copySessionId");
    expect(`session:${await vscode.env.clipboard.readText()}`).toBe(other.item.id);
  });

  it("a session that no longer exists opens a document saying what went wrong", async () => {
    await vscode.commands.executeCommand("evoSessions.openSession", "no-such-session");
    const document = await (vi.mocked(vscode.workspace.openTextDocument).mock.results.at(-1)!
      .value as Promise<vscode.TextDocument>);
    expect(document.getText()).toMatch(
      /^# Session no-such-session\n\nCouldn't load this session: .+/,
    );
  });
});
