/**
 * What happens around missed calls, so that contact-centre numbers computed over the data mean
 * something: callers who try again within hours (2–4 tries in all), agents who call them back
 * minutes to a day later (some after midnight, some dialling the number written another way,
 * some never), and callers who hang up within seconds (short abandons, some at exactly 10 s).
 *
 * Every draw here comes from a stream of its own, so that the sessions drawn without these
 * stories are the same ones, drawn the same way, as before they existed.
 */
import { GREETINGS } from "./catalog.js";
import {
  DAY_MS,
  LOCAL_OFFSET_MS,
  externalMember,
  finish,
  incomingVoice,
  newDraft,
  outgoingVoice,
  pickCaller,
  pickCreatedMs,
  recordEnding,
  twilioSid,
  type AccountWorld,
  type Caller,
  type Draft,
  type Parties,
} from "./generate.js";
import type { SessionFields, StoredSession } from "./model.js";
import type { Random } from "./random.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Chance that a plain session comes with a short abandon at some other time. */
const SHORT_ABANDON_CHANCE = 0.035;
/** Chance that a caller whose call was missed tries again (1–3 more times). */
const RETRY_CHANCE = 0.3;
/** Chance that an agent calls a missed caller back, and when the caller got through since. */
const CALLBACK_CHANCE = 0.6;
const CALLBACK_AFTER_ANSWER_CHANCE = 0.2;

/** Adds the stories that follow the sessions of the main stream, up to a number of sessions. */
export class Stories {
  constructor(
    private readonly rng: Random,
    private readonly nowMs: number,
    private readonly historyDays: number,
  ) {}

  /**
   * The sessions that follow `session`: retries and callbacks when it is a missed inbound call,
   * now and then a short abandon of the same account; at most `room` of them.
   */
  after(world: AccountWorld, session: StoredSession, room: number): StoredSession[] {
    const out: StoredSession[] = [];
    if (room <= 0) return out;
    const info = session.info;
    if (info.channel === "Voice" && info.direction === "Incoming" && info.wasMissed === true)
      this.followMiss(world, session, out, room);
    if (out.length < room && this.rng.chance(SHORT_ABANDON_CHANCE)) {
      const draft = shortAbandon(world, this.rng, shortAbandonMs(this.rng));
      const latest = this.nowMs - MINUTE_MS - draft.log.elapsed - 5_000;
      const at = pickCreatedMs(this.rng, this.nowMs, latest, this.historyDays);
      out.push(finish(draft, at, undefined, this.rng));
    }
    return out;
  }

  private followMiss(
    world: AccountWorld,
    miss: StoredSession,
    out: StoredSession[],
    room: number,
  ): void {
    const rng = this.rng;
    const caller: Caller = { number: miss.info.fromAddress as string, name: miss.info.fromName };
    const number = world.numbers.find((n) => n.id === miss.info.endpointId) ?? world.numbers[0];
    if (number === undefined) return;
    const parties: Parties = { caller, number };
    let last = miss;
    let answered = false;
    if (rng.chance(RETRY_CHANCE)) {
      const tries = rng.int(1, 3);
      for (let i = 0; i < tries && !answered && out.length < room; i++) {
        // Most try again within minutes, a few after an hour or more.
        const wait = Math.round((2 + 118 * rng.next() ** 2) * MINUTE_MS);
        const retry = this.place(
          incomingVoice(world, rng, false, parties),
          endOf(last) + wait,
          miss.info,
        );
        if (retry === undefined) break;
        out.push(retry);
        if (retry.info.outcome === "Answered") answered = true;
        else if (retry.info.wasMissed === true) last = retry;
      }
    }
    if (!rng.chance(answered ? CALLBACK_AFTER_ANSWER_CHANCE : CALLBACK_CHANCE)) return;
    let at = last.createdMs + callbackDelayMs(rng, last.createdMs);
    for (let attempt = 0; attempt < 2 && out.length < room; attempt++) {
      const callee: Caller = { number: writtenAs(rng, caller.number), name: caller.name };
      const callback = this.place(outgoingVoice(world, rng, callee), at, miss.info);
      if (callback === undefined) return;
      out.push(callback);
      if (callback.info.outcome === "Answered") return;
      // Not reached: now and then the agent tries once more a few hours later.
      if (!rng.chance(0.5)) return;
      at = endOf(callback) + rng.int(60, 300) * MINUTE_MS;
    }
  }

  /** Finishes a follow-up at `at`, for the miss's customer; undefined when it would not have ended by now. */
  private place(draft: Draft, at: number, miss: SessionFields): StoredSession | undefined {
    if (at > this.nowMs - MINUTE_MS - draft.log.elapsed - 5_000) return undefined;
    // The same caller of the same customer (assigned rather than deleted: objects that lose
    // properties become slow dictionaries, and the wire omits undefined fields anyway).
    const info = draft.info;
    info.customerId = miss.customerId;
    info.customerBreadcrumb = miss.customerBreadcrumb;
    info.customerName = miss.customerName;
    return finish(draft, at, undefined, this.rng);
  }
}

