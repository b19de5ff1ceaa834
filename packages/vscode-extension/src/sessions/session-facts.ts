import { parseEvoDate, type SessionInfo, type SessionMemberInfo } from "@evo-sessions/core";
import { formatClock, formatDuration } from "./time-format.js";

// Call states of a session that is still going on. Enums are open (the server may add values),
// so anything else, known or not, counts as not live.
const LIVE_CALL_STATES = new Set(["Connected", "Ringing", "Hold"]);

/** True for a call still in progress: not ended, and connected, ringing or on hold. */
export function isLive(session: SessionInfo): boolean {
  return session.ended !== true && LIVE_CALL_STATES.has(session.callState ?? "");
}

/** True when Evo Voice marked the session as missed. */
export function isMissed(session: SessionInfo): boolean {
  return session.wasMissed === true;
}

/** When the session started, if the server said so in a readable form. */
export function startedAt(session: SessionInfo): Date | undefined {
  return parseEvoDate(session.dateCreated);
}

/** Where the session came from: the caller's name, else their address or number. */
export function fromText(session: SessionInfo): string | undefined {
  return firstText(session.fromName, session.fromAddress, session.fromPhoneNumber);
}

/** Where the session went: the dialled address, else the destination or endpoint. */
export function toText(session: SessionInfo): string | undefined {
  return firstText(session.toAddress, session.destination, session.endpointName);
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

/** How long the session lasted (or has lasted so far, when live), in ms. */
export function durationMs(session: SessionInfo, now: Date): number | undefined {
  const start = startedAt(session);
  if (start === undefined) return undefined;
  const end = parseEvoDate(session.dateCompleted) ?? (isLive(session) ? now : undefined);
  if (end === undefined) return undefined;
  return Math.max(0, end.getTime() - start.getTime());
}

/** The tree description: start time, then duration or state, then outcome. */
export function sessionDescription(
  session: SessionInfo,
  options: { now: Date; timeZone: string },
): string {
  const parts: string[] = [];
  const start = startedAt(session);
  if (start !== undefined) parts.push(formatClock(start, options.timeZone));
  const duration = durationMs(session, options.now);
  if (isLive(session)) {
    parts.push(
      `live · ${session.callState ?? ""}${duration === undefined ? "" : ` ${formatDuration(duration)}`}`,
    );
  } else if (isMissed(session)) {
    parts.push("missed");
  } else if (duration !== undefined) {
    parts.push(formatDuration(duration));
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

/** The first argument that is non-blank text, trimmed. */
export function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}
