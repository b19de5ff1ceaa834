import {
  firstText,
  isCalendarDate,
  localDateIn,
  type AccountRef,
  type DirectoryEntry,
  type SessionInfo,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { askText, BACK, pickMany, pickOne } from "../ui/quick-input.js";
import type { FilterStore } from "./filter-store.js";
import {
  pickChannel,
  pickDirection,
  pickMissed,
  pickOutcomeKinds,
  predicateMenuItems,
  toggleMissed,
} from "./predicate-flows.js";
import {
  datePresets,
  describeDateRange,
  type DateRangeFilter,
  type SessionFilters,
} from "./session-filters.js";

/** What the filter commands read from their surroundings. */
export interface FilterCommandContext {
  store: FilterStore;
  /** Loaded sessions: their accounts, customers and endpoints are offered in pickers. */
  sessions(): readonly SessionInfo[];
  /** Accounts the sign-in reaches (`/auth/status`); empty when unknown. */
  accounts(): Promise<AccountRef[]>;
  /**
   * The sign-in's customers or endpoints by name (core's `Directory`, within the accounts
   * given), so the pickers offer every name, not only those in the loaded sessions.
   */
  directory?(
    kind: "customer" | "endpoint",
    accountIds: readonly string[],
  ): Promise<DirectoryEntry[]>;
  now(): Date;
  timeZone(): string;
}

interface IdChoice {
  id: string;
  name?: string | undefined;
  /** What tells namesakes apart: a customer's breadcrumb, an endpoint's type and number. */
  detail?: string | undefined;
}

type IdFilterKey = "accountIds" | "customerIds" | "endpointIds";

const ENTER_IDS_LABEL = "$(edit) Enter IDs…";
const MAX_TEXT_LENGTH = 200;

/** How a filter step ended: applied, Back pressed, or the input closed. */
type Outcome = "applied" | "back" | "closed";

/** Options of a filter flow: whether its first step shows Back (run from the Filter menu). */
interface FlowOptions {
  back: boolean;
}

type Flow = (context: FilterCommandContext, options: FlowOptions) => Promise<Outcome>;

/** Registers every filter command. */
export function registerFilterCommands(context: FilterCommandContext): vscode.Disposable[] {
  const register = (id: string, flow: Flow) =>
    vscode.commands.registerCommand(id, () => flow(context, { back: false }));
  return [
    vscode.commands.registerCommand(COMMANDS.filter, () => filterMenu(context)),
    vscode.commands.registerCommand(COMMANDS.clearFilters, () => context.store.clear()),
    register(COMMANDS.filterDateRange, pickDateRange),
    register(COMMANDS.filterFrom, (c, o) => askTextFilter(c, "from", o)),
    register(COMMANDS.filterTo, (c, o) => askTextFilter(c, "to", o)),
    register(COMMANDS.filterLog, (c, o) => askTextFilter(c, "log", o)),
    register(COMMANDS.filterAccounts, (c, o) => pickIds(c, "accountIds", o)),
    register(COMMANDS.filterCustomers, (c, o) => pickIds(c, "customerIds", o)),
    register(COMMANDS.filterEndpoints, (c, o) => pickIds(c, "endpointIds", o)),
    register(COMMANDS.filterArchive, toggleArchive),
    register(COMMANDS.filterSort, pickSort),
    register(COMMANDS.filterMissedOnly, toggleMissed),
    register(COMMANDS.filterMissedOff, toggleMissed),
    register(COMMANDS.filterMissed, pickMissed),
    register(COMMANDS.filterDirection, pickDirection),
    register(COMMANDS.filterChannel, pickChannel),
    register(COMMANDS.filterOutcome, pickOutcomeKinds),
  ];
}

/** Label of the Filter menu's item that closes it. */
export const FILTER_MENU_DONE_LABEL = "$(check) Done";

/**
 * The Filter menu: each filter with its current value. After a filter is set (or its Back
 * button pressed) the menu comes back, so several filters can be set in one go, until "Done"
 * or Escape closes it.
 */
async function filterMenu(context: FilterCommandContext): Promise<void> {
  let last: string | undefined;
  for (;;) {
    const filters = context.store.filters;
    const ids = (list: string[] | undefined) =>
      list?.length ? list.map((id) => filters.names?.[id] ?? id).join(", ") : "any";
    type Item = vscode.QuickPickItem & { flow?: Flow };
    const items: Item[] = [
      { label: FILTER_MENU_DONE_LABEL, description: "close this menu" },
      {
        label: "Date range",
        description: filters.dateRange ? describeDateRange(filters.dateRange) : "any",
        flow: pickDateRange,
      },
      {
        label: "From contains",
        description: filters.from ?? "any",
        flow: (c, o) => askTextFilter(c, "from", o),
      },
      {
        label: "To contains",
        description: filters.to ?? "any",
        flow: (c, o) => askTextFilter(c, "to", o),
      },
      {
        label: "Text in log",
        description: filters.log ?? "any",
        flow: (c, o) => askTextFilter(c, "log", o),
      },
      ...predicateMenuItems(filters),
      {
        label: "Accounts",
        description: ids(filters.accountIds),
        flow: (c, o) => pickIds(c, "accountIds", o),
      },
      {
        label: "Customers",
        description: ids(filters.customerIds),
        flow: (c, o) => pickIds(c, "customerIds", o),
      },
      {
        label: "Endpoints",
        description: ids(filters.endpointIds),
        flow: (c, o) => pickIds(c, "endpointIds", o),
      },
      {
        label: "Archived sessions",
        description: filters.archive ? "on" : "off",
        flow: toggleArchive,
      },
      {
        label: "Sort order",
        description: filters.sort === "oldest" ? "oldest first" : "newest first",
        flow: pickSort,
      },
      {
        label: "Clear all filters",
        flow: async (c) => {
          await c.store.clear();
          return "applied";
        },
      },
    ];
    const choice = await pickOne({
      title: "Filter Evo Voice Sessions",
      placeholder: "Choose a filter to change; the menu stays open until Done",
      items,
      ...(last === undefined ? {} : { active: items.find((item) => item.label === last) as Item }),
    });
    if (choice === undefined || choice === BACK || choice.flow === undefined) return;
    last = choice.label;
    const outcome = await choice.flow(context, { back: true });
    if (outcome === "closed") return;
  }
}

async function pickDateRange(
  context: FilterCommandContext,
  options: FlowOptions,
): Promise<Outcome> {
  const current = context.store.filters.dateRange;
  type Item = vscode.QuickPickItem & { range: DateRangeFilter | "custom" | "any" };
  const items: Item[] = [
    ...datePresets().map((entry): Item => ({
      label: entry.label,
      range: { kind: "preset", preset: entry.preset },
      description:
        current?.kind === "preset" && current.preset === entry.preset ? "current" : undefined,
    })),
    {
      label: "Custom dates…",
      range: "custom",
      description:
        current?.kind === "custom" ? `current: ${describeDateRange(current)}` : undefined,
    },
    { label: "Any date", range: "any", description: current === undefined ? "current" : undefined },
  ];
  const days = new CustomDays(context, current);
  for (;;) {
    const choice = await pickOne({
      title: "Filter by Date Range",
      placeholder: `Days in ${context.timeZone()}`,
      items,
      back: options.back,
    });
    if (choice === undefined) return "closed";
    if (choice === BACK) return "back";
    if (choice.range !== "custom") {
      await context.store.update({ dateRange: choice.range === "any" ? undefined : choice.range });
      return "applied";
    }
    const outcome = await days.ask();
    // Back from the first day returns to the presets, with what was typed kept.
    if (outcome !== "back") return outcome;
  }
}

/** The two steps of custom days (first day, last day), remembering what was typed. */
class CustomDays {
  readonly #context: FilterCommandContext;
  #start: string;
  #end: string | undefined;

  constructor(context: FilterCommandContext, current: DateRangeFilter | undefined) {
    this.#context = context;
    this.#start =
      current?.kind === "custom" ? current.start : localDateIn(context.now(), context.timeZone());
    this.#end = current?.kind === "custom" ? current.end : undefined;
  }

  /** Asks both days and applies them; "back" when Back was pressed on the first. */
  async ask(): Promise<Outcome> {
    for (;;) {
      const first = await askText({
        title: "Custom Date Range (1/2): first day",
        prompt: `First day, YYYY-MM-DD, in ${this.#context.timeZone()}`,
        value: this.#start,
        back: true,
        validate: (value) => validateDay(value, "First day"),
      });
      if (first === undefined) return "closed";
      if (first === BACK) return "back";
      this.#start = first.trim();
      const last = await this.#askLast(this.#start);
      if (last === undefined) return "closed";
      if (last === BACK) continue;
      this.#end = last.trim();
      await this.#context.store.update({
        dateRange: { kind: "custom", start: this.#start, end: this.#end },
      });
      return "applied";
    }
  }

  #askLast(first: string): Promise<string | typeof BACK | undefined> {
    return askText({
      title: "Custom Date Range (2/2): last day",
      prompt: "Last day, YYYY-MM-DD, inclusive",
      value: this.#end !== undefined && this.#end >= first ? this.#end : first,
      back: true,
      validate: (value) =>
        validateDay(value, "Last day") ??
        (value.trim() < first
          ? `Last day must not be before the first day (${first}).`
          : undefined),
    });
  }
}

