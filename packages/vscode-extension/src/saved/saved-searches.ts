import * as vscode from "vscode";
import type { SessionFilters } from "../filters/session-filters.js";
import type { GroupBy } from "../sessions/day-groups.js";
import {
  parseSavedSearchFile,
  readSearches,
  SAVED_SEARCH_FILE,
  withSearches,
  writtenSearch,
  type SavedSearch,
  type SavedSearchProblem,
  type SavedSearchSource,
} from "./saved-search-file.js";

/** The user setting holding saved searches. */
export const SAVED_SEARCHES_SETTING = "evoSessions.savedSearches";

/** A problem of one place searches are read from. */
export interface SourcedProblem extends SavedSearchProblem {
  /** `.vscode/evo-sessions.json` or the setting's name. */
  where: string;
  uri?: vscode.Uri;
}

/**
 * The saved searches of the workspace file and of the user settings, kept current: a
 * FileSystemWatcher rereads the file whenever it is created, changed or deleted (by this
 * extension, an editor, or a `git pull`), and a settings change rereads the setting. An invalid
 * file keeps its valid searches and reports the rest with their lines, once per change.
 */
export class SavedSearches implements vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscriptions: vscode.Disposable[] = [];
  #file: SavedSearch[] = [];
  #user: SavedSearch[] = [];
  #problems: SourcedProblem[] = [];
  #reading: Promise<void> = Promise.resolve();

  /** Fires after the searches or their problems changed. */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;

  constructor() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder !== undefined) {
      // A glob rather than a RelativePattern: the file of the first folder is the one read.
      const watcher = vscode.workspace.createFileSystemWatcher(`**/${SAVED_SEARCH_FILE}`);
      const reread = () => void this.reload();
      this.#subscriptions.push(
        watcher,
        watcher.onDidCreate(reread),
        watcher.onDidChange(reread),
        watcher.onDidDelete(reread),
      );
    }
    this.#subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SAVED_SEARCHES_SETTING)) void this.reload();
      }),
    );
  }

  /** Every search: the workspace's first, then the user's. */
  get searches(): readonly SavedSearch[] {
    return [...this.#file, ...this.#user];
  }

  /** What is wrong in the file or the setting. */
  get problems(): readonly SourcedProblem[] {
    return this.#problems;
  }

  /** The workspace file, or undefined without a workspace folder. */
  get fileUri(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder === undefined ? undefined : vscode.Uri.joinPath(folder.uri, SAVED_SEARCH_FILE);
  }

  /** Reads both places again; resolves when done (reads never overlap). */
  reload(): Promise<void> {
    this.#reading = this.#reading.then(() => this.#read());
    return this.#reading;
  }

  /** Saves a search under `name` (replacing one of that name in the same place). */
  async save(
    name: string,
    search: { filters: SessionFilters; groupBy?: GroupBy },
    source: SavedSearchSource,
  ): Promise<void> {
    const list = this.#list(source).filter((s) => s.name.toLowerCase() !== name.toLowerCase());
    await this.#write(source, [...list, { name, ...search, source }]);
  }

  /** Renames a search in its place. */
  async rename(search: SavedSearch, name: string): Promise<void> {
    const list = this.#list(search.source).map((s) =>
      s.name === search.name ? { ...s, name } : s,
    );
    await this.#write(search.source, list);
  }

  /** Deletes a search from its place. */
  async delete(search: SavedSearch): Promise<void> {
    await this.#write(
      search.source,
      this.#list(search.source).filter((s) => s.name !== search.name),
    );
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#changed.dispose();
  }

  #list(source: SavedSearchSource): SavedSearch[] {
    return source === "workspace" ? [...this.#file] : [...this.#user];
  }

  async #write(source: SavedSearchSource, list: SavedSearch[]): Promise<void> {
    if (source === "user") {
      const value = list.map(writtenSearch);
      await vscode.workspace
        .getConfiguration()
        .update(SAVED_SEARCHES_SETTING, value, vscode.ConfigurationTarget.Global);
    } else {
      const uri = this.fileUri;
      if (uri === undefined) throw new Error("Open a folder to save searches in the workspace.");
      const text = await readText(uri);
      const next = withSearches(text ?? "", list);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(next));
    }
    // The watcher will see the write too; reading now makes the change show at once.
    await this.reload();
  }

  async #read(): Promise<void> {
    const problems: SourcedProblem[] = [];
    const uri = this.fileUri;
    const text = uri === undefined ? undefined : await readText(uri);
    const file = text === undefined ? { searches: [], problems: [] } : parseSavedSearchFile(text);
    for (const problem of file.problems)
      problems.push({ ...problem, where: SAVED_SEARCH_FILE, ...(uri ? { uri } : {}) });
    const setting = vscode.workspace.getConfiguration().get<unknown>(SAVED_SEARCHES_SETTING);
    const user =
      setting === undefined || setting === null
        ? { searches: [], problems: [] }
        : readSearches(setting, "user");
    for (const problem of user.problems)
      problems.push({ ...problem, where: SAVED_SEARCHES_SETTING });
    this.#file = file.searches;
    this.#user = user.searches;
    const before = JSON.stringify(this.#problems);
    this.#problems = problems;
    if (JSON.stringify(problems) !== before) reportProblems(problems);
    this.#changed.fire();
  }
}

/** The file's text, undefined when it does not exist. */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function reportProblems(problems: readonly SourcedProblem[]): void {
  const first = problems[0];
  if (first === undefined) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  const uri = first.uri;
  const open = "Open File";
  void vscode.window
    .showWarningMessage(
      `Evo Voice: ${first.where} line ${first.line}: ${first.message}${more}.`,
      ...(uri === undefined ? [] : [open]),
    )
    .then(async (choice) => {
      if (choice !== open || uri === undefined) return;
      const editor = await vscode.window.showTextDocument(uri);
      const position = new vscode.Position(first.line - 1, 0);
      editor.selection = new vscode.Selection(position, position);
    });
}
