/**
 * The facts of a session as a person reads them — live or ended, direction, who called whom,
 * what became of it, how long it rang and lasted — decided once here so that every surface (the
 * MCP server's answers, the VS Code sidebar and details, exports) states the same facts about the
 * same session. Each function is pure and tolerant: the DTO's fields may be missing, null or
 * values no enum names yet (the service adds them), and then a fact is `undefined`, not a guess.
 */
import { parseEvoDate } from "../model/dates.js";
import type { SessionInfo, SessionLogInfo } from "../model/session.js";

/** A direction the service documents (its enum is open: a new value reads as unknown). */
export type KnownDirection = "Incoming" | "Outgoing";
/** A channel the service documents. */
export type KnownChannel = "Voice" | "Chat" | "Fax";

const KNOWN_CHANNELS: readonly KnownChannel[] = ["Voice", "Chat", "Fax"];

/** Call states of a session still going on; any other value, known or not, is not live. */
const LIVE_CALL_STATES: ReadonlySet<string> = new Set(["Ringing", "Connected", "Hold"]);

/** The first argument that is non-blank text, trimmed. */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

/**
 * True once the session is over: the server says `ended`, it has a completion date, or its call
 * state is `Disconnected`. Any one suffices: the fields are filled at different moments.
 */
export function hasEnded(session: SessionInfo): boolean {
  return (
    session.ended === true ||
    parseEvoDate(session.dateCompleted) !== undefined ||
    session.callState === "Disconnected"
  );
}

/** True for a call in progress: not ended, and ringing, connected or on hold. */
export function isLive(session: SessionInfo): boolean {
  return !hasEnded(session) && LIVE_CALL_STATES.has(session.callState ?? "");
}

/** True when Evo Voice marked the session as missed (`wasMissed`); nothing else is inferred. */
export function isMissed(session: SessionInfo): boolean {
  return session.wasMissed === true;
}

/** `Incoming` or `Outgoing`, or undefined when the server did not say (or said something new). */
export function directionOf(session: SessionInfo): KnownDirection | undefined {
  const direction = session.direction;
  if (direction === "Incoming") return "Incoming";
  return direction === "Outgoing" ? "Outgoing" : undefined;
}

/** `Voice`, `Chat` or `Fax`, or undefined when unknown. */
export function channelOf(session: SessionInfo): KnownChannel | undefined {
  const channel = session.channel;
  return KNOWN_CHANNELS.find((known) => known === channel);
}

/** One side of a session: a name (a person, an endpoint) and an address (a number, a client). */
export interface Party {
  name?: string;
  address?: string;
}

/**
 * Who called whom. Incoming: the caller (caller-ID name and number) → the endpoint called (its
 * name and the address dialled). Outgoing: the endpoint that called (the caller-ID name it sent,
 * else its own name, and the number it called from) → the address dialled.
 */
export function partiesOf(session: SessionInfo): { from: Party; to: Party } {
  const fromAddress = firstText(session.fromAddress, session.fromPhoneNumber);
  const toAddress = firstText(session.toAddress, session.destination);
  const endpoint = firstText(session.endpointName);
  if (directionOf(session) === "Outgoing") {
    return {
      from: party(firstText(session.fromName) ?? endpoint, fromAddress),
      to: party(undefined, toAddress),
    };
  }
  return {
    from: party(firstText(session.fromName), fromAddress),
    to: party(endpoint, toAddress),
  };
}

function party(name: string | undefined, address: string | undefined): Party {
  const out: Party = {};
  if (name !== undefined) out.name = name;
  if (address !== undefined && address !== name) out.address = address;
  return out;
}

/** A party in a few words: its name, else its address; undefined when neither is known. */
export function partyText(side: Party): string | undefined {
  return side.name ?? side.address;
}

/** What became of a session, in classes every surface shows alike. */
export const OutcomeKinds = [
  "live",
  "answered",
  "voicemail",
  "abandoned",
  "no-answer",
  "busy",
  "failed",
  "delivered",
  "unknown",
] as const;
export type OutcomeKind = (typeof OutcomeKinds)[number];

/** The outcome of a session: its class, whether it counts as missed, and the server's words. */
export interface SessionOutcome {
  kind: OutcomeKind;
  /** Evo Voice's `wasMissed`. */
  missed: boolean;
  /** The server's own `outcome` text, trimmed (free text: no enum is documented). */
  text?: string;
}

// `outcome` is documented as free text; these are the words seen for each class (lower case,
// spaces, dashes and underscores alike), and anything else is read from the other fields.
const OUTCOME_WORDS: ReadonlyMap<string, OutcomeKind> = new Map([
  ["answered", "answered"],
  ["completed", "answered"],
  ["connected", "answered"],
  ["voicemail", "voicemail"],
  ["voice mail", "voicemail"],
  ["abandoned", "abandoned"],
  ["hung up", "abandoned"],
  ["no answer", "no-answer"],
  ["noanswer", "no-answer"],
  ["missed", "no-answer"],
  ["busy", "busy"],
  ["failed", "failed"],
  ["error", "failed"],
  ["canceled", "failed"],
  ["cancelled", "failed"],
  ["received", "delivered"],
  ["delivered", "delivered"],
  ["sent", "delivered"],
]);

