import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isEvoVoiceError, QueryValidationError } from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { CursorError } from "../cursor.js";

/** Printed first in every answer served from the in-process sandbox. */
export const SANDBOX_NOTICE =
  "⚠ SANDBOX — generated demo data from the in-process Evo Voice sandbox, not a real account. Set EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in the server's environment to use Evo Voice.";

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

/** A failed tool call, as text that says what to do. */
export function errorResult(ctx: EvoSessionsContext, message: string): CallToolResult {
  return {
    isError: true,
    content: [{ type: "text", text: [...backendNotice(ctx), message].join("\n") }],
  };
}

/**
 * Turns anything a tool call threw into an `isError` result that tells the model what to do
 * next. `argumentOf` maps a ListSessions parameter (as core names it) to the tool's argument.
 */
export function failureResult(
  ctx: EvoSessionsContext,
  error: unknown,
  argumentOf: (param: string) => string = (param) => param,
): CallToolResult {
  return errorResult(ctx, describeFailure(ctx, error, argumentOf));
}

/** The message of {@link failureResult}. */
export function describeFailure(
  ctx: EvoSessionsContext,
  error: unknown,
  argumentOf: (param: string) => string = (param) => param,
): string {
  if (error instanceof ToolArgumentError) return error.message;
  if (error instanceof CursorError) return `Invalid argument "cursor": ${error.message}`;
  if (error instanceof QueryValidationError) {
    return `Invalid argument "${argumentOf(error.field)}": ${error.reason}. Fix this argument and call again.`;
  }
  if (isEvoVoiceError(error)) {
    const where =
      ctx.backend.kind === "sandbox" ? "the sandbox" : `Evo Voice at ${ctx.backend.baseUrl}`;
    switch (error.code) {
      case "not_signed_in":
      case "sign_in_failed":
        return `Could not sign in to ${where}: ${error.message} Set EVO_VOICE_USERNAME and EVO_VOICE_PASSWORD in the MCP server's environment (the "env" block of your MCP client's configuration) and restart the server. Retrying this call will not help until then.`;
      case "permission_denied":
        return `${where} refused access: ${error.message} The signed-in user may not read these sessions. Call list_accounts to see which accountIds this sign-in reaches, then pass one of them as accountIds.`;
      case "not_found":
        return `Not found: ${error.message} Check the id (copy it from a list_sessions answer) and that it belongs to an account this sign-in reaches; sessions older than about 15 days may need searchArchive=true in list_sessions.`;
      case "rate_limited": {
        const ms = (error as { retryAfterMs?: number }).retryAfterMs;
        const wait = ms === undefined ? "a minute" : `${Math.max(1, Math.ceil(ms / 1000))} seconds`;
        return `${where} is rate limiting requests. Wait ${wait} before calling again, and narrow the filters (dates, accountIds) so fewer pages are needed.`;
      }
      case "invalid_request": {
        const fields = (error as { fieldErrors?: { fieldName: string; message: string }[] })
          .fieldErrors;
        if (fields !== undefined && fields.length > 0) {
          const list = fields.map((f) => `"${argumentOf(f.fieldName)}" (${f.message})`).join(", ");
          return `${where} rejected the arguments ${list}. Fix them and call again.`;
        }
        return `${where} rejected the request: ${error.message}`;
      }
      case "timeout":
      case "connection_failed":
      case "server_error":
        return `${where} did not answer properly: ${error.message} This is usually temporary: try again in a little while. If it keeps happening, check EVO_VOICE_BASE_URL.`;
      case "undecodable_response":
        return `${where} sent something that is not the Evo Voice API: ${error.message} Check that EVO_VOICE_BASE_URL points at an Evo Voice server (e.g. https://evovoice.io).`;
      case "aborted":
        return "The call was cancelled before it finished.";
      case "paging_stalled":
        return `Paging stopped making progress: ${error.message} Narrow the filters (dates, accountIds) and try again.`;
      default:
        return error.message;
    }
  }
  ctx.log.error(
    `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return `The server failed unexpectedly (${error instanceof Error ? error.message : String(error)}). This is a bug in evo-sessions-mcp; the details are in its log.`;
}