function validateDay(value: string, what: string): string | undefined {
  return isCalendarDate(value.trim())
    ? undefined
    : `${what} must be a date written YYYY-MM-DD, e.g. 2025-11-24.`;
}

async function askTextFilter(
  context: FilterCommandContext,
  key: "from" | "to" | "log",
  options: FlowOptions,
): Promise<Outcome> {
  const wording = {
    from: {
      title: "Filter by From",
      prompt:
        "Sessions whose from address contains this text (e.g. part of a phone number). Empty clears.",
    },
    to: {
      title: "Filter by To",
      prompt: "Sessions whose to address contains this text. Empty clears.",
    },
    log: {
      title: "Filter by Text in Log",
      prompt: "Sessions whose log contains this text. Empty clears.",
    },
  }[key];
  const value = await askText({
    ...wording,
    value: context.store.filters[key] ?? "",
    back: options.back,
    validate: (text) =>
      text.trim().length > MAX_TEXT_LENGTH
        ? `Use at most ${MAX_TEXT_LENGTH} characters.`
        : undefined,
  });
  if (value === undefined) return "closed";
  if (value === BACK) return "back";
  await context.store.update({ [key]: value.trim() === "" ? undefined : value.trim() });
  return "applied";
}

async function pickIds(
  context: FilterCommandContext,
  key: IdFilterKey,
  options: FlowOptions,
): Promise<Outcome> {
  const filters = context.store.filters;
  const current = new Set(filters[key] ?? []);
  const { choices, note } = await idChoices(context, key);
  for (const id of current) {
    if (!choices.some((choice) => choice.id === id))
      choices.unshift({ id, name: filters.names?.[id] });
  }
  const noun = { accountIds: "accounts", customerIds: "customers", endpointIds: "endpoints" }[key];
  const title = `Filter by ${noun[0]?.toUpperCase()}${noun.slice(1)}`;
  type Item = vscode.QuickPickItem & { id?: string };
  let items: Item[] = [
    ...choices.map((choice): Item => ({
      label: choice.name ?? choice.id,
      description: choice.name === undefined ? undefined : choice.id,
      detail: choice.detail,
      picked: current.has(choice.id),
      id: choice.id,
    })),
    { label: ENTER_IDS_LABEL, alwaysShow: true, description: `type ${noun} IDs not listed here` },
  ];
  let typedText = "";
  for (;;) {
    const picked = await pickMany({
      title: note === undefined ? title : `${title} (${note})`,
      placeholder: `Search ${noun}; none = all`,
      items,
      matchOnDescription: true,
      matchOnDetail: true,
      back: options.back,
    });
    if (picked === undefined) return "closed";
    if (picked === BACK) return "back";
    const ids = picked.filter((item) => item.id !== undefined).map((item) => item.id as string);
    if (picked.some((item) => item.label === ENTER_IDS_LABEL)) {
      const typed = await askText({
        title: `${title}: enter IDs`,
        prompt: "IDs separated by commas or spaces",
        value: typedText,
        back: true,
        validate: (text) => (text.trim() === "" ? "Enter at least one ID." : undefined),
      });
      if (typed === undefined) return "closed";
      if (typed === BACK) {
        // Back to the list, with what was ticked still ticked.
        const ticked = new Set(picked);
        items = items.map((item) => ({ ...item, picked: ticked.has(item) }));
        continue;
      }
      typedText = typed;
      ids.push(...typed.split(/[\s,]+/).filter((id) => id !== ""));
    }
    const names = { ...filters.names };
    for (const choice of choices) if (choice.name !== undefined) names[choice.id] = choice.name;
    await context.store.update({ [key]: [...new Set(ids)], names });
    return "applied";
  }
}

