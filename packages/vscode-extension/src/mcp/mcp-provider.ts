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
 * (`resolveMcpServerDefinition`), read from SecretStorage, and travels in the child process's
 * environment — never in its arguments, which other users of the machine can read.
 */
export class EvoSessionsMcpProvider
  implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable
{
  readonly #context: McpProviderContext;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscription: vscode.Disposable;

  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this.#changed.event;

  constructor(context: McpProviderContext) {
    this.#context = context;
    // A new sign-in or server changes what the tools reach: let VS Code restart the server.
    this.#subscription = context.auth.onDidChange(() => this.#changed.fire());
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const script = vscode.Uri.joinPath(this.#context.extensionUri, ...MCP_SERVER_SCRIPT).fsPath;
    const connection = this.#context.auth.connection;
    const env: Record<string, string> = {
      // VS Code's execPath is the editor binary (Electron); this makes it behave as plain Node.
      ELECTRON_RUN_AS_NODE: "1",
      EVO_VOICE_TIME_ZONE: this.#context.timeZone(),
    };
    if (connection !== undefined) {
      env.EVO_VOICE_BASE_URL = connection.baseUrl;
      env.EVO_VOICE_USERNAME = connection.userName;
      const accounts = this.#context.accountIds();
      if (accounts.length > 0) env.EVO_VOICE_ACCOUNT_IDS = accounts.join(",");
    }
    const definition = new vscode.McpStdioServerDefinition(
      MCP_SERVER_LABEL,
      this.#context.execPath,
      [script],
      env,
      // Changes with the sign-in so VS Code offers to refresh the tools.
      `${this.#context.version}${connection === undefined ? "" : `+${connection.sandbox ? "sandbox" : "server"}`}`,
    );
    return [definition];
  }

  async resolveMcpServerDefinition(
    server: vscode.McpStdioServerDefinition,
  ): Promise<vscode.McpStdioServerDefinition | undefined> {
    let credentials = await this.#context.auth.mcpCredentials();
    if (credentials === undefined) {
      // Starting the server is the moment the user wants it: offer to sign in now.
      const choice = await vscode.window.showInformationMessage(
        "Evo Voice Sessions: sign in (or try the sandbox) to let chat read your sessions.",
        "Sign In",
        "Try the Sandbox",
      );
      if (choice === "Sign In") await vscode.commands.executeCommand(COMMANDS.signIn);
      else if (choice === "Try the Sandbox")
        await vscode.commands.executeCommand(COMMANDS.trySandbox);
      credentials = await this.#context.auth.mcpCredentials();
      if (credentials === undefined) return undefined;
    }
    const accounts = this.#context.accountIds();
    const env: Record<string, string | number | null> = {
      ...server.env,
      ELECTRON_RUN_AS_NODE: "1",
      EVO_VOICE_BASE_URL: credentials.baseUrl,
      EVO_VOICE_USERNAME: credentials.userName,
      EVO_VOICE_PASSWORD: credentials.password,
      EVO_VOICE_TIME_ZONE: this.#context.timeZone(),
      // null removes a value the editor's own environment might carry.
      EVO_VOICE_ACCOUNT_IDS: accounts.length > 0 ? accounts.join(",") : null,
    };
    server.env = env;
    return server;
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}
