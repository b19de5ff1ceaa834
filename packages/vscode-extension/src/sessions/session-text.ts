// The words the sidebar and the details page use for a session. Every fact behind them (live or
// ended, missed, who called whom, how long) is core's, so the sidebar states what the chat's
// answers state; only the wording and layout are the extension's.
import {
  durationMs,
  firstText,
  formatClock,
  formatDuration,
  isLive,
  isMissed,
  partiesOf,
  partyText,
  startedAt,
  type Party,
  type SessionInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";

/** Who the session came from in a few words (core's parties): a name, else an address. */
export function fromText(session: SessionInfo): string | undefined {
  return partyText(partiesOf(session).from);
}

/** Who the session went to in a few words (core's parties). */
export function toText(session: SessionInfo): string | undefined {
  return partyText(partiesOf(session).to);
}

/** A party with both its name and address when known: `Jane Doe (+15551234567)`. */
export function partyLine(side: Party): string | undefined {
  if (side.name !== undefined && side.address !== undefined) {
    return `${side.name} (${side.address})`;
  }
  return side.name ?? side.address;
}

/** The tree label: the display name, else `from → to`, else the session ID. */
export function sessionLabel(session: SessionInfo): string {
  const name = firstText(session.displayName);
  if (name !== undefined) return name;
  const from = fromText(session);
  const to = toText(session);
  if (from !== undefined || to !== undefined) return `${from ?? "unknown"} → ${to ?? "unknown"}`;
  return `Session ${session.id ?? "(no ID)"}`;
}

/** Duration as a call log writes it (`3m 12s`), measured to `now` while live. */
export function durationText(session: SessionInfo, now: Date): string | undefined {
  const ms = durationMs(session, now);
  return ms === undefined ? undefined : formatDuration(ms);
}

/** The tree description: start time, then duration or state, then outcome. */
export function sessionDescription(
  session: SessionInfo,
  options: { now: Date; timeZone: string },
): string {
  const parts: string[] = [];
  const start = startedAt(session);
  if (start !== undefined) parts.push(formatClock(start, options.timeZone));
  const duration = durationText(session, options.now);
  if (isLive(session)) {
    parts.push(`live · ${session.callState ?? ""}${duration === undefined ? "" : ` ${duration}`}`);
  } else if (isMissed(session)) {
    parts.push("missed");
  } else if (duration !== undefined) {
    parts.push(duration);
  }
  const outcome = firstText(session.outcome);
  if (outcome !== undefined && !(isMissed(session) && /^missed$/i.test(outcome))) {
    parts.push(outcome);
  }
  return parts.join(" · ");
}

/** A member's name as the tree shows it. */
export function memberLabel(member: SessionMemberInfo): string {
  return firstText(member.displayName, member.identity, member.endpointId) ?? "Unknown member";
}

/** A member's role and call state, e.g. `Agent · Connected · muted`. */
export function memberDescription(member: SessionMemberInfo): string {
  const parts = [member.role, member.callState].filter(
    (value): value is string => typeof value === "string" && value !== "" && value !== "None",
  );
  if (member.muted === true) parts.push("muted");
  return parts.join(" · ");
}
