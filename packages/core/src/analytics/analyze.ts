/**
 * The analytics entry point: one pass of the scanner over a query (oldest first), each session
 * classified once and counted into the totals, the shapes asked for and the callback tracker;
 * across several accounts, one scan per account in parallel within a bound, a failed account
 * reported rather than failing the answer; optionally the previous period of the same length.
 * Every result states its window, zone, thresholds and what was read.
 */
import { CallbackTracker, type CallbackReport } from "./callbacks.js";
import { DEFAULT_THRESHOLDS, type Thresholds } from "./classify.js";
import { GroupedKpis, type GroupDimension, type KpiGroup } from "./groups.js";
import { KpiAccumulator, type Kpis } from "./kpis.js";
import { previousPeriod, widenedBy } from "./periods.js";
import type { CountryCode } from "./phone-numbers.js";
import type { SessionSource } from "../client/session-source.js";
import type { AccountRef, EvoVoiceClient } from "../client/types.js";
import { InvalidOptionError, isEvoVoiceError } from "../errors/evo-voice-error.js";
import type { SessionInfo } from "../model/session.js";
import type { ResolvedRange } from "../query/relative-range.js";
import type { SessionQuery } from "../query/session-query.js";
import { systemTimeZone } from "../time/zoned-time.js";

/** Most sessions one analysis reads per scan unless told otherwise. */
export const DEFAULT_ANALYTICS_CAP = 200_000;
/** Accounts scanned at once in a rollup unless told otherwise. */
export const DEFAULT_ROLLUP_CONCURRENCY = 4;
const MAX_ROLLUP_CONCURRENCY = 16;

/** What to compute. */
export interface AnalyticsOptions {
  thresholds?: Partial<Thresholds>;
  /** Shapes besides the totals, each computed in the same pass. */
  groupBy?: readonly GroupDimension[];
  /** The open-callback queue (and closure figures), with at most `limit` callers listed. */
  callbacks?: boolean | { limit?: number };
  /** Also the previous period of the same length (needs a bounded window). */
  compare?: boolean;
  /** One scan per account (a rollup across accounts); default: one scan of the query as it is. */
  accounts?: readonly AccountRef[];
  /** Accounts scanned at once (default 4, at most 16). */
  concurrency?: number;
  /** Most sessions read per scan (default {@link DEFAULT_ANALYTICS_CAP}). */
  cap?: number;
  /**
   * Where the sessions are scanned from (default: the client, i.e. Evo Voice); e.g. a local
   * store through `preferCopy()`, which falls back to the client for what it lacks.
   */
  source?: SessionSource;
  /** Country of numbers written without `+` (default US). */
  country?: CountryCode;
  /** Zone of the time shapes (default: the window's, else the machine's). */
  timeZone?: string;
  /** The clock (ages of open callbacks; how far callbacks may be looked for). */
  now?: Date;
  maxGroups?: number;
  signal?: AbortSignal;
  onProgress?: (progress: AnalyticsProgress) => void | Promise<void>;
}

/** How far an analysis has come. */
export interface AnalyticsProgress {
  read: number;
  matched: number;
  scansDone: number;
  scans: number;
}

/** What was read, and what could not be. */
export interface Completeness {
  read: number;
  matched: number;
  /** Every scan read its list to the end. */
  complete: boolean;
  capReached: boolean;
  failures: { accountId: string; accountName: string; code: string; message: string }[];
}

/** The KPIs of one period. */
export interface PeriodReport {
  window: ResolvedRange | undefined;
  totals: Kpis;
  groups: Partial<Record<GroupDimension, KpiGroup[]>>;
  completeness: Completeness;
}

/** An analysis. */
export interface AnalyticsReport extends PeriodReport {
  timeZone: string;
  thresholds: Thresholds;
  /** The query in words. */
  query: string;
  callbacks?: CallbackReport;
  previous?: PeriodReport;
}

