/** What `sync_days` says of a window: which (account, UTC day) pairs were synced, when, frozen. */
import type { DuckDBConnection } from "@duckdb/node-api";

export interface SyncedDay {
  accountId: string;
  day: string;
  /** Read from the archive once and never again (older than the live window). */
  frozen: boolean;
  syncedMs: number;
}

/** The synced pairs of `from`–`to` (UTC days), keyed `account/day`; every account unless named. */
export async function syncedDays(
  connection: DuckDBConnection,
  window: { from: string; to: string; accountIds?: readonly string[] | undefined },
): Promise<Map<string, SyncedDay>> {
  const rows = (
    await connection.runAndReadAll(
      `SELECT account_id, strftime(day, '%Y-%m-%d') AS day, frozen, epoch_ms(synced_at) AS synced
       FROM sync_days WHERE day BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)`,
      [window.from, window.to],
    )
  ).getRowObjectsJson();
  const wanted = window.accountIds === undefined ? undefined : new Set(window.accountIds);
  const synced = new Map<string, SyncedDay>();
  for (const r of rows) {
    const day: SyncedDay = {
      accountId: String(r.account_id),
      day: String(r.day),
      frozen: r.frozen === true,
      syncedMs: Number(r.synced),
    };
    if (wanted === undefined || wanted.has(day.accountId))
      synced.set(`${day.accountId}/${day.day}`, day);
  }
  return synced;
}

/**
 * The oldest and newest of sync times (ISO), without spreading them into Math.min: a window of
 * many accounts and years holds more pairs than a call may take arguments.
 */
export function syncSpan(times: Iterable<number>): { from?: string; to?: string } {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (t < low) low = t;
    if (t > high) high = t;
  }
  if (low > high) return {};
  return { from: new Date(low).toISOString(), to: new Date(high).toISOString() };
}
