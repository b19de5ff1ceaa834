/**
 * Keeps secrets out of text that came from elsewhere (server messages, parser errors quoting a
 * body): every secret the client has ever held is replaced before the text reaches an error.
 *
 * Every secret is registered whatever its length: a short password is still a password, and a
 * message mangled around a three-letter secret is a far smaller harm than quoting it. Only values
 * that are not secrets stay out (the `ss-opt` flag "perm"/"temp"; see the cookie jar).
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Remembers secrets to hide; old ones stay remembered after the session rotates. */
  add(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (secret === undefined || secret === "") continue;
      // Servers and parsers may echo a value URL-encoded or JSON-escaped.
      for (const form of [
        secret,
        encodeURIComponent(secret),
        JSON.stringify(secret).slice(1, -1),
      ]) {
        if (!this.#secrets.has(form)) {
          this.#secrets.add(form);
          this.#pattern = undefined;
        }
      }
    }
  }

  /** The text with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    // One pass over all secrets, longest first: replacing them one after another would let a
    // short secret match inside an earlier "[redacted]" or inside a longer secret's remains.
    this.#pattern ??= new RegExp(
      [...this.#secrets]
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return text.replace(this.#pattern, "[redacted]");
  }
}
