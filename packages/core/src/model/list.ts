import { z } from "zod";
import { SortOrdersValues } from "./enums.js";
import { strictFields, tolerantFields, type FieldKit } from "./fields.js";
import { StrictSessionInfoSchema, SessionInfoSchema } from "./session.js";

function listResponseShape<T>(f: FieldKit, item: z.ZodType<T>) {
  return {
    items: f.arrayOf(item, "The items"),
    totalCount: f.int("The total number of items"),
    totalPages: f.int("The total number of pages"),
    hasMorePages: f.boolean("Are there more pages of items? Used with simplified paging"),
  };
}

/** ServiceStack's ListResponse<T> for any item schema, tolerant like the rest of the model. */
export function listResponseSchema<T>(item: z.ZodType<T>) {
  return tolerantFields.object(listResponseShape(tolerantFields, item));
}

/** ListResponse<T> to the letter of the seed, for drift checks. */
export function strictListResponseSchema<T>(item: z.ZodType<T>) {
  return strictFields.object(listResponseShape(strictFields, item));
}

/** A page of sessions as `GET /sessions` returns it. */
export const SessionListResponseSchema = listResponseSchema(SessionInfoSchema);
/** A page of sessions to the letter of the seed, for drift checks. */
export const StrictSessionListResponseSchema = strictListResponseSchema(StrictSessionInfoSchema);

/** A decoded page of items; `totalCount`/`totalPages` are absent with simplified paging. */
export interface ListResponse<T> {
  /** The items of this page. */
  items?: T[] | null | undefined;
  /** Items matching the request in all (absent with simplified paging). */
  totalCount?: number | null | undefined;
  /** Pages in all (absent with simplified paging). */
  totalPages?: number | null | undefined;
  /** With simplified paging: whether another page follows. */
  hasMorePages?: boolean | null | undefined;
}

const listRequestFields = {
  page: z.number().int().optional().describe("The page of data to retrieve (0-based)"),
  all: z
    .boolean()
    .optional()
    .describe("If you want all objects to be returned. This should be used with care"),
  countPerPage: z.number().int().optional().describe("The number per page to retrieve"),
  specificIds: z.array(z.string()).optional().describe("Specific IDs"),
  sortField: z.string().optional().describe("Specify a sort field"),
  sortOrder: z.enum(SortOrdersValues).optional().describe("Specify a sort order"),
  simplifiedPaging: z
    .boolean()
    .optional()
    .describe(
      "Disables total / page counts - improves performance. Returns only data. If there is no more data, Items will be empty array",
    ),
};

/** The paging and sorting parameters every ServiceStack list request takes. */
export const ListRequestSchema = z.object(listRequestFields);

/** The parameters of ListSessions (`GET /sessions`), as the seed declares them. */
export const ListSessionsSchema = z
  .object({
    ...listRequestFields,
    accountIds: z
      .array(z.string())
      .optional()
      .describe("The account IDs for the sessions to retrieve"),
    searchArchive: z.boolean().optional().describe("Whether to search live or archived sessions"),
    startDate: z
      .string()
      .optional()
      .describe("The start date to retrieve usage records for (YYYY-MM-DD)"),
    endDate: z
      .string()
      .optional()
      .describe("The end date to retrieve usage records for (YYYY-MM-DD)"),
    customerIds: z
      .array(z.string())
      .optional()
      .describe("The IDs of the customers whose sessions you want to retrieve"),
    endpointIds: z
      .array(z.string())
      .optional()
      .describe("The IDs of the endpoints whose sessions you want to retrieve"),
    from: z.string().optional().describe("Filter by the from  (this is a contains search)"),
    to: z.string().optional().describe("Filter by the to  (this is a contains search)"),
    log: z.string().optional().describe("Filter by text in the log"),
    parentSessionId: z.string().optional().describe("Filter by parent session ID"),
  })
  .describe("Retrieve a list of sessions");

/** Paging and sorting parameters of any ServiceStack list request (`page` is 0-based). */
export type ListRequest = z.infer<typeof ListRequestSchema>;
/** The parameters of ListSessions (`GET /sessions`); build them with SessionQuery. */
export type ListSessions = z.infer<typeof ListSessionsSchema>;
/** Every ListSessions parameter name, in the seed's order. */
export const ListSessionsParams = Object.keys(ListSessionsSchema.shape) as (keyof ListSessions)[];
