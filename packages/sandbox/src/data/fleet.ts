/**
 * A large MSP fleet for benchmarks and rollups: the six fixed accounts (so that the demo users,
 * live calls and everything naming them still work) plus generated client accounts under
 * Northwind MSP, with callers enough that a busy account does not hear from the same few
 * numbers all day (see `widenCallers` in store.ts). Without the fleet switch none of this runs and the data is as it always was.
 */
import { ACCOUNT_SEEDS, SANDBOX_ACCOUNT_IDS, buildAccounts } from "./catalog.js";
import { buildAccountWorld, buildWorld, type AccountWorld } from "./generate.js";
import type { AccountFields } from "./model.js";
import type { Random } from "./random.js";
import type { DemoUser, FleetOptions } from "../types.js";

/** Most accounts a fleet may have (each costs a world of agents, numbers and callers). */
export const MAX_FLEET_ACCOUNTS = 10_000;
/** Most days of history a fleet may span. */
export const MAX_FLEET_DAYS = 3_650;

const PREFIXES = [
  "Apex",
  "Bayview",
  "Cedar",
  "Crescent",
  "Evergreen",
  "Granite",
  "Lakeside",
  "Maple",
  "Meridian",
  "Pioneer",
  "Redwood",
  "Riverside",
  "Silverline",
  "Sterling",
  "Summit Ridge",
  "Willow",
] as const;

const TRADES = [
  "Dental",
  "Veterinary Clinic",
  "Realty",
  "Law Group",
  "Plumbing",
  "HVAC",
  "Auto Repair",
  "Insurance",
  "Accounting",
  "Family Medicine",
  "Property Management",
  "Roofing",
] as const;

const BRANCHES = [
  "Front Desk",
  "Billing",
  "Scheduling",
  "North Branch",
  "South Branch",
  "Field Team",
  "After-hours Line",
] as const;

/** A fleet's accounts, their worlds and their shares of the sessions. */
export interface Fleet {
  accounts: AccountFields[];
  worlds: AccountWorld[];
  weights: number[];
}

/**
 * The fixed accounts and `options.accounts − 3` generated clients of Northwind MSP, so that the
 * MSP has `options.accounts` clients in all.
 */
export function buildFleet(rng: Random, options: FleetOptions): Fleet {
  const fixed = buildAccounts();
  const clients = Math.max(0, options.accounts - 3);
  const worlds = buildWorld(rng);
  const accounts = [...fixed];
  const weights = ACCOUNT_SEEDS.map((seed) => seed.weight);
  // A client of the MSP without Acme's extras (trust hub profile, logo).
  const template = fixed[2] as AccountFields;
  const taken = new Set(fixed.map((account) => account.name));
  for (let index = 0; index < clients; index++) {
    const id = rng.hex(32);
    let name = `${rng.pick(PREFIXES)} ${rng.pick(TRADES)}`;
    for (let n = 2; taken.has(name); n++) name = `${name.replace(/ \d+$/, "")} ${n}`;
    taken.add(name);
    accounts.push({
      ...template,
      id,
      name,
      dateCreated: new Date(Date.UTC(2024, index % 12, 1 + (index % 28), 10)).toISOString(),
      twilioAccountSid: `AC${rng.hex(32)}`,
      parentAccountId: SANDBOX_ACCOUNT_IDS.northwindMsp,
      ancestorIds: [SANDBOX_ACCOUNT_IDS.northwindMsp],
    });
    const branches = [...BRANCHES].sort(() => rng.next() - 0.5).slice(0, rng.int(1, 4));
    const block = String(index % 100).padStart(2, "0");
    worlds.push(buildAccountWorld(rng, { id, name, numberBlock: block }, [name, ...branches]));
    weights.push(rng.int(1, 4));
  }
  return { accounts, worlds, weights };
}

/** The demo users of a fleet: the MSP user sees the MSP and all its clients, the admin all. */
export function fleetUsers(users: DemoUser[], accounts: readonly AccountFields[]): void {
  const msp = SANDBOX_ACCOUNT_IDS.northwindMsp;
  const clients = accounts.filter((a) => a.parentAccountId === msp).map((a) => a.id as string);
  for (const user of users) {
    if (user.kind === "admin") user.accountIds = accounts.map((a) => a.id as string);
    else if (user.kind === "multi") user.accountIds = [msp, ...clients];
  }
}
