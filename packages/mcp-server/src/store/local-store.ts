/**
 * The local DuckDB store (`evo-sessions sync`, package @evo-sessions/cli), loaded only when
 * EVO_SESSIONS_STORE is set. DuckDB is not a dependency of this server: `@evo-sessions/cli` is an
 * optional peer, imported here by a specifier held in a variable, so neither Node (at start) nor a
 * bundler (the VS Code extension's esbuild) loads or follows it unless a store is configured.
 * The types below are the part of `@evo-sessions/cli/store` this server uses.
 */
import type { SessionCopy } from "@evo-sessions/core";

/** One read-only result of the store. */
export interface StoreQueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  truncated: boolean;
  elapsedMs: number;
}

/** Which (account, UTC day) pairs of a window the store holds. */
export interface StoreCoverage {
  covered: boolean;
  accounts: string[];
  days: number;
  missing: { accountId: string; day: string }[];
  oldestSync: string | undefined;
  newestSync: string | undefined;
}

/** A store opened read-only. */
export interface LocalStore {
  readonly path: string;
  query(
    sql: string,
    options?: { maxRows?: number; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<StoreQueryResult>;
  coverage(window: { from: string; to: string; accountIds?: string[] }): Promise<StoreCoverage>;
  /** The store as a session source that says which queries it covers (see core's preferCopy). */
  copy(options?: { maxAgeMs?: number; now?: () => Date; origin?: string }): SessionCopy;
  close(): void;
}

interface StoreModule {
  openStore(path: string): Promise<LocalStore>;
}

/** The package that holds the store. */
export const STORE_PACKAGE = "@evo-sessions/cli";
// Joined at run time, so that no bundler folds it into a literal and pulls DuckDB in.
const STORE_MODULE = [STORE_PACKAGE, "store"].join("/");

/** The store could not be opened or read; the message says what to do (an isError text). */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    /** `missing_package`, or the CLI's code: `store_missing`, `store_locked`, `sql_refused`, `sql_failed`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

let loaded: Promise<StoreModule> | undefined;

/**
 * Imports `@evo-sessions/cli/store` once (a failed import is tried again on the next call);
 * `importer` replaces the import (tests).
 */
async function storeModule(
  importer?: (specifier: string) => Promise<unknown>,
): Promise<StoreModule> {
  const attempt =
    importer === undefined
      ? (loaded ??= import(STORE_MODULE) as Promise<StoreModule>)
      : (importer(STORE_MODULE) as Promise<StoreModule>);
  try {
    return await attempt;
  } catch (error) {
    loaded = undefined;
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new StoreError(
        "missing_package",
        `EVO_SESSIONS_STORE is set, but ${STORE_PACKAGE} (which holds the DuckDB store) is not installed beside this server: install it (npm i ${STORE_PACKAGE}, in the same place as @evo-sessions/mcp-server) to query the store, or unset EVO_SESSIONS_STORE.`,
        { cause: error },
      );
    }
    throw new StoreError(
      "load_failed",
      `Could not load ${STORE_MODULE}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Opens the store for one piece of work and closes it after: a read-only DuckDB handle held
 * between calls would make `evo-sessions sync` (one writer per file) refuse while the server runs.
 */
export async function withStore<T>(
  path: string,
  work: (store: LocalStore) => Promise<T>,
  importer?: (specifier: string) => Promise<unknown>,
): Promise<T> {
  const module = await storeModule(importer);
  let store: LocalStore;
  try {
    store = await module.openStore(path);
  } catch (error) {
    throw asStoreError(error);
  }
  try {
    return await work(store);
  } catch (error) {
    throw asStoreError(error);
  } finally {
    store.close();
  }
}

/** The CLI's `CliError` (code and message written for a person or a model) as a StoreError. */
function asStoreError(error: unknown): unknown {
  if (error instanceof StoreError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (error.name !== "CliError" || typeof code !== "string") return error;
  return new StoreError(code, error.message, { cause: error });
}
