/**
 * KPIs by a dimension — account, customer, endpoint (number or queue), agent, local day or
 * week, hour of day, weekday, or hour × weekday (a heatmap's cells) — in one pass, bounded: past
 * `maxGroups` distinct keys, further sessions are counted in one `(other)` group.
 */
import { KpiAccumulator, type Kpis } from "./kpis.js";
import type { CallClass, Thresholds } from "./classify.js";
import { answeredBy, firstText, startedAt } from "../facts/session-facts.js";
import type { SessionInfo } from "../model/session.js";
import { addDays } from "../time/calendar.js";
import { zonedParts } from "../time/zoned-time.js";
import { formatDayKey } from "../time/time-text.js";

export const GroupDimensions = [
  "account",
  "customer",
  "endpoint",
  "agent",
  "day",
  "week",
  "hour",
  "weekday",
  "heatmap",
] as const;
export type GroupDimension = (typeof GroupDimensions)[number];

/** Most groups kept per dimension by default. */
export const DEFAULT_MAX_GROUPS = 500;
const OTHER = "(other)";
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** One group's KPIs. */
export interface KpiGroup {
  /** The key: an ID, a day `YYYY-MM-DD`, an hour `0`–`23`, a weekday `0`–`6`, or `weekday:hour`. */
  key: string;
  /** How a person reads it: a name, `Mon 30 Nov 2026`, `14:00`, `Mon`, `Mon 14:00`. */
  label: string;
  kpis: Kpis;
}

interface GroupKey {
  key: string;
  label: string;
}

/** Counts sessions by one dimension. */
export class GroupedKpis {
  readonly dimension: GroupDimension;
  readonly #timeZone: string;
  readonly #thresholds: Thresholds;
  readonly #maxGroups: number;
  readonly #groups = new Map<string, { label: string; kpis: KpiAccumulator }>();

  constructor(
    dimension: GroupDimension,
    options: { timeZone: string; thresholds: Thresholds; maxGroups?: number },
  ) {
    this.dimension = dimension;
    this.#timeZone = options.timeZone;
    this.#thresholds = options.thresholds;
    this.#maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  }

  /** Counts a session already classified. */
  add(session: SessionInfo, call: CallClass): void {
    const found = groupKey(this.dimension, session, this.#timeZone);
    let key = found.key;
    let group = this.#groups.get(key);
    if (group === undefined && this.#groups.size >= this.#maxGroups) {
      key = OTHER;
      group = this.#groups.get(OTHER);
    }
    if (group === undefined) {
      group = {
        label: key === OTHER ? OTHER : found.label,
        kpis: new KpiAccumulator(this.#thresholds),
      };
      this.#groups.set(key, group);
    }
    group.kpis.addClassified(call);
  }

  /** The groups in key order (time dimensions chronological, others by label). */
  result(): KpiGroup[] {
    const groups = [...this.#groups].map(([key, { label, kpis }]) => ({
      key,
      label,
      kpis: kpis.result(),
    }));
    const byTime = ["day", "week", "hour", "weekday", "heatmap"].includes(this.dimension);
    return groups.sort((a, b) =>
      byTime ? compareKeys(a.key, b.key) : a.label.localeCompare(b.label, "en"),
    );
  }
}

function compareKeys(a: string, b: string): number {
  const [a1, a2] = a.split(":").map(Number);
  const [b1, b2] = b.split(":").map(Number);
  if (Number.isFinite(a1) && Number.isFinite(b1))
    return (a1 ?? 0) - (b1 ?? 0) || (a2 ?? 0) - (b2 ?? 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupKey(dimension: GroupDimension, session: SessionInfo, timeZone: string): GroupKey {
  switch (dimension) {
    case "account":
      return named(session.accountId, firstText(session.accountName), "no account");
    case "customer":
      return named(session.customerId, firstText(session.customerName), "no customer");
    case "endpoint":
      return named(session.endpointId, firstText(session.endpointName), "no endpoint");
    case "agent":
      return named(session.answeredById, answeredBy(session), "not answered");
    default:
      return timeKey(dimension, startedAt(session), timeZone);
  }
}

function named(id: unknown, name: string | undefined, none: string): GroupKey {
  const key = typeof id === "string" && id.trim() !== "" ? id.trim() : (name ?? "");
  if (key === "") return { key: "", label: `(${none})` };
  return { key, label: name ?? key };
}

function timeKey(dimension: GroupDimension, start: Date | undefined, timeZone: string): GroupKey {
  if (start === undefined) return { key: "", label: "(unknown time)" };
  const parts = zonedParts(start, timeZone);
  const hour = `${String(parts.hour).padStart(2, "0")}:00`;
  switch (dimension) {
    case "day":
      return { key: parts.dayKey, label: formatDayKey(parts.dayKey) };
    case "week": {
      // ISO weeks: Monday first.
      const monday = addDays(parts.dayKey, -((parts.weekday + 6) % 7));
      return { key: monday, label: `week of ${formatDayKey(monday)}` };
    }
    case "hour":
      return { key: String(parts.hour), label: hour };
    case "weekday":
      return { key: String(parts.weekday), label: WEEKDAYS[parts.weekday] ?? "?" };
    default:
      return {
        key: `${parts.weekday}:${parts.hour}`,
        label: `${WEEKDAYS[parts.weekday] ?? "?"} ${hour}`,
      };
  }
}

/** KPIs where a higher value is worse (the others: lower is worse). */
const HIGHER_IS_WORSE = new Set<keyof Kpis>([
  "abandonRate",
  "abandonRateExShort",
  "asaMs",
  "timeToAnswerP90Ms",
  "missed",
]);

/** KPIs the worst-N ranking can order by. */
export const RankingKpis = [
  "abandonRate",
  "abandonRateExShort",
  "answerRate",
  "serviceLevel",
  "asaMs",
  "timeToAnswerP90Ms",
  "missed",
] as const;
export type RankingKpi = (typeof RankingKpis)[number];

/**
 * The `n` worst groups by a KPI, among those offered at least `minOffered` calls (a group with
 * two calls and one missed is noise, not the worst account). Groups without a value come last.
 */
export function worstGroups(
  groups: KpiGroup[],
  kpi: RankingKpi,
  n: number,
  minOffered = 1,
): KpiGroup[] {
  const sign = HIGHER_IS_WORSE.has(kpi) ? -1 : 1;
  return groups
    .filter((group) => group.kpis.offered >= minOffered && group.key !== OTHER)
    .filter((group) => group.kpis[kpi] !== undefined)
    .sort(
      (a, b) => sign * ((a.kpis[kpi] ?? 0) - (b.kpis[kpi] ?? 0)) || b.kpis.offered - a.kpis.offered,
    )
    .slice(0, n);
}
