/**
 * What a user can ask of sessions that ListSessions cannot filter on — missed or not, a direction,
 * a channel, outcomes — kept on the SessionQuery beside the server parameters and applied to the
 * pages read (by the scanner). One vocabulary and one rule for every surface, so the sidebar and
 * the chat agree on which sessions a filter keeps.
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import {
  channelOf,
  directionOf,
  isMissed,
  OutcomeKinds,
  outcomeOf,
  type KnownChannel,
  type KnownDirection,
  type OutcomeKind,
} from "../facts/session-facts.js";
import type { SessionInfo } from "../model/session.js";
import { startedAt } from "../facts/session-facts.js";
import { canonicalTimeZone, zonedParts } from "../time/zoned-time.js";

/** Filters applied to the sessions read; every field is optional and unset means "any". */
export interface SessionPredicates {
  /** true: only sessions Evo Voice marked missed; false: only the others. */
  missed?: boolean;
  direction?: KnownDirection;
  channel?: KnownChannel;
  /** The server's outcome text is one of these (whole words, any case; outcome is free text). */
  outcomes?: readonly string[];
  /** The outcome class (core's facts) is one of these. */
  outcomeKinds?: readonly OutcomeKind[];
  /**
   * The session started on one of these local weekdays (0 Sunday … 6 Saturday) — a heatmap
   * column, "Mondays". Sessions whose start cannot be read are dropped: the filter asks when.
   */
  weekdays?: readonly number[];
  /** The session started in one of these local hours (0–23) — a heatmap row, "9 to 10". */
  hours?: readonly number[];
  /**
   * The zone `weekdays` and `hours` are read in. Unset: the query's window's zone, else UTC
   * (never the machine's: the same query must keep the same sessions on every machine).
   */
  timeZone?: string;
}

/** Names of the predicates, in their canonical order. */
export const SessionPredicateNames = [
  "missed",
  "direction",
  "channel",
  "outcomes",
  "outcomeKinds",
  "weekdays",
  "hours",
  "timeZone",
] as const satisfies readonly (keyof SessionPredicates)[];

export const MAX_OUTCOMES = 20;
const MAX_OUTCOME_LENGTH = 100;
const DIRECTIONS = ["Incoming", "Outgoing"] as const;
const CHANNELS = ["Voice", "Chat", "Fax"] as const;
const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** `current` with `changes` applied (undefined unsets), validated; frozen, canonical order. */
export function applyPredicates(
  current: Readonly<SessionPredicates>,
  changes: Readonly<Record<string, unknown>>,
): Readonly<SessionPredicates> {
  const next: Record<string, unknown> = { ...current };
  for (const key of Object.keys(changes)) {
    const name = SessionPredicateNames.find((known) => known.toLowerCase() === key.toLowerCase());
    if (name === undefined) {
      throw new QueryValidationError(
        key,
        `is not a session filter (known: ${SessionPredicateNames.join(", ")})`,
        changes[key],
      );
    }
    const value = normalise(name, changes[key]);
    if (value === undefined) delete next[name];
    else next[name] = value;
  }
  const ordered: Record<string, unknown> = {};
  for (const name of SessionPredicateNames)
    if (next[name] !== undefined) ordered[name] = next[name];
  return Object.freeze(ordered) as Readonly<SessionPredicates>;
}

function normalise(name: (typeof SessionPredicateNames)[number], value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (name) {
    case "missed":
      if (typeof value !== "boolean")
        throw new QueryValidationError(name, "must be true or false", value);
      return value;
    case "direction":
      return oneOf(name, value, DIRECTIONS);
    case "channel":
      return oneOf(name, value, CHANNELS);
    case "outcomes":
      return textList(name, value);
    case "outcomeKinds": {
      const list = textList(name, value);
      return list === undefined
        ? undefined
        : Object.freeze(list.map((kind) => oneOf(name, kind, OutcomeKinds)));
    }
    case "weekdays":
      return integerList(name, value, 6);
    case "hours":
      return integerList(name, value, 23);
    case "timeZone": {
      const zone = typeof value === "string" ? canonicalTimeZone(value.trim()) : undefined;
      if (zone === undefined)
        throw new QueryValidationError(
          name,
          "must be an IANA time zone, e.g. Europe/London",
          value,
        );
      return zone;
    }
  }
}

