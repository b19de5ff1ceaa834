// Saved searches as people write them in `.vscode/evo-sessions.json` (comments allowed, so a
// team can say why a search exists) and in the `evoSessions.savedSearches` setting: read,
// checked field by field with the line of every problem, and edited keeping the comments.
// Pure: no vscode here, so the rules are tested directly.
// jsonc-parser's ESM build: its default (UMD) entry requires its parts at run time, which a
// bundle cannot follow.
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parseTree,
  printParseErrorCode,
  type JSONPath,
  type Node,
  type ParseError,
} from "jsonc-parser/lib/esm/main.js";
import { parseStoredFilters, type SessionFilters } from "../filters/session-filters.js";
import type { GroupBy } from "../sessions/day-groups.js";
import { readGroupBy } from "../tree/group-by-store.js";

/** Where a saved search lives. */
export type SavedSearchSource = "workspace" | "user";

/** A named set of filters (and optionally a grouping). */
export interface SavedSearch {
  name: string;
  filters: SessionFilters;
  groupBy?: GroupBy;
  source: SavedSearchSource;
}

/** Something wrong in the file, with its 1-based line. */
export interface SavedSearchProblem {
  line: number;
  message: string;
}

/** What a file holds: the searches that are fine, and what is wrong with the rest. */
export interface SavedSearchRead {
  searches: SavedSearch[];
  problems: SavedSearchProblem[];
}

/** The workspace file, relative to the workspace folder. */
export const SAVED_SEARCH_FILE = ".vscode/evo-sessions.json";

/** Fields of a search's `filters`; what parseStoredFilters keeps, as people write them. */
const FILTER_FIELDS = new Set([
  "dateRange",
  "from",
  "to",
  "log",
  "accountIds",
  "customerIds",
  "endpointIds",
  "archive",
  "sort",
  "missed",
  "direction",
  "channel",
  "outcomeKinds",
  "names",
]);

/** Reads the workspace file's text. Empty text is an empty file, not a problem. */
export function parseSavedSearchFile(text: string): SavedSearchRead {
  if (text.trim() === "") return { searches: [], problems: [] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lineOf = lineFinder(text);
  const problems = errors.map((error) => ({
    line: lineOf(error.offset),
    message: `not valid JSON (${printParseErrorCode(error.error)})`,
  }));
  if (root === undefined || problems.length > 0) return { searches: [], problems };
  if (root.type !== "object") {
    return {
      searches: [],
      problems: [{ line: lineOf(root.offset), message: "expected an object" }],
    };
  }
  const list = findNodeAtLocation(root, ["savedSearches"]);
  if (list === undefined) return { searches: [], problems: [] };
  // A missing field is reported at the nearest part of its path that is there.
  const locate = (path: JSONPath) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = findNodeAtLocation(root, ["savedSearches", ...path.slice(0, depth)]);
      if (node !== undefined) return lineOf(node.offset);
    }
    return lineOf(list.offset);
  };
  return readSearches(nodeValue(list), "workspace", locate);
}

/**
 * Checks a list of searches (the file's, or the setting's value); `locate` gives the line of a
 * path inside the list (1 for the setting, whose lines VS Code's own validation shows).
 */
export function readSearches(
  value: unknown,
  source: SavedSearchSource,
  locate: (path: JSONPath) => number = () => 1,
): SavedSearchRead {
  const problems: SavedSearchProblem[] = [];
  const searches: SavedSearch[] = [];
  if (!Array.isArray(value)) {
    return {
      searches,
      problems: [{ line: locate([]), message: '"savedSearches" must be a list' }],
    };
  }
  const names = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const problem = (path: JSONPath, message: string) =>
      problems.push({ line: locate([index, ...path]), message });
    const search = readSearch(entry, source, problem);
    if (search === undefined) return;
    if (names.has(search.name.toLowerCase())) {
      problem(["name"], `the name "${search.name}" is used twice`);
      return;
    }
    names.add(search.name.toLowerCase());
    searches.push(search);
  });
  return { searches, problems };
}

function readSearch(
  entry: unknown,
  source: SavedSearchSource,
  problem: (path: JSONPath, message: string) => void,
): SavedSearch | undefined {
  if (!isRecord(entry)) return void problem([], "each saved search must be an object");
  const name = typeof entry.name === "string" ? entry.name.trim() : "";
  if (name === "") return void problem(["name"], 'a saved search needs a "name"');
  for (const key of Object.keys(entry)) {
    if (!["name", "filters", "groupBy"].includes(key))
      problem([key], `"${key}" is not a field of a saved search (name, filters, groupBy)`);
  }
  const raw = entry.filters ?? {};
  if (!isRecord(raw)) return void problem(["filters"], '"filters" must be an object');
  for (const key of Object.keys(raw)) {
    if (!FILTER_FIELDS.has(key)) problem(["filters", key], `"${key}" is not a filter`);
  }
  const filters = parseStoredFilters(readableFilters(raw));
  // parseStoredFilters drops what it cannot read; say which fields those were.
  for (const key of Object.keys(raw)) {
    const isDefault =
      (key === "archive" && raw[key] === false) || (key === "sort" && raw[key] === "newest");
    if (FILTER_FIELDS.has(key) && !(key in filters) && !isDefault)
      problem(["filters", key], `the value of "${key}" is not one this filter takes`);
  }
  const search: SavedSearch = { name, filters, source };
  if (entry.groupBy !== undefined) {
    const groupBy = readGroupBy(entry.groupBy);
    if (groupBy === undefined)
      problem(["groupBy"], '"groupBy" must be day, account, customer, endpoint or outcome');
    else search.groupBy = groupBy;
  }
  return search;
}

/** Date ranges may be written `"yesterday"` or `{ "start": …, "end": … }` in the file. */
function readableFilters(raw: Record<string, unknown>): Record<string, unknown> {
  const range = raw.dateRange;
  if (typeof range === "string") return { ...raw, dateRange: { kind: "preset", preset: range } };
  if (isRecord(range) && range.kind === undefined)
    return { ...raw, dateRange: { kind: "custom", ...range } };
  return raw;
}

/** A search as it is written to the file or the setting (short date ranges, no source). */
export function writtenSearch(search: Omit<SavedSearch, "source">): Record<string, unknown> {
  const filters: Record<string, unknown> = { ...search.filters };
  delete filters.owner;
  delete filters.names;
  const range = search.filters.dateRange;
  if (range?.kind === "preset") filters.dateRange = range.preset;
  else if (range?.kind === "custom") filters.dateRange = { start: range.start, end: range.end };
  const out: Record<string, unknown> = { name: search.name, filters };
  if (search.groupBy !== undefined) out.groupBy = search.groupBy;
  return out;
}

/**
 * The file's text with its searches replaced by `searches`, every comment and other field kept
 * (an empty or missing file gets a `$schema`-free skeleton).
 */
export function withSearches(text: string, searches: Omit<SavedSearch, "source">[]): string {
  const base = text.trim() === "" ? "{}" : text;
  const edits = modify(base, ["savedSearches"], searches.map(writtenSearch), {
    formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" },
  });
  const next = applyEdits(base, edits);
  return next.endsWith("\n") ? next : `${next}\n`;
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case "object":
      return Object.fromEntries(
        (node.children ?? []).map((property) => [
          property.children?.[0]?.value as string,
          property.children?.[1] === undefined ? undefined : nodeValue(property.children[1]),
        ]),
      );
    case "array":
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** The 1-based line of an offset. */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let line = 0;
    while (line + 1 < starts.length && (starts[line + 1] as number) <= offset) line++;
    return line + 1;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
