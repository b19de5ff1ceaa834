import { isCalendarDate, localDateIn, type AccountRef, type SessionInfo } from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { firstText } from "../sessions/session-facts.js";
import type { FilterStore } from "./filter-store.js";
import {
  DATE_PRESETS,
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
  now(): Date;
  timeZone(): string;
}

interface IdChoice {
  id: string;
  name?: string | undefined;
}

type IdFilterKey = "accountIds" | "customerIds" | "endpointIds";

const ENTER_IDS_LABEL = "$(edit) Enter IDs…";
const MAX_TEXT_LENGTH = 200;

/** Registers every filter command. */
export function registerFilterCommands(context: FilterCommandContext): vscode.Disposable[] {
  const register = (id: string, run: () => Promise<unknown>) =>
    vscode.commands.registerCommand(id, () => run());
  return [
    register(COMMANDS.filter, () => pickFilter(context)),
    register(COMMANDS.clearFilters, () => context.store.clear()),
    register(COMMANDS.filterDateRange, () => pickDateRange(context)),
    register(COMMANDS.filterFrom, () => askText(context, "from")),
    register(COMMANDS.filterTo, () => askText(context, "to")),
    register(COMMANDS.filterLog, () => askText(context, "log")),
    register(COMMANDS.filterAccounts, () => pickIds(context, "accountIds")),
    register(COMMANDS.filterCustomers, () => pickIds(context, "customerIds")),
    register(COMMANDS.filterEndpoints, () => pickIds(context, "endpointIds")),
    register(COMMANDS.filterArchive, () => toggleArchive(context)),
    register(COMMANDS.filterSort, () => pickSort(context)),
  ];
}

/** The first step of filtering: which filter, with each one's current value. */
async function pickFilter(context: FilterCommandContext): Promise<void> {
  const filters = context.store.filters;
  const ids = (list: string[] | undefined) =>
    list?.length ? list.map((id) => filters.names?.[id] ?? id).join(", ") : "any";
  const items: (vscode.QuickPickItem & { command: string })[] = [
    {
      label: "Date range",
      description: filters.dateRange ? describeDateRange(filters.dateRange) : "any",
      command: COMMANDS.filterDateRange,
    },
    { label: "From contains", description: filters.from ?? "any", command: COMMANDS.filterFrom },
    { label: "To contains", description: filters.to ?? "any", command: COMMANDS.filterTo },
    { label: "Text in log", description: filters.log ?? "any", command: COMMANDS.filterLog },
    { label: "Accounts", description: ids(filters.accountIds), command: COMMANDS.filterAccounts },
    {
      label: "Customers",
      description: ids(filters.customerIds),
      command: COMMANDS.filterCustomers,
    },
    {
      label: "Endpoints",
      description: ids(filters.endpointIds),
      command: COMMANDS.filterEndpoints,
    },
    {
      label: "Archived sessions",
      description: filters.archive ? "on" : "off",
      command: COMMANDS.filterArchive,
    },
    {
      label: "Sort order",
      description: filters.sort === "oldest" ? "oldest first" : "newest first",
      command: COMMANDS.filterSort,
    },
    { label: "Clear all filters", command: COMMANDS.clearFilters },
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: "Filter Evo Voice Sessions",
    placeHolder: "Choose a filter to change",
  });
  if (choice !== undefined) await vscode.commands.executeCommand(choice.command);
}

