/**
 * Names for IDs and IDs for names: accounts (from the sign-in), customers (ListCustomers) and
 * endpoints (ListEndpoints — users, numbers, queues), read once and kept for a short while, so
 * that "calls to the front desk" or "sessions for Westside Clinic" become the IDs ListSessions
 * takes. A name that fits several entries is reported with the candidates, never guessed.
 */
import { EvoVoiceError } from "../errors/evo-voice-error.js";
import { normalisePhoneNumber } from "../analytics/phone-numbers.js";
import type { EvoVoiceClient } from "../client/types.js";
import { firstText } from "../facts/session-facts.js";
import type { CustomerInfo, EndpointInfo } from "../model/directory.js";
import type { SessionQuery } from "../query/session-query.js";

export type DirectoryKind = "account" | "customer" | "endpoint";

/** One named thing. */
export interface DirectoryEntry {
  kind: DirectoryKind;
  id: string;
  name: string;
  /** What tells it apart: a customer's path (`MSP › Clinic`), an endpoint's type and number. */
  detail?: string;
  accountId?: string;
}

/** What a name resolved to. */
export type NameResolution =
  | {
      status: "unique";
      name: string;
      entry: DirectoryEntry;
      how: "exact" | "id" | "number" | "contains";
    }
  | { status: "ambiguous"; name: string; candidates: DirectoryEntry[] }
  | { status: "unknown"; name: string; closest: DirectoryEntry[] };

/** A name that named nothing, or several things. */
export class NameResolutionError extends EvoVoiceError {
  override readonly name = "NameResolutionError";
  readonly resolution: Exclude<NameResolution, { status: "unique" }>;
  readonly kind: DirectoryKind;

  constructor(kind: DirectoryKind, resolution: Exclude<NameResolution, { status: "unique" }>) {
    const list = (entries: DirectoryEntry[]) => entries.slice(0, 5).map(describeEntry).join("; ");
    const message =
      resolution.status === "ambiguous"
        ? `The ${kind} name ${JSON.stringify(resolution.name)} fits ${resolution.candidates.length} ${kind}s: ${list(resolution.candidates)}. Give the full name or the ID.`
        : `No ${kind} is named ${JSON.stringify(resolution.name)}${resolution.closest.length > 0 ? `; the closest: ${list(resolution.closest)}` : ""}. Check the name, or give the ID.`;
    super(resolution.status === "ambiguous" ? "name_ambiguous" : "name_not_found", message);
    this.resolution = resolution;
    this.kind = kind;
  }
}

/** `Westside Clinic (MSP › Westside Clinic, id c1)`. */
export function describeEntry(entry: DirectoryEntry): string {
  return `${entry.name} (${entry.detail === undefined ? "" : `${entry.detail}, `}id ${entry.id})`;
}

export interface DirectoryOptions {
  /** How long a read list is kept (default 60 s). */
  ttlMs?: number;
  /** The clock (for the cache), default Date.now. */
  now?: () => number;
}

const DEFAULT_TTL_MS = 60_000;
/** Lists kept at once (per kind and set of accounts); the least recently used goes first. */
const MAX_CACHED_LISTS = 20;
/** Entries read per list at most (a directory of tens of thousands is a search, not a list). */
const MAX_ENTRIES = 20_000;

interface Cached {
  at: number;
  entries: Promise<DirectoryEntry[]>;
}

export class Directory {
  readonly #client: EvoVoiceClient;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Cached>();

