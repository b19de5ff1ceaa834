/**
 * Whether the store holds a read plan exactly: every (account, UTC day) synced, the days that
 * still change synced recently enough, and — where Evo Voice's meaning of customerIds or
 * endpointIds is open — no stored session on which the plausible meanings disagree.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CopyVerdict } from "@evo-sessions/core";
import { sessionWhere, sqlIn, sqlText, type ReadPlan } from "./copy-plan.js";
import { syncedDays, syncSpan, type SyncedDay } from "./sync-days.js";
import { daysBetween } from "./sync.js";

export interface Freshness {
  maxAgeMs: number;
  now: Date;
  path: string;
}

/** The verdict on `plan`, with the sync times of what it reads when covered. */
export async function coverageVerdict(
  connection: DuckDBConnection,
  plan: ReadPlan,
  freshness: Freshness,
): Promise<CopyVerdict> {
  const synced = await syncedDays(connection, plan);
  // A UTC day that has not begun holds no session yet (a local "today" can reach into one).
  const days = daysBetween(plan.from, plan.to).filter(
    (day) => Date.parse(`${day}T00:00:00Z`) <= freshness.now.getTime(),
  );
  const missing: string[] = [];
  const stale: SyncedDay[] = [];
  for (const accountId of plan.accountIds) {
    for (const day of days) {
      const found = synced.get(`${accountId}/${day}`);
      if (found === undefined) missing.push(`${accountId} ${day}`);
      else if (!found.frozen && freshness.now.getTime() - found.syncedMs > freshness.maxAgeMs)
        stale.push(found);
    }
  }
  const sync = syncCommand(freshness.path, plan);
  const pairs = plan.accountIds.length * days.length;
  if (missing.length > 0)
    return refuse(
      `the store lacks ${missing.length} of ${pairs} account-days (${missing.slice(0, 2).join(", ")}${missing.length > 2 ? ", …" : ""}); to read them locally run: ${sync}`,
    );
  if (stale.length > 0) {
    const oldest = Date.parse(syncSpan(stale.map((d) => d.syncedMs)).from!);
    return refuse(
      `${stale.length} account-days that still change were last synced ${ago(freshness.now.getTime() - oldest)} ago, longer than the ${ago(freshness.maxAgeMs)} allowed; run: ${sync}`,
    );
  }
  const disagreement = await meaningsDisagree(connection, plan);
  if (disagreement !== undefined) return refuse(disagreement);
  const span = syncSpan(Array.from(synced.values(), (d) => d.syncedMs));
  return { covered: true, syncedFrom: span.from, syncedTo: span.to };
}

/**
 * customerIds may mean the customers' own sessions or also their sub-customers' (the API does not
 * say); endpointIds the session's endpoint or also the one that answered or a member's. Where a
 * stored session of the window would count under one meaning and not the other, only Evo Voice
 * can say which it uses.
 */
async function meaningsDisagree(
  connection: DuckDBConnection,
  plan: ReadPlan,
): Promise<string | undefined> {
  const base = sessionWhere(plan, false);
  if (plan.customerIds !== undefined) {
    const inTree = plan.customerIds
      .map(
        (id) =>
          `contains(coalesce(s.customer_breadcrumb, ''), ${sqlText(`"id":${JSON.stringify(id)}`)})`,
      )
      .join(" OR ");
    const n = await count(
      connection,
      `${base} AND NOT coalesce(${sqlIn("s.customer_id", plan.customerIds)}, false) AND (${inTree})`,
    );
    if (n > 0)
      return `${n} stored sessions of the window belong to sub-customers of the customers asked about, and whether Evo Voice counts those is not documented`;
  }
  if (plan.endpointIds !== undefined) {
    const n = await count(
      connection,
      `${base} AND NOT coalesce(${sqlIn("s.endpoint_id", plan.endpointIds)}, false) AND (coalesce(${sqlIn("s.answered_by_id", plan.endpointIds)}, false) OR EXISTS (SELECT 1 FROM members m WHERE m.session_id = s.id AND m.account_id = s.account_id AND m.day = s.day AND ${sqlIn("m.endpoint_id", plan.endpointIds)}))`,
    );
    if (n > 0)
      return `${n} stored sessions of the window reached the endpoints asked about only as the answerer or a member, and whether Evo Voice counts those is not documented`;
  }
  return undefined;
}

async function count(connection: DuckDBConnection, where: string): Promise<number> {
  const rows = (
    await connection.runAndReadAll(`SELECT count(*) AS n FROM sessions s WHERE ${where}`)
  ).getRowObjectsJson();
  return Number(rows[0]?.n ?? 0);
}

function syncCommand(path: string, plan: ReadPlan): string {
  const accounts = plan.accountIds.map((id) => ` --account ${id}`).join("");
  return `evo-sessions sync --store ${path}${plan.accountIds.length <= 3 ? accounts : ""} --start ${plan.from} --end ${plan.to}`;
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

function refuse(reason: string): CopyVerdict {
  return { covered: false, reason };
}
