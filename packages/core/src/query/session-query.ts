import { QueryValidationError } from "../errors/evo-voice-error.js";
import { isCalendarDate, parseEvoDate } from "../model/dates.js";
import { isValidTimeZone } from "../time/zoned-time.js";
import type { SortOrders } from "../model/enums.js";
import { ListSessionsParams, type ListSessions } from "../model/list.js";
import { SessionInfoFields, type SessionInfo } from "../model/session.js";
import { describeDateSpan } from "../time/calendar.js";
import {
  isWithinRange,
  resolveLocalDays,
  resolveRelativeRange,
  type RelativeRangeOptions,
  type RelativeRangePreset,
  type ResolvedRange,
} from "./relative-range.js";
import {
  applyPredicates,
  describePredicates,
  matchesPredicates,
  noPredicates,
  type SessionPredicates,
} from "./session-predicates.js";
import { formatWireList, parseWireList } from "./wire.js";
import type { OutcomeKind } from "../facts/session-facts.js";
import type { FlowChannels, SessionDirections } from "../model/enums.js";

/** The name of one ListSessions parameter, e.g. `accountIds`. */
export type SessionQueryParam = keyof ListSessions;

/** A `SessionInfo` property to sort by; any letter case is accepted and normalised. */
export type SessionSortField = keyof SessionInfo | (string & {});

/** `Ascend`/`Descend` in any letter case, or the aliases `asc`, `ascending`, `desc`, `descending`. */
export type SortOrderInput = SortOrders | (string & {});

/** One or more IDs: `accounts("a1")`, `accounts("a1", "a2")`, `accounts(["a1", "a2"])`. */
export type IdsInput = (string | readonly string[])[];

/** Options of {@link SessionQuery.describe}. */
export interface DescribeOptions {
  /**
   * Names of accounts by id (e.g. from `authStatus().accounts`), so the summary names the
   * accounts rather than showing bare ids: `account Acme Dental (a1)`.
   */
  accountNames?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
}

/** Options of {@link SessionQuery.parse}. */
export interface ParseOptions {
  /** Skip parameter names ListSessions does not have instead of rejecting them (default false). */
  ignoreUnknown?: boolean;
}

/** The first page (pages are 0-based on Evo Voice). */
export const DEFAULT_PAGE = 0;
/** The server's page size when `countPerPage` is not sent. */
export const DEFAULT_COUNT_PER_PAGE = 25;
/** Smallest accepted `countPerPage`. */
export const MIN_COUNT_PER_PAGE = 1;
/**
 * Largest accepted `countPerPage`. The server states no limit; pages of full sessions (with logs)
 * get large fast, and `all=true` exists for "everything", so bigger pages are treated as a mistake.
 */
export const MAX_COUNT_PER_PAGE = 1000;
/** Largest accepted `page`: the server's `int` is a 32-bit .NET Int32. */
export const MAX_PAGE = 2_147_483_647;

type ParamKind = "int" | "bool" | "list" | "text" | "date" | "sortField" | "sortOrder";

// Typed as a Record over every parameter so a parameter added to the model fails to compile here.
const PARAM_KINDS: Record<SessionQueryParam, ParamKind> = {
  page: "int",
  all: "bool",
  countPerPage: "int",
  specificIds: "list",
  sortField: "sortField",
  sortOrder: "sortOrder",
  simplifiedPaging: "bool",
  accountIds: "list",
  searchArchive: "bool",
  startDate: "date",
  endDate: "date",
  customerIds: "list",
  endpointIds: "list",
  from: "text",
  to: "text",
  log: "text",
  parentSessionId: "text",
};

const PARAM_BY_LOWER = new Map(ListSessionsParams.map((name) => [name.toLowerCase(), name]));
const SORT_FIELD_BY_LOWER = new Map(SessionInfoFields.map((name) => [name.toLowerCase(), name]));
const SORT_ORDER_BY_ALIAS = new Map<string, SortOrders>([
  ["ascend", "Ascend"],
  ["asc", "Ascend"],
  ["ascending", "Ascend"],
  ["descend", "Descend"],
  ["desc", "Descend"],
  ["descending", "Descend"],
]);
// ServiceStack's own format switch (`?format=json`) may travel with the parameters.
const IGNORED_NAMES = new Set(["format"]);
// With the `u` flag a well-formed pair is one code point, so this matches only lone halves,
// which cannot be URL-encoded (encodeURIComponent throws on them).
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const BRAND: unique symbol = Symbol.for("@evo-sessions/core.SessionQuery") as never;

/**
 * "typed": the builder, `fromParams` and `with` — values must have their declared JS type and a
 * string given for a list is one ID. "loose": `parse` — numbers and booleans may be text and a
 * string given for a list is a wire list (`a,b`, `[a,b]`, CSV-quoted elements).
 */
type Mode = "typed" | "loose";

/**
 * An immutable, validated set of ListSessions (`GET /sessions`) parameters.
 *
 * Every method returns a new query and leaves the receiver unchanged; bad input throws a
 * {@link QueryValidationError} (field, reason, value) from the method that received it.
 * Conventions: text filters (`from`, `to`, `log`, `parentSessionId`) and IDs are trimmed, and
 * empty text means "unset"; list setters replace the list (duplicates dropped, order kept) and
 * an empty list unsets it; `false` booleans are kept and sent as `false`.
 *
 * @example SessionQuery.create().from("555").between("2026-11-01", "2026-11-07").accounts("a1").newest()
 */
