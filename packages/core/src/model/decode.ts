import type { z } from "zod";
import { UndecodableResponseError } from "../errors/response-errors.js";
import { AccountInfoSchema, StrictAccountInfoSchema, type AccountInfo } from "./account.js";
import {
  SessionListResponseSchema,
  StrictSessionListResponseSchema,
  type ListResponse,
} from "./list.js";
import { SessionInfoSchema, StrictSessionInfoSchema, type SessionInfo } from "./session.js";

/** What kind of drift from the seed a warning reports. */
export type DecodeWarningCode =
  "unknown_enum_value" | "unknown_property" | "invalid_value" | "property_letter_case";

/** Something in a response the seed does not describe; the value was still decoded. */
export interface DecodeWarning {
  /** What kind of drift. */
  code: DecodeWarningCode;
  /** Where, e.g. `items[3].callState`. */
  path: string;
  /** What differed and what was done about it. */
  message: string;
}

/** A decoded value and what did not match the seed while decoding it. */
export interface Decoded<T> {
  /** The decoded value: documented fields only, each missing, null or of its documented type. */
  value: T;
  /** What did not match the seed (empty for a conforming answer). */
  warnings: DecodeWarning[];
}

// Pages with drift can repeat the same warning thousands of times; past this the rest is counted.
const MAX_WARNINGS = 200;

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

function toWarnings(issues: readonly z.core.$ZodIssue[], input: unknown): DecodeWarning[] {
  const warnings: DecodeWarning[] = [];
  for (const issue of issues) {
    if (warnings.length >= MAX_WARNINGS) {
      warnings.push({
        code: "invalid_value",
        path: "(root)",
        message: `${issues.length - MAX_WARNINGS} more differences from the documented schema were not listed`,
      });
      break;
    }
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        warnings.push({
          code: "unknown_property",
          path: formatPath([...issue.path, key]),
          message: `Property "${key}" is not in the documented schema; it was ignored`,
        });
      }
      continue;
    }
    const received = valueAt(input, issue.path);
    // An enum value the seed does not list fails the strict enum but is a string: keep it, warn.
    if (issue.code === "invalid_value" && typeof received === "string") {
      warnings.push({
        code: "unknown_enum_value",
        path: formatPath(issue.path),
        message: `Value "${received}" is not one the documentation lists (${issue.values.join(", ")}); it was kept as is`,
      });
      continue;
    }
    warnings.push({
      code: "invalid_value",
      path: formatPath(issue.path),
      message: `${issue.message}; the value was treated as missing`,
    });
  }
  return warnings;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Property names per object of a schema, for matching keys in any letter case: ServiceStack
 * writes camelCase by default, but a host can be configured for PascalCase (or any case).
 * Free-form maps (a member's `applicationData`) have no entry, so their keys stay as sent.
 */
interface KeyTree {
  /** Lower-case name → the schema's name. */
  names: Map<string, string>;
  /** The tree of each property that holds an object, or an array of objects. */
  children: Map<string, KeyTree>;
}

const keyTrees = new WeakMap<z.ZodType, KeyTree | null>();

function keyTreeOf(schema: z.ZodType): KeyTree | undefined {
  const cached = keyTrees.get(schema);
  if (cached !== undefined) return cached ?? undefined;
  const def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  let tree: KeyTree | undefined;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "catch":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      tree = def.innerType === undefined ? undefined : keyTreeOf(def.innerType);
      break;
    case "pipe":
      tree = def.in === undefined ? undefined : keyTreeOf(def.in);
      break;
    case "array":
      tree = def.element === undefined ? undefined : keyTreeOf(def.element);
      break;
    case "object": {
      const names = new Map<string, string>();
      const children = new Map<string, KeyTree>();
      keyTrees.set(schema, { names, children });
      for (const [name, field] of Object.entries(def.shape ?? {})) {
        names.set(name.toLowerCase(), name);
        const child = keyTreeOf(field);
        if (child !== undefined) children.set(name, child);
      }
      return { names, children };
    }
    default:
      tree = undefined;
  }
  keyTrees.set(schema, tree ?? null);
  return tree;
}

/** The parts of zod's internal definition the key tree needs. */
interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

/** Keys renamed while normalising letter case: how many, and the first few as examples. */
interface Renamed {
  count: number;
  examples: string[];
}

/**
 * A copy of `input` with keys renamed to the schema's names where they differ only in letter
 * case, recursively through known objects and arrays. A key whose exact name is also present is
 * left alone (the exact one wins; the other is then reported as an unknown property).
 */
