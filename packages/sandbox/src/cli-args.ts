import { validateFaultSpec } from "./faults/fault-controller.js";
import { MAX_FLEET_ACCOUNTS, MAX_FLEET_DAYS } from "./data/fleet.js";
import type {
  DateFormat,
  FaultKind,
  FaultRoute,
  FaultSpec,
  FleetOptions,
  SandboxOptions,
} from "./types.js";

/** A command-line argument that cannot be used; the message names the flag and the fix. */
export class CliArgumentError extends Error {
  override readonly name = "CliArgumentError";
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Reads a duration like `40ms`, `2s`, `30m`, `1h` or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (match === null)
    throw new RangeError(`"${text}" is not a duration: use e.g. 40ms, 2s, 30m or 1h`);
  return Math.round(Number(match[1]) * (DURATION_UNITS[(match[2] ?? "ms").toLowerCase()] ?? 1));
}

const DRIFT_FLAGS = ["unknownEnums", "extraProperties", "missingFields", "wcfDates"] as const;

/**
 * Reads a `--fault` value: `<type>[=<value>]` then optional `,route=<sessions|session|auth|accounts|customers|endpoints|flows|calls|any>`,
 * `,times=<n>`, `,probability=<0..1>`, `,retry-after=<seconds>`. Examples: `status=503,probability=0.2`,
 * `latency=300ms,route=sessions`, `reset,times=1`, `drift=unknownEnums+wcfDates`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const [head = "", ...options] = text.split(",").map((part) => part.trim());
  const eq = head.indexOf("=");
  const type = (eq < 0 ? head : head.slice(0, eq)).toLowerCase();
  const value = eq < 0 ? undefined : head.slice(eq + 1);
  const need = (what: string): string => {
    if (value === undefined || value === "")
      throw new RangeError(`fault "${type}" needs a value: ${what}`);
    return value;
  };
  let retryAfterSeconds: number | undefined;
  const spec: Omit<FaultSpec, "fault"> = {};
  for (const option of options) {
    const [key = "", optionValue = ""] = option.split("=").map((part) => part.trim());
    switch (key.toLowerCase()) {
      case "route":
        spec.route = optionValue as FaultRoute;
        break;
      case "times":
        spec.times = Number(optionValue);
        break;
      case "probability":
        spec.probability = Number(optionValue);
        break;
      case "retry-after":
        retryAfterSeconds = Number(optionValue);
        if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
          throw new RangeError(`retry-after "${optionValue}" is not a whole number of seconds`);
        }
        break;
      default:
        throw new RangeError(
          `unknown fault option "${key}": use route, times, probability or retry-after`,
        );
    }
  }
  let fault: FaultKind;
  switch (type) {
    case "latency":
      fault = { type: "latency", ms: parseDuration(need("a duration, e.g. latency=300ms")) };
      break;
    case "status":
      fault = { type: "status", status: Number(need("an HTTP status, e.g. status=503")) as 503 };
      if (retryAfterSeconds !== undefined) fault.retryAfterSeconds = retryAfterSeconds;
      break;
    case "drift": {
      fault = { type: "drift" };
      for (const flag of (value ?? "").split("+").filter((f) => f !== "")) {
        const known = DRIFT_FLAGS.find((name) => name.toLowerCase() === flag.toLowerCase());
        if (known === undefined)
          throw new RangeError(`unknown drift "${flag}": use ${DRIFT_FLAGS.join(", ")}`);
        fault[known] = true;
      }
      break;
    }
    case "reset":
    case "hang":
    case "truncate":
    case "malformed-json":
    case "html":
    case "expire-session":
      fault = { type };
      break;
    default:
      throw new RangeError(
        `unknown fault "${type}": use latency, status, reset, hang, truncate, malformed-json, html, expire-session or drift`,
      );
  }
  const full: FaultSpec = { ...spec, fault };
  validateFaultSpec(full);
  return full;
}

/** What the command line asked for. */
export interface CliOptions {
  help: boolean;
  sandbox: SandboxOptions;
  faults: FaultSpec[];
}

