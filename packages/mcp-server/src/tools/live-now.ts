/**
 * `live_now`: what is happening right now. Account-wide live calls come from GetActiveCalls
 * (Manager, SystemAdministrator or CallCenterDashboard); a sign-in without those roles still
 * sees its own sessions in progress (GetActiveSessions, role User). The answer says which one it
 * read, and for which accounts the first was refused.
 */
import { z } from "zod";
import {
  formatDuration,
  formatWhen,
  isEvoVoiceError,
  parseEvoDate,
  type CallInfo,
  type SessionInfo,
} from "@evo-sessions/core";
import type { CallToolResult, McpServer } from "@modelcontextprotocol/server";
import type { EvoSessionsContext } from "../context.js";
import { nameAccounts } from "../context.js";
import { clip } from "../format/budget.js";
import { RefsSchema, RefTables, sessionLine, summarizeSession } from "../format/session-summary.js";
import { Answer, counted, jsonChars, type ToolExtra } from "./answer.js";
import { AccountRefSchema, SandboxFlagSchema, sandboxFlag } from "./common-schemas.js";
import { filterShape, sharedFilter } from "./filters.js";
import { registerEvoTool } from "./register.js";
import { resolveAccounts } from "./resolve-accounts.js";
import { runTool } from "./results.js";

/** Accounts asked for their live calls at once. */
const CONCURRENCY = 4;

export const liveNowInput = z.strictObject({
  accountIds: sharedFilter(filterShape.accountIds),
});
type Args = z.infer<typeof liveNowInput>;

const CallSchema = z.object({
  sid: z.string().optional(),
  accountId: z.string(),
  direction: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  callerName: z.string().optional(),
  status: z.string().optional(),
  startTime: z.string().optional(),
  durationS: z.number().optional(),
  answeredBy: z.string().optional(),
});

export const liveNowOutput = z.object({
  sandbox: SandboxFlagSchema,
  source: z
    .enum(["active-calls", "my-active-sessions"])
    .describe(
      "active-calls: every live call of the accounts (GetActiveCalls); my-active-sessions: only the signed-in user's (GetActiveSessions)",
    ),
  accounts: z.array(AccountRefSchema),
  refused: z.array(z.string()).describe("IDs of accounts it may not read"),
  calls: z.array(CallSchema).optional(),
  // list_sessions' session records (its outputSchema lists their keys), with their refs.
  sessions: z.array(z.record(z.string(), z.unknown())).optional().describe("As list_sessions"),
  refs: RefsSchema.optional().describe("As list_sessions"),
  leftOut: z.number(),
});
type Output = z.infer<typeof liveNowOutput>;

const DESCRIPTION =
  "Calls in progress now (for a role that may not see them: the user's own active sessions).";

/** Registers `live_now`. */
export function registerLiveNow(server: McpServer, ctx: EvoSessionsContext): void {
  registerEvoTool(
    server,
    ctx,
    "live_now",
    {
      title: "Live calls right now",
      description: DESCRIPTION,
      inputSchema: liveNowInput,
      outputSchema: liveNowOutput,
    },
    (args, extra) => runTool(ctx, () => liveNow(ctx, args, extra)),
  );
}

async function liveNow(
  ctx: EvoSessionsContext,
  args: Args,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const chosen = await resolveAccounts(ctx, args.accountIds, extra.signal);
  const read = await activeCalls(
    ctx,
    chosen.accounts.map((a) => a.id),
    extra.signal,
  );
  const answer = new Answer(ctx, [chosen.accountsLine, ...chosen.warnings]);
  const structured: Output = {
    ...sandboxFlag(ctx.backend.kind),
    source: "active-calls",
    accounts: chosen.accounts,
    refused: read.refused,
    leftOut: 0,
  };
  const readable = chosen.accounts.length - read.refused.length;
  if (readable > 0) {
    if (read.refused.length > 0)
      answer.line(
        `Refused for ${nameAccounts(chosen.accounts.filter((a) => read.refused.includes(a.id)))}: this sign-in may not read their live calls.`,
      );
    answer.line(`Live calls now (GetActiveCalls, account-wide): ${read.calls.length}.`);
    structured.calls = [];
    fitCalls(ctx, answer, read.calls, structured, chosen.accounts.length !== 1);
    return answer.result(structured);
  }
  // No account's live calls may be read: the user's own sessions are the next best answer.
  const sessions = await ctx.client.activeSessions({ signal: extra.signal });
  structured.source = "my-active-sessions";
  structured.sessions = [];
  answer.line(
    `This sign-in may not read account-wide live calls (GetActiveCalls needs Manager, SystemAdministrator or CallCenterDashboard); its own sessions in progress (GetActiveSessions): ${sessions.length}.`,
  );
  fitSessions(ctx, answer, sessions, structured);
  return answer.result(structured);
}

