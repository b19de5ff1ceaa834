/**
 * Answers are sized by an estimate of tokens, not by a tokenizer: model tokenizers differ and
 * are not available offline, and for the short ASCII lines these tools write one token is close
 * to four characters. The estimate errs towards fewer characters per token for non-ASCII text
 * (names with accents, arrows), which counts every UTF-16 unit.
 */
export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `text` (characters / 4, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Collects lines up to a size limit, counting also what is sent beside the text (the structured
 * JSON, resource links: see {@link TextBudget.spend}), so the whole answer fits. Header and footer lines are always kept (they are short
 * and carry what the model needs: accounts, filters, paging); body lines are added only while
 * they fit beside the room reserved for the footer.
 */
export class TextBudget {
  readonly maxChars: number;
  private readonly lines: string[] = [];
  private used = 0;

  constructor(
    tokens: number,
    private readonly reserveChars = 600,
  ) {
    this.maxChars = tokens * CHARS_PER_TOKEN;
  }

  /** Characters used so far, counting one newline per line. */
  get size(): number {
    return this.used;
  }

  /** Adds a line that must appear (headers); never refused. */
  force(line: string): void {
    this.lines.push(line);
    this.used += line.length + 1;
  }

  /** Adds a body line when it fits beside the reserve; returns false (and adds nothing) when not. */
  tryAdd(line: string, extraChars = 0): boolean {
    const cost = line.length + 1 + extraChars;
    if (this.used + cost + this.reserveChars > this.maxChars) return false;
    this.lines.push(line);
    this.used += cost;
    return true;
  }

  /** True when a body line of `chars` (with its newline) would still fit beside the reserve. */
  fits(chars: number): boolean {
    return this.used + chars + 1 + this.reserveChars <= this.maxChars;
  }

  /** Accounts for characters spent outside the text (e.g. resource links) without a line. */
  spend(chars: number): void {
    this.used += chars;
  }

  /** The text so far, cut to the limit as a last resort so the promise of the budget holds. */
  text(): string {
    const text = this.lines.join("\n");
    if (text.length <= this.maxChars) return text;
    const note = "\n[cut at the size limit]";
    return text.slice(0, Math.max(0, this.maxChars - note.length)) + note;
  }
}

/** Cuts `text` to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
}
