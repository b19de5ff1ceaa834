import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import type { FilterStore } from "../filters/filter-store.js";
import { describeFilters, hasActiveFilters } from "../filters/session-filters.js";
import type { GroupByStore } from "../tree/group-by-store.js";
import type { SavedSearchNode } from "../tree/tree-nodes.js";
import { askText, pickOne } from "../ui/quick-input.js";
import {
  SAVED_SEARCH_FILE,
  type SavedSearch,
  type SavedSearchSource,
} from "./saved-search-file.js";
import type { SavedSearches } from "./saved-searches.js";

/** What the saved-search commands read. */
export interface SavedSearchCommandContext {
  saved: SavedSearches;
  filters: FilterStore;
  groupBy: GroupByStore;
}

/** Registers save, apply, rename, delete, open the file, and Group by. */
export function registerSavedSearchCommands(
  context: SavedSearchCommandContext,
): vscode.Disposable[] {
  const onNode =
    (run: (search: SavedSearch) => Promise<void>) => async (node?: SavedSearchNode) => {
      const search = node?.search ?? (await pickSearch(context.saved));
      if (search !== undefined) await run(search);
    };
  return [
    vscode.commands.registerCommand(COMMANDS.savedSearchSave, () => saveCurrent(context)),
    vscode.commands.registerCommand(
      COMMANDS.savedSearchApply,
      onNode((s) => apply(context, s)),
    ),
    vscode.commands.registerCommand(
      COMMANDS.savedSearchRename,
      onNode((s) => rename(context, s)),
    ),
    vscode.commands.registerCommand(
      COMMANDS.savedSearchDelete,
      onNode((s) => remove(context, s)),
    ),
    vscode.commands.registerCommand(COMMANDS.savedSearchOpenFile, () => openFile(context.saved)),
    vscode.commands.registerCommand(COMMANDS.groupBy, () => context.groupBy.pick()),
  ];
}

/** "Save Current Filters as…": a name, then where (workspace file or user settings). */
async function saveCurrent(context: SavedSearchCommandContext): Promise<void> {
  const filters = context.filters.filters;
  if (!hasActiveFilters(filters)) {
    void vscode.window.showInformationMessage("Evo Voice: set a filter first, then save it.");
    return;
  }
  const taken = new Set(context.saved.searches.map((s) => s.name.toLowerCase()));
  const name = await askText({
    title: "Save Current Filters as…",
    prompt: `A name for ${describeFilters(filters)}`,
    validate: (value) =>
      value.trim() === ""
        ? "Enter a name."
        : value.trim().length > 80
          ? "Use at most 80 characters."
          : undefined,
  });
  if (typeof name !== "string") return;
  const source = await pickSource(context.saved.fileUri !== undefined);
  if (source === undefined) return;
  const overwrite = taken.has(name.trim().toLowerCase());
  const { names: _names, owner: _owner, ...kept } = filters;
  await context.saved.save(name.trim(), { filters: kept, groupBy: context.groupBy.value }, source);
  vscode.window.setStatusBarMessage(
    `Evo Voice: ${overwrite ? "replaced" : "saved"} "${name.trim()}"`,
    3000,
  );
}

async function pickSource(hasFolder: boolean): Promise<SavedSearchSource | undefined> {
  const items = [
    ...(hasFolder
      ? [
          {
            label: "This workspace",
            description: SAVED_SEARCH_FILE,
            detail: "A plain file you can commit and share with your team",
            source: "workspace" as const,
          },
        ]
      : []),
    {
      label: "My user settings",
      description: "evoSessions.savedSearches",
      detail: "Yours in every workspace",
      source: "user" as const,
    },
  ];
  const choice = await pickOne({ title: "Save the Search Where?", items });
  return typeof choice === "object" ? choice.source : undefined;
}

/** Puts a search's filters (and grouping) in place of the current ones. */
async function apply(context: SavedSearchCommandContext, search: SavedSearch): Promise<void> {
  await context.filters.clear();
  await context.filters.update(search.filters);
  if (search.groupBy !== undefined) await context.groupBy.set(search.groupBy);
}

async function rename(context: SavedSearchCommandContext, search: SavedSearch): Promise<void> {
  const others = new Set(
    context.saved.searches.filter((s) => s !== search).map((s) => s.name.toLowerCase()),
  );
  const name = await askText({
    title: `Rename "${search.name}"`,
    value: search.name,
    validate: (value) =>
      value.trim() === ""
        ? "Enter a name."
        : others.has(value.trim().toLowerCase())
          ? "Another saved search has that name."
          : undefined,
  });
  if (typeof name === "string" && name.trim() !== search.name)
    await context.saved.rename(search, name.trim());
}

async function remove(context: SavedSearchCommandContext, search: SavedSearch): Promise<void> {
  const where = search.source === "workspace" ? SAVED_SEARCH_FILE : "your user settings";
  const choice = await vscode.window.showWarningMessage(
    `Delete the saved search "${search.name}" from ${where}?`,
    { modal: true },
    "Delete",
  );
  if (choice === "Delete") await context.saved.delete(search);
}

async function pickSearch(saved: SavedSearches): Promise<SavedSearch | undefined> {
  const items = saved.searches.map((search) => ({
    label: search.name,
    description: describeFilters(search.filters),
    search,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      "Evo Voice: no saved searches yet. Set filters, then Save Current Filters as….",
    );
    return undefined;
  }
  const choice = await pickOne({ title: "Which Saved Search?", items, matchOnDescription: true });
  return typeof choice === "object" ? choice.search : undefined;
}

/** Opens the workspace file, creating it with an example when it does not exist yet. */
async function openFile(saved: SavedSearches): Promise<void> {
  const uri = saved.fileUri;
  if (uri === undefined) {
    void vscode.window.showInformationMessage(
      "Evo Voice: open a folder to keep saved searches in it.",
    );
    return;
  }
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    const example = {
      savedSearches: [
        { name: "Missed calls yesterday", filters: { dateRange: "yesterday", missed: true } },
      ],
    };
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(`${JSON.stringify(example, null, 2)}\n`),
    );
  }
  await vscode.window.showTextDocument(uri);
}
