import { z } from "zod";
import { isCalendarDate, SessionQuery, type AccountRef } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { hashFilters } from "../cursor.js";
import { describeQuery } from "./applied-filters.js";
import { LISTED_UNTYPED } from "./argument-errors.js";
import { RANGE_NAMES } from "./ranges.js";
import { applyNameArgs, nameShape, namesLine, type ResolvedName } from "./names.js";
import { resolveAccounts } from "./resolve-accounts.js";
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
  return `First day, YYYY-MM-DD, in ${zone}`;
}

function endDateDescription(_zone: string): string {
  return "Last day (inclusive)";
}

/**
 * The filters `list_sessions` and `session_stats` share: every ListSessions filter plus
 * relative ranges and three filters the server lacks (`missed`, `direction`, `channel`), which
 * are applied by this server to the pages it reads and say so in the answer.
 */
export const filterShape = {
  accountIds: ids("account", "From list_accounts; default: configured, else all"),
  range: z
    .enum(RANGE_NAMES, { error: `must be one of ${RANGE_NAMES.join(", ")}` })
    .optional()
    .describe("Server's zone; not with startDate"),
  startDate: day(startDateDescription("the server's configured time zone")),
  endDate: day(endDateDescription("the server's configured time zone")),
  customerIds: ids("customer", ""),
  endpointIds: ids("endpoint", ""),
  ...nameShape,
  from: text('Caller address contains, e.g. "555"'),
  to: text(""),
  log: text('Log text contains, e.g. "voicemail"'),
  parentSessionId: text("Legs created from this session"),
  specificIds: ids("session", ""),
  searchArchive: z
    .boolean({ error: "must be true or false" })
    .optional()
    .describe("Archived (older than ~15 days) instead"),
  sortField: text("e.g. dateCreated (default)"),
  sortOrder: z
    .enum(["Ascend", "Descend"], { error: "must be Ascend or Descend" })
    .optional()
    .describe(""),
  missed: z.boolean({ error: "must be true or false" }).optional().describe("false: not missed"),
  direction: z
    .enum(["Incoming", "Outgoing"], { error: "must be Incoming or Outgoing" })
    .optional()
    .describe(""),
  channel: z
    .enum(["Voice", "Chat", "Fax"], { error: "must be Voice, Chat or Fax" })
    .optional()
    .describe(""),
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
    .describe('Any of, e.g. ["Voicemail"]'),
};

/**
 * A filter as the other tools list it: the same checks, but listed untyped and without words
 * (`{}`): it is described once, in list_sessions (their descriptions say so), so tools/list stays
 * small. `description` keeps words of its own (e.g. another default).
 */
export function sharedFilter<S extends z.ZodType>(schema: S, description?: string): S {
  return schema.meta({ description, [LISTED_UNTYPED]: true });
}

/** {@link filterShape} as the other tools list it (see {@link sharedFilter}). */
export const sharedFilterShape = Object.fromEntries(
  Object.entries(filterShape).map(([name, schema]) => [name, sharedFilter(schema)]),
) as typeof filterShape;

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

/** Picks the filter arguments out of a tool's arguments. */
export function pickFilters(args: Record<string, unknown>): FilterArgs {
  const out: Record<string, unknown> = {};
  for (const name of FILTER_NAMES) if (args[name] !== undefined) out[name] = args[name];
  return out as FilterArgs;
}

