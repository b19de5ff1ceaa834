import {
  addDays,
  dayLabel,
  firstText,
  localDateIn,
  outcomeOf,
  startedAt,
  startOfLocalDay,
  type SessionInfo,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import type { SessionFeed } from "./session-feed.js";

/** What the day groups read; every call reads the current value. */
export interface DayGroupsContext {
  feed: SessionFeed;
  now(): Date;
  timeZone(): string;
  /** What the sessions are grouped by (default: day). */
  groupBy?(): GroupBy;
}

/** What the Sessions view groups by. */
export type GroupBy = "day" | "account" | "customer" | "endpoint" | "outcome";

/** Every grouping, in the order the picker offers them. */
export const GROUP_BYS: readonly GroupBy[] = ["day", "account", "customer", "endpoint", "outcome"];

/** The group of a session under a grouping other than day: its key and label. */
export function groupOf(
  session: SessionInfo,
  groupBy: Exclude<GroupBy, "day">,
): { key: string; label: string } {
  const pick = (id: unknown, name: unknown, none: string) => {
    const key = firstText(id, name);
    return key === undefined
      ? { key: "none", label: none }
      : { key, label: firstText(name) ?? key };
  };
  switch (groupBy) {
    case "account":
      return pick(session.accountId, session.accountName, "No account");
    case "customer":
      return pick(session.customerId, session.customerName, "No customer");
    case "endpoint":
      return pick(session.endpointId, session.endpointName, "No endpoint");
    case "outcome": {
      const outcome = outcomeOf(session);
      const kind = outcome.missed && outcome.kind === "no-answer" ? "missed" : outcome.kind;
      return { key: kind, label: kind.charAt(0).toUpperCase() + kind.slice(1).replace(/-/g, " ") };
    }
  }
}

/** The feed's sessions of one local day. */
export interface DayGroup {
  /** Local day, `YYYY-MM-DD` (or `unknown` for sessions without a readable date). */
  key: string;
  /** "Today", "Yesterday", or the day written out (core's day labels). */
  label: string;
  sessions: SessionInfo[];
}

/**
 * The loaded sessions grouped by local day in the user's zone, in the server's order (newest or
 * oldest first, which the sessions already have). Rebuilt whenever the feed changes, and just
 * after local midnight by a timer of its own, so "Today" is right even with auto-refresh off.
 */
export class DayGroups implements vscode.Disposable {
  readonly #context: DayGroupsContext;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #dayChanged = new vscode.EventEmitter<string>();
  readonly #subscription: vscode.Disposable;
  #groups: DayGroup[] = [];
  #todayKey = "";
  #midnight: ReturnType<typeof setTimeout> | undefined;

  /** Fires after the groups were rebuilt. */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;
  /** Fires with the new local day when midnight passed (after the groups were rebuilt). */
  readonly onDidChangeDay: vscode.Event<string> = this.#dayChanged.event;

  constructor(context: DayGroupsContext) {
    this.#context = context;
    this.#regroup();
    this.#subscription = context.feed.onDidChange(() => this.refresh());
  }

  /** The groups, in the server's order. */
  get groups(): readonly DayGroup[] {
    return this.#groups;
  }

  /** Local day the groups were last built for (`YYYY-MM-DD`). */
  get todayKey(): string {
    return this.#todayKey;
  }

  /** Rebuilds the groups (the feed changed, the clock passed midnight, the zone changed). */
  refresh(): void {
    const dayChanged = this.#regroup();
    this.#changed.fire();
    if (dayChanged) this.#dayChanged.fire(this.#todayKey);
  }

  /** Rebuilds the groups when the local day changed since they were built (e.g. view shown). */
  checkDay(): boolean {
    const today = localDateIn(this.#context.now(), this.#context.timeZone());
    if (today === this.#todayKey) return false;
    this.refresh();
    return true;
  }

  dispose(): void {
    if (this.#midnight !== undefined) clearTimeout(this.#midnight);
    this.#subscription.dispose();
    this.#changed.dispose();
    this.#dayChanged.dispose();
  }

  /** Builds the groups; true when the local day moved since the last build. */
  #regroup(): boolean {
    // No rows, no days: nothing to group, and core's chunk stays unloaded at activation.
    if (this.#context.feed.sessions.length === 0) {
      this.#groups = [];
      return false;
    }
    const now = this.#context.now();
    const timeZone = this.#context.timeZone();
    const todayKey = localDateIn(now, timeZone);
    this.#scheduleMidnight(now, timeZone, todayKey);
    const dayChanged = this.#todayKey !== "" && this.#todayKey !== todayKey;
    this.#todayKey = todayKey;
    const groupBy = this.#context.groupBy?.() ?? "day";
    const groups = new Map<string, DayGroup>();
    for (const session of this.#context.feed.sessions) {
      const { key, label } =
        groupBy === "day" ? dayOf(session, timeZone, todayKey) : groupOf(session, groupBy);
      let group = groups.get(key);
      if (group === undefined) {
        group = { key: groupBy === "day" ? key : `${groupBy}:${key}`, label, sessions: [] };
        groups.set(key, group);
      }
      group.sessions.push(session);
    }
    // Days keep the server's order; other groups read best biggest first, then by name.
    this.#groups = [...groups.values()];
    if (groupBy !== "day") {
      this.#groups.sort(
        (a, b) => b.sessions.length - a.sessions.length || a.label.localeCompare(b.label),
      );
    }
    return dayChanged;
  }

  /** Rebuilds the groups just after the next local midnight (never keeps the process alive). */
  #scheduleMidnight(now: Date, timeZone: string, todayKey: string): void {
    if (this.#midnight !== undefined) clearTimeout(this.#midnight);
    const next = startOfLocalDay(addDays(todayKey, 1), timeZone);
    const delay = Math.max(1_000, next.getTime() - now.getTime() + 1_000);
    // setTimeout's limit is about 24.8 days; a day is far below it.
    this.#midnight = setTimeout(() => {
      this.#midnight = undefined;
      this.checkDay();
    }, delay);
    (this.#midnight as { unref?: () => void }).unref?.();
  }
}

function dayOf(
  session: SessionInfo,
  timeZone: string,
  todayKey: string,
): { key: string; label: string } {
  const start = startedAt(session);
  const key = start === undefined ? "unknown" : localDateIn(start, timeZone);
  return { key, label: key === "unknown" ? "Date unknown" : dayLabel(key, todayKey) };
}
