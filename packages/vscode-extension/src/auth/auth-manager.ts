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

/** workspaceState key: the sandbox URL this workspace is connected to (restored at start-up). */
export const SANDBOX_URL_STATE_KEY = "evoSessions.sandboxUrl";

/** What the sign-in manager needs from its surroundings (replaced in tests). */
export interface AuthDependencies {
  settings(): ExtensionSettings;
  startSandbox(): Promise<InProcessSandbox>;
  /** Remembers which sandbox URL this workspace uses (optional: then none is restored). */
  workspaceState?: vscode.Memento;
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
  /** The `/auth/status` read when signing in (not known for a restored sign-in). */
  status?: AuthStatus | undefined;
}

/** What {@link AuthManager.signOut} did. */
export interface SignOutResult {
  /** The connection that ended. */
  ended: Connection | undefined;
  /** The sign-in to the real server that is back in use after leaving a sandbox. */
  restored: Connection | undefined;
}

/**
 * Owns the sign-in: restores it from SecretStorage at start-up (no prompt, no request), signs in
 * and out, follows sign-ins and sign-outs of the configured server made in other windows, and
 * hands out the client.
 *
 * Sign-ins are kept per server origin. A sandbox (in-process or by URL) only puts the real
 * sign-in aside: it is neither signed out of its server nor forgotten, and leaving the sandbox
 * reads it back. Sandbox entries are never followed across windows.
 */
export class AuthManager implements vscode.Disposable {
  readonly #store: CredentialStore;
  readonly #deps: AuthDependencies;
  readonly #changed = new vscode.EventEmitter<Connection | undefined>();
  readonly #subscriptions: vscode.Disposable[] = [];
  #active: ActiveSignIn | undefined;
  // Bumped whenever #active is replaced: an async path that awaited gives up when it moved.
  #epoch = 0;

  /** Fires after signing in, out, or switching server. */
  readonly onDidChange: vscode.Event<Connection | undefined> = this.#changed.event;

  constructor(store: CredentialStore, deps: AuthDependencies) {
    this.#store = store;
    this.#deps = deps;
    this.#subscriptions.push(store.onDidChange((origin) => void this.#followStore(origin)));
  }

  /** The current connection, if signed in. */
  get connection(): Connection | undefined {
    return this.#active?.connection;
  }

  /** The client of the current sign-in. */
  get client(): EvoVoiceClient | undefined {
    return this.#active?.client;
  }

  /** What `/auth/status` said at this sign-in, when it was read here (not for a restored one). */
  get status(): AuthStatus | undefined {
    return this.#active?.status;
  }

  /** The in-process sandbox, when "Try the sandbox" is in use. */
  get inProcessSandbox(): InProcessSandbox | undefined {
    return this.#active?.sandbox;
  }