/**
 * What the picker offers: for customers and endpoints every name in the sign-in's directory
 * (within the filtered accounts), then the names seen in loaded sessions that it lacks; for
 * accounts those the sign-in reaches. `note` says when the directory could not be read.
 */
async function idChoices(
  context: FilterCommandContext,
  key: IdFilterKey,
): Promise<{ choices: IdChoice[]; note?: string }> {
  const found = new Map<string, IdChoice>();
  const add = (id: unknown, name: unknown, detail?: string) => {
    const cleanId = firstText(id);
    if (cleanId === undefined) return;
    const cleanName = firstText(name);
    const existing = found.get(cleanId);
    if (existing === undefined) found.set(cleanId, { id: cleanId, name: cleanName, detail });
    else if (existing.name === undefined && cleanName !== undefined) existing.name = cleanName;
  };
  let note: string | undefined;
  if (key === "accountIds") {
    try {
      for (const account of await context.accounts()) add(account.id, account.name);
    } catch {
      // The accounts seen in the loaded sessions are still offered.
    }
  } else {
    const read = await directoryChoices(context, key === "customerIds" ? "customer" : "endpoint");
    for (const entry of read.entries) add(entry.id, entry.name, entry.detail);
    note = read.note;
  }
  for (const session of context.sessions()) addSeen(session, key, add);
  const choices = [...found.values()].sort((a, b) =>
    (a.name ?? a.id).localeCompare(b.name ?? b.id),
  );
  return note === undefined ? { choices } : { choices, note };
}

