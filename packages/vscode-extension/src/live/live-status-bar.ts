import * as vscode from "vscode";
import { SESSIONS_VIEW_ID } from "../commands.js";
import type { SessionFeed } from "../sessions/session-feed.js";
import { isLive } from "../sessions/session-facts.js";

/** Status-bar item ID (users can hide it by this name). */
export const LIVE_STATUS_BAR_ID = "evoSessions.liveCalls";

/**
 * The number of live calls among the loaded sessions, in the status bar; clicking opens the view.
 * Shown only while signed in.
 */
export class LiveStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  readonly #feed: SessionFeed;
  readonly #context: { signedIn(): boolean; sandbox(): boolean };
  readonly #subscription: vscode.Disposable;

  constructor(feed: SessionFeed, context: { signedIn(): boolean; sandbox(): boolean }) {
    this.#feed = feed;
    this.#context = context;
    this.item = vscode.window.createStatusBarItem(
      LIVE_STATUS_BAR_ID,
      vscode.StatusBarAlignment.Left,
      50,
    );
    this.item.name = "Evo Voice Live Calls";
    // `<view>.focus` is the command VS Code creates for every view.
    this.item.command = `${SESSIONS_VIEW_ID}.focus`;
    this.#subscription = feed.onDidChange(() => this.update());
    this.update();
  }

  /** Live calls counted in the loaded sessions. */
  get liveCount(): number {
    return this.#feed.sessions.filter(isLive).length;
  }

  update(): void {
    if (!this.#context.signedIn()) {
      this.item.hide();
      return;
    }
    const count = this.liveCount;
    const sandbox = this.#context.sandbox();
    this.item.text = `$(call-incoming) ${count} live${sandbox ? " (Sandbox)" : ""}`;
    this.item.tooltip =
      `${count} live ${count === 1 ? "call" : "calls"} in the loaded Evo Voice sessions` +
      `${sandbox ? " (sandbox data)" : ""}. Click to open the Sessions view.`;
    this.item.show();
  }

  dispose(): void {
    this.#subscription.dispose();
    this.item.dispose();
  }
}
