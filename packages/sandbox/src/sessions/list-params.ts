import { SessionInfoFields, isCalendarDate, parseEvoDate, parseWireList } from "@evo-sessions/core";
import type { SandboxBehaviour } from "../types.js";

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

const SORT_FIELDS = new Map<string, string>(
  SessionInfoFields.map((name) => [name.toLowerCase(), name]),
);

/** Finds a SessionInfo property by name in any letter case. */
export function canonicalSortField(name: string): string | undefined {
  return SORT_FIELDS.get(name.trim().toLowerCase());
}

/**
 * Reads every ListSessions parameter the way ServiceStack binds a query string: names in any
 * letter case, empty values ignored, unknown names ignored, lists comma-separated or `[a,b]`.
 */
export function parseListSessions(
  params: URLSearchParams,
  behaviour: Pick<SandboxBehaviour, "unknownSortField">,
): { ok: true; request: ListSessionsRequest } | { ok: false; rejection: ListSessionsRejection } {
  // For a single value the last non-empty occurrence wins, keeping the name as sent (error
  // messages echo it). A repeated list parameter (`accountIds=a&accountIds=b`) keeps every
  // occurrence: .NET's query collection joins repeated keys with commas, and clients that
  // repeat keys mean "all of these" (the real server's handling is not documented).
  const raw = new Map<string, { name: string; value: string; all: string[] }>();
  for (const [name, value] of params) {
    if (value.trim() === "") continue;
    const key = name.toLowerCase();
    raw.set(key, { name, value, all: [...(raw.get(key)?.all ?? []), value] });
  }
  const bindingErrors: FieldError[] = [];
  const validationErrors: FieldError[] = [];
  const invalid = (name: string, value: string): void => {
    bindingErrors.push({
      errorCode: "SerializationException",
      fieldName: name,
      message: `'${value}' is an Invalid value for '${name}'`,
    });
  };
  const int = (key: string): number | undefined => {
    const entry = raw.get(key.toLowerCase());
    if (entry === undefined) return undefined;
    const text = entry.value.trim();
    const value = /^[+-]?\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(value) || Math.abs(value) > INT32_MAX) {
      invalid(entry.name, entry.value);
      return undefined;
    }
    return value;
  };
  const bool = (key: string): boolean | undefined => {
    const entry = raw.get(key.toLowerCase());
    if (entry === undefined) return undefined;
    const text = entry.value.trim().toLowerCase();
    // .NET reads true/false in any case; 1/0 are accepted too, as some query builders send them.
    if (text === "true" || text === "1") return true;
    if (text === "false" || text === "0") return false;
    invalid(entry.name, entry.value);
    return undefined;
  };
  const text = (key: string): string | undefined =>
    raw.get(key.toLowerCase())?.value.trim() || undefined;
  const list = (key: string): string[] | undefined => {
    const entry = raw.get(key.toLowerCase());
    if (entry === undefined) return undefined;
    const values = entry.all.flatMap((value) => parseWireList(value));
    return values.length === 0 ? undefined : values;
  };
  const day = (key: string, label: string): number | undefined => {
    const entry = raw.get(key.toLowerCase());
    if (entry === undefined) return undefined;
    const value = entry.value.trim();
    // The documented form is YYYY-MM-DD; a full ISO timestamp counts as its UTC day, since
    // the server parses the string with .NET's lenient DateTime parser.
    const date = isCalendarDate(value)
      ? new Date(`${value}T00:00:00Z`)
      : value.length > 10
        ? parseEvoDate(value)
        : undefined;
    if (date === undefined) {
      validationErrors.push({
        errorCode: "Predicate",
        fieldName: entry.name,
        message: `'${label}' must be a date written YYYY-MM-DD, e.g. 2026-01-31 (got '${value}').`,
      });
      return undefined;
    }
    return Math.floor(date.getTime() / DAY_MS) * DAY_MS;
  };

  const page = int("page");
  const countPerPage = int("countPerPage");
  const all = bool("all");
  const simplifiedPaging = bool("simplifiedPaging");
  const searchArchive = bool("searchArchive");
  let sortOrder: "Ascend" | "Descend" | undefined;
  const orderEntry = raw.get("sortorder");
  if (orderEntry !== undefined) {
    // .NET's Enum.Parse: names in any case, or the underlying number.
    const value = orderEntry.value.trim().toLowerCase();
    if (value === "ascend" || value === "0") sortOrder = "Ascend";
    else if (value === "descend" || value === "1") sortOrder = "Descend";
    else invalid(orderEntry.name, orderEntry.value);
  }
  if (bindingErrors.length > 0)
    return { ok: false, rejection: { kind: "binding", errors: bindingErrors } };

  if (page !== undefined && page < 0) {
    validationErrors.push({
      errorCode: "GreaterThanOrEqual",
      fieldName: raw.get("page")?.name ?? "page",
      message: `'Page' must be greater than or equal to '0' (pages are 0-based; got '${page}').`,
    });
  }
  if (countPerPage !== undefined && countPerPage < 1) {
    validationErrors.push({
      errorCode: "GreaterThan",
      fieldName: raw.get("countperpage")?.name ?? "countPerPage",
      message: `'Count Per Page' must be greater than '0' (got '${countPerPage}').`,
    });
  }
  let sortField: string | undefined;
  const sortEntry = raw.get("sortfield");
  if (sortEntry !== undefined) {
    sortField = canonicalSortField(sortEntry.value);
    if (sortField === undefined && behaviour.unknownSortField === "reject") {
      validationErrors.push({
        errorCode: "Predicate",
        fieldName: sortEntry.name,
        message: `'Sort Field' must name a property of SessionInfo, e.g. dateCreated (got '${sortEntry.value.trim()}').`,
      });
    }
  }
  const startMs = day("startDate", "Start Date");
  const endDay = day("endDate", "End Date");
  if (validationErrors.length > 0)
    return { ok: false, rejection: { kind: "validation", errors: validationErrors } };

  const lower = (value: string | undefined): string | undefined => value?.toLowerCase();
  const set = (values: string[] | undefined): Set<string> | undefined =>
    values === undefined ? undefined : new Set(values);
  return {
    ok: true,
    request: {
      page: page ?? 0,
      countPerPage: countPerPage ?? DEFAULT_COUNT_PER_PAGE,
      all: all ?? false,
      simplifiedPaging: simplifiedPaging ?? false,
      specificIds: set(list("specificIds")),
      sortField,
      sortOrder,
      accountIds: list("accountIds"),
      searchArchive: searchArchive ?? false,
      startMs,
      endMsExclusive: endDay === undefined ? undefined : endDay + DAY_MS,
      customerIds: set(list("customerIds")),
      endpointIds: set(list("endpointIds")),
      from: lower(text("from")),
      to: lower(text("to")),
      log: lower(text("log")),
      parentSessionId: text("parentSessionId"),
    },
  };
}
