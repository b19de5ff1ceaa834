import type { z } from "zod";
import { EvoVoiceError } from "../errors/evo-voice-error.js";
import { AccountInfoSchema, StrictAccountInfoSchema, type AccountInfo } from "./account.js";
import {
  SessionListResponseSchema,
  StrictSessionListResponseSchema,
  type ListResponse,
} from "./list.js";
import { SessionInfoSchema, StrictSessionInfoSchema, type SessionInfo } from "./session.js";

/** What kind of drift from the seed a warning reports. */
export type DecodeWarningCode = "unknown_enum_value" | "unknown_property" | "invalid_value";

/** Something in a response the seed does not describe; the value was still decoded. */
export interface DecodeWarning {
  code: DecodeWarningCode;
  /** Where, e.g. `items[3].callState`. */
  path: string;
  message: string;
}

/** A decoded value and what did not match the seed while decoding it. */
export interface Decoded<T> {
  value: T;
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

function decodeWith<T>(
  what: string,
  strict: z.ZodType,
  tolerant: z.ZodType<T>,
  input: unknown,
): Decoded<T> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new EvoVoiceError(
      "undecodable_response",
      `Expected ${what} as a JSON object but got ${Array.isArray(input) ? "an array" : input === null ? "null" : typeof input}. Check that the base URL points at an Evo Voice server.`,
    );
  }
  // Fast path: conforming input (the usual case) is parsed once.
  const exact = strict.safeParse(input);
  if (exact.success) {
    // The strict and tolerant schemas accept conforming input identically.
    return { value: exact.data as T, warnings: [] };
  }
  return { value: tolerant.parse(input), warnings: toWarnings(exact.error.issues, input) };
}

/** Decodes a `GET /sessions` body; drift from the seed becomes warnings, never an error. */
export function decodeSessionList(input: unknown): Decoded<ListResponse<SessionInfo>> {
  return decodeWith(
    "a list of sessions",
    StrictSessionListResponseSchema,
    SessionListResponseSchema,
    input,
  );
}

/** Decodes one SessionInfo (e.g. from `GET /sessions/{id}`). */
export function decodeSession(input: unknown): Decoded<SessionInfo> {
  return decodeWith("a session", StrictSessionInfoSchema, SessionInfoSchema, input);
}

/** Decodes one AccountInfo. */
export function decodeAccount(input: unknown): Decoded<AccountInfo> {
  return decodeWith("an account", StrictAccountInfoSchema, AccountInfoSchema, input);
}
