import { z } from "zod";

/**
 * Annotations every tool of this server carries: they only read, from Evo Voice (open world).
 * `destructiveHint` and `idempotentHint` are left out: MCP gives them meaning only when
 * `readOnlyHint` is false, and tools/list is sent before every conversation.
 */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  openWorldHint: true,
} as const;

/** An account, by ID and name. */
export const AccountRefSchema = z.object({ id: z.string(), name: z.string() });

/** Present (true) only in answers served from the in-process sandbox's demo data. */
export const SandboxFlagSchema = z.literal(true).optional();

/** `{ sandbox: true }` for the sandbox, else nothing: spread first into a structured answer. */
export function sandboxFlag(kind: "evo-voice" | "sandbox"): { sandbox?: true } {
  return kind === "sandbox" ? { sandbox: true } : {};
}

/** URI template of one session's resource (`{id}` is a session's id). */
export const SESSION_URI_TEMPLATE = "evo-sessions://sessions/{id}";

/** Most accounts an answer lists when it covers more (then only those its sessions belong to). */
export const MAX_ACCOUNTS_LISTED = 20;

/** The filters an answer applied (compact keys; empty ones left out). */
export const AppliedFiltersSchema = z
  .object({
    text: z.string(),
    tz: z.string(),
    range: z.object({ label: z.string(), from: z.string(), to: z.string() }).partial().optional(),
    local: z.array(z.string()).optional(),
    warn: z.array(z.string()).optional(),
    names: z.array(z.object({ kind: z.string(), name: z.string(), id: z.string() })).optional(),
    notSent: z.literal(true).optional(),
  })
  .describe(
    "text, tz, range {label, from, to}, local (applied here), warn, names (resolved), notSent",
  );

export type AppliedFilters = z.infer<typeof AppliedFiltersSchema>;
