import { ACCOUNT_SEEDS, buildAccounts } from "./catalog.js";
import { buildFleet } from "./fleet.js";
import {
  HISTORY_DAYS,
  buildAccountWorld,
  buildWorld,
  compareNewestFirst,
  draftSession,
  finish,
  pickCreatedMs,
  publicRecords,
  type AccountWorld,
} from "./generate.js";
import type { Dataset, StoredSession } from "./model.js";
import { Random } from "./random.js";
import { Stories } from "./stories.js";
import type { FleetOptions } from "../types.js";

/** Options of {@link generateStore}. */
export interface GenerateOptions {
  sessions: number;
  seed: number;
  now: Date;
  /** A large MSP fleet instead of the six fixed accounts alone (see {@link buildFleet}). */
  fleet?: FleetOptions | undefined;
}

// Retries, callbacks and short abandons draw from a stream of their own (see stories.ts), and
// so do the callers added for large data: the draws of the plain sessions stay as they were.
const STORY_STREAM = 0x5ca11bac;
const CALLER_STREAM = 0x0ca11e25;
/** Above this many sessions, caller pools grow with each account's volume. */
const WIDEN_CALLERS_ABOVE = 10_000;
/** Sessions per caller an account's pool is sized for. */
const SESSIONS_PER_CALLER = 4;
const MAX_CALLERS = 5_000;

/**
 * Generates the sandbox's data: deterministic for a given seed, session count, `now` and fleet.
 * Every session ends at least a minute before `now` (live mode adds calls in progress).
 */
export function generateStore(options: GenerateOptions): Dataset {
  const rng = new Random(options.seed);
  const nowMs = options.now.getTime();
  const target = Math.max(0, Math.floor(options.sessions));
  const days = options.fleet?.days ?? HISTORY_DAYS;
  const { accounts, worlds, weights } =
    options.fleet === undefined
      ? { accounts: buildAccounts(), worlds: buildWorld(rng), weights: undefined }
      : buildFleet(rng, options.fleet);
  const { customers, endpoints } = publicRecords(worlds);
  const choices = worlds.map(
    (world, index) => [world, weights?.[index] ?? ACCOUNT_SEEDS[index]?.weight ?? 1] as const,
  );
  widenCallers(new Random(options.seed ^ CALLER_STREAM), choices, target);
  const pick = accountPicker(rng, choices);
  const stories = new Stories(new Random(options.seed ^ STORY_STREAM), nowMs, days);
  const sessions: StoredSession[] = [];
  while (sessions.length < target) {
    const world = pick();
    const draft = draftSession(world, rng, sessions.length + 1 < target);
    const child = draft.child;
    const childDuration = child === undefined ? 0 : (draft.transferAt ?? 0) + child.log.elapsed;
    const latest = nowMs - 60_000 - Math.max(draft.log.elapsed + 5_000, childDuration + 5_000);
    const createdMs = pickCreatedMs(rng, nowMs, latest, days);
    const parent = finish(draft, createdMs, undefined, rng);
    sessions.push(parent);
    if (child !== undefined) {
      sessions.push(
        finish(child, createdMs + (draft.transferAt ?? 0), parent.info.id as string, rng),
      );
    }
    for (const next of stories.after(world, parent, target - sessions.length)) sessions.push(next);
  }
  sessions.sort(compareNewestFirst);
  return { now: new Date(nowMs), accounts, customers, endpoints, sessions };
}

/**
 * Gives each account about one caller per {@link SESSIONS_PER_CALLER} of its sessions (150 at
 * least, as small data always had): with 150 callers, 100k sessions would make every caller
 * call dozens of times a month, and every missed call would look called back by chance. Small
 * data (the tests' and the demo's) is left as it is.
 */
function widenCallers(
  rng: Random,
  choices: readonly (readonly [AccountWorld, number])[],
  sessions: number,
): void {
  if (sessions <= WIDEN_CALLERS_ABOVE) return;
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [world, weight] of choices) {
    const wanted = Math.round((sessions * weight) / total / SESSIONS_PER_CALLER);
    const extra = Math.min(MAX_CALLERS, wanted) - world.callers.length;
    // A spare world of the account, drawn for its callers alone.
    if (extra > 0) world.callers.push(...buildAccountWorld(rng, world, [], extra).callers);
  }
}

/**
 * Picks an account by weight. A handful of accounts are picked as `Random.weighted` always
 * did (the same draws); a fleet's hundreds by binary search over cumulative weights, one draw
 * each, instead of a walk over every account per session.
 */
function accountPicker(
  rng: Random,
  choices: readonly (readonly [AccountWorld, number])[],
): () => AccountWorld {
  if (choices.length <= ACCOUNT_SEEDS.length) return () => rng.weighted(choices);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of choices) cumulative.push((total += weight));
  return () => {
    const roll = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > roll) hi = mid;
      else lo = mid + 1;
    }
    return (choices[lo] as readonly [AccountWorld, number])[0];
  };
}
