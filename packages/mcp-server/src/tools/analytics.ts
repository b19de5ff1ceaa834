/**
 * What session_stats and missed_callbacks share: one run of core's analyzeSessions for a tool
 * call's resolved filters (a rollup across the accounts searched, a few at a time, a failed
 * account reported rather than failing the answer, with progress), the KPIs in compact words and
 * JSON, and the lines every analytics answer ends with: its definitions and whether it read
 * everything. The numbers are core's; this file only words them.
 */
import { z } from "zod";
import {
  analyzeSessions,
  formatDuration,
  type AnalyticsOptions,
  type AnalyticsReport,
  type Kpis,
  type PeriodReport,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import type { ToolExtra } from "./answer.js";
import type { ResolvedFilters } from "./filters.js";

/** Accounts scanned at once in a rollup (core's bound; the deadline covers the whole call). */
export const ROLLUP_CONCURRENCY = 4;

/** Runs core's analysis of the resolved filters: one scan per account when several are searched. */
export async function runAnalysis(
  ctx: EvoSessionsContext,
  resolved: ResolvedFilters,
  options: Pick<AnalyticsOptions, "groupBy" | "compare" | "callbacks" | "cap" | "source">,
  extra: ToolExtra,
): Promise<AnalyticsReport> {
  const rollup = resolved.accounts.length > 1;
  return analyzeSessions(ctx.client, resolved.query, {
    ...options,
    ...(rollup ? { accounts: resolved.accounts, concurrency: ROLLUP_CONCURRENCY } : {}),
    timeZone: ctx.config.timeZone,
    now: ctx.now(),
    signal: extra.signal,
    ...progressOf(extra),
  });
}

/** Progress notifications of an analysis, when the client asked for them (only ever growing). */
function progressOf(extra: ToolExtra): Pick<AnalyticsOptions, "onProgress"> {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return {};
  let last = 0;
  return {
    onProgress: async ({ read, scansDone, scans }) => {
      if (read <= last) return;
      last = read;
      const accounts = scans > 1 ? ` (${scansDone} of ${scans} accounts done)` : "";
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress: read, message: `read ${read} sessions${accounts}` },
      });
    },
  };
}

/** A share as a rounded fraction for the JSON (4 places: 0.1234 is 12.34%). */
function share(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value * 10_000) / 10_000;
}

/** Milliseconds as whole seconds for the JSON. */
function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms / 1000);
}

/** The KPIs of the JSON: shares 0..1, times in seconds, zero counts left out of missedBy. */
export const KpisSchema = z.object({
  offered: z.number(),
  answered: z.number(),
  missed: z.number(),
  missedBy: z.record(z.string(), z.number()),
  answerRate: z.number().optional(),
  abandonRate: z.number().optional(),
  abandonRateExShort: z.number().optional(),
  serviceLevel: z.number().optional(),
  asaS: z.number().optional(),
  p50S: z.number().optional(),
  p90S: z.number().optional(),
  talkS: z.number(),
  sessions: z.number(),
  outbound: z.number().optional(),
  outboundConnected: z.number().optional(),
  chats: z.number().optional(),
  faxes: z.number().optional(),
  live: z.number().optional(),
});
export type KpisJson = z.infer<typeof KpisSchema>;

/** Core's KPIs as {@link KpisSchema} (undefined and zero extras left out, to stay compact). */
export function kpisJson(k: Kpis): KpisJson {
  const out: Record<string, unknown> = {
    offered: k.offered,
    answered: k.answered,
    missed: k.missed,
    missedBy: Object.fromEntries(Object.entries(k.missedBy).filter(([, n]) => n > 0)),
    answerRate: share(k.answerRate),
    abandonRate: share(k.abandonRate),
    abandonRateExShort: share(k.abandonRateExShort),
    serviceLevel: share(k.serviceLevel),
    asaS: seconds(k.asaMs),
    p50S: seconds(k.timeToAnswerP50Ms),
    p90S: seconds(k.timeToAnswerP90Ms),
    talkS: seconds(k.talkTimeMs) ?? 0,
    sessions: k.sessions,
    outbound: k.outbound,
    outboundConnected: k.outboundBy.connected,
    chats: k.chats,
    faxes: k.faxes,
    live: k.live,
  };
  // Rates of 0 are answers; only the side counts are left out when 0, to stay compact.
  const sideCounts = ["outbound", "outboundConnected", "chats", "faxes", "live"];
  for (const [key, value] of Object.entries(out))
    if (value === undefined || (value === 0 && sideCounts.includes(key))) delete out[key];
  return out as KpisJson;
}

