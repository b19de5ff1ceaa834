import type { CallToolResult } from "@modelcontextprotocol/server";
import { isEvoVoiceError, QueryValidationError, type EvoVoiceError } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { CursorError } from "../cursor.js";
import { currentCall } from "../log.js";
import { SignInPausedError } from "../sign-in-gate.js";

/** Printed first in every answer served from the in-process sandbox. */
export const SANDBOX_NOTICE =
  "⚠ SANDBOX: generated demo data, not a real account (set EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD for Evo Voice).";

/** The sandbox notice line, or nothing for a real backend. */
export function backendNotice(ctx: EvoSessionsContext): string[] {
  return ctx.backend.kind === "sandbox" ? [SANDBOX_NOTICE] : [];
}

/** A tool argument was rejected by the tool itself (not by the input schema). */
export class ToolArgumentError extends Error {
  override readonly name = "ToolArgumentError";
  constructor(
    /** The tool argument at fault. */
    readonly argument: string,
    /** Why, and what to pass instead. */
    readonly reason: string,
  ) {
    super(`Invalid argument "${argument}": ${reason}`);
  }
}

/** One name that fits several customers or endpoints: what the user may be asked to pick from. */
export interface NameChoice {
  argument: "customers" | "endpoints";
  /** Where the name is in that argument's list. */
  index: number;
  name: string;
  candidates: { id: string; label: string }[];
}

/** An ambiguous customer or endpoint name: an argument error that can be settled by asking. */
export class NameChoiceNeeded extends ToolArgumentError {
  constructor(
    argument: NameChoice["argument"],
    reason: string,
    readonly choice: NameChoice,
  ) {
    super(argument, reason);
  }
}

/** The isError results of an ambiguous name, with the choice (see name-choice.ts). */
const choicesOfResults = new WeakMap<CallToolResult, NameChoice>();

/** The choice behind an isError result of an ambiguous name, if it is one. */
export function nameChoiceOf(result: object): NameChoice | undefined {
  return choicesOfResults.get(result as CallToolResult);
}

/** A failed tool call, as text that says what to do. */
export function errorResult(ctx: EvoSessionsContext, message: string): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: [...backendNotice(ctx), message].join("\n") }],
  };
}

/** What a tool knows about the call that failed, to word the failure. */
export interface FailureHints {
  /** Maps a ListSessions parameter (as core names it) to the tool's argument. */
  argumentOf?: (param: string) => string;
  /** The session ID asked for (get_session, the session resource). */
  sessionId?: string;
}

/**
 * Runs a tool's work: refuses at once while sign-in is paused after a failure (see
 * {@link SignInPausedError}), and turns anything thrown into an `isError` result.
 */
export async function runTool(
  ctx: EvoSessionsContext,
  work: () => Promise<CallToolResult>,
  hints: FailureHints = {},
): Promise<CallToolResult> {
  try {
    ctx.signInGate.check();
    return await work();
  } catch (error) {
    return failureResult(ctx, error, hints);
  }
}

/**
 * Turns anything a tool call threw into an `isError` result that tells the model what to do
 * next.
 */
export function failureResult(
  ctx: EvoSessionsContext,
  error: unknown,
  hints: FailureHints = {},
): CallToolResult {
  const result = errorResult(ctx, describeFailure(ctx, error, hints));
  if (error instanceof NameChoiceNeeded) choicesOfResults.set(result, error.choice);
  return result;
}

/**
 * The message of {@link failureResult}. Messages are written here for the model, from the error's
 * code and facts (status, retry delay, field errors): core's own wording carries advice for
 * programmers (method names) that means nothing to an assistant, so it is not appended.
 */
