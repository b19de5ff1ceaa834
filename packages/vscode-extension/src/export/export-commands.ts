/**
 * "Export Sessions…" (every session the current filters match, to a CSV or JSON Lines file) and
 * "Copy as CSV / JSON / Markdown" (the rows selected in the tree). The export reads through
 * `client.scan` with the feed's own SessionQuery — the same sessions the view pages through — and
 * streams each one to the file as it arrives, behind a cancellable progress notification.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename } from "node:path";
import { once } from "node:events";
import type { EvoVoiceClient, SessionInfo, SessionQuery } from "@evo-sessions/core";
import * as vscode from "vscode";
import type { EvoSessionsApi } from "../extension-api.js";
import { describeFilters, filtersToQuery } from "../filters/session-filters.js";
import { fullMessage } from "../sessions/describe-error.js";
import type { SessionsTreeNode } from "../tree/tree-nodes.js";
import { pickOne } from "../ui/quick-input.js";
import {
  columnsOf,
  csvHeader,
  csvLine,
  formatSessions,
  jsonLine,
  type CopyFormat,
  type ExportFormat,
} from "./session-formats.js";

export const EXPORT_COMMANDS = {
  export: "evoSessions.export",
  copyAsCsv: "evoSessions.copyAsCsv",
  copyAsJson: "evoSessions.copyAsJson",
  copyAsMarkdown: "evoSessions.copyAsMarkdown",
} as const;

/** Most sessions one export reads: far beyond a view, short of reading an archive forever. */
export const EXPORT_CAP = 200_000;
/** countPerPage of the export's reads (fewer, larger requests than the view's). */
const EXPORT_PAGE_SIZE = 200;

/** What the commands read; every call reads the current value. */
export interface ExportContext {
  client(): EvoVoiceClient | undefined;
  /** The feed's query: the view's filters, as the view reads them. */
  query(): SessionQuery;
  /** Words for the filters, for the progress title ("missed · yesterday"); empty when none. */
  describe(): string;
  timeZone(): string;
  now(): Date;
  /** The rows selected in the Sessions view. */
  selection(): readonly SessionsTreeNode[];
}

/** What an export wrote. */
export interface ExportResult {
  written: number;
  read: number;
  /** The server's list was read to its end (false when the cap stopped it). */
  complete: boolean;
  cancelled: boolean;
}

/** Registers Export Sessions… and the three Copy as … commands. */
export function registerExportCommands(context: ExportContext): vscode.Disposable[] {
  const copy = (format: CopyFormat) => (node?: unknown, nodes?: unknown) =>
    copySessions(context, format, node, nodes);
  return [
    vscode.commands.registerCommand(EXPORT_COMMANDS.export, () => exportCommand(context)),
    vscode.commands.registerCommand(EXPORT_COMMANDS.copyAsCsv, copy("csv")),
    vscode.commands.registerCommand(EXPORT_COMMANDS.copyAsJson, copy("json")),
    vscode.commands.registerCommand(EXPORT_COMMANDS.copyAsMarkdown, copy("markdown")),
  ];
}

