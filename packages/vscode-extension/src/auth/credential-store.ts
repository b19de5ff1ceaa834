import type { SessionCookies } from "@evo-sessions/core";
import * as vscode from "vscode";

/** SecretStorage key of the sign-in (one entry, so it is written and forgotten atomically). */
export const SIGN_IN_SECRET_KEY = "evoSessions.signIn";
/** globalState key remembering that the keyring warning was shown. */
export const KEYRING_WARNING_STATE_KEY = "evoSessions.keyringWarningShown";

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
 * sign-in be reused without asking again. When the keyring is unavailable, the sign-in is kept
 * in memory for this window and the user is told so once.
 */
export class CredentialStore implements vscode.Disposable {
  readonly #secrets: vscode.SecretStorage;
  readonly #globalState: vscode.Memento;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #subscription: vscode.Disposable;
  // Used only while the keyring fails; never persisted anywhere else.
  #memoryFallback: StoredSignIn | undefined;
  #keyringFailed = false;
  /**
   * Fires when the stored sign-in changed, by this window or another one (SecretStorage does
   * not say which): listeners compare what they hold with {@link CredentialStore.load}.
   */
  readonly onDidChange: vscode.Event<void> = this.#changed.event;

  constructor(secrets: vscode.SecretStorage, globalState: vscode.Memento) {
    this.#secrets = secrets;
    this.#globalState = globalState;
    this.#subscription = secrets.onDidChange((event) => {
      if (event.key === SIGN_IN_SECRET_KEY) this.#changed.fire();
    });
  }

  /** The stored sign-in, or undefined when there is none (or it is unreadable). */
  async load(): Promise<StoredSignIn | undefined> {
    if (this.#keyringFailed) return this.#memoryFallback;
    let text: string | undefined;
    try {
      text = await this.#secrets.get(SIGN_IN_SECRET_KEY);
    } catch (error) {
      await this.#onKeyringFailure(error);
      return this.#memoryFallback;
    }
    return text === undefined ? undefined : parseStoredSignIn(text);
  }

  /** Saves a sign-in; returns false when it could be kept only in memory. */
  async save(signIn: StoredSignIn): Promise<boolean> {
    this.#memoryFallback = signIn;
    if (this.#keyringFailed) return false;
    try {
      await this.#secrets.store(SIGN_IN_SECRET_KEY, JSON.stringify(signIn));
      this.#memoryFallback = undefined;
      return true;
    } catch (error) {
      await this.#onKeyringFailure(error);
      return false;
    }
  }

  /** Forgets the sign-in everywhere. */
  async clear(): Promise<void> {
    this.#memoryFallback = undefined;
    if (this.#keyringFailed) return;
    try {
      await this.#secrets.delete(SIGN_IN_SECRET_KEY);
    } catch (error) {
      await this.#onKeyringFailure(error);
    }
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
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

function parseStoredSignIn(text: string): StoredSignIn | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (
      typeof value.baseUrl !== "string" ||
      typeof value.userName !== "string" ||
      typeof value.password !== "string"
    ) {
      return undefined;
    }
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
