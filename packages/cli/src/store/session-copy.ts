/**
 * The store as a session source for core's scanner and analytics: `covers(query)` says whether
 * the store holds exactly what Evo Voice would list for the query, and `scan(query)` lists it —
 * sessions rebuilt from the tables, in the query's order, paged like ListSessions, so every rule
 * of core's scanner (cap, limit, local filters, end of list) applies unchanged.
 *
 * What the store can answer exactly: the accounts, UTC days (startDate/endDate) and archive side
 * of a query, its sort, and customerIds/endpointIds where the two plausible meanings agree on the
 * stored sessions. The text filters (`from`, `to` — "contains" searches over fields the spec does
 * not name — and `log`), `parentSessionId` (not a SessionInfo field) and `specificIds` (whose
 * archive side is an open question) are left to Evo Voice.
 */
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  pagedSessionSource,
  type CopyVerdict,
  type ListPage,
  type SessionCopy,
  type SessionInfo,
  type SessionQuery,
  type SessionScan,
} from "@evo-sessions/core";
import { CliError } from "../errors.js";
import { readPlan, type ReadPlan } from "./copy-plan.js";
import { coverageVerdict } from "./copy-coverage.js";
import { StoreReader } from "./copy-reader.js";
import { originKey, storedOrigin } from "./store-origin.js";

/** Freshness asked of days that still change (the live window), unless told otherwise. */
export const DEFAULT_STORE_MAX_AGE_MS = 60 * 60_000;
/** Rows per page the store hands the scanner (ListSessions' largest). */
const STORE_PAGE_SIZE = 1000;

export interface CopyOptions {
  /** Days not yet frozen count only when synced this recently (default 60 minutes). */
  maxAgeMs?: number;
  /** The clock freshness is measured against (default: now). */
  now?: () => Date;
  /** The store's path, for the commands a reason suggests. */
  path: string;
  /** The Evo Voice the caller reads (its base URL): a store of another server covers nothing. */
  origin?: string | undefined;
}

/** The store at `instance` as a {@link SessionCopy}. */
export function storeCopy(
  instance: DuckDBInstance,
  connection: DuckDBConnection,
  options: CopyOptions,
): SessionCopy {
  let checks: Promise<unknown> = Promise.resolve();
  // One connection serves the short coverage checks, one after another.
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = checks.then(work, work);
    checks = run.catch(() => undefined);
    return run;
  };
  let held: Promise<string | undefined> | undefined;
  return {
    covers: (query) =>
      serially(async (): Promise<CopyVerdict> => {
        const plan = readPlan(query);
        if (!plan.ok) return { covered: false, reason: plan.reason };
        const origin = options.origin === undefined ? undefined : originKey(options.origin);
        const stored = await (held ??= storedOrigin(connection));
        if (origin !== undefined && stored !== undefined && stored !== origin)
          return { covered: false, reason: `it holds sessions of ${stored}, not of ${origin}` };
        return coverageVerdict(connection, plan.plan, {
          maxAgeMs: options.maxAgeMs ?? DEFAULT_STORE_MAX_AGE_MS,
          now: (options.now ?? (() => new Date()))(),
          path: options.path,
        });
      }),
    scan: (query, scanOptions = {}) => {
      const plan = readPlan(query);
      if (!plan.ok)
        throw new CliError(
          "store_uncovered",
          `The store cannot list this query exactly: ${plan.reason}. Ask covers() first, or read it from Evo Voice.`,
        );
      return readerScan(instance, plan.plan, query, scanOptions);
    },
  };
}

/** One scan on its own connection (a stream per scan), closed when the scan ends. */
function readerScan(
  instance: DuckDBInstance,
  plan: ReadPlan,
  query: SessionQuery,
  options: Parameters<SessionCopy["scan"]>[1],
): SessionScan {
  const reader = new StoreReader(instance, plan);
  const readPage = (q: SessionQuery): Promise<ListPage<SessionInfo>> => reader.page(q);
  const inner = pagedSessionSource(readPage).scan(query, {
    ...options,
    pageSize: STORE_PAGE_SIZE,
  });
  return {
    get report() {
      return inner.report;
    },
    async *[Symbol.asyncIterator]() {
      try {
        yield* inner;
      } finally {
        reader.close();
      }
    },
    async collect() {
      try {
        return await inner.collect();
      } finally {
        reader.close();
      }
    },
  };
}
