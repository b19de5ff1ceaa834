import type { ChatTranscriptMessage } from "../wire/directory-dto.js";
import { materializeLog, type StoredSession } from "./model.js";

// A chat's transcript is read back from its log rather than generated on its own: the
// generator writes each message into the log (`Message from <who>: "<text>"`, and an incoming
// conversation's `Auto-reply sent: "<text>"`), so transcript and log cannot disagree and the
// generated data stays as it was.
const MESSAGE = /^Message from (.+?): "(.*)"$/;
const AUTO_REPLY = /^Auto-reply sent: "(.*)"$/;

/**
 * The messages of a chat session, oldest first. `date` is ISO 8601 whatever the sandbox's date
 * format: the page types it as a plain string, which ServiceStack does not re-format.
 */
export function transcriptOf(session: StoredSession): ChatTranscriptMessage[] {
  const info = session.info;
  // The business's number: what an incoming chat was sent to, what an outgoing one came from.
  const business = info.direction === "Incoming" ? info.toAddress : info.fromAddress;
  return materializeLog(session).flatMap((entry) => {
    const message = MESSAGE.exec(entry.message);
    if (message !== null) return [{ date: entry.date, from: message[1], body: message[2] }];
    const reply = AUTO_REPLY.exec(entry.message);
    if (reply !== null)
      return [
        { date: entry.date, ...(business === undefined ? {} : { from: business }), body: reply[1] },
      ];
    return [];
  });
}