  constructor(client: EvoVoiceClient, options: DirectoryOptions = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** Every entry of a kind (within the accounts, when given), from the cache when fresh. */
  entries(
    kind: DirectoryKind,
    accountIds: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<DirectoryEntry[]> {
    const key = `${kind}|${[...accountIds].sort().join(",")}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined && this.#now() - hit.at < this.#ttlMs) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit.entries;
    }
    const entries = this.#read(kind, accountIds, signal);
    // A failed read is not kept: the next call tries again.
    entries.catch(() => this.#cache.delete(key));
    this.#cache.set(key, { at: this.#now(), entries });
    while (this.#cache.size > MAX_CACHED_LISTS)
      this.#cache.delete(this.#cache.keys().next().value as string);
    return entries;
  }

  /** Forgets every list (after a sign-in change). */
  clear(): void {
    this.#cache.clear();
  }

  /** What `name` names among the entries of a kind. */
  async resolve(
    kind: DirectoryKind,
    name: string,
    accountIds: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<NameResolution> {
    return resolveName(await this.entries(kind, accountIds, signal), name);
  }

  /** The name of an ID, undefined when the directory does not know it. */
  async nameOf(
    kind: DirectoryKind,
    id: string,
    accountIds: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    return (await this.entries(kind, accountIds, signal)).find((entry) => entry.id === id)?.name;
  }

  /** Entries whose name, detail or ID contains `text` (any case), best first, for pickers and completions. */
  async search(
    kind: DirectoryKind,
    text: string,
    options: { accountIds?: readonly string[]; limit?: number; signal?: AbortSignal } = {},
  ): Promise<DirectoryEntry[]> {
    const needle = fold(text);
    const entries = await this.entries(kind, options.accountIds ?? [], options.signal);
    const scored = entries
      .map((entry) => ({ entry, score: searchScore(entry, needle) }))
      .filter((item) => item.score > 0)
      .sort((a, b) => b.score - a.score || a.entry.name.localeCompare(b.entry.name));
    return scored.slice(0, options.limit ?? 20).map((item) => item.entry);
  }

  /**
   * `query` with customers and endpoints named by name: each name resolved to its ID and added to
   * the query's customerIds/endpointIds. Throws NameResolutionError for an unknown or ambiguous one.
   */
  async applyNames(
    query: SessionQuery,
    names: { customers?: readonly string[]; endpoints?: readonly string[] },
    options: { accountIds?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<{
    query: SessionQuery;
    resolved: { kind: DirectoryKind; name: string; entry: DirectoryEntry }[];
  }> {
    const resolved: { kind: DirectoryKind; name: string; entry: DirectoryEntry }[] = [];
    for (const [kind, list] of [
      ["customer", names.customers],
      ["endpoint", names.endpoints],
    ] as const) {
      for (const name of list ?? []) {
        const found = await this.resolve(kind, name, options.accountIds ?? [], options.signal);
        if (found.status !== "unique") throw new NameResolutionError(kind, found);
        resolved.push({ kind, name, entry: found.entry });
      }
    }
    const ids = (kind: DirectoryKind, current: readonly string[] | undefined) => [
      ...(current ?? []),
      ...resolved.filter((item) => item.kind === kind).map((item) => item.entry.id),
    ];
    let next = query;
    if (resolved.some((item) => item.kind === "customer"))
      next = next.customers(ids("customer", query.params.customerIds));
    if (resolved.some((item) => item.kind === "endpoint"))
      next = next.endpoints(ids("endpoint", query.params.endpointIds));
    return { query: next, resolved };
  }

  async #read(
    kind: DirectoryKind,
    accountIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<DirectoryEntry[]> {
    const options = signal === undefined ? {} : { signal };
    if (kind === "account") {
      const status = await this.#client.authStatus(options);
      const reachable = status.accounts.filter(
        (a) => accountIds.length === 0 || accountIds.includes(a.id),
      );
      return reachable.map((account) => ({
        kind,
        id: account.id,
        name: account.name,
        accountId: account.id,
      }));
    }
    const filters = { accountIds: [...accountIds], countPerPage: 500 };
    const entries: DirectoryEntry[] = [];
    const source =
      kind === "customer"
        ? this.#client.iterateCustomers(filters, { ...options, maxItems: MAX_ENTRIES })
        : this.#client.iterateEndpoints(filters, { ...options, maxItems: MAX_ENTRIES });
    for await (const item of source) {
      const entry =
        kind === "customer"
          ? customerEntry(item as CustomerInfo)
          : endpointEntry(item as EndpointInfo);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }
}

function customerEntry(customer: CustomerInfo): DirectoryEntry | undefined {
  const id = firstText(customer.id);
  if (id === undefined) return undefined;
  const path = (customer.breadcrumb ?? [])
    .map((crumb) => firstText(crumb.name))
    .filter(Boolean)
    .join(" › ");
  return withOptional(
    { kind: "customer", id, name: firstText(customer.name) ?? id },
    path || undefined,
    firstText(customer.accountId),
  );
}

function endpointEntry(endpoint: EndpointInfo): DirectoryEntry | undefined {
  const id = firstText(endpoint.id);
  if (id === undefined) return undefined;
  const name = firstText(endpoint.displayName, endpoint.name, endpoint.phoneNumber) ?? id;
  const detail = [firstText(endpoint.type), firstText(endpoint.phoneNumber)]
    .filter(Boolean)
    .join(" ");
  return withOptional(
    { kind: "endpoint", id, name },
    detail || undefined,
    firstText(endpoint.accountId),
  );
}

function withOptional(
  entry: DirectoryEntry,
  detail: string | undefined,
  accountId: string | undefined,
): DirectoryEntry {
  if (detail !== undefined && detail !== entry.name) entry.detail = detail;
  if (accountId !== undefined) entry.accountId = accountId;
  return entry;
}

/** Lower case, accents and runs of space folded: "Front  Désk" reads as "front desk". */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The one rule for names: exact (folded), then an ID, then a phone number, then a unique contains. */
export function resolveName(entries: readonly DirectoryEntry[], name: string): NameResolution {
  const wanted = fold(name);
  const pick = (
    found: DirectoryEntry[],
    how: "exact" | "id" | "number" | "contains",
  ): NameResolution | undefined => {
    if (found.length === 1)
      return { status: "unique", name, entry: found[0] as DirectoryEntry, how };
    return found.length > 1 ? { status: "ambiguous", name, candidates: found } : undefined;
  };
  const number = normalisePhoneNumber(name);
  return (
    pick(
      entries.filter((e) => fold(e.name) === wanted),
      "exact",
    ) ??
    pick(
      entries.filter((e) => e.id === name.trim()),
      "id",
    ) ??
    (number === undefined || number.length < 7
      ? undefined
      : pick(
          entries.filter((e) =>
            [e.name, e.detail].some(
              (t) =>
                t !== undefined && t.split(" ").some((w) => normalisePhoneNumber(w) === number),
            ),
          ),
          "number",
        )) ??
    pick(
      entries.filter((e) => fold(e.name).includes(wanted)),
      "contains",
    ) ?? {
      status: "unknown",
      name,
      closest: closestEntries(entries, wanted, 5),
    }
  );
}

function searchScore(entry: DirectoryEntry, needle: string): number {
  const name = fold(entry.name);
  if (needle === "") return 1;
  if (name === needle) return 4;
  if (name.startsWith(needle)) return 3;
  if (name.includes(needle)) return 2;
  return fold(`${entry.detail ?? ""} ${entry.id}`).includes(needle) ? 1 : 0;
}

function closestEntries(
  entries: readonly DirectoryEntry[],
  wanted: string,
  n: number,
): DirectoryEntry[] {
  return entries
    .map((entry) => ({ entry, distance: editDistance(fold(entry.name), wanted) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, n)
    .map((item) => item.entry);
}

/** Levenshtein distance, two rows of memory; names are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
