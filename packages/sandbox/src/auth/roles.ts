import type { ServerState } from "../http/context.js";
import { jsonError, type PlannedResponse } from "../http/responses.js";
import type { DemoUser, SandboxBehaviour } from "../types.js";
import type { DashboardPermission, UserInfo } from "../wire/directory-dto.js";

/** The roles the service's pages name (OPERATIONS.md §1). */
export const ROLE = {
  user: "User",
  manager: "Manager",
  customer: "Customer",
  systemAdministrator: "SystemAdministrator",
  callCenterDashboard: "CallCenterDashboard",
} as const;

/** The roles each role-guarded operation needs, any one of them (as on its page). */
export const DIRECTORY_ROLES = [ROLE.systemAdministrator, ROLE.manager, ROLE.customer];
export const USER_ROLES = [ROLE.user];

/** GetActiveCalls' roles: the newer page copy adds CallCenterDashboard. */
export function activeCallsRoles(behaviour: SandboxBehaviour): string[] {
  const roles: string[] = [ROLE.systemAdministrator, ROLE.manager];
  return behaviour.activeCallsRoles === "newer" ? [...roles, ROLE.callCenterDashboard] : roles;
}

/** Whether the user has one of `roles`; ServiceStack's `Admin` role passes every role check. */
export function hasAnyRole(user: DemoUser, roles: readonly string[]): boolean {
  const own = user.roles ?? [];
  return own.includes("Admin") || roles.some((role) => own.includes(role));
}

/** ServiceStack's 403 for a request the user may not make (a body, or none when so configured). */
export function forbidden(state: ServerState, message: string): PlannedResponse {
  // ServiceStack answers some 403s (a missing role) with no body at all.
  if (state.behaviour.forbiddenBody === "empty")
    return { status: 403, headers: {}, contentType: "text/plain; charset=utf-8", body: "" };
  return jsonError(403, "Forbidden", message);
}

/** The 403 of a missing role, or undefined when the user has one of `roles`. */
export function requireAnyRole(
  state: ServerState,
  user: DemoUser,
  operation: string,
  roles: readonly string[],
): PlannedResponse | undefined {
  if (hasAnyRole(user, roles)) return undefined;
  const which =
    roles.length === 1 ? `the role ${roles[0]}` : `any of the roles ${roles.join(", ")}`;
  return forbidden(state, `Invalid Role: ${operation} requires ${which}`);
}

/** The accounts a user reaches: every account for an administrator, else their own. */
export function visibleAccounts(state: ServerState, user: DemoUser): Set<string> {
  if (user.kind === "admin")
    return new Set(state.store.dataset.accounts.map((account) => account.id as string));
  return new Set(user.accountIds);
}

const ALL_PERMISSIONS: DashboardPermission[] = [
  "ViewFiles",
  "ViewNotifications",
  "ViewSessions",
  "ViewEndpoints",
  "ViewReports",
  "ViewCustomers",
  "ViewFlows",
  "ViewCallCenter",
];

/** What a user's roles let them see on the dashboard (the sandbox's reading; not documented). */
function permissionsOf(user: DemoUser): DashboardPermission[] {
  if (hasAnyRole(user, [ROLE.systemAdministrator, ROLE.manager])) return ALL_PERMISSIONS;
  const granted = new Set<DashboardPermission>();
  if (hasAnyRole(user, [ROLE.customer]))
    for (const p of [
      "ViewSessions",
      "ViewEndpoints",
      "ViewCustomers",
      "ViewFlows",
      "ViewReports",
    ] as const)
      granted.add(p);
  if (hasAnyRole(user, [ROLE.user]))
    for (const p of ["ViewFiles", "ViewNotifications", "ViewSessions"] as const) granted.add(p);
  if (hasAnyRole(user, [ROLE.callCenterDashboard])) granted.add("ViewCallCenter");
  return ALL_PERMISSIONS.filter((p) => granted.has(p));
}

/**
 * GET /auth/status's UserInfo for a signed-in user, keys in the page's order. The older page
 * copies have no `managerAccess` and no `ViewCallCenter` permission.
 */
export function userInfo(state: ServerState, user: DemoUser): UserInfo {
  const names = new Map(state.store.dataset.accounts.map((a) => [a.id as string, a.name ?? ""]));
  const accountIds = [...visibleAccounts(state, user)];
  const info: UserInfo = { id: user.userId ?? user.userName, isAuthenticated: true };
  if (user.firstName !== undefined) info.firstName = user.firstName;
  if (user.lastName !== undefined) info.lastName = user.lastName;
  info.name = [user.firstName, user.lastName].filter(Boolean).join(" ") || user.displayName;
  if (user.emailAddress !== undefined) info.emailAddress = user.emailAddress;
  info.roles = [...(user.roles ?? [])];
  info.accountIds = accountIds;
  info.accountNames = accountIds.map((id) => names.get(id) || id);
  const newer = state.behaviour.userInfoShape === "newer";
  if (newer) {
    const admin = hasAnyRole(user, [ROLE.systemAdministrator]);
    const manager = hasAnyRole(user, [ROLE.manager]);
    info.managerAccess = admin ? "ReadWriteDelete" : manager ? "ReadWrite" : "ReadOnly";
  }
  const permissions = permissionsOf(user);
  info.dashboardPermissions = newer
    ? permissions
    : permissions.filter((p) => p !== "ViewCallCenter");
  return info;
}
