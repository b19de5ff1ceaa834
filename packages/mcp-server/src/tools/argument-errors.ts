import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { z } from "zod";
import type { EvoSessionsContext } from "../context.js";
import { clip } from "../format/budget.js";
import { backendNotice } from "./results.js";

type Issue = z.core.$ZodIssue;

function valueAt(args: unknown, path: readonly PropertyKey[]): unknown {
  let value = args;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return clip(text, 60);
}

/**
 * Schema failures as one line per argument, the argument first:
 * `Invalid argument "limit": must be at least 1 (got 0).` — the SDK's own wording puts the
 * reason first and the argument last (`… must be at least 1 at limit`) behind a protocol prefix.
 */
export function describeArgumentIssues(
  tool: string,
  issues: readonly Issue[],
  args: unknown,
  argumentNames: readonly string[],
): string {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        lines.push(
          `Invalid argument ${JSON.stringify(key)}: ${tool} has no such argument. Its arguments are ${argumentNames.join(", ")}.`,
        );
      }
      continue;
    }
    const [name, ...rest] = issue.path;
    if (name === undefined) {
      lines.push(
        `Invalid arguments: ${issue.message}; pass an object of named arguments (${argumentNames.join(", ")}).`,
      );
      continue;
    }
    const item = rest.length > 0 && typeof rest[0] === "number" ? ` (item ${rest[0] + 1})` : "";
    const value = valueAt(args, issue.path);
    lines.push(
      value === undefined && rest.length === 0
        ? `Invalid argument ${JSON.stringify(String(name))}: it is required — ${issue.message}.`
        : `Invalid argument ${JSON.stringify(String(name))}${item}: ${issue.message} (got ${shown(value)}).`,
    );
  }
  lines.push("Fix the argument and call again.");
  return [...new Set(lines)].join("\n");
}

interface RegisteredToolLike {
  inputSchema?: z.ZodType;
}

type Validate = (tool: RegisteredToolLike, args: unknown, toolName: string) => Promise<unknown>;

/**
 * Words invalid tool arguments with {@link describeArgumentIssues} before the SDK validates them
 * itself. The tools keep their precise input schemas (what models read); only the wording of a
 * failure changes.
 *
 * Why a wrapper of McpServer's private `validateToolInput` (SDK 1.32.2): the SDK offers no
 * supported hook. The same registered schema is both listed and parsed, and a failure is always
 * worded `Input validation error: Invalid arguments for tool X: <reason> at <path>`. The
 * alternatives are worse: zod's own `error` messages cannot move the argument name to the front
 * or drop that prefix; a lenient schema (`.catch()`, `z.any()`) validated in the handler is listed
 * as an empty `{}` schema, hiding every argument from the model; replacing the `tools/call`
 * handler (`server.server.setRequestHandler`) would re-implement the SDK's dispatch (tasks,
 * output validation). If a later SDK drops the method, nothing breaks — its own (less readable)
 * messages come back — and test/list-sessions.test.ts notices.
 */
export function installArgumentErrors(server: McpServer, ctx: EvoSessionsContext): boolean {
  const target = server as unknown as { validateToolInput?: Validate };
  const original = target.validateToolInput;
  if (typeof original !== "function") return false;
  target.validateToolInput = async (tool, args, toolName) => {
    const schema = tool.inputSchema;
    if (schema !== undefined && typeof schema.safeParseAsync === "function") {
      const parsed = await schema.safeParseAsync(args ?? {});
      if (!parsed.success) {
        const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
        throw new Error(
          [
            ...backendNotice(ctx),
            describeArgumentIssues(toolName, parsed.error.issues, args ?? {}, Object.keys(shape)),
          ].join("\n"),
        );
      }
    }
    // The SDK's own checks (argument count limits) still run; its parse then succeeds.
    return original.call(server, tool, args, toolName);
  };
  return true;
}
