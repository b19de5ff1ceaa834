import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Opaque paging cursors. A cursor carries everything needed to continue (no server memory), so
 * it works across restarts and behind a load balancer, and it is bound to the filters that
 * produced it: reused with other filters it would silently page through a different list.
 */

/** The time window a relative range resolved to when the first page was asked for. */
export interface CursorWindow {
  /** Calendar days sent to the server (`YYYY-MM-DD`). */
  startDate?: string | undefined;
  endDate?: string | undefined;
  /** Exact bounds applied to `dateCreated` (ms since epoch), when narrower than whole days. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  label?: string | undefined;
}

/** What a cursor holds. */
export interface CursorState {
  /** Hash of the filters that produced the cursor. */
  filtersHash: string;
  /** Position in the server's (unfiltered by client-side filters) list where the next page starts. */
  offset: number;
  /** The resolved window, so `range: "today"` keeps meaning the same day while paging. */
  window?: CursorWindow | undefined;
  /** ID of the last session handed out, to notice sessions added ahead of the position. */
  anchorId?: string | undefined;
}

const CursorWire = z.object({
  v: z.literal(1),
  h: z.string().min(1).max(64),
  o: z.number().int().min(0).max(10_000_000),
  a: z.string().max(200).optional(),
  w: z
    .object({
      s: z.string().max(10).optional(),
      e: z.string().max(10).optional(),
      f: z.number().optional(),
      t: z.number().optional(),
      l: z.string().max(200).optional(),
    })
    .optional(),
});

/** A cursor could not be used; the message says why and what to do. */
export class CursorError extends Error {
  override readonly name = "CursorError";
}

/** Stable hash of a filter object: key order and undefined values do not matter. */
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
  const w = state.window;
  const wire: z.infer<typeof CursorWire> = { v: 1, h: state.filtersHash, o: state.offset };
  if (state.anchorId !== undefined) wire.a = state.anchorId;
  if (w !== undefined) {
    wire.w = {};
    if (w.startDate !== undefined) wire.w.s = w.startDate;
    if (w.endDate !== undefined) wire.w.e = w.endDate;
    if (w.fromMs !== undefined) wire.w.f = w.fromMs;
    if (w.toMs !== undefined) wire.w.t = w.toMs;
    if (w.label !== undefined) wire.w.l = w.label;
  }
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
 * Decodes a cursor without checking what it is bound to (its window is needed to resolve the
 * filters whose hash it must then match: see {@link checkCursorFilters}).
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
  const w = wire.w;
  return {
    filtersHash: wire.h,
    offset: wire.o,
    anchorId: wire.a,
    window:
      w === undefined
        ? undefined
        : { startDate: w.s, endDate: w.e, fromMs: w.f, toMs: w.t, label: w.l },
  };
}

/** Throws {@link CursorError} unless the cursor was issued for `filtersHash`. */
export function checkCursorFilters(state: CursorState, filtersHash: string): void {
  if (state.filtersHash !== filtersHash) {
    throw new CursorError(
      "it was issued for different filters or accounts. A cursor only continues the list it came from: repeat exactly the filters of the call that returned it (limit and detail may change), or leave cursor out to start a new list with the new filters.",
    );
  }
}