/** The outcome class: live first, then the server's outcome words, then the other fields. */
export function outcomeOf(session: SessionInfo): SessionOutcome {
  const text = firstText(session.outcome);
  const missed = isMissed(session);
  const base = text === undefined ? { missed } : { missed, text };
  if (isLive(session)) return { kind: "live", ...base };
  const word = text?.toLowerCase().replace(/[\s_-]+/g, " ");
  const known = word === undefined ? undefined : OUTCOME_WORDS.get(word);
  if (known !== undefined) return { kind: known, ...base };
  if (missed) return { kind: "no-answer", ...base };
  if (firstText(session.answeredByName, session.answeredById) !== undefined)
    return { kind: "answered", ...base };
  return { kind: "unknown", ...base };
}

/** Who answered: the server's `answeredByName`, trimmed. */
export function answeredBy(session: SessionInfo): string | undefined {
  return firstText(session.answeredByName);
}

/** When the session started (`dateCreated`), if readable. */
export function startedAt(session: SessionInfo): Date | undefined {
  return parseEvoDate(session.dateCreated);
}

/** When it ended (`dateCompleted`), if readable. */
export function endedAt(session: SessionInfo): Date | undefined {
  return parseEvoDate(session.dateCompleted);
}

/**
 * How long the session lasted, or has lasted so far at `now` when live; undefined when a date is
 * missing or the end comes before the start (a clock fault is not a zero-second call).
 */
export function durationMs(session: SessionInfo, now?: Date): number | undefined {
  const start = startedAt(session);
  const end = endedAt(session) ?? (isLive(session) ? now : undefined);
  if (start === undefined || end === undefined) return undefined;
  const ms = end.getTime() - start.getTime();
  return ms >= 0 ? ms : undefined;
}

// A log entry saying a person or the called party picked up: "Agent Ann answered after 12
// seconds", "+1555… answered", "Call answered". Not "No agent answered…", not "answered by
// voicemail" (a machine is not a conversation). The log's wording is not documented; these are
// the forms Evo Voice's flows write, and a log without one leaves the answer time unknown.
const ANSWERED = /\banswered\b/i;
const NOT_A_PERSON = /\b(no|not|never)\b[^.]*\banswered\b|\banswered by (voicemail|machine)\b/i;

/** When the call was answered, read from its log; undefined when the log does not say. */
export function answeredAt(session: SessionInfo): Date | undefined {
  const entry = (session.log ?? []).find((item: SessionLogInfo) => {
    const message = item.message ?? "";
    return ANSWERED.test(message) && !NOT_A_PERSON.test(message);
  });
  return parseEvoDate(entry?.date);
}

// A log entry saying the call was put in a queue: "Dialing queue 'Sales'", "Queued at position 3".
const QUEUED = /\b(dialing queue|queued at|entered (the )?queue|enqueued)\b/i;

/** When the call entered a queue, read from its log; undefined when it never did (or the log does not say). */
export function queuedAt(session: SessionInfo): Date | undefined {
  const entry = (session.log ?? []).find((item: SessionLogInfo) => QUEUED.test(item.message ?? ""));
  return parseEvoDate(entry?.date);
}

/**
 * Time to answer as contact centres measure it: from entering the queue (the greeting and the
 * menu are the flow's, not the agents') to the answer; from the start when there was no queue.
 */
export function timeToAnswerMs(session: SessionInfo): number | undefined {
  return spanMs(queuedAt(session) ?? startedAt(session), answeredAt(session));
}

/** Ring time: from the start of the session until it was answered (undefined when unanswered). */
export function ringTimeMs(session: SessionInfo): number | undefined {
  return spanMs(startedAt(session), answeredAt(session));
}

/** Talk time: from the answer until the end (or `now` while live). */
export function talkTimeMs(session: SessionInfo, now?: Date): number | undefined {
  return spanMs(answeredAt(session), endedAt(session) ?? (isLive(session) ? now : undefined));
}

function spanMs(from: Date | undefined, to: Date | undefined): number | undefined {
  if (from === undefined || to === undefined) return undefined;
  const ms = to.getTime() - from.getTime();
  return ms >= 0 ? ms : undefined;
}

/** Every fact of a session at once (what the cross-surface test compares). */
export interface SessionFacts {
  live: boolean;
  ended: boolean;
  direction: KnownDirection | undefined;
  channel: KnownChannel | undefined;
  from: Party;
  to: Party;
  outcome: SessionOutcome;
  answeredBy: string | undefined;
  startedAt: Date | undefined;
  durationMs: number | undefined;
  ringTimeMs: number | undefined;
  timeToAnswerMs: number | undefined;
  talkTimeMs: number | undefined;
}

/** The facts of `session`, durations of live sessions measured to `now`. */
export function sessionFacts(session: SessionInfo, now?: Date): SessionFacts {
  const { from, to } = partiesOf(session);
  return {
    live: isLive(session),
    ended: hasEnded(session),
    direction: directionOf(session),
    channel: channelOf(session),
    from,
    to,
    outcome: outcomeOf(session),
    answeredBy: answeredBy(session),
    startedAt: startedAt(session),
    durationMs: durationMs(session, now),
    ringTimeMs: ringTimeMs(session),
    timeToAnswerMs: timeToAnswerMs(session),
    talkTimeMs: talkTimeMs(session, now),
  };
}
