// Values shorter than this are flags (ss-opt "perm"), not secrets, and would mangle ordinary words.
const MIN_SECRET_LENGTH = 6;

/**
 * Keeps secrets out of text that came from elsewhere (server messages, parser errors quoting a
 * body): every secret the client has ever held is replaced before the text reaches an error.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Remembers secrets to hide; old ones stay remembered after the session rotates. */
  add(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) {
        this.#secrets.add(secret);
        // Servers and parsers may echo a value URL-encoded or JSON-escaped.
        this.#secrets.add(encodeURIComponent(secret));
        this.#secrets.add(JSON.stringify(secret).slice(1, -1));
      }
    }
  }

  /** The text with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    }
    return out;
  }
}
