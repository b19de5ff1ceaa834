/**
 * Long session logs are mostly the same few lines again and again ("Still waiting in queue …
 * (position 3)", "Played hold music" every twenty seconds for an hour). Runs of entries with the
 * same shape — the same text once digits are ignored — are shown as one line with a count, so a
 * 290-entry log reads in a dozen lines.
 */

/** An entry of a log page: its message, when, and where it is. */
export interface LogItem {
  /** Position among the entries being shown (0-based, after any text filter). */
  position: number;
  /** 0-based index in the full log. */
  index: number;
  message: string;
  at: Date | undefined;
}

/** One line of a collapsed log: a single entry, or a pattern of `width` entries repeated `repeats` times. */
export interface LogLine {
  first: LogItem;
  last: LogItem;
  /** Entries in the repeated pattern (1–3). */
  width: number;
  /** Times the pattern occurred in a row (1 for a single entry). */
  repeats: number;
  /** The pattern's messages, numbers that changed written `first→last`. */
  messages: string[];
}

/** Longest pattern looked for: queue logs alternate two lines; three covers announce-wait-music. */
const MAX_WIDTH = 3;
/** A pattern must occur this many times in a row to be collapsed. */
const MIN_REPEATS = 3;

function shape(message: string): string {
  return message.replace(/\d+/g, "#").trim();
}

/** `Still waiting (position 6)` and `… (position 1)` → `Still waiting (position 6→1)`. */
export function mergeNumbers(first: string, last: string): string {
  if (first === last) return first;
  const a = first.split(/(\d+)/);
  const b = last.split(/(\d+)/);
  if (a.length !== b.length) return first;
  return a.map((part, i) => (i % 2 === 1 && part !== b[i] ? `${part}→${b[i]}` : part)).join("");
}

/** Groups `items` into lines, collapsing runs of same-shaped entries (or of 2–3 entry patterns). */
export function collapseRuns(items: readonly LogItem[]): LogLine[] {
  const shapes = items.map((item) => shape(item.message));
  const lines: LogLine[] = [];
  let i = 0;
  while (i < items.length) {
    let best = { width: 1, repeats: 1 };
    for (let width = 1; width <= MAX_WIDTH; width++) {
      let repeats = 1;
      const same = (r: number) => {
        for (let j = 0; j < width; j++)
          if (shapes[i + r * width + j] !== shapes[i + j]) return false;
        return true;
      };
      while (i + (repeats + 1) * width <= items.length && same(repeats)) repeats++;
      // Most entries covered wins; on a tie the narrower pattern (AAAA is A×4, not AA×2).
      if (repeats >= MIN_REPEATS && repeats * width > best.repeats * best.width) {
        best = { width, repeats };
      }
    }
    const count = best.width * best.repeats;
    const first = items[i] as LogItem;
    const last = items[i + count - 1] as LogItem;
    const messages: string[] = [];
    for (let j = 0; j < best.width; j++) {
      const head = (items[i + j] as LogItem).message;
      const tail = (items[i + (best.repeats - 1) * best.width + j] as LogItem).message;
      messages.push(mergeNumbers(head, tail));
    }
    lines.push({ first, last, width: best.width, repeats: best.repeats, messages });
    i += count;
  }
  return lines;
}

/** Each item as its own line (collapsing turned off). */
export function singleLines(items: readonly LogItem[]): LogLine[] {
  return items.map((item) => ({
    first: item,
    last: item,
    width: 1,
    repeats: 1,
    messages: [item.message],
  }));
}
