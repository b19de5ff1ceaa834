import { DEFAULT_COUNT_PER_PAGE, ParamReader } from "../sessions/list-params.js";
import type { SandboxBehaviour } from "../types.js";
import { jsonError, type PlannedResponse } from "./responses.js";
import { compareKeys, sortKeyOf, type SortKey } from "../sessions/sort-keys.js";

/** The ListRequest<T> fields every List* operation inherits (seed), read and checked. */
export interface ListPaging {
  page: number;
  countPerPage: number;
  all: boolean;
  simplifiedPaging: boolean;
  specificIds: Set<string> | undefined;
  /** The DTO property to sort by, in its documented spelling; undefined = default order. */
  sortField: string | undefined;
  sortOrder: "Ascend" | "Descend" | undefined;
}

/** What a List* operation is: its name (for error messages) and its item's properties. */
export interface ListOperation {
  name: string;
  itemType: string;
  /** The item's properties, the names `sortField` accepts. */
  fields: readonly string[];
}

/** A parsed List* request, or the 400 ServiceStack answers for it. */
export type ListParse<T> =
  { ok: true; paging: ListPaging; filters: T } | { ok: false; response: PlannedResponse };

/**
 * Reads an operation's enum parameter as .NET's Enum.Parse does (a name in any case, or its
 * number); a value that names nothing is a binding error, as for ListSessions' sortOrder.
 */
export function readEnum<E extends string>(
  reader: ParamReader,
  key: string,
  values: readonly E[],
): E | undefined {
  const text = reader.text(key);
  if (text === undefined) return undefined;
  return enumOf(reader, key, text, values);
}

/** Reads a list of enum values (`types=User,PhoneNumber`), each as {@link readEnum} does. */
export function readEnumList<E extends string>(
  reader: ParamReader,
  key: string,
  values: readonly E[],
): E[] | undefined {
  const list = reader.list(key);
  if (list === undefined) return undefined;
  return list.flatMap((text) => {
    const value = enumOf(reader, key, text, values);
    return value === undefined ? [] : [value];
  });
}

function enumOf<E extends string>(
  reader: ParamReader,
  key: string,
  text: string,
  values: readonly E[],
): E | undefined {
  const trimmed = text.trim();
  const byName = values.find((value) => value.toLowerCase() === trimmed.toLowerCase());
  if (byName !== undefined) return byName;
  const byNumber = /^\d+$/.test(trimmed) ? values[Number(trimmed)] : undefined;
  if (byNumber !== undefined) return byNumber;
  const name = reader.nameOf(key);
  reader.bindingErrors.push({
    errorCode: "SerializationException",
    fieldName: name,
    message: `'${text}' is an Invalid value for '${name}' (use one of ${values.join(", ")})`,
  });
  return undefined;
}

/**
 * Reads a List* request the way ListSessions is read (same binding and validation errors, same
 * defaults), then the operation's own filters through `readFilters`, which records its binding
 * errors on the reader.
 */
export function parseListRequest<T>(
  params: URLSearchParams,
  operation: ListOperation,
  behaviour: Pick<SandboxBehaviour, "unknownSortField">,
  readFilters: (reader: ParamReader) => T,
): ListParse<T> {
  const reader = new ParamReader(params);
  const page = reader.int("page");
  const countPerPage = reader.int("countPerPage");
  const all = reader.bool("all");
  const simplifiedPaging = reader.bool("simplifiedPaging");
  const sortOrder = reader.sortOrder();
  const filters = readFilters(reader);
  if (reader.bindingErrors.length > 0) {
    const message = `Unable to bind to request '${operation.name}'`;
    const errors = reader.bindingErrors;
    return { ok: false, response: jsonError(400, "SerializationException", message, { errors }) };
  }
  if (page !== undefined && page < 0) {
    const message = `'Page' must be greater than or equal to '0' (pages are 0-based; got '${page}').`;
    reader.invalid("GreaterThanOrEqual", reader.nameOf("page"), message);
  }
  if (countPerPage !== undefined && countPerPage < 1) {
    const message = `'Count Per Page' must be greater than '0' (got '${countPerPage}').`;
    reader.invalid("GreaterThan", reader.nameOf("countPerPage"), message);
  }
  const sortField = readSortField(reader, operation, behaviour.unknownSortField);
  const first = reader.validationErrors[0];
  if (first !== undefined) {
    const errors = reader.validationErrors;
    return { ok: false, response: jsonError(400, first.errorCode, first.message, { errors }) };
  }
  const specific = reader.list("specificIds");
  const paging: ListPaging = {
    page: page ?? 0,
    countPerPage: countPerPage ?? DEFAULT_COUNT_PER_PAGE,
    all: all ?? false,
    simplifiedPaging: simplifiedPaging ?? false,
    specificIds: specific === undefined ? undefined : new Set(specific),
    sortField,
    sortOrder,
  };
  return { ok: true, paging, filters };
}

function readSortField(
  reader: ParamReader,
  operation: ListOperation,
  unknownSortField: SandboxBehaviour["unknownSortField"],
): string | undefined {
  const text = reader.text("sortField");
  if (text === undefined) return undefined;
  // Property names match in any letter case, as ServiceStack binds them.
  const field = operation.fields.find((name) => name.toLowerCase() === text.toLowerCase());
  if (field === undefined && unknownSortField === "reject") {
    const example = operation.fields.includes("name") ? "name" : (operation.fields[0] ?? "id");
    const message = `'Sort Field' must name a property of ${operation.itemType}, e.g. ${example} (got '${text}').`;
    reader.invalid("Predicate", reader.nameOf("sortField"), message);
  }
  return field;
}

function sortKey(item: Record<string, unknown>, field: string): SortKey {
  return sortKeyOf(item[field]);
}

/** One page of a List* answer, in ListResponse's shape. */
export interface ListPage<T> {
  items: T[];
  totalCount?: number;
  totalPages?: number;
  hasMorePages: boolean;
}

/**
 * Sorts and pages matches as ListSessions does: with a sortField and no sortOrder ascending;
 * ties by id in the same direction; `all` answers everything in one page; simplifiedPaging
 * leaves the totals out. Without a sortField the order is `defaultField` ascending.
 */
export function pageOf<T extends { id?: string }>(
  matches: readonly T[],
  paging: ListPaging,
  defaultField: string,
): ListPage<T> {
  const field = paging.sortField ?? defaultField;
  const descending = paging.sortOrder === "Descend";
  const sorted = [...matches].sort((a, b) => {
    let order = compareKeys(sortKey(a, field), sortKey(b, field));
    if (order === 0) order = compareKeys(a.id, b.id);
    return descending ? -order : order;
  });
  const size = paging.countPerPage;
  const start = paging.all ? 0 : paging.page * size;
  const items = paging.all ? sorted : sorted.slice(start, start + size);
  const hasMorePages = !paging.all && sorted.length > start + size;
  if (paging.simplifiedPaging) return { items, hasMorePages };
  const totalPages = paging.all ? (sorted.length > 0 ? 1 : 0) : Math.ceil(sorted.length / size);
  return { items, totalCount: sorted.length, totalPages, hasMorePages };
}
