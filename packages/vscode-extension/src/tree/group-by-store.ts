import * as vscode from "vscode";
import { GROUP_BYS, type GroupBy } from "../sessions/day-groups.js";
import { pickOne } from "../ui/quick-input.js";

/** workspaceState key of the grouping. */
export const GROUP_BY_STATE_KEY = "evoSessions.groupBy";

const LABELS: Record<GroupBy, string> = {
  day: "Day",
  account: "Account",
  customer: "Customer",
  endpoint: "Endpoint",
  outcome: "Outcome",
};

/**
 * What the Sessions view groups by, per workspace. A view option, not a filter: it changes how
 * the loaded sessions are shown, never which are read.
 */
export class GroupByStore implements vscode.Disposable {
  readonly #state: vscode.Memento;
  readonly #changed = new vscode.EventEmitter<GroupBy>();
  #value: GroupBy;

  readonly onDidChange: vscode.Event<GroupBy> = this.#changed.event;

  constructor(state: vscode.Memento) {
    this.#state = state;
    this.#value = readGroupBy(state.get<unknown>(GROUP_BY_STATE_KEY)) ?? "day";
  }

  get value(): GroupBy {
    return this.#value;
  }

  async set(value: GroupBy): Promise<void> {
    if (value === this.#value) return;
    this.#value = value;
    await this.#state.update(GROUP_BY_STATE_KEY, value);
    this.#changed.fire(value);
  }

  /** Asks what to group by. */
  async pick(): Promise<void> {
    const items = GROUP_BYS.map((value) => ({
      label: LABELS[value],
      description: value === this.#value ? "current" : value === "day" ? "default" : undefined,
      value,
    }));
    const choice = await pickOne({ title: "Group Sessions by", items });
    if (typeof choice === "object") await this.set(choice.value);
  }

  dispose(): void {
    this.#changed.dispose();
  }
}

/** A grouping read from saved state or a file; undefined when it names none. */
export function readGroupBy(value: unknown): GroupBy | undefined {
  return GROUP_BYS.find((known) => known === value);
}

/** `Account`, for descriptions. */
export function groupByLabel(value: GroupBy): string {
  return LABELS[value];
}
