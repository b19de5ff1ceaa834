import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { parseEvoDate, type SessionInfo } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip, TextBudget } from "../format/budget.js";
import { zonedText } from "../format/time.js";
import { appliedFilters } from "./applied-filters.js";
import {
  AccountRefSchema,
  AppliedFiltersSchema,
  BackendSchema,
  READ_ONLY_ANNOTATIONS,
} from "./common-schemas.js";
import { filterShape, matchesClientFilters, pickFilters, resolveFilters } from "./filters.js";
import { backendNotice, failureResult } from "./results.js";
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

/** Most rows in a table; the rest are summed into one "other" row. */
export const MAX_ROWS = 40;

/** Arguments of `session_stats`. */
export const sessionStatsInput = z.strictObject({
  ...filterShape,
  groupBy: z
    .enum(GROUP_BY, { error: `must be one of ${GROUP_BY.join(", ")}` })
    .describe(
      "What to count by: outcome, direction, channel, missed (missed vs not), endpoint (the line/user/queue), customer, hour_of_day (0–23 in the configured zone), day (in the configured zone).",
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

/** Structured answer of `session_stats`. */
export const sessionStatsOutput = z.object({
  backend: BackendSchema,
  accounts: z.array(AccountRefSchema),
  filters: AppliedFiltersSchema,
  groupBy: z.enum(GROUP_BY),
  rows: z.array(
    z.object({
      key: z.string(),
      count: z.number(),
      share: z.number().describe("count / matched, 0..1"),
    }),
  ),
  otherGroups: z
    .number()
    .describe(`Groups beyond the first ${MAX_ROWS}, summed into a row "other"`),
  matched: z.number().describe("Sessions counted (passing every filter)"),
  scanned: z.number().describe("Sessions read from Evo Voice"),
  serverTotal: z.number().optional().describe("Sessions Evo Voice matched, when it said"),
  complete: z.boolean().describe("Every matching session was read"),
  capReached: z.boolean(),
  cap: z.number(),
});

type SessionStatsArgs = z.infer<typeof sessionStatsInput>;
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
      inputSchema: sessionStatsInput,
      outputSchema: sessionStatsOutput,
      annotations: { title: "Count Evo Voice sessions", ...READ_ONLY_ANNOTATIONS },
    },
    async (args, extra) => {
      try {
        return await sessionStats(ctx, args, extra);
      } catch (error) {
        return failureResult(ctx, error);
      }
    },
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
      if (date === undefined) return "(unknown time)";
      const parts = zonedText(date, timeZone);
      return groupBy === "day"
        ? `${parts.day} ${parts.weekday}`
        : `${String(parts.hour).padStart(2, "0")}:00`;
    }
  }
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
  const resolved = await resolveFilters(ctx, pickFilters(args), { signal: extra.signal });
  const progressToken = extra._meta?.progressToken;
  const counts = new Map<string, number>();
  let scanned = 0;
  let matched = 0;
  let serverTotal: number | undefined;
  let capReached = false;

  const pages = ctx.client.paginate(resolved.params, {
    signal: extra.signal,
    pageSize: Math.min(SCAN_PAGE_SIZE, cap),
    maxItems: cap,
  });
  for await (const page of pages) {
    if (page.totalCount !== undefined) serverTotal = page.totalCount;
    for (const session of page.items) {
      if (scanned >= cap) {
        capReached = true;
        break;
      }
      scanned++;
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
          ...(total === undefined ? {} : { total }),
          message: `read ${scanned}${total === undefined ? "" : ` of ${total}`} sessions`,
        },
      });
    }
    if (capReached) break;
  }
  // paginate stops at maxItems by itself: the cap was reached if more sessions were there.
  if (!capReached && scanned >= cap && serverTotal !== undefined && serverTotal > scanned) {
    capReached = true;
  }

  const rows = orderRows(counts, args.groupBy, resolved.window, timeZone);
  const shownRows = rows.slice(0, MAX_ROWS);
  const otherRows = rows.slice(MAX_ROWS);
  const otherCount = otherRows.reduce((sum, row) => sum + row.count, 0);
  const share = (count: number) =>
    matched === 0 ? 0 : Math.round((count / matched) * 1000) / 1000;

  const budget = new TextBudget(ctx.config.tokenBudget);
  for (const line of backendNotice(ctx)) budget.force(line);
  budget.force(resolved.accountsLine);
  budget.force(resolved.filtersLine);
  const clientSide = resolved.clientFilters.length > 0;
  budget.force(
    `${matched} session${matched === 1 ? "" : "s"} counted${clientSide ? ` (of ${scanned} read)` : ""}, by ${args.groupBy.replaceAll("_", " ")}${args.groupBy === "day" || args.groupBy === "hour_of_day" ? ` (${timeZone})` : ""}:`,
  );
  const width = Math.min(48, Math.max(5, ...shownRows.map((row) => row.key.length)));
  for (const row of shownRows) {
    budget.force(
      `  ${clip(row.key, 48).padEnd(width)}  ${String(row.count).padStart(6)}  ${(share(row.count) * 100).toFixed(0).padStart(3)}%`,
    );
  }
  if (otherRows.length > 0) {
    budget.force(
      `  ${`other (${otherRows.length} groups)`.padEnd(width)}  ${String(otherCount).padStart(6)}`,
    );
  }
  if (capReached) {
    budget.force(
      `Cap reached: stopped after reading ${scanned} sessions${serverTotal === undefined ? "" : ` of ${serverTotal}`} (cap ${cap}, EVO_SESSIONS_STATS_MAX_SESSIONS); the counts cover only those. Narrow the range or filters for complete counts.`,
    );
  } else {
    budget.force(`Complete: every matching session was read (${scanned} from Evo Voice).`);
  }

  const structured: z.infer<typeof sessionStatsOutput> = {
    backend: ctx.backend.kind,
    accounts: resolved.accounts,
    filters: appliedFilters(resolved, timeZone),
    groupBy: args.groupBy,
    rows: [
      ...shownRows.map((row) => ({ ...row, share: share(row.count) })),
      ...(otherRows.length > 0
        ? [{ key: "other", count: otherCount, share: share(otherCount) }]
        : []),
    ],
    otherGroups: otherRows.length,
    matched,
    scanned,
    ...(serverTotal === undefined ? {} : { serverTotal }),
    complete: !capReached,
    capReached,
    cap,
  };
  return { content: [{ type: "text", text: budget.text() }], structuredContent: structured };
}

