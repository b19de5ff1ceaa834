import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { addDays, parseEvoDate, type SessionInfo } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip, TextBudget } from "../format/budget.js";
import { formatWhen, zonedText } from "../format/time.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import {
  AccountRefSchema,
  AppliedFiltersSchema,
  BackendSchema,
  MAX_ACCOUNTS_LISTED,
  READ_ONLY_ANNOTATIONS,
} from "./common-schemas.js";
import type { CursorWindow } from "../cursor.js";
import {
  filterShape,
  filterShapeFor,
  matchesClientFilters,
  pickFilters,
  resolveFilters,
} from "./filters.js";
import { backendNotice, runTool } from "./results.js";
import { SCAN_PAGE_SIZE } from "./scan.js";

/** What `session_stats` can group by. */
export const GROUP_BY = [
  "outcome",
  "direction",
  "channel",
  "missed",
  "endpoint",
  "customer",
  "hour_of_day",
  "day",
] as const;

/** One of {@link GROUP_BY}. */
export type GroupBy = (typeof GROUP_BY)[number];

/** Most rows of a count table; the rest are summed into one "other" row (never for time groupings). */
export const MAX_ROWS = 40;
/** Most day rows; a longer span is counted by week (and past as many weeks, by month). */
export const MAX_TIME_ROWS = 62;

/** Arguments of `session_stats`. */
export const sessionStatsInput = z.strictObject({
  ...filterShape,
  groupBy: z
    .enum(GROUP_BY, { error: `must be one of ${GROUP_BY.join(", ")}` })
    .describe(
      `What to count by: outcome, direction, channel, missed (missed vs not), endpoint (the line/user/queue), customer, hour_of_day (0–23 in the configured zone), day (in the configured zone; spans over ${MAX_TIME_ROWS} days are counted by week, then by month, and the answer says so).`,
    ),
  maxSessions: z
    .number({ error: "must be a whole number of at least 1" })
    .int({ error: "must be a whole number of at least 1" })
    .min(1, { error: "must be at least 1" })
    .optional()
    .describe(
      "Most sessions to read (default and upper bound: the server's configured cap). The answer says when the cap was reached.",
    ),
});

/** Arguments of `session_stats` (the configured zone is named in the date descriptions). */
export function sessionStatsInputFor(timeZone: string) {
  return z.strictObject({ ...sessionStatsInput.shape, ...filterShapeFor(timeZone) });
}

/** Structured answer of `session_stats`. */
export const sessionStatsOutput = z.object({
  backend: BackendSchema,
  accounts: z
    .array(AccountRefSchema)
    .describe(`The accounts searched (the first ${MAX_ACCOUNTS_LISTED} when there are more)`),
  accountsSearched: z.number(),
  filters: AppliedFiltersSchema,
  groupBy: z.enum(GROUP_BY),
  grain: z
    .enum(["day", "week", "month"])
    .optional()
    .describe("groupBy day: the length of a row (week: Monday to Sunday, keyed by its Monday)"),
  rows: z.array(
    z.object({
      key: z.string(),
      count: z.number(),
      share: z.number().describe("count / matched, 0..1"),
    }),
  ),
  otherGroups: z
    .number()
    .describe(
      `Groups beyond the first ${MAX_ROWS} (or the size budget), summed into a row "other"`,
    ),
  rowsLeftOut: z
    .number()
    .optional()
    .describe("Time rows left out for the size budget (the oldest; their counts are in matched)"),
  matched: z.number().describe("Sessions counted (passing every filter)"),
  scanned: z.number().describe("Sessions read from Evo Voice"),
  serverTotal: z.number().optional().describe("Sessions Evo Voice matched, when it said"),
  complete: z.boolean().describe("Every matching session was read"),
  capReached: z.boolean(),
  cap: z.number(),
});

type SessionStatsArgs = z.infer<typeof sessionStatsInput>;
type SessionStatsOutput = z.infer<typeof sessionStatsOutput>;
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DESCRIPTION =
  'Count Evo Voice sessions: takes the same filters as list_sessions plus groupBy, reads every matching page (reporting progress) and answers with a small table of counts instead of thousands of sessions. Examples: missed calls per day last week {"range":"last_7_days","missed":true,"groupBy":"day"}; busiest endpoint today {"range":"today","groupBy":"endpoint"}; calls by hour {"range":"last_30_days","groupBy":"hour_of_day"}. A cap on sessions read (stated when reached) keeps it bounded.';

