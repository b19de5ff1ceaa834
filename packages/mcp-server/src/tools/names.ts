/**
 * Customers and endpoints by name: the `customers`/`endpoints` arguments of the session tools,
 * resolved through core's Directory (ListCustomers/ListEndpoints, cached briefly) to the IDs
 * ListSessions takes. A name is never guessed: one that fits several entries, or none, is an
 * argument error listing the closest candidates, so the model can ask or pick.
 */
import { z } from "zod";
import {
  describeEntry,
  isEvoVoiceError,
  NameResolutionError,
  type DirectoryEntry,
  type DirectoryKind,
  type SessionQuery,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { NameChoiceNeeded, ToolArgumentError } from "./results.js";

const nameList = (what: string) =>
  z
    .array(
      z
        .string({ error: `each ${what} must be a string` })
        .trim()
        .min(1, { error: `${what} names must not be empty` })
        .max(200, { error: `${what} names are at most 200 characters` }),
      { error: `must be a list of ${what} names or IDs, e.g. ["Front Desk"]` },
    )
    .max(20, { error: `at most 20 ${what}s at once` })
    .optional();

/** The name arguments (short descriptions: they are sent with every tools/list). */
export const nameShape = {
  customers: nameList("customer").describe('By name or ID, e.g. ["Westside Clinic"]'),
  endpoints: nameList("endpoint").describe('By name, number or ID, e.g. ["Front Desk"]'),
};

/** The name arguments as parsed. */
export interface NameArgs {
  customers?: string[] | undefined;
  endpoints?: string[] | undefined;
}

/** One name and what it resolved to. */
export interface ResolvedName {
  kind: DirectoryKind;
  name: string;
  id: string;
  label: string;
}

/** `customer "westside" → Westside Clinic (MSP › Westside Clinic, id c1)`. */
export function namesLine(resolved: readonly ResolvedName[]): string | undefined {
  if (resolved.length === 0) return undefined;
  return `Names: ${resolved.map((r) => `${r.kind} ${JSON.stringify(r.name)} → ${r.label}`).join("; ")}`;
}

/** Most candidates a user is asked to pick from (name-choice.ts). */
const MAX_CHOICES = 20;

/** Roles ListCustomers/ListEndpoints need (OPERATIONS.md), for the refusal's advice. */
const DIRECTORY_ROLES = "Manager, Customer or SystemAdministrator";

/**
 * `query` with the named customers and endpoints added to its customerIds/endpointIds, and what
 * each name resolved to. Throws ToolArgumentError naming the argument for a name that is unknown
 * or ambiguous, or when the sign-in may not read the list.
 */
export async function applyNameArgs(
  ctx: EvoSessionsContext,
  query: SessionQuery,
  args: NameArgs,
  accountIds: readonly string[],
  signal: AbortSignal | undefined,
): Promise<{ query: SessionQuery; resolved: ResolvedName[] }> {
  if ((args.customers?.length ?? 0) === 0 && (args.endpoints?.length ?? 0) === 0)
    return { query, resolved: [] };
  try {
    const out = await ctx.names.applyNames(
      query,
      { customers: args.customers ?? [], endpoints: args.endpoints ?? [] },
      { accountIds, ...(signal === undefined ? {} : { signal }) },
    );
    const resolved = out.resolved.map(({ kind, name, entry }) => ({
      kind,
      name,
      id: entry.id,
      label: describeEntry(entry),
    }));
    return { query: out.query, resolved };
  } catch (error) {
    throw nameFailure(error, args);
  }
}

/** The argument error for a failed resolution, or the error itself when it is not one. */
function nameFailure(error: unknown, args: NameArgs): unknown {
  if (error instanceof NameResolutionError) {
    const argument = error.kind === "customer" ? "customers" : "endpoints";
    const r = error.resolution;
    const listed = (r.status === "ambiguous" ? r.candidates : r.closest).slice(0, 5);
    const words =
      r.status === "ambiguous"
        ? `${JSON.stringify(r.name)} fits ${r.candidates.length} ${error.kind}s`
        : `no ${error.kind} is named ${JSON.stringify(r.name)}`;
    const candidates =
      listed.length === 0
        ? ""
        : `; ${r.status === "ambiguous" ? "candidates" : "closest"}: ${listed.map(describeEntry).join("; ")}`;
    const reason = `${words}${candidates}. Pass the full name or the ID.`;
    if (r.status !== "ambiguous") return new ToolArgumentError(argument, reason);
    const given = args[argument] ?? [];
    const index = Math.max(0, given.indexOf(r.name));
    const choices = r.candidates
      .slice(0, MAX_CHOICES)
      .map((entry) => ({ id: entry.id, label: describeEntry(entry) }));
    return new NameChoiceNeeded(argument, reason, {
      argument,
      index,
      name: r.name,
      candidates: choices,
    });
  }
  if (isEvoVoiceError(error, "permission_denied")) {
    const argument = (args.customers?.length ?? 0) > 0 ? "customers" : "endpoints";
    const ids = argument === "customers" ? "customerIds" : "endpointIds";
    return new ToolArgumentError(
      argument,
      `this sign-in may not read the ${argument === "customers" ? "customer" : "endpoint"} list (it needs ${DIRECTORY_ROLES}), so names cannot be resolved. Pass ${ids} instead.`,
    );
  }
  return error;
}

/**
 * Completion of a customer or endpoint argument: names from the directory that contain what was
 * typed; when the sign-in may not read the directory, the names seen in answers.
 */
export async function completeNames(
  ctx: EvoSessionsContext,
  kind: "customer" | "endpoint",
  typed: string,
): Promise<string[]> {
  try {
    const found = await ctx.names.search(kind, typed, { limit: 50 });
    return unique(found.map((entry: DirectoryEntry) => entry.name));
  } catch {
    return ctx.directory
      .complete(kind, typed)
      .map((id) => ctx.directory.label(kind, id) ?? id)
      .filter((name, index, all) => all.indexOf(name) === index);
  }
}

/** Completion of a customer or endpoint ID argument: IDs whose entry's name or ID contains the text. */
export async function completeIds(
  ctx: EvoSessionsContext,
  kind: "customer" | "endpoint",
  typed: string,
): Promise<string[]> {
  try {
    return unique((await ctx.names.search(kind, typed, { limit: 50 })).map((entry) => entry.id));
  } catch {
    return ctx.directory.complete(kind, typed);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