/**
 * Time groupings read in time order with empty slots filled (a day without missed calls is a
 * zero, not a gap); the others by count, largest first.
 */
function orderRows(
  counts: Map<string, number>,
  groupBy: GroupBy,
  window:
    | {
        fromMs?: number | undefined;
        toMs?: number | undefined;
        startDate?: string | undefined;
        endDate?: string | undefined;
      }
    | undefined,
  timeZone: string,
): { key: string; count: number }[] {
  if (groupBy === "hour_of_day") {
    const rows = [];
    for (let hour = 0; hour < 24; hour++) {
      const key = `${String(hour).padStart(2, "0")}:00`;
      rows.push({ key, count: counts.get(key) ?? 0 });
    }
    for (const [key, count] of counts) if (!/^\d{2}:00$/.test(key)) rows.push({ key, count });
    return rows;
  }
  if (groupBy === "day") {
    const keys = new Set(counts.keys());
    const from =
      window?.fromMs ??
      (window?.startDate ? Date.parse(`${window.startDate}T00:00:00Z`) : undefined);
    const to =
      window?.toMs ??
      (window?.endDate ? Date.parse(`${window.endDate}T00:00:00Z`) + 86_400_000 : undefined);
    // Fill the days of a bounded range (up to a quarter), so empty days show as 0.
    if (from !== undefined && to !== undefined && to - from <= 92 * 86_400_000) {
      for (let t = from; t < to; t += 3_600_000) {
        const parts = zonedText(new Date(t), timeZone);
        keys.add(`${parts.day} ${parts.weekday}`);
      }
    }
    return [...keys].sort().map((key) => ({ key, count: counts.get(key) ?? 0 }));
  }
  return [...counts.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
