/**
 * Which part of a query the store can answer, as a plan of SQL conditions; or why it cannot.
 * The server's parameters are translated one by one (see session-copy.ts for the rules), the
 * session filters the server lacks are left to core's scanner as with Evo Voice.
 */
import type { SessionQuery } from "@evo-sessions/core";
import { SESSION_COLUMNS } from "./schema.js";

export interface ReadPlan {
  accountIds: string[];
  /** First and last UTC day, `YYYY-MM-DD`. */
  from: string;
  to: string;
  archived: boolean;
  customerIds: string[] | undefined;
  endpointIds: string[] | undefined;
  /** A sessions column and its direction. */
  sort: { column: string; descending: boolean };
}

export type PlanResult = { ok: true; plan: ReadPlan } | { ok: false; reason: string };

/** Server parameters the store leaves to Evo Voice, with why. */
const LEFT_TO_SERVER: Record<string, string> = {
  from: "`from` is a contains search over fields the API does not name",
  to: "`to` is a contains search over fields the API does not name",
  log: "how Evo Voice matches text in the log (case, whole words) is not documented",
  parentSessionId: "a session's parent is not among the fields the store holds",
  specificIds: "whether specificIds looks past the archive side is not documented",
};

const COLUMN_OF_FIELD = new Map(
  SESSION_COLUMNS.filter((c) => c.field !== undefined && c.json !== true).map((c) => [
    c.field!,
    c.name,
  ]),
);

/** The plan for `query`, or the reason the store cannot answer it exactly. */
export function readPlan(query: SessionQuery): PlanResult {
  const p = query.params;
  for (const [name, why] of Object.entries(LEFT_TO_SERVER)) {
    if (p[name as keyof typeof p] !== undefined) return refuse(`it filters on ${name}: ${why}`);
  }
  if (p.accountIds === undefined || p.accountIds.length === 0)
    return refuse("it names no account (the store cannot tell which accounts the sign-in reaches)");
  if (p.startDate === undefined || p.endDate === undefined)
    return refuse("its window is open-ended (the store answers windows with a first and last day)");
  const field = p.sortField ?? "dateCreated";
  const column = COLUMN_OF_FIELD.get(field);
  if (column === undefined) return refuse(`the store does not sort by ${field}`);
  // Like the sandbox (the API does not say): newest first without a sortField, else ascending.
  const order = p.sortOrder ?? (p.sortField === undefined ? "Descend" : "Ascend");
  return {
    ok: true,
    plan: {
      accountIds: [...p.accountIds],
      from: p.startDate,
      to: p.endDate,
      archived: p.searchArchive === true,
      customerIds: p.customerIds === undefined ? undefined : [...p.customerIds],
      endpointIds: p.endpointIds === undefined ? undefined : [...p.endpointIds],
      sort: { column, descending: order === "Descend" },
    },
  };
}

function refuse(reason: string): PlanResult {
  return { ok: false, reason };
}

/** A SQL text literal (standard quoting: DuckDB takes no backslash escapes). */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `a IN ('x', 'y')` over text values. */
export function sqlIn(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map(sqlText).join(", ")})`;
}

/**
 * The plan's accounts and days on a table `alias` (sessions, or a child table: the constant
 * conditions let DuckDB skip the row groups of other days, which are stored day by day).
 */
export function daysWhere(plan: ReadPlan, alias: string): string {
  return [
    sqlIn(`${alias}.account_id`, plan.accountIds),
    `${alias}.day BETWEEN CAST(${sqlText(plan.from)} AS DATE) AND CAST(${sqlText(plan.to)} AS DATE)`,
  ].join(" AND ");
}

/** The conditions on `sessions` (alias `s`) every read of the plan shares. */
export function sessionWhere(plan: ReadPlan, withFilters = true): string {
  const parts = [daysWhere(plan, "s"), `s.archived = ${plan.archived ? "true" : "false"}`];
  if (withFilters && plan.customerIds !== undefined)
    parts.push(sqlIn("s.customer_id", plan.customerIds));
  if (withFilters && plan.endpointIds !== undefined)
    parts.push(sqlIn("s.endpoint_id", plan.endpointIds));
  return parts.join(" AND ");
}

/** The plan's order: its column, missing values first ascending (as SQL and the sandbox), then id. */
export function sessionOrder(plan: ReadPlan): string {
  const { column, descending } = plan.sort;
  return descending
    ? `s.${column} DESC NULLS LAST, s.id DESC`
    : `s.${column} ASC NULLS FIRST, s.id ASC`;
}