/** `80.0%`, or `–` when nothing was offered. */
export function pct(value: number | undefined): string {
  return value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

function duration(ms: number | undefined): string {
  return ms === undefined ? "–" : formatDuration(Math.round(ms / 1000) * 1000);
}

/** The reasons of missed calls in words, most first: `6 voicemail, 4 no-answer`. */
export function missedWords(missedBy: Readonly<Record<string, number>>): string {
  return Object.entries(missedBy)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${n} ${reason}`)
    .join(", ");
}

/** The totals in two lines: inbound KPIs, then times and the other kinds of session. */
export function kpiLines(k: Kpis, serviceLevelMs: number): string[] {
  const missed = k.missed > 0 ? ` (${missedWords(k.missedBy)})` : "";
  const first = `Inbound calls offered ${k.offered} · answered ${k.answered} (${pct(k.answerRate)}) · missed ${k.missed}${missed} · abandon rate ${pct(k.abandonRate)} (${pct(k.abandonRateExShort)} without short abandons) · service level ${pct(k.serviceLevel)} (answered ≤${serviceLevelMs / 1000}s)`;
  const others = [
    k.outbound > 0 ? `outbound ${k.outbound} (${k.outboundBy.connected} connected)` : undefined,
    k.chats > 0 ? `chats ${k.chats}` : undefined,
    k.faxes > 0 ? `faxes ${k.faxes}` : undefined,
    // "when read": now for Evo Voice, the sync's time for sessions read from a local store.
    k.live > 0 ? `live when read ${k.live}` : undefined,
  ].filter((part) => part !== undefined);
  const second = `Time to answer: ASA ${duration(k.asaMs)}, p50 ${duration(k.timeToAnswerP50Ms)}, p90 ${duration(k.timeToAnswerP90Ms)} · talk ${duration(k.talkTimeMs)}${others.length > 0 ? ` · ${others.join(" · ")}` : ""}`;
  return [first, second];
}

/** `(6–8 Mar 2026, UTC)`-style words of a period's window. */
export function windowWords(period: PeriodReport, timeZone: string): string {
  return period.window?.label ?? `all dates (${timeZone})`;
}

/** What the numbers mean, in one line (every analytics answer states it). */
export function definitionsLine(report: AnalyticsReport): string {
  const t = report.thresholds;
  return `Definitions: offered = inbound calls that ended (answered + missed); answer rate = answered/offered; abandon rate = caller hung up (in queue, in flow, or within ${t.shortAbandonMs / 1000}s = short) / offered; service level = answered within ${t.serviceLevelMs / 1000}s / offered; a missed call is called back when, within ${t.callbackWindowMs / 3_600_000}h, the number was reached by an outgoing call or called in and was answered. Window ${windowWords(report, report.timeZone)}, zone ${report.timeZone}.`;
}

/**
 * The definitions and completeness records of the JSON, listed loosely: their fields are written
 * out in every answer's text, and each typed field would cost every tools/list.
 */
export const DefinitionsSchema = z.record(z.string(), z.unknown());
export const CompletenessSchema = z.record(z.string(), z.unknown());

/** The definitions of an answer. */
export type DefinitionsJson = {
  window: string;
  timeZone: string;
  shortAbandonS: number;
  serviceLevelS: number;
  callbackWindowH: number;
};

export function definitionsJson(report: AnalyticsReport): DefinitionsJson {
  const t = report.thresholds;
  return {
    window: windowWords(report, report.timeZone),
    timeZone: report.timeZone,
    shortAbandonS: t.shortAbandonMs / 1000,
    serviceLevelS: t.serviceLevelMs / 1000,
    callbackWindowH: t.callbackWindowMs / 3_600_000,
  };
}

/** What an analysis read. */
export type CompletenessJson = {
  read: number;
  counted: number;
  complete: boolean;
  capReached: boolean;
  cap: number;
  failures: { accountId: string; accountName: string; code: string; message: string }[];
};

export function completenessJson(period: PeriodReport, cap: number): CompletenessJson {
  const c = period.completeness;
  return {
    read: c.read,
    counted: c.matched,
    complete: c.complete,
    capReached: c.capReached,
    cap,
    failures: c.failures,
  };
}

/** Whether everything was read, and which accounts failed (their sessions are not counted). */
export function completenessLines(period: PeriodReport, cap: number): string[] {
  const c = period.completeness;
  const lines = [];
  if (c.complete && !c.capReached)
    lines.push(`Complete: every matching session was read (${c.read} read, ${c.matched} counted).`);
  else if (c.capReached)
    lines.push(
      `Incomplete: stopped at the cap of ${cap} sessions per account (${c.read} read, ${c.matched} counted); the figures cover only those. Narrow the range or accounts for complete figures.`,
    );
  else lines.push(`Incomplete: ${c.read} read, ${c.matched} counted; see the failures below.`);
  if (c.failures.length > 0) {
    const shown = c.failures
      .slice(0, 5)
      .map((f) => `${f.accountName || f.accountId} (${f.accountId}): ${f.code}`)
      .join("; ");
    const more = c.failures.length > 5 ? ` and ${c.failures.length - 5} more` : "";
    lines.push(`Not counted — these accounts failed: ${shown}${more}. The rest are counted.`);
  }
  return lines;
}