/** Asks for the format and the file, then exports behind a cancellable notification. */
async function exportCommand(context: ExportContext): Promise<ExportResult | Error | undefined> {
  const client = context.client();
  if (client === undefined) {
    void vscode.window.showInformationMessage("Evo Voice: sign in first, then export.");
    return undefined;
  }
  const format = await pickOne({
    title: "Export Sessions as CSV or JSON Lines",
    placeholder: "Every session the current filters match",
    items: [
      {
        label: "CSV",
        format: "csv" as const,
        detail: `Columns: ${columnsOf({ timeZone: "UTC", now: new Date() })
          .map((c) => c.name)
          .join(", ")}`,
      },
      {
        label: "JSON Lines",
        format: "jsonl" as const,
        detail: "One session per line, every field the server sent (without the log)",
      },
    ],
  });
  if (format === undefined || typeof format === "symbol") return undefined;
  const target = await vscode.window.showSaveDialog({
    title: "Export Sessions",
    saveLabel: "Export",
    defaultUri: defaultTarget(format.format, context.now()),
    filters: format.format === "csv" ? { CSV: ["csv"] } : { "JSON Lines": ["jsonl"] },
  });
  if (target === undefined) return undefined;
  const filters = context.describe();
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Exporting ${filters === "" ? "sessions" : filters} to ${basename(target.fsPath)}`,
      cancellable: true,
    },
    (progress, token) => runExport(context, client, format.format, target, progress, token),
  );
  await announce(result, target);
  return result;
}

/** The export's steps, with its failure (or cancellation) reported. */
async function runExport(
  context: ExportContext,
  client: EvoVoiceClient,
  format: ExportFormat,
  target: vscode.Uri,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
): Promise<ExportResult | Error> {
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await exportSessions(client, context.query(), {
      format,
      path: target.fsPath,
      timeZone: context.timeZone(),
      now: context.now(),
      signal: controller.signal,
      onProgress: (written, read) =>
        progress.report({ message: `${written} written (${read} read)…` }),
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    subscription.dispose();
  }
}

/** Options of {@link exportSessions}. */
export interface ExportOptions {
  format: ExportFormat;
  path: string;
  timeZone: string;
  now: Date;
  signal?: AbortSignal;
  onProgress?(written: number, read: number): void;
}

/**
 * Reads `query` through the scanner and writes each match to `path` as it comes (waiting when
 * the file falls behind, so memory stays flat). It writes to `<path>.part` and renames it at the
 * end: a cancelled or failed export leaves no half file under the chosen name.
 */
export async function exportSessions(
  client: EvoVoiceClient,
  query: SessionQuery,
  options: ExportOptions,
): Promise<ExportResult> {
  const partial = `${options.path}.part`;
  const out = createWriteStream(partial, { encoding: "utf8" });
  // A failed write (disk full, no permission) surfaces at the next write or the end, not as an
  // unhandled 'error' event; a stream destroyed on Cancel reports nothing.
  let failure: Error | undefined;
  out.on("error", (error) => (failure ??= error));
  const write = async (text: string) => {
    if (failure !== undefined) throw failure;
    if (!out.write(text)) await Promise.race([once(out, "drain"), once(out, "close")]);
  };
  const rows = { timeZone: options.timeZone, now: options.now };
  let written = 0;
  const scan = client.scan(query, {
    cap: EXPORT_CAP,
    pageSize: EXPORT_PAGE_SIZE,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: ({ read }) => options.onProgress?.(written, read),
  });
  try {
    if (options.format === "csv") await write(csvHeader(columnsOf(rows)));
    for await (const { session } of scan) {
      // A page already read is not written after Cancel.
      options.signal?.throwIfAborted();
      await write(options.format === "csv" ? csvLine(session, rows) : jsonLine(session));
      written += 1;
    }
    options.signal?.throwIfAborted();
    await close(out);
    await rename(partial, options.path);
    return { written, read: scan.report.read, complete: scan.report.complete, cancelled: false };
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    if (options.signal?.aborted === true)
      return { written, read: scan.report.read, complete: false, cancelled: true };
    throw error;
  }
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Says how the export ended, with "Open" for a finished file. */
async function announce(result: ExportResult | Error, target: vscode.Uri): Promise<void> {
  const name = basename(target.fsPath);
  if (result instanceof Error) {
    void vscode.window.showErrorMessage(`Evo Voice: the export failed. ${fullMessage(result)}`);
    return;
  }
  if (result.cancelled) {
    void vscode.window.showInformationMessage(
      `Evo Voice: export cancelled; ${name} was not written.`,
    );
    return;
  }
  const more = result.complete
    ? ""
    : ` (stopped after ${result.read} read; narrow the filters for the rest)`;
  const open = await vscode.window.showInformationMessage(
    `Evo Voice: exported ${result.written} ${result.written === 1 ? "session" : "sessions"} to ${name}${more}.`,
    "Open",
  );
  if (open === "Open") await vscode.commands.executeCommand("vscode.open", target);
}

/** `evo-sessions-2026-12-01.csv` in the first workspace folder (else the home folder). */
function defaultTarget(format: ExportFormat, now: Date): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `evo-sessions-${now.toISOString().slice(0, 10)}.${format}`;
  return folder === undefined ? undefined : vscode.Uri.joinPath(folder, name);
}

/**
 * Copies sessions to the clipboard: the rows selected (VS Code passes the clicked row and the
 * selection), else the one row it ran on, else the view's selection (Command Palette).
 */
async function copySessions(
  context: ExportContext,
  format: CopyFormat,
  node: unknown,
  nodes: unknown,
): Promise<void> {
  const candidates =
    Array.isArray(nodes) && nodes.length > 0
      ? nodes
      : node !== undefined
        ? [node]
        : context.selection();
  const sessions = candidates.filter(isSessionNode).map((candidate) => candidate.session);
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage("Evo Voice: select one or more sessions to copy.");
    return;
  }
  const text = formatSessions(sessions, format, {
    timeZone: context.timeZone(),
    now: context.now(),
  });
  await vscode.env.clipboard.writeText(text);
  const noun = sessions.length === 1 ? "session" : "sessions";
  const label = { csv: "CSV", json: "JSON", markdown: "a Markdown table" }[format];
  vscode.window.setStatusBarMessage(`Copied ${sessions.length} ${noun} as ${label}`, 3000);
}

function isSessionNode(value: unknown): value is { kind: "session"; session: SessionInfo } {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "session"
  );
}

/** The export commands wired to the running extension's filters, feed query and view. */
export function registerExportParts(
  parts: Pick<EvoSessionsApi, "auth" | "filters" | "settings" | "now" | "view">,
): vscode.Disposable[] {
  const timeZone = () => parts.settings.current.timeZone;
  return registerExportCommands({
    client: () => parts.auth.client,
    // The feed's own query: what the view pages through, read here to the end.
    query: () => filtersToQuery(parts.filters.filters, { now: parts.now(), timeZone: timeZone() }),
    describe: () => describeFilters(parts.filters.filters),
    timeZone,
    now: parts.now,
    selection: () => parts.view.treeView.selection,
  });
}
