import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncStore } from "@evo-sessions/cli/store";
import { SessionQuery } from "@evo-sessions/core";
import { withStore } from "../src/store/local-store.js";
import { sqlTimeoutMs } from "../src/tools/query-sql.js";
import { answerChars, call, NOW, startFixture, type Fixture } from "./fixture.js";

// 40 UTC days up to the fixture's now: archive, boundary and live window.
const WINDOW = { from: "2026-01-31", to: "2026-03-11" };

let dir: string;
let store: string;
let f: Fixture;
let plain: Fixture;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "evo-mcp-sql-"));
  store = join(dir, "store.duckdb");
  f = await startFixture({ sandbox: { sessions: 400 }, config: { storePath: store } });
  await syncStore(f.evo, { store, ...WINDOW, now: NOW, lockTimeoutMs: 0 });
  plain = await startFixture({ sandbox: { sessions: 50 } });
});
afterAll(async () => {
  await f.close();
  await plain.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the scanner reads for the window (live and archive), as the store keeps it. */
async function scanned(): Promise<number> {
  let total = 0;
  for (const archive of [false, true]) {
    const query = SessionQuery.create()
      .localDays(WINDOW.from, WINDOW.to, { timeZone: "UTC" })
      .archive(archive)
      .oldest();
    total += (await f.evo.scan(query, { cap: 1_000_000, pageSize: 1000 }).collect()).matched;
  }
  return total;
}

describe("query_sessions_sql", () => {
  it("is listed only with a store, and the default tools/list is unchanged", async () => {
    const withStoreList = (await f.mcp.listTools()).tools;
    const defaults = (await plain.mcp.listTools()).tools;
    expect(withStoreList.map((t) => t.name)).toContain("query_sessions_sql");
    expect(defaults.map((t) => t.name)).not.toContain("query_sessions_sql");
    expect(withStoreList.filter((t) => t.name !== "query_sessions_sql")).toEqual(defaults);
    expect(Buffer.byteLength(JSON.stringify({ tools: defaults }))).toBeLessThanOrEqual(8_192);
    // The seventh tool is paid for only by those who configure a store (764 bytes).
    const added =
      Buffer.byteLength(JSON.stringify({ tools: withStoreList })) -
      Buffer.byteLength(JSON.stringify({ tools: defaults }));
    expect(added).toBeLessThanOrEqual(850);
    const tool = withStoreList.find((t) => t.name === "query_sessions_sql")!;
    expect(tool.description).toMatch(/sessions.*members.*log_entries.*session_classes/);
    expect(tool.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
  });

  it("counts what the scanner reads", async () => {
    const expected = await scanned();
    expect(expected).toBeGreaterThan(0);
    const result = await call(f.mcp, "query_sessions_sql", {
      sql: "select count(*) as n from sessions",
    });
    expect(result.isError).toBeFalsy();
    expect(result.data).toEqual({
      columns: [{ name: "n", type: "BIGINT" }],
      rows: [[expected]],
      truncated: false,
      rowCount: 1,
    });
    expect(result.text).toContain(`${expected}`);
    expect(result.text).toMatch(/1 row in \d+ ms/);
  });

  it("says when maxRows cut the rows", async () => {
    const result = await call(f.mcp, "query_sessions_sql", {
      sql: "select id, class from session_classes order by date_created",
      maxRows: 3,
    });
    expect(result.isError).toBeFalsy();
    expect(result.data.rowCount).toBe(3);
    expect(result.data.truncated).toBe(true);
    expect((result.data.rows as unknown[][]).length).toBe(3);
    expect(result.text).toMatch(/Truncated: 3 rows shown, more matched \(maxRows 3\)/);
  });

  it("fits a large result into the answer budget and says so", async () => {
    const result = await call(f.mcp, "query_sessions_sql", {
      sql: "select * from sessions",
      maxRows: 1000,
    });
    expect(result.isError).toBeFalsy();
    expect(result.data.truncated).toBe(true);
    expect(result.text).toMatch(/Left out: \d+ more rows/);
    expect(answerChars(result)).toBeLessThanOrEqual(4000 * 4);
  });

  it("refuses anything but a read, with the store's reason", async () => {
    for (const sql of [
      "delete from sessions",
      "update sessions set outcome = null",
      "select 1; select 2",
      "copy sessions to '/tmp/x.csv'",
    ]) {
      const result = await call(f.mcp, "query_sessions_sql", { sql });
      expect(result.isError, sql).toBe(true);
      expect(result.text, sql).toMatch(/Refused|read/i);
    }
    const write = await call(f.mcp, "query_sessions_sql", { sql: "delete from sessions" });
    expect(write.text).toMatch(/Only reads are allowed.*DELETE/);
    const after = await call(f.mcp, "query_sessions_sql", {
      sql: "select count(*) n from sessions",
    });
    expect((after.data.rows as number[][])[0]![0]).toBeGreaterThan(0);
  });

  it("names the tables for a bad table name", async () => {
    const result = await call(f.mcp, "query_sessions_sql", { sql: "select * from calls" });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/calls/);
    expect(result.text).toMatch(/The store has: sessions, members, log_entries/);
  });

  it("checks its arguments", async () => {
    const result = await call(f.mcp, "query_sessions_sql", { sql: "select 1", maxRows: 5000 });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/maxRows/);
  });

  it("keeps the query's time limit inside the call's deadline", () => {
    expect(sqlTimeoutMs(45_000)).toBe(30_000);
    expect(sqlTimeoutMs(5000)).toBeLessThan(5000);
    expect(sqlTimeoutMs(1000)).toBeLessThan(1000);
  });

  it("says to install @evo-sessions/cli when it is missing", async () => {
    const missing = Object.assign(new Error("Cannot find package"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    await expect(
      withStore(
        store,
        async () => 1,
        () => Promise.reject(missing),
      ),
    ).rejects.toThrow(/install it \(npm i @evo-sessions\/cli/);
  });
});
