import { formatClock } from "@evo-sessions/core";
import * as vscode from "vscode";
import { SESSIONS_VIEW_ID } from "../commands.js";
import { LIVE_SAMPLE_SIZE, type LiveCalls } from "./live-calls.js";

/** Status-bar item ID (users can hide it by this name). */
export const LIVE_STATUS_BAR_ID = "evoSessions.liveCalls";

/** What the status-bar item reads. */
export interface LiveStatusBarContext {
  signedIn(): boolean;
  sandbox(): boolean;
  timeZone(): string;
}

/**
 * The number of live calls in the status bar; clicking opens the view. Shown only while signed
 * in and while there is at least one live call, so it never sits there saying "0 live".
 */
export class LiveStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  readonly #live: LiveCalls;
  readonly #context: LiveStatusBarContext;
  readonly #subscription: vscode.Disposable;

  constructor(live: LiveCalls, context: LiveStatusBarContext) {
    this.#live = live;
    this.#context = context;
    this.item = vscode.window.createStatusBarItem(
      LIVE_STATUS_BAR_ID,
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.item.name = "Evo Voice Live Calls";
    // `<view>.focus` is the command VS Code creates for every view.
    this.item.command = `${SESSIONS_VIEW_ID}.focus`;
    this.#subscription = live.onDidChange(() => this.update());
    this.update();
  }

  /** Live calls counted (0 when unknown). */
  get liveCount(): number {
    return this.#live.count ?? 0;
  }

  update(): void {
    const count = this.#live.count;
    if (!this.#context.signedIn() || count === undefined || count === 0) {
      this.item.hide();
      return;
    }
    const sandbox = this.#context.sandbox();
    const asOf = this.#live.asOf;
    this.item.text = `$(call-incoming) ${count} live${sandbox ? " (Sandbox)" : ""}`;
    this.item.tooltip =
      `${count} live ${count === 1 ? "call" : "calls"} among the ${LIVE_SAMPLE_SIZE} newest Evo Voice sessions ` +
      `of every account you can reach (the view's filters do not apply)` +
      `${sandbox ? ", sandbox data" : ""}` +
      `${asOf === undefined ? "" : `, as of ${formatClock(asOf, this.#context.timeZone())}`}. ` +
      "Click to open the Sessions view.";
    this.item.show();
  }

  dispose(): void {
    this.#subscription.dispose();
    this.item.dispose();
  }
}
