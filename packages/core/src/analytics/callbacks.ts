/**
 * Callback closure: did we call them back? A missed inbound call is closed when, within the
 * callback window after it, a later outbound call from the same account reached the caller's
 * number (connected, not a voicemail) or a later inbound call from that number was answered.
 * Numbers are compared in E.164 (see phone-numbers.ts). Sessions must come oldest first (the
 * analytics scan sorts so); memory holds the open missed calls only, up to a bound.
 */
import type { CallClass, MissReason } from "./classify.js";
import { normalisePhoneNumber, type CountryCode } from "./phone-numbers.js";
import { firstText, partiesOf, partyText, startedAt } from "../facts/session-facts.js";
import type { SessionInfo } from "../model/session.js";

/** Most open missed calls tracked; past it, further ones are counted but not tracked. */
export const MAX_OPEN_CALLBACKS = 100_000;
/** Most closers named. */
const MAX_CLOSERS = 1_000;
/** Resolution and reach of the time-to-callback histogram (minutes; longer share the last). */
const CALLBACK_HISTOGRAM_MINUTES = 7 * 24 * 60;

/** A caller still waiting for a callback: their missed calls grouped by number. */
export interface OpenCallback {
  /** The number to call, E.164 where it parses. */
  number: string;
  /** The caller's number as the latest missed call wrote it. */
  written: string;
  callerName?: string;
  /** Missed calls from this number, still open. */
  attempts: number;
  firstMissedAt: string;
  lastMissedAt: string;
  /** Why each attempt was missed, oldest first. */
  reasons: MissReason[];
  /** The latest missed sessions' IDs, newest first (at most 5). */
  sessionIds: string[];
  accountId?: string;
  accountName?: string;
  customerName?: string;
  /** The endpoint (number, queue) the caller tried. */
  calledEndpoint?: string;
  /** From the first missed call to `now`. */
  ageMs: number;
}

/** What became of the missed calls. */
export interface CallbackReport {
  windowMs: number;
  /** Missed inbound calls considered (in the window asked about, with a callable number). */
  missed: number;
  closed: number;
  closedByCallback: number;
  closedByAnsweredCall: number;
  open: number;
  /** Missed calls without a callable number (anonymous, a chat client). */
  withoutNumber: number;
  /** Missed calls past {@link MAX_OPEN_CALLBACKS}, not tracked. */
  untracked: number;
  medianTimeToCallbackMs: number | undefined;
  p90TimeToCallbackMs: number | undefined;
  /** Who closed the most, most first. */
  closers: { name: string; closed: number }[];
  /** Callers waiting, most attempts first, then the longest waiting. */
  queue: OpenCallback[];
}

interface OpenCall {
  at: number;
  session: SessionInfo;
  reason: MissReason;
  written: string;
}

/** Options of a {@link CallbackTracker}. */
export interface CallbackTrackerOptions {
  windowMs: number;
  now: Date;
  country?: CountryCode;
  /** True for a missed call to consider (e.g. inside the window asked about). */
  isCandidate?: (session: SessionInfo) => boolean;
}

/** Follows missed calls and the calls that close them, oldest first. */
export class CallbackTracker {
  readonly #options: CallbackTrackerOptions;
  readonly #open = new Map<string, OpenCall[]>();
  #openCount = 0;
  #missed = 0;
  #withoutNumber = 0;
  #untracked = 0;
  #byCallback = 0;
  #byAnswer = 0;
  readonly #waits = new Uint32Array(CALLBACK_HISTOGRAM_MINUTES + 1);
  readonly #closers = new Map<string, number>();

  constructor(options: CallbackTrackerOptions) {
    this.#options = options;
  }

  /** Takes in one classified session. */
  add(session: SessionInfo, call: CallClass): void {
    const at = startedAt(session)?.getTime();
    if (at === undefined) return;
    if (call.kind === "inbound-missed") this.#addMissed(session, call.reason, at);
    else if (call.kind === "inbound-answered") this.#close(session, "from", at, "answer");
    else if (call.kind === "outbound" && call.result === "connected")
      this.#close(session, "to", at, "callback");
  }

  #addMissed(session: SessionInfo, reason: MissReason, at: number): void {
    if (this.#options.isCandidate !== undefined && !this.#options.isCandidate(session)) return;
    this.#missed++;
    const written = partiesOf(session).from.address;
    const key = this.#key(session, written);
    if (key === undefined || written === undefined) {
      this.#withoutNumber++;
      return;
    }
    if (this.#openCount >= MAX_OPEN_CALLBACKS) {
      this.#untracked++;
      return;
    }
    const list = this.#open.get(key) ?? [];
    list.push({ at, session, reason, written });
    this.#open.set(key, list);
    this.#openCount++;
  }

