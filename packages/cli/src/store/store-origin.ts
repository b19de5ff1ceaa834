/**
 * Which Evo Voice a store holds sessions of. One store, one server: syncing another server's
 * sessions into it would mix two sets of accounts (and a count over both), and a store read for
 * another server would answer with the wrong server's sessions. A sandbox on this machine runs on
 * a new port each time, so every loopback origin counts as the same one.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { isLoopbackHost } from "@evo-sessions/core";
import { CliError } from "../errors.js";

/** The origin as the store records it: `http://localhost` for any loopback sandbox. */
export function originKey(baseUrl: string): string {
  const url = new URL(baseUrl);
  return isLoopbackHost(url.hostname) ? "http://localhost (a local sandbox)" : url.origin;
}

/** The origin the store holds, when it recorded one (stores synced before it did not). */
export async function storedOrigin(connection: DuckDBConnection): Promise<string | undefined> {
  const rows = (
    await connection.runAndReadAll("SELECT value FROM store_meta WHERE key = 'origin'")
  ).getRowObjectsJson();
  const value = rows[0]?.value;
  return typeof value === "string" ? value : undefined;
}

/** Records `baseUrl` as the store's origin, or refuses a store of another server. */
export async function claimOrigin(
  connection: DuckDBConnection,
  path: string,
  baseUrl: string,
): Promise<void> {
  const wanted = originKey(baseUrl);
  const held = await storedOrigin(connection);
  if (held === undefined) {
    await connection.run("INSERT OR REPLACE INTO store_meta VALUES ('origin', $1)", [wanted]);
  } else if (held !== wanted) {
    throw new CliError(
      "usage",
      `${path} holds sessions of ${held}, not of ${wanted}: sync each server into its own store (--store ANOTHER_FILE).`,
      { argument: "--store" },
    );
  }
}