/** Analyses the sessions of `query` (see {@link AnalyticsOptions}). */
export async function analyzeSessions(
  client: EvoVoiceClient,
  query: SessionQuery,
  options: AnalyticsOptions = {},
): Promise<AnalyticsReport> {
  const thresholds = thresholdsOf(options.thresholds);
  const now = options.now ?? new Date();
  const window = query.resolvedRange;
  const timeZone = options.timeZone ?? window?.timeZone ?? systemTimeZone();
  if (options.compare === true && !isBounded(window)) {
    throw new InvalidOptionError(
      "compare",
      "needs a bounded window (a range or local days)",
      options.compare,
    );
  }
  const current = await analyzePeriod(
    client,
    query,
    { ...options, thresholds, timeZone, now },
    true,
  );
  const report: AnalyticsReport = {
    ...current.period,
    timeZone,
    thresholds,
    query: query.describe(),
  };
  if (current.callbacks !== undefined) report.callbacks = current.callbacks;
  if (options.compare === true && window !== undefined) {
    const earlier = query.withWindow(previousPeriod(window));
    const previous = await analyzePeriod(
      client,
      earlier,
      { ...options, thresholds, timeZone, now },
      false,
    );
    report.previous = previous.period;
  }
  return report;
}

interface PeriodOptions extends AnalyticsOptions {
  thresholds: Thresholds;
  timeZone: string;
  now: Date;
}

async function analyzePeriod(
  client: EvoVoiceClient,
  query: SessionQuery,
  options: PeriodOptions,
  withCallbacks: boolean,
): Promise<{ period: PeriodReport; callbacks?: CallbackReport }> {
  const sink = new PeriodSink(
    query,
    options,
    withCallbacks && options.callbacks !== undefined && options.callbacks !== false,
  );
  const scanQuery = sink.scanQuery();
  const accounts = options.accounts ?? [];
  const targets: (AccountRef | undefined)[] = accounts.length > 0 ? [...accounts] : [undefined];
  const progress: AnalyticsProgress = { read: 0, matched: 0, scansDone: 0, scans: targets.length };
  const completeness: Completeness = {
    read: 0,
    matched: 0,
    complete: true,
    capReached: false,
    failures: [],
  };
  await eachWithin(targets, concurrencyOf(options.concurrency), async (account) => {
    const scoped = account === undefined ? scanQuery : scanQuery.accounts(account.id);
    try {
      await scanInto(client, scoped, sink, options, progress, completeness);
    } catch (error) {
      if (account === undefined || !isEvoVoiceError(error) || error.code === "aborted") throw error;
      completeness.complete = false;
      completeness.failures.push({
        accountId: account.id,
        accountName: account.name,
        code: error.code,
        message: error.message,
      });
    }
    progress.scansDone++;
  });
  completeness.matched = sink.matched;
  const period = {
    window: query.resolvedRange,
    totals: sink.totals.result(),
    groups: sink.groupResults(),
    completeness,
  };
  const callbacks = sink.callbackResult(options.callbacks);
  return callbacks === undefined ? { period } : { period, callbacks };
}

async function scanInto(
  client: EvoVoiceClient,
  query: SessionQuery,
  sink: PeriodSink,
  options: PeriodOptions,
  progress: AnalyticsProgress,
  completeness: Completeness,
): Promise<void> {
  let counted = { read: 0, matched: 0 };
  const scan = (options.source ?? client).scan(query, {
    cap: options.cap ?? DEFAULT_ANALYTICS_CAP,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onProgress: async ({ read, matched }) => {
      progress.read += read - counted.read;
      progress.matched += matched - counted.matched;
      counted = { read, matched };
      await options.onProgress?.({ ...progress });
    },
  });
  for await (const { session } of scan) sink.add(session);
  completeness.read += scan.report.read;
  completeness.complete &&= scan.report.complete;
  completeness.capReached ||= scan.report.capReached;
}