interface CallsRead {
  calls: (CallInfo & { accountId: string })[];
  refused: string[];
}

/** Every account's live calls, a few accounts at a time; a refusal is noted, other errors thrown. */
async function activeCalls(
  ctx: EvoSessionsContext,
  accountIds: readonly string[],
  signal: AbortSignal,
): Promise<CallsRead> {
  const out: CallsRead = { calls: [], refused: [] };
  let next = 0;
  const worker = async () => {
    while (next < accountIds.length) {
      const accountId = accountIds[next++] as string;
      try {
        const calls = await ctx.client.activeCalls(accountId, { signal });
        for (const call of calls) out.calls.push({ ...call, accountId });
      } catch (error) {
        if (!isEvoVoiceError(error, "permission_denied")) throw error;
        out.refused.push(accountId);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accountIds.length) }, worker));
  out.calls.sort((a, b) => (startOf(a) ?? 0) - (startOf(b) ?? 0));
  return out;
}

function startOf(call: CallInfo): number | undefined {
  return parseEvoDate(call.startTime ?? call.dateCreated ?? undefined)?.getTime();
}

function callJson(call: CallInfo & { accountId: string }, now: Date): z.infer<typeof CallSchema> {
  const start = startOf(call);
  const durationS =
    typeof call.duration === "number" && call.duration > 0
      ? call.duration
      : start === undefined
        ? undefined
        : Math.max(0, Math.round((now.getTime() - start) / 1000));
  const out: Record<string, unknown> = {
    sid: call.sid,
    accountId: call.accountId,
    direction: call.direction,
    from: call.fromFormatted ?? call.from,
    to: call.toFormatted ?? call.to,
    callerName: call.callerName,
    status: call.status,
    startTime: start === undefined ? undefined : new Date(start).toISOString(),
    durationS,
    answeredBy: call.answeredBy,
  };
  for (const [key, value] of Object.entries(out))
    if (value === undefined || value === null || value === "") delete out[key];
  return out as z.infer<typeof CallSchema>;
}

function fitCalls(
  ctx: EvoSessionsContext,
  answer: Answer,
  calls: CallsRead["calls"],
  structured: Output,
  showAccount: boolean,
): void {
  const names = new Map(structured.accounts.map((a) => [a.id, a.name]));
  const shown = answer.fit(calls, (call) => {
    const json = callJson(call, ctx.now());
    const parts = [
      formatWhen(json.startTime, ctx.config.timeZone) ?? "--:--",
      json.durationS === undefined ? undefined : formatDuration(json.durationS * 1000),
      json.direction,
      `${clip(`${json.callerName ? `${json.callerName} ` : ""}${json.from ?? "?"}`, 48)} → ${clip(json.to ?? "?", 40)}`,
      json.status,
      json.answeredBy === undefined ? undefined : `answered by ${json.answeredBy}`,
      showAccount ? names.get(call.accountId) || call.accountId : undefined,
    ];
    return {
      text: `  ${parts.filter((p) => p !== undefined).join(" · ")}`,
      extraChars: jsonChars(json) + 1,
      onAdded: () => structured.calls?.push(json),
    };
  });
  structured.leftOut = calls.length - shown;
  if (shown < calls.length)
    answer.leftOut(counted(calls.length - shown, "more call"), "pass fewer accountIds");
}

function fitSessions(
  ctx: EvoSessionsContext,
  answer: Answer,
  sessions: SessionInfo[],
  structured: Output,
): void {
  const timeZone = ctx.config.timeZone;
  const tables = new RefTables();
  structured.refs = tables.refs;
  const shown = answer.fit(sessions, (session) => {
    const piece = summarizeSession(session, "summary", tables);
    return {
      text: sessionLine(session, { timeZone, showAccount: true, detail: "summary" }),
      extraChars: piece.chars,
      onAdded: () => {
        piece.commit();
        ctx.directory.noteSession(session);
        structured.sessions?.push(piece.summary);
      },
    };
  });
  structured.leftOut = sessions.length - shown;
  if (shown < sessions.length)
    answer.leftOut(
      counted(sessions.length - shown, "more session"),
      "they are still live; ask again",
    );
}
