// @evo-sessions/cli/store: the local DuckDB store, for the CLI and other packages (MCP server).
export {
  openStore,
  readOnlyQuery,
  DEFAULT_MAX_ROWS,
  DEFAULT_QUERY_TIMEOUT_MS,
  type Store,
  type QueryOptions,
  type QueryResult,
  type Coverage,
  type CoverageWindow,
} from "./store.js";
export {
  syncStore,
  daysBetween,
  DEFAULT_LIVE_DAYS,
  type SyncOptions,
  type SyncSummary,
} from "./sync.js";
export { exportPartitioned, type PartitionSummary } from "./partitions.js";
export { STORE_SCHEMA_VERSION, SESSION_COLUMNS, MEMBER_COLUMNS, LOG_COLUMNS } from "./schema.js";
export { CliError, type CliErrorCode } from "../errors.js";
