/**
 * The one answer builder of the tools: every answer's text, structured JSON and resource links
 * share one size budget (see {@link TextBudget}); items go in while they fit, the first one
 * always; what did not fit is said in the same words everywhere; and scans report progress the
 * same way. The tools only decide what their lines and records say.
 */
import type { ScanProgress } from "@evo-sessions/core";
import type { CallToolResult, ResourceLink, ServerContext } from "@modelcontextprotocol/server";
import type { EvoSessionsContext } from "../context.js";
import { TextBudget } from "../format/budget.js";
import { backendNotice } from "./results.js";

/**
 * What a tool handler receives beside its arguments: the call's signal (aborted on cancellation
 * and at the deadline), its progress token, a way to send notifications about it, and the SDK's
 * own context for anything else (elicitation, the client's capabilities). Built by
 * registerEvoTool (register.ts) from the SDK's context, so the tools do not depend on its shape.
 */
export interface ToolExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number | undefined } | undefined;
  sendNotification(notification: {
    method: "notifications/progress";
    params: Record<string, unknown>;
  }): Promise<void>;
  /** The SDK's context of this request. */
  mcp: ServerContext;
}

/** Characters of `value` as JSON (what a structured answer costs). */
export function jsonChars(value: unknown): number {
  return JSON.stringify(value).length;
}

/** `1 session`, `3 sessions`: a count with its noun. */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One item of an answer: its text line(s) and what it adds to the JSON and the links. */
export interface AnswerPiece {
  text: string;
  /** Characters it adds outside the text (its JSON record, a resource link). */
  extraChars: number;
  /** Called once it went in (to record it in the JSON; a piece that did not fit is dropped). */
  onAdded?: () => void;
}

/** Options of {@link Answer.fit}. */
export interface FitOptions {
  /** Put the first item in even when it does not fit, so an answer never comes back empty-handed. */
  atLeastOne?: boolean;
  /** Most items to add. */
  max?: number;
}

/** An answer being built: lines, the JSON's size and resource links, within the token budget. */
export class Answer {
  readonly #budget: TextBudget;
  readonly #tokens: number;
  readonly #links: ResourceLink[] = [];

  /** Starts with the sandbox notice (when serving it) and the header lines, always kept. */
  constructor(ctx: EvoSessionsContext, header: readonly string[] = []) {
    this.#tokens = ctx.config.tokenBudget;
    this.#budget = new TextBudget(this.#tokens);
    for (const line of [...backendNotice(ctx), ...header]) this.#budget.force(line);
  }

  /** Adds a line that must appear (headings, notes, paging). */
  line(text: string): void {
    this.#budget.force(text);
  }

  /** Counts characters sent beside the text (the structured JSON's fixed part); negative returns them. */
  spend(chars: number): void {
    this.#budget.spend(chars);
  }

  /** True when `chars` more would still fit beside the room kept for the closing lines. */
  fits(chars: number): boolean {
    return this.#budget.fits(chars);
  }

  /** Adds a resource link (its size is the caller's piece's `extraChars`). */
  link(link: ResourceLink): void {
    this.#links.push(link);
  }

  /**
   * Adds items in order while they fit and returns how many went in. `piece` is asked for one item
   * at a time, after the previous one went in, so it may depend on what was shown (day headers).
   */
  fit<T>(
    items: readonly T[],
    piece: (item: T, index: number) => AnswerPiece,
    options: FitOptions = {},
  ): number {
    const max = Math.min(items.length, options.max ?? items.length);
    for (let i = 0; i < max; i++) {
      const { text, extraChars, onAdded } = piece(items[i] as T, i);
      if (i === 0 && options.atLeastOne === true && !this.#budget.fits(text.length + extraChars)) {
        this.#budget.force(text);
        this.#budget.spend(extraChars);
      } else if (!this.#budget.tryAdd(text, extraChars)) return i;
      onAdded?.();
    }
    return max;
  }

  /** `Left out: 3 more sessions (answer size budget, 4000 tokens of text and JSON); <then>.` */
  leftOut(what: string, then: string): void {
    this.#budget.force(
      `Left out: ${what} (answer size budget, ${this.#tokens} tokens of text and JSON); ${then}.`,
    );
  }

  /** The tool result: the text, then the links, with the structured JSON beside. */
  result<T extends Record<string, unknown>>(
    structuredContent: T,
  ): CallToolResult & { structuredContent: T } {
    return {
      content: [{ type: "text", text: this.#budget.text() }, ...this.#links],
      structuredContent,
    };
  }
}

/**
 * The progress callback of a scan, or undefined when the client did not ask for progress.
 * `most` is the most sessions the scan will read (its limit or cap): with the server's total it
 * bounds the `total` announced. Progress only ever grows, as MCP requires (a last, empty page
 * sends nothing).
 */
export function progressReporter(
  extra: ToolExtra,
  most: number,
): ((progress: ScanProgress) => Promise<void>) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let last = 0;
  return async ({ read, start, serverTotal }) => {
    if (read <= last) return;
    last = read;
    const total =
      serverTotal === undefined
        ? undefined
        : Math.max(read, Math.min(Math.max(0, serverTotal - start), most));
    await extra.sendNotification({
      method: "notifications/progress",
      params: {
        progressToken,
        progress: read,
        ...(total === undefined ? {} : { total }),
        message: `read ${read}${total === undefined ? "" : ` of ${total}`} sessions`,
      },
    });
  };
}
