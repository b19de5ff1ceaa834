import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignIns } from "./auth/sign-ins.js";
import { linkUserEndpoints } from "./auth/user-endpoints.js";
import { buildDirectory, directorySnapshot } from "./data/directory.js";
import { DEMO_USERS } from "./data/catalog.js";
import { MAX_FLEET_ACCOUNTS, MAX_FLEET_DAYS, fleetUsers } from "./data/fleet.js";
import { generateStore } from "./data/store.js";
import { toSandboxData } from "./data/dataset.js";
import { Faults } from "./faults/fault-controller.js";
import type { ServerState } from "./http/context.js";
import { createRequestHandler } from "./http/request-handler.js";
import { LiveCalls } from "./live/live-calls.js";
import { ManualClock, realClock } from "./live/live-clock.js";
import { SessionStore } from "./sessions/session-store.js";
import type {
  DemoUser,
  RequestRecord,
  Sandbox,
  SandboxBehaviour,
  SandboxData,
  SandboxOptions,
} from "./types.js";

/** The sandbox's guesses where the real server's behaviour is undocumented. */
export const DEFAULT_BEHAVIOUR: SandboxBehaviour = {
  archiveAfterDays: 15,
  customerMatch: "exact",
  endpointMatch: "session",
  unknownSortField: "reject",
  authStatusSignedOut: "false",
  specificIdsSearch: "archive-flag",
  forbiddenBody: "json",
  userInfoShape: "newer",
  getSessionLog: "empty",
  getSessionArchived: "404",
  accountsAccess: "any",
  activeCallsRoles: "newer",
  nameFilterMatch: "contains",
  endpointUserNames: "first-last",
  callInfoDates: "iso",
};

const DEFAULTS = {
  host: "127.0.0.1",
  sessions: 2000,
  seed: 42,
  dateFormat: "iso",
  sessionTtlMs: 3_600_000,
  liveCalls: 3,
  liveStepMs: 5_000,
} as const;

// Long-running sandboxes would grow without bound; tests look at far fewer than this.
const MAX_REQUEST_RECORDS = 10_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

function validateOptions(options: SandboxOptions): void {
  const { port, sessions, seed, latencyMs, sessionTtlMs, liveCalls, liveStepMs, dateFormat, now } =
    options;
  check(
    port === undefined || (Number.isInteger(port) && port >= 0 && port <= 65535),
    `Invalid port ${String(port)}: use 0-65535 (0 picks a free port)`,
  );
  check(
    sessions === undefined || (Number.isInteger(sessions) && sessions >= 0),
    `Invalid sessions ${String(sessions)}: use a whole number >= 0`,
  );
  check(
    seed === undefined || Number.isInteger(seed),
    `Invalid seed ${String(seed)}: use a whole number`,
  );
  check(
    latencyMs === undefined || (Number.isFinite(latencyMs) && latencyMs >= 0),
    `Invalid latencyMs ${String(latencyMs)}: use milliseconds >= 0`,
  );
  check(
    sessionTtlMs === undefined || (Number.isFinite(sessionTtlMs) && sessionTtlMs > 0),
    `Invalid sessionTtlMs ${String(sessionTtlMs)}: use milliseconds > 0`,
  );
  check(
    liveCalls === undefined || (Number.isInteger(liveCalls) && liveCalls >= 0),
    `Invalid liveCalls ${String(liveCalls)}: use a whole number >= 0`,
  );
  check(
    liveStepMs === undefined || (Number.isFinite(liveStepMs) && liveStepMs > 0),
    `Invalid liveStepMs ${String(liveStepMs)}: use milliseconds > 0`,
  );
  check(
    options.liveClock === undefined ||
      options.liveClock === "real" ||
      options.liveClock === "manual",
    `Invalid liveClock ${String(options.liveClock)}: use "real" or "manual"`,
  );
  check(
    dateFormat === undefined || dateFormat === "iso" || dateFormat === "wcf",
    `Invalid dateFormat ${String(dateFormat)}: use "iso" or "wcf"`,
  );
  check(
    now === undefined || (now instanceof Date && !Number.isNaN(now.getTime())),
    "Invalid now: use a valid Date",
  );
  validateFleet(options.fleet);
  const days = options.behaviour?.archiveAfterDays;
  check(
    days === undefined || (Number.isFinite(days) && days >= 0),
    `Invalid behaviour.archiveAfterDays ${String(days)}: use a number of days >= 0`,
  );
}

