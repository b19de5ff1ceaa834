/**
 * What a session's details show beyond its own record: a timeline of the log with elapsed times,
 * the transcript of a chat, and the sessions a transfer links it to. The timeline reads core's
 * facts (start, queued, answered, end) and the log's hold/voicemail/transfer lines; the rest is
 * read from the server next to the session (see {@link readDetailsExtras}).
 */
import {
  answeredAt,
  channelOf,
  directionOf,
  endedAt,
  firstText,
  formatClockWithSeconds,
  formatDuration,
  parseEvoDate,
  queuedAt,
  SessionQuery,
  startedAt,
  type ChatTranscriptMessage,
  type EvoVoiceClient,
  type SessionInfo,
} from "@evo-sessions/core";
import { nameText } from "../sessions/session-text.js";

/** Read beside a session for its details; each part says when it could not be read. */
export interface DetailsExtras {
  transcript?: ChatTranscriptMessage[] | { error: string };
  /** The session this one was transferred from (its ID from the log; the session when found). */
  parent?: { id: string; session?: SessionInfo };
  /** Sessions transferred from this one (ListSessions' parentSessionId). */
  children?: SessionInfo[] | { error: string };
}

/** Writes a link to another session's details: its document URI. */
export type SessionLink = (session: SessionInfo) => string;

/** Child sessions listed at most: a transfer chain is short; more would be a list, not a link. */
const MAX_CHILDREN = 20;

// The sandbox (and Evo Voice's flows) write "Transferred from session <id> by <agent>" first
// in a transfer's child; SessionInfo has no parent field of its own.
const TRANSFERRED_FROM = /\btransferred from session\s+([A-Za-z0-9_-]+)/i;

