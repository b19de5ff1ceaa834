import type { StoredSession } from "../data/model.js";

/** Gives each distinct string a small number, in order of first appearance. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  intern(value: string | undefined): number {
    if (value === undefined) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The id of a value, if it was ever interned. */
  idOf(value: string): number | undefined {
    return this.ids.get(value);
  }

  /** 1 for the ids of the given values (unknown values mark nothing). */
  maskOf(values: Iterable<string>): Uint8Array {
    const mask = new Uint8Array(this.values.length);
    for (const value of values) {
      const id = this.ids.get(value);
      if (id !== undefined) mask[id] = 1;
    }
    return mask;
  }

  /** 1 for the ids of the values containing `needle` (values are already lower-cased). */
  maskContaining(needle: string): Uint8Array {
    const mask = new Uint8Array(this.values.length);
    this.values.forEach((value, id) => {
      if (value.includes(needle)) mask[id] = 1;
    });
    return mask;
  }
}

/**
 * What the list filters compare, per session, as numbers in typed arrays indexed by ordinal.
 * Reading these instead of the session objects keeps a 100k-session scan inside the CPU cache:
 * the objects are scattered over the heap, and one cache miss per session was most of a
 * scan's time. Strings (accounts, customers, endpoints, parents, the from/to haystacks) are interned:
 * a filter is resolved once over the few distinct values, then checked with one array read.
 */
export class SessionColumns {
  readonly accounts = new Interner();
  readonly customers = new Interner();
  readonly endpoints = new Interner();
  readonly fromKeys = new Interner();
  readonly toKeys = new Interner();
  readonly parents = new Interner();
  account = new Int32Array(1024);
  customer = new Int32Array(1024);
  endpoint = new Int32Array(1024);
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  parent = new Int32Array(1024);
  /** How many ordinals are filled. */
  size = 0;

  /** Adds the next ordinal's session. */
  append(session: StoredSession): void {
    if (this.size === this.account.length) {
      this.account = grown(this.account);
      this.customer = grown(this.customer);
      this.endpoint = grown(this.endpoint);
      this.from = grown(this.from);
      this.to = grown(this.to);
      this.parent = grown(this.parent);
    }
    this.set(this.size++, session);
  }

  /** Reads a session's filter fields again (after live mode changed it). */
  set(ordinal: number, session: StoredSession): void {
    this.account[ordinal] = this.accounts.intern(session.accountId);
    this.customer[ordinal] = this.customers.intern(session.customerId);
    this.endpoint[ordinal] = this.endpoints.intern(session.endpointId);
    this.from[ordinal] = this.fromKeys.intern(session.fromKey);
    this.to[ordinal] = this.toKeys.intern(session.toKey);
    this.parent[ordinal] = this.parents.intern(session.parentSessionId);
  }
}

function grown(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
