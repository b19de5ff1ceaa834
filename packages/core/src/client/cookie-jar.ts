import type { SessionCookies } from "./types.js";

// ServiceStack's session cookies (see API-NOTES "Authentication") and their SessionCookies keys.
const SESSION_COOKIE_KEYS = { "ss-id": "ssId", "ss-pid": "ssPid", "ss-opt": "ssOpt" } as const;
type SessionCookieName = keyof typeof SESSION_COOKIE_KEYS;
// Shorter values of cookies other than the session's are flags or counters, and redacting them
// would mangle every message they happen to occur in.
const MIN_OTHER_SECRET_LENGTH = 8;
/**
 * Most cookies kept. A browser keeps about 50 per host; an upstream that sets a cookie of a new
 * name on every response must not grow the jar (and every request's Cookie header) forever.
 */
export const MAX_COOKIES = 50;

/**
 * The cookies one Evo Voice origin has set. All of them are sent back (the server may add
 * cookies besides ss-*), but only the ServiceStack session cookies are handed out for storing.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Starts from a stored session. */
  static from(cookies: SessionCookies | undefined): CookieJar {
    const jar = new CookieJar();
    if (cookies !== undefined) {
      for (const [name, key] of Object.entries(SESSION_COOKIE_KEYS)) {
        const value = cookies[key];
        if (typeof value === "string" && value !== "") jar.#cookies.set(name, value);
      }
    }
    return jar;
  }

  /** Applies a response's `Set-Cookie` headers: new values replace old, expired ones are dropped. */
  absorb(headers: Headers): void {
    for (const line of readSetCookie(headers)) {
      const parsed = parseSetCookie(line);
      if (parsed === undefined) continue;
      if (parsed.expired || parsed.value === "") this.#cookies.delete(parsed.name);
      else this.#set(parsed.name, parsed.value);
    }
  }

  /** Sets a cookie; when the jar is full, the oldest cookie other than the session's goes. */
  #set(name: string, value: string): void {
    if (!this.#cookies.has(name) && this.#cookies.size >= MAX_COOKIES) {
      for (const old of this.#cookies.keys()) {
        if (!(old in SESSION_COOKIE_KEYS)) {
          this.#cookies.delete(old);
          break;
        }
      }
    }
    this.#cookies.set(name, value);
  }

  /** The `Cookie` request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** True when the jar holds a session cookie the server can recognise a sign-in by. */
  hasSession(): boolean {
    return this.#cookies.has("ss-id") || this.#cookies.has("ss-pid");
  }

  /** The ServiceStack session cookies, for storing; undefined when there is no session. */
  sessionCookies(): SessionCookies | undefined {
    if (!this.hasSession()) return undefined;
    const out: SessionCookies = {};
    for (const [name, key] of Object.entries(SESSION_COOKIE_KEYS) as [
      SessionCookieName,
      keyof SessionCookies,
    ][]) {
      const value = this.#cookies.get(name);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /**
   * Every cookie value that may be a secret, so they can be kept out of messages: the session
   * cookies ss-id and ss-pid always, whatever their length. Left out: ss-opt, a flag ("perm" or
   * "temp"), and ServiceStack's X-UAId, the user's numeric id; other cookies (a proxy's, a
   * load balancer's) count when they are long enough to be a token rather than a flag like "1".
   */
  secretValues(): string[] {
    const out: string[] = [];
    for (const [name, value] of this.#cookies) {
      const lower = name.toLowerCase();
      if (lower === "ss-id" || lower === "ss-pid") out.push(value);
      else if (lower !== "ss-opt" && lower !== "x-uaid" && value.length >= MIN_OTHER_SECRET_LENGTH)
        out.push(value);
    }
    return out;
  }

  /** Forgets every cookie. */
  clear(): void {
    this.#cookies.clear();
  }
}

function readSetCookie(headers: Headers): string[] {
  // Node's fetch keeps each Set-Cookie apart; a comma-joined get() would split dates badly.
  if (typeof headers.getSetCookie === "function") return headers.getSetCookie();
  const joined = headers.get("set-cookie");
  return joined === null ? [] : joined.split(/,(?=\s*[^;,=\s]+=)/);
}

function parseSetCookie(
  line: string,
): { name: string; value: string; expired: boolean } | undefined {
  const [pair = "", ...attributes] = line.split(";");
  const equals = pair.indexOf("=");
  if (equals <= 0) return undefined;
  const name = pair.slice(0, equals).trim();
  let value = pair.slice(equals + 1).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  let expired = false;
  for (const attribute of attributes) {
    const [rawKey = "", ...rest] = attribute.split("=");
    const key = rawKey.trim().toLowerCase();
    const attributeValue = rest.join("=").trim();
    if (key === "max-age" && Number(attributeValue) <= 0) expired = true;
    if (key === "expires") {
      const when = Date.parse(attributeValue);
      if (!Number.isNaN(when) && when <= Date.now()) expired = true;
    }
  }
  return { name, value, expired };
}
