import { InvalidOptionError, resolveExportColumns, type ExportColumn } from "@evo-sessions/core";
import { usageError } from "../errors.js";

/** `--columns a,b` as core's export columns; an unknown name is a usage error naming it. */
export function columnsOf(text: string | undefined): ExportColumn[] {
  try {
    return resolveExportColumns(text);
  } catch (error) {
    if (error instanceof InvalidOptionError)
      throw usageError(
        "--columns",
        error.reason +
          (error.message.includes("(got")
            ? ` ${error.message.slice(error.message.indexOf("(got"))}`.replace(/\.$/, "")
            : ""),
      );
    throw error;
  }
}