/** Registers `session_stats`. */
export function registerSessionStats(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerTool(
    "session_stats",
    {
      title: "Count Evo Voice sessions",
      description: DESCRIPTION,
      inputSchema: sessionStatsInputFor(ctx.config.timeZone),
      outputSchema: sessionStatsOutput,
      annotations: { title: "Count Evo Voice sessions", ...READ_ONLY_ANNOTATIONS },
    },
    (args, extra) => runTool(ctx, () => sessionStats(ctx, args, extra)),
  );
}

function groupKey(session: SessionInfo, groupBy: GroupBy, timeZone: string): string {
  switch (groupBy) {
    case "outcome":
      return session.outcome || "(no outcome)";
    case "direction":
      return session.direction || "(unknown)";
    case "channel":
      return session.channel || "(unknown)";
    case "missed":
      return session.wasMissed === true ? "missed" : "not missed";
    case "endpoint":
      return session.endpointId || session.endpointName
        ? `${session.endpointName ?? "?"} (${session.endpointId ?? "no id"})`
        : "(no endpoint)";
    case "customer":
      return session.customerId || session.customerName
        ? `${session.customerName ?? "?"} (${session.customerId ?? "no id"})`
        : "(no customer)";
    case "hour_of_day":
    case "day": {
      const date = parseEvoDate(session.dateCreated);
      if (date === undefined) return UNKNOWN_TIME;
      const parts = zonedText(date, timeZone);
      // Days are keyed YYYY-MM-DD here; rows are labelled (or grouped into weeks) at the end.
      return groupBy === "day" ? parts.day : `${String(parts.hour).padStart(2, "0")}:00`;
    }
  }
}

const UNKNOWN_TIME = "(unknown time)";

/** Widest row label in the text table. */
const MAX_LABEL_CHARS = 80;

/**
 * A row's label for the text table, shortened by its name only: endpoint and customer rows end
 * with `(id)`, which the model copies into endpointIds/customerIds, so the ID is never cut.
 */
export function rowLabel(key: string): string {
  const id = /^(.*) (\([^()]*\))$/.exec(key);
  if (id === null) return clip(key, MAX_LABEL_CHARS);
  const [, name = "", suffix = ""] = id;
  return `${clip(name, Math.max(8, MAX_LABEL_CHARS - suffix.length - 1))} ${suffix}`;
}

