import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type {
  CallToolResult,
  ResourceLink,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { AccountRef } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { checkCursorFilters, encodeCursor, readCursor } from "../cursor.js";
import { clip, TextBudget } from "../format/budget.js";
import {
  dayHeader,
  sessionDay,
  sessionLine,
  SessionSummarySchema,
  sessionUri,
  summarizeSession,
  type Detail,
  type SessionSummary,
} from "../format/session-summary.js";
import { formatWhen } from "../format/time.js";
import { accountsForAnswer, appliedFilters } from "./applied-filters.js";
import {
  AccountRefSchema,
  AppliedFiltersSchema,
  BackendSchema,
  MAX_ACCOUNTS_LISTED,
  READ_ONLY_ANNOTATIONS,
  SESSION_URI_TEMPLATE,
} from "./common-schemas.js";
import { filterShape, filterShapeFor, pickFilters, resolveFilters } from "./filters.js";
import { backendNotice, runTool } from "./results.js";
import { scanSessions } from "./scan.js";

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
    .describe(
      `Most sessions to return (default ${DEFAULT_LIST_LIMIT}, max ${MAX_LIST_LIMIT}). Fewer come back when the answer would exceed its size budget; the cursor then continues where it stopped.`,
    ),
  cursor: z
    .string({ error: "must be the nextCursor text of a previous answer" })
    .max(600, { error: "is not a cursor this server issued" })
    .optional()
    .describe(
      "nextCursor from a previous answer, to get the next page. Only valid with exactly the same filters (limit and detail may change).",
    ),
  detail: z
    .enum(["summary", "full"], { error: "must be summary or full" })
    .optional()
    .describe(
      "summary (default): one line per session. full: also members, the number of log entries (read the log with get_session) and a resource link per session.",
    ),
});

/** Structured answer of `list_sessions`. */
export const listSessionsOutput = z.object({
  backend: BackendSchema,
  accounts: z
    .array(AccountRefSchema)
    .describe(
      `The accounts searched (when more than ${MAX_ACCOUNTS_LISTED}: those of the sessions returned); sessions name only their accountId`,
    ),
  accountsSearched: z.number().describe("How many accounts were searched"),
  sessionUriTemplate: z
    .string()
    .describe("Resource URI of a session: replace {id} (or call get_session with the id)"),
  filters: AppliedFiltersSchema,
  sessions: z.array(SessionSummarySchema),
  paging: z.object({
    offset: z.number().describe("Position of the first session read in Evo Voice's list"),
    returned: z.number(),
    total: z
      .number()
      .optional()
      .describe(
        "Sessions matching the filters, when known (unknown when this server filters pages itself)",
      ),
    serverTotal: z
      .number()
      .optional()
      .describe("Sessions matching the filters Evo Voice applied (before this server's filters)"),
    hasMore: z.boolean(),
    nextCursor: z.string().optional().describe("Pass as cursor, with the same filters, for more"),
    leftOutForBudget: z
      .number()
      .describe("Sessions read but not returned because the answer reached its size budget"),
    scanned: z.number().describe("Sessions read from Evo Voice for this answer"),
    scanCapReached: z.boolean(),
  }),
});

type ListSessionsArgs = z.infer<typeof listSessionsInput>;
type ListSessionsOutput = z.infer<typeof listSessionsOutput>;
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DESCRIPTION = `Find Evo Voice sessions (calls, chats, faxes) with any ListSessions filter, newest first. Answers with one compact line per session (time in the configured zone, direction, from → to, outcome, who answered, id), the accounts searched, the filters applied and the paging state. For counts ("how many missed calls per day") use session_stats instead; for one session's members and log use get_session. Examples: {"range":"yesterday","missed":true}; {"from":"555","range":"last_7_days"}; {"range":"today","outcomes":["Abandoned","Failed"]}; {"endpointIds":["…"],"range":"today"}. Continue a list with the nextCursor of the previous answer and the same filters.`;

/** Registers `list_sessions`. */
export function registerListSessions(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerTool(
    "list_sessions",
    {
      title: "List Evo Voice sessions",
      description: DESCRIPTION,
      inputSchema: listSessionsInputFor(ctx.config.timeZone),
      outputSchema: listSessionsOutput,
      annotations: { title: "List Evo Voice sessions", ...READ_ONLY_ANNOTATIONS },
    },
    (args, extra) => runTool(ctx, () => listSessions(ctx, args, extra)),
  );
}

