/**
 * Where a counting tool reads its sessions: Evo Voice, or — when EVO_SESSIONS_STORE names a
 * store — the store for every scan it covers exactly (core's preferCopy decides per scan) and
 * Evo Voice for the rest. The answer then says which, and why not the store where it was not.
 */
import { basename } from "node:path";
import { z } from "zod";
import {
  formatWhen,
  preferCopy,
  summarizeChoices,
  type SessionSource,
  type SourceChoice,
} from "@evo-sessions/core";
import type { EvoSessionsContext } from "../context.js";
import { StoreError, withStore } from "./local-store.js";

/** Where one answer's sessions came from (absent without a store: always Evo Voice). */
export type SourceJson = {
  from: "store" | "evo" | "both";
  store: string;
  /** Oldest and newest sync of what was read from the store (ISO). */
  syncedFrom?: string;
  syncedTo?: string;
  /** Why Evo Voice was read instead, for the first scan it was. */
  reason?: string;
};

/** The source of one tool call, and what it will say about itself. */
export interface Reading {
  source: SessionSource;
  /** One line for the answer's text, when a store is configured. */
  line(): string | undefined;
  json(): SourceJson | undefined;
}

/** Runs `work` with the call's session source (the store opened for the call, then closed). */
export async function withSessionSource<T>(
  ctx: EvoSessionsContext,
  work: (reading: Reading) => Promise<T>,
): Promise<T> {
  const path = ctx.config.storePath;
  if (path === undefined)
    return work({ source: ctx.client, line: () => undefined, json: () => undefined });
  let opened = false;
  try {
    return await withStore(path, (store) => {
      opened = true;
      const choices: SourceChoice[] = [];
      const copy = store.copy({
        maxAgeMs: (ctx.config.storeMaxAgeMinutes ?? 60) * 60_000,
        now: () => ctx.now(),
        origin: ctx.client.baseUrl,
      });
      const source = preferCopy(copy, ctx.client, (choice) => choices.push(choice));
      return work(describedBy(source, () => sourceJson(path, choices), ctx.config.timeZone));
    });
  } catch (error) {
    // A store that cannot be opened (a sync writing it, a missing package) is no reason to fail.
    if (opened || !(error instanceof StoreError)) throw error;
    const reason = error.message.length > 300 ? `${error.message.slice(0, 299)}…` : error.message;
    const json: SourceJson = { from: "evo", store: basename(path), reason };
    return work(describedBy(ctx.client, () => json, ctx.config.timeZone));
  }
}

function describedBy(source: SessionSource, json: () => SourceJson, timeZone: string): Reading {
  return { source, json, line: () => sourceLine(json(), timeZone) };
}

function sourceJson(path: string, choices: readonly SourceChoice[]): SourceJson {
  const summary = summarizeChoices(choices);
  const from = summary.fromServer === 0 ? "store" : summary.fromCopy === 0 ? "evo" : "both";
  const { syncedFrom, syncedTo, reason } = summary;
  return {
    from,
    store: basename(path),
    ...(syncedFrom === undefined ? {} : { syncedFrom }),
    ...(syncedTo === undefined ? {} : { syncedTo }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** `Read from the local store store.duckdb (synced 10:02–10:05), not from Evo Voice.` */
export function sourceLine(json: SourceJson, timeZone: string): string {
  const when =
    json.syncedTo === undefined
      ? ""
      : ` (synced ${formatWhen(json.syncedFrom, timeZone) ?? "?"}${json.syncedFrom === json.syncedTo ? "" : ` – ${formatWhen(json.syncedTo, timeZone) ?? "?"}`})`;
  if (json.from === "store")
    return `Read from the local store ${json.store}${when}, not from Evo Voice.`;
  if (json.from === "both")
    return `Read partly from the local store ${json.store}${when}, the rest from Evo Voice: ${json.reason ?? "the store did not cover it"}.`;
  return `Read from Evo Voice, not the local store ${json.store}: ${json.reason ?? "it did not cover the window"}.`;
}

/** The `source` field of an answer's JSON (none without a store). */
export function sourceField(reading: Reading): { source?: SourceJson } {
  const json = reading.json();
  return json === undefined ? {} : { source: json };
}

/** The source line of an answer's text (none without a store). */
export function sourceLines(reading: Reading): string[] {
  const line = reading.line();
  return line === undefined ? [] : [line];
}

/** The `source` field in output schemas: its words are in the text, so listed loosely. */
export const SourceSchema = z.record(z.string(), z.unknown());
