/**
 * Most rotating secrets (cookie values, bearer tokens) remembered. The live ones are re-added on
 * every response and so always among the newest; older ones are kept for a while because a
 * message may quote a value of the session before, and then forgotten, so an upstream that sets
 * a new cookie on every response (load balancers do) cannot grow memory or redaction time.
 */
export const MAX_REMEMBERED_SECRETS = 128;

// Whatever their value, ServiceStack session cookies and bearer tokens quoted in text are hidden
// by shape too, so a value that has already been forgotten is still not shown.
const SHAPED_SECRETS =
  /\b(ss-id|ss-pid|ss_id|ss_pid)(\s*[=:]\s*"?)[^\s;,"'&]+|\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/**
 * Keeps secrets out of text that came from elsewhere (server messages, parser errors quoting a
 * body): the pinned secrets (the password, the Basic token), the most recent
 * {@link MAX_REMEMBERED_SECRETS} rotating ones, and anything shaped like a session cookie or a
 * bearer token are replaced before the text reaches an error.
 *
 * Every secret is registered whatever its length: a short password is still a password, and a
 * message mangled around a three-letter secret is a far smaller harm than quoting it. Only values
 * that are not secrets stay out (the `ss-opt` flag "perm"/"temp"; see the cookie jar).
 */
export class Redactor {
  readonly #pinned = new Set<string>();
  // Insertion order is recency: a value seen again moves to the end, the oldest is evicted first.
  readonly #recent = new Map<string, string[]>();
  #pattern: RegExp | undefined;

  /** Secrets kept for the client's whole life: the password and what is derived from it. */
  pin(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (secret === undefined || secret === "") continue;
      for (const form of formsOf(secret)) {
        if (!this.#pinned.has(form)) {
          this.#pinned.add(form);
          this.#pattern = undefined;
        }
      }
    }
  }

  /** Rotating secrets (cookie values, tokens): remembered among the most recent ones. */
  add(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (secret === undefined || secret === "") continue;
      const known = this.#recent.get(secret);
      this.#recent.delete(secret);
      this.#recent.set(secret, known ?? formsOf(secret));
      if (known !== undefined) continue;
      this.#pattern = undefined;
      if (this.#recent.size > MAX_REMEMBERED_SECRETS) {
        const oldest = this.#recent.keys().next().value;
        if (oldest !== undefined) this.#recent.delete(oldest);
      }
    }
  }

  /** How many secrets are remembered (pinned forms and rotating values), for tests and benchmarks. */
  get size(): number {
    return this.#pinned.size + this.#recent.size;
  }

  /** The text with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    const shaped = text.replace(SHAPED_SECRETS, (_match, name, sep, bearer) =>
      bearer === undefined ? `${name}${sep}[redacted]` : `${bearer}[redacted]`,
    );
    if (this.#pinned.size === 0 && this.#recent.size === 0) return shaped;
    // One pass over all secrets, longest first: replacing them one after another would let a
    // short secret match inside an earlier "[redacted]" or inside a longer secret's remains.
    this.#pattern ??= new RegExp(
      [...new Set([...this.#pinned, ...[...this.#recent.values()].flat()])]
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return shaped.replace(this.#pattern, "[redacted]");
  }
}

/** Servers and parsers may echo a value URL-encoded or JSON-escaped. */
function formsOf(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}
