// The seam alone, not the package's index: the index brings the whole server (and the sandbox)
// into the extension's main bundle.
import {
  childEnvironment,
  type ChildEnvironment,
} from "@evo-sessions/mcp-server/child-environment";
import { createHash } from "node:crypto";
import * as vscode from "vscode";
import type { AuthManager } from "../auth/auth-manager.js";
import { COMMANDS } from "../commands.js";

/** ID of the provider, as in `contributes.mcpServerDefinitionProviders`. */
export const MCP_PROVIDER_ID = "evoSessions";
/** Label of the server in VS Code's MCP list. */
export const MCP_SERVER_LABEL = "Evo Voice Sessions";
/** The bundled MCP server (built from @evo-sessions/mcp-server's CLI), relative to the extension. */
export const MCP_SERVER_SCRIPT = ["dist", "mcp-server.mjs"] as const;

/** What the provider reads from its surroundings. */
export interface McpProviderContext {
  auth: AuthManager;
  extensionUri: vscode.Uri;
  /** Accounts the view is filtered to: the assistant searches the same ones by default. */
  accountIds(): string[];
  timeZone(): string;
  /** The runtime that starts the server (the editor's own Node). */
  execPath: string;
  version: string;
}

/**
 * Hands the MCP server to VS Code's AI chat, using the view's server and sign-in, so agent mode
 * can call `list_sessions` with nothing else to configure. The definition VS Code may list and
 * cache holds no secret; the password is added only when the server starts
 * (`resolveMcpServerDefinition`), read from the sign-in in memory, and travels in the child
 * process's environment — never in its arguments, which other users of the machine can read.
 *
 * While signed out there is no server at all, so VS Code stops one that runs. The definition's
 * version is a hash of what the server was started with (server, user, accounts, zone): when any
 * of them changes VS Code sees a new version and restarts the server, so a running child never
 * keeps an old sign-in.
 */
export class EvoSessionsMcpProvider
  implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable
{
  readonly #context: McpProviderContext;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscription: vscode.Disposable;
  #lastVersion: string | undefined;
  #toldSignedOut = false;

  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this.#changed.event;

  constructor(context: McpProviderContext) {
    this.#context = context;
    this.#lastVersion = this.#version();
    // Every sign-in change is told, even to the same user: VS Code asks for the definition again.
    this.#subscription = context.auth.onDidChange(() => this.refresh({ force: true }));
  }

  /** Tells VS Code the definition changed when what it depends on did (sign-in, accounts, zone). */
  refresh(options: { force?: boolean } = {}): void {
    const version = this.#version();
    if (version === this.#lastVersion && options.force !== true) return;
    this.#lastVersion = version;
    this.#changed.fire();
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const connection = this.#context.auth.connection;
    if (connection === undefined) return [];
    const script = vscode.Uri.joinPath(this.#context.extensionUri, ...MCP_SERVER_SCRIPT).fsPath;
    // Listed (and maybe cached by VS Code) without the password: it is added at start.
    const env = this.#environment(connection.baseUrl, connection.userName, undefined);
    const version = this.#version() as string;
    this.#lastVersion = version;
    return [
      new vscode.McpStdioServerDefinition(
        MCP_SERVER_LABEL,
        this.#context.execPath,
        [script],
        env,
        version,
      ),
    ];
  }

  async resolveMcpServerDefinition(
    server: vscode.McpStdioServerDefinition,
  ): Promise<vscode.McpStdioServerDefinition | undefined> {
    const credentials = await this.#context.auth.mcpCredentials();
    if (credentials === undefined) {
      // Signed out since VS Code listed the server: no prompt (this runs in every window that
      // starts the server), one notification per window at most.
      if (!this.#toldSignedOut) {
        this.#toldSignedOut = true;
        void vscode.window
          .showInformationMessage(
            "Evo Voice Sessions: sign in (or try the sandbox) to let chat read your sessions.",
            "Sign In",
          )
          .then((choice) => {
            if (choice === "Sign In") void vscode.commands.executeCommand(COMMANDS.signIn);
          });
      }
      return undefined;
    }
    const { baseUrl, userName, password } = credentials;
    server.env = { ...server.env, ...this.#environment(baseUrl, userName, password) };
    return server;
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }

  /**
   * The child's environment, from the MCP server's own seam (it names the variables it reads).
   * Every variable is set or `null`, which removes what the editor's environment might carry, so
   * the child reads exactly this sign-in.
   */
  #environment(
    baseUrl: string,
    userName: string,
    password: string | undefined,
  ): ChildEnvironment & { ELECTRON_RUN_AS_NODE: string } {
    const env = childEnvironment({
      signIn: { kind: "credentials", baseUrl, userName, password },
      accountIds: this.#context.accountIds(),
      timeZone: this.#context.timeZone(),
    });
    // VS Code's execPath is the editor binary (Electron); this makes it behave as plain Node.
    return { ...env, ELECTRON_RUN_AS_NODE: "1" };
  }

  /** `<extension version>+<hash>`, or undefined while signed out. */
  #version(): string | undefined {
    const connection = this.#context.auth.connection;
    if (connection === undefined) return undefined;
    const fingerprint = [
      connection.baseUrl,
      connection.userName,
      [...this.#context.accountIds()].sort().join(","),
      this.#context.timeZone(),
    ].join("|");
    return `${this.#context.version}+${createHash("sha256").update(fingerprint).digest("hex").slice(0, 12)}`;
  }
}
