/**
 * `sync`: copies sessions with their members and logs into the store, one (account, UTC day) at
 * a time. Each day is replaced whole in one transaction, so a day is either as the server last
 * said or as before, and running twice never duplicates. Days older than the live window are
 * read from the archive once and then frozen (skipped by later runs); days inside it are read
 * again each run, since their sessions still change.
 */
import { addDays, SessionQuery, type EvoVoiceClient, type SessionInfo } from "@evo-sessions/core";
import type { DuckDBConnection } from "@duckdb/node-api";
import { appendRows, openDbWhenFree } from "./db.js";
import { acquireLock } from "./lock.js";
import { claimOrigin } from "./store-origin.js";
import {
  LOG_COLUMNS,
  MEMBER_COLUMNS,
  SESSION_COLUMNS,
  sessionRow,
  type ChildRow,
} from "./schema.js";

/** Days back from now in which sessions still change (Evo Voice archives after about 15). */
export const DEFAULT_LIVE_DAYS = 15;
const DAY_MS = 86_400_000;

export interface SyncOptions {
  /** The DuckDB file (created when missing); its lock is `store.lock`. */
  store: string;
  /** Account IDs (default: every account the sign-in reaches). */
  accountIds?: string[] | undefined;
  /** First and last UTC day to copy, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  liveDays?: number;
  now?: Date;
  /** Days fetched at once (default 4). */
  concurrency?: number;
  /** How long to wait for another sync of the same store (default 30 s; 0 refuses at once). */
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { days: number; daysDone: number; sessions: number }) => void;
  onNotice?: (text: string) => void;
}

export interface SyncSummary {
  accounts: string[];
  /** (account, day) pairs in the asked range. */
  days: number;
  /** Of those, read from the server in this run. */
  daysRead: number;
  /** Skipped: frozen by an earlier run. */
  daysFrozen: number;
  /** Sessions written in this run. */
  sessions: number;
  /** Sessions in the store after the run. */
  storeSessions: number;
  interrupted: boolean;
  elapsedMs: number;
}

interface DayTask {
  accountId: string;
  day: string;
  sides: ("live" | "archive")[];
  frozen: boolean;
}

/** Syncs `options.from`–`options.to` of the accounts into `options.store`. */
export async function syncStore(
  client: EvoVoiceClient,
  options: SyncOptions,
): Promise<SyncSummary> {
  const started = performance.now();
  const release = await acquireLock(options.store, {
    timeoutMs: options.lockTimeoutMs ?? 30_000,
    signal: options.signal,
    onWait: (who) => options.onNotice?.(`waiting for ${who} to finish syncing ${options.store}…`),
  });
  try {
    const accounts =
      options.accountIds ??
      (await client.authStatus({ signal: options.signal })).accounts.map((a) => a.id);
    const db = await openDbWhenFree(options.store, {
      timeoutMs: options.lockTimeoutMs ?? 30_000,
      signal: options.signal,
      onWait: () =>
        options.onNotice?.(
          `waiting for another process reading ${options.store} (an MCP server's SQL or session_stats call) to close it…`,
        ),
    });
    try {
      await claimOrigin(db.connection, options.store, client.baseUrl);
      const tasks = await plan(db.connection, accounts, options);
      const total = accounts.length * daysBetween(options.from, options.to).length;
      const done = await runTasks(client, db.connection, tasks, options, total);
      const count = await db.connection.runAndReadAll("SELECT count(*) AS n FROM sessions");
      return {
        accounts,
        days: total,
        daysRead: done.days,
        daysFrozen: total - tasks.length,
        sessions: done.sessions,
        storeSessions: Number(count.getRowObjectsJson()[0]?.n ?? 0),
        interrupted: done.interrupted,
        elapsedMs: performance.now() - started,
      };
    } finally {
      db.close();
    }
  } finally {
    await release();
  }
}

async function plan(
  connection: DuckDBConnection,
  accounts: string[],
  options: SyncOptions,
): Promise<DayTask[]> {
  const frozen = new Set(
    (
      await connection.runAndReadAll(
        "SELECT account_id, strftime(day, '%Y-%m-%d') AS day FROM sync_days WHERE frozen",
      )
    )
      .getRowObjectsJson()
      .map((r) => `${String(r.account_id)}/${String(r.day)}`),
  );
  const now = (options.now ?? new Date()).getTime();
  const live = options.liveDays ?? DEFAULT_LIVE_DAYS;
  const tasks: DayTask[] = [];
  for (const day of daysBetween(options.from, options.to)) {
    const start = Date.parse(`${day}T00:00:00Z`);
    const archiveOnly = start + DAY_MS <= now - (live + 1) * DAY_MS;
    const liveOnly = start >= now - (live - 1) * DAY_MS;
    const sides: DayTask["sides"] = archiveOnly
      ? ["archive"]
      : liveOnly
        ? ["live"]
        : ["live", "archive"];
    for (const accountId of accounts) {
      if (frozen.has(`${accountId}/${day}`)) continue;
      tasks.push({ accountId, day, sides, frozen: archiveOnly });
    }
  }
  return tasks;
}