export class SessionQuery {
  /** Brand that lets {@link SessionQuery.isSessionQuery} recognise a query from another copy of core. */
  readonly [BRAND] = true;
  readonly #params: Readonly<ListSessions>;
  // The relative range startDate/endDate were set from, kept for describe() and post-filtering;
  // it never travels on the wire, so parse(toQueryString()) yields the UTC days without it.
  readonly #range: ResolvedRange | undefined;
  // Filters on the sessions read (missed, direction, …): never on the wire either.
  readonly #where: Readonly<SessionPredicates>;
  // Made on first use: a static initialiser that constructs the class breaks tsc's emit for
  // classes with computed members (it refers to the class before the binding exists).
  static #empty: SessionQuery | undefined;
  static get #EMPTY(): SessionQuery {
    return (SessionQuery.#empty ??= new SessionQuery(Object.freeze({}), undefined, NO_PREDICATES));
  }

  private constructor(
    params: Readonly<ListSessions>,
    range: ResolvedRange | undefined,
    where: Readonly<SessionPredicates>,
  ) {
    this.#params = params;
    this.#range = range === undefined ? undefined : freezeRange(range);
    this.#where = where;
    Object.freeze(this);
  }

  /** The empty query: every parameter unset (the server's defaults apply). */
  static create(): SessionQuery {
    return SessionQuery.#EMPTY;
  }

  /**
   * A query from a `ListSessions` object with exact (camelCase) names and typed values; `undefined`
   * and `null` mean unset. Throws {@link QueryValidationError} for an unknown name or a bad value.
   */
  static fromParams(params: ListSessions | Readonly<ListSessions>): SessionQuery {
    if (!isPlainObject(params)) {
      throw new QueryValidationError(
        "params",
        "must be an object of ListSessions parameters",
        params,
      );
    }
    const record = params as Record<string, unknown>;
    const changes: Partial<Record<SessionQueryParam, unknown>> = {};
    for (const key of Object.keys(record)) {
      // A nameless entry carries no parameter (the server skips `=x` too).
      if (key.trim() !== "") changes[exactParamName(key, record[key])] = record[key];
    }
    return SessionQuery.#EMPTY.#apply(changes, "typed");
  }

  /**
   * Reads parameters back from a query string (a leading `?`, or a whole `http(s)://…?…` URL, is
   * allowed), a `URLSearchParams`, or a plain object such as an assistant's tool input.
   * Names match in any letter case, as on the server; empty values are ignored; `format` is
   * ignored. Lists may be `a,b`, `[a,b]`, CSV-quoted elements, or (objects) arrays; a list given
   * several times is merged, as ServiceStack joins repeated keys. A single-valued parameter given
   * twice with different values is rejected (the server would see them comma-joined). Objects may
   * carry numbers or numeric text and booleans or `true`/`false`. Unknown names are rejected
   * (typo protection) unless `ignoreUnknown` is set.
   */
  static parse(
    input: string | URLSearchParams | Readonly<Record<string, unknown>> | SessionQuery,
    options: ParseOptions = {},
  ): SessionQuery {
    if (input instanceof SessionQuery) return input;
    if (SessionQuery.isSessionQuery(input)) return SessionQuery.fromParams(input.params);
    let entries: [string, unknown][];
    if (typeof input === "string") entries = [...searchParamsOf(input)];
    else if (input instanceof URLSearchParams) entries = [...input];
    else if (isPlainObject(input)) entries = Object.keys(input).map((key) => [key, input[key]]);
    else {
      throw new QueryValidationError(
        "query",
        "must be a query string, URLSearchParams or a plain object of ListSessions parameters",
        input,
      );
    }

    const merged: Partial<Record<SessionQueryParam, unknown>> = {};
    for (const [key, raw] of entries) {
      const lower = key.trim().toLowerCase();
      // A nameless value (`=x`) and the format switch are not filters; the server skips both.
      if (lower === "" || IGNORED_NAMES.has(lower)) continue;
      const name = PARAM_BY_LOWER.get(lower);
      if (name === undefined) {
        if (options.ignoreUnknown === true) continue;
        throw new QueryValidationError(
          key,
          `is not a ListSessions parameter (known: ${ListSessionsParams.join(", ")}); ` +
            "pass { ignoreUnknown: true } to skip unknown names",
          raw,
        );
      }
      const value = normaliseParam(name, raw, "loose");
      if (value === undefined) continue;
      const previous = merged[name];
      if (previous === undefined) merged[name] = value;
      else if (Array.isArray(previous)) merged[name] = [...previous, ...(value as string[])];
      else if (previous !== value) {
        throw new QueryValidationError(
          name,
          `was given more than once with different values (${JSON.stringify(previous)} and ${JSON.stringify(value)}); give it once`,
          raw,
        );
      }
    }
    return SessionQuery.#EMPTY.#apply(merged, "loose");
  }

