/**
 * A child process for export.test.ts: exports the sandbox's sessions to Parquet and kills
 * itself with SIGKILL (no cleanup, no footer) as soon as the checkpoint counts `killAt` rows.
 *
 *   node --import tsx test/export-kill-child.ts '{"url":…,"userName":…,"password":…,"output":…,"killAt":…,"now":…}'
 */
import { createEvoVoiceClient, resolveExportColumns, SessionQuery } from "@evo-sessions/core";
import { exportSessions } from "../src/export/run-export.js";

export interface KillChildArgs {
  url: string;
  userName: string;
  password: string;
  output: string;
  /** Rows in the checkpoint at which the process kills itself (a multiple of pageSize). */
  killAt: number;
  pageSize: number;
  /** ISO instant the rows are flattened at. */
  now: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as KillChildArgs;
const client = createEvoVoiceClient({
  baseUrl: args.url,
  auth: { type: "credentials", userName: args.userName, password: args.password },
});
await exportSessions(client, SessionQuery.create(), {
  format: "parquet",
  output: args.output,
  columns: resolveExportColumns("all"),
  timeZone: "UTC",
  includeLog: false,
  now: new Date(args.now),
  pageSize: args.pageSize,
  concurrency: 1,
  // Told after each batch's checkpoint is written: the kill lands right after one.
  onProgress: (p) => {
    if (p.rows >= args.killAt) process.kill(process.pid, "SIGKILL");
  },
});
// Reaching here means the export ended before `killAt` rows: the test says so.
process.exit(3);
