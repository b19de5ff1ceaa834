import type { McpServer, RegisteredTool, ToolAnnotations } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { guardTool, type ToolRun } from "../call-guard.js";
import type { EvoSessionsContext } from "../context.js";
import { argumentSchema, listedSchema } from "./argument-errors.js";
import { READ_ONLY_ANNOTATIONS } from "./common-schemas.js";
import { withNameChoices } from "./name-choice.js";

/**
 * The icon of every tool, resource and prompt: one tiny inline SVG (a speech bubble, 120 bytes),
 * shared, so that no client has to fetch anything to show it and tools/list stays small.
 */
export const EVO_ICONS = [
  {
    src: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'><path d='M1 1h6v4H3L1 7' fill='red'/></svg>",
  },
];

/** What a tool declares: its title and description, and zod schemas of its arguments and answer. */
export interface EvoToolConfig<S extends z.ZodObject, O extends z.ZodType> {
  title: string;
  description: string;
  inputSchema: S;
  outputSchema: O;
  /** Beyond the read-only annotations every tool carries. */
  annotations?: ToolAnnotations;
}

/**
 * Registers one tool of this server. Every tool — the four here and any added later — goes
 * through this helper, so that each gets the same treatment:
 *
 * ```ts
 * registerEvoTool(server, ctx, "missed_callbacks", { title, description, inputSchema, outputSchema },
 *   (args, extra) => runTool(ctx, () => missedCallbacks(ctx, args, extra)));
 * ```
 *
 * - the read-only annotations, the title and the icon;
 * - arguments checked for size, depth and `__proto__` first, then by `inputSchema`, failures worded
 *   argument first (argument-errors.ts), while `tools/list` shows `inputSchema` slimmed (no bounds;
 *   shared filters untyped);
 * - the tool-call deadline, one stderr line per call and the log notification (call-guard.ts);
 * - an ambiguous customer/endpoint name asked about where the client supports elicitation
 *   (name-choice.ts), else the isError listing the candidates;
 * - its place in `tools/list`: the order of registration (server.ts), the same on every list.
 */
export function registerEvoTool<S extends z.ZodObject, O extends z.ZodType>(
  server: McpServer,
  ctx: EvoSessionsContext,
  name: string,
  config: EvoToolConfig<S, O>,
  run: ToolRun<z.output<S>>,
): RegisteredTool {
  return server.registerTool(
    name,
    {
      title: config.title,
      description: config.description,
      inputSchema: argumentSchema(name, config.inputSchema),
      outputSchema: listedSchema(config.outputSchema),
      annotations: { ...READ_ONLY_ANNOTATIONS, ...config.annotations },
      icons: EVO_ICONS,
    },
    guardTool(
      server,
      ctx,
      name,
      Object.keys(config.inputSchema.shape),
      withNameChoices(server, run),
    ),
  );
}