/** The directory's entries, read behind a window progress (a first read may take a moment). */
async function directoryChoices(
  context: FilterCommandContext,
  kind: "customer" | "endpoint",
): Promise<{ entries: DirectoryEntry[]; note?: string }> {
  if (context.directory === undefined) return { entries: [] };
  const accountIds = context.store.filters.accountIds ?? [];
  try {
    const entries = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading ${kind} names…` },
      () => context.directory!(kind, accountIds),
    );
    return { entries };
  } catch (error) {
    // A role that may not list them (403) still picks from the loaded sessions, and is told so.
    const denied = (error as { code?: unknown }).code === "permission_denied";
    return {
      entries: [],
      note: denied
        ? `this sign-in may not list ${kind}s: names from loaded sessions`
        : `couldn't read the ${kind} list: names from loaded sessions`,
    };
  }
}

/** The IDs and names one loaded session offers for `key`. */
function addSeen(
  session: SessionInfo,
  key: IdFilterKey,
  add: (id: unknown, name: unknown) => void,
): void {
  if (key === "accountIds") add(session.accountId, session.accountName);
  if (key === "customerIds") {
    add(session.customerId, session.customerName);
    for (const crumb of session.customerBreadcrumb ?? []) add(crumb.id, crumb.name);
  }
  if (key === "endpointIds") {
    add(session.endpointId, session.endpointName);
    add(session.answeredById, session.answeredByName);
    for (const member of session.members ?? []) add(member.endpointId, member.displayName);
  }
}

async function toggleArchive(context: FilterCommandContext): Promise<Outcome> {
  const archive = context.store.filters.archive !== true;
  await context.store.update({ archive: archive ? true : undefined });
  void vscode.window.showInformationMessage(
    archive
      ? "Evo Voice: showing archived sessions (older than about 15 days)."
      : "Evo Voice: showing recent sessions.",
  );
  return "applied";
}

async function pickSort(context: FilterCommandContext, options: FlowOptions): Promise<Outcome> {
  const current = context.store.filters.sort ?? "newest";
  const items: (vscode.QuickPickItem & { sort: SessionFilters["sort"] })[] = [
    {
      label: "Newest first",
      sort: "newest",
      description: current === "newest" ? "current" : undefined,
    },
    {
      label: "Oldest first",
      sort: "oldest",
      description: current === "oldest" ? "current" : undefined,
    },
  ];
  const choice = await pickOne({ title: "Sort Sessions", items, back: options.back });
  if (choice === undefined) return "closed";
  if (choice === BACK) return "back";
  await context.store.update({ sort: choice.sort === "oldest" ? "oldest" : undefined });
  return "applied";
}
