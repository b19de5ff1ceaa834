import { parseArgs } from "node:util";
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

/** User input in a message: quoted, and clipped so that a pasted blob stays one short line. */
function quote(text: string): string {
  return JSON.stringify(text.length <= 60 ? text : `${text.slice(0, 57)}…`);
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CliArgumentError(
      `${flag} needs a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`} (got ${quote(text)})`,
    );
  }
  return value;
}

function instant(flag: string, text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new CliArgumentError(
      `${flag} needs an ISO date, e.g. 2026-01-31T12:00:00Z (got ${quote(text)})`,
    );
  return date;
}

function dateFormat(flag: string, value: string): DateFormat {
  const text = value.toLowerCase();
  if (text !== "iso" && text !== "wcf")
    throw new CliArgumentError(`${flag} must be iso or wcf (got ${quote(text)})`);
  return text;
}

/** The fleet after `--accounts` or `--days` (alone, `--days` keeps the MSP's three clients). */
function fleetFlag(fleet: FleetOptions | undefined, flag: string, text: string): FleetOptions {
  return flag === "--accounts"
    ? { ...fleet, accounts: integer(flag, text, 3, MAX_FLEET_ACCOUNTS) }
    : { accounts: fleet?.accounts ?? 3, days: integer(flag, text, 1, MAX_FLEET_DAYS) };
}

/** Runs a parser of the value; its error becomes one bounded line naming the flag. */
function wrap<T>(flag: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CliArgumentError) throw error;
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    const clipped = message.replace(/"([^"]{61,})"/g, (_, text: string) => quote(text));
    throw new CliArgumentError(
      `${flag}: ${clipped.length <= 300 ? clipped : `${clipped.slice(0, 299)}…`}`,
    );
  }
}

/** One option: how parseArgs reads it, and what its value does to the options. */
interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  apply: (options: CliOptions, value: string, flag: string) => void;
}

const OPTIONS: Record<string, OptionSpec> = {
  port: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.port = integer(f, v, 0, 65535);
    },
  },
  host: {
    type: "string",
    apply: (o, v) => {
      o.sandbox.host = v;
    },
  },
  sessions: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.sessions = integer(f, v, 0, 10_000_000);
    },
  },
  accounts: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.fleet = fleetFlag(o.sandbox.fleet, f, v);
    },
  },
  days: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.fleet = fleetFlag(o.sandbox.fleet, f, v);
    },
  },
  seed: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.seed = integer(f, v, -2_147_483_648, 4_294_967_295);
    },
  },
  now: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.now = instant(f, v);
    },
  },
  "date-format": {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.dateFormat = dateFormat(f, v);
    },
  },
  latency: {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.latencyMs = wrap(f, () => parseDuration(v));
    },
  },
  "session-ttl": {
    type: "string",
    apply: (o, v, f) => {
      o.sandbox.sessionTtlMs = wrap(f, () => parseDuration(v));
      if (o.sandbox.sessionTtlMs <= 0) throw new CliArgumentError(`${f} must be longer than 0`);
    },
  },
  live: {
    type: "boolean",
    apply: (o) => {
      o.sandbox.live = true;
    },
  },
  fault: {
    type: "string",
    apply: (o, v, f) => {
      o.faults.push(wrap(f, () => parseFaultSpec(v)));
    },
  },
  help: {
    type: "boolean",
    short: "h",
    apply: (o) => {
      o.help = true;
    },
  },
};

/** One option read from the command line, with its value (`""` for a switch). */
interface ReadOption {
  spec: OptionSpec;
  flag: string;
  value: string;
}

/**
 * The options of `argv` in order, read by `node:util` parseArgs (`--flag value` and
 * `--flag=value`; `--` ends the options). Not strict: a value may start with one dash
 * (`--seed -5`), and each mistake gets its own message naming the argument.
 */
function readOptions(argv: readonly string[]): ReadOption[] {
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(OPTIONS).map(([name, { type, short }]) => [
        name,
        short === undefined ? { type } : { type, short },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const read: ReadOption[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      throw new CliArgumentError(
        `unexpected argument ${quote(token.value)}: the sandbox takes options only; run with --help to see them`,
      );
    }
    const spec = Object.hasOwn(OPTIONS, token.name) ? OPTIONS[token.name] : undefined;
    if (spec === undefined) {
      throw new CliArgumentError(
        `unknown option ${quote(token.rawName)}; run with --help to see the options`,
      );
    }
    const flag = `--${token.name}`;
    if (spec.type === "boolean" && token.value !== undefined)
      throw new CliArgumentError(`${flag} takes no value`);
    if (
      spec.type === "string" &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith("--")))
    )
      throw new CliArgumentError(`${flag} needs a value`);
    read.push({ spec, flag, value: token.value ?? "" });
  }
  return read;
}

/** Parses the command line; throws {@link CliArgumentError} naming the flag at fault. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    help: false,
    sandbox: { port: 8787, sessions: 5000, seed: 42 },
    faults: [],
  };
  for (const { spec, flag, value } of readOptions(argv)) spec.apply(options, value, flag);
  return options;
}
