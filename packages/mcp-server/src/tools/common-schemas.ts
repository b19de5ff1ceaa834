import { z } from "zod";

/** Annotations every tool of this server carries: they only read. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;

/** An account, by ID and name. */
export const AccountRefSchema = z.object({ id: z.string(), name: z.string() });

/** Where the data came from. */
export const BackendSchema = z
  .enum(["evo-voice", "sandbox"])
  .describe("sandbox: generated demo data from the in-process sandbox, not a real account");

/** URI template of one session's resource (`{id}` is a session's id). */
export const SESSION_URI_TEMPLATE = "evo-sessions://sessions/{id}";

/** Most accounts an answer lists when it covers more (then only those its sessions belong to). */
export const MAX_ACCOUNTS_LISTED = 20;

/** The filters an answer applied. */
export const AppliedFiltersSchema = z.object({
  summary: z.string().describe("The filters in words"),
  params: z
    .record(z.string(), z.unknown())
    .describe(
      "ListSessions parameters sent to Evo Voice (without paging; accountIds are in accounts)",
    ),
  accountIdsSent: z
    .boolean()
    .describe(
      "false: the accounts were left out of the request (a long list) and Evo Voice searched all of the user's accounts",
    ),
  warnings: z.array(z.string()).optional().describe("Things to check, e.g. unknown account IDs"),
  names: z
    .array(z.object({ kind: z.string(), name: z.string(), id: z.string(), label: z.string() }))
    .optional()
    .describe("What each customers/endpoints name resolved to"),
  clientSide: z
    .array(z.string())
    .describe("Filters this server applied to the sessions it read (Evo Voice cannot apply them)"),
  timeZone: z.string().describe("IANA zone of relative ranges and of times in the text"),
  range: z
    .object({
      label: z.string().optional(),
      startDate: z.string().optional(),
      endDate: z.string().optional(),
      from: z.string().optional().describe("Exact start, ISO 8601, when narrower than the days"),
      to: z.string().optional().describe("Exact end (exclusive), ISO 8601"),
    })
    .optional(),
});

export type AppliedFilters = z.infer<typeof AppliedFiltersSchema>;