function normaliseKeys(input: unknown, tree: KeyTree, renamed: Renamed): unknown {
  if (Array.isArray(input)) return input.map((item) => normaliseKeys(item, tree, renamed));
  if (input === null || typeof input !== "object") return input;
  const record = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const canonical = tree.names.get(key.toLowerCase());
    let name = key;
    if (canonical !== undefined && canonical !== key && !Object.hasOwn(record, canonical)) {
      name = canonical;
      renamed.count++;
      if (renamed.examples.length < 3) renamed.examples.push(key);
    }
    const child = tree.children.get(name);
    out[name] = child === undefined ? record[key] : normaliseKeys(record[key], child, renamed);
  }
  return out;
}

/** Decodes a body with a strict and a tolerant schema (see the module); for other DTOs' decoders. */
export function decodeWith<T>(
  what: string,
  strict: z.ZodType,
  tolerant: z.ZodType<T>,
  input: unknown,
  requireOneOf?: readonly string[],
): Decoded<T> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    const got = Array.isArray(input)
      ? "a JSON array"
      : input === null
        ? "JSON null"
        : `a JSON ${typeof input}`;
    throw new UndecodableResponseError(
      `Expected ${what} as a JSON object but got ${got}. Check that the base URL points at an Evo Voice server.`,
      { received: got },
    );
  }
  if (requireOneOf !== undefined) {
    const present = new Set(Object.keys(input).map((key) => key.toLowerCase()));
    if (!requireOneOf.some((name) => present.has(name.toLowerCase()))) {
      throw new UndecodableResponseError(
        `Expected ${what} but got a JSON object with none of ${requireOneOf.join(", ")} (in any letter case). ` +
          "Check that the base URL points at the Evo Voice API.",
        { received: `a JSON object with none of ${requireOneOf.join(", ")}` },
      );
    }
  }
  // Fast path: conforming input (the usual case) is parsed once.
  const exact = strict.safeParse(input);
  if (exact.success) {
    // The strict and tolerant schemas accept conforming input identically.
    return { value: exact.data as T, warnings: [] };
  }
  const renamed: Renamed = { count: 0, examples: [] };
  const tree = keyTreeOf(tolerant);
  const body = tree === undefined ? input : normaliseKeys(input, tree, renamed);
  const checked = renamed.count === 0 ? exact : strict.safeParse(body);
  const warnings = checked.success ? [] : toWarnings(checked.error.issues, body);
  if (renamed.count > 0) {
    // One warning for the whole body, not one per key: the server's setting, not per-field drift.
    warnings.unshift({
      code: "property_letter_case",
      path: "(root)",
      message:
        `The server wrote ${renamed.count} property name${renamed.count === 1 ? "" : "s"} in a letter case other than the documented camelCase ` +
        `(e.g. ${renamed.examples.map((key) => `"${key}"`).join(", ")}); they were matched regardless of case`,
    });
  }
  return { value: tolerant.parse(body), warnings };
}

// A list body carries at least one of these; an object with none is some other answer.
const LIST_KEYS = ["items", "totalCount", "totalPages", "hasMorePages"] as const;

/**
 * Decodes a `GET /sessions` body; drift from the seed becomes warnings, never an error. Property
 * names match in any letter case. Throws {@link UndecodableResponseError} for a body that is not
 * an object, or an object with none of `items`, `totalCount`, `totalPages`, `hasMorePages`.
 */
export function decodeSessionList(input: unknown): Decoded<ListResponse<SessionInfo>> {
  return decodeWith(
    "a list of sessions",
    StrictSessionListResponseSchema,
    SessionListResponseSchema,
    input,
    LIST_KEYS,
  );
}

/** Decodes one SessionInfo (e.g. from `GET /sessions/{id}`); names match in any letter case. */
export function decodeSession(input: unknown): Decoded<SessionInfo> {
  return decodeWith("a session", StrictSessionInfoSchema, SessionInfoSchema, input);
}

/** Decodes one AccountInfo; names match in any letter case. */
export function decodeAccount(input: unknown): Decoded<AccountInfo> {
  return decodeWith("an account", StrictAccountInfoSchema, AccountInfoSchema, input);
}

/** The keys a ServiceStack list body carries at least one of (for {@link decodeWith}). */
export const LIST_BODY_KEYS: readonly string[] = LIST_KEYS;
