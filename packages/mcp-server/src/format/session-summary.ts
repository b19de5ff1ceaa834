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

/** One member of a session, as answers show it. */
export const MemberSummarySchema = z.object({
  displayName: z.string().optional(),
  identity: z.string().optional(),
  role: z.string().optional(),
  callState: z.string().optional().describe("Only while the session is not ended"),
  endpointId: z.string().optional(),
  isOriginalMember: z.boolean().optional(),
});

/** A session reduced to what an assistant needs to pick it out; `get_session` has the rest. */
export const SessionSummarySchema = z.object({
  id: z.string(),
  startedAt: z.string().optional().describe("dateCreated, ISO 8601 UTC"),
  completedAt: z
    .string()
    .optional()
    .describe("dateCompleted, ISO 8601 UTC, when durationSeconds is unknown"),
  durationSeconds: z.number().optional().describe("From start to completion"),
  direction: z.string().optional(),
  channel: z.string().optional(),
  callState: z.string().optional().describe("Only while the session is not ended"),
  outcome: z.string().optional(),
  missed: z.boolean().optional().describe("true when missed (absent: not missed)"),
  ended: z.boolean().optional().describe("Only when completedAt is unknown"),
  from: z.string().optional(),
  fromName: z.string().optional(),
  to: z.string().optional(),
  answeredBy: z.string().optional(),
  answeredById: z.string().optional(),
  accountId: z.string().optional().describe("Its name is in the answer's accounts"),
  customerId: z.string().optional(),
  customerName: z.string().optional(),
  endpointId: z.string().optional(),
  endpointName: z.string().optional().describe("Absent when it is just the number in `to`"),
  queueState: z.string().optional().describe("detail=full only"),
  holdQueueName: z.string().optional().describe("detail=full only"),
  members: z.array(MemberSummarySchema).optional().describe("detail=full only"),
  logEntries: z
    .number()
    .optional()
    .describe("detail=full only: number of log entries (read them with get_session)"),
});

export type SessionSummary = z.infer<typeof SessionSummarySchema>;
export type MemberSummary = z.infer<typeof MemberSummarySchema>;

/** How much of a session an answer carries. */
export type Detail = "summary" | "full";

function str(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

function bool(value: boolean | null | undefined): boolean | undefined {
  return value === null || value === undefined ? undefined : value;
}

/** `2026-03-11T15:02:18Z`: milliseconds say nothing to a reader. */
function isoSeconds(date: Date | undefined): string | undefined {
  return date?.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Drops undefined properties so that JSON stays short. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as unknown as T;
}

/** The members of a session as answers show them. */
export function summarizeMembers(members: SessionMemberInfo[] | null | undefined): MemberSummary[] {
  return (members ?? []).map((member) =>
    compact({
      displayName: str(member.displayName),
      identity: str(member.identity),
      role: str(member.role),
      callState: str(member.callState),
      endpointId: str(member.endpointId),
      isOriginalMember: bool(member.isOriginalMember),
    }),
  );
}

/**
 * A session's summary for `structuredContent`: core's facts (ended, missed, duration, who
 * answered) and the server's own fields. Its account's name and its resource URI are
 * not repeated per session: answers carry an accounts list and the URI template once.
 */
export function summarizeSession(session: SessionInfo, detail: Detail): SessionSummary {
  const duration = durationMs(session);
  const ended = hasEnded(session);
  const toAddress = firstText(session.toAddress, session.destination);
  const endpointName = str(session.endpointName);
  // What is implied is left out to keep each record short: completedAt beside a duration, the
  // call state of an ended session, missed when false, an endpoint named by its own number.
  const summary: SessionSummary = {
    id: str(session.id) ?? "",
    startedAt: isoSeconds(startedAt(session)),
    completedAt: duration === undefined ? isoSeconds(endedAt(session)) : undefined,
    durationSeconds: duration === undefined ? undefined : Math.round(duration / 1000),
    direction: str(session.direction),
    channel: str(session.channel),
    callState: ended ? undefined : str(session.callState),
    outcome: str(session.outcome),
    missed: isMissed(session) ? true : undefined,
    ended: endedAt(session) === undefined ? ended : undefined,
    from: firstText(session.fromAddress, session.fromPhoneNumber),
    fromName: str(session.fromName),
    to: toAddress,
    answeredBy: answeredBy(session),
    answeredById: str(session.answeredById),
    accountId: str(session.accountId),
    customerId: str(session.customerId),
    customerName: str(session.customerName),
    endpointId: str(session.endpointId),
    endpointName: endpointName === toAddress ? undefined : endpointName,
  };
  if (detail === "full") {
    summary.queueState = session.queueState === "None" ? undefined : str(session.queueState);
    summary.holdQueueName = str(session.holdQueueName);
    summary.members = summarizeMembers(session.members);
    summary.logEntries = session.log?.length ?? 0;
  }
  return compact(summary);
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
          `${clip(m.displayName ?? m.identity ?? "?", 24)}${m.role && m.role !== "None" ? `/${m.role}` : ""}`,
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
