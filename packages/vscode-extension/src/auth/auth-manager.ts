import {
  createEvoVoiceClient,
  type AuthStatus,
  type EvoVoiceAuth,
  type EvoVoiceClient,
  type SessionCookies,
} from "@evo-sessions/core";
import * as vscode from "vscode";
import { saveSignInSettings, type ExtensionSettings } from "../config.js";
import type { InProcessSandbox } from "../sandbox/in-process-sandbox.js";
import type { CredentialStore, StoredSignIn } from "./credential-store.js";

/** Context key: true while signed in (hides the welcome view, shows the title buttons). */
export const SIGNED_IN_CONTEXT_KEY = "evoSessions.signedIn";
/** Context key: true while the view shows sandbox data. */
export const SANDBOX_CONTEXT_KEY = "evoSessions.sandbox";

/** Where the view's data comes from. */
export interface Connection {
  /** Server origin, e.g. `https://evovoice.io`. */
  baseUrl: string;
  userName: string;
  /** Sandbox data: labelled as such wherever it shows. */
  sandbox: boolean;
  /** The sandbox runs in this extension host and stops on sign-out. */
  inProcess: boolean;
}

/** Credentials handed to the MCP server process (in memory, through its environment). */
export interface McpCredentials {
  baseUrl: string;
  userName: string;
  password: string;
  sandbox: boolean;
}

/** What the sign-in manager needs from its surroundings (replaced in tests). */
export interface AuthDependencies {
  settings(): ExtensionSettings;
  startSandbox(): Promise<InProcessSandbox>;
  /** Per-attempt timeout of requests (ms). */
  timeoutMs?: number;
  userAgent?: string;
}

interface ActiveSignIn {
  connection: Connection;
  client: EvoVoiceClient;
  password: string;
  /** The cookies last written to SecretStorage, to write again only when they change. */
  savedCookies: SessionCookies | undefined;
  sandbox?: InProcessSandbox | undefined;
}

/**
 * Owns the sign-in: restores it from SecretStorage at start-up (no prompt, no request), signs in
 * and out, follows sign-ins and sign-outs made in other windows, and hands out the client.
 */
export class AuthManager implements vscode.Disposable {
  readonly #store: CredentialStore;
  readonly #deps: AuthDependencies;
  readonly #changed = new vscode.EventEmitter<Connection | undefined>();
  readonly #subscriptions: vscode.Disposable[] = [];
  #active: ActiveSignIn | undefined;

  /** Fires after signing in, out, or switching server. */
  readonly onDidChange: vscode.Event<Connection | undefined> = this.#changed.event;

  constructor(store: CredentialStore, deps: AuthDependencies) {
    this.#store = store;
    this.#deps = deps;
    this.#subscriptions.push(store.onDidChange(() => void this.#followStore()));
  }

  /** The current connection, if signed in. */
  get connection(): Connection | undefined {
    return this.#active?.connection;
  }

  /** The client of the current sign-in. */
  get client(): EvoVoiceClient | undefined {
    return this.#active?.client;
  }

  /** The in-process sandbox, when "Try the sandbox" is in use. */
  get inProcessSandbox(): InProcessSandbox | undefined {
    return this.#active?.sandbox;
  }

  /** Restores a saved sign-in for the configured server without any request or prompt. */
  async restore(): Promise<void> {
    const stored = await this.#store.load();
    if (stored !== undefined && this.#isUsable(stored)) {
      this.#activate(stored, undefined);
      await this.#announce();
    } else await this.#setContext();
  }

