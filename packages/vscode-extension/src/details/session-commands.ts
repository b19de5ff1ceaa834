import { firstText, type SessionInfo } from "@evo-sessions/core";
import * as vscode from "vscode";
import { COMMANDS } from "../commands.js";
import { sessionLabel } from "../sessions/session-text.js";
import type { SessionsTreeNode } from "../tree/tree-nodes.js";
import type { DetailsOpenAs } from "../config.js";
import { openSessionDocument, type SessionDocumentProvider } from "./session-document-provider.js";

/** What the session commands read. */
export interface SessionCommandContext {
  /** Loaded sessions, offered when a command runs from the palette. */
  sessions(): readonly SessionInfo[];
  documents: SessionDocumentProvider;
  /** `evoSessions.details.openAs`. */
  openAs(): DetailsOpenAs;
  /** Origin of the current sign-in (undefined while signed out). */
  origin(): string | undefined;
}

/** Registers open details, copy session ID and copy call SID. */
export function registerSessionCommands(context: SessionCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.openSession, async (target?: unknown) => {
      const session = await resolveSession(context, target, "Open which session?");
      if (session !== undefined) {
        await openSessionDocument(session, {
          provider: context.documents,
          openAs: context.openAs(),
          origin: context.origin(),
        });
      }
    }),
    vscode.commands.registerCommand(COMMANDS.copySessionId, async (target?: unknown) => {
      const session = await resolveSession(context, target, "Copy the ID of which session?");
      const id = firstText(session?.id);
      if (id === undefined) return;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(`Copied session ID ${id}`, 3000);
    }),
    vscode.commands.registerCommand(COMMANDS.copyCallSid, async (target?: unknown) => {
      const session = await resolveSession(context, target, "Copy the call SID of which session?");
      if (session === undefined) return;
      const sid = firstText(session.callSid);
      if (sid === undefined) {
        void vscode.window.showInformationMessage(
          `Evo Voice: ${sessionLabel(session)} has no call SID (chats and faxes have none).`,
        );
        return;
      }
      await vscode.env.clipboard.writeText(sid);
      vscode.window.setStatusBarMessage(`Copied call SID ${sid}`, 3000);
    }),
  ];
}

/** The session a command is about: the tree item it ran on, an ID, or one picked now. */
async function resolveSession(
  context: SessionCommandContext,
  target: unknown,
  question: string,
): Promise<SessionInfo | undefined> {
  if (isSessionNode(target)) return target.session;
  if (typeof target === "string" && target.trim() !== "") {
    const id = target.trim();
    return context.sessions().find((session) => session.id === id) ?? sessionWithId(id);
  }
  const loaded = context.sessions().filter((session) => firstText(session.id) !== undefined);
  if (loaded.length > 0) {
    const choice = await vscode.window.showQuickPick(
      loaded.map((session) => ({
        label: sessionLabel(session),
        description: session.id ?? "",
        session,
      })),
      { title: question, matchOnDescription: true },
    );
    return choice?.session;
  }
  const id = await vscode.window.showInputBox({
    title: question,
    prompt: "Session ID",
    validateInput: (value) => (value.trim() === "" ? "Enter a session ID." : undefined),
  });
  return id === undefined ? undefined : sessionWithId(id.trim());
}

function isSessionNode(value: unknown): value is Extract<SessionsTreeNode, { kind: "session" }> {
  return (
    typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "session"
  );
}

// Every SessionInfo field is optional on the wire; a bare ID is enough to fetch the rest.
function sessionWithId(id: string): SessionInfo {
  return { id } as SessionInfo;
}
