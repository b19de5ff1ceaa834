import type { EvoVoiceClient, SessionInfo } from "@evo-sessions/core";
import * as vscode from "vscode";
import { fullMessage } from "../sessions/describe-error.js";
import { sessionLabel } from "../sessions/session-facts.js";
import { renderSessionMarkdown } from "./session-markdown.js";

/** URI scheme of session documents; documents of a content provider are read-only. */
export const SESSION_DOCUMENT_SCHEME = "evo-session";

/** What documents are rendered with. */
export interface DocumentContext {
  client(): EvoVoiceClient | undefined;
  now(): Date;
  timeZone(): string;
  sandbox(): boolean;
  source(): string;
}

/** The URI of a session's document: a readable tab title, the ID in the query. */
export function sessionDocumentUri(
  session: Pick<SessionInfo, "id"> & Partial<SessionInfo>,
): vscode.Uri {
  const id = session.id ?? "";
  const title = sessionLabel(session as SessionInfo)
    .replace(/[\\/:*?"<>|#%]/g, "-")
    .slice(0, 60);
  return vscode.Uri.from({
    scheme: SESSION_DOCUMENT_SCHEME,
    path: `/${title}.md`,
    query: new URLSearchParams({ id }).toString(),
  });
}

/**
 * Renders sessions as Markdown documents. Each open re-reads the session with its full log
 * (the list may carry a shortened one); a failure becomes a document saying what went wrong.
 */
export class SessionDocumentProvider
  implements vscode.TextDocumentContentProvider, vscode.Disposable
{
  readonly #context: DocumentContext;
  readonly #changed = new vscode.EventEmitter<vscode.Uri>();

  readonly onDidChange: vscode.Event<vscode.Uri> = this.#changed.event;

  constructor(context: DocumentContext) {
    this.#context = context;
  }

  async provideTextDocumentContent(
    uri: vscode.Uri,
    token?: vscode.CancellationToken,
  ): Promise<string> {
    const id = new URLSearchParams(uri.query).get("id") ?? "";
    const client = this.#context.client();
    if (id === "") return "# No session\n\nThis document names no session ID.\n";
    if (client === undefined) {
      return `# Session ${id}\n\nSign in to Evo Voice to read this session (Evo Voice: Sign In).\n`;
    }
    const controller = new AbortController();
    const subscription = token?.onCancellationRequested(() => controller.abort());
    try {
      const session = await client.getSession(id, { signal: controller.signal });
      return renderSessionMarkdown(session, {
        now: this.#context.now(),
        timeZone: this.#context.timeZone(),
        sandbox: this.#context.sandbox(),
        source: this.#context.source(),
      });
    } catch (error) {
      return `# Session ${id}\n\nCouldn't load this session: ${fullMessage(error)}\n\nRun "Evo Voice: Refresh" and open it again.\n`;
    } finally {
      subscription?.dispose();
    }
  }

  /** Re-renders an open document (e.g. after a refresh showed the session changed). */
  reload(uri: vscode.Uri): void {
    this.#changed.fire(uri);
  }

  dispose(): void {
    this.#changed.dispose();
  }
}

/** Opens a session's document in a preview tab. */
export async function openSessionDocument(
  session: Pick<SessionInfo, "id"> & Partial<SessionInfo>,
): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(sessionDocumentUri(session));
  // The .md path selects Markdown; set it explicitly for hosts that do not infer it.
  const markdown =
    document.languageId === "markdown"
      ? document
      : await vscode.languages.setTextDocumentLanguage(document, "markdown");
  return vscode.window.showTextDocument(markdown, { preview: true });
}
