import { randomBytes } from "node:crypto";
import type { DemoUser } from "../types.js";

/** One sign-in: which user, and the cookie ids that carry it. */
export interface SignIn {
  user: DemoUser;
  /** ServiceStack session id (what `sessionId` in AuthenticateResponse reports). */
  sessionId: string;
  ssId: string;
  ssPid: string;
  permanent: boolean;
  lastUsedMs: number;
}

/** Cookies a request sent, by name. */
export type Cookies = ReadonlyMap<string, string>;

/** Parses a Cookie header (`a=1; b=2`). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const raw = part.slice(eq + 1).trim();
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A browser or proxy may send a cookie that is not percent-encoded: keep it as sent.
      value = raw;
    }
    cookies.set(part.slice(0, eq).trim(), value);
  }
  return cookies;
}

// ServiceStack session ids are 20 random URL-safe characters.
function newId(): string {
  return randomBytes(15).toString("base64url");
}

/**
 * The sandbox's ServiceStack sessions. A sign-in expires after `ttlMs` without use (each
 * authenticated request renews it), so a client's sign-in-again path can be exercised.
 */
export class SignIns {
  private readonly byCookie = new Map<string, SignIn>();

  constructor(
    private readonly users: readonly DemoUser[],
    private readonly ttlMs: number,
  ) {}

  /** The user with these credentials; user names match in any case, passwords exactly. */
  check(userName: string, password: string): DemoUser | undefined {
    const user = this.users.find((u) => u.userName.toLowerCase() === userName.trim().toLowerCase());
    return user !== undefined && user.password === password ? user : undefined;
  }

  /** Starts a sign-in; `rememberMe` makes it reachable through the permanent `ss-pid` cookie too. */
  start(user: DemoUser, rememberMe: boolean, cookies: Cookies): SignIn {
    this.sweep();
    // ServiceStack keeps the browser's existing ss-pid; a new one is made when absent.
    const ssPid = cookies.get("ss-pid") ?? newId();
    const ssId = newId();
    const signIn: SignIn = {
      user,
      sessionId: rememberMe ? ssPid : ssId,
      ssId,
      ssPid,
      permanent: rememberMe,
      lastUsedMs: Date.now(),
    };
    this.byCookie.set(`id:${ssId}`, signIn);
    if (rememberMe) this.byCookie.set(`pid:${ssPid}`, signIn);
    return signIn;
  }

  /** The live sign-in these cookies carry, renewed; undefined when absent or expired. */
  resolve(cookies: Cookies): SignIn | undefined {
    const signIn = this.find(cookies);
    if (signIn === undefined) return undefined;
    if (Date.now() - signIn.lastUsedMs > this.ttlMs) {
      this.end(signIn);
      return undefined;
    }
    signIn.lastUsedMs = Date.now();
    return signIn;
  }

  /** The sign-in these cookies name, without checking or renewing it. */
  find(cookies: Cookies): SignIn | undefined {
    const ssId = cookies.get("ss-id");
    const byId = ssId === undefined ? undefined : this.byCookie.get(`id:${ssId}`);
    if (byId !== undefined) return byId;
    // ss-opt=perm tells ServiceStack to use the permanent id.
    const ssPid = cookies.get("ss-pid");
    if (cookies.get("ss-opt") === "perm" && ssPid !== undefined)
      return this.byCookie.get(`pid:${ssPid}`);
    return undefined;
  }

  /** Ends one sign-in. */
  end(signIn: SignIn): void {
    this.byCookie.delete(`id:${signIn.ssId}`);
    if (this.byCookie.get(`pid:${signIn.ssPid}`) === signIn)
      this.byCookie.delete(`pid:${signIn.ssPid}`);
  }

  /** Ends every sign-in, as if all had expired. */
  endAll(): void {
    this.byCookie.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, signIn] of this.byCookie) {
      if (now - signIn.lastUsedMs > this.ttlMs) this.byCookie.delete(key);
    }
  }
}
