import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { SessionQuery, type SessionInfo } from "@evo-sessions/core";
import { exportPartitioned, openStore, syncStore, type SyncOptions } from "../src/store/index.js";
import { acquireLock } from "../src/store/lock.js";
import { cli, clientOf, envOf, NOW, useSandbox, useTempDir, userOf } from "./harness.js";

const sandbox = await useSandbox({ sessions: 3000 });
const dir = await useTempDir();
const client = clientOf(sandbox);
const accounts = userOf(sandbox).accountIds;
// 40 UTC days up to the sandbox's now: the archive, the boundary and the live window.
const window = { from: "2026-10-12", to: "2026-11-20" };
const base = (store: string): SyncOptions => ({ store, ...window, now: NOW, lockTimeoutMs: 0 });

async function count(store: string, sql: string): Promise<number> {
  const s = await openStore(store);
  try {
    return Number((await s.query(sql)).rows[0]?.n);
  } finally {
    s.close();
  }
}

/** What the scanner counts for the same filters (UTC days, as the store keeps them). */
async function scanned(filter: (q: SessionQuery) => SessionQuery): Promise<number> {
  let total = 0;
  for (const archive of [false, true]) {
    const q = filter(
      SessionQuery.create()
        .localDays(window.from, window.to, { timeZone: "UTC" })
        .archive(archive)
        .oldest(),
    );
    total += (await client.scan(q, { cap: 1_000_000, pageSize: 1000 }).collect()).matched;
  }
  return total;
}

describe("sync", () => {
  const store = join(dir, "twice.duckdb");

  it("copies every session once, with members and logs, and twice changes nothing", async () => {
    const first = await syncStore(client, base(store));
    expect(first.interrupted).toBe(false);
    expect(first.daysRead).toBe(accounts.length * 40);
    const expected = await scanned((q) => q);
    expect(first.storeSessions).toBe(expected);
    const second = await syncStore(client, base(store));
    // Archived days are frozen: the second run reads only the live window and its boundary.
    expect(second.daysFrozen).toBeGreaterThan(0);
    expect(second.daysRead).toBeLessThan(first.daysRead);
    expect(second.storeSessions).toBe(expected);
    expect(await count(store, "SELECT count(*) - count(DISTINCT id) AS n FROM sessions")).toBe(0);
    const logs = sandbox.data.sessions
      .filter((s) => accounts.includes(s.accountId ?? "") && (s.dateCreated ?? "") >= window.from)
      .reduce((n, s) => n + (s.log?.length ?? 0), 0);
    expect(await count(store, "SELECT count(*) AS n FROM log_entries")).toBe(logs);
    expect(await count(store, "SELECT count(*) AS n FROM members")).toBeGreaterThan(expected);
  });

  it.each([
    ["missed", "was_missed", (q: SessionQuery) => q.missed()],
    ["incoming", "direction = 'Incoming'", (q: SessionQuery) => q.direction("Incoming")],
    ["chat", "channel = 'Chat'", (q: SessionQuery) => q.channel("Chat")],
    ["one account", `account_id = '${accounts[1]}'`, (q: SessionQuery) => q.accounts(accounts[1]!)],
    [
      "voicemail outcome",
      "lower(outcome) = 'voicemail'",
      (q: SessionQuery) => q.outcomes("Voicemail"),
    ],
  ])("SQL counts %s as the scanner does", async (_name, where, filter) => {
    expect(await count(store, `SELECT count(*) AS n FROM sessions WHERE ${where}`)).toBe(
      await scanned(filter),
    );
  });

  it("classifies at sync time with core's classification", async () => {
    const s = await openStore(store);
    try {
      const { rows } = await s.query(
        "SELECT class, count(*) AS n FROM session_classes GROUP BY 1 ORDER BY 1",
      );
      expect(rows.map((r) => r.class)).toEqual(
        expect.arrayContaining(["inbound-answered", "inbound-missed", "outbound"]),
      );
      const offered = await s.query(
        "SELECT count(*) FILTER (offered) AS o, count(*) FILTER (answered) + count(*) FILTER (missed) AS am FROM session_classes",
      );
      expect(offered.rows[0]!.o).toBe(offered.rows[0]!.am);
    } finally {
      s.close();
    }
  });

  it("resumes an interrupted sync and ends as a full one", async () => {
    const path = join(dir, "resumed.duckdb");
    const controller = new AbortController();
    const first = await syncStore(client, {
      ...base(path),
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.daysDone >= 10) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.daysRead).toBeLessThan(accounts.length * 40);
    const second = await syncStore(client, base(path));
    expect(second.interrupted).toBe(false);
    expect(second.storeSessions).toBe(await scanned((q) => q));
    expect(await count(path, "SELECT count(*) - count(DISTINCT id) AS n FROM sessions")).toBe(0);
  });

  it("lets one sync at a time write a store: a second refuses, or waits for the first", async () => {
    const path = join(dir, "locked.duckdb");
    const both = await Promise.allSettled([
      syncStore(client, base(path)),
      syncStore(client, base(path)),
    ]);
    const refused = both.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: "store_locked" });
    const waited = await Promise.all([
      syncStore(client, { ...base(path), lockTimeoutMs: 600_000 }),
      syncStore(client, { ...base(path), lockTimeoutMs: 600_000 }),
    ]);
    expect(waited[0].storeSessions).toBe(waited[1].storeSessions);
    expect(await count(path, "SELECT count(*) - count(DISTINCT id) AS n FROM sessions")).toBe(0);
  });

  it("the CLI names the holder of the lock, exit 4", async () => {
    const path = join(dir, "cli-locked.duckdb");
    const release = await acquireLock(path, { timeoutMs: 0 });
    try {
      const { code, stderr } = await cli(["sync", "--store", path, "--days", "2", "--wait", "0"], {
        env: envOf(sandbox),
      });
      expect(code).toBe(4);
      expect(stderr).toMatch(/is being synced by process \d+/);
    } finally {
      await release();
    }
  });
});