function endOf(session: StoredSession): number {
  return session.createdMs + (session.logOffsets.at(-1) ?? 0);
}

/**
 * How long after a missed call an agent calls back: within minutes or hours during business
 * hours; the next morning (across midnight) for a call missed in the evening or at night; and
 * now and then a day and more later, past the usual 24-hour window.
 */
function callbackDelayMs(rng: Random, missMs: number): number {
  const hour = new Date(missMs + LOCAL_OFFSET_MS).getUTCHours();
  const working = hour >= 8 && hour < 17;
  const roll = rng.next();
  const seconds = rng.int(0, 59) * 1000;
  if (roll < (working ? 0.4 : 0.1)) return rng.int(2, 30) * MINUTE_MS + seconds;
  if (roll < (working ? 0.75 : 0.2)) return rng.int(30, 240) * MINUTE_MS + seconds;
  if (roll < 0.9) return nextMorning(rng, missMs) - missMs + seconds;
  return rng.int(24 * 60, 36 * 60) * MINUTE_MS + seconds;
}

/** 8:00–11:00 local time of the next day (of the same day for a call missed before 8:00). */
function nextMorning(rng: Random, missMs: number): number {
  const local = missMs + LOCAL_OFFSET_MS;
  const day = Math.floor(local / DAY_MS) + (new Date(local).getUTCHours() < 8 ? 0 : 1);
  return day * DAY_MS - LOCAL_OFFSET_MS + 8 * HOUR_MS + rng.int(0, 180) * MINUTE_MS;
}

/**
 * A number as an agent dials it back: mostly as the caller ID gave it (E.164), sometimes in the
 * national form, with dashes, or as bare digits — the same caller however it is written.
 */
function writtenAs(rng: Random, e164: string): string {
  const digits = /^\+1(\d{10})$/.exec(e164)?.[1];
  const roll = rng.next();
  if (digits === undefined || roll < 0.7) return e164;
  const [area, exchange, line] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  if (roll < 0.85) return `(${area}) ${exchange}-${line}`;
  if (roll < 0.92) return `${area}-${exchange}-${line}`;
  if (roll < 0.96) return `1${digits}`;
  return `+1 ${area} ${exchange} ${line}`;
}

/** How long a short abandon lasts: mostly 2–10 s, some exactly 10 s, a few just past it. */
function shortAbandonMs(rng: Random): number {
  const roll = rng.next();
  if (roll < 0.15) return 10_000;
  if (roll < 0.25) return rng.int(10_001, 14_000);
  return rng.int(2_000, 9_999);
}

/**
 * A caller who hangs up during the greeting or while the agents' phones ring, `lastsMs` after
 * the call came in: the last log entry is exactly then, so the session lasts exactly that long.
 */
function shortAbandon(world: AccountWorld, rng: Random, lastsMs: number): Draft {
  const { info, log } = newDraft(world, rng);
  const caller = pickCaller(rng, world);
  const number = rng.pick(world.numbers);
  const callSid = twilioSid(rng, "CA");
  log.add(`Call received from ${caller.number} to ${number.name}`);
  if (caller.name !== undefined) log.add(`Caller ID name: ${caller.name}`, 200, 600);
  log.add(`Entered flow '${rng.pick(world.flows)}'`, 100, 300);
  log.add("Checked business hours: open", 50, 150);
  const ringing = rng.chance(0.5);
  if (ringing) {
    const agents = [...world.users].sort(() => rng.next() - 0.5).slice(0, rng.int(2, 3));
    log.add(`Ringing ${agents.length} agents: ${agents.map((a) => a.name).join(", ")}`, 100, 300);
  } else {
    log.add(`Played greeting '${rng.pick(GREETINGS)}'`, 100, 300);
  }
  // At most 1.35 s have passed, and a short abandon lasts 2 s or more: both steps are ahead.
  const hangUp = lastsMs - rng.int(20, 80) - log.elapsed;
  log.addAt(
    (elapsed) =>
      `Caller hung up ${ringing ? "while ringing" : "during the greeting"} after ${Math.round(elapsed / 1000)} seconds`,
    hangUp,
    hangUp,
  );
  const end = lastsMs - log.elapsed;
  log.addAt(() => "Call ended: caller hung up", end, end);
  recordEnding(info, {
    endpoint: number,
    to: number.name,
    from: caller.number,
    fromName: caller.name,
    channel: "Voice",
    outcome: "Abandoned",
    callSid,
    displayName: caller.name ?? caller.number,
    members: [externalMember(caller, "Caller", true, callSid)],
    direction: "Incoming",
    wasMissed: true,
  });
  return { info, log };
}
