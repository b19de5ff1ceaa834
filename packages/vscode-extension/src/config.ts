import * as vscode from "vscode";

/** The configuration section every setting of this extension lives under. */
export const SETTINGS_SECTION = "evoSessions";
/** Production Evo Voice, the default server. */
export const DEFAULT_SERVER_URL = "https://evovoice.io";
/** Default `evoSessions.pageSize`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Default `evoSessions.autoRefreshSeconds`. */
export const DEFAULT_AUTO_REFRESH_SECONDS = 30;
/** Largest page size offered; bigger pages make the first paint slow. */
export const MAX_PAGE_SIZE = 500;

/** Values of `evoSessions.details.openAs`. */
export type DetailsOpenAs = "preview" | "source";

/**
 * The extension's settings, already validated. Settings hold only what is not secret:
 * the password and session cookies live in SecretStorage (see auth/credential-store.ts).
 */
export interface ExtensionSettings {
  /** Origin of the Evo Voice server, e.g. `https://evovoice.io`. */
  serverUrl: string;
  /** User name last used to sign in ("" when none). */
  userName: string;
  pageSize: number;
  /** 0 turns auto-refresh off. */
  autoRefreshSeconds: number;
  /** IANA zone for times and day groups. */
  timeZone: string;
  /** How session details open: rendered Markdown or its source. */
  detailsOpenAs: DetailsOpenAs;
  /** One sentence per unusable setting, naming it and what was used instead. */
  problems: string[];
}

/** Reads and validates the settings; this module is the only reader of the configuration. */
export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const problems: string[] = [];

  const rawUrl = config.get<unknown>("serverUrl", DEFAULT_SERVER_URL);
  const serverUrl = normaliseServerUrl(rawUrl);
  if (serverUrl === undefined) {
    problems.push(
      `evoSessions.serverUrl is not an http(s) URL (got ${JSON.stringify(rawUrl)}); using ${DEFAULT_SERVER_URL}.`,
    );
  }

  const rawUser = config.get<unknown>("username", "");
  const userName = typeof rawUser === "string" ? rawUser.trim() : "";

  const pageSize = readInteger(config.get<unknown>("pageSize", DEFAULT_PAGE_SIZE), {
    setting: "evoSessions.pageSize",
    fallback: DEFAULT_PAGE_SIZE,
    min: 1,
    max: MAX_PAGE_SIZE,
    problems,
  });
  const autoRefreshSeconds = readInteger(
    config.get<unknown>("autoRefreshSeconds", DEFAULT_AUTO_REFRESH_SECONDS),
    {
      setting: "evoSessions.autoRefreshSeconds",
      fallback: DEFAULT_AUTO_REFRESH_SECONDS,
      min: 0,
      max: 86_400,
      problems,
    },
  );

  const rawZone = config.get<unknown>("timeZone", "");
  let timeZone = systemTimeZone();
  if (typeof rawZone === "string" && rawZone.trim() !== "") {
    if (isValidTimeZone(rawZone.trim())) timeZone = rawZone.trim();
    else {
      problems.push(
        `evoSessions.timeZone is not an IANA time zone (got ${JSON.stringify(rawZone)}); using ${timeZone}.`,
      );
    }
  }

  const rawOpenAs = config.get<unknown>("details.openAs", "preview");
  let detailsOpenAs: DetailsOpenAs = "preview";
  if (rawOpenAs === "source" || rawOpenAs === "preview") detailsOpenAs = rawOpenAs;
  else {
    problems.push(
      `evoSessions.details.openAs must be "preview" or "source" (got ${JSON.stringify(rawOpenAs)}); using "preview".`,
    );
  }

  return {
    serverUrl: serverUrl ?? DEFAULT_SERVER_URL,
    userName,
    pageSize,
    autoRefreshSeconds,
    timeZone,
    detailsOpenAs,
    problems,
  };
}

/** The settings in force: read at activation, and read again when they change. */
export class SettingsModel {
  #current: ExtensionSettings = readSettings();

  get current(): ExtensionSettings {
    return this.#current;
  }

  /** Reads the settings again; returns the ones they replace. */
  reread(): ExtensionSettings {
    const previous = this.#current;
    this.#current = readSettings();
    return previous;
  }
}

/** Remembers the server and user name of a successful sign-in (never the password). */
export async function saveSignInSettings(serverUrl: string, userName: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // Only write what changed: writing the default into user settings would pin it there.
  if (readSettings().serverUrl !== serverUrl) {
    await config.update("serverUrl", serverUrl, vscode.ConfigurationTarget.Global);
  }
  if (readSettings().userName !== userName) {
    await config.update("username", userName, vscode.ConfigurationTarget.Global);
  }
}

/** Calls `listener` when any setting of this extension changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}

/** The origin of an http(s) URL (`https://evovoice.io/` → `https://evovoice.io`), else undefined. */
export function normaliseServerUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  let text = value.trim();
  // People type the host alone ("evovoice.io"); https is the only sensible guess for it.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  try {
    const url = new URL(text);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function readInteger(
  value: unknown,
  limits: { setting: string; fallback: number; min: number; max: number; problems: string[] },
): number {
  if (typeof value === "number" && Number.isInteger(value)) {
    if (value >= limits.min && value <= limits.max) return value;
  }
  limits.problems.push(
    `${limits.setting} must be a whole number from ${limits.min} to ${limits.max} (got ${JSON.stringify(value)}); using ${limits.fallback}.`,
  );
  return limits.fallback;
}

// Settings are read at activation, before anything needs core: these two lines of Intl keep
// core's chunk (dist/core.js) unloaded until then. They mean what core's functions of the same
// names mean.
function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