const live = await useSandbox({ sessions: 500, live: true, liveClock: "manual", liveCalls: 2 });

describe("the live window", () => {
  it("updates a session that changed since the last sync", async () => {
    const liveClient = clientOf(live);
    const path = join(dir, "live.duckdb");
    const options = {
      store: path,
      from: "2026-11-19",
      to: "2026-11-20",
      now: NOW,
      lockTimeoutMs: 0,
    };
    await syncStore(liveClient, options);
    const newest = async (): Promise<SessionInfo> =>
      (await liveClient.scan(SessionQuery.create().newest(), { limit: 1 }).collect()).matches[0]!
        .session;
    const before = await newest();
    const stateOf = async (id: string) => {
      const s = await openStore(path);
      try {
        return (await s.query(`SELECT call_state FROM sessions WHERE id = '${id}'`)).rows[0]
          ?.call_state;
      } finally {
        s.close();
      }
    };
    expect(await stateOf(before.id!)).toBe(before.callState);
    live.live!.step(2);
    const after = await liveClient.getSession(before.id!);
    expect(after.callState).not.toBe(before.callState);
    await syncStore(liveClient, options);
    expect(await stateOf(before.id!)).toBe(after.callState);
  });
});

describe("openStore", () => {
  const store = join(dir, "twice.duckdb");

  it("refuses anything but one read, naming why", async () => {
    const s = await openStore(store);
    try {
      for (const sql of [
        "DELETE FROM sessions",
        "CREATE TABLE x (a INT)",
        "SELECT 1; SELECT 2",
        "COPY sessions TO '/tmp/x.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH '/tmp/other.duckdb'",
      ]) {
        await expect(s.query(sql)).rejects.toMatchObject({ code: "sql_refused" });
      }
      await expect(s.query("SELECT nope FROM sessions")).rejects.toMatchObject({
        code: "sql_failed",
      });
    } finally {
      s.close();
    }
  });

  it("bounds rows, stops a query when cancelled, and reports coverage", async () => {
    const s = await openStore(store);
    try {
      const some = await s.query("SELECT id FROM sessions", { maxRows: 5 });
      expect(some.rows).toHaveLength(5);
      expect(some.truncated).toBe(true);
      const controller = new AbortController();
      const slow = s.query("SELECT count(*) FROM range(10000000000) a, range(100) b", {
        signal: controller.signal,
        timeoutMs: 600_000,
      });
      controller.abort();
      await expect(slow).rejects.toMatchObject({
        code: "sql_failed",
        message: expect.stringContaining("cancelled"),
      });
      const covered = await s.coverage({ ...window, accountIds: accounts });
      expect(covered).toMatchObject({ covered: true, missing: [], days: 40 });
      const wider = await s.coverage({
        from: "2026-10-01",
        to: "2026-11-20",
        accountIds: accounts,
      });
      expect(wider.covered).toBe(false);
      expect(wider.missing).toHaveLength(accounts.length * 11);
    } finally {
      s.close();
    }
  });

  it("sql prints a table, CSV or JSON; a write exits 2", async () => {
    const env = envOf(sandbox);
    const table = await cli(
      [
        "sql",
        "--store",
        store,
        "--table",
        "SELECT channel, count(*) AS n FROM sessions GROUP BY 1 ORDER BY 1",
      ],
      { env },
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^channel\s+n/);
    const json = await cli(["sql", "--store", store, "SELECT count(*) AS n FROM sessions"], {
      env,
    });
    expect(JSON.parse(json.stdout)).toEqual({ n: expect.any(Number) });
    const write = await cli(["sql", "--store", store, "DROP TABLE sessions"], { env });
    expect(write.code).toBe(2);
    expect(write.stderr).toContain("Only reads");
    const missing = await cli(["sql", "--store", join(dir, "none.duckdb"), "SELECT 1"], { env });
    expect(missing.code).toBe(1);
  });

  it("writes the store as Hive-partitioned Parquet that DuckDB reads back whole", async () => {
    const out = join(dir, "lake");
    const summary = await exportPartitioned(store, out);
    const sessions = summary.tables.find((t) => t.table === "sessions")!;
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const read = await connection.runAndReadAll(
      `SELECT count(*) AS n, count(DISTINCT account) AS accounts, count(DISTINCT day) AS days FROM read_parquet('${sessions.path}/*/*/*.parquet', hive_partitioning = true)`,
    );
    const row = read.getRowObjectsJson()[0]!;
    expect(Number(row.n)).toBe(await count(store, "SELECT count(*) AS n FROM sessions"));
    expect(Number(row.accounts)).toBe(accounts.length);
    expect(Number(row.days)).toBe(40);
    connection.closeSync();
    instance.closeSync();
  });
});
