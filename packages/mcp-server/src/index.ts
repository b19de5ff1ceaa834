// The public API of @evo-sessions/mcp-server, by name.
export { createEvoSessionsMcpServer, VERSION, type EvoSessionsMcpServerOptions } from "./server.js";
export {
  createContext,
  type Backend,
  type ContextOptions,
  type EvoSessionsContext,
} from "./context.js";
export {
  loadConfig,
  hasCredentials,
  describeConfig,
  systemTimeZone,
  isValidTimeZone,
  ConfigError,
  ENVIRONMENT_VARIABLES,
  DEFAULT_BASE_URL,
  DEFAULT_TOKEN_BUDGET,
  DEFAULT_STATS_MAX_SESSIONS,
  type EvoSessionsMcpConfig,
} from "./config.js";
export { startBackend, type BackendOptions, type RunningBackend } from "./backend.js";
export {
  startHttpServer,
  type HttpServerOptions,
  type RunningHttpServer,
} from "./transports/http.js";
export { SeenDirectory, type SeenKind } from "./directory.js";
export { createStderrLogger, silentLogger, type Logger } from "./log.js";
export { estimateTokens, CHARS_PER_TOKEN } from "./format/budget.js";
export { SESSION_URI_TEMPLATE } from "./resources.js";
export { SANDBOX_NOTICE } from "./tools/results.js";
export { GROUP_BY, type GroupBy } from "./tools/session-stats.js";
export {
  childEnvironment,
  mergeChildEnvironment,
  type ChildEnvironment,
  type ChildSettings,
  type ChildSignIn,
  type EnvironmentVariable,
} from "./child-environment.js";
export { runQuickstart, type QuickstartOptions } from "./quickstart.js";
export { parseCliArgs, USAGE, DEFAULT_HTTP_PORT, type CliOptions } from "./cli.js";
