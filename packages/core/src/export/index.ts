// Flattened rows and JSON records of sessions, for every exporting surface.
export {
  EXPORT_COLUMNS,
  DEFAULT_EXPORT_COLUMNS,
  resolveExportColumns,
  flattenSession,
  textCells,
  cellText,
  sessionRecord,
  type ExportColumn,
  type ExportColumnType,
  type ExportValue,
  type ExportRowContext,
  type FlattenOptions,
  type SessionRecordOptions,
} from "./columns.js";
