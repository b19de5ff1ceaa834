import type { FaultKind } from "../types.js";
import { formatWcfDate, parseWireDate } from "../wire/dates.js";
import { SESSION_DATE_FIELDS } from "../wire/session-fields.js";

type Drift = Extract<FaultKind, { type: "drift" }>;
type Json = Record<string, unknown>;

function toWcf(value: unknown): unknown {
  const date = parseWireDate(value);
  return date === undefined ? value : formatWcfDate(date);
}

function driftSession(session: Json, drift: Required<Omit<Drift, "type">>): void {
  if (drift.unknownEnums) {
    // Values a newer server might send; the seed lists none of them.
    session.callState = "Parked";
    session.queueState = "Overflowed";
    session.direction = "Internal";
    for (const member of (session.members as Json[] | undefined) ?? []) member.role = "Supervisor";
  }
  if (drift.extraProperties) {
    session.recordingUrl = `https://evovoice.io/recordings/${String(session.id)}.mp3`;
    session.tags = ["vip", "follow-up"];
    for (const member of (session.members as Json[] | undefined) ?? []) member.isSupervisor = false;
  }
  if (drift.missingFields) {
    delete session.accountName;
    delete session.outcome;
    delete session.direction;
    delete session.dateCreated;
  }
  if (drift.wcfDates) {
    for (const key of SESSION_DATE_FIELDS) if (key in session) session[key] = toWcf(session[key]);
    for (const entry of (session.log as Json[] | undefined) ?? []) entry.date = toWcf(entry.date);
  }
}

/**
 * Rewrites a JSON body the way a newer or differently configured server might answer:
 * unknown enum values, extra properties, missing fields, WCF dates. Only the flags set apply;
 * none set means all of them.
 */
export function applyDrift(body: unknown, fault: Drift): unknown {
  if (body === null || typeof body !== "object") return body;
  const { type: _type, ...flags } = fault;
  const none = Object.values(flags).every((flag) => flag === undefined);
  const drift = {
    unknownEnums: none || flags.unknownEnums === true,
    extraProperties: none || flags.extraProperties === true,
    missingFields: none || flags.missingFields === true,
    wcfDates: none || flags.wcfDates === true,
  };
  // The body shares members and log entries with the store: drift a copy, or the damage would
  // outlive this one response.
  const json = structuredClone(body) as Json;
  if (Array.isArray(json.items)) {
    for (const item of json.items as Json[]) driftSession(item, drift);
    if (drift.extraProperties) json.serverTime = new Date().toISOString();
    if (drift.missingFields) delete json.totalPages;
  } else if (typeof json.id === "string" && "accountId" in json) {
    driftSession(json, drift);
  } else if (drift.extraProperties && !("responseStatus" in json)) {
    json.meta = { server: "evo-sandbox-drift" };
  }
  return json;
}
