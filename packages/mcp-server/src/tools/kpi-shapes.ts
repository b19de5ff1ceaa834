/**
 * Time shapes as people read them: every day (or hour, or week) of the window listed, the quiet
 * ones as zero rather than missing, a long span by week instead of hundreds of days, and the
 * busiest row named — core counts the groups it saw, this fills in the rest.
 */
import {
  addDays,
  formatDayKey,
  KpiAccumulator,
  type GroupDimension,
  type KpiGroup,
  type ResolvedRange,
} from "@evo-sessions/core";

/** Most day rows; a longer window is shaped by week (and says so). */
export const MAX_DAY_ROWS = 62;

/** The dimension to ask core for: `day` over a long window becomes `week`, with the reason. */
export function shapeDimension(
  by: GroupDimension,
  window: ResolvedRange | undefined,
): { dimension: GroupDimension; note: string | undefined } {
  if (by !== "day" || window === undefined) return { dimension: by, note: undefined };
  const days = dayKeys(window).length;
  return days > MAX_DAY_ROWS
    ? { dimension: "week", note: `${days} days are more than ${MAX_DAY_ROWS}, so by week` }
    : { dimension: by, note: undefined };
}

/** The local days of a bounded window, in order (none for an open one). */
function dayKeys(window: ResolvedRange): string[] {
  const { localStartDate: first, localEndDate: last } = window;
  if (first === "" || last === "") return [];
  const out: string[] = [];
  for (let day = first; day <= last && out.length <= 10_000; day = addDays(day, 1)) out.push(day);
  return out;
}

/** Every row a time shape should show, each group core found and a zero group for the rest. */
export function filledGroups(
  dimension: GroupDimension,
  groups: readonly KpiGroup[],
  window: ResolvedRange | undefined,
): KpiGroup[] {
  const keys = expectedKeys(dimension, window);
  if (keys === undefined) return [...groups];
  const found = new Map(groups.map((group) => [group.key, group]));
  const empty = new KpiAccumulator().result();
  const rows = keys.map(({ key, label }) => found.get(key) ?? { key, label, kpis: { ...empty } });
  // Keep what falls outside the expected keys (an unreadable start) after them.
  const expected = new Set(keys.map((k) => k.key));
  return [...rows, ...groups.filter((group) => !expected.has(group.key))];
}

function expectedKeys(
  dimension: GroupDimension,
  window: ResolvedRange | undefined,
): { key: string; label: string }[] | undefined {
  if (dimension === "hour")
    return Array.from({ length: 24 }, (_, h) => ({
      key: String(h),
      label: `${String(h).padStart(2, "0")}:00`,
    }));
  if (window === undefined) return undefined;
  const days = dayKeys(window);
  if (days.length === 0) return undefined;
  if (dimension === "day") return days.map((day) => ({ key: day, label: formatDayKey(day) }));
  if (dimension !== "week") return undefined;
  const mondays = new Set<string>();
  for (const day of days) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    mondays.add(addDays(day, -((weekday + 6) % 7)));
  }
  return [...mondays].map((monday) => ({ key: monday, label: `week of ${formatDayKey(monday)}` }));
}

/** `Busiest day: Tue 10 Mar 2026 (14 offered)`, ties included, or undefined when all are quiet. */
export function busiestLine(
  dimension: GroupDimension,
  groups: readonly KpiGroup[],
): string | undefined {
  if (!["hour", "day", "week", "weekday"].includes(dimension)) return undefined;
  const timed = groups.filter((group) => group.key !== "");
  const most = Math.max(0, ...timed.map((group) => group.kpis.offered));
  if (most === 0) return undefined;
  const peaks = timed.filter((group) => group.kpis.offered === most).map((group) => group.label);
  const listed = `${peaks.slice(0, 5).join(", ")}${peaks.length > 5 ? ` and ${peaks.length - 5} more` : ""}`;
  return `Busiest ${dimension}: ${listed} (${most} offered${peaks.length > 1 ? " each" : ""}).`;
}
