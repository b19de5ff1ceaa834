import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { appendFile, readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
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
import {
  checkpointPath,
  readCheckpoint,
  rowGroupLogPath,
  type ExportCheckpoint,
} from "../src/export/checkpoint.js";
import { checkResume, openSink, type ExportFormat } from "../src/export/sinks.js";
import type { KillChildArgs } from "./export-kill-child.js";
import {
  cli,
  clientOf,
  envOf,
  liveSessionsOf,
  NOW,
  userOf,
  useSandbox,
  useTempDir,
} from "./harness.js";

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

/** Options of an in-process export of everything, 100 sessions a batch. */
function exportOptions(format: ExportFormat, output: string) {
  return {
    format,
    output,
    columns: format === "parquet" ? all : defaults,
    timeZone: "UTC",
    includeLog: false,
    now: NOW,
    pageSize: 100,
    concurrency: 1,
  };
}

/**
 * Runs a Parquet export in a child process that SIGKILLs itself once the checkpoint counts
 * `killAt` rows (right after that checkpoint is written: no race), and returns the checkpoint.
 */
async function killedExport(output: string, killAt: number): Promise<ExportCheckpoint> {
  const user = userOf(sandbox);
  const args: KillChildArgs = {
    url: sandbox.url,
    userName: user.userName,
    password: user.password,
    output,
    killAt,
    pageSize: 100,
    now: NOW.toISOString(),
  };
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/export-kill-child.ts", JSON.stringify(args)],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  expect({ code, signal, stderr }).toEqual({ code: null, signal: "SIGKILL", stderr: "" });
  const checkpoint = await readCheckpoint(output);
  if (checkpoint === undefined) throw new Error(`no checkpoint beside ${output}`);
  return checkpoint;
}

describe("export parquet after SIGKILL", () => {
  it("continues the file the kill left, ending byte for byte as an export never stopped", async () => {
    expect(expected.length).toBeGreaterThan(500);
    const path = join(dir, "killed.parquet");
    const checkpoint = await killedExport(path, 300);
    expect(checkpoint).toMatchObject({ rows: 300, parquet: { rowGroups: 3 } });
    // Killed hard: no footer, so the file does not parse as it is; it ends where the
    // checkpoint says, and the checkpoint stays small (the row groups are in their log).
    await expect(parquetMetadataAsync(await asyncBufferFromFile(path))).rejects.toThrow();
    expect((await stat(path)).size).toBe(checkpoint.bytes);
    expect((await stat(checkpointPath(path))).size).toBeLessThan(1500);
    const straight = join(dir, "straight.parquet");
    await exportSessions(
      clientOf(sandbox),
      SessionQuery.create(),
      exportOptions("parquet", straight),
    );
    // A kill in the middle of a row group leaves bytes past the checkpoint in the file and the
    // log; more of them here than the rest of the export writes, so they must be cut off.
    const straightBytes = await readFile(straight);
    await appendFile(path, randomBytes(straightBytes.length));
    await appendFile(rowGroupLogPath(path), `${"x".repeat(200_000)}\nhalf a line`);
    const notices: string[] = [];
    const resumed = await exportSessions(clientOf(sandbox), SessionQuery.create(), {
      ...exportOptions("parquet", path),
      onNotice: (text) => notices.push(text),
    });
    expect(notices).toEqual([`resuming ${path}: 300 sessions already written`]);
    expect(resumed).toMatchObject({ resumed: true, complete: true, rows: expected.length });
    expect(resumed.rowsThisRun).toBe(expected.length - 300);
    // Every session once, in order, and the very bytes of an export that was never stopped.
    const rows = (await readBack("parquet", path)) as { id: string }[];
    expect(new Set(rows.map((r) => r.id)).size).toBe(expected.length);
    expect(rows).toEqual(expectedOf("parquet"));
    expect((await readFile(path)).equals(straightBytes)).toBe(true);
    await expect(stat(checkpointPath(path))).rejects.toThrow();
    await expect(stat(rowGroupLogPath(path))).rejects.toThrow();
  });

  it("hands back the page indexes of row groups written before it (chunks of many pages)", async () => {
    // Ids of 4 kB: 300 rows are more than a 1 MB page, so each id chunk has an offset index.
    const batches = [1, 2, 3].map((n) =>
      expected.slice(0, 300).map((s) => ({ ...s, id: `${s.id}${String(n).repeat(4000)}` })),
    );
    const sinkOptions = (path: string) => ({
      format: "parquet" as const,
      path,
      columns: all,
      timeZone: "UTC",
      includeLog: false,
      now: NOW,
    });
    const straight = join(dir, "pages-straight.parquet");
    const whole = await openSink(sinkOptions(straight));
    for (const batch of batches) await whole.write(batch);
    await whole.close();
    const path = join(dir, "pages-resumed.parquet");
    const first = await openSink(sinkOptions(path));
    for (const batch of batches.slice(0, 2)) await first.write(batch);
    await first.close();
    const checkpoint = { format: "parquet", rows: 600, bytes: first.bytes, parquet: first.parquet };
    const check = await checkResume(path, checkpoint as ExportCheckpoint);
    if (check.problem !== undefined) throw new Error(check.problem);
    const second = await openSink({ ...sinkOptions(path), resume: check.resume });
    await second.write(batches[2]!);
    await second.close();
    expect((await readFile(path)).equals(await readFile(straight))).toBe(true);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(metadata.row_groups.map((g) => g.columns[0]?.offset_index_length ?? 0)).not.toContain(0);
  });

  it("starts over, saying why, when the row-group log is shorter than the checkpoint says", async () => {
    const path = join(dir, "lost-log.parquet");
    const checkpoint = await killedExport(path, 200);
    await truncate(rowGroupLogPath(path), (checkpoint.parquet?.logBytes ?? 0) - 1);
    const notices: string[] = [];
    const again = await exportSessions(clientOf(sandbox), SessionQuery.create(), {
      ...exportOptions("parquet", path),
      onNotice: (text) => notices.push(text),
    });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /cannot be continued \(its row-group log \S+ is \d+ bytes, shorter than the \d+ its/,
    );
    expect(notices[0]).toContain("starting it over");
    expect(again).toMatchObject({ resumed: false, complete: true, rowsThisRun: expected.length });
    expect(await readBack("parquet", path)).toEqual(expectedOf("parquet"));
  });
});

describe.each(["csv", "jsonl", "parquet"] as const)("export %s, damaged", (format) => {
  it("starts over, saying why, when the file is shorter than its checkpoint says", async () => {
    const path = join(dir, `short.${format}`);
    const controller = new AbortController();
    const first = await exportSessions(clientOf(sandbox), SessionQuery.create(), {
      ...exportOptions(format, path),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 200) controller.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    const checkpoint = await readCheckpoint(path);
    await truncate(path, (checkpoint?.bytes ?? 0) - 10);
    const notices: string[] = [];
    const again = await exportSessions(clientOf(sandbox), SessionQuery.create(), {
      ...exportOptions(format, path),
      onNotice: (text) => notices.push(text),
    });
    expect(notices).toEqual([
      `${path} cannot be continued (it is ${(checkpoint?.bytes ?? 0) - 10} bytes, shorter than the ${checkpoint?.bytes} its checkpoint says were written): starting it over.`,
    ]);
    expect(again).toMatchObject({ resumed: false, complete: true, rowsThisRun: expected.length });
    expect(await readBack(format, path)).toEqual(expectedOf(format));
    await expect(stat(checkpointPath(path))).rejects.toThrow();
  });
});
