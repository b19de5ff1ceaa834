import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { clip } from "../format/budget.js";

type Issue = z.core.$ZodIssue;

/**
 * Bounds on what a tool call's arguments may be, checked before the schema parses them: the
 * tools' arguments are a handful of names at most three levels deep, so anything far beyond is
 * refused without the work (and the reply) growing with the request.
 */
export const ARGUMENT_LIMITS = {
  /** Keys and values in all, nested ones included. */
  maxElements: 2000,
  /** Levels of nesting below the arguments object. */
  maxDepth: 16,
  /** Issues listed in one answer; the rest are counted. */
  maxIssues: 5,
  /** Characters of an argument name or value quoted back. */
  maxQuoted: 40,
} as const;

function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let value = args;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A name quoted back exactly (JSON escapes keep it on one line), only shortened: `"averyveryl…"`.
 * Not through clip(), which folds white space: the name " " must not come back as "".
 */
function quoted(name: string): string {
  const max = ARGUMENT_LIMITS.maxQuoted;
  return JSON.stringify(name.length <= max ? name : `${name.slice(0, max - 1)}…`);
}

/** A value quoted back, shortened; never throws (a value may be too deep to stringify). */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? "[…]" : "{…}";
  }
  return clip(text, 60);
}

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** What is wrong with the shape of the arguments before any schema looks at them. */
export function checkArgumentShape(
  tool: string,
  args: unknown,
  argumentNames: readonly string[],
): string | undefined {
  if (args === null || typeof args !== "object") return undefined;
  const names = argumentNames.join(", ");
  // Iterative, so no depth of nesting can overflow the stack; stops at the first limit passed.
  const stack: [value: object, depth: number, path: string][] = [[args, 0, ""]];
  let elements = 0;
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop() as [object, number, string];
    if (depth > ARGUMENT_LIMITS.maxDepth) {
      return `Invalid arguments: nested too deep (more than ${ARGUMENT_LIMITS.maxDepth} levels); ${tool}'s arguments are at most a few levels deep. Pass an object of named arguments (${names}).`;
    }
    if (Object.prototype.hasOwnProperty.call(value, "__proto__")) {
      return protoKeyMessage(tool, path, argumentNames);
    }
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (++elements > ARGUMENT_LIMITS.maxElements) return tooMany(tool, args, argumentNames);
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object") {
        stack.push([child, depth + 1, path === "" ? key : path]);
      }
    }
  }
  return undefined;
}

/** The answer to an own `__proto__` key (at `path`, "" for the top level). */
export function protoKeyMessage(
  tool: string,
  path: string,
  argumentNames: readonly string[],
): string {
  const known = `Its arguments are ${argumentNames.join(", ")}. Fix the argument and call again.`;
  // The argument named first is always one the caller sent: the top-level key that holds it.
  return path === ""
    ? `Invalid argument "__proto__": ${tool} has no such argument. ${known}`
    : `Invalid argument ${quoted(path)}: it holds a "__proto__" key, which nothing here takes. ${known}`;
}

/**
 * Where a raw tool call's arguments hold an own `__proto__` key ("" at the top level), looked
 * for in at most {@link ARGUMENT_LIMITS.maxElements} entries; undefined when there is none.
 */
export function findProtoKey(args: unknown): string | undefined {
  if (args === null || typeof args !== "object") return undefined;
  const stack: [object, string, number][] = [[args, "", 0]];
  let seen = 0;
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop() as [object, string, number];
    if (Object.prototype.hasOwnProperty.call(value, "__proto__")) return path;
    if (depth >= ARGUMENT_LIMITS.maxDepth) continue;
    for (const key in value) {
      if (++seen > ARGUMENT_LIMITS.maxElements) return undefined;
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === "object") {
        stack.push([child, path === "" ? key : path, depth + 1]);
      }
    }
  }
  return undefined;
}

