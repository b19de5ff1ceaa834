/**
 * What the dashboard shows, computed from one analytics report: pure data (no HTML), so that
 * the numbers a person reads are unit-tested apart from how they are drawn.
 */
import {
  addDays,
  worstGroups,
  type AnalyticsReport,
  type KpiGroup,
  type Kpis,
  type PeriodReport,
} from "@evo-sessions/core";

/** One KPI tile: this period, the previous one, and whether the change is good news. */
export interface Tile {
  id: "answerRate" | "abandonRate" | "serviceLevel" | "asa";
  label: string;
  /** How the KPI is defined, for the tooltip. */
  definition: string;
  value: string;
  previous: string | undefined;
  /** `+3.1 pts`, `−4 s`; undefined when either period has no value. */
  delta: string | undefined;
  /** true: better than before, false: worse, undefined: unchanged or unknown. */
  improved: boolean | undefined;
}

/** One hour × weekday cell. */
export interface HeatCell {
  weekday: number;
  hour: number;
  offered: number;
  answered: number;
  missed: number;
  /** 0–1: the cell's offered calls against the busiest cell's. */
  intensity: number;
  /** What a screen reader says, e.g. `Mon 14:00–15:00: 12 offered, 9 answered, 3 missed`. */
  label: string;
}

/** One day of the trend: this period's day and the previous period's day at the same offset. */
export interface TrendPoint {
  day: string;
  offered: number;
  previousOffered: number | undefined;
  missed: number;
}

export interface WorstRow {
  label: string;
  abandonRate: string;
  answerRate: string;
  offered: number;
}

export interface DashboardModel {
  title: string;
  /** The period and zone in words. */
  period: string;
  previousPeriod: string | undefined;
  tiles: Tile[];
  heatmap: HeatCell[];
  trend: TrendPoint[];
  worstAccounts: WorstRow[];
  worstCustomers: WorstRow[];
  /** Sessions read and whether the reading was complete, in words. */
  completeness: string;
  offered: number;
}

export const WEEKDAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
/** Most days the trend draws (a longer window shows its last days). */
export const MAX_TREND_DAYS = 62;
/** A group with fewer offered calls is noise, not the worst account. */
export const WORST_MIN_OFFERED = 3;
const WORST_COUNT = 5;

/** The dashboard for `report` (which must have been asked for `heatmap`, `day`, `account`, `customer`). */
export function dashboardModel(report: AnalyticsReport): DashboardModel {
  const window = report.window;
  return {
    title: "Evo Voice dashboard",
    period: window === undefined ? `all sessions (${report.timeZone})` : window.label,
    previousPeriod: report.previous?.window?.label,
    tiles: tiles(report.totals, report.previous?.totals),
    heatmap: heatmap(report.groups.heatmap ?? []),
    trend: trend(report, report.previous),
    worstAccounts: worst(report.groups.account ?? []),
    worstCustomers: worst(report.groups.customer ?? []),
    completeness: completenessText(report),
    offered: report.totals.offered,
  };
}

function tiles(now: Kpis, before: Kpis | undefined): Tile[] {
  const rate = (id: "answerRate" | "abandonRate" | "serviceLevel", higherIsBetter: boolean) => {
    const value = now[id];
    const previous = before?.[id];
    return {
      value: percent(value),
      previous: before === undefined ? undefined : percent(previous),
      ...change(value, previous, 100, "pts", higherIsBetter, 1),
    };
  };
  const asa = {
    value: seconds(now.asaMs),
    previous: before === undefined ? undefined : seconds(before.asaMs),
    ...change(now.asaMs, before?.asaMs, 1 / 1000, "s", false, 0),
  };
  return [
    {
      id: "answerRate",
      label: "Answer rate",
      definition: "answered ÷ offered (inbound voice calls that ended)",
      ...rate("answerRate", true),
    },
    {
      id: "abandonRate",
      label: "Abandon rate",
      definition: "callers who hung up (short, in queue, in the flow) ÷ offered",
      ...rate("abandonRate", false),
    },
    {
      id: "serviceLevel",
      label: "Service level",
      definition: "answered within the service-level threshold ÷ offered",
      ...rate("serviceLevel", true),
    },
    { id: "asa", label: "ASA", definition: "average speed of answer", ...asa },
  ];
}