async function sessionStats(
  ctx: EvoSessionsContext,
  args: SessionStatsArgs,
  extra: Extra,
): Promise<CallToolResult> {
  const timeZone = ctx.config.timeZone;
  const cap = Math.min(
    args.maxSessions ?? ctx.config.statsMaxSessions,
    ctx.config.statsMaxSessions,
  );
  const resolved = await resolveFilters(ctx, pickFilters(args), {
    signal: extra.signal,
    counting: true,
  });
  const progressToken = extra._meta?.progressToken;
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  let scanned = 0;
  let matched = 0;
  let serverTotal: number | undefined;
  let capReached = false;
  let firstRead: string | undefined;
  let lastRead: string | undefined;

  // Oldest first (see resolveFilters' counting) and one session past the cap: its arrival is
  // how a cap that was reached is told from a list that ends exactly at the cap.
  const pages = ctx.client.paginate(resolved.params, {
    signal: extra.signal,
    pageSize: Math.min(SCAN_PAGE_SIZE, cap + 1),
    maxItems: cap + 1,
  });
  for await (const page of pages) {
    if (page.totalCount !== undefined) serverTotal = page.totalCount;
    for (const session of page.items) {
      // A session read twice (the list moved between pages) is counted once.
      if (session.id) {
        if (seen.has(session.id)) continue;
        seen.add(session.id);
      }
      if (scanned >= cap) {
        capReached = true;
        break;
      }
      scanned++;
      firstRead ??= session.dateCreated ?? undefined;
      lastRead = session.dateCreated ?? lastRead;
      ctx.directory.noteSession(session);
      if (!matchesClientFilters(resolved, session)) continue;
      matched++;
      const key = groupKey(session, args.groupBy, timeZone);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (progressToken !== undefined) {
      const total = serverTotal === undefined ? undefined : Math.min(serverTotal, cap);
      await extra.sendNotification({
        method: "notifications/progress",
        params: {
          progressToken,
          progress: scanned,
          ...(total === undefined ? {} : { total: Math.max(total, scanned) }),
          message: `read ${scanned}${total === undefined ? "" : ` of ${total}`} sessions`,
        },
      });
    }
    if (capReached) break;
  }

  const share = (count: number) =>
    matched === 0 ? 0 : Math.round((count / matched) * 1000) / 1000;
  const budget = new TextBudget(ctx.config.tokenBudget);
  for (const line of backendNotice(ctx)) budget.force(line);
  budget.force(resolved.accountsLine);
  budget.force(resolved.filtersLine);
  for (const warning of resolved.warnings) budget.force(warning);

  const table =
    args.groupBy === "day"
      ? dayRows(counts, resolved.window, timeZone)
      : args.groupBy === "hour_of_day"
        ? { rows: hourRows(counts), grain: undefined, note: "" }
        : {
            rows: [...counts.entries()]
              .map(([key, count]) => ({ key, count }))
              .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
            grain: undefined,
            note: "",
          };
  const timeGrouping = args.groupBy === "day" || args.groupBy === "hour_of_day";
  const clientSide = resolved.clientFilters.length > 0;
  const by = table.grain ?? args.groupBy.replaceAll("_", " ");
  budget.force(
    `${matched} session${matched === 1 ? "" : "s"} counted${clientSide ? ` (of ${scanned} read)` : ""}, by ${by}${timeGrouping ? ` (${timeZone})` : ""}${table.note}:`,
  );

  const structured: SessionStatsOutput = {
    backend: ctx.backend.kind,
    accounts: accountsForAnswer(resolved, []).slice(0, MAX_ACCOUNTS_LISTED),
    accountsSearched: resolved.accounts.length,
    filters: appliedFilters(resolved, timeZone),
    groupBy: args.groupBy,
    ...(table.grain === undefined ? {} : { grain: table.grain }),
    rows: [],
    otherGroups: 0,
    matched,
    scanned,
    ...(serverTotal === undefined ? {} : { serverTotal }),
    complete: !capReached,
    capReached,
    cap,
  };
  budget.spend(JSON.stringify(structured).length + 40);

  const width = Math.min(
    MAX_LABEL_CHARS,
    Math.max(5, ...table.rows.map((row) => rowLabel(row.key).length)),
  );
  const rowText = (key: string, count: number) =>
    `  ${rowLabel(key).padEnd(width)}  ${String(count).padStart(6)}  ${(share(count) * 100).toFixed(0).padStart(3)}%`;
  const rowCost = (key: string, count: number) =>
    rowText(key, count).length + JSON.stringify({ key, count, share: share(count) }).length + 2;

  let rows = table.rows;
  if (timeGrouping) {
    // Time rows are never folded into "other": all of them when they fit, else the newest.
    let room = 0;
    let fitting = 0;
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i] as { key: string; count: number };
      room += rowCost(row.key, row.count);
      if (!budget.fits(room + 300)) break;
      fitting++;
    }
    const leftOut = rows.slice(0, rows.length - fitting);
    rows = rows.slice(rows.length - fitting);
    for (const row of rows) budget.force(rowText(row.key, row.count));
    if (leftOut.length > 0) {
      const sum = leftOut.reduce((total, row) => total + row.count, 0);
      budget.force(
        `Left out for the size budget: the ${leftOut.length} oldest rows, ${leftOut[0]?.key} to ${leftOut.at(-1)?.key} (${sum} sessions). Narrow the range to see them.`,
      );
      structured.rowsLeftOut = leftOut.length;
    }
  } else {
    const kept: { key: string; count: number }[] = [];
    for (const row of rows) {
      if (kept.length >= MAX_ROWS) break;
      if (
        !budget.tryAdd(
          rowText(row.key, row.count),
          rowCost(row.key, row.count) - rowText(row.key, row.count).length - 1,
        )
      )
        break;
      kept.push(row);
    }
    const other = rows.slice(kept.length);
    rows = kept;
    if (other.length > 0) {
      const otherCount = other.reduce((sum, row) => sum + row.count, 0);
      budget.force(
        `  ${`other (${other.length} groups)`.padEnd(width)}  ${String(otherCount).padStart(6)}  ${(share(otherCount) * 100).toFixed(0).padStart(3)}%`,
      );
      rows = [...kept, { key: "other", count: otherCount }];
      structured.otherGroups = other.length;
    }
  }
  structured.rows = rows.map((row) => ({ ...row, share: share(row.count) }));
  if (timeGrouping && matched > 0) {
    // "Busiest hour?" is the question behind most time tables: answer it, ties included, over
    // every row (also rows left out for the budget).
    const counted = table.rows.filter((row) => row.key !== UNKNOWN_TIME);
    const most = Math.max(0, ...counted.map((row) => row.count));
    const peaks = counted.filter((row) => row.count === most).map((row) => row.key);
    if (most > 0) {
      const listed = `${peaks.slice(0, 5).join(", ")}${peaks.length > 5 ? ` and ${peaks.length - 5} more` : ""}`;
      const each = peaks.length === 1 ? "" : " each";
      budget.force(
        `Busiest ${by}: ${listed} (${most} session${most === 1 ? "" : "s"}${each}, ${(share(most) * 100).toFixed(0)}%).`,
      );
    }
  }

  if (capReached) {
    const span =
      firstRead === undefined
        ? ""
        : ` — the oldest ones, started ${formatWhen(firstRead, timeZone) ?? "?"} to ${formatWhen(lastRead, timeZone) ?? "?"}`;
    budget.force(
      `Cap reached: stopped after reading ${scanned} sessions${serverTotal === undefined ? "" : ` of ${serverTotal}`}${span} (cap ${cap}; maxSessions or EVO_SESSIONS_STATS_MAX_SESSIONS); the counts cover only those. Narrow the range or filters for complete counts.`,
    );
  } else {
    budget.force(`Complete: every matching session was read (${scanned} from Evo Voice).`);
  }
  return { content: [{ type: "text", text: budget.text() }], structuredContent: structured };
}

