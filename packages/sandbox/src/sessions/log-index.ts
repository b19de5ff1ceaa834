import type { StoredSession } from "../data/model.js";

/**
 * True when one log entry of the session contains `needle` (already lower-cased), ignoring
 * case as String#toLowerCase does: the semantics every log search shares, indexed or not.
 * Entries are joined by "\n", which no message contains, and lower-casing keeps every "\n"
 * where it was, so a needle without "\n" found in the lower-cased text lies within one entry.
 */
export function logContains(session: StoredSession, needle: string): boolean {
  return !needle.includes("\n") && session.logText.toLowerCase().includes(needle);
}

/**
 * An inverted index of log messages. Generated logs are made of templates, so 100k sessions
 * (~1.6M entries, 60 MB of text) hold only ~100k distinct messages (~5 MB): a search scans
 * distinct lower-cased messages, then marks the sessions each matching message appears in.
 * A message either contains the needle or not, so no session needs checking afterwards.
 * Finding the messages: a needle of 3+ characters checks only the messages holding its
 * rarest trigram; a shorter one (or one of common trigrams only) scans all of them (~2 ms).
 *
 * Sessions are named by ordinal (see {@link SessionStore}): ordinals at or past `covered`
 * were added after the build, and `stale` ones had entries appended since; both are
 * searched directly, so the index always agrees with the logs the server returns.
 */
export class LogIndex {
  /** Every distinct lower-cased message, each followed by "\n". */
  private readonly messages: string;
  /** Where each message starts in `messages`, plus the end: message m is [starts[m], starts[m+1] - 1). */
  private readonly starts: Int32Array;
  /** Sessions of message m: postings[postingStarts[m] .. postingStarts[m+1]). */
  private readonly postingStarts: Int32Array;
  private readonly postings: Int32Array;
  /** Trigram → its number; a trigram no message holds is absent. */
  private readonly trigramIds = new Map<number, number>();
  /**
   * Messages holding trigram t: trigramPostings[trigramStarts[t] .. trigramStarts[t+1]).
   * Trigrams in more than one message in COMMON_TRIGRAM_SHARE keep no list: they would cost
   * memory without narrowing a search much.
   */
  private readonly trigramStarts: Int32Array;
  private readonly trigramPostings: Int32Array;
  /** Ordinals below this were indexed. */
  readonly covered: number;
  private readonly stale = new Set<number>();

  /** Indexes the logs of the sessions with ordinals 0 .. count-1. */
  constructor(count: number, sessionAt: (ordinal: number) => StoredSession) {
    const ids = new Map<string, number>();
    const texts: string[] = [];
    // Per entry its message id; per session where its entries end. Deduplication per session
    // uses the last session each message was seen in, which is cheaper than a Set per session.
    let entryIds = new Int32Array(1 << 20);
    let entries = 0;
    const sessionEnds = new Int32Array(count);
    let lastSeen = new Int32Array(1 << 16).fill(-1);
    let counts = new Int32Array(1 << 16);
    for (let ordinal = 0; ordinal < count; ordinal++) {
      const session = sessionAt(ordinal);
      if (session.logOffsets.length > 0) {
        for (const message of session.logText.toLowerCase().split("\n")) {
          let id = ids.get(message);
          if (id === undefined) {
            id = texts.length;
            ids.set(message, id);
            texts.push(message);
            if (id >= lastSeen.length) {
              lastSeen = grow(lastSeen, -1);
              counts = grow(counts, 0);
            }
          }
          if (lastSeen[id] === ordinal) continue;
          lastSeen[id] = ordinal;
          counts[id] = (counts[id] as number) + 1;
          if (entries === entryIds.length) entryIds = grow(entryIds, 0);
          entryIds[entries++] = id;
        }
      }
      sessionEnds[ordinal] = entries;
    }
    const distinct = texts.length;
    this.starts = new Int32Array(distinct + 1);
    let at = 0;
    for (let id = 0; id < distinct; id++) {
      this.starts[id] = at;
      at += (texts[id] as string).length + 1;
    }
    this.starts[distinct] = at;
    this.messages = texts.length === 0 ? "" : `${texts.join("\n")}\n`;
    this.postingStarts = new Int32Array(distinct + 1);
    for (let id = 0; id < distinct; id++)
      this.postingStarts[id + 1] = (this.postingStarts[id] as number) + (counts[id] as number);
    this.postings = new Int32Array(entries);
    const fill = this.postingStarts.slice(0, distinct);
    let entry = 0;
    for (let ordinal = 0; ordinal < count; ordinal++) {
      const end = sessionEnds[ordinal] as number;
      for (; entry < end; entry++) {
        const id = entryIds[entry] as number;
        this.postings[fill[id] as number] = ordinal;
        fill[id] = (fill[id] as number) + 1;
      }
    }
    this.covered = count;
    [this.trigramStarts, this.trigramPostings] = this.indexTrigrams(texts);
  }

