/**
 * The session filters every reading command shares, in list_sessions' vocabulary and built into
 * one core {@link SessionQuery}: server parameters, a local-day window and core's own filters.
 */
import {
  canonicalTimeZone,
  QueryValidationError,
  RANGE_PRESETS,
  SessionQuery,
} from "@evo-sessions/core";
import { choiceOf, listOf, stringOf, type OptionSpecs, type OptionValues } from "./args.js";
import { CliError, usageError } from "./errors.js";

const PRESETS = RANGE_PRESETS.map((p) => p.preset).join(", ");

/** The filter options (shared by list, stats, export and sync). */
export const FILTER_OPTIONS: OptionSpecs = {
  range: {
    type: "string",
    short: "r",
    value: "NAME",
    description: `relative range: ${PRESETS}, last-N-days, last-N-hours`,
  },
  start: {
    type: "string",
    value: "DAY",
    description: "first local day, YYYY-MM-DD (in the time zone)",
  },
  end: { type: "string", value: "DAY", description: "last local day, inclusive" },
  account: {
    type: "string",
    short: "a",
    multiple: true,
    value: "ID",
    description: "account IDs (default EVO_VOICE_ACCOUNT_IDS, else all)",
  },
  customer: { type: "string", multiple: true, value: "ID", description: "customer IDs" },
  endpoint: {
    type: "string",
    multiple: true,
    value: "ID",
    description: "endpoint IDs (users, numbers, queues)",
  },
  from: {
    type: "string",
    value: "TEXT",
    description: "the caller's address contains TEXT (server search)",
  },
  to: { type: "string", value: "TEXT", description: "the address called contains TEXT" },
  log: { type: "string", value: "TEXT", description: "the session's log contains TEXT" },
  id: { type: "string", multiple: true, value: "ID", description: "only these session IDs" },
  parent: {
    type: "string",
    value: "ID",
    description: "sessions created from this one (transfer legs)",
  },
  missed: { type: "boolean", description: "only missed sessions" },
  "not-missed": { type: "boolean", description: "only sessions that were not missed" },
  direction: { type: "string", value: "DIR", description: "incoming or outgoing" },
  channel: { type: "string", value: "CH", description: "voice, chat or fax" },
  outcome: {
    type: "string",
    multiple: true,
    value: "TEXT",
    description: "the server's outcome words, e.g. Abandoned",
  },
  archive: {
    type: "boolean",
    description: "search archived sessions (older than ~15 days) instead of live ones",
  },
  sort: {
    type: "string",
    value: "FIELD",
    description: "SessionInfo field to sort by (default dateCreated)",
  },
  oldest: { type: "boolean", description: "oldest first (default newest first)" },
  "time-zone": {
    type: "string",
    short: "z",
    value: "ZONE",
    description: "IANA zone (default EVO_VOICE_TIME_ZONE, else the system's)",
  },
};

/** Core parameter names → the flag a user typed, for error messages. */
const FLAG_OF: Record<string, string> = {
  accountIds: "--account",
  customerIds: "--customer",
  endpointIds: "--endpoint",
  specificIds: "--id",
  parentSessionId: "--parent",
  startDate: "--start",
  endDate: "--end",
  range: "--range",
  sortField: "--sort",
  timeZone: "--time-zone",
  from: "--from",
  to: "--to",
  log: "--log",
  direction: "--direction",
  channel: "--channel",
  outcomes: "--outcome",
  missed: "--missed",
};

/** What the filters need besides the flags. */
export interface FilterContext {
  timeZone: string;
  now: Date;
  defaultAccountIds: string[];
  /** Read oldest first whatever the flags say (exports, counts, syncs). */
  oldestFirst?: boolean;
}

/** The zone asked for with `--time-zone`, else the environment's. */
export function zoneOf(values: OptionValues, fallback: string): string {
  const text = stringOf(values, "time-zone");
  if (text === undefined) return fallback;
  const zone = canonicalTimeZone(text.trim());
  if (zone === undefined) {
    throw usageError(
      "--time-zone",
      `is not an IANA time zone (got ${JSON.stringify(text)}); use e.g. Europe/London`,
    );
  }
  return zone;
}

/** The filter flags as one core query; core validates every value, the error naming the flag. */
export function queryOf(values: OptionValues, ctx: FilterContext): SessionQuery {
  if (
    stringOf(values, "range") !== undefined &&
    (values.start !== undefined || values.end !== undefined)
  ) {
    throw usageError("--range", "cannot be combined with --start/--end");
  }
  if (values.missed === true && values["not-missed"] === true) {
    throw usageError("--missed", "cannot be combined with --not-missed");
  }
  try {
    return build(values, ctx);
  } catch (error) {
    if (error instanceof QueryValidationError) {
      const flag = FLAG_OF[error.field] ?? `--${error.field}`;
      throw new CliError("usage", `${flag}: ${error.reason} (got ${JSON.stringify(error.value)})`, {
        argument: flag,
      });
    }
    throw error;
  }
}

function build(values: OptionValues, ctx: FilterContext): SessionQuery {
  const sortField = stringOf(values, "sort");
  let query = SessionQuery.create().with({
    accountIds:
      listOf(values, "account") ??
      (ctx.defaultAccountIds.length > 0 ? ctx.defaultAccountIds : undefined),
    customerIds: listOf(values, "customer"),
    endpointIds: listOf(values, "endpoint"),
    specificIds: listOf(values, "id"),
    parentSessionId: stringOf(values, "parent"),
    from: stringOf(values, "from"),
    to: stringOf(values, "to"),
    log: stringOf(values, "log"),
    searchArchive: values.archive === true ? true : undefined,
    sortField: sortField ?? "dateCreated",
    sortOrder: values.oldest === true || ctx.oldestFirst === true ? "Ascend" : "Descend",
  });
  if (ctx.oldestFirst === true) query = query.oldest();
  const range = stringOf(values, "range");
  const timeZone = ctx.timeZone;
  if (range !== undefined) query = query.range(range, { now: ctx.now, timeZone });
  else if (values.start !== undefined || values.end !== undefined) {
    query = query.localDays(stringOf(values, "start"), stringOf(values, "end"), { timeZone });
  }
  return query.filter({
    missed: values.missed === true ? true : values["not-missed"] === true ? false : undefined,
    direction: choiceOf(values, "direction", ["Incoming", "Outgoing"] as const),
    channel: choiceOf(values, "channel", ["Voice", "Chat", "Fax"] as const),
    outcomes: listOf(values, "outcome"),
  });
}
