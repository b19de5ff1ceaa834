import type { SandboxBehaviour } from "../types.js";
import { parseCalendarDay, parseWireDate, utcDayOf } from "../wire/dates.js";
import { parseWireList } from "../wire/list.js";
import { sessionInfoField } from "../wire/session-fields.js";

const DAY_MS = 86_400_000;
const INT32_MAX = 2_147_483_647;
/** ListRequest's default page size (API-NOTES). */
export const DEFAULT_COUNT_PER_PAGE = 25;

/** One entry of ServiceStack's `responseStatus.errors`. */
export interface FieldError {
  errorCode: string;
  fieldName: string;
  message: string;
}

/** A ListSessions request with every parameter read and checked. */
export interface ListSessionsRequest {
  page: number;
  countPerPage: number;
  all: boolean;
  simplifiedPaging: boolean;
  specificIds: Set<string> | undefined;
  /** The SessionInfo property to sort by, in its documented spelling; undefined = default order. */
  sortField: string | undefined;
  sortOrder: "Ascend" | "Descend" | undefined;
  accountIds: string[] | undefined;
  searchArchive: boolean;
  /** First instant included (UTC midnight of startDate). */
  startMs: number | undefined;
  /** First instant excluded (UTC midnight after endDate). */
  endMsExclusive: number | undefined;
  customerIds: Set<string> | undefined;
  endpointIds: Set<string> | undefined;
  /** Lower-cased contains filters. */
  from: string | undefined;
  to: string | undefined;
  log: string | undefined;
  parentSessionId: string | undefined;
}

/** Why a request was rejected: ServiceStack's binding failure or a failed validation. */
export interface ListSessionsRejection {
  kind: "binding" | "validation";
  errors: FieldError[];
}

/** The outcome of reading a ListSessions query string. */
export type ListSessionsParse =
  { ok: true; request: ListSessionsRequest } | { ok: false; rejection: ListSessionsRejection };

/** A parameter as sent: its name in the caller's spelling, its last value and every value. */
interface RawParam {
  name: string;
  value: string;
  all: string[];
}

/**
 * Reads parameters the way ServiceStack binds a query string and collects what is wrong with
 * them: binding errors (a value of the wrong type) and validation errors (a value out of range).
 */
export class ParamReader {
  readonly bindingErrors: FieldError[] = [];
  readonly validationErrors: FieldError[] = [];
  private readonly raw = new Map<string, RawParam>();

  constructor(params: URLSearchParams) {
    // Names match in any letter case; empty values are ignored. For a single value the last
    // non-empty occurrence wins, keeping the name as sent (error messages echo it). A repeated
    // list parameter (`accountIds=a&accountIds=b`) keeps every occurrence: .NET's query
    // collection joins repeated keys with commas, and clients that repeat keys mean "all of
    // these" (the real server's handling is not documented).
    for (const [name, value] of params) {
      if (value.trim() === "") continue;
      const key = name.toLowerCase();
      this.raw.set(key, { name, value, all: [...(this.raw.get(key)?.all ?? []), value] });
    }
  }

  /** The parameter's name as the caller spelled it, or `fallback` when it was not sent. */
  nameOf(key: string, fallback = key): string {
    return this.raw.get(key.toLowerCase())?.name ?? fallback;
  }

