import type { AccountInfo, SessionInfo } from "@evo-sessions/core";

/** How dates are written in responses (the real server's format is undocumented). */
export type DateFormat = "iso" | "wcf";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind (default 127.0.0.1). */
  host?: string;
  /** Number of sessions to generate (default 2000). */
  sessions?: number;
  /** Seed of the generator; the same seed gives the same data (default 42). */
  seed?: number;
  /** The "now" the data is generated around (default: the current time). */
  now?: Date;
  /** Date format of responses (default "iso"). */
  dateFormat?: DateFormat;
  /** Latency added to every request, in ms (default 0). */
  latencyMs?: number;
  /** Live mode: some sessions progress ringing → connected → hold → disconnected in real time. */
  live?: boolean;
  /** How long a sign-in lasts without use, in ms (default 1 hour). */
  sessionTtlMs?: number;
}

/** A demo user the sandbox accepts. */
export interface DemoUser {
  userName: string;
  password: string;
  displayName: string;
  /** single: one account; multi: several; admin: sees every account. */
  kind: "single" | "multi" | "admin";
  accountIds: string[];
}

/** Which requests a fault applies to. */
export type FaultRoute = "sessions" | "session" | "auth" | "any";

/** A failure the sandbox can inject. */
export type FaultKind =
  | { type: "latency"; ms: number }
  | { type: "status"; status: 408 | 429 | 500 | 502 | 503; retryAfterSeconds?: number }
  | { type: "reset" }
  | { type: "hang" }
  | { type: "truncate" }
  | { type: "malformed-json" }
  | { type: "html" }
  | { type: "expire-session" }
  | {
      type: "drift";
      /** Which drift to apply (default all). */
      unknownEnums?: boolean;
      extraProperties?: boolean;
      missingFields?: boolean;
      wcfDates?: boolean;
    };

/** A fault to inject: for the next `times` matching requests, or with a probability. */
export interface FaultSpec {
  route?: FaultRoute;
  fault: FaultKind;
  /** Apply to the next N matching requests (default: until cleared). */
  times?: number;
  /** Apply with this probability per request, 0..1 (default 1). */
  probability?: number;
}

/** Controls faults of a running sandbox. */
export interface FaultController {
  /** Adds a fault; returns its id. */
  inject(spec: FaultSpec): string;
  remove(id: string): void;
  clear(): void;
  /** Ends every sign-in now, as if they had expired. */
  expireAllSignIns(): void;
}

/** A request the sandbox answered, for tests that count attempts. */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  fault?: FaultKind["type"] | undefined;
}

/** The generated data behind a sandbox, for tests that compare answers with an oracle. */
export interface SandboxData {
  accounts: AccountInfo[];
  customers: { id: string; name: string; accountId: string; parentId?: string | undefined }[];
  endpoints: {
    id: string;
    name: string;
    accountId: string;
    kind: "user" | "phoneNumber" | "queue";
  }[];
  /** Every session, with its full log, newest first. Dates are ISO strings. */
  sessions: SessionInfo[];
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  users: DemoUser[];
  faults: FaultController;
  data: SandboxData;
  requests: RequestRecord[];
  close(): Promise<void>;
}
