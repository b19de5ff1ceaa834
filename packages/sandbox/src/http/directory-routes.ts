import { identify, notAuthenticated } from "../auth/authenticate.js";
import {
  DIRECTORY_ROLES,
  ROLE,
  forbidden,
  requireAnyRole,
  visibleAccounts,
} from "../auth/roles.js";
import type { DemoUser } from "../types.js";
import type { ServerState, RequestContext } from "./context.js";
import { type ListOperation, type ListPaging, pageOf, parseListRequest } from "./list-request.js";
import { json, jsonError, type PlannedResponse } from "./responses.js";
import type { ParamReader } from "../sessions/list-params.js";

/** How one List and Get pair of the directory reads, filters and writes its items. */
export interface DirectorySpec<T extends { id?: string; accountId?: string }, F> {
  list: ListOperation;
  /** The Get* operation's name and its id property (PascalCase, as ServiceStack names fields). */
  get: { name: string; idField: string; noun: string };
  /** Roles any of which the operation needs; undefined = any signed-in user. */
  roles(state: ServerState): readonly string[] | undefined;
  items(state: ServerState): readonly T[];
  /** The operation's own filters (besides ListRequest's), read from the query. */
  readFilters(reader: ParamReader): F & { accountIds?: string[] | undefined };
  matches(item: T, filters: F, state: ServerState): boolean;
  /** The item as the wire carries it (dates in the configured format, variants applied). */
  toWire(item: T, state: ServerState): Record<string, unknown>;
  defaultSortField: string;
}

/** A case-insensitive name filter, "contains" or "prefix" as configured (the pages say "by name"). */
export function nameMatches(
  value: string | undefined,
  filter: string | undefined,
  state: ServerState,
): boolean {
  if (filter === undefined) return true;
  if (value === undefined) return false;
  const haystack = value.toLowerCase();
  const needle = filter.toLowerCase();
  return state.behaviour.nameFilterMatch === "prefix"
    ? haystack.startsWith(needle)
    : haystack.includes(needle);
}

function authorize(
  context: RequestContext,
  state: ServerState,
  operation: string,
  roles: readonly string[] | undefined,
): { ok: true; user: DemoUser } | { ok: false; response: PlannedResponse } {
  const caller = identify(context, state);
  if (!caller.ok) return { ok: false, response: notAuthenticated(caller.reason) };
  if (roles !== undefined) {
    const denied = requireAnyRole(state, caller.user, operation, roles);
    if (denied !== undefined) return { ok: false, response: denied };
  }
  return { ok: true, user: caller.user };
}

/**
 * A List* operation: 401 without a sign-in, 403 without one of its roles or for an account the
 * user cannot reach (`accountIds`), 400 for what does not bind or validate (as ListSessions);
 * then the items of the user's accounts that pass every filter, sorted and paged.
 */
export function listDirectory<T extends { id?: string; accountId?: string }, F>(
  context: RequestContext,
  state: ServerState,
  spec: DirectorySpec<T, F>,
): PlannedResponse {
  const auth = authorize(context, state, spec.list.name, spec.roles(state));
  if (!auth.ok) return auth.response;
  const parsed = parseListRequest(context.params, spec.list, state.behaviour, (reader) =>
    spec.readFilters(reader),
  );
  if (!parsed.ok) return parsed.response;
  const visible = visibleAccounts(state, auth.user);
  const wanted = parsed.filters.accountIds;
  const denied = wanted?.find((id) => !visible.has(id));
  if (denied !== undefined && auth.user.kind !== "admin")
    return forbidden(
      state,
      `You do not have access to account '${denied}'. GET /auth/status lists the accounts you can use.`,
    );
  const accounts = wanted === undefined ? visible : new Set(wanted);
  const matches = spec
    .items(state)
    .filter(
      (item) =>
        accounts.has(item.accountId ?? item.id ?? "") &&
        specificMatch(item, parsed.paging) &&
        spec.matches(item, parsed.filters, state),
    );
  const page = pageOf(matches, parsed.paging, spec.defaultSortField);
  return json(200, { ...page, items: page.items.map((item) => spec.toWire(item, state)) });
}

function specificMatch(item: { id?: string }, paging: ListPaging): boolean {
  return paging.specificIds === undefined || paging.specificIds.has(item.id ?? "");
}

/** A Get* operation: the item by id, 404 (naming the id field) when unknown or not the user's. */
export function getDirectory<T extends { id?: string; accountId?: string }, F>(
  context: RequestContext,
  state: ServerState,
  spec: DirectorySpec<T, F>,
  id: string,
): PlannedResponse {
  const auth = authorize(context, state, spec.get.name, spec.roles(state));
  if (!auth.ok) return auth.response;
  const visible = visibleAccounts(state, auth.user);
  const item = spec.items(state).find((candidate) => candidate.id === id);
  if (item === undefined || !visible.has(item.accountId ?? item.id ?? "")) {
    const message = `${spec.get.noun} '${id}' was not found`;
    const errors = [{ errorCode: "NotFound", fieldName: spec.get.idField, message }];
    return jsonError(404, "NotFound", message, { errors });
  }
  return json(200, spec.toWire(item, state));
}

/** The roles of the customer, endpoint and flow operations (the same on each page). */
export const directoryRoles = (): readonly string[] => DIRECTORY_ROLES;

/** ListAccounts' and GetAccount's roles: none on the page; SystemAdministrator if so configured. */
export const accountRoles = (state: ServerState): readonly string[] | undefined =>
  state.behaviour.accountsAccess === "administrators" ? [ROLE.systemAdministrator] : undefined;