  int(key: string): number | undefined {
    const entry = this.get(key);
    if (entry === undefined) return undefined;
    const text = entry.value.trim();
    const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isInteger(value) && Math.abs(value) <= INT32_MAX) return value;
    return this.unbindable(entry);
  }

  bool(key: string): boolean | undefined {
    const entry = this.get(key);
    if (entry === undefined) return undefined;
    const text = entry.value.trim().toLowerCase();
    // .NET reads true/false in any case; 1/0 are accepted too, as some query builders send them.
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    return this.unbindable(entry);
  }

  sortOrder(): "Ascend" | "Descend" | undefined {
    const entry = this.get("sortOrder");
    if (entry === undefined) return undefined;
    // .NET's Enum.Parse: names in any case, or the underlying number.
    const value = entry.value.trim().toLowerCase();
    if (value === "ascend" || value === "0") return "Ascend";
    if (value === "descend" || value === "1") return "Descend";
    return this.unbindable(entry);
  }

  text(key: string): string | undefined {
    return this.get(key)?.value.trim() || undefined;
  }

  list(key: string): string[] | undefined {
    const values = this.get(key)?.all.flatMap((value) => parseWireList(value)) ?? [];
    return values.length === 0 ? undefined : values;
  }

  /** A day parameter as its UTC midnight. */
  day(key: string, label: string): number | undefined {
    const entry = this.get(key);
    if (entry === undefined) return undefined;
    const value = entry.value.trim();
    // The documented form is YYYY-MM-DD; a full timestamp (ISO or WCF) counts as its UTC day,
    // since the server parses the string with .NET's lenient DateTime parser.
    const instant = value.length > 10 ? parseWireDate(value)?.getTime() : undefined;
    const day = parseCalendarDay(value) ?? (instant === undefined ? undefined : utcDayOf(instant));
    if (day !== undefined) return day;
    const message = `'${label}' must be a date written YYYY-MM-DD, e.g. 2026-01-31 (got '${value}').`;
    this.invalid("Predicate", entry.name, message);
    return undefined;
  }

  sortField(unknownSortField: SandboxBehaviour["unknownSortField"]): string | undefined {
    const entry = this.get("sortField");
    if (entry === undefined) return undefined;
    const field = sessionInfoField(entry.value);
    if (field === undefined && unknownSortField === "reject") {
      const got = entry.value.trim();
      const message = `'Sort Field' must name a property of SessionInfo, e.g. dateCreated (got '${got}').`;
      this.invalid("Predicate", entry.name, message);
    }
    return field;
  }

  /** Records a validation error (FluentValidation's codes). */
  invalid(errorCode: string, fieldName: string, message: string): void {
    this.validationErrors.push({ errorCode, fieldName, message });
  }

  private get(key: string): RawParam | undefined {
    return this.raw.get(key.toLowerCase());
  }

  private unbindable(entry: RawParam): undefined {
    this.bindingErrors.push({
      errorCode: "SerializationException",
      fieldName: entry.name,
      message: `'${entry.value}' is an Invalid value for '${entry.name}'`,
    });
    return undefined;
  }
}

/** The typed scalars, read first: a value that does not bind fails the request before validation. */
function bindScalars(reader: ParamReader) {
  return {
    page: reader.int("page"),
    countPerPage: reader.int("countPerPage"),
    all: reader.bool("all"),
    simplifiedPaging: reader.bool("simplifiedPaging"),
    searchArchive: reader.bool("searchArchive"),
    sortOrder: reader.sortOrder(),
  };
}

function validatePaging(
  reader: ParamReader,
  page: number | undefined,
  countPerPage: number | undefined,
): void {
  if (page !== undefined && page < 0) {
    const message = `'Page' must be greater than or equal to '0' (pages are 0-based; got '${page}').`;
    reader.invalid("GreaterThanOrEqual", reader.nameOf("page"), message);
  }
  if (countPerPage !== undefined && countPerPage < 1) {
    const message = `'Count Per Page' must be greater than '0' (got '${countPerPage}').`;
    reader.invalid("GreaterThan", reader.nameOf("countPerPage"), message);
  }
}

function toSet(values: string[] | undefined): Set<string> | undefined {
  return values === undefined ? undefined : new Set(values);
}

/**
 * Reads every ListSessions parameter the way ServiceStack binds a query string: names in any
 * letter case, empty values ignored, unknown names ignored, lists comma-separated or `[a,b]`.
 */
export function parseListSessions(
  params: URLSearchParams,
  behaviour: Pick<SandboxBehaviour, "unknownSortField">,
): ListSessionsParse {
  const reader = new ParamReader(params);
  const scalars = bindScalars(reader);
  if (reader.bindingErrors.length > 0)
    return { ok: false, rejection: { kind: "binding", errors: reader.bindingErrors } };

  validatePaging(reader, scalars.page, scalars.countPerPage);
  const sortField = reader.sortField(behaviour.unknownSortField);
  const startMs = reader.day("startDate", "Start Date");
  const endDay = reader.day("endDate", "End Date");
  if (reader.validationErrors.length > 0)
    return { ok: false, rejection: { kind: "validation", errors: reader.validationErrors } };

  return {
    ok: true,
    request: {
      page: scalars.page ?? 0,
      countPerPage: scalars.countPerPage ?? DEFAULT_COUNT_PER_PAGE,
      all: scalars.all ?? false,
      simplifiedPaging: scalars.simplifiedPaging ?? false,
      specificIds: toSet(reader.list("specificIds")),
      sortField,
      sortOrder: scalars.sortOrder,
      accountIds: reader.list("accountIds"),
      searchArchive: scalars.searchArchive ?? false,
      startMs,
      endMsExclusive: endDay === undefined ? undefined : endDay + DAY_MS,
      customerIds: toSet(reader.list("customerIds")),
      endpointIds: toSet(reader.list("endpointIds")),
      from: reader.text("from")?.toLowerCase(),
      to: reader.text("to")?.toLowerCase(),
      log: reader.text("log")?.toLowerCase(),
      parentSessionId: reader.text("parentSessionId"),
    },
  };
}
