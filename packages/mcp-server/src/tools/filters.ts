import { z } from "zod";
import {
  isCalendarDate,
  parseEvoDate,
  SessionQuery,
  type AccountRef,
  type ListSessions,
  type SessionInfo,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { MAX_DEFAULT_ACCOUNT_ID_CHARS, nameAccounts } from "../context.js";
import { hashFilters, type CursorWindow } from "../cursor.js";
import { zonedText } from "../format/time.js";
import {
  describeWindowDays,
  RANGE_NAMES,
  resolveLocalDays,
  resolveRange,
  type RangeName,
} from "./ranges.js";
import { ToolArgumentError } from "./results.js";

const id = (what: string) =>
  z
    .string({ error: `each ${what} ID must be a string` })
    .trim()
    .min(1, { error: `${what} IDs must not be empty` })
    .max(200, { error: `${what} IDs are at most 200 characters` });

const ids = (what: string, description: string) =>
  z
    .array(id(what), { error: `must be a list of ${what} ID strings, e.g. ["abc123"]` })
    .max(100, { error: `at most 100 ${what} IDs at once` })
    .optional()
    .describe(description);

const day = (description: string) =>
  z
    .string({ error: "must be a date written YYYY-MM-DD, e.g. 2026-03-01" })
    // abort: a value that is not YYYY-MM-DD gets that one reason, not also "not a calendar day".
    .regex(/^\d{4}-\d{2}-\d{2}$/, {
      error: "must be a date written YYYY-MM-DD, e.g. 2026-03-01",
      abort: true,
    })
    .refine(isCalendarDate, { error: "is not a real calendar day" })
    .optional()
    .describe(description);

const text = (description: string) =>
  z
    .string({ error: "must be text" })
    .max(200, { error: "is at most 200 characters" })
    .optional()
    .describe(description);

function startDateDescription(zone: string): string {
  return `First day to include, YYYY-MM-DD (e.g. 2026-03-01): a local day in ${zone}, from its midnight. Use with or without endDate; for today, yesterday or last week prefer range.`;
}

function endDateDescription(zone: string): string {
  return `Last day to include (inclusive), YYYY-MM-DD: a local day in ${zone}, up to its end.`;
}

/**
 * The filters `list_sessions` and `session_stats` share: every ListSessions filter plus
 * relative ranges and three filters the server lacks (`missed`, `direction`, `channel`), which
 * are applied by this server to the pages it reads and say so in the answer.
 */
export const filterShape = {
  accountIds: ids(
    "account",
    "Evo Voice account IDs to search (get them from list_accounts). Omit to search the configured default account(s), or every account the sign-in reaches when none is configured. Every answer names the accounts it covers.",
  ),
  range: z
    .enum(RANGE_NAMES, { error: `must be one of ${RANGE_NAMES.join(", ")}` })
    .optional()
    .describe(
      "A relative time range, resolved in the server's configured time zone (named in every answer): today, yesterday, last_24h (the 24 hours up to now), last_7_days / last_30_days (including today), this_week (since Monday), last_week (Monday–Sunday before this week), this_month, last_month (the whole previous calendar month). Cannot be combined with startDate/endDate.",
    ),
  startDate: day(startDateDescription("the server's configured time zone")),
  endDate: day(endDateDescription("the server's configured time zone")),
  customerIds: ids(
    "customer",
    "Only sessions of these customers (IDs from earlier answers). To find a customer's ID by name, session_stats with groupBy customer lists the customers with their IDs.",
  ),
  endpointIds: ids(
    "endpoint",
    "Only sessions of these endpoints: users, phone numbers or queues (IDs from earlier answers). session_stats with groupBy endpoint lists the endpoints with their IDs.",
  ),
  from: text(
    'Text the caller\'s "from" address contains, e.g. "555" or "+15551234567" (a contains search, done by Evo Voice).',
  ),
  to: text(
    'Text the "to" address contains, e.g. a dialled number or part of it (contains search).',
  ),
  log: text(
    'Text that appears in the session\'s log, e.g. "voicemail" or "transfer" (search done by Evo Voice).',
  ),
  parentSessionId: text(
    "Only sessions created from this session (e.g. the legs of a transfer): the parent's session ID.",
  ),
  specificIds: ids("session", "Only these session IDs."),
  searchArchive: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe(
      "true searches archived sessions (older than about 15 days) instead of live ones. Default false.",
    ),
  sortField: text(
    "SessionInfo property to sort by, e.g. dateCreated (default), dateCompleted, fromAddress.",
  ),
  sortOrder: z
    .enum(["Ascend", "Descend"], { error: "must be Ascend or Descend" })
    .optional()
    .describe(
      "Descend or Ascend. Default: newest first when sortField is not given; with a sortField, Evo Voice's default order.",
    ),
  missed: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe(
      "true: only missed sessions; false: only sessions that were not missed. Evo Voice cannot filter on this, so this server filters the pages it reads (stated in the answer); combine with a range to keep it quick.",
    ),
  direction: z
    .enum(["Incoming", "Outgoing"], { error: "must be Incoming or Outgoing" })
    .optional()
    .describe("Incoming or Outgoing only (filtered by this server, like missed)."),
  channel: z
    .enum(["Voice", "Chat", "Fax"], { error: "must be Voice, Chat or Fax" })
    .optional()
    .describe("Voice, Chat (SMS/web chat) or Fax only (filtered by this server, like missed)."),
  // Evo Voice documents `outcome` as free text (no enum): any string is accepted and matched
  // whole, ignoring case, so "no answer" finds "No Answer".
  outcomes: z
    .array(
      z
        .string({ error: "each outcome must be a string" })
        .trim()
        .min(1, { error: "outcomes must not be empty" })
        .max(100, { error: "outcomes are at most 100 characters" }),
      { error: 'must be a list of outcome strings, e.g. ["Abandoned","Failed"]' },
    )
    .max(20, { error: "at most 20 outcomes at once" })
    .optional()
    .describe(
      'Only sessions whose outcome is one of these (whole words, any case), e.g. ["Abandoned","Failed"] or ["Voicemail"]. Outcomes are free text in Evo Voice; session_stats with groupBy outcome lists those that occur. Filtered by this server, like missed.',
    ),
};

/** {@link filterShape} with the configured zone named where local days are meant. */
export function filterShapeFor(timeZone: string): typeof filterShape {
  return {
    ...filterShape,
    startDate: filterShape.startDate.describe(startDateDescription(timeZone)),
    endDate: filterShape.endDate.describe(endDateDescription(timeZone)),
  };
}

/** The filter arguments as the input schema parses them. */
export type FilterArgs = {
  [K in keyof typeof filterShape]?: z.infer<(typeof filterShape)[K]>;
};

/** Names of the filter arguments (to split them from paging arguments). */
export const FILTER_NAMES = Object.keys(filterShape) as (keyof typeof filterShape)[];

/** A filter this server applies to the sessions it reads. */
interface ClientFilter {
  label: string;
  test(session: SessionInfo): boolean;
}

/** Filters turned into a server query, client-side checks and words for the answer. */
export interface ResolvedFilters {
  /** ListSessions parameters without paging. */
  params: ListSessions;
  query: SessionQuery;
  clientFilters: ClientFilter[];
  /** The accounts searched. */
  accounts: AccountRef[];
  /** False when the account IDs were left out of the request (Evo Voice searches all the user's). */
  accountIdsSent: boolean;
  /** The exact window the range or the local days resolved to (carried by cursors). */
  window: CursorWindow | undefined;
  /** `Accounts: …` and `Filters: …` lines. */
  accountsLine: string;
  filtersLine: string;
  /** The filters in words, without the `Filters: ` prefix and the zone. */
  summary: string;
  /** Things the model should know (e.g. account IDs not in the sign-in's list). */
  warnings: string[];
  /** Hash of the filter arguments, the accounts searched and the user (binds cursors to them). */
  hash: string;
}

/** Picks the filter arguments out of a tool's arguments. */
export function pickFilters(args: Record<string, unknown>): FilterArgs {
  const out: Record<string, unknown> = {};
  for (const name of FILTER_NAMES) if (args[name] !== undefined) out[name] = args[name];
  return out as FilterArgs;
}

/** True when a session matches every client-side filter. */
export function matchesClientFilters(resolved: ResolvedFilters, session: SessionInfo): boolean {
  return resolved.clientFilters.every((filter) => filter.test(session));
}

/** Options of {@link resolveFilters}. */
export interface ResolveOptions {
  signal?: AbortSignal | undefined;
  /** The window a cursor carried (a relative range keeps meaning the same days while paging). */
  window?: CursorWindow | undefined;
  /**
   * Counting (session_stats): read oldest first whatever the sort arguments say. Paging a
   * newest-first list while sessions arrive shifts every page by one, so a session would be read
   * twice; oldest first, new sessions land after the end.
   */
  counting?: boolean;
}

/**
 * Resolves filter arguments: the accounts (from the arguments, the configuration or the
 * sign-in), the range or local days (or the window a cursor carried), and the server query.
 */
export async function resolveFilters(
  ctx: EvoSessionsContext,
  filters: FilterArgs,
  options: ResolveOptions,
): Promise<ResolvedFilters> {
  if (
    filters.range !== undefined &&
    (filters.startDate !== undefined || filters.endDate !== undefined)
  ) {
    throw new ToolArgumentError(
      "range",
      "cannot be combined with startDate/endDate. Use either a relative range or explicit days.",
    );
  }
  if (
    filters.startDate !== undefined &&
    filters.endDate !== undefined &&
    filters.startDate > filters.endDate
  ) {
    throw new ToolArgumentError(
      "endDate",
      `must not be before startDate (got startDate ${filters.startDate}, endDate ${filters.endDate}). Swap them, or give one day as both.`,
    );
  }

  const timeZone = ctx.config.timeZone;
  let window: CursorWindow | undefined = options.window;
  if (window === undefined && filters.range !== undefined) {
    window = resolveRange(filters.range as RangeName, ctx.now(), timeZone);
  } else if (
    window === undefined &&
    (filters.startDate !== undefined || filters.endDate !== undefined)
  ) {
    window = resolveLocalDays(filters.startDate, filters.endDate, timeZone);
  }

  const chosen = await resolveAccounts(ctx, filters, options.signal);

  const params: ListSessions = {
    accountIds: chosen.accountIds,
    customerIds: filters.customerIds,
    endpointIds: filters.endpointIds,
    specificIds: filters.specificIds,
    from: filters.from,
    to: filters.to,
    log: filters.log,
    parentSessionId: filters.parentSessionId,
    searchArchive: filters.searchArchive,
    startDate: window?.startDate,
    endDate: window?.endDate,
    // Newest first unless told otherwise: "recent calls" is what is asked for nearly always.
    sortField: options.counting === true ? "dateCreated" : (filters.sortField ?? "dateCreated"),
    sortOrder:
      options.counting === true
        ? "Ascend"
        : (filters.sortOrder ?? (filters.sortField === undefined ? "Descend" : undefined)),
  };
  for (const key of Object.keys(params) as (keyof ListSessions)[]) {
    if (params[key] === undefined) delete params[key];
  }
  // Validates every value (calendar days, start before end, known sortField) naming the field.
  const query = SessionQuery.fromParams(params);

  const clientFilters: ClientFilter[] = [];
  if (window?.fromMs !== undefined || window?.toMs !== undefined) {
    const fromMs = window.fromMs ?? -Infinity;
    const toMs = window.toMs ?? Infinity;
    clientFilters.push({
      label: `started ${describeWindow(window, timeZone)}`,
      test: (session) => {
        const at = parseEvoDate(session.dateCreated)?.getTime();
        return at !== undefined && at >= fromMs && at < toMs;
      },
    });
  }
  if (filters.missed !== undefined) {
    const wanted = filters.missed;
    clientFilters.push({
      label: wanted ? "missed only" : "not missed",
      test: (session) => (session.wasMissed === true) === wanted,
    });
  }
  if (filters.direction !== undefined) {
    const wanted = filters.direction;
    clientFilters.push({
      label: `${wanted.toLowerCase()} only`,
      test: (session) => session.direction === wanted,
    });
  }
  if (filters.outcomes !== undefined && filters.outcomes.length > 0) {
    const wanted = new Set(filters.outcomes.map((outcome) => outcome.toLowerCase()));
    clientFilters.push({
      label: `outcome ${filters.outcomes.map((o) => JSON.stringify(o)).join(" or ")}`,
      test: (session) => wanted.has((session.outcome ?? "").trim().toLowerCase()),
    });
  }
  if (filters.channel !== undefined) {
    const wanted = filters.channel;
    clientFilters.push({
      label: `${wanted} only`,
      test: (session) => session.channel === wanted,
    });
  }

  // The date part and the rest are worded separately: the accounts have their own line, the
  // days are the local ones with the server's UTC days beside them, and counting has no order.
  const parts: string[] = [];
  if (window !== undefined) parts.push(describeWindowDays(window));
  let rest = query.without("accountIds", "startDate", "endDate");
  if (options.counting === true) rest = rest.without("sortField", "sortOrder");
  const restWords = rest.describe();
  if (restWords !== "all sessions" || parts.length === 0) parts.push(restWords);
  if (clientFilters.length > 0) {
    parts.push(
      `applied by this server to the pages read: ${clientFilters.map((f) => f.label).join(", ")}`,
    );
  }
  const summary = parts.join(" · ");
  const filtersLine = `Filters: ${summary} · times shown in ${timeZone}`;

  const hash = hashFilters({
    filters: filters as Record<string, unknown>,
    accounts: chosen.accounts.map((a) => a.id).sort(),
    user: chosen.user,
  });
  return {
    params,
    query,
    clientFilters,
    accounts: chosen.accounts,
    accountIdsSent: chosen.accountIds !== undefined,
    window,
    accountsLine: chosen.accountsLine,
    filtersLine,
    summary,
    warnings: chosen.warnings,
    hash,
  };
}

interface ChosenAccounts {
  accounts: AccountRef[];
  accountsLine: string;
  /** The IDs to send, or undefined to leave accountIds out. */
  accountIds: string[] | undefined;
  warnings: string[];
  /** Who is signed in (part of the cursor hash). */
  user: string | undefined;
}

async function resolveAccounts(
  ctx: EvoSessionsContext,
  filters: FilterArgs,
  signal: AbortSignal | undefined,
): Promise<ChosenAccounts> {
  const status = await ctx.authStatus(signal === undefined ? {} : { signal });
  const reachable = new Map(status.accounts.map((a) => [a.id, a]));
  const explicit = filters.accountIds;
  const configured = ctx.config.defaultAccountIds;
  const user = status.userName ?? status.emailAddress;
  let chosen: string[];
  let how: string;
  let every = false;
  if (explicit !== undefined && explicit.length > 0) {
    chosen = [...new Set(explicit)];
    how = "as asked";
  } else if (configured.length > 0) {
    chosen = configured;
    how = "the configured default (EVO_VOICE_ACCOUNT_IDS)";
  } else {
    chosen = status.accounts.map((a) => a.id);
    how = "every account this sign-in reaches";
    every = true;
  }
  const argument =
    explicit !== undefined && explicit.length > 0
      ? "accountIds"
      : "accountIds (default EVO_VOICE_ACCOUNT_IDS)";
  const unknown = chosen.filter((accountId) => !reachable.has(accountId));
  const warnings: string[] = [];
  if (unknown.length > 0) {
    const listed = `${unknown.map((a) => JSON.stringify(a)).join(", ")} ${unknown.length === 1 ? "is not an account" : "are not accounts"} this sign-in's account list names`;
    // System administrators may reach accounts their list does not name: warn them, refuse others.
    const isAdmin = status.roles.some((role) => /admin/i.test(role));
    if (!isAdmin) {
      throw new ToolArgumentError(
        argument,
        `${listed.replace("this sign-in's account list names", "this sign-in reaches")}. Reachable: ${nameAccounts(status.accounts, 10)}. Call list_accounts for the full list.`,
      );
    }
    warnings.push(
      `Warning (${argument}): ${listed}. Searched anyway because the user is an administrator (roles: ${status.roles.join(", ")}); if nothing matches, check the ID with list_accounts.`,
    );
  }
  const accounts = chosen.map(
    (accountId) => reachable.get(accountId) ?? { id: accountId, name: "" },
  );
  for (const account of accounts) ctx.directory.note("account", account.id, account.name);
  // A long "every account" list is left out of the request: see MAX_DEFAULT_ACCOUNT_IDS_SENT.
  const omit =
    every &&
    (chosen.length > ctx.maxDefaultAccountIdsSent ||
      chosen.join(",").length > MAX_DEFAULT_ACCOUNT_ID_CHARS);
  const accountsLine =
    accounts.length === 0
      ? "Accounts: none reachable by this sign-in"
      : `Accounts (${how}${omit ? `: ${accounts.length}, searched by Evo Voice without listing them in the request` : ""}): ${nameAccounts(accounts)}`;
  return {
    accounts,
    accountsLine,
    accountIds: chosen.length > 0 && !omit ? chosen : undefined,
    warnings,
    user,
  };
}
/** `2026-03-01 00:00 – 2026-03-02 00:00 Europe/Berlin` (end exclusive). */
export function describeWindow(window: CursorWindow, timeZone: string): string {
  const at = (ms: number | undefined) => {
    if (ms === undefined) return "…";
    const parts = zonedText(new Date(ms), timeZone);
    return `${parts.day} ${parts.time}`;
  };
  return `${at(window.fromMs)} – ${at(window.toMs)} ${timeZone}`;
}