/** Characters of `value` as JSON (what a structured answer costs). */
function jsonChars(value: unknown): number {
  return JSON.stringify(value).length;
}

/** Stands in for the next cursor while the answer's size is estimated (cursors are shorter). */
const CURSOR_PLACEHOLDER = "x".repeat(220);

async function listSessions(
  ctx: EvoSessionsContext,
  args: ListSessionsArgs,
  extra: Extra,
): Promise<CallToolResult> {
  const signal = extra.signal;
  const limit = args.limit ?? DEFAULT_LIST_LIMIT;
  const detail: Detail = args.detail ?? "summary";
  const filters = pickFilters(args);
  const cursor =
    args.cursor === undefined || args.cursor === "" ? undefined : readCursor(args.cursor);
  const resolved = await resolveFilters(ctx, filters, { signal, window: cursor?.window });
  // Bound to the filters, the accounts they resolved to and the user (see resolveFilters).
  if (cursor !== undefined) checkCursorFilters(cursor, resolved.hash);
  const offset = cursor?.offset ?? 0;
  const progressToken = extra._meta?.progressToken;
  const scan = await scanSessions(ctx, resolved, {
    offset,
    limit,
    scanCap: LIST_SCAN_CAP,
    signal,
    anchorId: cursor?.anchorId,
    onProgress:
      progressToken === undefined
        ? undefined
        : (scanned, total) =>
            extra.sendNotification({
              method: "notifications/progress",
              params: {
                progressToken,
                progress: scanned,
                ...(total === undefined ? {} : { total }),
                message: `read ${scanned}${total === undefined ? "" : ` of ${total}`} sessions`,
              },
            }),
  });
  const timeZone = ctx.config.timeZone;
  const filtering = resolved.clientFilters.length > 0;

  // One budget for everything sent: the text, the structured JSON and the resource links.
  const budget = new TextBudget(ctx.config.tokenBudget);
  for (const line of backendNotice(ctx)) budget.force(line);
  budget.force(resolved.accountsLine);
  budget.force(resolved.filtersLine);
  for (const warning of resolved.warnings) budget.force(warning);

  const total = filtering ? undefined : scan.serverTotal;
  const first = offset + 1;
  const headline =
    scan.matches.length === 0
      ? "No sessions match."
      : filtering
        ? `${scan.matches.length} matching session${scan.matches.length === 1 ? "" : "s"} (read ${scan.scanned} from Evo Voice${scan.serverTotal === undefined ? "" : `, which matched ${scan.serverTotal} before this server's filters`}):`
        : `Sessions ${first}–${offset + scan.matches.length}${total === undefined ? "" : ` of ${total}`} (get_session reads one by its id):`;
  budget.force(headline);

  const structured: ListSessionsOutput = {
    backend: ctx.backend.kind,
    accounts: accountsForAnswer(resolved, []),
    accountsSearched: resolved.accounts.length,
    sessionUriTemplate: SESSION_URI_TEMPLATE,
    filters: appliedFilters(resolved, timeZone),
    sessions: [],
    paging: {
      offset,
      returned: 0,
      ...(total === undefined ? {} : { total }),
      ...(scan.serverTotal === undefined || !filtering ? {} : { serverTotal: scan.serverTotal }),
      hasMore: true,
      nextCursor: CURSOR_PLACEHOLDER,
      leftOutForBudget: scan.matches.length,
      scanned: scan.scanned,
      scanCapReached: scan.capReached,
    },
  };
  budget.spend(jsonChars(structured));
  const listed = new Set(structured.accounts.map((a) => a.id));

  const showAccount = resolved.accounts.length !== 1;
  const shown: typeof scan.matches = [];
  const summaries: SessionSummary[] = [];
  const newAccounts: AccountRef[] = [];
  const links: ResourceLink[] = [];
  let currentDay: string | undefined;
  for (const match of scan.matches) {
    const session = match.session;
    const day = sessionDay(session, timeZone);
    const header = day === currentDay ? undefined : dayHeader(day);
    const line = sessionLine(session, { timeZone, showAccount, detail });
    const text = header === undefined ? line : `${header}\n${line}`;
    const summary = summarizeSession(session, detail);
    const id = session.id ?? "";
    const link: ResourceLink | undefined =
      detail === "full" && id !== ""
        ? {
            type: "resource_link",
            uri: sessionUri(id),
            name: clip(
              `${formatWhen(session.dateCreated, timeZone) ?? "?"} ${session.fromName ?? session.fromAddress ?? ""}`,
              48,
            ),
            mimeType: "text/plain",
          }
        : undefined;
    const accountId = session.accountId ?? "";
    const account =
      accountId !== "" && !listed.has(accountId)
        ? (resolved.accounts.find((a) => a.id === accountId) ?? {
            id: accountId,
            name: session.accountName ?? "",
          })
        : undefined;
    const extraChars =
      jsonChars(summary) +
      1 +
      (link === undefined ? 0 : jsonChars(link) + 1) +
      (account === undefined ? 0 : jsonChars(account) + 1);
    // The first session always goes in, so an answer never comes back empty-handed.
    if (shown.length > 0 && !budget.tryAdd(text, extraChars)) break;
    if (shown.length === 0) {
      budget.force(text);
      budget.spend(extraChars);
    }
    currentDay = day;
    shown.push(match);
    summaries.push(summary);
    if (account !== undefined) {
      listed.add(account.id);
      newAccounts.push(account);
    }
    if (link !== undefined) links.push(link);
  }

  const leftOut = scan.matches.length - shown.length;
  const lastShown = shown[shown.length - 1];
  const nextOffset = leftOut > 0 && lastShown !== undefined ? lastShown.index + 1 : scan.nextOffset;
  const hasMore = leftOut > 0 || !scan.exhausted;
  const anchor = lastShown?.session.id ?? cursor?.anchorId ?? undefined;
  const nextCursor = hasMore
    ? encodeCursor({
        filtersHash: resolved.hash,
        offset: nextOffset,
        window: resolved.window,
        anchorId: anchor === null ? undefined : anchor,
      })
    : undefined;

  if (scan.drift?.kind === "shifted" && scan.drift.by > 0) {
    budget.force(
      `Note: ${scan.drift.by} new session${scan.drift.by === 1 ? "" : "s"} arrived since the previous page; this page continues after the last session you already have (start a new list to see the new ones).`,
    );
  } else if (scan.drift !== undefined) {
    budget.force(
      "Note: the list changed since the previous page (sessions were removed or moved); a session may be missing or repeated here. Start a new list (no cursor) for a consistent view.",
    );
  }
  if (leftOut > 0) {
    budget.force(
      `Left out: ${leftOut} more session${leftOut === 1 ? "" : "s"} (answer size budget, ${ctx.config.tokenBudget} tokens of text and JSON); the cursor continues with them.`,
    );
  }
  if (scan.capReached) {
    budget.force(
      `Stopped after reading ${scan.scanned} sessions from Evo Voice for this answer (this server filters them itself); more may match further on: continue with the cursor, or narrow the range.`,
    );
  }
  if (nextCursor !== undefined) {
    const remaining = total === undefined ? "" : ` (${Math.max(0, total - nextOffset)} more)`;
    budget.force(
      `More${remaining}: call list_sessions again with the same filters and cursor="${nextCursor}".`,
    );
  } else if (scan.matches.length > 0) {
    budget.force("End of list: no more sessions match.");
  } else {
    budget.force(
      offset > 0
        ? "The cursor is past the end of the list."
        : "Nothing matched: widen the range, check the accountIds (list_accounts), or set searchArchive=true for sessions older than about 15 days.",
    );
  }

  structured.accounts.push(...newAccounts);
  structured.sessions = summaries;
  structured.paging.returned = shown.length;
  structured.paging.hasMore = hasMore;
  structured.paging.leftOutForBudget = leftOut;
  if (nextCursor === undefined) delete structured.paging.nextCursor;
  else structured.paging.nextCursor = nextCursor;
  return {
    content: [{ type: "text", text: budget.text() }, ...links],
    structuredContent: structured,
  };
}
