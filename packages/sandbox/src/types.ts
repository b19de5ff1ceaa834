import type { DateFormat } from "./wire/dates.js";
import type { AccountInfo, Listed, SessionInfo } from "./wire/dto.js";
import type { CustomerInfo, EndpointInfo, FlowInfo } from "./wire/directory-dto.js";

export type { DateFormat };

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
  /** Live mode: how many calls are in progress at once (default 3). */
  liveCalls?: number;
  /** Live mode: milliseconds between the steps of a live call (default 5000). */
  liveStepMs?: number;
  /**
   * Live mode: what moves the calls on. "real" (default): a step every `liveStepMs` of real time.
   * "manual": only `sandbox.live.step()`, on a clock that starts at `now` and moves `liveStepMs`
   * per step, so that a test says exactly when calls change (and never races a timer).
   */
  liveClock?: "real" | "manual";
  /** Where the real server's behaviour is unknown, which variant the sandbox emulates. */
  behaviour?: Partial<SandboxBehaviour>;
  /**
   * A large MSP fleet, for benchmarks and rollups: client accounts generated under Northwind MSP
   * beside the fixed accounts, the MSP and admin users seeing them all. Absent (the default):
   * the six fixed accounts alone, the data unchanged.
   */
  fleet?: FleetOptions;
}

/** The size of a generated MSP fleet. */
export interface FleetOptions {
  /** Client accounts under Northwind MSP, its three fixed ones included (at least 3). */
  accounts: number;
  /** Days of history the sessions span (default 60). */
  days?: number;
}

/**
 * Choices between plausible behaviours of the real server that the documentation leaves
 * open; the defaults are the sandbox's best guess (see the package README).
 */
export interface SandboxBehaviour {
  /** Sessions older than this many days are archived, reachable only with searchArchive (default 15). */
  archiveAfterDays: number;
  /** customerIds matches the session's own customer ("exact", default) or also its sub-customers ("descendants"). */
  customerMatch: "exact" | "descendants";
  /** endpointIds matches the session's endpointId ("session", default) or also answeredById and members ("any"). */
  endpointMatch: "session" | "any";
  /** An unknown sortField is rejected with 400 ("reject", default) or ignored ("ignore"). */
  unknownSortField: "reject" | "ignore";
  /**
   * GET /auth/status when signed out, documented as "the status or null": 200
   * `{isAuthenticated:false}` ("false", default), 200 `null` ("null"), an empty 204 ("204", what
   * ServiceStack sends for a null response) or 401 ("401").
   */
  authStatusSignedOut: "false" | "null" | "204" | "401";
  /** UserInfo as the newer page copies print it (managerAccess, ViewCallCenter; "newer", default) or the older ("older"). */
  userInfoShape: "newer" | "older";
  /** GET /sessions/{id}'s log: `"log": []` as observed on staging ("empty", default), no key ("omitted") or the full log ("full"). */
  getSessionLog: "empty" | "omitted" | "full";
  /** GET /sessions/{id} of an archived session: 404 as on staging ("404", default) or the session ("found"). */
  getSessionArchived: "404" | "found";
  /** ListAccounts/GetAccount: any signed-in user, for the accounts they reach ("any", default), or SystemAdministrator only ("administrators"). */
  accountsAccess: "any" | "administrators";
  /** GetActiveCalls' roles: the newer copy's SystemAdministrator, Manager, CallCenterDashboard ("newer", default) or the older copy's first two ("older"). */
  activeCallsRoles: "newer" | "older";
  /** `nameFilter` (customers, endpoints, flows, accounts) and `phoneNumberFilter`: case-insensitive "contains" (default) or "prefix". */
  nameFilterMatch: "contains" | "prefix";
  /** A user endpoint's name: `firstName` + `lastName` ("first-last", default) or one `name` ("name"). */
  endpointUserNames: "first-last" | "name";
  /** CallInfo's dates (strings on the page): ISO 8601 ("iso", default) or Twilio's RFC 2822 ("rfc2822"). */
  callInfoDates: "iso" | "rfc2822";
  /**
   * specificIds looks only on the side searchArchive selects ("archive-flag", default) or finds
   * the ids among live and archived sessions alike ("everywhere").
   */
  specificIdsSearch: "archive-flag" | "everywhere";
  /** 403 for another's account comes with a ServiceStack JSON body ("json", default) or none ("empty"). */
  forbiddenBody: "json" | "empty";
}

/** A demo user the sandbox accepts. */
export interface DemoUser {
  userName: string;
  password: string;
  displayName: string;
  /** single: one account; multi: several; admin: sees every account. */
  kind: "single" | "multi" | "admin";
  accountIds: string[];
  /** ServiceStack user id reported by sign-in. */
  userId?: string;
  emailAddress?: string;
  roles?: string[];
  /** UserInfo's names (GET /auth/status). */
  firstName?: string;
  lastName?: string;
  /**
   * The user endpoint (agent) this user is, whose sessions GetMySessions/GetActiveSessions
   * answer. Set by the sandbox when it starts (endpoints follow the seed) for users with the
   * User role; undefined for the others.
   */
  endpointId?: string;
}

/** Which requests a fault applies to. */
export type FaultRoute =
  | "sessions"
  | "session"
  | "auth"
  | "accounts"
  | "customers"
  | "endpoints"
  | "flows"
  | "calls"
  | "any";

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
  accounts: Listed<AccountInfo>[];
  customers: { id: string; name: string; accountId: string; parentId?: string | undefined }[];
  endpoints: {
    id: string;
    name: string;
    accountId: string;
    kind: "user" | "phoneNumber" | "queue";
  }[];
  /** Every session, with its full log, newest first. Dates are ISO strings. */
  sessions: Listed<SessionInfo>[];
  /** Transfer links, child session id → parent session id (SessionInfo has no such field). */
  parentSessionIds?: Record<string, string>;
  /** The instant the data was generated around (ISO). */
  now?: string;
  /** Sessions created before this instant (ISO) are archived (searchArchive=true). */
  archiveCutoff?: string;
  /** Every customer as ListCustomers serves it (ISO dates), in generation order. */
  customerDetails?: CustomerInfo[];
  /** Every endpoint as ListEndpoints serves it (ISO dates, first/last names), in generation order. */
  endpointDetails?: EndpointInfo[];
  /** Every flow as ListFlows serves it (ISO dates), in generation order. */
  flows?: FlowInfo[];
  /** The demo users with their roles and the user endpoint each one is (if any). */
  users?: { userName: string; roles: string[]; accountIds: string[]; endpointId?: string }[];
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  url: string;
  users: DemoUser[];
  faults: FaultController;
  data: SandboxData;
  requests: RequestRecord[];
  /** Live mode's calls (undefined without `live`). */
  live?: LiveController;
  close(): Promise<void>;
}

/** The live calls of a running sandbox. */
export interface LiveController {
  /**
   * With `liveClock: "manual"`: moves every live call on by `steps` steps (default 1) and the
   * live clock by `steps × liveStepMs`, before it returns. Throws on the real clock.
   */
  step(steps?: number): void;
  /** The live clock's current instant, on the data's time line. */
  now(): Date;
}