/** Where the sessions of one period go: totals, shapes and callbacks. */
class PeriodSink {
  readonly totals: KpiAccumulator;
  readonly #query: SessionQuery;
  readonly #options: PeriodOptions;
  readonly #groups: GroupedKpis[];
  readonly #callbacks: CallbackTracker | undefined;
  #matched = 0;

  constructor(query: SessionQuery, options: PeriodOptions, withCallbacks: boolean) {
    this.#query = query;
    this.#options = options;
    this.totals = new KpiAccumulator(options.thresholds);
    const shape = {
      timeZone: options.timeZone,
      thresholds: options.thresholds,
      ...(options.maxGroups === undefined ? {} : { maxGroups: options.maxGroups }),
    };
    this.#groups = [...new Set(options.groupBy ?? [])].map(
      (dimension) => new GroupedKpis(dimension, shape),
    );
    this.#callbacks = withCallbacks
      ? new CallbackTracker({
          windowMs: options.thresholds.callbackWindowMs,
          now: options.now,
          ...(options.country === undefined ? {} : { country: options.country }),
          isCandidate: (session) => query.matches(session),
        })
      : undefined;
  }

  /**
   * The query to scan: oldest first (sessions arriving mid-scan land after the end, and
   * callbacks follow their misses); with callbacks, every session of the window widened by the
   * callback window, because the calls that close a miss are outgoing and may come after it.
   */
  scanQuery(): SessionQuery {
    const oldest = this.#query.sortBy("dateCreated", "Ascend");
    if (this.#callbacks === undefined) return oldest;
    const window = this.#query.resolvedRange;
    const everything = oldest.filter({
      missed: undefined,
      direction: undefined,
      channel: undefined,
      outcomes: undefined,
      outcomeKinds: undefined,
    });
    return isBounded(window)
      ? everything.withWindow(
          widenedBy(window, this.#options.thresholds.callbackWindowMs, this.#options.now),
        )
      : everything;
  }

  add(session: SessionInfo): void {
    const counted = this.#query.matches(session);
    if (!counted && this.#callbacks === undefined) return;
    const call = this.totals.classify(session);
    if (counted) {
      this.#matched++;
      this.totals.addClassified(call);
      for (const group of this.#groups) group.add(session, call);
    }
    this.#callbacks?.add(session, call);
  }

  /** Sessions counted (inside the window asked about, passing the query's filters). */
  get matched(): number {
    return this.#matched;
  }

  groupResults(): Partial<Record<GroupDimension, KpiGroup[]>> {
    return Object.fromEntries(this.#groups.map((group) => [group.dimension, group.result()]));
  }

  callbackResult(option: AnalyticsOptions["callbacks"]): CallbackReport | undefined {
    const limit = typeof option === "object" ? option.limit : undefined;
    return this.#callbacks?.result(limit);
  }
}

function thresholdsOf(given: Partial<Thresholds> | undefined): Thresholds {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...given };
  for (const [name, value] of Object.entries(thresholds)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidOptionError(
        `thresholds.${name}`,
        "must be a number of milliseconds, 0 or more",
        value,
      );
    }
  }
  return thresholds;
}

function concurrencyOf(value: number | undefined): number {
  const concurrency = value ?? DEFAULT_ROLLUP_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_ROLLUP_CONCURRENCY) {
    throw new InvalidOptionError(
      "concurrency",
      `must be a whole number from 1 to ${MAX_ROLLUP_CONCURRENCY}`,
      value,
    );
  }
  return concurrency;
}

function isBounded(window: ResolvedRange | undefined): window is ResolvedRange {
  return (
    window !== undefined &&
    Math.abs(window.from.getTime()) < 8e15 &&
    Math.abs(window.to.getTime()) < 8e15
  );
}

/** Runs `work` for each item, at most `limit` at once; the first error (not caught inside) ends it. */
async function eachWithin<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