function tooMany(tool: string, args: object, argumentNames: readonly string[]): string {
  let keys = 0;
  const unknown: string[] = [];
  for (const key in args) {
    if (!Object.prototype.hasOwnProperty.call(args, key)) continue;
    keys++;
    if (unknown.length < 3 && !argumentNames.includes(key)) unknown.push(quoted(key));
  }
  const examples = unknown.length === 0 ? "" : `, among them ${unknown.join(", ")}`;
  return `Invalid arguments: far too many (${count(keys, "top-level key", "top-level keys")}${examples}, more than ${ARGUMENT_LIMITS.maxElements} values in all). ${tool} takes at most ${argumentNames.length} named arguments: ${argumentNames.join(", ")}. Pass only those and call again.`;
}

/**
 * Schema failures, the argument first: `Invalid argument "limit": must be at least 1 (got 0).`
 * (the SDK's own wording puts the reason first and the argument last behind a protocol prefix).
 * Bounded whatever the request: unknown names are listed together, at most a handful, each
 * shortened; other issues at most {@link ARGUMENT_LIMITS.maxIssues}, then counted; the argument
 * list is given once.
 */
export function describeArgumentIssues(
  tool: string,
  issues: readonly Issue[],
  args: unknown,
  argumentNames: readonly string[],
): string {
  const { maxIssues } = ARGUMENT_LIMITS;
  const unknown = new Set<string>();
  const lines: string[] = [];
  let more = 0;
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) unknown.add(key);
      continue;
    }
    const line = issueLine(issue, args, argumentNames);
    if (lines.includes(line)) continue;
    if (lines.length < maxIssues) lines.push(line);
    else more++;
  }
  if (unknown.size > 0) {
    // One line each, argument first (what models read), a handful at most; the list of the
    // arguments there are once, on the first.
    const known =
      argumentNames.length === 0
        ? ` ${tool} takes no arguments.`
        : ` Its arguments are ${argumentNames.join(", ")}.`;
    const listed = [...unknown]
      .slice(0, maxIssues)
      .map(
        (key, i) =>
          `Invalid argument ${quoted(key)}: ${tool} has no such argument.${i === 0 ? known : ""}`,
      );
    const rest = unknown.size - listed.length;
    if (rest > 0)
      listed.push(`…and ${count(rest, "more unknown argument", "more unknown arguments")}.`);
    lines.unshift(...listed);
  }
  if (more > 0) lines.push(`…and ${count(more, "more problem", "more problems")}.`);
  lines.push("Fix the argument and call again.");
  return lines.join("\n");
}

function issueLine(issue: Issue, args: unknown, argumentNames: readonly string[]): string {
  const [name, ...rest] = issue.path;
  const message = clip(issue.message, 200);
  if (name === undefined) {
    return `Invalid arguments: ${message}; pass an object of named arguments (${argumentNames.join(", ")}).`;
  }
  const item = rest.length > 0 && typeof rest[0] === "number" ? ` (item ${rest[0] + 1})` : "";
  const value = valueAt(args, issue.path);
  return value === undefined && rest.length === 0
    ? `Invalid argument ${quoted(String(name))}: it is required — ${message}.`
    : `Invalid argument ${quoted(String(name))}${item}: ${message} (got ${shown(value)}).`;
}

/** Arguments that failed the checks: the tool answers with this message as an `isError`. */
export class ArgumentProblem {
  constructor(readonly message: string) {}
}

/**
 * Keywords left out of the listed JSON Schema of arguments (tools/list is sent before every
 * conversation): `$schema`, repeated per tool; the length, count and pattern bounds, which the
 * server checks itself and words argument first when one is passed (descriptions give the form);
 * and empty descriptions (arguments whose name and type say it all).
 */
const DROPPED_INPUT = new Set(["$schema", "minLength", "maxLength", "maxItems", "pattern"]);

/**
 * Marks an argument listed without its type (`{}`, or only its description): a filter another
 * tool describes in full (`.meta({ [LISTED_UNTYPED]: true })`). The server checks it just the same.
 */
export const LISTED_UNTYPED = "x-evo-untyped";

