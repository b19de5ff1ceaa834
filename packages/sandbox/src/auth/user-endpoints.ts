import type { Dataset } from "../data/model.js";
import type { DemoUser } from "../types.js";

/**
 * Gives each demo user with the User role (administrators aside) a user endpoint of its first
 * account: the n-th such user of an account is its n-th agent, in generation order. Endpoints
 * follow the seed, so this happens when a sandbox starts, on its own copies of the users.
 * GetMySessions and GetActiveSessions answer the sessions that endpoint takes part in (the
 * public CLI notes they need "a matching user endpoint").
 */
export function linkUserEndpoints(users: DemoUser[], dataset: Dataset): void {
  const taken = new Map<string, number>();
  for (const user of users) {
    const accountId = user.accountIds[0];
    if (user.kind === "admin" || accountId === undefined || !(user.roles ?? []).includes("User"))
      continue;
    const agents = dataset.endpoints.filter((e) => e.accountId === accountId && e.kind === "user");
    const index = taken.get(accountId) ?? 0;
    taken.set(accountId, index + 1);
    const agent = agents[index % Math.max(1, agents.length)];
    if (agent !== undefined) user.endpointId = agent.id;
  }
}