/** Hours 00:00–23:00, every one (0 when empty), then an unknown-time row if any. */
function hourRows(counts: Map<string, number>): { key: string; count: number }[] {
  const rows = [];
  for (let hour = 0; hour < 24; hour++) {
    const key = `${String(hour).padStart(2, "0")}:00`;
    rows.push({ key, count: counts.get(key) ?? 0 });
  }
  const unknown = counts.get(UNKNOWN_TIME);
  if (unknown !== undefined) rows.push({ key: UNKNOWN_TIME, count: unknown });
  return rows;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/**
 * Day rows in time order, every day of the span (a day without sessions is a 0, not a gap): the
 * window's local days when bounded, else the first to the last day seen. Spans longer than
 * {@link MAX_TIME_ROWS} days are counted by week (Monday to Sunday), and past as many weeks by
 * month, and the note says so.
 */
export function dayRows(
  counts: Map<string, number>,
  window: CursorWindow | undefined,
  timeZone: string,
): { rows: { key: string; count: number }[]; grain: "day" | "week" | "month"; note: string } {
  const seenDays = [...counts.keys()].filter((key) => key !== UNKNOWN_TIME).sort();
  const fromMs =
    window?.fromMs ?? (window?.startDate ? Date.parse(`${window.startDate}T00:00:00Z`) : undefined);
  const toMs =
    window?.toMs ??
    (window?.endDate ? Date.parse(`${window.endDate}T00:00:00Z`) + 86_400_000 : undefined);
  let first = fromMs === undefined ? seenDays[0] : zonedText(new Date(fromMs), timeZone).day;
  let last = toMs === undefined ? seenDays.at(-1) : zonedText(new Date(toMs - 1), timeZone).day;
  // Sessions outside the window cannot be counted, but an unbounded side takes the data's edge.
  if (first !== undefined && seenDays[0] !== undefined && seenDays[0] < first) first = seenDays[0];
  const seenLast = seenDays.at(-1);
  if (last !== undefined && seenLast !== undefined && seenLast > last) last = seenLast;
  const unknown = counts.get(UNKNOWN_TIME);
  const tail = unknown === undefined ? [] : [{ key: UNKNOWN_TIME, count: unknown }];
  if (first === undefined || last === undefined) return { rows: tail, grain: "day", note: "" };

  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  const dayCount = days.length;
  const bucket = (grain: "day" | "week" | "month", day: string): string =>
    grain === "day"
      ? `${day} ${WEEKDAYS[weekdayOf(day)]}`
      : grain === "week"
        ? `week of ${addDays(day, -((weekdayOf(day) + 6) % 7))}`
        : day.slice(0, 7);
  let grain: "day" | "week" | "month" = "day";
  if (dayCount > MAX_TIME_ROWS)
    grain = new Set(days.map((d) => bucket("week", d))).size > MAX_TIME_ROWS ? "month" : "week";
  const rows = new Map<string, number>();
  for (const day of days) {
    const key = bucket(grain, day);
    rows.set(key, (rows.get(key) ?? 0) + (counts.get(day) ?? 0));
  }
  const note =
    grain === "day"
      ? ""
      : `; ${dayCount} days are more than ${MAX_TIME_ROWS}, so they are counted by ${grain}${grain === "week" ? " (Monday to Sunday, keyed by Monday; the first and last weeks may be partial)" : " (the first and last months may be partial)"}`;
  return { rows: [...[...rows].map(([key, count]) => ({ key, count })), ...tail], grain, note };
}
