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
}

/** Names of the predicates, in their canonical order. */
export const SessionPredicateNames = [
  "missed",
  "direction",
  "channel",
  "outcomes",
  "outcomeKinds",
] as const satisfies readonly (keyof SessionPredicates)[];

export const MAX_OUTCOMES = 20;
const MAX_OUTCOME_LENGTH = 100;
const DIRECTIONS = ["Incoming", "Outgoing"] as const;
const CHANNELS = ["Voice", "Chat", "Fax"] as const;

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
  }
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
  return true;
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
  return parts;
}
