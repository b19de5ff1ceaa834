import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Opaque paging cursors. A cursor carries everything needed to continue (no server memory), so
 * it works across restarts and behind a load balancer, and it is bound to the query that
 * produced it: reused with other filters it would silently page through a different list.
 *
 * The query itself is not carried: the next call sends the same arguments, which are resolved
 * again into a `SessionQuery` at the instant the cursor records (so "today" keeps meaning the day
 * of the first page), and the hash of that query's canonical key must equal the cursor's.
 */

/** What a cursor holds. */
export interface CursorState {
  /** Hash of the query (its canonical key), the accounts it searched and the user. */
  filtersHash: string;
  /** Position in the server's list (before this server's own filters) where the next page starts. */
  offset: number;
  /** The instant the query's relative range was resolved at (ms since epoch), when it has one. */
  resolvedAt?: number | undefined;
  /** ID of the last session handed out, to notice sessions added ahead of the position. */
  anchorId?: string | undefined;
}

const CursorWire = z.object({
  v: z.literal(2),
  h: z.string().min(1).max(64),
  o: z.number().int().min(0).max(10_000_000),
  a: z.string().max(200).optional(),
  n: z.number().int().optional(),
});

/** A cursor could not be used; the message says why and what to do. */
export class CursorError extends Error {
  override readonly name = "CursorError";
}

/** Stable hash of a JSON value: key order and undefined values do not matter. */
export function hashFilters(filters: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(filters)).digest("base64url").slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Encodes a cursor as an opaque base64url string. */
export function encodeCursor(state: CursorState): string {
  const wire: z.infer<typeof CursorWire> = { v: 2, h: state.filtersHash, o: state.offset };
  if (state.anchorId !== undefined) wire.a = state.anchorId;
  if (state.resolvedAt !== undefined) wire.n = state.resolvedAt;
  return Buffer.from(JSON.stringify(wire), "utf8").toString("base64url");
}

/**
 * Decodes a cursor and checks it belongs to `filtersHash`; throws {@link CursorError} with a
 * message written for the model that passed it.
 */
export function decodeCursor(cursor: string, filtersHash: string): CursorState {
  const state = readCursor(cursor);
  checkCursorFilters(state, filtersHash);
  return state;
}

/**
 * Decodes a cursor without checking what it is bound to (its instant is needed to resolve the
 * query whose hash it must then match: see {@link checkCursorFilters}).
 */
export function readCursor(cursor: string): CursorState {
  let wire: z.infer<typeof CursorWire>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length > 600) throw new Error("shape");
    wire = CursorWire.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new CursorError(
      "it is not a cursor this server issued. Pass the nextCursor of a previous answer unchanged, or leave cursor out to start from the first page.",
    );
  }
  return { filtersHash: wire.h, offset: wire.o, anchorId: wire.a, resolvedAt: wire.n };
}

/** Throws {@link CursorError} unless the cursor was issued for `filtersHash`. */
export function checkCursorFilters(state: CursorState, filtersHash: string): void {
  if (state.filtersHash !== filtersHash) {
    throw new CursorError(
      "it was issued for different filters or accounts. A cursor only continues the list it came from: repeat exactly the filters of the call that returned it (limit and detail may change), or leave cursor out to start a new list with the new filters.",
    );
  }
}
