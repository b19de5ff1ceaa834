// Export Sessions… (the current filters, read through the scanner and streamed to a CSV or JSON
// Lines file) and Copy as CSV / JSON / Markdown of selected rows: the files are read back and
// compared with the sandbox's own sessions, written with core's export columns.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_EXPORT_COLUMNS,
  flattenSession,
  resolveExportColumns,
  textCells,
  type SessionInfo,
} from "@evo-sessions/core";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as vscode from "vscode";
import { csvField } from "../src/export/session-formats.js";
import {
  answerQuickPick,
  FIXED_NOW,
  recentSessions,
  sessionRows,
  settled,
  TEST_TIME_ZONE,
  useSandboxSuite,
} from "./support/harness.js";

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  return records;
}

describe("Export and copy", () => {
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 5 } } });
  const folder = mkdtempSync(join(tmpdir(), "evo-export-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const columns = resolveExportColumns();
  const oracle = (session: SessionInfo) =>
    textCells(
      flattenSession(session, { timeZone: TEST_TIME_ZONE, now: FIXED_NOW, columns }),
      columns,
    );

  async function exportTo(name: string, format: "CSV" | "JSON Lines"): Promise<string> {
    const path = join(folder, name);
    vi.mocked(vscode.window.showSaveDialog).mockResolvedValueOnce(vscode.Uri.file(path));
    answerQuickPick(format);
    await vscode.commands.executeCommand("evoSessions.export");
    return path;
  }

  it("exports the missed calls of the current filters to CSV, every one and nothing else", async () => {
    await vscode.commands.executeCommand("evoSessions.filter.missedOnly");
    await settled(suite.ext.api);
    const path = await exportTo("missed.csv", "CSV");
    const records = parseCsv(readFileSync(path, "utf8"));
    expect(records[0]).toEqual([...DEFAULT_EXPORT_COLUMNS]);
    const expected = recentSessions(suite.sandbox).filter((s) => s.wasMissed === true);
    // More than the view's first page: the export reads the whole list.
    expect(expected.length).toBeGreaterThan(5);
    expect(records.slice(1)).toEqual(expected.map(oracle));
    expect(existsSync(`${path}.part`)).toBe(false);
    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith(
      `Evo Voice: exported ${expected.length} sessions to missed.csv.`,
      "Open",
    );
  });

  it("exports JSON Lines: one record per session, the fields the server sent, no log", async () => {
    await suite.ext.api.filters.update({ from: "555" });
    await settled(suite.ext.api);
    const path = await exportTo("from-555.jsonl", "JSON Lines");
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    const records = lines.map((line) => JSON.parse(line) as SessionInfo);
    const expected = recentSessions(suite.sandbox).filter((s) =>
      (s.fromAddress ?? "").includes("555"),
    );
    expect(records.map((r) => r.id)).toEqual(expected.map((s) => s.id));
    expect(records.every((r) => r.log === undefined)).toBe(true);
    expect(records[0]!.fromAddress).toBe(expected[0]!.fromAddress);
  });

  it("Cancel stops reading and leaves no file behind", async () => {
    const path = join(folder, "cancelled.csv");
    vi.mocked(vscode.window.showSaveDialog).mockResolvedValueOnce(vscode.Uri.file(path));
    answerQuickPick("CSV");
    const requestsBefore = suite.sandbox.requests.length;
    vi.mocked(vscode.window.withProgress).mockImplementationOnce(async (_options, task) => {
      const cancel = new vscode.EventEmitter<void>();
      const token = { isCancellationRequested: false, onCancellationRequested: cancel.event };
      // Cancelled as soon as the first page is in.
      const progress = {
        report: () => {
          token.isCancellationRequested = true;
          cancel.fire();
        },
      };
      return task(progress, token as never);
    });
    await vscode.commands.executeCommand("evoSessions.export");
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.part`)).toBe(false);
    const reads = suite.sandbox.requests
      .slice(requestsBefore)
      .filter((r) => r.path === "/sessions");
    expect(reads.length).toBeLessThanOrEqual(2);
    expect(vscode.window.showInformationMessage).toHaveBeenCalledWith(
      "Evo Voice: export cancelled; cancelled.csv was not written.",
    );
  });

  it("copies the selected rows as CSV, JSON and a Markdown table", async () => {
    const rows = (await sessionRows(suite.ext.api)).slice(0, 3);
    const nodes = rows.map((row) => row.node);
    const sessions = nodes.map((node) => (node as { session: SessionInfo }).session);
    await vscode.commands.executeCommand("evoSessions.copyAsCsv", nodes[0], nodes);
    const csv = parseCsv(await vscode.env.clipboard.readText());
    expect(csv).toEqual([[...DEFAULT_EXPORT_COLUMNS], ...sessions.map(oracle)]);

    await vscode.commands.executeCommand("evoSessions.copyAsJson", nodes[0], nodes);
    const json = JSON.parse(await vscode.env.clipboard.readText()) as SessionInfo[];
    expect(json.map((s) => s.id)).toEqual(sessions.map((s) => s.id));

    // From a single row's context menu: that row.
    await vscode.commands.executeCommand("evoSessions.copyAsMarkdown", nodes[1]);
    const table = (await vscode.env.clipboard.readText()).trimEnd().split("\n");
    expect(table).toHaveLength(3);
    expect(table[0]).toBe(`| ${DEFAULT_EXPORT_COLUMNS.join(" | ")} |`);
    expect(table[2]).toContain(sessions[1]!.id as string);
  });

  it("quotes CSV fields only when RFC 4180 needs it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("+15551234567")).toBe("+15551234567");
  });
});
