/**
 * The parameters of the list operations besides ListSessions (ListCustomers, ListEndpoints,
 * ListFlows, ListAccounts): ServiceStack's ListRequest paging plus the operation's own filters,
 * written on the wire like ListSessions' (camelCase names, comma lists with CSV quoting,
 * true/false, unset omitted). Immutable, like SessionQuery, so paging can copy it per page.
 */
import { QueryValidationError } from "../errors/evo-voice-error.js";
import { formatWireList } from "./wire.js";
import { MAX_COUNT_PER_PAGE, MAX_PAGE, MIN_COUNT_PER_PAGE } from "./session-query.js";

/** A value a list filter takes. */
export type ListParamValue = string | number | boolean | readonly string[];

/** ServiceStack's ListRequest fields, shared by every list operation. */
export interface ListPaging {
  page?: number;
  countPerPage?: number;
  all?: boolean;
  specificIds?: readonly string[];
  sortField?: string;
  sortOrder?: "Ascend" | "Descend";
  simplifiedPaging?: boolean;
}

export class ListQuery {
  readonly params: Readonly<Record<string, ListParamValue>> & Readonly<ListPaging>;

  private constructor(params: Record<string, ListParamValue>) {
    this.params = Object.freeze(params);
    Object.freeze(this);
  }

  /** A query from filters; undefined, null, blank text and empty lists mean unset. */
  static of(filters: object = {}): ListQuery {
    const params: Record<string, ListParamValue> = {};
    for (const [name, raw] of Object.entries(filters)) {
      const value = normalise(name, raw);
      if (value !== undefined) params[name] = value;
    }
    checkPaging(params);
    return new ListQuery(params);
  }

  page(index: number): ListQuery {
    return ListQuery.of({ ...this.params, page: index });
  }

  perPage(count: number): ListQuery {
    return ListQuery.of({ ...this.params, countPerPage: count });
  }

  /** The query string, names in a stable (sorted) order. */
  toQueryString(): string {
    return Object.keys(this.params)
      .sort()
      .map((name) => {
        const value = this.params[name] as ListParamValue;
        const text = Array.isArray(value) ? formatWireList(value as string[]) : String(value);
        return `${name}=${encodeURIComponent(text).replaceAll("%2C", ",")}`;
      })
      .join("&");
  }
}

function normalise(name: string, raw: unknown): ListParamValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return raw.trim() === "" ? undefined : raw.trim();
  if (typeof raw === "number" || typeof raw === "boolean") return raw;
  if (Array.isArray(raw) && raw.every((item) => typeof item === "string")) {
    const items = [...new Set(raw.map((item: string) => item.trim()).filter(Boolean))];
    return items.length === 0 ? undefined : Object.freeze(items);
  }
  throw new QueryValidationError(name, "must be text, a number, true/false or a list of text", raw);
}

function checkPaging(params: Record<string, ListParamValue>): void {
  const whole = (name: string, min: number, max: number) => {
    const value = params[name];
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new QueryValidationError(name, `must be a whole number from ${min} to ${max}`, value);
    }
  };
  whole("page", 0, MAX_PAGE);
  whole("countPerPage", MIN_COUNT_PER_PAGE, MAX_COUNT_PER_PAGE);
  const order = params.sortOrder;
  if (order !== undefined && order !== "Ascend" && order !== "Descend") {
    throw new QueryValidationError("sortOrder", "must be Ascend or Descend", order);
  }
}
