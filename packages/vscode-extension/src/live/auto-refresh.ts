import type * as vscode from "vscode";

/** What auto-refresh watches and drives. */
export interface AutoRefreshTarget {
  /** The view whose visibility gates refreshing. */
  treeView: Pick<vscode.TreeView<unknown>, "visible" | "onDidChangeVisibility">;
  /** Seconds between refreshes; 0 is off. Read on every (re)start. */
  intervalSeconds(): number;
  /** False while signed out. */
  enabled(): boolean;
  refresh(): Promise<void>;
  /** When the data was last loaded, to refresh at once on showing the view if it is stale. */
  loadedAt(): Date | undefined;
  now(): Date;
}

/**
 * Refreshes the view on a timer, only while it is visible: a hidden view costs no requests.
 * A refresh never overlaps the previous one.
 */
export class AutoRefresh implements vscode.Disposable {
  readonly #target: AutoRefreshTarget;
  readonly #subscription: vscode.Disposable;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running = false;

  constructor(target: AutoRefreshTarget) {
    this.#target = target;
    this.#subscription = target.treeView.onDidChangeVisibility(() =>
      this.restart({ catchUp: true }),
    );
    this.restart({ catchUp: false });
  }

  /** True while the timer runs. */
  get active(): boolean {
    return this.#timer !== undefined;
  }

  /** Applies the current visibility, setting and sign-in; `catchUp` refreshes stale data now. */
  restart(options: { catchUp: boolean }): void {
    this.#stop();
    const seconds = this.#target.intervalSeconds();
    if (!this.#target.treeView.visible || !this.#target.enabled() || seconds <= 0) return;
    this.#timer = setInterval(() => void this.#tick(), seconds * 1000);
    const loadedAt = this.#target.loadedAt();
    if (
      options.catchUp &&
      loadedAt !== undefined &&
      this.#target.now().getTime() - loadedAt.getTime() >= seconds * 1000
    ) {
      void this.#tick();
    }
  }

  dispose(): void {
    this.#stop();
    this.#subscription.dispose();
  }

  async #tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      await this.#target.refresh();
    } finally {
      this.#running = false;
    }
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
