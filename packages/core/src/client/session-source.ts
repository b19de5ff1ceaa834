/**
 * Where sessions are scanned from. The client scans Evo Voice; a local copy (the CLI's DuckDB
 * store) scans what it synced. Both go through the one scanner, so a count from the copy and a
 * count from the server follow the same paging, cap, limit and filter rules, and analytics can be
 * pointed at either without knowing which.
 */
import type { SessionInfo } from "../model/session.js";
import type { SessionQuery } from "../query/session-query.js";
import type { ListPage } from "./paging.js";
import { scanSessions, type ScanOptions, type ScanReport, type SessionScan } from "./scan.js";

/** Anything sessions can be scanned from the way the client scans Evo Voice. */
export interface SessionSource {
  scan(query: SessionQuery, options?: ScanOptions): SessionScan;
}

/**
 * One page of a query as a local copy answers it: the sessions matching the query's server
 * parameters (accounts, days, archive side, …), in its sort order, `page` × `countPerPage` in.
 */
export type SessionPageReader = (
  query: SessionQuery,
  signal: AbortSignal,
) => Promise<ListPage<SessionInfo>>;

/** A source over pages a local copy reads: the scanner's every rule applies to them. */
export function pagedSessionSource(readPage: SessionPageReader): SessionSource {
  return { scan: (query, options) => scanSessions(readPage, query, options) };
}

/** Whether a local copy holds every session a query would read from Evo Voice. */
export type CopyVerdict =
  | {
      covered: true;
      /** Oldest and newest sync of what the query reads (ISO), when the copy knows. */
      syncedFrom?: string | undefined;
      syncedTo?: string | undefined;
    }
  | {
      covered: false;
      /** Why not, in words that say what to do (e.g. which days to sync). */
      reason: string;
    };

/** A local copy of sessions that can say which queries it can answer exactly. */
export interface SessionCopy extends SessionSource {
  covers(query: SessionQuery, signal?: AbortSignal): Promise<CopyVerdict>;
}

/** Which source one scan read, and why. */
export interface SourceChoice {
  query: SessionQuery;
  source: "copy" | "server";
  verdict: CopyVerdict;
}

/** What a run's choices add up to: how many scans each source read, the copy's sync times, why not the copy. */
export interface SourceSummary {
  fromCopy: number;
  fromServer: number;
  /** Oldest and newest sync of what the copy read (ISO), when it said. */
  syncedFrom?: string;
  syncedTo?: string;
  /** Why the first scan read from the server was not read from the copy. */
  reason?: string;
}

/** Adds up the choices {@link preferCopy} reported, for an answer to say where it read. */
export function summarizeChoices(choices: readonly SourceChoice[]): SourceSummary {
  const summary: SourceSummary = { fromCopy: 0, fromServer: 0 };
  const times: string[] = [];
  for (const { verdict } of choices) {
    if (verdict.covered) {
      summary.fromCopy++;
      for (const t of [verdict.syncedFrom, verdict.syncedTo]) if (t !== undefined) times.push(t);
    } else {
      summary.fromServer++;
      summary.reason ??= verdict.reason;
    }
  }
  times.sort();
  if (times.length > 0) {
    summary.syncedFrom = times[0]!;
    summary.syncedTo = times.at(-1)!;
  }
  return summary;
}

/**
 * A source that scans `copy` when it covers the query and `server` otherwise, deciding per scan
 * (a rollup's accounts, the previous period and a widened callback window are separate scans)
 * and telling `onChoice` each time, so an answer can say where its numbers came from.
 */
export function preferCopy(
  copy: SessionCopy,
  server: SessionSource,
  onChoice: (choice: SourceChoice) => void = () => undefined,
): SessionSource {
  return {
    scan(query, options = {}) {
      let chosen: SessionScan | undefined;
      const pending: ScanReport = {
        read: 0,
        matched: 0,
        start: options.offset ?? 0,
        serverTotal: undefined,
        nextOffset: options.offset ?? 0,
        complete: false,
        capReached: false,
      };
      const choose = async (): Promise<SessionScan> => {
        const verdict = await verdictOf(copy, query, options.signal);
        const source = verdict.covered ? "copy" : "server";
        onChoice({ query, source, verdict });
        chosen = (verdict.covered ? copy : server).scan(query, options);
        return chosen;
      };
      async function* iterate() {
        yield* await choose();
      }
      return {
        get report() {
          return chosen?.report ?? pending;
        },
        [Symbol.asyncIterator]: iterate,
        async collect() {
          return (await choose()).collect();
        },
      };
    },
  };
}

/** The copy's verdict; a copy that cannot say (it failed to read itself) covers nothing. */
async function verdictOf(
  copy: SessionCopy,
  query: SessionQuery,
  signal: AbortSignal | undefined,
): Promise<CopyVerdict> {
  try {
    return await copy.covers(query, signal);
  } catch (error) {
    if (signal?.aborted === true) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { covered: false, reason: `the copy could not be read (${message.slice(0, 200)})` };
  }
}
