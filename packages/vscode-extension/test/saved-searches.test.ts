// Saved searches: the file's rules (with lines), live file edits, the tree's categories and counts.
import { isMissed } from "@evo-sessions/core";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as vscode from "vscode";
import {
  parseSavedSearchFile,
  readSearches,
  withSearches,
} from "../src/saved/saved-search-file.js";
import type { SavedSearchNode } from "../src/tree/tree-nodes.js";
import {
  answerInputBoxes,
  answerQuickPick,
  children,
  settled,
  useSandboxSuite,
} from "./support/harness.js";

describe("The saved-search file", () => {
  it("reads searches with comments, trailing commas and short date ranges", () => {
    const read = parseSavedSearchFile(`{
  // the team's morning check
  "savedSearches": [
    { "name": "Missed yesterday", "filters": { "dateRange": "yesterday", "missed": true }, },
    { "name": "Chats", "filters": { "channel": "Chat", "dateRange": { "start": "2025-11-01", "end": "2025-11-07" } }, "groupBy": "customer" },
  ],
}`);
    expect(read.problems).toEqual([]);
    expect(read.searches).toEqual([
      {
        name: "Missed yesterday",
        source: "workspace",
        filters: { dateRange: { kind: "preset", preset: "yesterday" }, missed: true },
      },
      {
        name: "Chats",
        source: "workspace",
        groupBy: "customer",
        filters: {
          channel: "Chat",
          dateRange: { kind: "custom", start: "2025-11-01", end: "2025-11-07" },
        },
      },
    ]);
  });

  it("reports each problem with its line and keeps the valid searches", () => {
    const read = parseSavedSearchFile(`{
  "savedSearches": [
    { "name": "Good", "filters": { "missed": true } },
    { "name": "Bad direction", "filters": { "direction": "Sideways" } },
    { "name": "Unknown field", "filters": { "colour": "red" } },
    { "filters": {} },
    { "name": "good", "groupBy": "week" }
  ]
}`);
    expect(read.searches.map((s) => s.name)).toEqual(["Good", "Bad direction", "Unknown field"]);
    expect(read.problems).toEqual([
      { line: 4, message: 'the value of "direction" is not one this filter takes' },
      { line: 5, message: '"colour" is not a filter' },
      { line: 6, message: 'a saved search needs a "name"' },
      { line: 7, message: '"groupBy" must be day, account, customer, endpoint or outcome' },
      { line: 7, message: 'the name "good" is used twice' },
    ]);
  });

  it("reports broken JSON at its line", () => {
    const read = parseSavedSearchFile(`{\n  "savedSearches": [\n    { "name": "x" \n  ]\n}`);
    expect(read.searches).toEqual([]);
    expect(read.problems[0]).toMatchObject({ line: 4 });
    expect(read.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it("setting values are checked the same way", () => {
    expect(readSearches("nope", "user").problems[0]?.message).toMatch(/must be a list/);
  });

  it("writes searches back keeping comments and other fields", () => {
    const text = `{\n  // keep me\n  "other": 1,\n  "savedSearches": []\n}\n`;
    const next = withSearches(text, [
      { name: "Missed", filters: { missed: true, dateRange: { kind: "preset", preset: "today" } } },
    ]);
    expect(next).toContain("// keep me");
    expect(next).toContain('"other": 1');
    expect(parseSavedSearchFile(next).searches[0]).toMatchObject({
      name: "Missed",
      filters: { missed: true, dateRange: { kind: "preset", preset: "today" } },
    });
    expect(withSearches("", [])).toBe('{\n  "savedSearches": []\n}\n');
  });
});

/** A workspace folder on disk, with VS Code's watcher and fs over it (as the real host does). */
function useWorkspaceFolder(): { dir: string; fire(kind: "create" | "change" | "delete"): void } {
  const state = { dir: "", emitters: [] as vscode.EventEmitter<vscode.Uri>[][] };
  const workspace = vscode.workspace as unknown as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), "evo-saved-"));
    mkdirSync(join(state.dir, ".vscode"));
    for (const key of ["workspaceFolders", "createFileSystemWatcher", "fs"])
      saved[key] = workspace[key];
    const folder = { uri: vscode.Uri.file(state.dir), name: "w", index: 0 };
    Object.defineProperty(workspace, "workspaceFolders", {
      value: [folder],
      configurable: true,
      writable: true,
    });
    workspace.createFileSystemWatcher = () => {
      const set = [0, 1, 2].map(() => new vscode.EventEmitter<vscode.Uri>());
      state.emitters.push(set);
      return {
        onDidCreate: set[0]!.event,
        onDidChange: set[1]!.event,
        onDidDelete: set[2]!.event,
        dispose: () => set.forEach((e) => e.dispose()),
      };
    };
    const fs = {
      readFile: async (uri: vscode.Uri) => readFileSync(uri.fsPath),
      writeFile: async (uri: vscode.Uri, bytes: Uint8Array) => writeFileSync(uri.fsPath, bytes),
      stat: async (uri: vscode.Uri) => readFileSync(uri.fsPath) && {},
    };
    Object.defineProperty(workspace, "fs", { value: fs, configurable: true, writable: true });
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved))
      Object.defineProperty(workspace, key, { value, configurable: true, writable: true });
    state.emitters.length = 0;
    rmSync(state.dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return state.dir;
    },
    fire(kind) {
      const index = { create: 0, change: 1, delete: 2 }[kind];
      for (const set of state.emitters)
        set[index]!.fire(vscode.Uri.file(join(state.dir, ".vscode/evo-sessions.json")));
    },
  };
}