function change(
  value: number | undefined,
  previous: number | undefined,
  scale: number,
  unit: string,
  higherIsBetter: boolean,
  digits: number,
): { delta: string | undefined; improved: boolean | undefined } {
  if (value === undefined || previous === undefined)
    return { delta: undefined, improved: undefined };
  const difference = Number(((value - previous) * scale).toFixed(digits));
  if (difference === 0) return { delta: `±0 ${unit}`, improved: undefined };
  // U+2212 minus: a hyphen reads as a dash next to a number.
  const sign = difference > 0 ? "+" : "\u2212";
  return {
    delta: `${sign}${Math.abs(difference).toFixed(digits)} ${unit}`,
    improved: difference > 0 === higherIsBetter,
  };
}

/** `87.5%`, or `–` when nothing was offered. */
export function percent(share: number | undefined): string {
  return share === undefined ? "–" : `${(share * 100).toFixed(1)}%`;
}

/** `14 s`, `2 m 05 s`, or `–`. */
export function seconds(ms: number | undefined): string {
  if (ms === undefined) return "–";
  const total = Math.round(ms / 1000);
  if (total < 60) return `${total} s`;
  return `${Math.floor(total / 60)} m ${String(total % 60).padStart(2, "0")} s`;
}

function heatmap(groups: readonly KpiGroup[]): HeatCell[] {
  const byKey = new Map(groups.map((group) => [group.key, group.kpis]));
  const busiest = Math.max(1, ...groups.map((group) => group.kpis.offered));
  const cells: HeatCell[] = [];
  // Monday first, as the ISO week and most contact-centre rosters run.
  for (const weekday of [1, 2, 3, 4, 5, 6, 0]) {
    for (let hour = 0; hour < 24; hour++) {
      const kpis = byKey.get(`${weekday}:${hour}`);
      const offered = kpis?.offered ?? 0;
      const answered = kpis?.answered ?? 0;
      const missed = kpis?.missed ?? 0;
      cells.push({
        weekday,
        hour,
        offered,
        answered,
        missed,
        intensity: offered / busiest,
        label: `${slotLabel(weekday, hour)}: ${offered} offered, ${answered} answered, ${missed} missed`,
      });
    }
  }
  return cells;
}

/** `Mon 14:00–15:00`. */
export function slotLabel(weekday: number, hour: number): string {
  const clock = (h: number) => `${String(h).padStart(2, "0")}:00`;
  return `${WEEKDAY_NAMES[weekday] ?? "?"} ${clock(hour)}–${clock(hour + 1)}`;
}

function trend(report: AnalyticsReport, previous: PeriodReport | undefined): TrendPoint[] {
  const days = daysOf(report);
  const before = previous === undefined ? [] : daysOf(previous);
  const current = new Map((report.groups.day ?? []).map((group) => [group.key, group.kpis]));
  const earlier = new Map((previous?.groups.day ?? []).map((group) => [group.key, group.kpis]));
  // The previous period has the same length: its day i lines up with this period's day i.
  const points = days.map((day, index) => {
    const kpis = current.get(day);
    const previousDay = before[index];
    return {
      day,
      offered: kpis?.offered ?? 0,
      missed: kpis?.missed ?? 0,
      previousOffered:
        previousDay === undefined ? undefined : (earlier.get(previousDay)?.offered ?? 0),
    };
  });
  return points.slice(-MAX_TREND_DAYS);
}

/** The local days of a period's window, else the days its sessions fell on. */
function daysOf(period: PeriodReport): string[] {
  const window = period.window;
  if (window === undefined || window.localStartDate === "" || window.localEndDate === "") {
    return (period.groups.day ?? []).map((group) => group.key).filter((key) => key !== "");
  }
  const days: string[] = [];
  for (let day = window.localStartDate; day <= window.localEndDate; day = addDays(day, 1)) {
    days.push(day);
    if (days.length > 366) break;
  }
  return days;
}

function worst(groups: KpiGroup[]): WorstRow[] {
  return worstGroups(groups, "abandonRate", WORST_COUNT, WORST_MIN_OFFERED).map((group) => ({
    label: group.label,
    abandonRate: percent(group.kpis.abandonRate),
    answerRate: percent(group.kpis.answerRate),
    offered: group.kpis.offered,
  }));
}

function completenessText(report: AnalyticsReport): string {
  const { read, matched, complete, capReached, failures } = report.completeness;
  const parts = [
    `${matched.toLocaleString("en-US")} sessions of ${read.toLocaleString("en-US")} read`,
  ];
  if (capReached) parts.push("stopped at the reading cap: figures are partial");
  else if (!complete) parts.push("incomplete");
  for (const failure of failures) parts.push(`${failure.accountName}: ${failure.message}`);
  return parts.join(" · ");
}
