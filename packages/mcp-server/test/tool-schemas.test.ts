import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ sandbox: { sessions: 50 } });
});
afterAll(() => f.close());

describe("the tools as clients see them", () => {
  it("every tool's schema (snapshot: a change here is a change to what models see)", async () => {
    const { tools } = await f.mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "get_session",
      "list_accounts",
      "list_sessions",
      "live_now",
      "missed_callbacks",
      "session_stats",
    ]);
    expect(tools).toMatchSnapshot();
  });

  it("every tool is titled, has an icon and is annotated read-only and open-world", async () => {
    const { tools } = await f.mcp.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.outputSchema, tool.name).toBeDefined();
      // destructiveHint/idempotentHint mean something only when readOnlyHint is false.
      expect(tool.annotations, tool.name).toEqual({ readOnlyHint: true, openWorldHint: true });
      expect(tool.icons?.[0]?.src.length, tool.name).toBeLessThanOrEqual(120);
    }
  });

  it("every argument that needs words has them, shared filters once (in list_sessions)", async () => {
    const { tools } = await f.mcp.listTools();
    const described = (name: string) =>
      (tools.find((t) => t.name === name)!.inputSchema.properties ?? {}) as Record<
        string,
        { description?: string; enum?: unknown[] }
      >;
    const shared = described("list_sessions");
    // Self-explanatory by name and type (or enum), or a filter described in list_sessions.
    const plain = new Set([
      "to",
      "specificIds",
      "customerIds",
      "endpointIds",
      "direction",
      "channel",
      "sortOrder",
    ]);
    for (const tool of tools) {
      for (const [name, schema] of Object.entries(described(tool.name))) {
        const words =
          schema.description ??
          (tool.name === "list_sessions" ? undefined : shared[name]?.description);
        if (!plain.has(name)) expect(words, `${tool.name}.${name}`).toBeTruthy();
      }
    }
  });

  it("the tool list fits in a modest context budget", async () => {
    const { tools } = await f.mcp.listTools();
    // Tool definitions are sent with every request a client makes: keep them lean (issue 16:
    // at most 8 KB in all), counted in bytes as sent.
    expect(Buffer.byteLength(JSON.stringify({ tools }))).toBeLessThanOrEqual(8_192);
  });
});
