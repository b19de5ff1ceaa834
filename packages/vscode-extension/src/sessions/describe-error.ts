import { isEvoVoiceError } from "@evo-sessions/core";

/** What went wrong in a few words, for a tree label, e.g. `the server failed (HTTP 503)`. */
export function shortReason(error: unknown): string {
  if (!isEvoVoiceError(error)) return "an unexpected error";
  const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
  switch (error.code) {
    case "server_error":
      return `the server failed${status}`;
    case "timeout":
      return "the server did not answer in time";
    case "connection_failed":
      return "the server cannot be reached";
    case "rate_limited":
      return "too many requests";
    case "sign_in_failed":
    case "not_signed_in":
      return "sign-in was refused";
    case "permission_denied":
      return `permission denied${status}`;
    case "not_found":
      return "not found";
    case "invalid_request":
    case "invalid_query":
      return `the server rejected the filters${status}`;
    case "undecodable_response":
      return "the server's answer was unreadable";
    case "paging_stalled":
      return "paging stopped making progress";
    case "aborted":
      return "cancelled";
    default:
      return "an unexpected error";
  }
}

/** The full message (the client's messages say what to do next and never hold secrets). */
export function fullMessage(error: unknown): string {
  if (error instanceof Error && error.message !== "") return error.message;
  return String(error);
}

/** True when signing in again is the fix (wrong or changed password, ended session). */
export function needsSignIn(error: unknown): boolean {
  return isEvoVoiceError(error, "sign_in_failed") || isEvoVoiceError(error, "not_signed_in");
}