/** Whole numbers from 0 to `max`, deduplicated and sorted (their order means nothing). */
function integerList(field: string, value: unknown, max: number): readonly number[] | undefined {
  const items = typeof value === "number" ? [value] : value;
  if (!Array.isArray(items))
    throw new QueryValidationError(field, "must be a list of numbers", value);
  for (const item of items) {
    if (typeof item !== "number" || !Number.isInteger(item) || item < 0 || item > max)
      throw new QueryValidationError(field, `each must be a whole number from 0 to ${max}`, item);
  }
  const out = [...new Set(items as number[])].sort((a, b) => a - b);
  return out.length === 0 ? undefined : Object.freeze(out);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  const found =
    typeof value === "string"
      ? allowed.find((option) => option.toLowerCase() === value.trim().toLowerCase())
      : undefined;
  if (found === undefined) {
    throw new QueryValidationError(field, `must be one of ${allowed.join(", ")}`, value);
  }
  return found;
}

function textList(field: string, value: unknown): readonly string[] | undefined {
  const items = typeof value === "string" ? [value] : value;
  if (!Array.isArray(items)) {
    throw new QueryValidationError(field, "must be a list of text values", value);
  }
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" || item.trim() === "" || item.length > MAX_OUTCOME_LENGTH) {
      throw new QueryValidationError(
        field,
        `each must be text of 1 to ${MAX_OUTCOME_LENGTH} characters`,
        item,
      );
    }
    const text = item.trim();
    if (!out.some((seen) => seen.toLowerCase() === text.toLowerCase())) out.push(text);
  }
  if (out.length > MAX_OUTCOMES) {
    throw new QueryValidationError(field, `at most ${MAX_OUTCOMES} at once`, value);
  }
  return out.length === 0 ? undefined : Object.freeze(out);
}

/** True when no predicate is set. */
export function noPredicates(where: Readonly<SessionPredicates>): boolean {
  return Object.keys(where).length === 0;
}

/** True when `session` passes every predicate. */
export function matchesPredicates(
  where: Readonly<SessionPredicates>,
  session: SessionInfo,
  windowZone?: string,
): boolean {
  if (where.missed !== undefined && isMissed(session) !== where.missed) return false;
  if (where.direction !== undefined && directionOf(session) !== where.direction) return false;
  if (where.channel !== undefined && channelOf(session) !== where.channel) return false;
  if (where.outcomes !== undefined) {
    const outcome = (session.outcome ?? "").trim().toLowerCase();
    if (!where.outcomes.some((wanted) => wanted.toLowerCase() === outcome)) return false;
  }
  if (where.outcomeKinds !== undefined && !where.outcomeKinds.includes(outcomeOf(session).kind)) {
    return false;
  }
  if (where.weekdays !== undefined || where.hours !== undefined) {
    return matchesTimeSlot(where, session, where.timeZone ?? windowZone ?? "UTC");
  }
  return true;
}

function matchesTimeSlot(
  where: Readonly<SessionPredicates>,
  session: SessionInfo,
  timeZone: string,
): boolean {
  const start = startedAt(session);
  if (start === undefined) return false;
  const parts = zonedParts(start, timeZone);
  if (where.weekdays !== undefined && !where.weekdays.includes(parts.weekday)) return false;
  return where.hours === undefined || where.hours.includes(parts.hour);
}

/** The predicates in words, e.g. `missed only · incoming only · outcome "Abandoned" or "Failed"`. */
export function describePredicates(where: Readonly<SessionPredicates>): string[] {
  const parts: string[] = [];
  if (where.missed !== undefined) parts.push(where.missed ? "missed only" : "not missed");
  if (where.direction !== undefined) parts.push(`${where.direction.toLowerCase()} only`);
  if (where.channel !== undefined) parts.push(`${where.channel.toLowerCase()} only`);
  if (where.outcomes !== undefined) {
    parts.push(`outcome ${where.outcomes.map((o) => JSON.stringify(o)).join(" or ")}`);
  }
  if (where.outcomeKinds !== undefined)
    parts.push(`outcome class ${where.outcomeKinds.join(" or ")}`);
  const zone = where.timeZone === undefined ? "" : ` (${where.timeZone})`;
  if (where.weekdays !== undefined) {
    const days = where.weekdays.map((day) => WEEKDAY_NAMES[day] ?? String(day));
    parts.push(`on ${days.join(" or ")}${where.hours === undefined ? zone : ""}`);
  }
  if (where.hours !== undefined) {
    const spans = where.hours.map((hour) => `${clock(hour)}–${clock(hour + 1)}`);
    parts.push(`started ${spans.join(" or ")}${zone}`);
  }
  return parts;
}

function clock(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}
