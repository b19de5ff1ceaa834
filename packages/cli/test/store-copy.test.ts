import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  analyzeSessions,
  createEvoVoiceClient,
  parseEvoDate,
  preferCopy,
  SessionQuery,
  type SessionInfo,
  type SourceChoice,
} from "@evo-sessions/core";
import { DuckDBInstance } from "@duckdb/node-api";
import { readPlan } from "../src/store/copy-plan.js";
import { StoreReader } from "../src/store/copy-reader.js";
import { openStore, syncStore, type Store } from "../src/store/index.js";
import { cli, envOf, NOW, useSandbox, useTempDir, userOf } from "./harness.js";

const sandbox = await useSandbox({ sessions: 3000 });
const dir = await useTempDir();
const user = userOf(sandbox);
let requests = 0;
const client = createEvoVoiceClient({
  baseUrl: sandbox.url,
  auth: { type: "credentials", userName: user.userName, password: user.password },
  hooks: { onRequest: () => void requests++ },
});
const accounts = user.accountIds;
const refs = (await client.authStatus()).accounts;
const window = { from: "2026-10-12", to: "2026-11-20" };
const path = join(dir, "copy.duckdb");
await syncStore(client, { store: path, ...window, now: NOW, lockTimeoutMs: 0 });
const fresh = { now: () => NOW };

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(path);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

const DATE_FIELDS = new Set(["dateCreated", "dateLastModified", "dateCompleted", "date"]);
/** A session as facts see it: no empty values, every date as an ISO instant, lists present. */
function normal(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => normal(item));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined || v === "") continue;
      out[k] = normal(v, k);
    }
    if (key === "") for (const list of ["members", "log"]) out[list] ??= [];
    return out;
  }
  if (DATE_FIELDS.has(key) && typeof value === "string")
    return parseEvoDate(value)?.toISOString() ?? value;
  return value;
}

const weekQuery = (archive = false) =>
  SessionQuery.create()
    .accounts(...accounts)
    .localDays("2026-11-09", "2026-11-20", { timeZone: "UTC" })
    .archive(archive)
    .oldest();

