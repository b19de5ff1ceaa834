/**
 * One page of a session's log in an answer: the entries matching `logContains`, runs of repeats
 * collapsed, as many as fit the budget (the first always), the log's last entries when the page
 * stops before them (how the session ended), and how to read on.
 */
import { isoSeconds } from "../format/session-summary.js";
import { parseEvoDate, zonedText, type SessionInfo } from "@evo-sessions/core";
import { clip } from "../format/budget.js";
import { collapseRuns, singleLines, type LogItem, type LogLine } from "../format/log-runs.js";
import { counted, jsonChars, type Answer } from "./answer.js";

/** Last log entries always shown (when the page stops before them): how the session ended. */
const ENDING_ENTRIES = 2;

/** Which part of the log is asked for. */
export interface LogRequest {
  offset: number;
  limit: number;
  collapse: boolean;
  /** `logContains` as given (trimmed), or "" for every entry. */
  contains: string;
}

/** One line of the log in the JSON. */
export interface LogEntryOut {
  index: number;
  at?: string;
  message: string;
  repeats?: number;
  entries?: number;
  lastIndex?: number;
  lastAt?: string;
}

/** The log part of the structured answer. */
export interface LogOut {
  total: number;
  matching: number;
  offset: number;
  returned: number;
  hasMore: boolean;
  nextLogOffset?: number;
  leftOutForBudget: number;
  entries: LogEntryOut[];
}

/** Where the log is written and how its times read. */
export interface LogContext {
  answer: Answer;
  timeZone: string;
  /** The day the session started (stamps name a day only when it changes). */
  startDay: string | undefined;
  ended: boolean;
  sessionId: string;
}

/** Writes the asked page of the log into the answer and returns its JSON. */
export function writeLog(session: SessionInfo, request: LogRequest, out: LogContext): LogOut {
  const log = session.log ?? [];
  const needle = request.contains.toLowerCase();
  const matching: LogItem[] = [];
  for (const [index, entry] of log.entries()) {
    const message = entry.message ?? "";
    if (needle !== "" && !message.toLowerCase().includes(needle)) continue;
    matching.push({ position: matching.length, index, message, at: parseEvoDate(entry.date) });
  }
  const page = matching.slice(request.offset, request.offset + request.limit);
  const lines = request.collapse ? collapseRuns(page) : singleLines(page);
  out.answer.line(pageHeading(request, page.length, lines.length, matching.length, log.length));
  // Room for the ending lines below, kept free while the page is filled.
  const endingRoom =
    60 +
    endingLines(session, log.length - ENDING_ENTRIES, out.timeZone).reduce(
      (sum, line) => sum + line.length + 1,
      0,
    );
  out.answer.spend(endingRoom);
  const { shown, entries } = fitLines(lines, out);
  out.answer.spend(-endingRoom);
  const covered = shown.reduce((sum, line) => sum + line.width * line.repeats, 0);
  const nextLogOffset = request.offset + covered;
  const hasMore = nextLogOffset < matching.length && covered > 0;
  writeEnding(session, shown.at(-1)?.last.index ?? -1, out);
  const leftOut = page.length - covered;
  if (leftOut > 0)
    out.answer.leftOut(`${leftOut} more requested log entries`, "logOffset continues with them");
  if (hasMore) {
    out.answer.line(
      `More log (${counted(matching.length - nextLogOffset, "entry", "entries")}): ${readOn(out, request, nextLogOffset)}.`,
    );
  }
  return {
    total: log.length,
    matching: matching.length,
    offset: request.offset,
    returned: covered,
    hasMore,
    ...(hasMore ? { nextLogOffset } : {}),
    leftOutForBudget: leftOut,
    entries,
  };
}

function readOn(out: LogContext, request: LogRequest, nextLogOffset: number): string {
  const same = request.contains === "" ? "" : " and the same logContains";
  return `call get_session with id="${out.sessionId}" logOffset=${nextLogOffset}${same}`;
}