  #close(session: SessionInfo, side: "from" | "to", at: number, how: "answer" | "callback"): void {
    const key = this.#key(session, partiesOf(session)[side].address);
    const list = key === undefined ? undefined : this.#open.get(key);
    if (key === undefined || list === undefined) return;
    const still = list.filter((open) => !(open.at < at && at - open.at <= this.#options.windowMs));
    const closed = list.length - still.length;
    if (closed === 0) return;
    for (const open of list)
      if (!still.includes(open))
        this.#waits[Math.min(CALLBACK_HISTOGRAM_MINUTES, Math.round((at - open.at) / 60_000))]!++;
    if (how === "answer") this.#byAnswer += closed;
    else this.#byCallback += closed;
    this.#noteCloser(
      how === "answer" ? firstText(session.answeredByName) : closerOf(session),
      closed,
    );
    this.#openCount -= closed;
    if (still.length === 0) this.#open.delete(key);
    else this.#open.set(key, still);
  }

  #noteCloser(name: string | undefined, closed: number): void {
    const who = name ?? "(unknown)";
    if (this.#closers.has(who) || this.#closers.size < MAX_CLOSERS) {
      this.#closers.set(who, (this.#closers.get(who) ?? 0) + closed);
    }
  }

  /** Callbacks are per account: the caller called that business. */
  #key(session: SessionInfo, address: string | undefined): string | undefined {
    const number = normalisePhoneNumber(address, this.#options.country);
    return number === undefined ? undefined : `${session.accountId ?? ""}|${number}`;
  }

  /** The report, with at most `limit` callers in the queue. */
  result(limit = 50): CallbackReport {
    const closed = this.#byAnswer + this.#byCallback;
    const queue = [...this.#open.values()].map((calls) => this.#openCallback(calls));
    queue.sort((a, b) => b.attempts - a.attempts || a.firstMissedAt.localeCompare(b.firstMissedAt));
    return {
      windowMs: this.#options.windowMs,
      missed: this.#missed,
      closed,
      closedByCallback: this.#byCallback,
      closedByAnsweredCall: this.#byAnswer,
      open: this.#openCount,
      withoutNumber: this.#withoutNumber,
      untracked: this.#untracked,
      medianTimeToCallbackMs: this.#percentile(0.5, closed),
      p90TimeToCallbackMs: this.#percentile(0.9, closed),
      closers: [...this.#closers]
        .map(([name, count]) => ({ name, closed: count }))
        .sort((a, b) => b.closed - a.closed || a.name.localeCompare(b.name))
        .slice(0, 10),
      queue: queue.slice(0, limit),
    };
  }

  #openCallback(calls: OpenCall[]): OpenCallback {
    const first = calls[0] as OpenCall;
    const last = calls[calls.length - 1] as OpenCall;
    const session = last.session;
    const out: OpenCallback = {
      number: normalisePhoneNumber(last.written, this.#options.country) ?? last.written,
      written: last.written,
      attempts: calls.length,
      firstMissedAt: new Date(first.at).toISOString(),
      lastMissedAt: new Date(last.at).toISOString(),
      reasons: calls.map((call) => call.reason),
      sessionIds: calls
        .map((call) => call.session.id ?? "")
        .filter(Boolean)
        .reverse()
        .slice(0, 5),
      ageMs: Math.max(0, this.#options.now.getTime() - first.at),
    };
    const optional = {
      callerName: firstText(session.fromName),
      accountId: firstText(session.accountId),
      accountName: firstText(session.accountName),
      customerName: firstText(session.customerName),
      calledEndpoint: partyText(partiesOf(session).to),
    };
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined) Object.assign(out, { [key]: value });
    return out;
  }

  #percentile(p: number, count: number): number | undefined {
    if (count === 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * count));
    let seen = 0;
    for (let minute = 0; minute <= CALLBACK_HISTOGRAM_MINUTES; minute++) {
      seen += this.#waits[minute] ?? 0;
      if (seen >= rank) return minute * 60_000;
    }
    return CALLBACK_HISTOGRAM_MINUTES * 60_000;
  }
}

/** Who made an outbound call: the endpoint (agent) that placed it. */
function closerOf(session: SessionInfo): string | undefined {
  return firstText(session.endpointName, session.createdBy);
}