describe("the store as a session source", () => {
  it("hands back every session as Evo Voice listed it, members and log included", async () => {
    for (const archive of [false, true]) {
      const query = SessionQuery.create()
        .accounts(...accounts)
        .localDays(window.from, window.to, { timeZone: "UTC" })
        .archive(archive)
        .oldest();
      const fromServer = await client.scan(query, { cap: 100_000, pageSize: 1000 }).collect();
      const fromStore = await withStore((store) =>
        store.copy(fresh).scan(query, { cap: 100_000 }).collect(),
      );
      expect(fromStore.matched).toBe(fromServer.matched);
      expect(fromServer.matched).toBeGreaterThan(100);
      expect(fromStore.matches.map((m) => normal(m.session))).toEqual(
        fromServer.matches.map((m) => normal(m.session)),
      );
    }
  });

  it("pages newest first, in order and out of order, as Evo Voice does", async () => {
    const newest = SessionQuery.create()
      .accounts(...accounts)
      .localDays(window.from, window.to, { timeZone: "UTC" })
      .archive(true)
      .newest();
    const plan = readPlan(newest);
    if (!plan.ok) throw new Error(plan.reason);
    const server = await client.scan(newest, { cap: 100_000, pageSize: 1000 }).collect();
    const expected = server.matches.map((m) => m.session.id);
    expect(expected.length).toBeGreaterThan(500);
    const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
    // Segments of about 100 sessions: pages of 50 cross them, and restarts land inside them.
    const reader = new StoreReader(instance, plan.plan, 100);
    try {
      const page = async (n: number) => reader.page(newest.page(n).perPage(50));
      const inOrder: unknown[] = [];
      for (let n = 0; n * 50 < expected.length; n++)
        inOrder.push(...(await page(n)).items.map((s) => s.id));
      expect(inOrder).toEqual(expected);
      // Out of order (as an anchor search asks): the stream restarts inside another day.
      for (const n of [7, 2, 7, 3]) {
        const { items, totalCount } = await page(n);
        expect(items.map((s) => s.id)).toEqual(expected.slice(n * 50, n * 50 + 50));
        expect(totalCount).toBe(expected.length);
      }
      expect((await page(1000)).items).toEqual([]);
    } finally {
      reader.close();
      instance.closeSync();
    }
  });

  it("gives analytics Evo Voice's numbers without a request when it covers the window", async () => {
    const query = weekQuery();
    const options = {
      accounts: refs,
      timeZone: "UTC",
      now: NOW,
      groupBy: ["account" as const, "hour" as const],
      callbacks: true,
      compare: true,
    };
    const fromServer = await analyzeSessions(client, query, options);
    const choices: SourceChoice[] = [];
    const before = requests;
    const fromStore = await withStore((store) =>
      analyzeSessions(client, query, {
        ...options,
        source: preferCopy(store.copy(fresh), client, (c) => choices.push(c)),
      }),
    );
    expect(requests - before).toBe(0);
    expect(choices.every((c) => c.source === "copy")).toBe(true);
    expect(fromStore.totals).toEqual(fromServer.totals);
    expect(fromStore.groups).toEqual(fromServer.groups);
    expect(fromStore.callbacks).toEqual(fromServer.callbacks);
    expect(fromStore.previous?.totals).toEqual(fromServer.previous?.totals);
  });

  it("says what it lacks: days never synced, stale days, filters it cannot apply", async () => {
    await withStore(async (store) => {
      const copy = store.copy(fresh);
      const before = await copy.covers(
        weekQuery().localDays("2026-10-01", "2026-10-20", { timeZone: "UTC" }),
      );
      expect(before).toMatchObject({ covered: false });
      expect(before.covered === false && before.reason).toMatch(
        /lacks \d+ of \d+ account-days .*evo-sessions sync --store .* --start 2026-10-01 --end 2026-10-20/,
      );
      const later = store.copy({ now: () => new Date(NOW.getTime() + 3 * 3_600_000) });
      const stale = await later.covers(weekQuery());
      expect(stale.covered === false && stale.reason).toMatch(
        /\d+ account-days that still change were last synced 3 h ago, longer than the 60 min allowed; run: evo-sessions sync/,
      );
      const text = await copy.covers(weekQuery().from("555"));
      expect(text.covered === false && text.reason).toMatch(/filters on from/);
      expect(() => copy.scan(weekQuery().from("555"))).toThrow(
        expect.objectContaining({ code: "store_uncovered" }),
      );
      expect(await copy.covers(weekQuery())).toMatchObject({
        covered: true,
        syncedTo: NOW.toISOString(),
      });
      // A local day reaching into a UTC day that has not begun: nothing can be missing there.
      const tomorrow = weekQuery().localDays("2026-11-14", "2026-11-20", {
        timeZone: "America/Los_Angeles",
      });
      expect(tomorrow.params.endDate).toBe("2026-11-21");
      expect(await copy.covers(tomorrow)).toMatchObject({ covered: true });
    });
  });

  it("applies customerIds and endpointIds only where their possible meanings agree", async () => {
    const inWeek = (s: SessionInfo) => (s.dateCreated ?? "") >= "2026-11-09";
    const sessions = sandbox.data.sessions.filter(
      (s) => accounts.includes(s.accountId ?? "") && inWeek(s),
    );
    const answerer = sessions.find(
      (s) => s.answeredById != null && s.answeredById !== s.endpointId,
    )?.answeredById;
    const leaf = sessions.find(
      (s) =>
        s.customerId != null &&
        !sandbox.data.sessions.some((o) =>
          (o.customerBreadcrumb ?? []).some((b) => b.id === s.customerId && o.customerId !== b.id),
        ),
    )?.customerId;
    expect(answerer).toBeDefined();
    expect(leaf).toBeDefined();
    await withStore(async (store) => {
      const copy = store.copy(fresh);
      const byEndpoint = await copy.covers(weekQuery().endpoints(answerer!));
      expect(byEndpoint.covered === false && byEndpoint.reason).toMatch(/only as the answerer/);
      const byCustomer = weekQuery().customers(leaf!);
      expect(await copy.covers(byCustomer)).toMatchObject({ covered: true });
      const local = await copy.scan(byCustomer, { cap: 100_000 }).collect();
      const remote = await client.scan(byCustomer, { cap: 100_000 }).collect();
      expect(local.matches.map((m) => m.session.id)).toEqual(
        remote.matches.map((m) => m.session.id),
      );
    });
  });

  it("belongs to one server: another's sync is refused, and it covers nothing for another", async () => {
    const production = createEvoVoiceClient({
      baseUrl: "https://evovoice.io",
      auth: { type: "credentials", userName: "ann", password: "never sent" },
    });
    await expect(
      syncStore(production, { store: path, ...window, accountIds: ["acc"], lockTimeoutMs: 0 }),
    ).rejects.toThrow(
      /holds sessions of http:\/\/localhost \(a local sandbox\), not of https:\/\/evovoice\.io: sync each server into its own store/,
    );
    await withStore(async (store) => {
      const other = store.copy({ ...fresh, origin: "https://evovoice.io" });
      const verdict = await other.covers(weekQuery());
      expect(verdict.covered === false && verdict.reason).toMatch(/not of https:\/\/evovoice\.io/);
      const same = store.copy({ ...fresh, origin: "http://127.0.0.1:9" });
      expect(await same.covers(weekQuery())).toMatchObject({ covered: true });
    });
  });

  it("refuses a store of another schema with what to do", async () => {
    const old = join(dir, "old.duckdb");
    const instance = await DuckDBInstance.create(old);
    const connection = await instance.connect();
    await connection.run("CREATE TABLE store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
    await connection.run("INSERT INTO store_meta VALUES ('schema_version', '1')");
    connection.closeSync();
    instance.closeSync();
    await expect(openStore(old)).rejects.toThrow(
      /store of schema 1, this version reads 2: sync into a new file/,
    );
  });
});

describe("evo-sessions stats --store", () => {
  const env = envOf(sandbox);
  const args = ["stats", "--start", "2026-11-10", "--end", "2026-11-16", "--by", "account,day"];

  it("gives Evo Voice's numbers from the store, and says so on stderr", async () => {
    const remote = await cli([...args, "--compare", "--json"], { env });
    const local = await cli([...args, "--compare", "--json", "--store", path], { env });
    expect(local.code).toBe(0);
    expect(local.stderr).toMatch(
      /read from the store .*copy\.duckdb \(8 of 8 scans\), not from Evo Voice/,
    );
    // The same report; with a store each account is read on its own (8 scans, not 2).
    const { source, ...numbers } = JSON.parse(local.stdout) as Record<string, unknown>;
    expect(source).toMatchObject({ fromStore: 8, fromEvoVoice: 0 });
    expect(numbers).toEqual(JSON.parse(remote.stdout));
  });

  it("reads Evo Voice for what the store lacks, and says why", async () => {
    const older = ["stats", "--start", "2026-10-01", "--end", "2026-10-05", "--archive"];
    const run = await cli([...older, "--table", "--store", path], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/read from Evo Voice: the store lacks \d+ of \d+ account-days/);
    expect(run.stdout).toContain("answer rate");
    const bad = await cli([...args, "--store", path, "--max-age", "0"], { env });
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toMatch(/--max-age/);
  });
});

describe("sync beside a reader", () => {
  it("waits while another process has the store open, then syncs", async () => {
    const { spawn } = await import("node:child_process");
    const reader = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { DuckDBInstance } from "@duckdb/node-api";
         const db = await DuckDBInstance.create(${JSON.stringify(path)}, { access_mode: "READ_ONLY" });
         process.stdout.write("open\\n");
         process.stdin.on("end", () => { db.closeSync(); process.exit(0); });
         process.stdin.resume();`,
      ],
      { cwd: import.meta.dirname, stdio: ["pipe", "pipe", "inherit"] },
    );
    await new Promise((resolve) => reader.stdout.once("data", resolve));
    const notices: string[] = [];
    const closed = new Promise((resolve) => reader.once("exit", resolve));
    const summary = await syncStore(client, {
      store: path,
      ...window,
      now: NOW,
      lockTimeoutMs: 60_000,
      onNotice: (text) => {
        notices.push(text);
        reader.stdin.end();
      },
    });
    await closed;
    expect(notices).toEqual([expect.stringMatching(/waiting for another process reading/)]);
    expect(summary.interrupted).toBe(false);
    expect(summary.daysRead).toBeGreaterThan(0);
  });
});
