import type * as vscode from "vscode";
import type { SessionFeed } from "./session-feed.js";

/** How long a progress notification waits for the list at most: a slow server must not pin it. */
export const NEXT_LOAD_TIMEOUT_MS = 20_000;

/**
 * Resolves when the feed has loaded after this call (a new page arrived), its load failed, or
 * it was left idle (the view is hidden, so nothing loads) — or after `timeoutMs`. Call it before
 * starting what triggers the load: a notification such as "Connecting…" then ends exactly when
 * the tree shows the sessions, neither before nor long after. Never rejects.
 */
export function nextLoad(
  feed: Pick<SessionFeed, "loads" | "status" | "busy" | "onDidChange" | "onDidChangeBusy">,
  timeoutMs = NEXT_LOAD_TIMEOUT_MS,
): Promise<void> {
  const before = feed.loads;
  return new Promise((resolve) => {
    const subscriptions: vscode.Disposable[] = [];
    const timer = setTimeout(finish, timeoutMs);
    // A sign-in that failed never loads: its wait must not keep the host alive.
    (timer as { unref?: () => void }).unref?.();
    function finish(): void {
      clearTimeout(timer);
      for (const subscription of subscriptions.splice(0)) subscription.dispose();
      resolve();
    }
    const check = () => {
      const settled =
        !feed.busy &&
        (feed.status === "error" || feed.status === "idle" || feed.status === "signedOut");
      if (feed.loads > before || settled) finish();
    };
    // Only changes after this call count: the state now may still be the previous sign-in's.
    subscriptions.push(feed.onDidChange(check), feed.onDidChangeBusy(check));
  });
}
