import type { SandboxData } from "@evo-sessions/sandbox";
import type { TreeRow } from "./workbench.js";

/** A session as the sandbox generated it (full log, ISO dates). */
export type SandboxSession = SandboxData["sessions"][number];

// What a person should see for a session, written independently of the extension's code so
// that the suite notices when the view shows something else. Times are UTC: the suite runs
// code-server with TZ=UTC and evoSessions.timeZone "UTC".

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

/** The row label: the display name, else `from → to`, written for people (see `readable`). */
export function expectedLabel(session: SandboxSession): string {
  const name = firstText(session.displayName);
  if (name !== undefined) return readable(name);
  const from = firstText(session.fromName, session.fromAddress, session.fromPhoneNumber);
  const to = firstText(session.toAddress, session.destination, session.endpointName);
  return `${from === undefined ? "unknown" : readable(from)} → ${to === undefined ? "unknown" : readable(to)}`;
}

const STATE_CODES =
  /^(A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY]|LLC|LLP|INC)$/;

/**
 * How the sidebar writes a name or number: North American numbers as `(555) 680-1840`, ALL-CAPS
 * caller-ID names in title case with state codes kept (`AUSTIN TX` → `Austin TX`).
 */
export function readable(text: string): string {
  const digits = /^\+?1?(\d{3})(\d{3})(\d{4})$/.exec(text.replace(/[\s().-]/g, ""));
  if (digits !== null && /^\+?[\d\s().-]+$/.test(text))
    return `(${digits[1]}) ${digits[2]}-${digits[3]}`;
  if (!/[A-Z]/.test(text) || /[a-z]/.test(text)) return text;
  return text.replace(/[A-Z0-9]+/g, (word, offset: number) =>
    (offset > 0 && STATE_CODES.test(word)) || /\d/.test(word)
      ? word
      : word[0] + word.slice(1).toLowerCase(),
  );
}

/** When the session started. */
export function startOf(session: SandboxSession): Date {
  return new Date(session.dateCreated ?? 0);
}

/** `YYYY-MM-DD` (UTC) of an instant. */
export function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `HH:MM` (UTC), how a session row's description starts. */
export function clockOf(date: Date): string {
  return date.toISOString().slice(11, 16);
}

/** `Wed 26 Nov` (with the year when it is not this year's) for `YYYY-MM-DD`. */
export function writtenDay(key: string, thisYear?: number): string {
  const date = new Date(`${key}T00:00:00Z`);
  const text = `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  return date.getUTCFullYear() === thisYear ? text : `${text} ${date.getUTCFullYear()}`;
}

/** The day-group heading: Today, Yesterday, else the day written out. */
export function dayHeading(key: string, now: Date): string {
  const today = dayKey(now);
  if (key === today) return "Today";
  if (key === dayKey(new Date(now.getTime() - DAY_MS))) return "Yesterday";
  return writtenDay(key, now.getUTCFullYear());
}

/** A session row of the tree and the day heading it sits under (undefined when scrolled off). */
export interface SessionRow {
  row: TreeRow;
  day: string | undefined;
}

/** Day headings and session rows of the rendered tree (members and log rows are left out). */
export function readTree(rows: TreeRow[]): { days: string[]; sessions: SessionRow[] } {
  const days: string[] = [];
  const sessions: SessionRow[] = [];
  let day: string | undefined;
  for (const row of rows) {
    if (row.level === 1 && row.expanded !== undefined) {
      day = row.label;
      days.push(row.label);
    } else if (row.level === 2 && day !== undefined) {
      sessions.push({ row, day });
    } else if (row.level === 2 && days.length === 0) {
      sessions.push({ row, day: undefined });
    }
  }
  return { days, sessions };
}

/**
 * The sessions among `candidates` that a row shows: same label, same start time, under the
 * heading of its day. Empty when the row shows no candidate.
 */
export function sessionsShownBy(
  row: SessionRow,
  candidates: readonly SandboxSession[],
  now: Date,
): SandboxSession[] {
  return candidates.filter((session) => {
    const start = startOf(session);
    return (
      expectedLabel(session) === row.row.label &&
      row.row.description.startsWith(clockOf(start)) &&
      (row.day === undefined || dayHeading(dayKey(start), now) === row.day)
    );
  });
}

/** Rows that show none of `candidates`, described for an assertion message. */
export function rowsOutside(
  rows: readonly SessionRow[],
  candidates: readonly SandboxSession[],
  now: Date,
): string[] {
  return rows
    .filter((row) => sessionsShownBy(row, candidates, now).length === 0)
    .map((row) => `${row.day ?? "?"} / ${row.row.label} / ${row.row.description}`);
}

/** The sessions a ListSessions without filters shows, newest first (archived ones left out). */
export function recentSessions(
  data: SandboxData,
  accountIds: readonly string[],
  now: Date,
  archiveAfterDays = 15,
): SandboxSession[] {
  const cutoff = now.getTime() - archiveAfterDays * DAY_MS;
  const accounts = new Set(accountIds);
  return data.sessions
    .filter((s) => accounts.has(s.accountId ?? "") && startOf(s).getTime() >= cutoff)
    .sort((a, b) => startOf(b).getTime() - startOf(a).getTime());
}

/** The sandbox's `from` filter: contains, ignoring case, in from address, name or phone number. */
export function fromContains(session: SandboxSession, text: string): boolean {
  const needle = text.toLowerCase();
  return [session.fromAddress, session.fromName, session.fromPhoneNumber].some(
    (value) => typeof value === "string" && value.toLowerCase().includes(needle),
  );
}
