/**
 * The analytics chunk: everything that needs core's analytics (and libphonenumber-js behind
 * it), built as dist/analytics.js and loaded on first use, so dist/extension.js stays small.
 * Import it only with `await import("./analytics-chunk.js")` (esbuild.mjs refuses a static
 * import). It gets the extension's state through the host objects it is handed.
 */
import {
  analyzeSessions,
  callerNameCase,
  formatPhoneNumber,
  type CallbackReport,
  type EvoVoiceClient,
  type OpenCallback,
  type SessionQuery,
} from "@evo-sessions/core";

export { DashboardPanel, type DashboardHost } from "./dashboard-panel.js";

/** Most callers the Callbacks view lists. */
export const CALLBACK_LIMIT = 200;
/** Most sessions one callback read goes through. */
const CALLBACK_CAP = 50_000;

/** An open callback with its number and caller as people read them. */
export interface CallbackEntry extends OpenCallback {
  /** The number in national format (international for another country's). */
  displayNumber: string;
  /** The caller's name in title case where caller ID wrote it in capitals. */
  displayName: string | undefined;
}

/** The queue with readable numbers and names (numbers formatted here: libphonenumber is in this chunk). */
export async function readCallbackEntries(
  client: EvoVoiceClient,
  query: SessionQuery,
  options: { now: Date; signal?: AbortSignal },
): Promise<{ report: CallbackReport; entries: CallbackEntry[] }> {
  const report = await readCallbacks(client, query, options);
  const entries = report.queue.map((entry) => ({
    ...entry,
    displayNumber: formatPhoneNumber(entry.number),
    displayName: entry.callerName === undefined ? undefined : callerNameCase(entry.callerName),
  }));
  return { report, entries };
}

/** The open-callback queue for `query` (its window widened by core to find the callbacks). */
export async function readCallbacks(
  client: EvoVoiceClient,
  query: SessionQuery,
  options: { now: Date; signal?: AbortSignal },
): Promise<CallbackReport> {
  const report = await analyzeSessions(client, query, {
    callbacks: { limit: CALLBACK_LIMIT },
    cap: CALLBACK_CAP,
    now: options.now,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // Asked for above, so always there; the fallback keeps the type honest.
  return report.callbacks ?? emptyReport();
}

function emptyReport(): CallbackReport {
  return {
    windowMs: 0,
    missed: 0,
    closed: 0,
    closedByCallback: 0,
    closedByAnsweredCall: 0,
    open: 0,
    withoutNumber: 0,
    untracked: 0,
    medianTimeToCallbackMs: undefined,
    p90TimeToCallbackMs: undefined,
    closers: [],
    queue: [],
  };
}
