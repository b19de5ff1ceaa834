/**
 * Contact-centre KPIs over a stream of sessions, in constant memory: counters, and times to
 * answer in a fixed histogram of whole seconds (exact percentiles at one-second resolution).
 *
 * Definitions (also in core's README):
 * - offered: inbound voice calls that have ended; answered + missed = offered.
 * - answer rate = answered / offered.
 * - abandon rate = abandoned (short, in queue, in flow) / offered; without short abandons =
 *   (abandoned − short) / (offered − short), as short abandons are mostly misdials.
 * - time to answer: from entering the queue (the flow's greeting and menu are not the agents'
 *   time) to the answer; from the start of the call when it never queued.
 * - service level = answered within the threshold / offered.
 * - ASA (average speed of answer) = mean time to answer of answered calls; p50/p90 likewise.
 * - talk time: from the answer to the end, answered inbound and connected outbound calls.
 */
import {
  classifySession,
  DEFAULT_THRESHOLDS,
  MissReasons,
  OutboundResults,
  type CallClass,
  type MissReason,
  type OutboundResult,
  type Thresholds,
} from "./classify.js";
import type { SessionInfo } from "../model/session.js";

/** Seconds the histogram tells apart; longer waits share its last bucket. */
const HISTOGRAM_SECONDS = 3_600;

/** The KPIs of a set of sessions. */
export interface Kpis {
  sessions: number;
  offered: number;
  answered: number;
  missed: number;
  missedBy: Record<MissReason, number>;
  /** Shares from 0 to 1, undefined when nothing was offered. */
  answerRate: number | undefined;
  abandonRate: number | undefined;
  abandonRateExShort: number | undefined;
  serviceLevel: number | undefined;
  /** Milliseconds; undefined without answered calls whose answer time the log tells. */
  asaMs: number | undefined;
  timeToAnswerP50Ms: number | undefined;
  timeToAnswerP90Ms: number | undefined;
  talkTimeMs: number;
  averageTalkMs: number | undefined;
  outbound: number;
  outboundBy: Record<OutboundResult, number>;
  chats: number;
  faxes: number;
  live: number;
  other: number;
}

/** Adds sessions one at a time and reads the KPIs at any point. */
export class KpiAccumulator {
  readonly #thresholds: Thresholds;
  #sessions = 0;
  #answered = 0;
  #missedBy = zeroes(MissReasons);
  #outboundBy = zeroes(OutboundResults);
  #withinServiceLevel = 0;
  #timed = 0;
  #timeToAnswerTotal = 0;
  readonly #histogram = new Uint32Array(HISTOGRAM_SECONDS + 1);
  #talkTotal = 0;
  #talked = 0;
  #chats = 0;
  #faxes = 0;
  #live = 0;
  #other = 0;

  constructor(thresholds: Thresholds = DEFAULT_THRESHOLDS) {
    this.#thresholds = thresholds;
  }

  /** Classifies and counts one session; returns its class (for callers that group further). */
  add(session: SessionInfo): CallClass {
    const call = this.classify(session);
    this.addClassified(call);
    return call;
  }

  /** Classifies a session with this accumulator's thresholds, counting nothing. */
  classify(session: SessionInfo): CallClass {
    return classifySession(session, this.#thresholds);
  }

  /** Counts a session already classified. */
  addClassified(call: CallClass): void {
    this.#sessions++;
    switch (call.kind) {
      case "inbound-answered":
        this.#answered++;
        this.#countAnswer(call.waitMs);
        this.#countTalk(call.talkMs);
        return;
      case "inbound-missed":
        this.#missedBy[call.reason]++;
        return;
      case "outbound":
        this.#outboundBy[call.result]++;
        if (call.result === "connected") this.#countTalk(call.talkMs);
        return;
      case "chat":
        this.#chats++;
        return;
      case "fax":
        this.#faxes++;
        return;
      case "live":
        this.#live++;
        return;
      default:
        this.#other++;
    }
  }

  #countAnswer(ringMs: number | undefined): void {
    if (ringMs === undefined) return;
    if (ringMs <= this.#thresholds.serviceLevelMs) this.#withinServiceLevel++;
    this.#timed++;
    this.#timeToAnswerTotal += ringMs;
    this.#histogram[Math.min(HISTOGRAM_SECONDS, Math.round(ringMs / 1000))]!++;
  }

  #countTalk(talkMs: number | undefined): void {
    if (talkMs === undefined) return;
    this.#talkTotal += talkMs;
    this.#talked++;
  }

  /** The KPIs so far. */
  result(): Kpis {
    const missed = sum(Object.values(this.#missedBy));
    const offered = this.#answered + missed;
    const by = this.#missedBy;
    const abandoned = by["short-abandon"] + by["abandoned-in-queue"] + by["abandoned-in-flow"];
    const share = (part: number, whole: number) => (whole > 0 ? part / whole : undefined);
    return {
      sessions: this.#sessions,
      offered,
      answered: this.#answered,
      missed,
      missedBy: { ...this.#missedBy },
      answerRate: share(this.#answered, offered),
      abandonRate: share(abandoned, offered),
      abandonRateExShort: share(abandoned - by["short-abandon"], offered - by["short-abandon"]),
      serviceLevel: share(this.#withinServiceLevel, offered),
      asaMs: this.#timed > 0 ? this.#timeToAnswerTotal / this.#timed : undefined,
      timeToAnswerP50Ms: this.#percentile(0.5),
      timeToAnswerP90Ms: this.#percentile(0.9),
      talkTimeMs: this.#talkTotal,
      averageTalkMs: this.#talked > 0 ? this.#talkTotal / this.#talked : undefined,
      outbound: sum(Object.values(this.#outboundBy)),
      outboundBy: { ...this.#outboundBy },
      chats: this.#chats,
      faxes: this.#faxes,
      live: this.#live,
      other: this.#other,
    };
  }

  /** The nearest-rank percentile of the times to answer, in ms (whole seconds). */
  #percentile(p: number): number | undefined {
    if (this.#timed === 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * this.#timed));
    let seen = 0;
    for (let second = 0; second <= HISTOGRAM_SECONDS; second++) {
      seen += this.#histogram[second] ?? 0;
      if (seen >= rank) return second * 1000;
    }
    return HISTOGRAM_SECONDS * 1000;
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
