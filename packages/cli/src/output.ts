/** How results are printed: a table on a terminal, JSON or CSV when piped or asked for. */
import { stringify } from "csv-stringify/sync";
import { usageError } from "./errors.js";
import type { OptionSpecs, OptionValues } from "./args.js";
import type { OutStream } from "./io.js";

export type OutputFormat = "table" | "json" | "csv";

/** The output options of commands that print rows. */
export const OUTPUT_OPTIONS: OptionSpecs = {
  json: {
    type: "boolean",
    description: "JSON (one object per line for lists); the default when stdout is not a terminal",
  },
  csv: { type: "boolean", description: "CSV (RFC 4180) with a header row" },
  table: { type: "boolean", description: "a table; the default on a terminal" },
};

/** The format asked for, else a table on a terminal and JSON otherwise. */
export function formatOf(values: OptionValues, stdout: OutStream): OutputFormat {
  const asked = (["json", "csv", "table"] as const).filter((f) => values[f] === true);
  if (asked.length > 1) throw usageError(`--${asked[1]}`, `cannot be combined with --${asked[0]}`);
  return asked[0] ?? (stdout.isTTY === true ? "table" : "json");
}

/** Rows as an aligned text table, each cell cut to `maxCell` characters. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  maxCell = 40,
): string {
  const cut = (text: string): string =>
    text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
  const cells = [headers.map(cut), ...rows.map((row) => row.map(cut))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n") + "\n";
}

/** Rows as RFC 4180 CSV (CRLF line ends), with the header when asked. */
export function renderCsv(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  header = true,
): string {
  const records = (header ? [headers, ...rows] : rows) as string[][];
  return stringify(records, { record_delimiter: "windows" });
}
