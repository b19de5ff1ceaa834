import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/server";
import type { CallToolResult, ResourceLink } from "@modelcontextprotocol/server";
import { formatWhen, type ScanResult, type ScannedSession } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { checkCursorFilters, encodeCursor, readCursor, type CursorState } from "../cursor.js";
import { clip } from "../format/budget.js";
import {
  dayHeader,
  RefsSchema,
  RefTables,
  SESSION_KEYS,
  sessionDay,
  sessionLine,
  SessionSummarySchema,
  sessionUri,
  summarizeSession,
  type Detail,
} from "../format/session-summary.js";
import { Answer, counted, jsonChars, progressReporter, type ToolExtra } from "./answer.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import {
  AppliedFiltersSchema,
  SandboxFlagSchema,
  sandboxFlag,
  SESSION_URI_TEMPLATE,
} from "./common-schemas.js";
import {
  filterShape,
  filterShapeFor,
  pickFilters,
  resolveFilters,
  type ResolvedFilters,
} from "./filters.js";
import { registerEvoTool } from "./register.js";
import { runTool } from "./results.js";

/** Sessions per answer when `limit` is not given. */
export const DEFAULT_LIST_LIMIT = 20;
/** Largest `limit`. */
export const MAX_LIST_LIMIT = 200;
/** Most sessions read from Evo Voice for one answer when this server filters pages itself. */
export const LIST_SCAN_CAP = 2000;

/** Arguments of `list_sessions` (the configured zone is named in the date descriptions). */
export function listSessionsInputFor(timeZone: string) {
  return z.strictObject({ ...listSessionsInput.shape, ...filterShapeFor(timeZone) });
}

/** Arguments of `list_sessions`. */
export const listSessionsInput = z.strictObject({
  ...filterShape,
  limit: z
    .number({ error: "must be a whole number from 1 to 200" })
    .int({ error: "must be a whole number from 1 to 200" })
    .min(1, { error: "must be at least 1" })
    .max(MAX_LIST_LIMIT, { error: `must be at most ${MAX_LIST_LIMIT}` })
    .optional()
    .describe(`Default ${DEFAULT_LIST_LIMIT}`),
  cursor: z
    .string({ error: "must be the nextCursor text of a previous answer" })
    .max(600, { error: "is not a cursor this server issued" })
    .optional()
    .describe("nextCursor (same filters)"),
  detail: z
    .enum(["summary", "full"], { error: "must be summary or full" })
    .optional()
    .describe("full: also members, log size, resource links"),
});

/** Structured answer of `list_sessions`. */
export const listSessionsOutput = z.object({
  sandbox: SandboxFlagSchema,
  refs: RefsSchema,
  searched: z.number().optional().describe("accounts searched, when refs.a lists fewer"),
  uri: z.string().describe("a session's resource: {id} replaced"),
  filters: AppliedFiltersSchema,
  sessions: z.array(SessionSummarySchema).describe(SESSION_KEYS),
  paging: z
    .object({
      offset: z.number(),
      returned: z.number(),
      total: z.number().optional(),
      serverTotal: z.number().optional(),
      hasMore: z.boolean(),
      nextCursor: z.string().optional(),
      leftOut: z.number().optional(),
      scanned: z.number(),
      capReached: z.literal(true).optional(),
    })
    .describe(
      "offset, returned, total, serverTotal (before local filters), hasMore, nextCursor, leftOut (size budget), scanned",
    ),
});

type ListSessionsArgs = z.infer<typeof listSessionsInput>;
type ListSessionsOutput = z.infer<typeof listSessionsOutput>;

const DESCRIPTION =
  "Find sessions (calls, chats, faxes), newest first, a line each (time, from → to, outcome, answerer, id); page with cursor. Counts, KPIs: session_stats.";

/** Registers `list_sessions`. */
export function registerListSessions(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "list_sessions",
    {
      title: "List Evo Voice sessions",
      description: DESCRIPTION,
      inputSchema: listSessionsInputFor(ctx.config.timeZone),
      outputSchema: listSessionsOutput,
    },
    (args, extra) => runTool(ctx, () => listSessions(ctx, args, extra)),
  );
}

/** Stands in for the next cursor while the answer's size is estimated (cursors are shorter). */
const CURSOR_PLACEHOLDER = "x".repeat(220);

