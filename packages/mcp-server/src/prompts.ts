import { z } from "zod";
import {
  completable,
  ProtocolError,
  ProtocolErrorCode,
  type McpServer,
} from "@modelcontextprotocol/server";
import { isCalendarDate, resolveRelativeRange } from "@evo-sessions/core";
import type { EvoSessionsContext } from "./context.js";
import { completeNames } from "./tools/names.js";
import { RANGE_NAMES, toolRangeName } from "./tools/ranges.js";
import { EVO_ICONS } from "./tools/register.js";

/**
 * The days the triage prompt understands, as list_sessions filters: one of core's range presets
 * (`today`, `yesterday`, `last 7 days`, `last_week`, … in any spelling core reads) or one local
 * day `YYYY-MM-DD`. Anything else is refused rather than quietly replaced by another day.
 */
export function triageDayFilters(day: string): Record<string, unknown> {
  const text = day.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isCalendarDate(text)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Invalid argument "day": ${text} is not a real calendar day. Use YYYY-MM-DD, e.g. 2026-03-01.`,
      );
    }
    return { startDate: text, endDate: text };
  }
  const name = toolRangeName(text);
  if (name !== undefined) return { range: name };
  throw new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Invalid argument "day": ${JSON.stringify(day)} is not a day this prompt understands. Use today, yesterday, a date YYYY-MM-DD, or one of ${RANGE_NAMES.join(", ")}.`,
  );
}

/** The first local day (YYYY-MM-DD) of the triage filters, in `timeZone` at `now`. */
function firstLocalDay(filters: Record<string, unknown>, now: Date, timeZone: string): string {
  if (typeof filters.startDate === "string") return filters.startDate;
  return resolveRelativeRange(String(filters.range), { now, timeZone }).localStartDate;
}

/** Registers the prompts: triage a day's missed calls; explain one session's timeline. */
export function registerPrompts(server: McpServer, ctx: EvoSessionsContext): void {
  registerTriage(server, ctx);
  registerExplain(server, ctx);
}

/** Completion of an ID argument from the IDs the server has seen. */
function seen(ctx: EvoSessionsContext, kind: "account" | "customer" | "endpoint" | "session") {
  return (value: string | undefined) => ctx.directory.complete(kind, value ?? "");
}

interface TriageArgs {
  day?: string | undefined;
  accountId?: string | undefined;
  endpoint?: string | undefined;
  customer?: string | undefined;
}

function registerTriage(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerPrompt(
    "triage_missed_calls",
    {
      title: "Triage missed calls",
      description:
        "Find the missed calls of one day, who needs a call back first, and which lines miss the most.",
      icons: EVO_ICONS,
      argsSchema: z.object({
        // completable() around the required schema, .optional() outside: the SDK finds the
        // completion by unwrapping the optional.
        day: completable(
          z
            .string()
            .describe(
              `"today", "yesterday" (default), a local date YYYY-MM-DD, or a range: ${RANGE_NAMES.join(", ")}`,
            ),
          (value) => {
            const typed = (value ?? "").toLowerCase();
            return RANGE_NAMES.filter((word) => word.startsWith(typed));
          },
        ).optional(),
        accountId: completable(
          z.string().describe("Account to triage (default: the configured default)"),
          seen(ctx, "account"),
        ).optional(),
        // Names from Evo Voice's customer and endpoint lists (core's Directory), IDs work too.
        endpoint: completable(
          z.string().describe("Only this endpoint (line, user or queue): name, number or ID"),
          (value) => completeNames(ctx, "endpoint", value ?? ""),
        ).optional(),
        customer: completable(z.string().describe("Only this customer: name or ID"), (value) =>
          completeNames(ctx, "customer", value ?? ""),
        ).optional(),
      }),
    },
    (args) => triagePrompt(ctx, args),
  );
}

function triagePrompt(ctx: EvoSessionsContext, args: TriageArgs) {
  const day = (args.day ?? "yesterday").trim() || "yesterday";
  const filters = triageDayFilters(day);
  if (args.accountId) filters.accountIds = [args.accountId];
  // The callback queue covers every line of the account: a call back may come from any of them.
  const queue = JSON.stringify(filters);
  if (args.endpoint) filters.endpoints = [args.endpoint];
  if (args.customer) filters.customers = [args.customer];
  const json = (extra: Record<string, unknown>) => JSON.stringify({ ...filters, ...extra });
  // A call back can come later than the missed call's day (a call missed yesterday is often
  // returned today), and from any line of the account: from the day's start until now.
  const callBack = JSON.stringify({
    startDate: firstLocalDay(filters, ctx.now(), ctx.config.timeZone),
    ...(args.accountId ? { accountIds: [args.accountId] } : {}),
    direction: "Outgoing",
    to: "<the caller's number>",
  });
  const text = [
    `Triage the missed calls of ${day} in Evo Voice (times in ${ctx.config.timeZone}).`,
    `1. Call missed_callbacks with ${queue}: the callers nobody has called back yet, most attempts first, with the number to call and why each try was missed.`,
    `2. Call session_stats with ${json({ by: "endpoint" })} to see which lines miss the most (answer and abandon rates), and with ${json({ missed: true, by: "hour" })} to see when.`,
    `3. To check a call back by hand: list_sessions with ${callBack} (from that day until now, every line of the account).`,
    `4. For a caller you need more on: list_sessions with ${json({ missed: true, from: "<the caller's number>" })}, then get_session.`,
    "5. Answer with: a short summary (how many missed, how many still open, which lines, peak hours); the call-back list in the order missed_callbacks gives (number, name, tries, reasons, waiting since); and anything unusual.",
    "Name the account(s) the answer covers. Do not invent sessions: use only what the tools returned.",
  ].join("\n");
  return {
    description: `Triage of the missed calls of ${day}`,
    messages: [{ role: "user" as const, content: { type: "text" as const, text } }],
  };
}

function registerExplain(server: McpServer, ctx: EvoSessionsContext): void {
  server.registerPrompt(
    "explain_session",
    {
      title: "Explain a session's timeline",
      description:
        "Walk through one session step by step: routing, who rang, who answered, transfers and how it ended.",
      icons: EVO_ICONS,
      argsSchema: z.object({
        sessionId: completable(
          z.string().describe("The session ID (from list_sessions)"),
          seen(ctx, "session"),
        ),
      }),
    },
    (args) => {
      const id = JSON.stringify(args.sessionId);
      const text = [
        `Explain what happened in Evo Voice session ${args.sessionId} (times in ${ctx.config.timeZone}).`,
        `1. Call get_session with {"id":${id}}. If the log has more entries (hasMore), continue with logOffset until you have read it all, or use logContains to find specific steps (e.g. "transfer", "voicemail", "hangup").`,
        `2. If it was transferred, list its child sessions: list_sessions with {"parentSessionId":${id}}.`,
        "3. Answer with a timeline (time, step, who) from first ring to hang-up: how the call was routed (flows, queues, ring groups), who rang and who answered, holds and transfers, and how and why it ended (answered, missed, voicemail, abandoned). Point out anything unusual, such as long rings, repeated routing or a drop right after answer.",
        "Quote the log where it matters; do not guess beyond what the log shows.",
      ].join("\n");
      return {
        description: `Timeline of session ${args.sessionId}`,
        messages: [{ role: "user" as const, content: { type: "text" as const, text } }],
      };
    },
  );
}
