import { z } from "zod";
import {
  answeredBy,
  channelOf,
  directionOf,
  durationMs,
  endedAt,
  firstText,
  formatDuration,
  hasEnded,
  isLive,
  isMissed,
  partiesOf,
  startedAt,
  zonedText,
  type Party,
  type SessionInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";
import { clip } from "./budget.js";

/** URI of the resource that shows one session. */
export function sessionUri(id: string): string {
  return `evo-sessions://sessions/${encodeURIComponent(id)}`;
}

/** One member of a session, as answers show it (compact keys, see {@link SessionSummarySchema}). */
export const MemberSummarySchema = z.object({
  name: z.string().optional(),
  identity: z.string().optional(),
  role: z.string().optional(),
  live: z.string().optional(),
  orig: z.boolean().optional(),
});

/** The keys of a session record, as listed in the answers' schemas. */
export const SESSION_KEYS =
  "id; at start, end: ISO UTC; dur s; dir in|out; ch (absent: voice); live: state until ended; out: outcome; missed; from, name (caller), to; by: answerer; a/c/e: index in refs; full: queue, hold, members, logN";

/**
 * A session in `structuredContent`: short keys, no nulls, times ISO 8601 UTC (`Z`, to the
 * second). Accounts, customers and endpoints are given once per answer in its `refs` tables
 * (`[id, name]` pairs) and named here by their index there.
 */
export const SessionSummarySchema = z
  .object({
    id: z.string(),
    at: z.string().optional(),
    dur: z.number().optional(),
    end: z.string().optional(),
    dir: z.enum(["in", "out"]).optional(),
    ch: z.string().optional(),
    live: z.string().optional(),
    out: z.string().optional(),
    missed: z.literal(true).optional(),
    from: z.string().optional(),
    name: z.string().optional(),
    to: z.string().optional(),
    by: z.string().optional(),
    a: z.number().optional(),
    c: z.number().optional(),
    e: z.number().optional(),
    queue: z.string().optional(),
    hold: z.string().optional(),
    members: z.array(MemberSummarySchema).optional(),
    logN: z.number().optional(),
  })
  .describe(SESSION_KEYS);

export type SessionSummary = z.infer<typeof SessionSummarySchema>;
export type MemberSummary = z.infer<typeof MemberSummarySchema>;

/** How much of a session an answer carries. */
export type Detail = "summary" | "full";

function str(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

/** `2026-03-11T15:02:18Z`: milliseconds say nothing to a reader. */
export function isoSeconds(date: Date | undefined): string | undefined {
  return date?.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Drops undefined properties so that JSON stays short. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as unknown as T;
}

/** The members of a session as answers show them. */
export function summarizeMembers(members: SessionMemberInfo[] | null | undefined): MemberSummary[] {
  return (members ?? []).map((member) =>
    compact({
      name: str(member.displayName),
      identity: str(member.identity),
      role: str(member.role),
      live: str(member.callState),
      orig: member.isOriginalMember === true ? true : undefined,
    }),
  );
}

/** The `[id, name]` tables an answer's sessions refer to by index. */
export const RefsSchema = z
  .object({
    a: z.array(z.array(z.string())).optional(),
    c: z.array(z.array(z.string())).optional(),
    e: z.array(z.array(z.string())).optional(),
  })
  .describe("a, c, e: [id, name] of accounts, customers, endpoints");

export type Refs = z.infer<typeof RefsSchema>;
type RefKind = "a" | "c" | "e";

/**
 * The tables of an answer: each account, customer and endpoint once, its sessions naming them
 * by index. `peek` says what a session would add (for the size budget); `commit` adds it.
 */
export class RefTables {
  readonly refs: Refs = {};
  readonly #index = { a: new Map<string, number>(), c: new Map(), e: new Map() } as Record<
    RefKind,
    Map<string, number>
  >;

  /** Starts with these accounts (those searched), in order. */
  constructor(accounts: readonly { id: string; name: string }[] = []) {
    for (const account of accounts) this.#add("a", account.id, account.name);
  }

  /** Index of `id` in its table, and the pair to add when it is new. */
  peek(
    kind: RefKind,
    id: string | null | undefined,
    name: string | null | undefined,
    pending: Map<string, [string, string]>,
  ): number | undefined {
    const key = str(id);
    if (key === undefined) return undefined;
    const known = this.#index[kind].get(key);
    if (known !== undefined) return known;
    const size = this.#index[kind].size;
    const queued = [...pending.keys()].filter((k) => k.startsWith(`${kind}:`));
    const at = queued.indexOf(`${kind}:${key}`);
    if (at >= 0) return size + at;
    pending.set(`${kind}:${key}`, [key, str(name) ?? ""]);
    return size + queued.length;
  }

  /** Adds what {@link peek} queued. */
  commit(pending: Map<string, [string, string]>): void {
    for (const [key, [id, name]] of pending) this.#add(key.slice(0, 1) as RefKind, id, name);
  }

  #add(kind: RefKind, id: string, name: string): void {
    if (this.#index[kind].has(id)) return;
    this.#index[kind].set(id, this.#index[kind].size);
    (this.refs[kind] ??= []).push([id, name]);
  }
}

/** A session's record and what it adds to the answer's tables; `add` commits both. */
export interface SummaryPiece {
  summary: SessionSummary;
  /** JSON characters of the record and of its new table entries. */
  chars: number;
  commit(): void;
}

const DIRECTIONS = { Incoming: "in", Outgoing: "out" } as const;

/**
 * A session's record for `structuredContent`: core's facts (ended, missed, duration, who
 * answered) under the short keys of {@link SessionSummarySchema}. What is implied is left out:
 * the end beside a duration, the call state of an ended session, missed when false, voice.
 */
export function summarizeSession(
  session: SessionInfo,
  detail: Detail,
  tables: RefTables,
): SummaryPiece {
  const duration = durationMs(session);
  const ended = hasEnded(session);
  const channel = channelOf(session) ?? str(session.channel);
  const pending = new Map<string, [string, string]>();
  const direction = directionOf(session);
  const summary: SessionSummary = {
    id: str(session.id) ?? "",
    at: isoSeconds(startedAt(session)),
    dur: duration === undefined ? undefined : Math.round(duration / 1000),
    end: duration === undefined ? isoSeconds(endedAt(session)) : undefined,
    dir: direction === undefined ? undefined : DIRECTIONS[direction],
    ch: channel === undefined || channel === "Voice" ? undefined : channel.toLowerCase(),
    live: ended ? undefined : (str(session.callState) ?? "live"),
    out: str(session.outcome),
    missed: isMissed(session) ? true : undefined,
    from: firstText(session.fromAddress, session.fromPhoneNumber),
    name: str(session.fromName),
    to: firstText(session.toAddress, session.destination),
    by: answeredBy(session),
    a: tables.peek("a", session.accountId, session.accountName, pending),
    c: tables.peek("c", session.customerId, session.customerName, pending),
    e: tables.peek("e", session.endpointId, session.endpointName, pending),
  };
  if (detail === "full") {
    summary.queue = session.queueState === "None" ? undefined : str(session.queueState);
    summary.hold = str(session.holdQueueName);
    summary.members = summarizeMembers(session.members);
    summary.logN = session.log?.length ?? 0;
  }
  const record = compact(summary);
  const added = [...pending.values()].reduce((n, pair) => n + JSON.stringify(pair).length + 8, 0);
  return {
    summary: record,
    chars: JSON.stringify(record).length + 1 + added,
    commit: () => tables.commit(pending),
  };
}

/**
 * What became of a session, in a few words, from core's facts: `MISSED`, `answered by Ann,
 * 3m 12s`, `ringing now`. The server's outcome text follows unless it repeats the facts.
 */
export function describeOutcome(session: SessionInfo): string {
  const parts: string[] = [];
  const missed = isMissed(session);
  const answerer = answeredBy(session);
  if (missed) parts.push("MISSED");
  else if (answerer !== undefined) parts.push(`answered by ${clip(answerer, 32)}`);
  if (isLive(session)) parts.push(`${String(session.callState).toLowerCase()} now`);
  const outcome = str(session.outcome);
  const redundant =
    outcome !== undefined &&
    ((missed && /^missed$/i.test(outcome)) ||
      (answerer !== undefined && /^answered$/i.test(outcome)));
  if (outcome !== undefined && !redundant) parts.push(clip(outcome, 40));
  const duration = durationMs(session);
  if (duration !== undefined && !missed) parts.push(formatDuration(duration));
  return parts.length === 0 ? (str(session.callState) ?? "state unknown") : parts.join(", ");
}

/** One party as a line shows it: `Jane <+1555…>`, the name or address alone, or `?`. */
function partyWords(side: Party): string {
  if (side.name !== undefined && side.address !== undefined)
    return `${clip(side.name, 28)} <${clip(side.address, 32)}>`;
  return clip(side.name ?? side.address ?? "?", 40);
}

/** Who called whom, in words, as core's facts decide it ({@link partiesOf}). */
export function describeParties(session: SessionInfo): { from: string; to: string } {
  const { from, to } = partiesOf(session);
  return { from: partyWords(from), to: partyWords(to) };
}

/** Options of {@link sessionLine}. */
export interface SessionLineOptions {
  timeZone: string;
  /** Name the account on each line (when an answer spans several accounts). */
  showAccount: boolean;
  detail: Detail;
}

const DIRECTION_WORDS = { Incoming: "in", Outgoing: "out", unknown: "?" } as const;

/**
 * One compact line per session: `14:02 in voice  Jane <+1555…> → Front desk · MISSED · id s_1`.
 * The date is left to the day headers of {@link dayHeader} to keep each line short.
 */
export function sessionLine(session: SessionInfo, options: SessionLineOptions): string {
  const date = startedAt(session);
  const time = date === undefined ? "--:--" : zonedText(date, options.timeZone).time;
  const direction = DIRECTION_WORDS[directionOf(session) ?? "unknown"];
  // Voice is the usual case and goes unsaid; a channel core does not know yet is shown as sent.
  const channelName = channelOf(session) ?? str(session.channel) ?? "Voice";
  const channel = channelName === "Voice" ? "" : ` ${channelName.toLowerCase()}`;
  const { from, to } = describeParties(session);
  const extras: string[] = [];
  if (options.showAccount && str(session.accountName) !== undefined)
    extras.push(`acct ${clip(session.accountName ?? "", 24)}`);
  if (str(session.customerName) !== undefined)
    extras.push(`cust ${clip(session.customerName ?? "", 24)}`);
  let line = `${time} ${direction}${channel} ${from} → ${to} · ${describeOutcome(session)}`;
  if (extras.length > 0) line += ` · ${extras.join(" · ")}`;
  line += ` · id ${str(session.id) ?? "?"}`;
  if (options.detail === "full") {
    const members = summarizeMembers(session.members)
      .map(
        (m) =>
          `${clip(m.name ?? m.identity ?? "?", 24)}${m.role && m.role !== "None" ? `/${m.role}` : ""}`,
      )
      .join(", ");
    if (members !== "") line += `\n    members: ${members}`;
    line += `\n    log: ${session.log?.length ?? 0} entries`;
  }
  return line;
}

/** The day a session started in `timeZone`, e.g. `2026-03-01 Sun`, or `unknown day`. */
export function sessionDay(session: SessionInfo, timeZone: string): string {
  const date = startedAt(session);
  if (date === undefined) return "unknown day";
  const parts = zonedText(date, timeZone);
  return `${parts.day} ${parts.weekday}`;
}

/** A day header line between groups of session lines. */
export function dayHeader(day: string): string {
  return `— ${day} —`;
}
