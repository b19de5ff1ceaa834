import { startSandbox, type Sandbox, type SandboxOptions } from "../src/index.js";
import { SESSION_DATE_FIELDS, SESSION_INFO_FIELDS, parseWireDate } from "../src/wire/index.js";

/** A fixed "now" so that every test run sees the same data. */
export const TEST_NOW = new Date("2026-03-15T18:30:00.000Z");

/** Starts a sandbox on a free port with a small, reproducible dataset. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, sessions: 1200, seed: 7, now: TEST_NOW, ...options });
}

/** `Authorization: Basic` for a demo user. */
export function basic(userName: string, password = `${userName}-password`): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString("base64")}` };
}

/** GETs a path with Basic credentials and returns status and parsed JSON body. */
export async function getJson(
  sandbox: Sandbox,
  path: string,
  headers: Record<string, string> = basic("admin"),
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${sandbox.url}${path}`, { headers });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
}

/** Builds a query string from a record, skipping undefined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

// The seed's enum values by the property that carries them (docs/spec/ListSessions.seed.txt),
// for checks that responses keep to the contract. Core's tests decode the same responses with
// core's strict schemas; these checks are the sandbox's own, so it needs no import from core.
const SESSION_ENUMS: Record<string, readonly string[]> = {
  dialState: ["None", "Active"],
  callState: ["Disconnected", "Ringing", "Connected", "Hold", "Passive"],
  queueState: ["None", "Queued", "Ringing", "Connected", "Hold", "Disconnected"],
  channel: ["Voice", "Chat", "Fax"],
  holdReason: ["None", "Transferring"],
  direction: ["Incoming", "Outgoing"],
};
const MEMBER_ENUMS: Record<string, readonly string[]> = {
  callState: ["None", "Ringing", "Connected", "Hold"],
  role: ["None", "Caller", "Agent", "Transfer"],
};
const MEMBER_FIELDS = new Set([
  "identity",
  "endpointId",
  "displayName",
  "isOriginalMember",
  "avatarUrl",
  "applicationData",
  "callState",
  "role",
  "callSid",
  "muted",
]);

/**
 * What in a session (or a list response's sessions) the seed does not allow: properties it
 * does not list, enum values it does not list, nulls, dates neither ISO nor WCF. Empty when the
 * body keeps to the contract.
 */
export function seedViolations(body: unknown): string[] {
  const json = body as { items?: unknown[] };
  const sessions = Array.isArray(json.items) ? json.items : [body];
  return sessions.flatMap((session, index) =>
    sessionViolations(session as Record<string, unknown>).map((v) => `#${index} ${v}`),
  );
}

function sessionViolations(session: Record<string, unknown>): string[] {
  const out = fieldViolations(session, new Set<string>(SESSION_INFO_FIELDS), SESSION_ENUMS);
  for (const key of SESSION_DATE_FIELDS)
    if (key in session && parseWireDate(session[key]) === undefined) out.push(`${key}: not a date`);
  const members = (session.members as Record<string, unknown>[] | undefined) ?? [];
  for (const member of members)
    out.push(...fieldViolations(member, MEMBER_FIELDS, MEMBER_ENUMS).map((v) => `member ${v}`));
  for (const entry of (session.log as { date?: unknown }[] | undefined) ?? [])
    if (parseWireDate(entry.date) === undefined) out.push(`log date ${String(entry.date)}`);
  return out;
}

function fieldViolations(
  object: Record<string, unknown>,
  fields: ReadonlySet<string>,
  enums: Record<string, readonly string[]>,
): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (!fields.has(key)) out.push(`${key}: not in the seed`);
    else if (value === null) out.push(`${key}: null`);
    else if (enums[key] !== undefined && !enums[key].includes(value as string))
      out.push(`${key}: unknown value ${String(value)}`);
  }
  return out;
}
