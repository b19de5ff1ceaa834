import type { EvoVoiceClient, SessionInfo } from "@evo-sessions/core";
import * as vscode from "vscode";
import { fullMessage } from "../sessions/describe-error.js";
import type { DetailsOpenAs } from "../config.js";
import { readDetailsExtras } from "./session-extras.js";
import { detailsTitle, renderSessionMarkdown } from "./session-markdown.js";

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

/**
 * The URI of a session's document (`evo-session:/<title>?id=<id>&origin=<server>`). The path
 * is what the tab shows: a readable title when given ("Missed call from Austin TX · Tue 1 Dec
 * 04:51"), else the ID, with no file ending (VS Code would show one in the tab). The query keeps
 * the exact ID and the origin: the provider reads only those, so a tab left open after switching
 * servers (or to a sandbox) never asks the other server for an ID that is not its own. Without a
 * `.md` ending VS Code opens the document as plain text: {@link SessionDocumentProvider} sets
 * Markdown on every session document it opens. {@link SessionDocumentProvider.uriFor} keeps one
 * tab per session.
 */
export function sessionDocumentUri(
  session: Pick<SessionInfo, "id">,
  origin?: string,
  readableTitle?: string,
): vscode.Uri {
  const id = session.id ?? "";
  // A slash would make folders of the path; the rest would end or escape the path in a URI.
  const title =
    (readableTitle ?? id)
      .replace(/[\\/?#%]/g, "-")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 100) || "session";
  const query = new URLSearchParams({ id });
  if (origin !== undefined) query.set("origin", origin);
  return vscode.Uri.from({
    scheme: SESSION_DOCUMENT_SCHEME,
    path: `/${title}`,
    query: query.toString(),
  });
}

/**
 * Renders sessions as Markdown documents. Each read fetches the session with its full log
 * (the list may carry a shortened one); a failure becomes a document saying what went wrong.
 * VS Code keeps an open document's text, so opening it again and every sign-in change fire
 * `onDidChange`, which makes VS Code read it again.
 *
 * The URIs have no `.md` ending, so every session document VS Code opens (from the tree, a
 * transfer link, a tab restored at start-up) gets the Markdown language here.
 */
export class SessionDocumentProvider
  implements vscode.TextDocumentContentProvider, vscode.Disposable
{
  readonly #context: DocumentContext;
  readonly #changed = new vscode.EventEmitter<vscode.Uri>();
  /** Language changes under way, by URI, so one document is switched once. */
  readonly #switching = new Map<string, Thenable<vscode.TextDocument>>();
  // Typed as optional: test hosts (jest-mock-vscode) stub the event without a Disposable.
  readonly #opened: vscode.Disposable | undefined;

  readonly onDidChange: vscode.Event<vscode.Uri> = this.#changed.event;

  constructor(context: DocumentContext) {
    this.#context = context;
    this.#opened = vscode.workspace.onDidOpenTextDocument((document) => this.#adopt(document));
    // Tabs restored before the extension started.
    for (const document of vscode.workspace.textDocuments) this.#adopt(document);
  }

  #adopt(document: vscode.TextDocument): void {
    if (document.uri.scheme !== SESSION_DOCUMENT_SCHEME) return;
    // A document closed meanwhile needs no language.
    this.asMarkdown(document).then(undefined, () => undefined);
  }

  /**
   * The document with the Markdown language (highlighting, outline, the preview's link handling),
   * which VS Code cannot infer from a path with no ending. Setting it closes and reopens the
   * document for extensions, not for the provider: its text is not read again.
   */
  async asMarkdown(document: vscode.TextDocument): Promise<vscode.TextDocument> {
    if (document.languageId === "markdown") return document;
    const key = document.uri.toString();
    let switching = this.#switching.get(key);
    if (switching === undefined) {
      switching = vscode.languages.setTextDocumentLanguage(document, "markdown");
      this.#switching.set(key, switching);
    }
    try {
      return await switching;
    } finally {
      if (this.#switching.get(key) === switching) this.#switching.delete(key);
    }
  }

  /**
   * The URI to open a session under: the tab already open for it (same ID and server) when
   * there is one, so a session whose heading changed (a live call that ended) stays one tab;
   * else a new URI titled with the heading and start time.
   */
  uriFor(session: SessionInfo, origin: string | undefined): vscode.Uri {
    const id = session.id ?? "";
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme !== SESSION_DOCUMENT_SCHEME) continue;
      const params = new URLSearchParams(document.uri.query);
      if (params.get("id") === id && (params.get("origin") ?? undefined) === origin)
        return document.uri;
    }
    // A bare ID (from the palette) has nothing to title with: the ID is the title then.
    const known = Object.keys(session).some((key) => key !== "id");
    const title = known
      ? detailsTitle(session, this.#context.timeZone(), this.#context.now())
      : undefined;
    return sessionDocumentUri(session, origin, title);
  }

  async provideTextDocumentContent(
    uri: vscode.Uri,
    token?: vscode.CancellationToken,
  ): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const id = params.get("id") ?? "";
    const origin = params.get("origin");
    const client = this.#context.client();
    if (id === "") return "# No session\n\nThis document names no session ID.\n";
    if (client === undefined) {
      return `# Session ${id}\n\nSigned out: sign in to Evo Voice to read this session (Evo Voice: Sign In).\n`;
    }
    const current = this.#context.source();
    if (origin !== null && origin !== current) {
      // Another server's (or another sandbox's) ID means nothing here: ask nobody.
      const now = this.#context.sandbox() ? `the sandbox at ${current}` : current;
      return (
        `# Session ${id}\n\nThis session is from ${origin}, but the Sessions view now reads ${now}. ` +
        `Sign in to ${origin} again (Evo Voice: Sign In) to read it.\n`
      );
    }
    const controller = new AbortController();
    const subscription = token?.onCancellationRequested(() => controller.abort());
    try {
      const session = await client.getSession(id, { signal: controller.signal });
      const extras = await readDetailsExtras(client, session, controller.signal);
      // Encoded in full: a Markdown link target may hold no space or parenthesis.
      const link = (other: SessionInfo) => this.uriFor(other, origin ?? current).toString();
      return renderSessionMarkdown(session, {
        now: this.#context.now(),
        timeZone: this.#context.timeZone(),
        sandbox: this.#context.sandbox(),
        source: this.#context.source(),
        extras,
        link,
      });
    } catch (error) {
      return `# Session ${id}\n\nCouldn't load this session: ${fullMessage(error)}\n\nOpen it again to retry.\n`;
    } finally {
      subscription?.dispose();
    }
  }

  /** Makes VS Code read an open document again. */
  reload(uri: vscode.Uri): void {
    this.#changed.fire(uri);
  }

  /** Reads every open session document again (e.g. signed in or out: no old data stays). */
  reloadAll(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === SESSION_DOCUMENT_SCHEME) this.#changed.fire(document.uri);
    }
  }

  dispose(): void {
    this.#opened?.dispose();
    this.#changed.dispose();
  }
}

