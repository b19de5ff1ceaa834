import { Random } from "../data/random.js";
import type { FaultController, FaultKind, FaultRoute, FaultSpec } from "../types.js";

interface ActiveFault {
  id: string;
  route: FaultRoute;
  fault: FaultKind;
  remaining: number;
  probability: number;
}

/** What to do to one request: extra latency, and at most one failure. */
export interface FaultDecision {
  latencyMs: number;
  fault: Exclude<FaultKind, { type: "latency" }> | undefined;
  /** The type to record: the failure's, else "latency" when only latency applied. */
  recorded: FaultKind["type"] | undefined;
}

const FAULT_TYPES = new Set<FaultKind["type"]>([
  "latency",
  "status",
  "reset",
  "hang",
  "truncate",
  "malformed-json",
  "html",
  "expire-session",
  "drift",
]);
const ROUTES = new Set<FaultRoute>([
  "sessions",
  "session",
  "auth",
  "accounts",
  "customers",
  "endpoints",
  "flows",
  "calls",
  "any",
]);
const STATUSES = new Set([408, 429, 500, 502, 503]);

/** Checks a fault spec, throwing a RangeError that names the bad field. */
export function validateFaultSpec(spec: FaultSpec): void {
  if (spec === null || typeof spec !== "object")
    throw new TypeError('A fault spec must be an object like { fault: { type: "reset" } }');
  const route = spec.route ?? "any";
  if (!ROUTES.has(route))
    throw new RangeError(`Invalid fault route "${String(route)}": use ${[...ROUTES].join(", ")}`);
  const fault = spec.fault as FaultKind | undefined;
  if (fault === undefined || !FAULT_TYPES.has(fault.type)) {
    throw new RangeError(
      `Invalid fault type "${String(fault?.type)}": use one of ${[...FAULT_TYPES].join(", ")}`,
    );
  }
  if (fault.type === "latency" && !(Number.isFinite(fault.ms) && fault.ms >= 0)) {
    throw new RangeError(
      `Invalid latency fault ms ${String(fault.ms)}: use a number of milliseconds >= 0`,
    );
  }
  if (fault.type === "status" && !STATUSES.has(fault.status)) {
    throw new RangeError(
      `Invalid status fault ${String(fault.status)}: use 408, 429, 500, 502 or 503`,
    );
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
    throw new RangeError(`Invalid fault times ${String(spec.times)}: use a whole number >= 1`);
  }
  if (spec.probability !== undefined && !(spec.probability >= 0 && spec.probability <= 1)) {
    throw new RangeError(
      `Invalid fault probability ${String(spec.probability)}: use a number from 0 to 1`,
    );
  }
}

/** The sandbox's fault controller: faults apply per route, for N requests or with a probability. */
export class Faults implements FaultController {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly onExpireAll: () => void,
  ) {
    this.random = new Random(seed ^ 0x5eed);
  }

  inject(spec: FaultSpec): string {
    validateFaultSpec(spec);
    const id = `fault-${this.nextId++}`;
    this.active.push({
      id,
      route: spec.route ?? "any",
      fault: spec.fault,
      remaining: spec.times ?? Number.POSITIVE_INFINITY,
      probability: spec.probability ?? 1,
    });
    return id;
  }

  remove(id: string): void {
    const index = this.active.findIndex((fault) => fault.id === id);
    if (index >= 0) this.active.splice(index, 1);
  }

  clear(): void {
    this.active.length = 0;
  }

  expireAllSignIns(): void {
    this.onExpireAll();
  }

  /** Decides the faults of one request on `route`; each applied fault uses up one of its times. */
  decide(route: Exclude<FaultRoute, "any"> | "other"): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, fault: undefined, recorded: undefined };
    for (const active of [...this.active]) {
      if (active.route !== "any" && active.route !== route) continue;
      // Latency adds up with other faults; only the first failure applies.
      if (active.fault.type !== "latency" && decision.fault !== undefined) continue;
      if (active.probability < 1 && this.random.next() >= active.probability) continue;
      if (active.fault.type === "latency") {
        decision.latencyMs += active.fault.ms;
        decision.recorded ??= "latency";
      } else {
        decision.fault = active.fault;
        decision.recorded = active.fault.type;
      }
      active.remaining -= 1;
      if (active.remaining <= 0) this.remove(active.id);
    }
    return decision;
  }
}
