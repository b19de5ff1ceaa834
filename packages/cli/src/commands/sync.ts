import { addDays, zonedText } from "@evo-sessions/core";
import { intOf, listOf, stringOf, type ParsedArgs } from "../args.js";
import type { Command, CommandContext } from "../command.js";
import { CliError, EXIT_CODES, usageError } from "../errors.js";
import { notice } from "../io.js";
import { startProgress } from "../progress.js";
import { DEFAULT_LIVE_DAYS, syncStore } from "../store/sync.js";

export const DEFAULT_STORE = "evo-sessions.duckdb";

export const STORE_OPTION = {
  store: {
    type: "string",
    short: "s",
    value: "FILE",
    description: `the DuckDB store (default ./${DEFAULT_STORE})`,
  },
} as const;

export const syncCommand: Command = {
  name: "sync",
  summary: "copy sessions with members and logs into a local DuckDB store, incrementally",
  usage:
    "evo-sessions sync [--store FILE] [--account ID…] [--days N | --start DAY --end DAY] [--wait SECONDS]",
  options: {
    ...STORE_OPTION,
    account: {
      type: "string",
      short: "a",
      multiple: true,
      value: "ID",
      description: "account IDs (default EVO_VOICE_ACCOUNT_IDS, else every account reachable)",
    },
    days: {
      type: "string",
      short: "d",
      value: "N",
      description: "the last N UTC days up to today (default 30)",
    },
    start: {
      type: "string",
      value: "DAY",
      description: "first UTC day, YYYY-MM-DD (instead of --days)",
    },
    end: { type: "string", value: "DAY", description: "last UTC day (default today)" },
    "live-days": {
      type: "string",
      value: "N",
      description: `days that are re-read every run because sessions still change (default ${DEFAULT_LIVE_DAYS})`,
    },
    wait: {
      type: "string",
      value: "SECONDS",
      description:
        "how long to wait for another sync of the same store (default 30; 0 refuses at once)",
    },
    concurrency: { type: "string", value: "N", description: "days fetched at once (default 4)" },
  },
  details: `Each (account, UTC day) is replaced whole in one transaction: running twice never duplicates, and
an interrupted sync resumes (days done stay done). Days older than the live window are read from the
archive once and frozen; the live window is read again on every run. A lock file STORE.lock keeps a
second sync of the same store waiting (--wait) or refusing with who holds it.

Tables: sessions, members, log_entries, sync_days; view session_classes (core's classification).
See packages/cli/README.md for every column. Query with: evo-sessions sql "…".`,
  run: runSync,
};

async function runSync({ values }: ParsedArgs, ctx: CommandContext): Promise<number> {
  const store = stringOf(values, "store") ?? DEFAULT_STORE;
  const { from, to } = daysOf(values, ctx.now());
  const { client } = await ctx.backend();
  const progress = startProgress(ctx.io.stderr, "account-days");
  const summary = await syncStore(client, {
    store,
    accountIds:
      listOf(values, "account") ??
      (ctx.env.defaultAccountIds.length > 0 ? ctx.env.defaultAccountIds : undefined),
    from,
    to,
    now: ctx.now(),
    liveDays: intOf(values, "live-days", { min: 1, max: 365, fallback: DEFAULT_LIVE_DAYS }),
    concurrency: intOf(values, "concurrency", { min: 1, max: 16, fallback: 4 }),
    lockTimeoutMs: intOf(values, "wait", { min: 0, max: 86_400, fallback: 30 }) * 1000,
    signal: ctx.io.signal,
    onProgress: (p) => progress.update(p.daysDone, p.days),
    onNotice: (text) => notice(ctx.io, text),
  }).finally(() => progress.stop());
  const secs = (summary.elapsedMs / 1000).toFixed(1);
  notice(
    ctx.io,
    `${summary.interrupted ? "interrupted: " : ""}synced ${from}…${to} for ${summary.accounts.length} account(s): ${summary.daysRead} account-days read, ${summary.daysFrozen} frozen and skipped, ${summary.sessions} sessions written in ${secs} s; ${store} holds ${summary.storeSessions} sessions`,
  );
  if (summary.interrupted)
    throw new CliError(
      "interrupted",
      "the days done are kept; run the same command again to finish.",
    );
  return EXIT_CODES.ok;
}

function daysOf(values: ParsedArgs["values"], now: Date): { from: string; to: string } {
  const today = zonedText(now, "UTC").day;
  const day = (name: string): string | undefined => {
    const text = stringOf(values, name);
    if (text !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(text))
      throw usageError(
        `--${name}`,
        `must be a day written YYYY-MM-DD (got ${JSON.stringify(text)})`,
      );
    return text;
  };
  const start = day("start");
  const end = day("end") ?? today;
  if (start !== undefined && values.days !== undefined)
    throw usageError("--days", "cannot be combined with --start");
  const from =
    start ?? addDays(end, -(intOf(values, "days", { min: 1, max: 3660, fallback: 30 }) - 1));
  if (from > end) throw usageError("--start", `must not be after --end (${end})`);
  return { from, to: end };
}