/** How a session's document is shown. */
export interface OpenSessionOptions {
  provider: SessionDocumentProvider;
  openAs: DetailsOpenAs;
  /** The server the session was listed by (the current sign-in's origin). */
  origin: string | undefined;
}

/**
 * Opens a session's document: as a rendered Markdown preview, or its source in a preview tab.
 * An already open document is read again first, so "open it again" always shows fresh data.
 */
export async function openSessionDocument(
  session: SessionInfo,
  options: OpenSessionOptions,
): Promise<void> {
  const uri = options.provider.uriFor(session, options.origin);
  const wasOpen = vscode.workspace.textDocuments.some(
    (document) => document.uri.toString() === uri.toString(),
  );
  // Markdown before it is shown either way: the path has no ending to infer it from.
  const document = await options.provider.asMarkdown(await vscode.workspace.openTextDocument(uri));
  if (wasOpen) options.provider.reload(uri);
  if (options.openAs === "preview") {
    try {
      // The built-in Markdown preview reads the document through openTextDocument, so it works
      // for this scheme too, and follows onDidChange. Its tab reads "Preview <the path's last
      // segment>": the title, with no ending.
      await vscode.commands.executeCommand("markdown.showPreview", uri);
      return;
    } catch {
      // No Markdown preview in this editor (e.g. the built-in extension is disabled): show source.
    }
  }
  await vscode.window.showTextDocument(document, { preview: true });
}
