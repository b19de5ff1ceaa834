/**
 * A chat's transcript in get_session (GetChatTranscript): what the customer and the agent wrote,
 * one line a message, fitted to the answer's budget before the log (for a chat, the words matter
 * more than the flow's steps). A transcript that cannot be read is said, not an error: the rest
 * of the session still answers.
 */
import { z } from "zod";
import {
  channelOf,
  formatWhen,
  isEvoVoiceError,
  type ChatTranscriptMessage,
  type SessionInfo,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { clip } from "../format/budget.js";
import { counted, jsonChars, type Answer } from "./answer.js";

/** Longest message text shown (the JSON carries the same cut). */
const MAX_MESSAGE_CHARS = 500;

export const TranscriptSchema = z.object({
  total: z.number(),
  leftOut: z.number(),
  unavailable: z.string().optional(),
  // { at, from, text, media }: listed loosely for the size of tools/list.
  messages: z.array(z.record(z.string(), z.unknown())),
});

/** A transcript in an answer's JSON. */
export type TranscriptJson = {
  total: number;
  leftOut: number;
  unavailable?: string;
  messages: { at?: string; from?: string; text: string; media?: string }[];
};

/** What was read: the messages, or why there are none. */
export type TranscriptRead = { messages: ChatTranscriptMessage[] } | { unavailable: string };

/** Reads a chat session's transcript; undefined for other channels. */
export async function readTranscript(
  ctx: EvoSessionsContext,
  session: SessionInfo,
  signal: AbortSignal,
): Promise<TranscriptRead | undefined> {
  if (channelOf(session) !== "Chat" || !session.id) return undefined;
  try {
    return { messages: await ctx.client.chatTranscript(session.id, { signal }) };
  } catch (error) {
    if (isEvoVoiceError(error, "permission_denied"))
      return {
        unavailable:
          "this sign-in may not read transcripts (GetChatTranscript needs the User role)",
      };
    if (isEvoVoiceError(error, "not_found"))
      return { unavailable: "Evo Voice has no transcript for it" };
    throw error;
  }
}

/** Writes the transcript lines that fit and returns its JSON. */
export function writeTranscript(
  answer: Answer,
  read: TranscriptRead,
  timeZone: string,
): TranscriptJson {
  if ("unavailable" in read) {
    answer.line(`Transcript: not available — ${read.unavailable}.`);
    return { total: 0, leftOut: 0, unavailable: read.unavailable, messages: [] };
  }
  const out: TranscriptJson = { total: read.messages.length, leftOut: 0, messages: [] };
  answer.line(`Transcript (${counted(read.messages.length, "message")}):`);
  const shown = answer.fit(read.messages, (message) => {
    const json = messageJson(message);
    const when = formatWhen(json.at, timeZone) ?? "?";
    const media = json.media === undefined ? "" : ` [media ${json.media}]`;
    return {
      text: `  ${when} ${clip(json.from ?? "?", 40)}: ${json.text}${media}`,
      extraChars: jsonChars(json) + 1,
      onAdded: () => out.messages.push(json),
    };
  });
  out.leftOut = read.messages.length - shown;
  if (out.leftOut > 0)
    answer.leftOut(
      counted(out.leftOut, "more message"),
      "raise EVO_SESSIONS_TOKEN_BUDGET to read them",
    );
  return out;
}

function messageJson(message: ChatTranscriptMessage): TranscriptJson["messages"][number] {
  const out: TranscriptJson["messages"][number] = {
    text: clip(message.body ?? "", MAX_MESSAGE_CHARS),
  };
  if (message.date) out.at = message.date;
  if (message.from) out.from = message.from;
  if (message.mediaUri) out.media = message.mediaContentType ?? message.mediaUri;
  return out;
}
