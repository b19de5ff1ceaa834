import type { FleetOptions, SandboxData } from "../types.js";
import { generateStore } from "./store.js";
import { materializeLog, type Dataset, type StoredSession } from "./model.js";
import { toWireSession } from "../http/session-json.js";

const DAY_MS = 86_400_000;

/** Options of {@link generateDataset}; the defaults match {@link startSandbox}'s. */
export interface GenerateDatasetOptions {
  sessions?: number;
  seed?: number;
  /** The instant the data is generated around (default: now). Pass one for reproducible data. */
  now?: Date;
  /** Archive boundary in days before `now` (default 15). */
  archiveAfterDays?: number;
  /** A large MSP fleet instead of the six fixed accounts alone (as in {@link startSandbox}). */
  fleet?: FleetOptions;
}

/** A stored session as plain SessionInfo: seed key order, full log, ISO dates. */
export function sessionSnapshot(session: StoredSession): SandboxData["sessions"][number] {
  const wire = toWireSession(session, { withLog: false, dateFormat: "iso" });
  return structuredClone({
    ...wire,
    log: materializeLog(session),
  }) as SandboxData["sessions"][number];
}

/** The public, plain-object form of generated data. */
export function toSandboxData(
  dataset: Dataset,
  sessions: readonly StoredSession[],
  archiveCutoffMs: number,
): SandboxData {
  const parentSessionIds: Record<string, string> = {};
  for (const session of sessions) {
    if (session.parentSessionId !== undefined)
      parentSessionIds[session.info.id as string] = session.parentSessionId;
  }
  return {
    accounts: structuredClone(dataset.accounts) as SandboxData["accounts"],
    customers: dataset.customers.map((c) => ({ ...c })),
    endpoints: dataset.endpoints.map((e) => ({ ...e })),
    sessions: sessions.map(sessionSnapshot),
    parentSessionIds,
    now: dataset.now.toISOString(),
    archiveCutoff: new Date(archiveCutoffMs).toISOString(),
  };
}

/**
 * Generates the data a sandbox with the same seed, session count and `now` serves: the same
 * arguments always give the same data, so tests can build oracles without a server.
 */
export function generateDataset(options: GenerateDatasetOptions = {}): SandboxData {
  const now = options.now ?? new Date();
  const dataset = generateStore({
    sessions: options.sessions ?? 2000,
    seed: options.seed ?? 42,
    now,
    fleet: options.fleet,
  });
  return toSandboxData(
    dataset,
    dataset.sessions,
    now.getTime() - (options.archiveAfterDays ?? 15) * DAY_MS,
  );
}