/** One tool call's filters resolved: the one query to scan, and what the answer says about it. */
export interface ResolvedFilters {
  /** Everything asked: server parameters, the local-day window and this server's filters. */
  query: SessionQuery;
  /** The accounts searched. */
  accounts: AccountRef[];
  /** False when the account IDs were left out of the request (Evo Voice searches all the user's). */
  accountIdsSent: boolean;
  /** The instant a relative range was resolved at (a cursor carries it), when there is one. */
  resolvedAt: number | undefined;
  /** `Accounts: …` and `Filters: …` lines. */
  accountsLine: string;
  filtersLine: string;
  /** The filters in words, without the `Filters: ` prefix and the zone. */
  summary: string;
  /** The filters this server applies to the sessions it reads, in words. */
  clientSide: string[];
  /** Things the model should know (e.g. account IDs not in the sign-in's list). */
  warnings: string[];
  /** What the customers/endpoints names resolved to, and that in words (a header line). */
  names: ResolvedName[];
  namesLine: string | undefined;
  /** Hash of the query's canonical key, the accounts searched and the user (binds cursors). */
  hash: string;
}

/** Options of {@link resolveFilters}. */
export interface ResolveOptions {
  signal?: AbortSignal | undefined;
  /** The instant a cursor's relative range was resolved at, so "today" keeps its day while paging. */
  resolvedAt?: number | undefined;
  /**
   * Counting (session_stats): read oldest first whatever the sort arguments say. Paging a
   * newest-first list while sessions arrive shifts every page by one, so a session would be read
   * twice; oldest first, new sessions land after the end.
   */
  counting?: boolean;
}

/**
 * Resolves filter arguments into one {@link SessionQuery}: the accounts (from the arguments, the
 * configuration or the sign-in), the range or local days in the configured zone, and the
 * filters Evo Voice lacks. Core validates every value, naming the argument.
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
  const resolvedAt =
    filters.range === undefined ? undefined : (options.resolvedAt ?? ctx.now().getTime());
  const chosen = await resolveAccounts(ctx, filters.accountIds, options.signal);
  // Names resolve within the accounts searched (all the user's when the list is left out).
  const { query, resolved: names } = await applyNameArgs(
    ctx,
    queryOf(filters, chosen.accountIds, {
      timeZone: ctx.config.timeZone,
      now: new Date(resolvedAt ?? ctx.now().getTime()),
      counting: options.counting === true,
    }),
    filters,
    chosen.accountIds ?? [],
    options.signal,
  );
  const words = describeQuery(query, ctx.config.timeZone, options.counting === true);
  return {
    query,
    accounts: chosen.accounts,
    accountIdsSent: chosen.accountIds !== undefined,
    resolvedAt,
    accountsLine: chosen.accountsLine,
    filtersLine: `Filters: ${words.summary} · times shown in ${ctx.config.timeZone}`,
    summary: words.summary,
    clientSide: words.clientSide,
    warnings: chosen.warnings,
    names,
    namesLine: namesLine(names),
    hash: hashFilters({
      query: query.key(),
      accounts: chosen.accounts.map((a) => a.id).sort(),
      user: chosen.user,
    }),
  };
}

/** The filter arguments as one query (validated by core, which names the argument at fault). */
function queryOf(
  filters: FilterArgs,
  accountIds: string[] | undefined,
  options: { timeZone: string; now: Date; counting: boolean },
): SessionQuery {
  let query = SessionQuery.create().with({
    accountIds,
    customerIds: filters.customerIds,
    endpointIds: filters.endpointIds,
    specificIds: filters.specificIds,
    from: filters.from,
    to: filters.to,
    log: filters.log,
    parentSessionId: filters.parentSessionId,
    searchArchive: filters.searchArchive,
    // Newest first unless told otherwise: "recent calls" is what is asked for nearly always.
    sortField: filters.sortField ?? "dateCreated",
    sortOrder: filters.sortOrder ?? (filters.sortField === undefined ? "Descend" : undefined),
  });
  if (options.counting) query = query.oldest();
  const { timeZone } = options;
  if (filters.range !== undefined)
    query = query.range(filters.range, { now: options.now, timeZone });
  else if (filters.startDate !== undefined || filters.endDate !== undefined)
    query = query.localDays(filters.startDate, filters.endDate, { timeZone });
  return query.filter({
    missed: filters.missed,
    direction: filters.direction,
    channel: filters.channel,
    outcomes: filters.outcomes,
  });
}