function pageHeading(
  request: LogRequest,
  pageLength: number,
  lineCount: number,
  matching: number,
  total: number,
): string {
  const filterWords = request.contains === "" ? "" : ` matching "${request.contains}"`;
  if (pageLength === 0) {
    return matching === 0
      ? `Log: ${total} entries, none${filterWords}.`
      : `Log: ${matching} entries${filterWords}; logOffset ${request.offset} is past the end.`;
  }
  const all = request.contains === "" ? "" : ` (${total} in all)`;
  const collapsed =
    lineCount < pageLength
      ? ` in ${lineCount} lines, repeats collapsed (collapseRepeats false shows each)`
      : "";
  return `Log entries ${request.offset + 1}–${request.offset + pageLength} of ${matching}${filterWords}${all}${collapsed}:`;
}

/** Adds the log lines that fit (the first always), each with its JSON record. */
function fitLines(
  lines: readonly LogLine[],
  out: LogContext,
): { shown: LogLine[]; entries: LogEntryOut[] } {
  const shown: LogLine[] = [];
  const entries: LogEntryOut[] = [];
  let lastDay = out.startDay;
  out.answer.fit(
    lines,
    (line) => {
      const first = stamp(line.first.at, out.timeZone, { lastDay });
      const entry = entryOf(line);
      let text = `  ${first.text} ${clip(line.first.message, 300)}`;
      if (line.repeats > 1) {
        const last = stamp(line.last.at, out.timeZone).text;
        const times =
          line.width === 1 ? `×${line.repeats}` : `×${line.repeats} (${entry.entries} entries)`;
        text = `  ${first.text}–${last} ${times}: ${line.messages.map((m) => clip(m, 150)).join(" / ")}`;
      }
      return {
        text,
        extraChars: jsonChars(entry) + 1,
        onAdded: () => {
          lastDay = first.day ?? lastDay;
          shown.push(line);
          entries.push(entry);
        },
      };
    },
    { atLeastOne: true },
  );
  return { shown, entries };
}

/**
 * A log line's time, `HH:mm:ss`; given the day of the line before (`dated`), the day is put in
 * front when it changed.
 */
function stamp(
  at: Date | undefined,
  timeZone: string,
  dated?: { lastDay: string | undefined },
): { text: string; day: string | undefined } {
  if (at === undefined) return { text: "--:--:--", day: undefined };
  const parts = zonedText(at, timeZone);
  const withDay = dated !== undefined && parts.day !== dated.lastDay;
  return {
    text: withDay ? `${parts.day} ${parts.timeWithSeconds}` : parts.timeWithSeconds,
    day: parts.day,
  };
}

function entryOf(line: LogLine): LogEntryOut {
  const entry: LogEntryOut = {
    index: line.first.index,
    ...(line.first.at === undefined ? {} : { at: isoSeconds(line.first.at) as string }),
    message: line.messages.join(" / "),
  };
  if (line.repeats > 1) {
    entry.repeats = line.repeats;
    entry.entries = line.repeats * line.width;
    entry.lastIndex = line.last.index;
    if (line.last.at !== undefined) entry.lastAt = isoSeconds(line.last.at);
  }
  return entry;
}

function endingLines(session: SessionInfo, from: number, timeZone: string): string[] {
  return (session.log ?? []).slice(Math.max(0, from)).map((entry) => {
    const at = parseEvoDate(entry.date);
    const time = at === undefined ? "--:--:--" : zonedText(at, timeZone).timeWithSeconds;
    return `  ${time} ${clip(entry.message ?? "", 200)}`;
  });
}

/**
 * "Why did it drop?" is answered by the log's last entries (who hung up, what failed, then "Call
 * ended"): when the page stops before them, they are shown anyway, so the ending is never a
 * second call away.
 */
function writeEnding(session: SessionInfo, lastShownIndex: number, out: LogContext): void {
  const length = session.log?.length ?? 0;
  const tailStart = Math.max(lastShownIndex + 1, length - ENDING_ENTRIES);
  if (tailStart >= length) return;
  const which = tailStart === length - 1 ? `#${tailStart}` : `#${tailStart}–#${length - 1}`;
  out.answer.line(
    out.ended
      ? `How it ended (last log entries, ${which}):`
      : `Latest log entries (${which}; the session is not over):`,
  );
  for (const line of endingLines(session, tailStart, out.timeZone)) out.answer.line(line);
}