export const USAGE = `Usage: evo-sessions-sandbox [options]

Starts an Evo Voice-compatible server with generated sessions.

Options:
  --port <n>             Port to listen on (default 8787; 0 picks a free one)
  --host <address>       Address to bind (default 127.0.0.1)
  --sessions <n>         Number of sessions to generate (default 5000)
  --accounts <n>         An MSP fleet: n client accounts under Northwind MSP (3-10000)
  --days <n>             Days of history the sessions span (default 60)
  --seed <n>             Seed of the generated data (default 42)
  --now <iso-date>       Instant the data is generated around (default: now)
  --date-format iso|wcf  Date format of responses (default iso)
  --latency <duration>   Latency added to every request, e.g. 40ms
  --session-ttl <dur>    How long an idle sign-in lasts, e.g. 30m (default 1h)
  --live                 Some calls progress ringing -> connected -> hold -> ended in real time
  --fault <spec>         Inject a fault (repeatable), e.g. status=503,probability=0.1
                         types: latency=<dur> status=<408|429|500|502|503> reset hang truncate
                         malformed-json html expire-session drift[=unknownEnums+extraProperties+...]
                         options: route=<sessions|session|auth|accounts|customers|endpoints|flows|calls|any> times=<n> probability=<0..1>
                         retry-after=<seconds>
  --help                 Show this help`;

function integer(
  flag: string,
  text: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = text === undefined || !/^-?\d+$/.test(text.trim()) ? Number.NaN : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliArgumentError(
      `${flag} needs a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`} (got ${text === undefined ? "nothing" : `"${text}"`})`,
    );
  }
  return value;
}

function instant(flag: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new CliArgumentError(
      `${flag} needs an ISO date, e.g. 2026-01-31T12:00:00Z (got "${text}")`,
    );
  return date;
}

function dateFormat(flag: string, value: string): DateFormat {
  const text = value.toLowerCase();
  if (text !== "iso" && text !== "wcf")
    throw new CliArgumentError(`${flag} must be iso or wcf (got "${text}")`);
  return text;
}

/** The fleet after `--accounts` or `--days` (alone, `--days` keeps the MSP's three clients). */
function fleetFlag(fleet: FleetOptions | undefined, flag: string, text: string): FleetOptions {
  return flag === "--accounts"
    ? { ...fleet, accounts: integer(flag, text, 3, MAX_FLEET_ACCOUNTS) }
    : { accounts: fleet?.accounts ?? 3, days: integer(flag, text, 1, MAX_FLEET_DAYS) };
}

/** Parses the command line; throws {@link CliArgumentError} naming the flag at fault. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const sandbox: SandboxOptions = { port: 8787, sessions: 5000, seed: 42 };
  const faults: FaultSpec[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const takeValue = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--"))
        throw new CliArgumentError(`${flag} needs a value`);
      i++;
      return next;
    };
    const wrap = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (error) {
        if (error instanceof CliArgumentError) throw error;
        throw new CliArgumentError(`${flag}: ${(error as Error).message}`);
      }
    };
    switch (flag) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--port":
        sandbox.port = integer(flag, takeValue(), 0, 65535);
        break;
      case "--host":
        sandbox.host = takeValue();
        break;
      case "--sessions":
        sandbox.sessions = integer(flag, takeValue(), 0, 10_000_000);
        break;
      case "--accounts":
      case "--days":
        sandbox.fleet = fleetFlag(sandbox.fleet, flag, takeValue());
        break;
      case "--seed":
        sandbox.seed = integer(flag, takeValue(), -2_147_483_648, 4_294_967_295);
        break;
      case "--now":
        sandbox.now = instant(flag, takeValue());
        break;
      case "--date-format":
        sandbox.dateFormat = dateFormat(flag, takeValue());
        break;
      case "--latency": {
        const text = takeValue();
        sandbox.latencyMs = wrap(() => parseDuration(text));
        break;
      }
      case "--session-ttl": {
        const text = takeValue();
        sandbox.sessionTtlMs = wrap(() => parseDuration(text));
        if (sandbox.sessionTtlMs <= 0)
          throw new CliArgumentError("--session-ttl must be longer than 0");
        break;
      }
      case "--live":
        sandbox.live = true;
        break;
      case "--fault": {
        const text = takeValue();
        faults.push(wrap(() => parseFaultSpec(text)));
        break;
      }
      default:
        throw new CliArgumentError(`unknown option "${arg}"; run with --help to see the options`);
    }
  }
  return { help, sandbox, faults };
}
