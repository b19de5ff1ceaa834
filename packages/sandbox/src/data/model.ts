import type { AccountInfo, SessionInfo, SessionMemberInfo } from "../wire/dto.js";

// The generator builds objects with only the keys it has (the wire omits absent ones).
/** A SessionMemberInfo with only the fields present. */
export type MemberFields = Partial<SessionMemberInfo>;
/** A SessionInfo with only the fields present. */
export type SessionFields = Omit<Partial<SessionInfo>, "members"> & { members?: MemberFields[] };
/** An AccountInfo with only the fields present. */
export type AccountFields = Partial<AccountInfo>;

/** A customer of an account; `parentId` builds the hierarchy the breadcrumbs show. */
export interface CustomerRecord {
  id: string;
  name: string;
  accountId: string;
  parentId?: string | undefined;
}

/** An endpoint of an account: a user (agent), a phone number or a queue. */
export interface EndpointRecord {
  id: string;
  name: string;
  accountId: string;
  kind: "user" | "phoneNumber" | "queue";
}

/**
 * A session as the sandbox keeps it: the wire fields without the log (ISO dates, absent
 * fields omitted), plus what filtering needs and SessionInfo does not carry.
 */
export interface StoredSession {
  info: SessionFields;
  // Copies of the fields filters read on every scan: SessionInfo objects come in many shapes,
  // so reading through them is megamorphic and several times slower than this fixed shape.
  id: string;
  accountId: string;
  customerId: string | undefined;
  endpointId: string | undefined;
  createdMs: number;
  /** Parent of a transfer's child session (ListSessions' parentSessionId filter). */
  parentSessionId: string | undefined;
  /** Log messages joined by "\n" (messages never contain one): one string is far smaller than many. */
  logText: string;
  /** Milliseconds after createdMs of each log entry, in order. */
  logOffsets: number[];
  /** Lower-case haystacks of the `from` and `to` contains filters. */
  fromKey: string;
  toKey: string;
}

/** Everything a sandbox serves, newest session first. */
export interface Dataset {
  now: Date;
  accounts: AccountFields[];
  customers: CustomerRecord[];
  endpoints: EndpointRecord[];
  sessions: StoredSession[];
}

/** Log entries of a stored session as the wire carries them (ISO dates). */
export function materializeLog(session: StoredSession): { date: string; message: string }[] {
  if (session.logOffsets.length === 0) return [];
  const messages = session.logText.split("\n");
  return session.logOffsets.map((offset, index) => ({
    date: new Date(session.createdMs + offset).toISOString(),
    message: messages[index] ?? "",
  }));
}

/** Builds the stored form of a session (the log given as messages and offsets). */
export function storeSession(
  info: SessionFields,
  createdMs: number,
  parentSessionId: string | undefined,
  messages: readonly string[],
  offsets: number[],
): StoredSession {
  return {
    info,
    id: info.id as string,
    accountId: info.accountId as string,
    customerId: info.customerId ?? undefined,
    endpointId: info.endpointId ?? undefined,
    createdMs,
    parentSessionId,
    logText: messages.join("\n"),
    logOffsets: offsets,
    fromKey: fromKeyOf(info),
    toKey: toKeyOf(info),
  };
}

/** Lower-case haystack of the `from` filter: fromAddress, fromName and fromPhoneNumber. */
export function fromKeyOf(info: SessionFields): string {
  return [info.fromAddress, info.fromName, info.fromPhoneNumber]
    .filter((part): part is string => typeof part === "string")
    .join("\n")
    .toLowerCase();
}

/** Lower-case haystack of the `to` filter: toAddress and destination. */
export function toKeyOf(info: SessionFields): string {
  return [info.toAddress, info.destination]
    .filter((part): part is string => typeof part === "string")
    .join("\n")
    .toLowerCase();
}
