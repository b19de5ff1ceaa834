/**
 * The Callbacks view: callers whose missed calls nobody has returned yet (core's open-callback
 * queue), most tried and longest waiting first, with "Call back" and "Mark done" on each row and
 * the number still open as the view's badge. The queue is read in the analytics chunk, loaded
 * the first time the view is shown; it is read again on Refresh and when the filters' accounts
 * or dates or the sign-in change while the view is visible.
 */
import { formatWhen, type EvoVoiceClient, type SessionQuery } from "@evo-sessions/core";
import * as vscode from "vscode";
import type { CallbackEntry } from "../dashboard/analytics-chunk.js";
import { callbackDetails, callbackRow } from "./callback-text.js";
import { DoneStore } from "./done-store.js";

export const CALLBACKS_VIEW_ID = "evoSessions.callbacks";
/** Every contextValue the view's items carry (package.json's menus match them). */
export const CALLBACK_CONTEXT_VALUES = ["callback", "callbacksMessage", "callbacksError"] as const;

/** What the view reads from the extension (every call reads the current value). */
export interface CallbacksSource {
  client(): EvoVoiceClient | undefined;
  /** The accounts and dates of the view's filters, as a query (other filters would hide the calls that close a callback). */
  query(): SessionQuery;
  now(): Date;
  timeZone(): string;
}

type Node =
  { kind: "callback"; entry: CallbackEntry } | { kind: "message"; text: string; error?: boolean };

/** The tree and its view. */
export class CallbacksView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  readonly treeView: vscode.TreeView<Node>;
  readonly done: DoneStore;
  readonly #source: CallbacksSource;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.#changed.event;
  readonly #subscriptions: vscode.Disposable[] = [];
  #entries: CallbackEntry[] | undefined;
  #error: string | undefined;
  #loading: Promise<void> | undefined;
  #generation = 0;
  #stale = true;

  constructor(source: CallbacksSource, workspaceState: vscode.Memento) {
    this.#source = source;
    this.done = new DoneStore(workspaceState);
    this.treeView = vscode.window.createTreeView(CALLBACKS_VIEW_ID, { treeDataProvider: this });
    this.#subscriptions.push(
      this.treeView,
      this.#changed,
      this.treeView.onDidChangeVisibility(({ visible }) => {
        if (visible && this.#stale) void this.refresh();
      }),
    );
  }

  /** The callers still open (not marked done), in core's order. */
  get open(): CallbackEntry[] {
    return (this.#entries ?? []).filter((entry) => !this.done.isDone(entry));
  }

  /** Reads the queue again now when the view is visible, else when it is next shown. */
  invalidate(): void {
    this.#stale = true;
    if (this.treeView.visible) void this.refresh();
  }

  /** Reads the queue (once at a time: a refresh during a read starts after it). */
  async refresh(): Promise<void> {
    this.#stale = false;
    const generation = ++this.#generation;
    const client = this.#source.client();
    if (client === undefined) {
      this.#entries = undefined;
      this.#error = undefined;
      this.#show();
      return;
    }
    const read = (async () => {
      const chunk = await import("../dashboard/analytics-chunk.js");
      const query = this.#source.query();
      try {
        const { entries } = await chunk.readCallbackEntries(client, query, {
          now: this.#source.now(),
        });
        if (generation !== this.#generation) return;
        this.#entries = entries;
        this.#error = undefined;
      } catch (error) {
        if (generation !== this.#generation) return;
        this.#error = error instanceof Error ? error.message : String(error);
      }
    })();
    this.#loading = read;
    await vscode.window.withProgress({ location: { viewId: CALLBACKS_VIEW_ID } }, () => read);
    if (this.#loading === read) this.#loading = undefined;
    if (generation === this.#generation) this.#show();
  }

  /** Marks a callback done in this workspace; it leaves the view and the badge. */
  async markDone(entry: CallbackEntry): Promise<void> {
    await this.done.markDone(entry);
    this.#show();
  }

  /** Brings every callback marked done back. */
  async clearDone(): Promise<void> {
    await this.done.clear();
    this.#show();
  }

  #show(): void {
    const open = this.open.length;
    this.treeView.badge =
      open === 0
        ? undefined
        : { value: open, tooltip: `${open} ${open === 1 ? "caller" : "callers"} to call back` };
    this.treeView.message =
      this.#source.client() === undefined
        ? "Sign in to see the callers waiting for a callback."
        : undefined;
    this.#changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (node !== undefined || this.#source.client() === undefined) return [];
    if (this.#error !== undefined)
      return [
        { kind: "message", text: `Couldn't read the callbacks: ${this.#error}`, error: true },
      ];
    if (this.#entries === undefined) return [];
    const open = this.open;
    if (open.length === 0) return [{ kind: "message", text: "Nobody is waiting for a callback." }];
    return open.map((entry) => ({ kind: "callback", entry }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === "message") {
      const item = new vscode.TreeItem(node.text);
      item.contextValue = node.error === true ? "callbacksError" : "callbacksMessage";
      if (node.error === true) item.iconPath = new vscode.ThemeIcon("error");
      return item;
    }
    const { label, description } = callbackRow(node.entry);
    const item = new vscode.TreeItem(label);
    item.id = DoneStore.keyOf(node.entry);
    item.description = description;
    item.contextValue = "callback";
    item.iconPath = new vscode.ThemeIcon(
      "call-incoming",
      new vscode.ThemeColor("list.errorForeground"),
    );
    const zone = this.#source.timeZone();
    const when = (iso: string) => `${formatWhen(iso, zone) ?? iso} ${zone}`;
    item.tooltip = new vscode.MarkdownString(
      callbackDetails(node.entry, when)
        .map((line) => line.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&"))
        .join("  \n"),
    );
    item.accessibilityInformation = { label: `${label}, ${description}` };
    return item;
  }

  dispose(): void {
    ++this.#generation;
    for (const subscription of this.#subscriptions) subscription.dispose();
  }
}

/** The node a command ran on, or the view's selection when run from the Command Palette. */
export function callbackOf(view: CallbacksView, node: unknown): CallbackEntry | undefined {
  const candidate = (node ?? view.treeView.selection[0]) as Node | undefined;
  return candidate?.kind === "callback" ? candidate.entry : undefined;
}
