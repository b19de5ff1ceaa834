import type { SessionCookies } from "@evo-sessions/core";
import * as vscode from "vscode";

/**
 * SecretStorage key of the single sign-in kept by version 0.1.0, read once and moved to
 * {@link signInSecretKey} so an upgrade does not sign anyone out.
 */
export const LEGACY_SIGN_IN_SECRET_KEY = "evoSessions.signIn";
/** globalState key remembering that the keyring warning was shown. */
export const KEYRING_WARNING_STATE_KEY = "evoSessions.keyringWarningShown";

const KEY_PREFIX = `${LEGACY_SIGN_IN_SECRET_KEY}/`;

/**
 * SecretStorage key of the sign-in to one server origin. One entry per origin, so connecting to
 * a sandbox URL never overwrites the sign-in to the real server, and each entry is still written
 * and forgotten atomically.
 */
export function signInSecretKey(origin: string): string {
  return `${KEY_PREFIX}${origin}`;
}

/** What a sign-in needs to be reused in another window or after a restart. */
export interface StoredSignIn {
  /** Server origin the password and cookies belong to. */
  baseUrl: string;
  userName: string;
  password: string;
  cookies?: SessionCookies | undefined;
  /** A sandbox reached by URL (labelled as sandbox data). */
  sandbox?: boolean | undefined;
}

/**
 * Keeps the password and session cookies in VS Code's SecretStorage (the OS keyring), the only
 * place they are ever written. SecretStorage is shared by every window, which is what lets a
 * sign-in be reused without asking again. When the keyring is unavailable, sign-ins are kept
 * in memory for this window and the user is told so once.
 */
export class CredentialStore implements vscode.Disposable {
  readonly #secrets: vscode.SecretStorage;
  readonly #globalState: vscode.Memento;
  readonly #changed = new vscode.EventEmitter<string>();
  readonly #subscription: vscode.Disposable;
  // Used only while the keyring fails; never persisted anywhere else.
  readonly #memoryFallback = new Map<string, StoredSignIn>();
  #keyringFailed = false;
  /**
   * Fires with the origin whose stored sign-in changed, by this window or another one
   * (SecretStorage does not say which): listeners compare what they hold with `load`.
   */
  readonly onDidChange: vscode.Event<string> = this.#changed.event;

  constructor(secrets: vscode.SecretStorage, globalState: vscode.Memento) {
    this.#secrets = secrets;
    this.#globalState = globalState;
    this.#subscription = secrets.onDidChange((event) => {
      if (event.key.startsWith(KEY_PREFIX)) this.#changed.fire(event.key.slice(KEY_PREFIX.length));
    });
  }

  /** The sign-in stored for `origin`, or undefined when there is none (or it is unreadable). */
  async load(origin: string): Promise<StoredSignIn | undefined> {
    if (this.#keyringFailed) return this.#memoryFallback.get(origin);
    try {
      const text = await this.#secrets.get(signInSecretKey(origin));
      if (text !== undefined) return parseStoredSignIn(text, origin);
      return await this.#migrateLegacy(origin);
    } catch (error) {
      await this.#onKeyringFailure(error);
      return this.#memoryFallback.get(origin);
    }
  }

  /** Saves a sign-in under its origin; returns false when it could be kept only in memory. */
  async save(signIn: StoredSignIn): Promise<boolean> {
    this.#memoryFallback.set(signIn.baseUrl, signIn);
    if (this.#keyringFailed) return false;
    try {
      await this.#secrets.store(signInSecretKey(signIn.baseUrl), JSON.stringify(signIn));
      this.#memoryFallback.delete(signIn.baseUrl);
      return true;
    } catch (error) {
      await this.#onKeyringFailure(error);
      return false;
    }
  }

  /** Forgets the sign-in to `origin` in every window. */
  async clear(origin: string): Promise<void> {
    this.#memoryFallback.delete(origin);
    if (this.#keyringFailed) return;
    try {
      await this.#secrets.delete(signInSecretKey(origin));
    } catch (error) {
      await this.#onKeyringFailure(error);
    }
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }

  async #migrateLegacy(origin: string): Promise<StoredSignIn | undefined> {
    const legacyText = await this.#secrets.get(LEGACY_SIGN_IN_SECRET_KEY);
    if (legacyText === undefined) return undefined;
    const legacy = parseStoredSignIn(legacyText, undefined);
    // Only a real server's sign-in moves: a sandbox entry was never meant to outlive its window.
    if (legacy === undefined || legacy.sandbox === true) {
      await this.#secrets.delete(LEGACY_SIGN_IN_SECRET_KEY);
      return undefined;
    }
    if (legacy.baseUrl !== origin) return undefined;
    await this.#secrets.store(signInSecretKey(origin), JSON.stringify(legacy));
    await this.#secrets.delete(LEGACY_SIGN_IN_SECRET_KEY);
    return legacy;
  }

  async #onKeyringFailure(error: unknown): Promise<void> {
    this.#keyringFailed = true;
    if (this.#globalState.get<boolean>(KEYRING_WARNING_STATE_KEY) === true) return;
    await this.#globalState.update(KEYRING_WARNING_STATE_KEY, true);
    // The error text comes from the keyring library, never from the secret itself.
    const reason = error instanceof Error && error.message !== "" ? ` (${error.message})` : "";
    void vscode.window.showWarningMessage(
      `Evo Voice: the OS keyring is unavailable${reason}, so your sign-in is kept only until this window closes. ` +
        "On Linux, install and unlock a Secret Service keyring (such as GNOME Keyring) to stay signed in.",
    );
  }
}

function parseStoredSignIn(text: string, origin: string | undefined): StoredSignIn | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (
      typeof value.baseUrl !== "string" ||
      typeof value.userName !== "string" ||
      typeof value.password !== "string"
    ) {
      return undefined;
    }
    // An entry whose body names another server than its key is damaged: never send it anywhere.
    if (origin !== undefined && value.baseUrl !== origin) return undefined;
    const cookies = value.cookies;
    const cookieRecord =
      typeof cookies === "object" && cookies !== null ? (cookies as Record<string, unknown>) : {};
    const readCookie = (name: string) =>
      typeof cookieRecord[name] === "string" ? (cookieRecord[name] as string) : undefined;
    const stored: StoredSignIn = {
      baseUrl: value.baseUrl,
      userName: value.userName,
      password: value.password,
      sandbox: value.sandbox === true,
    };
    const parsedCookies = {
      ssId: readCookie("ssId"),
      ssPid: readCookie("ssPid"),
      ssOpt: readCookie("ssOpt"),
    };
    if (parsedCookies.ssId !== undefined || parsedCookies.ssPid !== undefined)
      stored.cookies = parsedCookies;
    return stored;
  } catch {
    return undefined;
  }
}
