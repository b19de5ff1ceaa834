import type { IncomingMessage } from "node:http";
import type { Cookies, SignIn, SignIns } from "../auth/sign-ins.js";
import type { Directory } from "../data/directory.js";
import type { SessionStore } from "../sessions/session-store.js";
import type { DateFormat, DemoUser, SandboxBehaviour } from "../types.js";

/** What every route handler can reach. */
export interface ServerState {
  store: SessionStore;
  signIns: SignIns;
  users: readonly DemoUser[];
  dateFormat: DateFormat;
  behaviour: SandboxBehaviour;
  /** Customers, endpoints and flows, derived from the data on first use. */
  directory(): Directory;
}

/** One request, parsed once. */
export interface RequestContext {
  req: IncomingMessage;
  method: string;
  /** Lower-cased path without a `.json` suffix (ServiceStack routes ignore case). */
  route: string;
  params: URLSearchParams;
  cookies: Cookies;
}

/** Who is calling: a user (through a cookie sign-in or Basic credentials), or why not. */
export type Caller =
  | { ok: true; user: DemoUser; signIn: SignIn | undefined }
  | { ok: false; reason: "anonymous" | "bad-credentials" };
