import { startedAt, type AccountRef, type SessionInfo } from "@evo-sessions/core";

/** Kinds of IDs the server remembers for completions. */
export type SeenKind = "account" | "customer" | "endpoint" | "session";

const MAX_PER_KIND = 2000;

/**
 * IDs (with names) the server has seen in answers, so that prompts and the session resource
 * can complete them. Bounded: the oldest entries go first; nothing here is a secret.
 */
export class SeenDirectory {
  private readonly maps: Record<SeenKind, Map<string, string>> = {
    account: new Map(),
    customer: new Map(),
    endpoint: new Map(),
    session: new Map(),
  };

  /** Remembers one ID and its label; re-seeing an ID makes it the newest. */
  note(kind: SeenKind, id: string | null | undefined, label?: string | null): void {
    if (id === null || id === undefined || id === "") return;
    const map = this.maps[kind];
    map.delete(id);
    map.set(id, label ?? "");
    if (map.size > MAX_PER_KIND) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }

  /** Remembers the account, customer, endpoint and session IDs of a session. */
  noteSession(session: SessionInfo): void {
    this.note("account", session.accountId, session.accountName);
    this.note("customer", session.customerId, session.customerName);
    this.note("endpoint", session.endpointId, session.endpointName);
    this.note("endpoint", session.answeredById, session.answeredByName);
    for (const member of session.members ?? [])
      this.note("endpoint", member.endpointId, member.displayName);
    // The wire date may be WCF style (`/Date(…)/`): labels carry it as ISO 8601 UTC to the minute.
    const started = startedAt(session)
      ?.toISOString()
      .replace(/:\d\d\.\d{3}Z$/, "Z");
    const label = [session.fromName ?? session.fromAddress, started]
      .filter((part) => part !== null && part !== undefined && part !== "")
      .join(" ");
    this.note("session", session.id, label);
  }

  /** Remembers the accounts a sign-in reaches. */
  noteAccounts(accounts: readonly AccountRef[]): void {
    for (const account of accounts) this.note("account", account.id, account.name);
  }

  /** The label remembered for an ID, if any. */
  label(kind: SeenKind, id: string): string | undefined {
    const label = this.maps[kind].get(id);
    return label === undefined || label === "" ? undefined : label;
  }

  /** Seen IDs of `kind` whose ID or label contains `typed` (case-insensitive), newest first. */
  complete(kind: SeenKind, typed: string, limit = 100): string[] {
    const needle = typed.trim().toLowerCase();
    const out: string[] = [];
    const entries = [...this.maps[kind].entries()].reverse();
    // IDs that start with what was typed come first; then IDs or names that contain it.
    for (const [id] of entries) if (id.toLowerCase().startsWith(needle)) out.push(id);
    for (const [id, label] of entries) {
      if (out.length >= limit) break;
      if (out.includes(id)) continue;
      if (id.toLowerCase().includes(needle) || label.toLowerCase().includes(needle)) out.push(id);
    }
    return out.slice(0, limit);
  }

  /** The newest seen IDs of `kind` with their labels. */
  recent(kind: SeenKind, limit: number): { id: string; label: string }[] {
    return [...this.maps[kind].entries()]
      .reverse()
      .slice(0, limit)
      .map(([id, label]) => ({ id, label }));
  }
}