  private indexTrigrams(texts: readonly string[]): [Int32Array, Int32Array] {
    const lastSeen: number[] = [];
    const counts: number[] = [];
    const each = (visit: (trigram: number, message: number) => void): void => {
      texts.forEach((text, message) => {
        for (let at = 0; at + 3 <= text.length; at++) {
          const code = trigramCode(text, at);
          let trigram = this.trigramIds.get(code);
          if (trigram === undefined) {
            trigram = counts.length;
            this.trigramIds.set(code, trigram);
            counts.push(0);
            lastSeen.push(-1);
          }
          if (lastSeen[trigram] === message) continue;
          lastSeen[trigram] = message;
          visit(trigram, message);
        }
      });
    };
    each((trigram) => (counts[trigram] = (counts[trigram] as number) + 1));
    const limit = Math.max(64, Math.ceil(texts.length * COMMON_TRIGRAM_SHARE));
    const starts = new Int32Array(counts.length + 1);
    counts.forEach((n, trigram) => {
      starts[trigram + 1] = (starts[trigram] as number) + (n <= limit ? n : 0);
    });
    const postings = new Int32Array(starts[counts.length] as number);
    const fill = starts.slice(0, counts.length);
    lastSeen.fill(-1);
    each((trigram, message) => {
      if ((counts[trigram] as number) > limit) return;
      postings[fill[trigram] as number] = message;
      fill[trigram] = (fill[trigram] as number) + 1;
    });
    return [starts, postings];
  }

  /**
   * The distinct messages containing `needle`: by the trigram of it that the fewest messages
   * hold, each candidate checked; by a scan of all of them when the needle is shorter than a
   * trigram or made only of common ones.
   */
  private messagesContaining(needle: string): number[] {
    const { messages, starts } = this;
    let best: number | undefined;
    if (needle.length >= 3) {
      for (let at = 0; at + 3 <= needle.length; at++) {
        const trigram = this.trigramIds.get(trigramCode(needle, at));
        // A trigram no message holds: nothing can match.
        if (trigram === undefined) return [];
        const size = this.trigramSize(trigram);
        if (size > 0 && (best === undefined || size < this.trigramSize(best))) best = trigram;
      }
    }
    const found: number[] = [];
    if (best !== undefined) {
      const end = this.trigramStarts[best + 1] as number;
      for (let p = this.trigramStarts[best] as number; p < end; p++) {
        const message = this.trigramPostings[p] as number;
        const text = messages.slice(starts[message], (starts[message + 1] as number) - 1);
        if (text.includes(needle)) found.push(message);
      }
      return found;
    }
    for (let from = indexOf(messages, needle, 0); from >= 0;) {
      const message = messageAt(starts, from);
      found.push(message);
      // Whether the message holds the needle again does not matter: go on with the next one.
      from = indexOf(messages, needle, starts[message + 1] as number);
    }
    return found;
  }

  private trigramSize(trigram: number): number {
    return (this.trigramStarts[trigram + 1] as number) - (this.trigramStarts[trigram] as number);
  }

  /** Marks a session whose log changed after the build: it is searched directly from now on. */
  invalidate(ordinal: number): void {
    if (ordinal < this.covered) this.stale.add(ordinal);
  }

  /**
   * The sessions (by ordinal, 1 = match) with an entry containing `needle`, lower-cased.
   * `count` is how many sessions the store holds now; `sessionAt` reads the current ones.
   */
  search(needle: string, count: number, sessionAt: (ordinal: number) => StoredSession): Uint8Array {
    const hits = new Uint8Array(count);
    if (needle.includes("\n")) return hits;
    const { postings, postingStarts } = this;
    for (const message of this.messagesContaining(needle)) {
      const end = postingStarts[message + 1] as number;
      for (let p = postingStarts[message] as number; p < end; p++) hits[postings[p] as number] = 1;
    }
    for (const ordinal of this.stale)
      hits[ordinal] = logContains(sessionAt(ordinal), needle) ? 1 : 0;
    for (let ordinal = this.covered; ordinal < count; ordinal++)
      hits[ordinal] = logContains(sessionAt(ordinal), needle) ? 1 : 0;
    return hits;
  }
}

/** Trigrams in more than this share of the messages keep no posting list. */
const COMMON_TRIGRAM_SHARE = 1 / 16;

/** Three UTF-16 code units as one number (exact: 48 bits). */
function trigramCode(text: string, at: number): number {
  return (
    text.charCodeAt(at) * 4_294_967_296 + text.charCodeAt(at + 1) * 65_536 + text.charCodeAt(at + 2)
  );
}

function indexOf(text: string, needle: string, from: number): number {
  return from >= text.length ? -1 : text.indexOf(needle, from);
}

/** The message a position of the joined text falls in (binary search over the starts). */
function messageAt(starts: Int32Array, position: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function grow(array: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2).fill(fill);
  bigger.set(array);
  return bigger;
}
