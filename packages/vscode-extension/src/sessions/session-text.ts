// The words the sidebar and the details page use for a session. Every fact behind them (live or
// ended, missed, who called whom, how long) is core's, so the sidebar states what the chat's
// answers state; only the wording and layout are the extension's. Rows and details share every
// function here, so a live row and its details never disagree about what they show.
import {
  callerNameCase,
  channelOf,
  DEFAULT_COUNTRY,
  directionOf,
  durationMs,
  firstText,
  formatClock,
  formatDuration,
  formatPhoneNumber,
  isLive,
  isMissed,
  outcomeOf,
  partiesOf,
  ringTimeMs,
  startedAt,
  type CountryCode,
  type Party,
  type SessionInfo,
  type SessionMemberInfo,
} from "@evo-sessions/core";

/** How rows are written: the clock live durations run to, the zone, the numbers' country. */
export interface TextOptions {
  now: Date;
  timeZone: string;
  /** Numbers of this country are written nationally, others internationally (default US). */
  country?: CountryCode;
  /** Name the account in the row: more than one account is in view. */
  showAccount?: boolean;
}

/**
 * A name as people write it: ALL-CAPS caller-ID text in title case (core's rule); a "name" that
 * is a number (caller-ID often sends one) is written as a number.
 */
export function nameText(name: string | undefined, country?: CountryCode): string | undefined {
  if (name === undefined) return undefined;
  if (isNumberLike(name)) return addressText(name, country);
  return callerNameCase(name);
}

/** A number written for people: national for the country, else international; other text as is. */
export function addressText(
  address: string | undefined,
  country?: CountryCode,
): string | undefined {
  return address === undefined
    ? undefined
    : formatPhoneNumber(address, { country: country ?? DEFAULT_COUNTRY });
}

/** A number in E.164 for tooltips and copying (`+15556801840`), other text as is. */
export function e164Text(address: string | undefined): string | undefined {
  return address === undefined ? undefined : formatPhoneNumber(address, { style: "e164" });
}

/** One side in a few words: its name, else its number written for people. */
export function partyShort(side: Party, country?: CountryCode): string | undefined {
  return nameText(side.name, country) ?? addressText(side.address, country);
}

/** Who the session came from in a few words (core's parties). */
export function fromText(session: SessionInfo, country?: CountryCode): string | undefined {
  return partyShort(partiesOf(session).from, country);
}

/** Who the session went to in a few words (core's parties). */
export function toText(session: SessionInfo, country?: CountryCode): string | undefined {
  return partyShort(partiesOf(session).to, country);
}

/** A party with both its name and number when known: `Austin TX · (512) 680-1840`. */
export function partyLine(side: Party, country?: CountryCode): string | undefined {
  const name = nameText(side.name, country);
  const address = addressText(side.address, country);
  if (name !== undefined && address !== undefined && name !== address)
    return `${name} · ${address}`;
  return name ?? address;
}

/** A party with its number in E.164, for tooltips: `Austin TX (+15126801840)`. */
export function partyExact(side: Party): string | undefined {
  const name = isNumberLike(side.name) ? e164Text(side.name) : nameText(side.name);
  const address = e164Text(side.address);
  if (name !== undefined && address !== undefined) return `${name} (${address})`;
  return name ?? address;
}

/** The tree label: the display name, else `from → to`, else the session ID. */
export function sessionLabel(session: SessionInfo, country?: CountryCode): string {
  const name = nameText(firstText(session.displayName), country);
  if (name !== undefined) return name;
  const from = fromText(session, country);
  const to = toText(session, country);
  if (from !== undefined || to !== undefined) return `${from ?? "unknown"} → ${to ?? "unknown"}`;
  return `Session ${session.id ?? "(no ID)"}`;
}

/** Duration as a call log writes it (`3m 12s`), measured to `now` while live. */
export function durationText(session: SessionInfo, now: Date): string | undefined {
  const ms = durationMs(session, now);
  return ms === undefined ? undefined : formatDuration(ms);
}

/** What the timing of a session is called and how long it is, the same in rows and details. */
export interface Timing {
  /** `Ringing`, `On the call`, `On hold`, `Rang` (missed), `Duration`. */
  label: string;
  value: string;
}

/**
 * The one timing fact a row and its details show: while live, how long it has rung, talked or
 * held (to `now`); missed, how long it rang before it ended; else its duration.
 */
export function timing(session: SessionInfo, now: Date): Timing | undefined {
  const total = durationText(session, now);
  if (total === undefined) return undefined;
  if (isLive(session)) {
    const label =
      session.callState === "Ringing"
        ? "Ringing"
        : session.callState === "Hold"
          ? "On hold"
          : "On the call";
    return { label, value: total };
  }
  if (isMissed(session)) return { label: "Rang", value: total };
  return { label: "Duration", value: total };
}

/** `incoming call`, `outgoing chat`, `fax` — direction and channel in words. */
export function kindText(session: SessionInfo): string {
  const channel = channelOf(session);
  const noun = channel === "Chat" ? "chat" : channel === "Fax" ? "fax" : "call";
  const direction = directionOf(session);
  return direction === undefined ? noun : `${direction.toLowerCase()} ${noun}`;
}

/**
 * The tree description: start time, direction in words, missed or live, the timing and the
 * outcome when it adds something, and the account when several are in view.
 * `04:51 · incoming · missed · rang 12s`, `09:02 · outgoing · 3m 12s · Acme Dental`.
 */
export function sessionDescription(session: SessionInfo, options: TextOptions): string {
  const parts: string[] = [];
  const start = startedAt(session);
  if (start !== undefined) parts.push(formatClock(start, options.timeZone));
  const direction = directionOf(session);
  if (direction !== undefined) parts.push(direction.toLowerCase());
  if (isLive(session)) parts.push("live");
  else if (isMissed(session)) parts.push("missed");
  const time = timing(session, options.now);
  if (time !== undefined) {
    parts.push(
      time.label === "Duration" ? time.value : `${time.label.toLowerCase()} ${time.value}`,
    );
  }
  const outcome = outcomeOf(session);
  if (!isLive(session) && outcome.kind !== "answered" && outcome.kind !== "unknown") {
    const word = outcome.kind.replace(/-/g, " ");
    if (!(isMissed(session) && outcome.kind === "no-answer")) parts.push(word);
  }
  if (options.showAccount === true) {
    const account = firstText(session.accountName, session.accountId);
    if (account !== undefined) parts.push(account);
  }
  return parts.join(" · ");
}

/** A member's name as the tree shows it. */
export function memberLabel(member: SessionMemberInfo): string {
  return (
    nameText(firstText(member.displayName)) ??
    firstText(member.identity, member.endpointId) ??
    "Unknown member"
  );
}

/** A member's role and call state, e.g. `Agent · Connected · muted`. */
export function memberDescription(member: SessionMemberInfo): string {
  const parts = [member.role, member.callState].filter(
    (value): value is string => typeof value === "string" && value !== "" && value !== "None",
  );
  if (member.muted === true) parts.push("muted");
  return parts.join(" · ");
}

/** Ring time before someone answered (core's fact), for the tooltip and details. */
export function ringText(session: SessionInfo): string | undefined {
  const ms = ringTimeMs(session);
  return ms === undefined ? undefined : formatDuration(ms);
}

/** Text that is a phone number however written (`+15551234567`, `(555) 123-4567`). */
function isNumberLike(text: string | undefined): text is string {
  return text !== undefined && /^\+?[\d\s().-]{7,}$/.test(text);
}