describe("Saved searches in the Sessions view", () => {
  const folder = useWorkspaceFolder();
  const suite = useSandboxSuite({ signedIn: { settings: { "evoSessions.pageSize": 200 } } });
  const file = () => join(folder.dir, ".vscode/evo-sessions.json");

  async function savedRoots(): Promise<{ node: SavedSearchNode; item: vscode.TreeItem }[]> {
    await suite.ext.api.saved.reload();
    await suite.ext.api.savedResults.refresh();
    return (await children(suite.ext.api)).filter(
      (root): root is { node: SavedSearchNode; item: vscode.TreeItem } =>
        root.node.kind === "savedSearch",
    );
  }

  it("Save Current Filters as… writes the file; the search shows as a category with its count", async () => {
    await vscode.commands.executeCommand("evoSessions.filter.missedOnly");
    await settled(suite.ext.api);
    answerInputBoxes("Missed calls");
    answerQuickPick("This workspace");
    await vscode.commands.executeCommand("evoSessions.savedSearch.save");
    expect(JSON.parse(readFileSync(file(), "utf8"))).toEqual({
      savedSearches: [{ name: "Missed calls", filters: { missed: true }, groupBy: "day" }],
    });
    const [root] = await savedRoots();
    expect(root?.item.label).toBe("Missed calls");
    const sessions = (await suite.ext.api.tree.getChildren(root!.node)).map(
      (n) => n.kind === "session" && n.session,
    );
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s !== false && isMissed(s))).toBe(true);
    expect(root?.item.description).toMatch(new RegExp(`^${sessions.length}\\+? · workspace$`));
  });

  it("picks up edits of the file live, and reports an invalid file with its line", async () => {
    writeFileSync(
      file(),
      JSON.stringify({ savedSearches: [{ name: "Chats", filters: { channel: "Chat" } }] }),
    );
    folder.fire("create");
    await settled(suite.ext.api);
    expect((await savedRoots()).map((r) => r.item.label)).toEqual(["Chats"]);

    writeFileSync(
      file(),
      '{\n  "savedSearches": [\n    { "name": "Faxes", "filters": { "channel": "Fax", "oops": 1 } }\n  ]\n}\n',
    );
    folder.fire("change");
    await settled(suite.ext.api);
    const roots = await children(suite.ext.api);
    expect(roots[0]?.item.label).toBe('.vscode/evo-sessions.json line 3: "oops" is not a filter');
    expect(vscode.window.showWarningMessage).toHaveBeenCalledWith(
      expect.stringContaining(".vscode/evo-sessions.json line 3"),
      "Open File",
    );
    expect((await savedRoots()).map((r) => r.item.label)).toEqual(["Faxes"]);
  });

  it("renames, deletes and applies a search", async () => {
    writeFileSync(
      file(),
      JSON.stringify({
        savedSearches: [{ name: "Out", filters: { direction: "Outgoing" }, groupBy: "account" }],
      }),
    );
    const [root] = await savedRoots();
    await vscode.commands.executeCommand("evoSessions.savedSearch.apply", root!.node);
    await settled(suite.ext.api);
    expect(suite.ext.api.filters.filters.direction).toBe("Outgoing");
    expect(suite.ext.api.groupBy.value).toBe("account");

    answerInputBoxes("Outgoing calls");
    await vscode.commands.executeCommand("evoSessions.savedSearch.rename", root!.node);
    expect((await savedRoots()).map((r) => r.item.label)).toEqual(["Outgoing calls"]);
    const [renamed] = await savedRoots();
    (
      vscode.window.showWarningMessage as unknown as { mockResolvedValueOnce(v: string): void }
    ).mockResolvedValueOnce("Delete");
    await vscode.commands.executeCommand("evoSessions.savedSearch.delete", renamed!.node);
    expect(await savedRoots()).toEqual([]);
    expect(JSON.parse(readFileSync(file(), "utf8"))).toEqual({ savedSearches: [] });
  });
});