/** Fetches days `concurrency` at a time and writes them one at a time. */
async function runTasks(
  client: EvoVoiceClient,
  connection: DuckDBConnection,
  tasks: DayTask[],
  options: SyncOptions,
  total: number,
): Promise<{ days: number; sessions: number; interrupted: boolean }> {
  const done = { days: 0, sessions: 0, interrupted: false };
  let next = 0;
  let writing: Promise<void> = Promise.resolve();
  const skipped = total - tasks.length;
  const worker = async (): Promise<void> => {
    while (next < tasks.length && options.signal?.aborted !== true) {
      const task = tasks[next++]!;
      const sessions = await fetchDay(client, task, options.signal);
      writing = writing.then(async () => {
        await writeDay(connection, task, sessions, options.now ?? new Date());
        done.days++;
        done.sessions += sessions.length;
        options.onProgress?.({
          days: total,
          daysDone: skipped + done.days,
          sessions: done.sessions,
        });
      });
      await writing;
    }
  };
  const workers = Array.from(
    { length: Math.min(options.concurrency ?? 4, Math.max(1, tasks.length)) },
    worker,
  );
  const results = await Promise.allSettled(workers);
  await writing.catch(() => undefined);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (options.signal?.aborted === true) done.interrupted = true;
  else if (failed !== undefined) throw failed.reason;
  return done;
}

/** A session and the side of the list it was read from. */
interface ReadSession {
  session: SessionInfo;
  archived: boolean;
}

async function fetchDay(
  client: EvoVoiceClient,
  task: DayTask,
  signal: AbortSignal | undefined,
): Promise<ReadSession[]> {
  const byId = new Map<string, ReadSession>();
  for (const side of task.sides) {
    const query = SessionQuery.create()
      .accounts(task.accountId)
      .between(task.day, task.day)
      .archive(side === "archive")
      .oldest();
    const scan = client.scan(query, {
      cap: Number.MAX_SAFE_INTEGER,
      pageSize: 1000,
      ...(signal === undefined ? {} : { signal }),
    });
    for await (const { session } of scan) {
      const id = session.id ?? `${task.day}:${byId.size}`;
      // A session moving to the archive mid-sync is kept once, on the side it was first read.
      if (!byId.has(id)) byId.set(id, { session, archived: side === "archive" });
    }
  }
  return [...byId.values()];
}

/** Replaces one (account, day) in one transaction and records it in `sync_days`. */
async function writeDay(
  connection: DuckDBConnection,
  task: DayTask,
  read: ReadSession[],
  syncedAt: Date,
): Promise<void> {
  const sessions = read.map((r) => r.session);
  const key = [task.accountId, task.day];
  await connection.run("BEGIN TRANSACTION");
  try {
    for (const table of ["sessions", "members", "log_entries"]) {
      await connection.run(
        `DELETE FROM ${table} WHERE account_id = $1 AND day = CAST($2 AS DATE)`,
        key,
      );
    }
    const rows = read.map((r) =>
      sessionRow(r.session, task.accountId, task.day, r.archived, syncedAt),
    );
    await appendRows(connection, "sessions", SESSION_COLUMNS, rows);
    await appendRows(
      connection,
      "members",
      MEMBER_COLUMNS,
      children(sessions, task, (s) => s.members),
    );
    await appendRows(
      connection,
      "log_entries",
      LOG_COLUMNS,
      children(sessions, task, (s) => s.log),
    );
    await connection.run(
      "INSERT OR REPLACE INTO sync_days VALUES ($1, CAST($2 AS DATE), $3, $4, CAST($5 AS TIMESTAMP))",
      [
        task.accountId,
        task.day,
        sessions.length,
        task.frozen,
        syncedAt.toISOString().replace("Z", ""),
      ],
    );
    await connection.run("COMMIT");
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function* children<T>(
  sessions: SessionInfo[],
  task: DayTask,
  of: (session: SessionInfo) => T[] | null | undefined,
): Generator<ChildRow<T>> {
  for (const session of sessions) {
    const items = of(session) ?? [];
    for (let position = 0; position < items.length; position++) {
      yield {
        sessionId: session.id ?? "",
        accountId: task.accountId,
        day: task.day,
        position,
        item: items[position]!,
      };
    }
  }
}

/** Every UTC day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}
