/**
 * How the sandbox orders any list by a field (ListSessions and the directory lists alike): one
 * rule, so every list sorts the same way.
 */

/** A field's value as it sorts: numbers and text as they are, flags as 0/1, lists by length. */
export type SortKey = string | number | undefined;

/** The sort key of one field's value. */
export function sortKeyOf(value: unknown): SortKey {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number" || typeof value === "string") return value;
  // Lists (members, breadcrumbs, tags, roles) sort by how many elements they hold.
  if (Array.isArray(value)) return value.length;
  return JSON.stringify(value);
}

/**
 * Ascending order of two keys: missing values first, as SQL sorts NULLs; numbers by value;
 * text ordinally (the real server's collation is unknown; ordinal is stable).
 */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