/** Resolve → scan → answer. */
async function listSessions(
  ctx: EvoSessionsContext,
  args: ListSessionsArgs,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const limit = args.limit ?? DEFAULT_LIST_LIMIT;
  const cursor =
    args.cursor === undefined || args.cursor === "" ? undefined : readCursor(args.cursor);
  const resolved = await resolveFilters(ctx, pickFilters(args), {
    signal: extra.signal,
    resolvedAt: cursor?.resolvedAt,
  });
  // Bound to the query, the accounts it resolved to and the user (see resolveFilters).
  if (cursor !== undefined) checkCursorFilters(cursor, resolved.hash);
  const filtering = resolved.query.filtersLocally;
  const scan = await ctx.client
    .scan(resolved.query, {
      limit,
      offset: cursor?.offset ?? 0,
      ...(cursor?.anchorId === undefined ? {} : { anchorId: cursor.anchorId }),
      cap: LIST_SCAN_CAP,
      signal: extra.signal,
      onProgress: progressReporter(extra, filtering ? LIST_SCAN_CAP : limit),
    })
    .collect();
  for (const match of scan.matches) ctx.directory.noteSession(match.session);
  return answerList(ctx, resolved, scan, { cursor, detail: args.detail ?? "summary" });
}

interface ListPaging {
  /** The cursor this call continued, if any. */
  cursor: CursorState | undefined;
  detail: Detail;
}

/** The answer: headline, the sessions that fit, then paging and what was left out. */
function answerList(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  scan: ScanResult,
  paging: ListPaging,
): CallToolResult {
  const offset = paging.cursor?.offset ?? 0;
  const filtering = resolved.query.filtersLocally;
  const total = filtering ? undefined : scan.serverTotal;
  const answer = new Answer(ctx, [
    resolved.accountsLine,
    resolved.filtersLine,
    ...(resolved.namesLine === undefined ? [] : [resolved.namesLine]),
    ...resolved.warnings,
  ]);
  answer.line(headline(scan, offset, total, filtering));
  const tables = new RefTables(accountsForAnswer(resolved, []));
  const structured: ListSessionsOutput = {
    ...sandboxFlag(ctx.backend.kind),
    refs: tables.refs,
    uri: SESSION_URI_TEMPLATE,
    filters: appliedFilters(resolved, ctx.config.timeZone),
    sessions: [],
    paging: {
      offset,
      returned: 0,
      ...(total === undefined ? {} : { total }),
      ...(scan.serverTotal === undefined || !filtering ? {} : { serverTotal: scan.serverTotal }),
      hasMore: true,
      nextCursor: CURSOR_PLACEHOLDER,
      leftOut: scan.matches.length,
      scanned: scan.read,
      ...(scan.capReached ? { capReached: true as const } : {}),
    },
  };
  answer.spend(jsonChars(structured));
  const shown = fitSessions(ctx, answer, resolved, scan.matches, paging.detail, {
    structured,
    tables,
  });
  const leftOut = scan.matches.length - shown;
  const lastShown = scan.matches[shown - 1];
  const nextOffset = leftOut > 0 && lastShown !== undefined ? lastShown.index + 1 : scan.nextOffset;
  const hasMore = leftOut > 0 || !scan.complete;
  const anchorId = lastShown?.session.id ?? paging.cursor?.anchorId ?? undefined;
  const nextCursor = hasMore
    ? encodeCursor({
        filtersHash: resolved.hash,
        offset: nextOffset,
        resolvedAt: resolved.resolvedAt,
        anchorId: anchorId === null ? undefined : anchorId,
      })
    : undefined;
  closingLines(answer, scan, { leftOut, offset, nextOffset, total, nextCursor });
  Object.assign(structured.paging, { returned: shown, hasMore, leftOut });
  if (leftOut === 0) delete structured.paging.leftOut;
  if (nextCursor === undefined) delete structured.paging.nextCursor;
  else structured.paging.nextCursor = nextCursor;
  if (resolved.accounts.length !== (tables.refs.a?.length ?? 0))
    structured.searched = resolved.accounts.length;
  return answer.result(structured);
}

