/**
 * The contact-centre classification of a session: every inbound call answered or missed with a
 * reason, every outbound call connected or not, chats and faxes apart. Built on the session
 * facts; the reasons that need more than the DTO's fields (queue or flow, after hours, a short
 * abandon) are read from the flow log, whose wording is not documented: the patterns below are
 * the forms Evo Voice's flows write, and a log without them falls back to the outcome's class.
 */
import {
  channelOf,
  directionOf,
  durationMs,
  outcomeOf,
  ringTimeMs,
  talkTimeMs,
  timeToAnswerMs,
  type OutcomeKind,
} from "../facts/session-facts.js";
import type { SessionInfo } from "../model/session.js";

/** Why an inbound call was missed. */
export const MissReasons = [
  "short-abandon",
  "abandoned-in-queue",
  "abandoned-in-flow",
  "voicemail",
  "no-answer",
  "busy",
  "failed",
  "out-of-hours",
] as const;
export type MissReason = (typeof MissReasons)[number];

/** What became of an outbound call. */
export const OutboundResults = ["connected", "voicemail", "no-answer", "busy", "failed"] as const;
export type OutboundResult = (typeof OutboundResults)[number];

/** The thresholds the classification and the KPIs use (each stated in every result). */
export interface Thresholds {
  /** An abandon within this many ms of the start is a short abandon (default 10 s, inclusive). */
  shortAbandonMs: number;
  /** Answered within this many ms counts toward the service level (default 20 s, inclusive). */
  serviceLevelMs: number;
  /** A missed call is closed by a callback within this many ms (default 24 h). */
  callbackWindowMs: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  shortAbandonMs: 10_000,
  serviceLevelMs: 20_000,
  callbackWindowMs: 24 * 3_600_000,
});

/** One session classified. */
export type CallClass =
  | { kind: "live" }
  | {
      kind: "inbound-answered";
      /** From the start of the session to the answer. */
      ringMs: number | undefined;
      /** Time to answer: from entering the queue (or the start) to the answer. */
      waitMs: number | undefined;
      talkMs: number | undefined;
    }
  | { kind: "inbound-missed"; reason: MissReason }
  | { kind: "outbound"; result: OutboundResult; talkMs: number | undefined }
  | { kind: "chat" | "fax" | "other" };

const QUEUED = /\b(queue|queued|waiting in)\b/i;
// Said by the flow's business-hours check or its closed message, not by a flow's name ("Entered
// flow 'After-hours On-call'" is a routing choice, not a closed business).
const AFTER_HOURS =
  /business hours:?\s*closed|outside (of )?business hours|(during|played) the (after[- ]hours|out[- ]of[- ]hours|closed) (message|greeting)/i;

/** Classifies `session` (a live one as `live`; its class is not known yet). */
export function classifySession(
  session: SessionInfo,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): CallClass {
  const channel = channelOf(session);
  if (channel === "Chat") return { kind: "chat" };
  if (channel === "Fax") return { kind: "fax" };
  const outcome = outcomeOf(session);
  if (outcome.kind === "live") return { kind: "live" };
  const direction = directionOf(session);
  if (direction === "Outgoing") {
    return { kind: "outbound", result: outboundResult(outcome.kind), talkMs: talkTimeMs(session) };
  }
  if (direction !== "Incoming") return { kind: "other" };
  if (outcome.kind === "answered" && !outcome.missed) {
    return {
      kind: "inbound-answered",
      ringMs: ringTimeMs(session),
      waitMs: timeToAnswerMs(session),
      talkMs: talkTimeMs(session),
    };
  }
  return { kind: "inbound-missed", reason: missReason(session, outcome.kind, thresholds) };
}

function outboundResult(kind: OutcomeKind): OutboundResult {
  switch (kind) {
    case "answered":
    case "delivered":
      return "connected";
    case "voicemail":
    case "no-answer":
    case "busy":
    case "failed":
      return kind;
    default:
      return "failed";
  }
}

function missReason(session: SessionInfo, kind: OutcomeKind, thresholds: Thresholds): MissReason {
  const log = (session.log ?? []).map((entry) => entry.message ?? "").join("\n");
  if (kind === "abandoned") {
    const lasted = durationMs(session);
    if (lasted !== undefined && lasted <= thresholds.shortAbandonMs) return "short-abandon";
    if (AFTER_HOURS.test(log)) return "out-of-hours";
    return QUEUED.test(log) || isQueued(session) ? "abandoned-in-queue" : "abandoned-in-flow";
  }
  if (AFTER_HOURS.test(log)) return "out-of-hours";
  switch (kind) {
    case "voicemail":
    case "busy":
    case "failed":
      return kind;
    default:
      return "no-answer";
  }
}

function isQueued(session: SessionInfo): boolean {
  const state = session.queueState;
  return typeof state === "string" && state !== "" && state !== "None";
}