function validateFleet(fleet: SandboxOptions["fleet"]): void {
  if (fleet === undefined) return;
  const { accounts, days } = fleet;
  check(
    Number.isInteger(accounts) && accounts >= 3 && accounts <= MAX_FLEET_ACCOUNTS,
    `Invalid fleet.accounts ${String(accounts)}: use a whole number from 3 (the MSP's fixed clients) to ${MAX_FLEET_ACCOUNTS}`,
  );
  check(
    days === undefined || (Number.isInteger(days) && days >= 1 && days <= MAX_FLEET_DAYS),
    `Invalid fleet.days ${String(days)}: use a whole number of days from 1 to ${MAX_FLEET_DAYS}`,
  );
}

/** The data, users and sign-ins every route reaches, generated for these options. */
function serverState(
  options: SandboxOptions,
  seed: number,
  now: Date,
  users: DemoUser[],
): ServerState {
  const behaviour: SandboxBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const dataset = generateStore({
    sessions: options.sessions ?? DEFAULTS.sessions,
    seed,
    now,
    fleet: options.fleet,
  });
  if (options.fleet !== undefined) fleetUsers(users, dataset.accounts);
  linkUserEndpoints(users, dataset);
  // Built now, before live mode adds calls: the directory comes from the generated data alone.
  const directory = buildDirectory(dataset);
  return {
    store: new SessionStore(dataset, behaviour),
    signIns: new SignIns(users, options.sessionTtlMs ?? DEFAULTS.sessionTtlMs),
    users,
    dateFormat: options.dateFormat ?? DEFAULTS.dateFormat,
    behaviour,
    directory: () => directory,
  };
}

/**
 * Starts an Evo Voice–compatible server with generated data. Resolves once it listens;
 * `close()` stops it promptly, including requests a fault left hanging.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  validateOptions(options);
  const seed = options.seed ?? DEFAULTS.seed;
  const now = options.now ?? new Date();
  // Copies, so that a test changing a user changes only its own sandbox.
  const users: DemoUser[] = DEMO_USERS.map((user) => structuredClone(user));
  const state = serverState(options, seed, now, users);
  const { store } = state;
  const faults = new Faults(seed, () => state.signIns.endAll());
  const requests: RequestRecord[] = [];
  const timers = new PendingTimers();
  let closing = false;
  const server = serve(
    createRequestHandler({
      state,
      faults,
      baseLatencyMs: options.latencyMs ?? 0,
      record: (entry) => recordRequest(requests, entry),
      delay: (ms) => timers.delay(ms),
      isClosing: () => closing,
    }),
  );

  const url = await listen(server, options.port ?? 0, options.host ?? DEFAULTS.host);

  // Live calls happen "now" in the data's own time line: with an explicit `now` in the past or
  // future they must still come after (and not interleave with) the generated sessions.
  const live = options.live
    ? new LiveCalls(
        store,
        options.liveCalls ?? DEFAULTS.liveCalls,
        options.liveStepMs ?? DEFAULTS.liveStepMs,
        seed,
        options.liveClock === "manual"
          ? new ManualClock(now.getTime())
          : realClock(now.getTime() - Date.now()),
      )
    : undefined;
  live?.start();

  const snapshot = snapshotOf(state);
  let closed: Promise<void> | undefined;
  return {
    url,
    users,
    faults,
    get data(): SandboxData {
      return snapshot();
    },
    requests,
    live: live && {
      step: (steps = 1) => live.step(steps),
      now: () => new Date(live.now()),
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        live?.stop();
        timers.clear();
        server.close(() => resolve());
        // Hung and keep-alive connections would otherwise hold close() until they time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Timers of delayed requests, so that close() can cancel them. */
class PendingTimers {
  private readonly pending = new Set<NodeJS.Timeout>();

  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.add(timer);
    });
  }

  clear(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

function recordRequest(requests: RequestRecord[], entry: RequestRecord): void {
  requests.push(entry);
  if (requests.length > MAX_REQUEST_RECORDS * 2)
    requests.splice(0, requests.length - MAX_REQUEST_RECORDS);
}

function serve(handle: ReturnType<typeof createRequestHandler>): Server {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("evo-sessions-sandbox: request failed", error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    });
  });
  // Keep-alive sockets must not hold close() up.
  server.keepAliveTimeout = 5_000;
  return server;
}

/** Listens and resolves with the base URL, e.g. `http://127.0.0.1:54321`. */
async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${hostPart}:${address.port}`;
}

/** The plain-object data behind `sandbox.data`. */
function snapshotOf(state: ServerState): () => SandboxData {
  const { store } = state;
  let cached: { version: number; data: SandboxData } | undefined;
  return () => {
    // Materialised on first use (full logs cost memory) and again after live mode changed it.
    if (cached === undefined || cached.version !== store.version)
      cached = {
        version: store.version,
        data: {
          ...toSandboxData(store.dataset, store.sessions, store.archiveCutoffMs),
          ...directorySnapshot(state.directory(), state.users),
        },
      };
    return cached.data;
  };
}