function headline(
  scan: ScanResult,
  offset: number,
  total: number | undefined,
  filtering: boolean,
): string {
  const found = scan.matches.length;
  if (found === 0) return "No sessions match.";
  if (filtering) {
    const before =
      scan.serverTotal === undefined
        ? ""
        : `, which matched ${scan.serverTotal} before this server's filters`;
    return `${counted(found, "matching session")} (read ${scan.read} from Evo Voice${before}):`;
  }
  const of = total === undefined ? "" : ` of ${total}`;
  return `Sessions ${offset + 1}–${offset + found}${of} (get_session reads one by its id):`;
}

/**
 * Adds the session lines that fit (the first always), with a day header where the day changes,
 * and records each one's summary, its new table entries and resource link in the JSON.
 * Returns how many.
 */
function fitSessions(
  ctx: EvoSessionsContext,
  answer: Answer,
  resolved: ResolvedFilters,
  matches: readonly ScannedSession[],
  detail: Detail,
  out: { structured: ListSessionsOutput; tables: RefTables },
): number {
  const timeZone = ctx.config.timeZone;
  const showAccount = resolved.accounts.length !== 1;
  let currentDay: string | undefined;
  return answer.fit(
    matches,
    ({ session }) => {
      const day = sessionDay(session, timeZone);
      const line = sessionLine(session, { timeZone, showAccount, detail });
      const piece = summarizeSession(session, detail, out.tables);
      const link = detail === "full" ? resourceLink(session.id, session, timeZone) : undefined;
      return {
        text: day === currentDay ? line : `${dayHeader(day)}\n${line}`,
        extraChars: piece.chars + (link === undefined ? 0 : jsonChars(link) + 1),
        onAdded: () => {
          currentDay = day;
          piece.commit();
          out.structured.sessions.push(piece.summary);
          if (link !== undefined) answer.link(link);
        },
      };
    },
    { atLeastOne: true },
  );
}

/** A session's resource link (detail full), named by its time and caller. */
function resourceLink(
  id: string | null | undefined,
  session: { dateCreated?: string | null; fromName?: string | null; fromAddress?: string | null },
  timeZone: string,
): ResourceLink | undefined {
  if (id === undefined || id === null || id === "") return undefined;
  return {
    type: "resource_link",
    uri: sessionUri(id),
    name: clip(
      `${formatWhen(session.dateCreated, timeZone) ?? "?"} ${session.fromName ?? session.fromAddress ?? ""}`,
      48,
    ),
    mimeType: "text/plain",
  };
}

/** Drift, what was left out, the cap, then how to go on (or that the list ended). */
function closingLines(
  answer: Answer,
  scan: ScanResult,
  state: {
    leftOut: number;
    offset: number;
    nextOffset: number;
    total: number | undefined;
    nextCursor: string | undefined;
  },
): void {
  if (scan.drift?.kind === "shifted" && scan.drift.by > 0) {
    answer.line(
      `Note: ${counted(scan.drift.by, "new session")} arrived since the previous page; this page continues after the last session you already have (start a new list to see the new ones).`,
    );
  } else if (scan.drift !== undefined) {
    answer.line(
      "Note: the list changed since the previous page (sessions were removed or moved); a session may be missing or repeated here. Start a new list (no cursor) for a consistent view.",
    );
  }
  if (state.leftOut > 0)
    answer.leftOut(counted(state.leftOut, "more session"), "the cursor continues with them");
  if (scan.capReached) {
    answer.line(
      `Stopped after reading ${scan.read} sessions from Evo Voice for this answer (this server filters them itself); more may match further on: continue with the cursor, or narrow the range.`,
    );
  }
  if (state.nextCursor !== undefined) {
    const remaining =
      state.total === undefined ? "" : ` (${Math.max(0, state.total - state.nextOffset)} more)`;
    answer.line(
      `More${remaining}: call list_sessions again with the same filters and cursor="${state.nextCursor}".`,
    );
  } else if (scan.matches.length > 0 || state.offset > 0) {
    // A page that ended exactly at the last session cannot know it without totals (a short
    // page proves nothing), so the next call may find nothing more: the list ended there.
    answer.line("End of list: no more sessions match.");
  } else {
    answer.line(
      "Nothing matched: widen the range, check the accountIds (list_accounts), or set searchArchive=true for sessions older than about 15 days.",
    );
  }
}