  /** The query itself, or a validated query from a `ListSessions` object; the empty query for undefined. */
  static of(input?: SessionQuery | ListSessions | Readonly<ListSessions> | null): SessionQuery {
    if (input === undefined || input === null) return SessionQuery.#EMPTY;
    if (input instanceof SessionQuery) return input;
    if (SessionQuery.isSessionQuery(input)) {
      // Another copy of core: rebuild through the canonical form, which carries everything.
      const spec = (input as { toSpec?: () => SessionQuerySpec }).toSpec?.();
      return spec === undefined
        ? SessionQuery.fromParams(input.params)
        : SessionQuery.fromSpec(spec);
    }
    return SessionQuery.fromParams(input);
  }

  /** True for a SessionQuery, including one made by another copy of this package. */
  static isSessionQuery(value: unknown): value is SessionQuery {
    return (
      value instanceof SessionQuery ||
      (typeof value === "object" &&
        value !== null &&
        (value as { [BRAND]?: unknown })[BRAND] === true)
    );
  }

  /** The set parameters as a frozen plain object, in the seed's parameter order. */
  get params(): Readonly<ListSessions> {
    return this.#params;
  }

  /** True when no parameter is set. */
  get isEmpty(): boolean {
    return Object.keys(this.#params).length === 0;
  }

  /**
   * The relative range `startDate`/`endDate` came from ({@link SessionQuery.range}): its label,
   * local days, zone and exact instants. Undefined when the dates were set otherwise (or unset
   * since). Not part of the wire form: parsing the query string back gives the UTC days only.
   */
  get resolvedRange(): ResolvedRange | undefined {
    // A copy each time: its Dates are mutable, and the query must not be.
    return this.#range === undefined ? undefined : freezeRange(this.#range);
  }

  /**
   * True when a session lies in the query's relative range by its exact creation instant
   * (`dateCreated`); always true for a query without one. The server answers whole UTC days, so
   * a page of a `range()` query may hold sessions just outside the local days; this tells them apart.
   */
  matchesRange(session: { dateCreated?: string | null | undefined }): boolean {
    return this.#range === undefined || isWithinRange(this.#range, session.dateCreated);
  }

  /** The filters applied to the sessions read (missed, direction, channel, outcomes, …), frozen. */
  get where(): Readonly<SessionPredicates> {
    return this.#where;
  }

  /**
   * True when {@link SessionQuery.matches} can drop sessions the server returns: a filter the
   * server lacks is set, or the local-day window is narrower than the UTC days sent. Then the
   * server's totals no longer count the matches, and a scanner must read pages to find them.
   */
  get filtersLocally(): boolean {
    return (
      !noPredicates(this.#where) || (this.#range !== undefined && !alignedToUtcDays(this.#range))
    );
  }

  /**
   * True when a session is one this query asks for, beyond what the server filtered: it started
   * inside the local-day window (if any) and passes every {@link SessionQuery.where} filter. A
   * session whose start cannot be read is kept: the server already placed it in its days, and
   * hiding it would lose data nobody could see was lost.
   */
  matches(session: SessionInfo): boolean {
    if (this.#range !== undefined && parseEvoDate(session.dateCreated) !== undefined) {
      if (!isWithinRange(this.#range, session.dateCreated)) return false;
    }
    // Weekdays and hours are read in the window's zone unless the filter names one.
    return matchesPredicates(this.#where, session, this.#range?.timeZone);
  }

  /** Several session filters at once (see {@link SessionPredicates}); undefined unsets one. */
  filter(changes: Partial<Record<keyof SessionPredicates, unknown>>): SessionQuery {
    if (!isPlainObject(changes)) {
      throw new QueryValidationError("filters", "must be an object of session filters", changes);
    }
    return new SessionQuery(this.#params, this.#range, applyPredicates(this.#where, changes));
  }

  /** Only missed sessions (true), only the others (false), or either (undefined). */
  missed(...wanted: [] | [boolean | undefined]): SessionQuery {
    // Not a default parameter: `missed(undefined)` must unset, not mean `true`.
    return this.filter({ missed: wanted.length === 0 ? true : wanted[0] });
  }

  /** Only `Incoming` or `Outgoing` sessions (any letter case); undefined for both. */
  direction(direction: SessionDirections | (string & {}) | undefined): SessionQuery {
    return this.filter({ direction });
  }

  /** Only `Voice`, `Chat` or `Fax` sessions (any letter case); undefined for all. */
  channel(channel: FlowChannels | (string & {}) | undefined): SessionQuery {
    return this.filter({ channel });
  }

  /** Only sessions whose outcome text is one of these (whole words, any case); none for any. */
  outcomes(...outcomes: IdsInput): SessionQuery {
    return this.filter({ outcomes: outcomes.flat() });
  }

  /** Only sessions whose outcome class (core's facts) is one of these; none for any. */
  outcomeKinds(...kinds: (OutcomeKind | readonly OutcomeKind[])[]): SessionQuery {
    return this.filter({ outcomeKinds: kinds.flat() });
  }

  /**
   * The query in its canonical form: the server parameters, the local-day window and the
   * session filters, as plain JSON. {@link SessionQuery.fromSpec} reads it back to an equal
   * query (a cursor carries it so that "today" keeps meaning the same day while paging), and
   * {@link SessionQuery.key} hashes it.
   */
  toSpec(): SessionQuerySpec {
    const spec: SessionQuerySpec = { params: this.toJSON() };
    if (this.#range !== undefined) spec.window = windowSpec(this.#range);
    if (!noPredicates(this.#where))
      spec.where = JSON.parse(JSON.stringify(this.#where)) as SessionPredicates;
    return spec;
  }

  /** A query from {@link SessionQuery.toSpec}'s form, validated like every other input. */
  static fromSpec(spec: SessionQuerySpec): SessionQuery {
    if (!isPlainObject(spec) || !isPlainObject(spec.params)) {
      throw new QueryValidationError("query", "must be { params, window?, where? }", spec);
    }
    const params = SessionQuery.fromParams(spec.params);
    const range = spec.window === undefined ? undefined : readWindowSpec(spec.window);
    const where = applyPredicates(NO_PREDICATES, isPlainObject(spec.where) ? spec.where : {});
    return new SessionQuery(params.#params, range, where);
  }

  /** A stable text of the canonical form: equal queries have equal keys (for cursors and caches). */
  key(): string {
    return JSON.stringify(this.toSpec());
  }

  /**
   * Explicit local days `start`…`end` (inclusive, either may be undefined for an open end) in a
   * zone (default: the machine's): like {@link SessionQuery.range}, it sends the UTC days that
   * cover them and keeps the exact window, so the scanner drops sessions outside the local days.
   */
  localDays(
    start: string | undefined,
    end: string | undefined,
    options: { timeZone?: string } = {},
  ): SessionQuery {
    return this.#withWindow(resolveLocalDays(start, end, options));
  }

  /**
   * A window resolved elsewhere (another query's, shifted for a previous period, widened to
   * find callbacks): sends the UTC days that cover it and keeps it exactly, like range().
   */
  withWindow(window: ResolvedRange): SessionQuery {
    return this.#withWindow(readWindowSpec(windowSpec(window)));
  }

  #withWindow(resolved: ResolvedRange): SessionQuery {
    const next = this.#apply(
      {
        startDate: resolved.startDate === "" ? undefined : resolved.startDate,
        endDate: resolved.endDate === "" ? undefined : resolved.endDate,
      },
      "typed",
    );
    return new SessionQuery(next.#params, resolved, this.#where);
  }

  /** The 0-based page to fetch (0 is the first page): an integer from 0 to {@link MAX_PAGE}. */
  page(index: number): SessionQuery {
    return this.#apply({ page: index }, "typed");
  }

  /** Sessions per page: an integer from 1 to 1000 ({@link MAX_COUNT_PER_PAGE}); the server's default is 25. */
  perPage(count: number): SessionQuery {
    return this.#apply({ countPerPage: count }, "typed");
  }

  /** Ask for every matching session in one response ("use with care" says the API). */
  all(enabled = true): SessionQuery {
    return this.#apply({ all: enabled }, "typed");
  }

  /** Only these session IDs (`specificIds`); replaces any earlier list, none unsets it. */
  ids(...ids: IdsInput): SessionQuery {
    return this.#apply({ specificIds: ids.flat() }, "typed");
  }

  /**
   * Sort by a `SessionInfo` property (any letter case, normalised to its camelCase name) in the
   * given order. The order defaults to `Ascend`, which is also the server's default (the first
   * value of `SortOrders`), so `sortBy(f)` means the same whether or not the server fills it in.
   */
  sortBy(field: SessionSortField, order: SortOrderInput = "Ascend"): SessionQuery {
    return this.#apply({ sortField: field, sortOrder: order }, "typed");
  }

  /** Set only the sort order (`Ascend`/`Descend`, any case, or asc/desc). */
  sortOrder(order: SortOrderInput): SessionQuery {
    return this.#apply({ sortOrder: order }, "typed");
  }

  /** Newest first: sort by `dateCreated`, `Descend`. */
  newest(): SessionQuery {
    return this.sortBy("dateCreated", "Descend");
  }

  /** Oldest first: sort by `dateCreated`, `Ascend`. */
  oldest(): SessionQuery {
    return this.sortBy("dateCreated", "Ascend");
  }

  /** Skip `totalCount`/`totalPages` (faster); the response carries only `items` and `hasMorePages`. */
  simplifiedPaging(enabled = true): SessionQuery {
    return this.#apply({ simplifiedPaging: enabled }, "typed");
  }

  /** Only sessions of these accounts (`accountIds`); replaces any earlier list, none unsets it. */
  accounts(...ids: IdsInput): SessionQuery {
    return this.#apply({ accountIds: ids.flat() }, "typed");
  }

  /** Only sessions of these customers (`customerIds`); replaces any earlier list, none unsets it. */
  customers(...ids: IdsInput): SessionQuery {
    return this.#apply({ customerIds: ids.flat() }, "typed");
  }

  /** Only sessions of these endpoints (`endpointIds`); replaces any earlier list, none unsets it. */
  endpoints(...ids: IdsInput): SessionQuery {
    return this.#apply({ endpointIds: ids.flat() }, "typed");
  }

  /** Search archived sessions (older than about 15 days) instead of live ones (`searchArchive`). */
  archive(enabled = true): SessionQuery {
    return this.#apply({ searchArchive: enabled }, "typed");
  }

  /**
   * Sessions from `start` to `end`, both `YYYY-MM-DD` and inclusive. The API's time zone for these
   * is undocumented and taken as UTC; for local days use {@link SessionQuery.range}.
   */
  between(start: string, end: string): SessionQuery {
    return this.#apply({ startDate: start, endDate: end }, "typed");
  }

  /** First day (`startDate`, `YYYY-MM-DD`, inclusive, UTC); empty text unsets it. */
  since(start: string): SessionQuery {
    return this.#apply({ startDate: start }, "typed");
  }

  /** Last day (`endDate`, `YYYY-MM-DD`, inclusive, UTC); empty text unsets it. */
  until(end: string): SessionQuery {
    return this.#apply({ endDate: end }, "typed");
  }

  /** Same as {@link SessionQuery.since}. */
  startDate(start: string): SessionQuery {
    return this.since(start);
  }

  /** Same as {@link SessionQuery.until}. */
  endDate(end: string): SessionQuery {
    return this.until(end);
  }

  /**
   * A relative range of local days such as `"today"`, `"last-7-days"` or `{ lastDays: 7 }`, in the
   * given IANA time zone (default: the machine's) at the given clock (default: now). Sends the
   * UTC days that cover the local range (the API's days), which may reach one day further; the
   * query keeps the range itself ({@link SessionQuery.resolvedRange}) so that describe() names the
   * local days, iterateSessions keeps only sessions inside them, and
   * {@link SessionQuery.matchesRange} filters a page. Setting a date later drops the range.
   */
  range(preset: RelativeRangePreset, options: RelativeRangeOptions = {}): SessionQuery {
    return this.#withWindow(resolveRelativeRange(preset, options));
  }

  /** Sessions whose from address contains this text; empty text unsets it. */
  from(text: string): SessionQuery {
    return this.#apply({ from: text }, "typed");
  }

  /** Sessions whose to address contains this text; empty text unsets it. */
  to(text: string): SessionQuery {
    return this.#apply({ to: text }, "typed");
  }

  /** Sessions whose log contains this text (`log`); empty text unsets it. */
  logContains(text: string): SessionQuery {
    return this.#apply({ log: text }, "typed");
  }

  /** Child sessions of this session (`parentSessionId`); empty text unsets it. */
  parent(sessionId: string): SessionQuery {
    return this.#apply({ parentSessionId: sessionId }, "typed");
  }

  /** Set several parameters at once with typed values; a key given as `undefined` is unset. */
  with(changes: Partial<ListSessions>): SessionQuery {
    if (!isPlainObject(changes)) {
      throw new QueryValidationError(
        "params",
        "must be an object of ListSessions parameters",
        changes,
      );
    }
    const record = changes as Record<string, unknown>;
    const named: Partial<Record<SessionQueryParam, unknown>> = {};
    for (const key of Object.keys(record)) named[exactParamName(key, record[key])] = record[key];
    return this.#apply(named, "typed");
  }

  /** Unset the named parameters (any letter case). */
  without(...names: SessionQueryParam[]): SessionQuery {
    const changes: Partial<Record<SessionQueryParam, unknown>> = {};
    for (const name of names) {
      const param = typeof name === "string" ? PARAM_BY_LOWER.get(name.toLowerCase()) : undefined;
      if (param === undefined) {
        throw new QueryValidationError(String(name), "is not a ListSessions parameter", name);
      }
      changes[param] = undefined;
    }
    return this.#apply(changes, "typed");
  }

  /** The empty query. */
  clear(): SessionQuery {
    return SessionQuery.#EMPTY;
  }

  /**
   * True when both set exactly the same parameters to the same values (list order matters) and
   * carry the same relative range, if any (the same local days, zone and instants).
   */
  equals(other: SessionQuery | ListSessions | Readonly<ListSessions>): boolean {
    let theirs: Readonly<ListSessions>;
    let theirRange: ResolvedRange | undefined;
    let theirWhere: Readonly<SessionPredicates>;
    try {
      const query = SessionQuery.of(other);
      theirs = query.params;
      theirRange = query.#range;
      theirWhere = query.#where;
    } catch {
      return false;
    }
    if (!sameRange(this.#range, theirRange)) return false;
    if (JSON.stringify(this.#where) !== JSON.stringify(theirWhere)) return false;
    const mine = this.#params as Record<string, unknown>;
    const their = theirs as Record<string, unknown>;
    const keys = Object.keys(mine);
    if (keys.length !== Object.keys(their).length) return false;
    return keys.every((key) => {
      const a = mine[key];
      const b = their[key];
      if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((item, i) => item === b[i]);
      }
      return a === b;
    });
  }

  /** The parameters as the server reads them, in the seed's order: lists comma-joined, booleans `true`/`false`. */
  toSearchParams(): URLSearchParams {
    return new URLSearchParams(this.#wireEntries());
  }

  /**
   * The query string without the leading `?`, in the seed's parameter order, e.g.
   * `accountIds=a1,a2&from=555`. Commas stay readable (they are legal in a query); everything
   * else is percent-encoded, spaces as `%20`. Decodes to exactly {@link SessionQuery.toSearchParams}.
   */
  toQueryString(): string {
    return this.#wireEntries()
      .map(([name, value]) => `${name}=${encodeURIComponent(value).replaceAll("%2C", ",")}`)
      .join("&");
  }

  /** The set parameters (for `JSON.stringify`). */
  toJSON(): ListSessions {
    return { ...this.#params } as ListSessions;
  }

  /** The query string, see {@link SessionQuery.toQueryString}. */
  toString(): string {
    return this.toQueryString();
  }

  /**
   * A one-line English summary of the active filters, independent of the machine's locale, e.g.
   * `from contains "555" · 1–7 Nov 2026 · archive · newest first`; `all sessions` when nothing is
   * set. Paging appears only when it differs from the server's defaults (page 0, 25 per page).
   * Dates are the API's days (taken as UTC), except for a relative range, which reads as asked:
   * `today (2 Nov 2026, America/New_York)`. Accounts are named when `accountNames` knows them.
   */
  describe(options: DescribeOptions = {}): string {
    const p = this.#params;
    const names = accountNameLookup(options.accountNames);
    const parts: string[] = [];
    if (p.specificIds) {
      const [only] = p.specificIds;
      parts.push(
        p.specificIds.length === 1 && only !== undefined
          ? describeIds("session", [only])
          : `${p.specificIds.length} specific sessions`,
      );
    }
    if (p.accountIds) parts.push(describeIds("account", p.accountIds, names));
    if (p.customerIds) parts.push(describeIds("customer", p.customerIds));
    if (p.endpointIds) parts.push(describeIds("endpoint", p.endpointIds));
    if (p.from !== undefined) parts.push(`from contains ${quoteText(p.from)}`);
    if (p.to !== undefined) parts.push(`to contains ${quoteText(p.to)}`);
    if (p.log !== undefined) parts.push(`log contains ${quoteText(p.log)}`);
    if (p.parentSessionId !== undefined)
      parts.push(`children of session ${quoteId(p.parentSessionId)}`);
    const span = this.#range?.label ?? describeDateSpan(p.startDate, p.endDate);
    if (span !== undefined) parts.push(span);
    if (p.searchArchive === true) parts.push("archive");
    parts.push(...describePredicates(this.#where));
    const sort = describeSort(p.sortField, p.sortOrder);
    if (sort !== undefined) parts.push(sort);
    if (p.all === true) parts.push("all at once");
    if (p.page !== undefined && p.page !== DEFAULT_PAGE) parts.push(`page ${p.page} (0-based)`);
    if (p.countPerPage !== undefined && p.countPerPage !== DEFAULT_COUNT_PER_PAGE) {
      parts.push(`${p.countPerPage} per page`);
    }
    if (p.simplifiedPaging === true) parts.push("simplified paging");
    return parts.length === 0 ? "all sessions" : parts.join(" · ");
  }

  #wireEntries(): [string, string][] {
    const out: [string, string][] = [];
    const params = this.#params as Record<string, unknown>;
    for (const name of ListSessionsParams) {
      const value = params[name];
      if (value === undefined) continue;
      out.push([name, Array.isArray(value) ? formatWireList(value as string[]) : String(value)]);
    }
    return out;
  }

  #apply(changes: Partial<Record<SessionQueryParam, unknown>>, mode: Mode): SessionQuery {
    const next: Record<string, unknown> = { ...this.#params };
    for (const name of Object.keys(changes) as SessionQueryParam[]) {
      const value = normaliseParam(name, changes[name], mode);
      if (value === undefined) delete next[name];
      else next[name] = value;
    }
    checkDateOrder(next, changes);
    const ordered: Record<string, unknown> = {};
    for (const name of ListSessionsParams) {
      const value = next[name];
      if (value !== undefined)
        ordered[name] = Array.isArray(value) ? Object.freeze([...value]) : value;
    }
    // Dates set by other means no longer mean the relative range.
    const keepsRange = !("startDate" in changes) && !("endDate" in changes);
    return new SessionQuery(
      Object.freeze(ordered) as Readonly<ListSessions>,
      keepsRange ? this.#range : undefined,
      this.#where,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function exactParamName(key: string, value: unknown): SessionQueryParam {
  if (Object.hasOwn(PARAM_KINDS, key)) return key as SessionQueryParam;
  const near = PARAM_BY_LOWER.get(key.trim().toLowerCase());
  throw new QueryValidationError(
    key,
    near === undefined
      ? `is not a ListSessions parameter (known: ${ListSessionsParams.join(", ")})`
      : `is not a ListSessions parameter; did you mean ${near}?`,
    value,
  );
}

function searchParamsOf(text: string): URLSearchParams {
  let query = text.trim();
  if (/^https?:\/\//i.test(query)) {
    try {
      return new URL(query).searchParams;
    } catch {
      throw new QueryValidationError("query", "is not a valid URL", text);
    }
  }
  if (query.startsWith("/")) {
    const mark = query.indexOf("?");
    query = mark === -1 ? "" : query.slice(mark + 1);
  }
  return new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
}

/** Validates one value and returns its canonical form, or undefined for "unset". */
function normaliseParam(name: SessionQueryParam, value: unknown, mode: Mode): unknown {
  if (value === undefined || value === null) return undefined;
  switch (PARAM_KINDS[name]) {
    case "int":
      return normaliseInt(name as "page" | "countPerPage", value, mode);
    case "bool":
      return normaliseBool(name, value, mode);
    case "list":
      return normaliseList(name, value, mode);
    case "text":
      return normaliseText(name, value, mode);
    case "date":
      return normaliseDate(name, value);
    case "sortField":
      return normaliseSortField(value);
    case "sortOrder":
      return normaliseSortOrder(value);
  }
}

function normaliseInt(
  name: "page" | "countPerPage",
  value: unknown,
  mode: Mode,
): number | undefined {
  const [min, max] = name === "page" ? [0, MAX_PAGE] : [MIN_COUNT_PER_PAGE, MAX_COUNT_PER_PAGE];
  const range =
    name === "page"
      ? `must be an integer from 0 to ${MAX_PAGE} (pages are 0-based: the first page is 0)`
      : `must be an integer from ${MIN_COUNT_PER_PAGE} to ${MAX_COUNT_PER_PAGE}`;
  let number: number;
  if (typeof value === "number") number = value;
  else if (mode === "loose" && typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    if (!/^[+-]?\d+$/.test(text)) throw new QueryValidationError(name, range, value);
    number = Number(text);
  } else throw new QueryValidationError(name, range, value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new QueryValidationError(name, range, value);
  }
  return number === 0 ? 0 : number; // folds -0 into 0
}

function normaliseBool(name: SessionQueryParam, value: unknown, mode: Mode): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (mode === "loose" && typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "") return undefined;
    if (text === "true") return true;
    if (text === "false") return false;
  }
  throw new QueryValidationError(name, "must be true or false", value);
}

function normaliseList(name: SessionQueryParam, value: unknown, mode: Mode): string[] | undefined {
  let items: unknown[];
  if (typeof value === "string") {
    // The server drops empty elements of a wire list, so blank ones are not an error there.
    items = mode === "loose" ? parseWireList(value).filter((item) => item.trim() !== "") : [value];
  } else if (Array.isArray(value)) items = value;
  else throw new QueryValidationError(name, "must be a list of IDs", value);
  const ids = new Set<string>();
  for (const item of items) {
    if (typeof item !== "string")
      throw new QueryValidationError(name, "every ID must be a string", value);
    const id = item.trim();
    if (id === "") throw new QueryValidationError(name, "IDs must not be blank", value);
    checkUnicode(name, id, value);
    ids.add(id);
  }
  return ids.size === 0 ? undefined : [...ids];
}

function normaliseText(name: SessionQueryParam, value: unknown, mode: Mode): string | undefined {
  // Assistants send phone numbers as numbers; the filter is a text search either way.
  const raw =
    mode === "loose" && typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof raw !== "string") throw new QueryValidationError(name, "must be text", value);
  const text = raw.trim();
  if (text === "") return undefined;
  checkUnicode(name, text, value);
  return text;
}

function normaliseDate(name: SessionQueryParam, value: unknown): string | undefined {
  if (typeof value !== "string")
    throw new QueryValidationError(name, "must be a date written YYYY-MM-DD", value);
  const text = value.trim();
  if (text === "") return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new QueryValidationError(name, "must be a date written YYYY-MM-DD", value);
  }
  if (!isCalendarDate(text))
    throw new QueryValidationError(name, "is not a real calendar date", value);
  return text;
}

function normaliseSortField(value: unknown): string | undefined {
  const reason = `must be a SessionInfo property such as dateCreated (one of: ${SessionInfoFields.join(", ")})`;
  if (typeof value !== "string") throw new QueryValidationError("sortField", reason, value);
  const text = value.trim();
  if (text === "") return undefined;
  const field = SORT_FIELD_BY_LOWER.get(text.toLowerCase());
  if (field === undefined) throw new QueryValidationError("sortField", reason, value);
  return field;
}

function normaliseSortOrder(value: unknown): SortOrders | undefined {
  const reason = "must be Ascend or Descend";
  if (typeof value !== "string") throw new QueryValidationError("sortOrder", reason, value);
  const text = value.trim();
  if (text === "") return undefined;
  const order = SORT_ORDER_BY_ALIAS.get(text.toLowerCase());
  if (order === undefined) throw new QueryValidationError("sortOrder", reason, value);
  return order;
}

function checkUnicode(name: SessionQueryParam, text: string, value: unknown): void {
  if (LONE_SURROGATE.test(text)) {
    throw new QueryValidationError(
      name,
      "must be valid Unicode text (it holds an unpaired surrogate)",
      value,
    );
  }
}

function checkDateOrder(
  next: Record<string, unknown>,
  changes: Partial<Record<SessionQueryParam, unknown>>,
): void {
  const start = next.startDate as string | undefined;
  const end = next.endDate as string | undefined;
  // Same-length YYYY-MM-DD text compares like the dates it holds.
  if (start === undefined || end === undefined || start <= end) return;
  // Blame the parameter that was just set; when both were, the start.
  if ("endDate" in changes && !("startDate" in changes)) {
    throw new QueryValidationError(
      "endDate",
      `must not be before startDate ${start}`,
      changes.endDate,
    );
  }
  throw new QueryValidationError(
    "startDate",
    `must not be after endDate ${end}`,
    changes.startDate ?? start,
  );
}

function describeIds(
  noun: string,
  ids: readonly string[],
  nameOf: (id: string) => string | undefined = () => undefined,
): string {
  const shown = ids
    .slice(0, 3)
    .map((id) => {
      const name = nameOf(id)?.trim();
      return name === undefined || name === "" || name === id
        ? quoteId(id)
        : `${quoteName(name)} (${quoteId(id)})`;
    })
    .join(", ");
  const more = ids.length > 3 ? ` +${ids.length - 3} more` : "";
  return `${noun}${ids.length === 1 ? "" : "s"} ${shown}${more}`;
}

// An ID holding a comma, quote, space or control character is quoted so the summary stays one
// unambiguous line.
function quoteId(id: string): string {
  return /[\s",\p{C}]/u.test(id) ? JSON.stringify(id) : id;
}

// A name is shown bare unless it could blur the summary's separators.
function quoteName(name: string): string {
  const short = name.length > 60 ? `${name.slice(0, 59)}…` : name;
  return /[",()·\p{C}]/u.test(short) ? JSON.stringify(short) : short;
}

function accountNameLookup(
  names: DescribeOptions["accountNames"],
): (id: string) => string | undefined {
  if (names === undefined || names === null) return () => undefined;
  if (names instanceof Map) return (id) => stringOrUndefined(names.get(id));
  if (typeof names !== "object") {
    throw new QueryValidationError(
      "accountNames",
      "must be an object or a Map of account names by id",
      names,
    );
  }
  const record = names as Readonly<Record<string, unknown>>;
  return (id) => (Object.hasOwn(record, id) ? stringOrUndefined(record[id]) : undefined);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

const NO_PREDICATES: Readonly<SessionPredicates> = Object.freeze({});

/** The canonical, JSON form of a query (see {@link SessionQuery.toSpec}). */
export interface SessionQuerySpec {
  params: ListSessions;
  window?: SessionWindowSpec;
  where?: SessionPredicates;
}

/** A resolved local-day window as JSON: instants as ISO 8601 UTC text. */
export interface SessionWindowSpec extends Omit<ResolvedRange, "from" | "to"> {
  from: string;
  to: string;
}

function windowSpec(range: ResolvedRange): SessionWindowSpec {
  return { ...range, from: range.from.toISOString(), to: range.to.toISOString() };
}

function readWindowSpec(value: unknown): ResolvedRange {
  const spec = value as Partial<Record<keyof SessionWindowSpec, unknown>>;
  const texts = [
    "preset",
    "label",
    "timeZone",
    "localStartDate",
    "localEndDate",
    "startDate",
    "endDate",
  ] as const;
  const from = typeof spec.from === "string" ? new Date(spec.from) : undefined;
  const to = typeof spec.to === "string" ? new Date(spec.to) : undefined;
  if (
    !isPlainObject(value) ||
    texts.some((name) => typeof spec[name] !== "string") ||
    from === undefined ||
    to === undefined ||
    Number.isNaN(from.getTime()) ||
    Number.isNaN(to.getTime()) ||
    from.getTime() > to.getTime() ||
    !isValidTimeZone(String(spec.timeZone))
  ) {
    throw new QueryValidationError("window", "must be a window from SessionQuery.toSpec()", value);
  }
  return { ...(value as unknown as ResolvedRange), from, to };
}

/** True when a window starts and ends on UTC midnights (or is open): the server's days are exact. */
function alignedToUtcDays(range: ResolvedRange): boolean {
  const aligned = (date: Date) =>
    !Number.isFinite(date.getTime()) || date.getTime() % 86_400_000 === 0;
  return aligned(range.from) && aligned(range.to);
}

function freezeRange(range: ResolvedRange): ResolvedRange {
  // Dates are mutable; the query is not, so it keeps copies.
  return Object.freeze({ ...range, from: new Date(range.from), to: new Date(range.to) });
}

function sameRange(a: ResolvedRange | undefined, b: ResolvedRange | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.preset === b.preset &&
    a.timeZone === b.timeZone &&
    a.localStartDate === b.localStartDate &&
    a.localEndDate === b.localEndDate &&
    a.from.getTime() === b.from.getTime() &&
    a.to.getTime() === b.to.getTime()
  );
}

function quoteText(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 59)}…` : text);
}

function describeSort(
  field: string | undefined,
  order: SortOrders | undefined,
): string | undefined {
  if (field === "dateCreated" && order !== undefined)
    return order === "Descend" ? "newest first" : "oldest first";
  if (field !== undefined)
    return `sorted by ${field}${order === undefined ? "" : order === "Descend" ? " descending" : " ascending"}`;
  if (order !== undefined) return order === "Descend" ? "descending order" : "ascending order";
  return undefined;
}