  /**
   * Restores this workspace's sandbox URL, else the saved sign-in to the configured server,
   * without any request or prompt.
   */
  async restore(): Promise<void> {
    const epoch = this.#epoch;
    const sandboxUrl = this.#deps.workspaceState?.get<string>(SANDBOX_URL_STATE_KEY);
    if (sandboxUrl !== undefined) {
      const stored = await this.#store.load(sandboxUrl);
      if (epoch !== this.#epoch) return;
      if (stored?.sandbox === true) {
        this.#replace(this.#fromStored(stored, undefined));
        await this.#announce();
        return;
      }
      await this.#deps.workspaceState?.update(SANDBOX_URL_STATE_KEY, undefined);
    }
    const stored = await this.#loadRealSignIn();
    if (epoch !== this.#epoch) return;
    if (stored === undefined) {
      await this.#setContext();
      return;
    }
    this.#replace(this.#fromStored(stored, undefined));
    await this.#announce();
  }

  /**
   * Signs in now with a password (real server or a sandbox URL), saves the password and cookies
   * to SecretStorage under the server's origin, and for a real server its URL and user name to
   * settings. Throws the client's error (e.g. `sign_in_failed`) and leaves any previous sign-in
   * untouched when it fails.
   */
  async signInWithPassword(input: {
    baseUrl: string;
    userName: string;
    password: string;
    sandbox?: boolean;
  }): Promise<AuthStatus> {
    const sandbox = input.sandbox === true;
    const client = this.#createClient(input.baseUrl, {
      type: "credentials",
      userName: input.userName,
      password: input.password,
      rememberMe: true,
    });
    await client.signIn();
    const status = await client.authStatus();
    const previous = this.#active;
    const stored: StoredSignIn = {
      baseUrl: input.baseUrl,
      userName: input.userName,
      password: input.password,
      cookies: client.sessionCookies(),
      sandbox,
    };
    this.#replace({ ...this.#fromStored(stored, client), status });
    // The old server session ends only when this one replaces it on the same server; a sign-in
    // elsewhere keeps it for switching back.
    const replacesSame =
      previous !== undefined &&
      !previous.connection.inProcess &&
      previous.connection.baseUrl === input.baseUrl &&
      previous.connection.sandbox === sandbox;
    await this.#end(previous, { signOutOfServer: replacesSame });
    // Settings name the real server only; a sandbox URL must not replace it.
    if (!sandbox) await saveSignInSettings(input.baseUrl, input.userName);
    await this.#deps.workspaceState?.update(
      SANDBOX_URL_STATE_KEY,
      sandbox ? input.baseUrl : undefined,
    );
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
      const previous = this.#active;
      this.#replace({
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
        status,
      });
      // The real sign-in is only put aside: its server session and saved entry stay.
      await this.#end(previous, { signOutOfServer: false });
      await this.#announce();
      return status;
    } catch (error) {
      if (this.#active?.sandbox !== started) await started.sandbox.close();
      throw error;
    }
  }

  /**
   * Signs out of the current connection. For the real server: ends the server session and
   * forgets the saved sign-in in every window. For a sandbox: stops or leaves it and goes back
   * to the real sign-in, which stays untouched.
   */
  async signOut(): Promise<SignOutResult> {
    const active = this.#active;
    if (active === undefined) {
      // Nothing in use here, but a saved sign-in may be: "Sign out" must still forget it.
      const serverUrl = this.#deps.settings().serverUrl;
      if ((await this.#store.load(serverUrl)) !== undefined) await this.#store.clear(serverUrl);
      await this.#setContext();
      return { ended: undefined, restored: undefined };
    }
    this.#replace(undefined);
    const connection = active.connection;
    if (connection.inProcess) {
      await this.#end(active, { signOutOfServer: false });
    } else {
      await this.#end(active, { signOutOfServer: true });
      await this.#store.clear(connection.baseUrl);
      if (connection.sandbox) {
        await this.#deps.workspaceState?.update(SANDBOX_URL_STATE_KEY, undefined);
      }
    }
    if (connection.sandbox) {
      const epoch = this.#epoch;
      const stored = await this.#loadRealSignIn();
      if (stored !== undefined && epoch === this.#epoch) {
        this.#replace(this.#fromStored(stored, undefined));
      }
    }
    await this.#announce();
    return { ended: connection, restored: connection.sandbox ? this.connection : undefined };
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

  /**
   * Re-checks the sign-in against changed settings: another server means this window uses that
   * server's saved sign-in, if any. A sandbox in use is left alone.
   */
  async onSettingsChanged(): Promise<void> {
    const active = this.#active;
    if (active?.connection.sandbox === true) return;
    const serverUrl = this.#deps.settings().serverUrl;
    if (active !== undefined && active.connection.baseUrl === serverUrl) return;
    // The old server's saved sign-in stays for when the setting is changed back; it is never
    // sent elsewhere.
    if (active !== undefined) this.#replace(undefined);
    const epoch = this.#epoch;
    const stored = await this.#loadRealSignIn();
    if (epoch !== this.#epoch) return;
    if (stored !== undefined) this.#replace(this.#fromStored(stored, undefined));
    if (active !== undefined || stored !== undefined) await this.#announce();
  }

  dispose(): void {
    for (const subscription of this.#subscriptions) subscription.dispose();
    this.#changed.dispose();
    const sandbox = this.#active?.sandbox;
    this.#replace(undefined);
    if (sandbox !== undefined) void sandbox.sandbox.close();
  }

  /** The saved sign-in to the configured server (sandbox entries never count as one). */
  async #loadRealSignIn(): Promise<StoredSignIn | undefined> {
    const serverUrl = this.#deps.settings().serverUrl;
    const stored = await this.#store.load(serverUrl);
    return stored === undefined || stored.sandbox === true || stored.baseUrl !== serverUrl
      ? undefined
      : stored;
  }

  #fromStored(stored: StoredSignIn, client: EvoVoiceClient | undefined): ActiveSignIn {
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
    return {
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

  #replace(next: ActiveSignIn | undefined): void {
    this.#active = next;
    this.#epoch += 1;
  }

  async #followStore(origin: string): Promise<void> {
    const active = this.#active;
    // A sandbox in use puts the real sign-in aside; it is read afresh when the sandbox ends.
    if (active?.connection.sandbox === true) return;
    // Only the configured server is followed: sandbox URLs and other servers stay per window.
    if (origin !== this.#deps.settings().serverUrl) return;
    const epoch = this.#epoch;
    const stored = await this.#loadRealSignIn();
    if (epoch !== this.#epoch) return;
    if (stored === undefined) {
      if (active !== undefined) {
        // Signed out in another window: the server session is already ended there.
        this.#replace(undefined);
        await this.#end(active, { signOutOfServer: false });
        await this.#announce();
      }
      return;
    }
    const same =
      active !== undefined &&
      active.connection.baseUrl === stored.baseUrl &&
      active.connection.userName === stored.userName &&
      active.password === stored.password;
    if (same) {
      active.savedCookies = stored.cookies;
      return;
    }
    this.#replace(this.#fromStored(stored, undefined));
    await this.#announce();
  }

  /** Ends a sign-in no longer in use: signs out of its server when asked, stops its sandbox. */
  async #end(
    active: ActiveSignIn | undefined,
    options: { signOutOfServer: boolean },
  ): Promise<void> {
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
