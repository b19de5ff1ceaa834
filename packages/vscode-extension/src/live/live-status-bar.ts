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
  /** Who is signed in, as people know them (the real name, else the user name). */
  signedInAs?(): string | undefined;
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
    this.item.text = `$(call-incoming) ${count} live${sandbox ? " (Sandbox)" : ""}`;
    this.item.tooltip = this.#tooltip(count, sandbox);
    this.item.show();
  }

  /** What was counted, from where, as of when, and who is signed in. */
  #tooltip(count: number, sandbox: boolean): string {
    const calls = `${count} live ${count === 1 ? "call" : "calls"}`;
    const asOf = this.#live.asOf;
    const mine = this.#live.mine;
    const what =
      `${calls} among the ${LIVE_SAMPLE_SIZE} newest Evo Voice sessions of every account you can reach` +
      (this.#live.activeDenied
        ? " (the view's filters do not apply; this sign-in may not read Evo Voice's active-sessions list, so only the newest sessions are counted)"
        : ` and your own sessions in progress${mine === undefined || mine === 0 ? "" : ` (${mine} yours)`} (the view's filters do not apply)`);
    const who = this.#context.signedInAs?.();
    return (
      what +
      `${sandbox ? ", sandbox data" : ""}` +
      `${asOf === undefined ? "" : `, as of ${formatClock(asOf, this.#context.timeZone())}`}. ` +
      `${who === undefined ? "" : `Signed in as ${who}. `}` +
      "Click to open the Sessions view."
    );
  }

  dispose(): void {
    this.#subscription.dispose();
    this.item.dispose();
  }
}
