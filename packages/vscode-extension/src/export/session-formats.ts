/**
 * Sessions as text in the formats people export and copy: CSV (RFC 4180, CRLF records, as the
 * CLI writes it), JSON Lines, a JSON array and a Markdown table. The values are core's export
 * columns (`flattenSession`, `textCells`) and records (`sessionRecord`), so a file from VS Code
 * says what the CLI's export and the MCP server say about the same sessions.
 */
import {
  flattenSession,
  resolveExportColumns,
  sessionRecord,
  textCells,
  type ExportColumn,
  type SessionInfo,
} from "@evo-sessions/core";

/** The formats of "Export Sessions…". */
export type ExportFormat = "csv" | "jsonl";
/** The formats of "Copy as …". */
export type CopyFormat = "csv" | "json" | "markdown";

/** How rows are written. */
export interface FormatOptions {
  timeZone: string;
  /** Durations of live sessions are measured to this instant. */
  now: Date;
  /** Default: core's default export columns. */
  columns?: readonly ExportColumn[];
}

/** The columns written: those asked for, else core's defaults. */
export function columnsOf(options: FormatOptions): readonly ExportColumn[] {
  return options.columns ?? resolveExportColumns();
}

/** One CSV field: quoted when it holds a comma, quote, line break or edge space (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF ending. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map(csvField).join(",")}\r\n`;
}

/** The CSV header record: the columns' names. */
export function csvHeader(columns: readonly ExportColumn[]): string {
  return csvRecord(columns.map((column) => column.name));
}

/** A session's text cells in the columns' order. */
export function sessionCells(session: SessionInfo, options: FormatOptions): string[] {
  const columns = columnsOf(options);
  const values = flattenSession(session, { timeZone: options.timeZone, now: options.now, columns });
  return textCells(values, columns);
}

/** A session as one CSV record. */
export function csvLine(session: SessionInfo, options: FormatOptions): string {
  return csvRecord(sessionCells(session, options));
}

/** A session as one JSON Lines record: the fields the server sent, without the log. */
export function jsonLine(session: SessionInfo): string {
  return `${JSON.stringify(sessionRecord(session))}\n`;
}

/** Sessions as text to copy, in one of the copy formats. */
export function formatSessions(
  sessions: readonly SessionInfo[],
  format: CopyFormat,
  options: FormatOptions,
): string {
  const columns = columnsOf(options);
  if (format === "json")
    return `${JSON.stringify(
      sessions.map((session) => sessionRecord(session)),
      null,
      2,
    )}\n`;
  if (format === "csv")
    return [
      csvHeader(columns),
      ...sessions.map((session) => csvLine(session, { ...options, columns })),
    ].join("");
  const cell = (text: string) =>
    text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const row = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [
    row(columns.map((column) => column.name)),
    row(columns.map(() => "---")),
    ...sessions.map((session) => row(sessionCells(session, { ...options, columns }))),
    "",
  ].join("\n");
}