export function describeFailure(
  ctx: EvoSessionsContext,
  error: unknown,
  hints: FailureHints = {},
): string {
  const argumentOf = hints.argumentOf ?? ((param: string) => param);
  const call = currentCall();
  if (call !== undefined) call.errorCode = errorCodeOf(error);
  if (error instanceof ToolArgumentError) return error.message;
  if (error instanceof CursorError) return `Invalid argument "cursor": ${error.message}`;
  if (error instanceof SignInPausedError) return error.message;
  if (error instanceof QueryValidationError) {
    return `Invalid argument "${argumentOf(error.field)}": ${error.reason}. Fix this argument and call again.`;
  }
  if (isEvoVoiceError(error)) return describeEvoVoiceError(ctx, error, hints, argumentOf);
  // The stack is for the log alone; the answer gets only the message, and stays short.
  ctx.log.error(
    `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return `The server failed unexpectedly (${error instanceof Error ? error.message : String(error)}). This is a bug in evo-sessions-mcp; the details are in its log.`;
}

/** The message of an error of core's client (Evo Voice or the sandbox answered, or did not). */
function describeEvoVoiceError(
  ctx: EvoSessionsContext,
  error: EvoVoiceError,
  hints: FailureHints,
  argumentOf: (param: string) => string,
): string {
  const where =
    ctx.backend.kind === "sandbox" ? "the sandbox" : `Evo Voice at ${ctx.backend.baseUrl}`;
  const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
  const user = ctx.config.userName === undefined ? "" : ` as "${ctx.config.userName}"`;
  switch (error.code) {
    case "sign_in_failed":
      ctx.signInGate.record();
      return `Could not sign in to ${where}${user}${status}: the user name or password was not accepted. Set EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in the MCP server's environment (the "env" block of your MCP client's configuration) and restart the server. ${ctx.signInGate.pauseWords()}`;
    case "not_signed_in":
      return `${where} did not accept the sign-in${user}${status}: the session expired and signing in again did not help, or no credentials are configured. Check EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in the MCP server's environment and restart the server.`;
    case "permission_denied":
      // get_session and the session resource take no accountIds: the advice must fit the call.
      return hints.sessionId !== undefined
        ? `${where} refused access${status} to session ${JSON.stringify(hints.sessionId)}: the signed-in user may not read it (it may belong to an account this sign-in cannot reach, or the user lacks a role). Call list_accounts to see which accounts this sign-in reaches, and pick a session from those.`
        : `${where} refused access${status}: the signed-in user may not read these sessions. Call list_accounts to see which accountIds this sign-in reaches, then pass one of them as accountIds.`;
    case "not_found":
      return hints.sessionId !== undefined
        ? `No session with id ${JSON.stringify(hints.sessionId)} in the accounts this sign-in reaches (live or archived). Check the id — copy it from a list_sessions line — or call list_accounts to see which accounts this sign-in reaches.`
        : `${where} answered "not found"${status}. Check the IDs passed (copy them from an earlier answer) and call list_accounts to see which accounts this sign-in reaches.`;
    case "rate_limited": {
      const ms = (error as { retryAfterMs?: number }).retryAfterMs;
      const seconds = ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
      const wait =
        seconds === undefined ? "a minute" : `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
      return `${where} is rate limiting requests. Wait ${wait} before calling again, and narrow the filters (dates, accountIds) so fewer pages are needed.`;
    }
    case "invalid_request": {
      const fields = (error as { fieldErrors?: { fieldName: string; message: string }[] })
        .fieldErrors;
      if (fields !== undefined && fields.length > 0) {
        const list = fields.map((f) => `"${argumentOf(f.fieldName)}" (${f.message})`).join(", ");
        return `${where} rejected the arguments ${list}. Fix them and call again.`;
      }
      return `${where} rejected the request${status}: ${error.message}`;
    }
    // core's summary, not its message: the message ends in advice for programmers ("raise
    // timeoutMs", "try again") that would repeat or contradict the advice given here.
    case "timeout":
      return (error as { deadlineMs?: number }).deadlineMs !== undefined
        ? `${where} did not answer in time: ${error.summary} Evo Voice may be slow or down: try again in a minute, and ask for less (a shorter date range, fewer accounts, a smaller limit). The deadline is EVO_SESSIONS_DEADLINE_MS.`
        : `${where} did not answer in time: ${error.summary} This is usually temporary: try again in a little while, and ask for less (a shorter date range, fewer accounts).`;
    case "connection_failed":
    case "server_error":
      return `${where} did not answer properly: ${error.summary} This is usually temporary: try again in a little while. If it keeps happening, check EVO_VOICE_BASE_URL.`;
    case "redirect_refused":
      return `${where} redirected the request: ${error.summary} Check EVO_VOICE_BASE_URL: it must be the origin the Evo Voice API answers at directly (e.g. https://evovoice.io), then restart the server.`;
    case "undecodable_response": {
      const kind = (error as { kind?: string }).kind;
      return kind === "cut_off" || kind === "malformed_json"
        ? `${where} sent an incomplete or broken answer: ${error.summary} This is usually temporary: try again in a little while.`
        : `${where} sent something that is not the Evo Voice API: ${error.summary} Check that EVO_VOICE_BASE_URL points at an Evo Voice server (e.g. https://evovoice.io).`;
    }
    case "aborted":
      return "The call was cancelled before it finished.";
    case "paging_stalled":
      return `Paging stopped making progress: ${error.message} Narrow the filters (dates, accountIds) and try again.`;
    default:
      return error.message;
  }
}

/** A short code for the log line of a failed call. */
function errorCodeOf(error: unknown): string {
  if (isEvoVoiceError(error)) return error.code;
  if (error instanceof ToolArgumentError || error instanceof CursorError) return "invalid_argument";
  if (error instanceof SignInPausedError) return "sign_in_paused";
  return "unexpected";
}