/** The session a transfer's child names as its parent in its log, if any. */
export function parentIdFromLog(session: SessionInfo): string | undefined {
  for (const entry of session.log ?? []) {
    const match = TRANSFERRED_FROM.exec(entry.message ?? "");
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/**
 * Reads a chat's transcript, the children and the parent of a session, at once. Never throws:
 * a part that failed is reported in its place, so the details still open.
 */
export async function readDetailsExtras(
  client: EvoVoiceClient,
  session: SessionInfo,
  signal?: AbortSignal,
): Promise<DetailsExtras> {
  const id = firstText(session.id);
  if (id === undefined) return {};
  const options = signal === undefined ? {} : { signal };
  const problem = (error: unknown) => ({
    error: error instanceof Error ? error.message : String(error),
  });
  const parentId = parentIdFromLog(session);
  const [transcript, children, parent] = await Promise.all([
    channelOf(session) === "Chat"
      ? client.chatTranscript(id, options).catch(problem)
      : Promise.resolve(undefined),
    client
      .listSessions(SessionQuery.create().parent(id).oldest().perPage(MAX_CHILDREN), options)
      .then((page) => page.items.filter((child) => child.id !== id))
      .catch(problem),
    parentId === undefined
      ? Promise.resolve(undefined)
      : client.getSession(parentId, options).catch(() => undefined),
  ]);
  const extras: DetailsExtras = { children };
  if (transcript !== undefined) extras.transcript = transcript;
  if (parentId !== undefined)
    extras.parent = parent === undefined ? { id: parentId } : { id: parentId, session: parent };
  return extras;
}

/** One step of the timeline. */
interface Step {
  at: Date;
  label: string;
  /** How long the step before took, in words ("12s in the queue"). */
  note?: string;
}

const ON_HOLD = /\b(placed on hold|put on hold|on hold by)\b/i;
const RESUMED = /\b(resumed|taken off hold|retrieved from hold)\b/i;
const VOICEMAIL = /\b(redirected to voicemail|recording voicemail|answered by voicemail)\b/i;
const TRANSFERRED = /\btransferred to\b/i;

/** The steps of a session: start, queue, answer, holds, voicemail, transfer, end, in order. */
export function timelineSteps(session: SessionInfo): Step[] {
  const start = startedAt(session);
  if (start === undefined) return [];
  const incomingVoice = directionOf(session) === "Incoming" && channelOf(session) === "Voice";
  const steps: Step[] = [{ at: start, label: incomingVoice ? "Ringing" : "Started" }];
  const queued = queuedAt(session);
  const answered = answeredAt(session);
  if (queued !== undefined) steps.push({ at: queued, label: "Queued" });
  if (answered !== undefined) {
    const waited = answered.getTime() - (queued ?? start).getTime();
    const where = queued === undefined ? "ringing" : "in the queue";
    steps.push({ at: answered, label: "Answered", note: `${formatDuration(waited)} ${where}` });
  }
  let heldAt: Date | undefined;
  for (const entry of session.log ?? []) {
    const at = parseEvoDate(entry.date);
    const message = entry.message ?? "";
    if (at === undefined) continue;
    if (ON_HOLD.test(message)) {
      heldAt = at;
      steps.push({ at, label: "On hold" });
    } else if (RESUMED.test(message) && heldAt !== undefined) {
      steps.push({ at, label: "Resumed", note: `${formatDuration(+at - +heldAt)} on hold` });
      heldAt = undefined;
    } else if (VOICEMAIL.test(message) && !steps.some((step) => step.label === "Voicemail")) {
      steps.push({ at, label: "Voicemail" });
    } else if (TRANSFERRED.test(message)) steps.push({ at, label: "Transferred" });
  }
  const end = endedAt(session);
  if (end !== undefined) {
    const talked = answered === undefined ? undefined : +end - +answered;
    const step: Step = { at: end, label: "Ended" };
    if (talked !== undefined) step.note = `${formatDuration(talked)} on the call`;
    steps.push(step);
  }
  // Stable: steps at the same instant keep the order they were found in.
  return steps.sort((a, b) => +a.at - +b.at);
}

/** The timeline as Markdown: each step with its local time and the time since the start. */
export function timelineLines(session: SessionInfo, timeZone: string): string[] {
  const steps = timelineSteps(session);
  if (steps.length < 2) return [];
  const start = steps[0]!.at;
  const lines = ["## Timeline", ""];
  for (const step of steps) {
    const elapsed = `+${formatDuration(+step.at - +start)}`;
    const note = step.note === undefined ? "" : ` — ${step.note}`;
    lines.push(
      `- **${step.label}** \`${formatClockWithSeconds(step.at, timeZone)}\` ${elapsed}${note}`,
    );
  }
  lines.push("");
  return lines;
}

/** The time since the start of a log entry, for the log's lines ("+12s"). */
export function elapsedText(session: SessionInfo, date: Date | undefined): string | undefined {
  const start = startedAt(session);
  if (start === undefined || date === undefined) return undefined;
  return `+${formatDuration(Math.max(0, +date - +start))}`;
}

/** A chat's messages, one line each with its time and sender. */
export function transcriptLines(extras: DetailsExtras, timeZone: string): string[] {
  const transcript = extras.transcript;
  if (transcript === undefined) return [];
  if (!Array.isArray(transcript))
    return ["## Transcript", "", `_Couldn't read the transcript: ${escape(transcript.error)}_`, ""];
  const count = `${transcript.length} ${transcript.length === 1 ? "message" : "messages"}`;
  const lines = [`## Transcript (${count})`, ""];
  if (transcript.length === 0) lines.push("_No messages._");
  for (const message of transcript) {
    const at = parseEvoDate(message.date);
    const time =
      at === undefined ? (firstText(message.date) ?? "") : formatClockWithSeconds(at, timeZone);
    const body = escape((message.body ?? "").replace(/\r?\n/g, " ⏎ "));
    const media = firstText(message.mediaUri);
    const attachment =
      media === undefined
        ? ""
        : ` _(attachment: ${escape(firstText(message.mediaContentType) ?? media)})_`;
    lines.push(
      `- \`${time}\` **${escape(nameText(firstText(message.from)) ?? "?")}**: ${body}${attachment}`,
    );
  }
  lines.push("");
  return lines;
}

/** Links to the parent and the children of a transfer; nothing when there are none. */
export function transferLines(
  extras: DetailsExtras,
  link: SessionLink,
  title: (session: SessionInfo) => string,
): string[] {
  const lines: string[] = [];
  const parent = extras.parent;
  if (parent !== undefined) {
    const target = parent.session ?? ({ id: parent.id } as SessionInfo);
    const text = parent.session === undefined ? `session ${parent.id}` : title(parent.session);
    lines.push(`- Transferred from [${escape(text)}](${link(target)})`);
  }
  const children = extras.children;
  if (children !== undefined && !Array.isArray(children))
    lines.push(
      `- _Couldn't look for sessions transferred from this one: ${escape(children.error)}_`,
    );
  for (const child of Array.isArray(children) ? children : [])
    lines.push(`- Transferred to [${escape(title(child))}](${link(child)})`);
  return lines.length === 0 ? [] : ["## Transfers", "", ...lines, ""];
}

function escape(text: string): string {
  // Keeps caller-supplied text from turning into headings, links or HTML.
  return text.replace(/[\\`*_[\]<>#]/g, "\\$&");
}
