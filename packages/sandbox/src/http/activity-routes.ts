import { identify, notAuthenticated } from "../auth/authenticate.js";
import {
  USER_ROLES,
  activeCallsRoles,
  forbidden,
  requireAnyRole,
  visibleAccounts,
} from "../auth/roles.js";
import { stableHex } from "../data/directory.js";
import type { MemberFields, StoredSession } from "../data/model.js";
import { transcriptOf } from "../data/transcript.js";
import { ParamReader } from "../sessions/list-params.js";
import type { SandboxBehaviour } from "../types.js";
import { parseCalendarDay, parseWireDate } from "../wire/dates.js";
import type { CallInfo, ChatTranscriptMessage } from "../wire/directory-dto.js";
import type { RequestContext, ServerState } from "./context.js";
import { json, jsonError, type PlannedResponse } from "./responses.js";
import { singleSessionJson } from "./session-routes.js";

const DAY_MS = 86_400_000;
/** GetChatTranscript: historical messages reach back at most six months (the page's limit). */
const HISTORY_LIMIT_MS = 183 * DAY_MS;

/** Whether a user endpoint takes part in a session: as its endpoint, its answerer or a member. */
function involves(session: StoredSession, endpointId: string): boolean {
  const info = session.info;
  if (info.endpointId === endpointId || info.answeredById === endpointId) return true;
  return (info.members ?? []).some((member) => member.endpointId === endpointId);
}

/**
 * `GET /sessions/my` (GetMySessions) and `GET /sessions/active` (GetActiveSessions): the
 * sessions in progress that the caller's own user endpoint takes part in, newest first. Both
 * need the User role; a user that is no endpoint has none (the pages say no more; the public
 * CLI notes the active list needs "a matching user endpoint").
 */
export function mySessions(
  context: RequestContext,
  state: ServerState,
  operation: "GetMySessions" | "GetActiveSessions",
): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  const denied = requireAnyRole(state, caller.user, operation, USER_ROLES);
  if (denied !== undefined) return denied;
  const endpointId = caller.user.endpointId;
  const accounts = visibleAccounts(state, caller.user);
  const sessions =
    endpointId === undefined
      ? []
      : state.store.sessions.filter(
          (s) => s.info.ended !== true && accounts.has(s.accountId) && involves(s, endpointId),
        );
  return json(200, { sessions: sessions.map((s) => singleSessionJson(s, state)) });
}

/** `+15552101234` as `(555) 210-1234`, Twilio's formatting of North-American numbers. */
function formatted(number: string | undefined): string | undefined {
  const match = number === undefined ? null : /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number);
  return match === null ? number : `(${match[1]}) ${match[2]}-${match[3]}`;
}

function callDate(iso: string | undefined, behaviour: SandboxBehaviour): string | undefined {
  if (iso === undefined || behaviour.callInfoDates === "iso") return iso;
  // Twilio's RFC 2822 form: "Tue, 31 Aug 2010 20:36:28 +0000".
  return new Date(iso).toUTCString().replace("GMT", "+0000");
}

function withoutUndefined(call: Record<string, unknown>): CallInfo {
  return Object.fromEntries(Object.entries(call).filter(([, v]) => v !== undefined)) as CallInfo;
}

/** One Twilio call leg of a session in progress: the caller's, or an agent's dialled from it. */
function callLeg(
  session: StoredSession,
  member: MemberFields,
  accountSid: string,
  state: ServerState,
): CallInfo {
  const info = session.info;
  const isCaller = member.role === "Caller";
  const sid = member.callSid as string;
  const from = isCaller ? info.fromAddress : info.toAddress;
  const to = isCaller ? info.toAddress : member.identity;
  const created = callDate(info.dateCreated, state.behaviour);
  const seconds = Math.round(
    (Date.parse(info.dateLastModified ?? info.dateCreated ?? "") - session.createdMs) / 1000,
  );
  return withoutUndefined({
    accountSid,
    callerName: isCaller ? info.fromName : undefined,
    dateCreated: created,
    dateUpdated: callDate(info.dateLastModified, state.behaviour),
    direction: isCaller ? "inbound" : "outbound-dial",
    duration: Number.isFinite(seconds) ? Math.max(0, seconds) : 0,
    from,
    fromFormatted: formatted(from),
    parentCallSid: isCaller ? undefined : info.callSid,
    phoneNumberSid: info.endpointId === undefined ? undefined : `PN${stableHex(info.endpointId)}`,
    priceUnit: "USD",
    sid,
    startTime: created,
    status: member.callState === "Ringing" ? "ringing" : "in-progress",
    to,
    toFormatted: formatted(to),
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
  });
}

/**
 * `GET /calls/active` (GetActiveCalls): every call leg in progress, account-wide (the public
 * CLI calls it so). `accountId` picks one account the user reaches (another is a 403); without
 * it the sandbox answers for every account the user reaches (the page does not say).
 */