  /**
   * Signs in now with a password (real server or a sandbox URL), saves the password and cookies
   * to SecretStorage and the server and user name to settings. Throws the client's error
   * (e.g. `sign_in_failed`) and leaves any previous sign-in untouched when it fails.
   */
  async signInWithPassword(input: {
    baseUrl: string;
    userName: string;
    password: string;
    sandbox?: boolean;
  }): Promise<AuthStatus> {
    const client = this.#createClient(input.baseUrl, {
      type: "credentials",
      userName: input.userName,
      password: input.password,
      rememberMe: true,
    });
    await client.signIn();
    const status = await client.authStatus();
    await this.#dropActive({ signOutOfServer: true });
    const stored: StoredSignIn = {
      baseUrl: input.baseUrl,
      userName: input.userName,
      password: input.password,
      cookies: client.sessionCookies(),
      sandbox: input.sandbox === true,
    };
    // Settings name the real server only; a sandbox URL must not replace it.
    if (input.sandbox !== true) await saveSignInSettings(input.baseUrl, input.userName);
    this.#activate(stored, client);
    await this.#store.save(stored);
    await this.#announce();
    return status;
  }

  /** Starts a sandbox in this process and signs in to it as a demo user (nothing is saved). */
  async useInProcessSandbox(): Promise<AuthStatus> {
    const started = await this.#deps.startSandbox();
    try {
      const client = this.#createClient(started.sandbox.url, {
        type: "credentials",
        userName: started.user.userName,
        password: started.user.password,
      });
      await client.signIn();
      const status = await client.authStatus();
      await this.#dropActive({ signOutOfServer: true });
      this.#active = {
        connection: {
          baseUrl: started.sandbox.url,
          userName: started.user.userName,
          sandbox: true,
          inProcess: true,
        },
        client,
        password: started.user.password,
        savedCookies: undefined,
        sandbox: started,
      };
      await this.#announce();
      return status;
    } catch (error) {
      if (this.#active?.sandbox !== started) await started.sandbox.close();
      throw error;
    }
  }

  /** Signs out of the server, forgets the saved sign-in in every window, stops a local sandbox. */
  async signOut(): Promise<void> {
    const wasStored = this.#active !== undefined && !this.#active.connection.inProcess;
    await this.#dropActive({ signOutOfServer: true });
    if (wasStored || (await this.#store.load()) !== undefined) await this.#store.clear();
    await this.#announce();
  }

  /** Saves renewed session cookies (the client signs in again by itself when they expire). */
  async saveRenewedCookies(): Promise<void> {
    const active = this.#active;
    if (active === undefined || active.connection.inProcess) return;
    const cookies = active.client.sessionCookies();
    if (cookies === undefined || sameCookies(cookies, active.savedCookies)) return;
    active.savedCookies = cookies;
    await this.#store.save({
      baseUrl: active.connection.baseUrl,
      userName: active.connection.userName,
      password: active.password,
      cookies,
      sandbox: active.connection.sandbox,
    });
  }

  /** The credentials the MCP server process needs, read fresh (never cached in the definition). */
  async mcpCredentials(): Promise<McpCredentials | undefined> {
    const active = this.#active;
    if (active === undefined) return undefined;
    return {
      baseUrl: active.connection.baseUrl,
      userName: active.connection.userName,
      password: active.password,
      sandbox: active.connection.sandbox,
    };
  }

  /** Re-checks the sign-in against changed settings: another server means signed out here. */
  async onSettingsChanged(): Promise<void> {
    const active = this.#active;
    if (active !== undefined && !active.connection.sandbox) {
      if (active.connection.baseUrl !== this.#deps.settings().serverUrl) {
        // The saved sign-in stays for when the setting is changed back; it is never sent elsewhere.
        await this.#dropActive({ signOutOfServer: false });
        await this.#announce();
      }
      return;
    }
    if (active === undefined) await this.restore();
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#changed.dispose();
    const sandbox = this.#active?.sandbox;
    this.#active = undefined;
    if (sandbox !== undefined) void sandbox.sandbox.close();
  }

  #isUsable(stored: StoredSignIn): boolean {
    return stored.sandbox === true || stored.baseUrl === this.#deps.settings().serverUrl;
  }

  #activate(stored: StoredSignIn, client: EvoVoiceClient | undefined): void {
    const auth: EvoVoiceAuth =
      stored.cookies === undefined
        ? {
            type: "credentials",
            userName: stored.userName,
            password: stored.password,
            rememberMe: true,
          }
        : {
            type: "session",
            cookies: stored.cookies,
            userName: stored.userName,
            password: stored.password,
          };
    this.#active = {
      connection: {
        baseUrl: stored.baseUrl,
        userName: stored.userName,
        sandbox: stored.sandbox === true,
        inProcess: false,
      },
      client: client ?? this.#createClient(stored.baseUrl, auth),
      password: stored.password,
      savedCookies: stored.cookies,
    };
  }

  async #followStore(): Promise<void> {
    const stored = await this.#store.load();
    const active = this.#active;
    if (active?.connection.inProcess === true) return;
    if (stored === undefined) {
      if (active !== undefined) {
        // Signed out in another window: the server session is already ended there.
        await this.#dropActive({ signOutOfServer: false });
        await this.#announce();
      }
      return;
    }
    if (!this.#isUsable(stored)) return;
    const same =
      active !== undefined &&
      active.connection.baseUrl === stored.baseUrl &&
      active.connection.userName === stored.userName &&
      active.password === stored.password;
    if (same) {
      active.savedCookies = stored.cookies;
      return;
    }
    this.#activate(stored, undefined);
    await this.#announce();
  }

  async #dropActive(options: { signOutOfServer: boolean }): Promise<void> {
    const active = this.#active;
    this.#active = undefined;
    if (active === undefined) return;
    if (options.signOutOfServer) {
      try {
        await active.client.signOut();
      } catch {
        // Signing out is best effort: the saved cookies are forgotten either way.
      }
    }
    if (active.sandbox !== undefined) await active.sandbox.sandbox.close();
  }

  #createClient(baseUrl: string, auth: EvoVoiceAuth): EvoVoiceClient {
    return createEvoVoiceClient({
      baseUrl,
      auth,
      timeoutMs: this.#deps.timeoutMs ?? 20_000,
      // One quick retry: the tree shows an error with a retry action rather than spinning.
      retry: { retries: 1, baseDelayMs: 200, maxDelayMs: 2_000 },
      ...(this.#deps.userAgent === undefined ? {} : { userAgent: this.#deps.userAgent }),
    });
  }

  async #announce(): Promise<void> {
    await this.#setContext();
    this.#changed.fire(this.connection);
  }

  async #setContext(): Promise<void> {
    await vscode.commands.executeCommand(
      "setContext",
      SIGNED_IN_CONTEXT_KEY,
      this.#active !== undefined,
    );
    await vscode.commands.executeCommand(
      "setContext",
      SANDBOX_CONTEXT_KEY,
      this.#active?.connection.sandbox === true,
    );
  }
}

function sameCookies(a: SessionCookies, b: SessionCookies | undefined): boolean {
  return b !== undefined && a.ssId === b.ssId && a.ssPid === b.ssPid && a.ssOpt === b.ssOpt;
}