function slim(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => slim(item, depth));
  if (value === null || typeof value !== "object") return value;
  if (LISTED_UNTYPED in value) {
    const { description } = value as { description?: unknown };
    return typeof description === "string" && description !== "" ? { description } : {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (DROPPED_INPUT.has(key) || (key === "description" && item === "")) continue;
    // Unknown arguments are refused by the server itself, naming them (describeArgumentIssues).
    if (key === "additionalProperties" && item === false) continue;
    if (key === "maximum" && item === Number.MAX_SAFE_INTEGER) continue;
    // `properties` holds names, not keywords: only their schemas are slimmed.
    out[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(item as Record<string, unknown>).map(([name, schema]) => [
              name,
              slim(schema, depth + 1),
            ]),
          )
        : slim(item, depth + 1);
  }
  return out;
}

/**
 * An answer's JSON Schema as listed: the records (objects, lists) whose short keys need words,
 * each with its type and a description of its keys (session-summary.ts): listing each nested
 * key's schema would make the answers' schemas most of tools/list. Numbers, flags, enums (they
 * echo an argument, or are said in the text) and self-explanatory records are left out (the
 * answer names them, the README documents them). Clients validate the answer against this; it
 * stays true (additional keys are allowed), only less detailed.
 */
function outline(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const keys = Object.entries(properties).flatMap(([name, child]) => {
    const options = (child.anyOf as Record<string, unknown>[] | undefined) ?? [child];
    const types = [...new Set(options.map((option) => option.type).filter(Boolean))];
    if (!types.includes("object") && !types.includes("array")) return [];
    if (typeof child.description !== "string") return [];
    const type = types.length === 1 ? types[0] : types;
    return [[name, { type, description: child.description }]];
  });
  return { type: "object", properties: Object.fromEntries(keys) };
}

/** The JSON Schema a zod schema lists, slimmed by `shape` ({@link slim} or {@link outline}). */
function listedJsonSchema(
  convert: StandardSchemaWithJSON["~standard"]["jsonSchema"],
  shape: (schema: Record<string, unknown>) => unknown,
): StandardSchemaWithJSON["~standard"]["jsonSchema"] {
  return {
    input: (options) => shape(convert.input(options)) as Record<string, unknown>,
    output: (options) => shape(convert.output(options)) as Record<string, unknown>,
  };
}

/**
 * A tool's input schema as the SDK takes it (a Standard Schema): listed exactly as `schema` (what
 * models read), validated by {@link checkArgumentShape} and then `schema` itself, with failures
 * worded by {@link describeArgumentIssues}.
 *
 * Why a Standard Schema of our own: v2 validates through `~standard.validate` and lists through
 * `~standard.jsonSchema`, two separate functions of a public contract. Its own failure is a
 * protocol-prefixed `Input validation error: … <path>: <reason>` joined on commas; so instead
 * of failing, validate hands the tool an {@link ArgumentProblem}, and registerEvoTool answers it
 * as the `isError` (`Invalid argument "limit": must be at least 1 (got 0).`). Size, depth and
 * `__proto__` are checked first, before zod walks (and words) every key of the request.
 */
export function argumentSchema<S extends z.ZodObject>(
  tool: string,
  schema: S,
): StandardSchemaWithJSON<unknown, z.output<S> | ArgumentProblem> {
  const names = Object.keys(schema.shape);
  const zod = schema["~standard"];
  return {
    "~standard": {
      version: 1,
      vendor: "evo-sessions",
      jsonSchema: listedJsonSchema(zod.jsonSchema, slim),
      validate: async (args: unknown) => {
        const shapeProblem = checkArgumentShape(tool, args, names);
        if (shapeProblem !== undefined) return { value: new ArgumentProblem(shapeProblem) };
        const parsed = await schema.safeParseAsync(args ?? {});
        if (parsed.success) return { value: parsed.data };
        return {
          value: new ArgumentProblem(
            describeArgumentIssues(tool, parsed.error.issues, args ?? {}, names),
          ),
        };
      },
    },
  };
}

/** An output schema as listed: the zod schema, without the `$schema` line. */
export function listedSchema<S extends z.ZodType>(
  schema: S,
): StandardSchemaWithJSON<z.input<S>, z.output<S>> {
  const zod = schema["~standard"];
  return {
    "~standard": { ...zod, jsonSchema: listedJsonSchema(zod.jsonSchema, outline) },
  };
}
