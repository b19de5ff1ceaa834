/**
 * Command-line parsing over `node:util` parseArgs: each command declares its options once, for
 * parsing and for `--help`; a bad argument becomes one line naming it.
 */
import { parseArgs } from "node:util";
import { CliError, usageError } from "./errors.js";

/** One option of a command. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder in the help, e.g. `DAY`. */
  value?: string;
  description: string;
}

/** The options of a command, by long name. */
export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed values: strings, booleans or lists of strings. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A command line split into options and positional arguments. */
export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/** Parses `argv` against `specs`; throws a one-line {@link CliError} `usage` naming the argument. */
export function parseCommandLine(command: string, argv: string[], specs: OptionSpecs): ParsedArgs {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues, positionals: parsed.positionals };
  } catch (error) {
    throw parseFailure(command, error);
  }
}

function parseFailure(command: string, error: unknown): CliError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const named =
    /(--[\w-]+)/.exec(message)?.[1] ?? /'(-{1,2}[^'\s,]+)/.exec(message)?.[1] ?? "argument";
  const help = `see evo-sessions ${command} --help`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
    return usageError(named, `unknown option (${help})`);
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const needs = /argument missing/.test(message) ? "needs a value" : "takes no value";
    return usageError(named, `${needs} (${help})`);
  }
  return new CliError("usage", `${message.split("\n")[0]} (${help})`);
}

/** The value of a string option (the last one when repeated). */
export function stringOf(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === "string" ? value : undefined;
}

/** Every value of a repeatable option, commas splitting too (`--account a,b --account c`). */
export function listOf(values: OptionValues, name: string): string[] | undefined {
  const value = values[name];
  const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const out = items
    .flatMap((item) => item.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return out.length === 0 ? undefined : out;
}

/** A whole number option within bounds; `fallback` when absent. */
export function intOf(
  values: OptionValues,
  name: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  const text = stringOf(values, name);
  if (text === undefined) return bounds.fallback;
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    throw usageError(
      `--${name}`,
      `must be a whole number from ${bounds.min} to ${bounds.max} (got ${JSON.stringify(text)})`,
    );
  }
  return n;
}

/** One of `choices` (any case), or undefined when absent. */
export function choiceOf<T extends string>(
  values: OptionValues,
  name: string,
  choices: readonly T[],
): T | undefined {
  const text = stringOf(values, name);
  if (text === undefined) return undefined;
  const found = choices.find((c) => c.toLowerCase() === text.trim().toLowerCase());
  if (found === undefined) {
    throw usageError(
      `--${name}`,
      `must be one of ${choices.join(", ")} (got ${JSON.stringify(text)})`,
    );
  }
  return found;
}

/** Help lines for options: `  --name VALUE   description`. */
export function optionHelp(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short === undefined ? "    " : `-${spec.short}, `}--${name}${spec.value === undefined ? "" : ` ${spec.value}`}`;
    return [flag, spec.description + (spec.multiple === true ? " (repeatable)" : "")] as const;
  });
  const width = Math.min(30, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  return rows
    .map(([flag, text]) =>
      flag.length + 2 > width
        ? `  ${flag}\n  ${"".padEnd(width)}${text}`
        : `  ${flag.padEnd(width)}${text}`,
    )
    .join("\n");
}
