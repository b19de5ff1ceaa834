import type { ResolvedFilters } from "./filters.js";
import type { AppliedFilters } from "./common-schemas.js";

/** The structured form of the filters an answer applied. */
export function appliedFilters(resolved: ResolvedFilters, timeZone: string): AppliedFilters {
  const w = resolved.window;
  const out: AppliedFilters = {
    summary: resolved.filtersLine.replace(/^Filters: /, ""),
    params: { ...resolved.params },
    clientSide: resolved.clientFilters.map((f) => f.label),
    timeZone,
  };
  if (w !== undefined) {
    out.range = {};
    if (w.label !== undefined) out.range.label = w.label;
    if (w.startDate !== undefined) out.range.startDate = w.startDate;
    if (w.endDate !== undefined) out.range.endDate = w.endDate;
    if (w.fromMs !== undefined) out.range.from = new Date(w.fromMs).toISOString();
    if (w.toMs !== undefined) out.range.to = new Date(w.toMs).toISOString();
  }
  return out;
}
