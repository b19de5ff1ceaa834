import { InvalidOptionError } from "../errors/evo-voice-error.js";
import { resolveRetryPolicy, type ResolvedRetryPolicy } from "./retry-policy.js";
import type { ClientHooks, EvoVoiceClientOptions } from "./types.js";

/** The production Evo Voice origin (API-NOTES "Hosts"). */
export const DEFAULT_BASE_URL = "https://evovoice.io";
/** Per-attempt timeout unless configured. */
export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = "evo-sessions-core/0.1";

/** Client options with defaults filled in and checked. */
export interface ClientConfig {
  /** Origin plus any path prefix, without a trailing slash. */
  baseUrl: string;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Overall deadline of each call, when one is set. */
  deadlineMs: number | undefined;
  /** Retries of reads and of the sign-in. */
  retry: ResolvedRetryPolicy;
  /** The fetch every attempt goes through. */
  fetch: typeof fetch;
  /** The caller's hooks, each guarded. */
  hooks: SafeHooks;
  /** Headers every request carries. */
  headers: Record<string, string>;
}

/** Hooks that cannot break a request: an observer that throws is ignored. */
export type SafeHooks = {
  [K in keyof ClientHooks]-?: (event: Parameters<NonNullable<ClientHooks[K]>>[0]) => void;
};

/** Checks options and fills in defaults; a bad option throws naming the field and the reason. */
export function resolveClientConfig(options: EvoVoiceClientOptions): ClientConfig {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidOptionError(
      "timeoutMs",
      "expected a positive number of milliseconds",
      timeoutMs,
    );
  }
  const deadlineMs = checkDeadline("deadlineMs", options.deadlineMs);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new InvalidOptionError(
      "fetch",
      "no fetch implementation is available; use Node 20 or later, or pass one",
    );
  }
  return {
    baseUrl: resolveBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, options.allowInsecureHttp),
    timeoutMs,
    deadlineMs,
    retry: resolveRetryPolicy(options.retry),
    fetch: fetchImpl,
    hooks: safeHooks(options.hooks ?? {}),
    headers: {
      accept: "application/json",
      "user-agent": options.userAgent ?? DEFAULT_USER_AGENT,
    },
  };
}

/** Checks a `deadlineMs` option: undefined, or a positive number of milliseconds. */
export function checkDeadline(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(field, "expected a positive number of milliseconds", value);
  }
  return value;
}

/** True for names and addresses of this machine, where plain http never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function resolveBaseUrl(value: unknown, allowInsecureHttp: unknown): string {
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined) {
    throw new InvalidOptionError(
      "baseUrl",
      `expected an absolute http(s) URL such as ${DEFAULT_BASE_URL}`,
      value,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidOptionError("baseUrl", "expected http or https", url.protocol);
  }
  // Credentials in the URL would travel into hook payloads and messages; they belong in `auth`
  // (and the value is not quoted back, as it holds them).
  if (url.username !== "" || url.password !== "") {
    throw new InvalidOptionError(
      "baseUrl",
      "it must not contain a user name or password; pass them as auth instead",
    );
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && allowInsecureHttp !== true) {
    throw new InvalidOptionError(
      "baseUrl",
      `plain http:// to ${url.host} would send the password and session cookies unencrypted; use https://, or pass allowInsecureHttp: true if this network is trusted`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new InvalidOptionError("baseUrl", "expected no query string or fragment", value);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function safeHooks(hooks: ClientHooks): SafeHooks {
  const guard =
    <E>(hook: ((event: E) => void) | undefined) =>
    (event: E): void => {
      if (hook === undefined) return;
      try {
        hook.call(hooks, event);
      } catch {
        // Observers must not change what a request does.
      }
    };
  return {
    onRequest: guard(hooks.onRequest),
    onResponse: guard(hooks.onResponse),
    onRetry: guard(hooks.onRetry),
    onSignIn: guard(hooks.onSignIn),
    onDecodeWarnings: guard(hooks.onDecodeWarnings),
    onPagingDrift: guard(hooks.onPagingDrift),
  };
}
