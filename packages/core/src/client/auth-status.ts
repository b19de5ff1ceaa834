import { z } from "zod";
import type { AccountRef, AuthStatus } from "./types.js";

const optionalText = z.string().nullish().catch(undefined);
const textList = z
  .array(z.unknown())
  .nullish()
  .catch(undefined)
  .transform((values) =>
    (values ?? []).map((value) => (typeof value === "string" ? value : String(value ?? ""))),
  );

// GET /auth/status returns ServiceStack's UserInfo (OPERATIONS.md: id, isAuthenticated,
// firstName, lastName, name, avatarUrl, emailAddress, roles, accountIds, accountNames…). Older
// notes and proxies used userId/userName/displayName: both are read. Everything is optional and
// a wrong type reads as missing rather than failing the whole answer.
const AuthStatusWireSchema = z.looseObject({
  isAuthenticated: z.boolean().nullish().catch(undefined),
  id: optionalText,
  userId: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  name: optionalText,
  userName: optionalText,
  displayName: optionalText,
  emailAddress: optionalText,
  roles: textList,
  accountIds: textList,
  accountNames: textList,
});

/**
 * Reads `GET /auth/status`. The account ids and names come as two parallel arrays; they are
 * zipped by position, an id without a name is named by its id, and names without ids are dropped.
 */
export function decodeAuthStatus(json: unknown): AuthStatus {
  // The operation returns "the current authenticated status or null": nothing means signed out.
  if (json === null || json === undefined) return signedOutStatus();
  const wire = AuthStatusWireSchema.parse(typeof json === "object" ? json : {});
  const fullName = [wire.firstName, wire.lastName].filter((part) => part).join(" ");
  const accounts: AccountRef[] = wire.accountIds.flatMap((id, index) =>
    id === "" ? [] : [{ id, name: wire.accountNames[index] || id }],
  );
  return {
    // A 200 from the status endpoint is itself a sign of a session when the flag is missing.
    isAuthenticated: wire.isAuthenticated ?? true,
    userId: wire.id ?? wire.userId ?? undefined,
    userName: wire.userName ?? undefined,
    displayName: wire.name || fullName || wire.displayName || undefined,
    emailAddress: wire.emailAddress ?? undefined,
    roles: wire.roles,
    accounts,
  };
}

/** The answer for a client that is not signed in. */
export function signedOutStatus(): AuthStatus {
  return { isAuthenticated: false, roles: [], accounts: [] };
}