async function pickDateRange(context: FilterCommandContext): Promise<void> {
  const current = context.store.filters.dateRange;
  type Item = vscode.QuickPickItem & { range: DateRangeFilter | "custom" | "any" };
  const items: Item[] = [
    ...DATE_PRESETS.map((entry): Item => ({
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
  const choice = await vscode.window.showQuickPick(items, {
    title: "Filter by Date Range",
    placeHolder: `Days in ${context.timeZone()}`,
  });
  if (choice === undefined) return;
  if (choice.range === "any") return context.store.update({ dateRange: undefined });
  if (choice.range !== "custom") return context.store.update({ dateRange: choice.range });

  const today = localDateIn(context.now(), context.timeZone());
  const start = await vscode.window.showInputBox({
    title: "Custom Date Range (1/2): first day",
    prompt: `First day, YYYY-MM-DD, in ${context.timeZone()}`,
    value: current?.kind === "custom" ? current.start : today,
    validateInput: (value) => validateDay(value, "First day"),
  });
  if (start === undefined) return;
  const end = await vscode.window.showInputBox({
    title: "Custom Date Range (2/2): last day",
    prompt: "Last day, YYYY-MM-DD, inclusive",
    value: current?.kind === "custom" && current.end >= start.trim() ? current.end : start.trim(),
    validateInput: (value) =>
      validateDay(value, "Last day") ??
      (value.trim() < start.trim()
        ? `Last day must not be before the first day (${start.trim()}).`
        : undefined),
  });
  if (end === undefined) return;
  await context.store.update({
    dateRange: { kind: "custom", start: start.trim(), end: end.trim() },
  });
}

function validateDay(value: string, what: string): string | undefined {
  return isCalendarDate(value.trim())
    ? undefined
    : `${what} must be a date written YYYY-MM-DD, e.g. 2025-11-24.`;
}

async function askText(context: FilterCommandContext, key: "from" | "to" | "log"): Promise<void> {
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
  const value = await vscode.window.showInputBox({
    ...wording,
    value: context.store.filters[key] ?? "",
    validateInput: (text) =>
      text.trim().length > MAX_TEXT_LENGTH
        ? `Use at most ${MAX_TEXT_LENGTH} characters.`
        : undefined,
  });
  if (value === undefined) return;
  await context.store.update({ [key]: value.trim() === "" ? undefined : value.trim() });
}

async function pickIds(context: FilterCommandContext, key: IdFilterKey): Promise<void> {
  const filters = context.store.filters;
  const current = new Set(filters[key] ?? []);
  const choices = await idChoices(context, key);
  for (const id of current) {
    if (!choices.some((choice) => choice.id === id))
      choices.unshift({ id, name: filters.names?.[id] });
  }
  const noun = { accountIds: "accounts", customerIds: "customers", endpointIds: "endpoints" }[key];
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [
    ...choices.map((choice): Item => ({
      label: choice.name ?? choice.id,
      description: choice.name === undefined ? undefined : choice.id,
      picked: current.has(choice.id),
      id: choice.id,
    })),
    { label: ENTER_IDS_LABEL, alwaysShow: true, description: `type ${noun} IDs not listed here` },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Filter by ${noun[0]?.toUpperCase()}${noun.slice(1)}`,
    placeHolder: `Pick ${noun} (none picked = all)`,
    canPickMany: true,
    matchOnDescription: true,
  });
  if (picked === undefined) return;
  const ids = picked.filter((item) => item.id !== undefined).map((item) => item.id as string);
  if (picked.some((item) => item.label === ENTER_IDS_LABEL)) {
    const typed = await vscode.window.showInputBox({
      title: `Filter by ${noun}: enter IDs`,
      prompt: "IDs separated by commas or spaces",
      validateInput: (text) => (text.trim() === "" ? "Enter at least one ID." : undefined),
    });
    if (typed === undefined) return;
    ids.push(...typed.split(/[\s,]+/).filter((id) => id !== ""));
  }
  const names = { ...filters.names };
  for (const choice of choices) if (choice.name !== undefined) names[choice.id] = choice.name;
  await context.store.update({ [key]: [...new Set(ids)], names });
}

async function idChoices(context: FilterCommandContext, key: IdFilterKey): Promise<IdChoice[]> {
  const found = new Map<string, IdChoice>();
  const add = (id: unknown, name: unknown) => {
    const cleanId = firstText(id);
    if (cleanId === undefined) return;
    const cleanName = firstText(name);
    const existing = found.get(cleanId);
    if (existing === undefined) found.set(cleanId, { id: cleanId, name: cleanName });
    else if (existing.name === undefined && cleanName !== undefined) existing.name = cleanName;
  };
  if (key === "accountIds") {
    try {
      for (const account of await context.accounts()) add(account.id, account.name);
    } catch {
      // The accounts seen in the loaded sessions are still offered.
    }
  }
  for (const session of context.sessions()) {
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
  return [...found.values()].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
}

async function toggleArchive(context: FilterCommandContext): Promise<void> {
  const archive = context.store.filters.archive !== true;
  await context.store.update({ archive: archive ? true : undefined });
  void vscode.window.showInformationMessage(
    archive
      ? "Evo Voice: showing archived sessions (older than about 15 days)."
      : "Evo Voice: showing recent sessions.",
  );
}

async function pickSort(context: FilterCommandContext): Promise<void> {
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
  const choice = await vscode.window.showQuickPick(items, { title: "Sort Sessions" });
  if (choice === undefined) return;
  await context.store.update({ sort: choice.sort === "oldest" ? "oldest" : undefined });
}
