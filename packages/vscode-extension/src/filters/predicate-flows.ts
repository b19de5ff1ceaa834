// The filters ListSessions lacks — missed, direction, channel, outcome class — as menu steps.
// They set SessionFilters fields that become core's predicates (filtersToQuery), so the view
// keeps exactly the sessions the chat's list_sessions keeps for the same words.
import { OutcomeKinds, type KnownChannel, type KnownDirection } from "@evo-sessions/core";
import type * as vscode from "vscode";
import { BACK, pickMany, pickOne } from "../ui/quick-input.js";
import type { FilterStore } from "./filter-store.js";
import { outcomeKindLabel, type SessionFilters } from "./session-filters.js";

/** How a filter step ended: applied, Back pressed, or the input closed. */
export type Outcome = "applied" | "back" | "closed";

/** What the steps read. */
export interface PredicateContext {
  store: FilterStore;
}

/** What each outcome class means, in the picker. */
const OUTCOME_DETAILS: Record<(typeof OutcomeKinds)[number], string> = {
  live: "ringing, connected or on hold now",
  answered: "someone answered",
  voicemail: "went to voicemail",
  abandoned: "the caller hung up before an answer",
  "no-answer": "rang out, nobody answered",
  busy: "the line was busy",
  failed: "the call failed",
  delivered: "a chat or fax that was delivered",
  unknown: "the server did not say",
};

/** Missed only ↔ any: the quick toggle of the view's title. */
export async function toggleMissed(context: PredicateContext): Promise<Outcome> {
  const missed = context.store.filters.missed === true ? undefined : true;
  await context.store.update({ missed });
  return "applied";
}

/** Missed: only missed, only not missed, or either. */
export async function pickMissed(
  context: PredicateContext,
  options: { back: boolean },
): Promise<Outcome> {
  const current = context.store.filters.missed;
  const items = [
    { label: "Missed only", value: true as boolean | undefined },
    { label: "Not missed", value: false as boolean | undefined },
    { label: "Missed or not", value: undefined as boolean | undefined },
  ].map((item) => ({ ...item, description: item.value === current ? "current" : undefined }));
  const choice = await pickOne({ title: "Filter Missed Sessions", items, back: options.back });
  if (choice === undefined) return "closed";
  if (choice === BACK) return "back";
  await context.store.update({ missed: choice.value });
  return "applied";
}

/** Incoming, outgoing or either. */
export function pickDirection(
  context: PredicateContext,
  options: { back: boolean },
): Promise<Outcome> {
  return pickOneOf<KnownDirection>(context, options, {
    title: "Filter by Direction",
    key: "direction",
    values: [
      ["Incoming", "$(call-incoming) Incoming"],
      ["Outgoing", "$(call-outgoing) Outgoing"],
    ],
    any: "Either direction",
  });
}

/** Voice, chat, fax or any. */
export function pickChannel(
  context: PredicateContext,
  options: { back: boolean },
): Promise<Outcome> {
  return pickOneOf<KnownChannel>(context, options, {
    title: "Filter by Channel",
    key: "channel",
    values: [
      ["Voice", "$(call-incoming) Calls"],
      ["Chat", "$(comment-discussion) Chats"],
      ["Fax", "$(file-text) Faxes"],
    ],
    any: "Any channel",
  });
}

async function pickOneOf<T extends string>(
  context: PredicateContext,
  options: { back: boolean },
  spec: { title: string; key: "direction" | "channel"; values: [T, string][]; any: string },
): Promise<Outcome> {
  const current = context.store.filters[spec.key];
  type Item = vscode.QuickPickItem & { value: T | undefined };
  const items: Item[] = [
    ...spec.values.map(([value, label]): Item => ({ label, value })),
    { label: spec.any, value: undefined },
  ].map((item) => ({ ...item, description: item.value === current ? "current" : undefined }));
  const choice = await pickOne({ title: spec.title, items, back: options.back });
  if (choice === undefined) return "closed";
  if (choice === BACK) return "back";
  await context.store.update({ [spec.key]: choice.value } as Partial<SessionFilters>);
  return "applied";
}

/** Any of core's outcome classes (none ticked = any). */
export async function pickOutcomeKinds(
  context: PredicateContext,
  options: { back: boolean },
): Promise<Outcome> {
  const current = new Set(context.store.filters.outcomeKinds ?? []);
  const items = OutcomeKinds.map((kind) => ({
    label: outcomeKindLabel(kind),
    description: OUTCOME_DETAILS[kind],
    picked: current.has(kind),
    outcome: kind,
  }));
  const picked = await pickMany({
    title: "Filter by Outcome",
    placeholder: "Tick outcomes to keep (none ticked = any outcome)",
    items,
    back: options.back,
  });
  if (picked === undefined) return "closed";
  if (picked === BACK) return "back";
  const kinds = OutcomeKinds.filter((kind) => picked.some((item) => item.outcome === kind));
  await context.store.update({ outcomeKinds: kinds.length > 0 ? kinds : undefined });
  return "applied";
}

/** The Filter menu's lines for these filters: label, current value, step. */
export function predicateMenuItems(filters: SessionFilters): {
  label: string;
  description: string;
  flow: (context: PredicateContext, options: { back: boolean }) => Promise<Outcome>;
}[] {
  const missed =
    filters.missed === true ? "missed only" : filters.missed === false ? "not missed" : "any";
  return [
    { label: "Missed", description: missed, flow: pickMissed },
    {
      label: "Direction",
      description: filters.direction?.toLowerCase() ?? "any",
      flow: pickDirection,
    },
    { label: "Channel", description: filters.channel?.toLowerCase() ?? "any", flow: pickChannel },
    {
      label: "Outcome",
      description: filters.outcomeKinds?.map(outcomeKindLabel).join(", ") ?? "any",
      flow: pickOutcomeKinds,
    },
  ];
}
