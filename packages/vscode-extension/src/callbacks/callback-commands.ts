import * as vscode from "vscode";
import { callbackOf, type CallbacksView } from "./callbacks-view.js";

export const CALLBACK_COMMANDS = {
  refresh: "evoSessions.callbacks.refresh",
  callBack: "evoSessions.callbacks.callBack",
  markDone: "evoSessions.callbacks.markDone",
  clearDone: "evoSessions.callbacks.clearDone",
} as const;

/** The Callbacks view's commands. */
export function registerCallbackCommands(view: CallbacksView): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CALLBACK_COMMANDS.refresh, () => view.refresh()),
    vscode.commands.registerCommand(CALLBACK_COMMANDS.callBack, (node?: unknown) =>
      callBack(view, node),
    ),
    vscode.commands.registerCommand(CALLBACK_COMMANDS.markDone, async (node?: unknown) => {
      const entry = callbackOf(view, node);
      if (entry === undefined) return;
      await view.markDone(entry);
      void vscode.window.showInformationMessage(
        `Evo Voice: ${entry.displayName ?? entry.displayNumber} marked done in this workspace.`,
      );
    }),
    vscode.commands.registerCommand(CALLBACK_COMMANDS.clearDone, () => view.clearDone()),
  ];
}

/**
 * Copies the number (E.164, which every dialler takes) and offers to open it as a `tel:` link,
 * which hands it to the computer's phone app (a softphone, or a phone paired with it).
 */
async function callBack(view: CallbacksView, node: unknown): Promise<void> {
  const entry = callbackOf(view, node);
  if (entry === undefined) return;
  await vscode.env.clipboard.writeText(entry.number);
  const call = "Call with Phone App";
  const choice = await vscode.window.showInformationMessage(
    `Copied ${entry.displayNumber} (${entry.number}) to the clipboard.`,
    call,
  );
  if (choice === call) await vscode.env.openExternal(vscode.Uri.parse(`tel:${entry.number}`));
}