export function activeCalls(context: RequestContext, state: ServerState): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  const roles = activeCallsRoles(state.behaviour);
  const denied = requireAnyRole(state, caller.user, "GetActiveCalls", roles);
  if (denied !== undefined) return denied;
  const visible = visibleAccounts(state, caller.user);
  const accountId = new ParamReader(context.params).text("accountId");
  if (accountId !== undefined && !visible.has(accountId))
    return forbidden(state, `You do not have access to account '${accountId}'.`);
  const accounts = accountId === undefined ? visible : new Set([accountId]);
  const sids = new Map(
    state.store.dataset.accounts.map((a) => [a.id as string, a.twilioAccountSid ?? ""]),
  );
  const calls: CallInfo[] = [];
  for (const session of state.store.sessions) {
    const info = session.info;
    if (info.ended === true || info.channel !== "Voice" || !accounts.has(session.accountId))
      continue;
    for (const member of info.members ?? []) {
      if (member.callSid === undefined || member.callState === undefined) continue;
      if (member.callState === "None") continue;
      calls.push(callLeg(session, member, sids.get(session.accountId) ?? "", state));
    }
  }
  return json(200, { calls });
}

function transcriptCutoff(
  reader: ParamReader,
  createdMs: number,
): { ok: true; cutoffMs: number } | { ok: false; response: PlannedResponse } {
  const earliest = createdMs - HISTORY_LIMIT_MS;
  const text = reader.text("historicalCutOffDate");
  if (text === undefined) return { ok: true, cutoffMs: earliest };
  const ms = parseCalendarDay(text) ?? parseWireDate(text)?.getTime();
  if (ms === undefined) {
    const fieldName = reader.nameOf("historicalCutOffDate");
    const message = `'Historical Cut Off Date' must be a date, e.g. 2026-01-31 (got '${text}').`;
    const errors = [{ errorCode: "Predicate", fieldName, message }];
    return { ok: false, response: jsonError(400, "Predicate", message, { errors }) };
  }
  // Asking for more than six months back gets six months.
  return { ok: true, cutoffMs: Math.max(earliest, ms) };
}

/** Earlier chats of the same account with the same contact, since `cutoffMs`, oldest first. */
function historicalMessages(
  state: ServerState,
  chat: StoredSession,
  cutoffMs: number,
): ChatTranscriptMessage[] {
  const contact = chat.info.fromPhoneNumber;
  if (contact === undefined) return [];
  const earlier = state.store.sessions.filter(
    (s) =>
      s.accountId === chat.accountId &&
      s.info.channel === "Chat" &&
      s.info.fromPhoneNumber === contact &&
      s.createdMs < chat.createdMs &&
      s.createdMs >= cutoffMs,
  );
  return earlier.reverse().flatMap((s) => transcriptOf(s));
}

/**
 * `GET /sessions/{id}/transcript` (GetChatTranscript), role User: the chat's messages, read
 * from its log. With `includeHistorical`, earlier chats with the same contact come first. An
 * unknown or invisible session is a 404; a voice or fax session is a 400 naming sessionId (the
 * page does not say). Archived chats have transcripts too: messages are kept apart from sessions.
 */
export function chatTranscript(
  context: RequestContext,
  state: ServerState,
  id: string,
): PlannedResponse {
  const caller = identify(context, state);
  if (!caller.ok) return notAuthenticated(caller.reason);
  const denied = requireAnyRole(state, caller.user, "GetChatTranscript", USER_ROLES);
  if (denied !== undefined) return denied;
  const session = state.store.get(id);
  if (session === undefined || !visibleAccounts(state, caller.user).has(session.accountId))
    return jsonError(404, "NotFound", `Session '${id}' was not found`);
  if (session.info.channel !== "Chat") {
    const message = `Session '${id}' is a ${session.info.channel ?? "non-chat"} session: transcripts are of Chat sessions`;
    const errors = [{ errorCode: "ArgumentException", fieldName: "SessionId", message }];
    return jsonError(400, "ArgumentException", message, { errors });
  }
  const reader = new ParamReader(context.params);
  const includeHistorical = reader.bool("includeHistorical");
  if (reader.bindingErrors.length > 0) {
    const errors = reader.bindingErrors;
    const message = "Unable to bind to request 'GetChatTranscript'";
    return jsonError(400, "SerializationException", message, { errors });
  }
  const cutoff = transcriptCutoff(reader, session.createdMs);
  if (!cutoff.ok) return cutoff.response;
  const history =
    includeHistorical === true ? historicalMessages(state, session, cutoff.cutoffMs) : [];
  return json(200, { messages: [...history, ...transcriptOf(session)] });
}
