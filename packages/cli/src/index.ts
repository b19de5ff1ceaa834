// The public API of @evo-sessions/cli (the store alone: @evo-sessions/cli/store).
export { run, COMMANDS, mainHelp, commandHelp } from "./main.js";
export { CliError, EXIT_CODES, type CliErrorCode } from "./errors.js";
export { readEnvironment, ENVIRONMENT_VARIABLES, type CliEnvironment } from "./env.js";
export type { CliIo } from "./io.js";
export { exportSessions, type ExportOptions, type ExportSummary } from "./export/run-export.js";
export { EXPORT_FORMATS, type ExportFormat } from "./export/sinks.js";
export { VERSION } from "./version.js";
