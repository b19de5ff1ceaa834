/**
 * Who a piece of saved state belongs to: one sign-in, `<server origin>|<user name>`. Account,
 * customer and endpoint IDs mean something only to the sign-in that picked them, and the accounts
 * a sign-in reaches are cached per sign-in; both are keyed by this one type. The text form is
 * what earlier versions saved in workspace state, so it is kept as is.
 */
export type OwnerKey = string & { readonly __ownerKey: never };

/** The sign-in an {@link OwnerKey} names. */
export interface Owner {
  baseUrl: string;
  userName: string;
}

/** The key of a sign-in. */
export function makeOwnerKey(owner: Owner): OwnerKey {
  return `${owner.baseUrl}|${owner.userName}` as OwnerKey;
}

/**
 * The sign-in a saved key names, or undefined when the text is not one. It splits at the first
 * `|`: a server origin cannot hold one (a URL's host and scheme have no `|`), a user name may.
 */
export function parseOwnerKey(text: unknown): Owner | undefined {
  if (typeof text !== "string") return undefined;
  const bar = text.indexOf("|");
  if (bar <= 0 || bar === text.length - 1) return undefined;
  return { baseUrl: text.slice(0, bar), userName: text.slice(bar + 1) };
}

/** Reads a saved key back as an {@link OwnerKey} (undefined when it is not one). */
export function readOwnerKey(text: unknown): OwnerKey | undefined {
  const owner = parseOwnerKey(text);
  return owner === undefined ? undefined : makeOwnerKey(owner);
}
