/**
 * How an open callback reads in the Callbacks view: pure text from core's queue entry, so the
 * wording is unit-tested. Core's miss reasons are typed here as strings (type-only import): the
 * main bundle must not pull in core's analytics.
 */
import type { MissReason } from "@evo-sessions/core";
import type { CallbackEntry } from "../dashboard/analytics-chunk.js";

const REASONS: Record<MissReason, string> = {
  "short-abandon": "hung up within seconds",
  "abandoned-in-queue": "hung up in the queue",
  "abandoned-in-flow": "hung up in the call flow",
  voicemail: "went to voicemail",
  "no-answer": "no answer",
  busy: "busy",
  failed: "failed",
  "out-of-hours": "out of hours",
};

/** Why a call was missed, in words. */
export function reasonText(reason: MissReason | string): string {
  return (REASONS as Record<string, string>)[reason] ?? reason.replace(/-/g, " ");
}

/** `no answer ×2, voicemail`: each reason once, with how often, in the order first seen. */
export function reasonsText(reasons: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts]
    .map(([reason, count]) => (count > 1 ? `${reasonText(reason)} ×${count}` : reasonText(reason)))
    .join(", ");
}

/** `5 min`, `3 h`, `2 d` — how long the caller has waited. */
export function waitText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** The row: caller (or number), and `3 tries · waiting 4 h · no answer ×2, voicemail`. */
export function callbackRow(entry: CallbackEntry): { label: string; description: string } {
  const label = entry.displayName ?? entry.displayNumber;
  const tries = entry.attempts === 1 ? "1 try" : `${entry.attempts} tries`;
  return {
    label,
    description: `${tries} · waiting ${waitText(entry.ageMs)} · ${reasonsText(entry.reasons)}`,
  };
}

/** The tooltip's lines (Markdown-free text; the view puts them in a Markdown string). */
export function callbackDetails(
  entry: CallbackEntry,
  formatWhen: (iso: string) => string,
): string[] {
  const lines = [
    `${entry.displayName ?? "Unknown caller"} — ${entry.displayNumber} (${entry.number})`,
    `${entry.attempts === 1 ? "Missed once" : `Missed ${entry.attempts} times`}: ${reasonsText(entry.reasons)}`,
    `First missed ${formatWhen(entry.firstMissedAt)}; last ${formatWhen(entry.lastMissedAt)}`,
  ];
  if (entry.accountName !== undefined) lines.push(`Account: ${entry.accountName}`);
  if (entry.customerName !== undefined) lines.push(`Customer: ${entry.customerName}`);
  if (entry.calledEndpoint !== undefined) lines.push(`Called: ${entry.calledEndpoint}`);
  return lines;
}
