// The public API of @evo-sessions/sandbox, by name.
export { startSandbox, DEFAULT_BEHAVIOUR } from "./server.js";
export { generateDataset, type GenerateDatasetOptions } from "./data/dataset.js";
export {
  DEMO_USERS,
  DEMO_USER,
  MSP_USER,
  ADMIN_USER,
  SANDBOX_ACCOUNT_IDS,
} from "./data/catalog.js";
export { parseFaultSpec, parseDuration, CliArgumentError } from "./cli-args.js";
export type {
  Sandbox,
  SandboxOptions,
  SandboxBehaviour,
  SandboxData,
  DateFormat,
  DemoUser,
  FaultController,
  FaultSpec,
  FaultKind,
  FaultRoute,
  RequestRecord,
  LiveController,
} from "./types.js";
