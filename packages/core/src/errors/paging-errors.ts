import { EvoVoiceError, type EvoVoiceErrorOptions } from "./evo-voice-error.js";

/** Options of {@link PagingStalledError}. */
export interface PagingStalledErrorOptions extends EvoVoiceErrorOptions {
  /** The 0-based page at which paging stopped. */
  page: number;
}

/**
 * Paging stopped because the server would never finish: a page repeated the previous one, or
 * it kept announcing more pages past every sane bound.
 */
export class PagingStalledError extends EvoVoiceError {
  override readonly name = "PagingStalledError";
  /** The 0-based page at which paging stopped. */
  readonly page: number;

  constructor(message: string, options: PagingStalledErrorOptions) {
    super("paging_stalled", message, options);
    this.page = options.page;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), page: this.page };
  }
}
