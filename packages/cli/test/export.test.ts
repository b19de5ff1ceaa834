import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import {
  flattenSession,
  resolveExportColumns,
  sessionRecord,
  SessionQuery,
  textCells,
  type ExportValue,
} from "@evo-sessions/core";
import { exportSessions } from "../src/export/run-export.js";
import { checkpointPath } from "../src/export/checkpoint.js";
import type { ExportFormat } from "../src/export/sinks.js";
import { cli, clientOf, envOf, liveSessionsOf, NOW, useSandbox, useTempDir } from "./harness.js";

const sandbox = await useSandbox({ sessions: 4000 });
const dir = await useTempDir();
const env = envOf(sandbox);
const expected = liveSessionsOf(sandbox);
const all = resolveExportColumns("all");
const defaults = resolveExportColumns();

async function readBack(format: ExportFormat, path: string): Promise<unknown[]> {
  if (format === "csv")
    return parse(await readFile(path), { relax_column_count: false }) as string[][];
  if (format === "jsonl") {
    return (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as unknown);
  }
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]),
    ),
  );
}

/** What each format must hold for the sandbox's sessions. */
function expectedOf(format: ExportFormat): unknown[] {
  if (format === "csv") {
    return [
      defaults.map((c) => c.name),
      ...expected.map((s) =>
        textCells(flattenSession(s, { timeZone: "UTC", columns: defaults, now: NOW }), defaults),
      ),
    ];
  }
  if (format === "jsonl")
    return expected.map((s) => JSON.parse(JSON.stringify(sessionRecord(s))) as unknown);
  return expected.map(
    (s) =>
      flattenSession(s, { timeZone: "UTC", columns: all, now: NOW }) as Record<string, ExportValue>,
  );
}

describe.each(["csv", "jsonl", "parquet"] as const)("export %s", (format) => {
  it("parses back to what the sandbox holds", async () => {
    const path = join(dir, `all.${format}`);
    const { code, stderr } = await cli(["export", "-o", path], { env });
    expect(code).toBe(0);
    expect(stderr).toMatch(
      new RegExp(`wrote ${expected.length.toLocaleString("en-US")} sessions .*${format}`),
    );
    expect(await readBack(format, path)).toEqual(expectedOf(format));
    await expect(stat(checkpointPath(path))).rejects.toThrow();
  });

  it("resumes after an interruption and ends equal, without repeats", async () => {
    const path = join(dir, `resumed.${format}`);
    const client = clientOf(sandbox);
    const query = SessionQuery.create();
    const controller = new AbortController();
    const options = {
      format,
      output: path,
      columns: format === "parquet" ? all : defaults,
      timeZone: "UTC",
      includeLog: false,
      now: NOW,
      pageSize: 100,
      concurrency: 1,
    };
    const first = await exportSessions(client, query, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 100) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.rows).toBeGreaterThanOrEqual(100);
    expect(first.rows).toBeLessThan(expected.length);
    // What was read is in the file already, readable as it is.
    expect((await readBack(format, path)).length).toBe(first.rows + (format === "csv" ? 1 : 0));
    const second = await exportSessions(client, query, options);
    expect(second).toMatchObject({ resumed: true, complete: true, rows: expected.length });
    expect(second.rowsThisRun).toBe(expected.length - first.rows);
    expect(await readBack(format, path)).toEqual(expectedOf(format));
  });
});

describe("export options", () => {
  it("keeps logs in JSONL on request, and chosen CSV columns", async () => {
    const jsonl = join(dir, "logs.jsonl");
    expect(
      (
        await cli(
          ["export", "--logs", "--start", "2026-11-19", "--end", "2026-11-19", "-o", jsonl],
          { env },
        )
      ).code,
    ).toBe(0);
    const lines = (await readFile(jsonl, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { log?: unknown[] });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => (l.log?.length ?? 0) > 0)).toBe(true);
    const csv = join(dir, "cols.csv");
    expect(
      (await cli(["export", "--columns", "id,talkSeconds,class", "-o", csv], { env })).code,
    ).toBe(0);
    expect((await readFile(csv, "utf8")).split("\r\n")[0]).toBe("id,talkSeconds,class");
  });

  it("refuses a checkpoint of other filters unless --restart; Ctrl-C exits 130 and keeps it", async () => {
    const path = join(dir, "conflict.csv");
    const controller = new AbortController();
    controller.abort();
    const stopped = await cli(["export", "--missed", "-o", path], {
      env,
      signal: controller.signal,
    });
    expect(stopped.code).toBe(130);
    await expect(stat(checkpointPath(path))).resolves.toBeDefined();
    const other = await cli(["export", "--channel", "fax", "-o", path], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--restart");
    const restarted = await cli(["export", "--channel", "fax", "--restart", "-o", path], { env });
    expect(restarted.code).toBe(0);
  });
});
