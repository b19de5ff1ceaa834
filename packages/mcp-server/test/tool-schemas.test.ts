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

  it("every tool is titled and annotated read-only, idempotent and open-world", async () => {
    const { tools } = await f.mcp.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.annotations, tool.name).toMatchObject({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      });
    }
  });

  it("every argument has a description for the model", async () => {
    const { tools } = await f.mcp.listTools();
    for (const tool of tools) {
      const properties = (tool.inputSchema.properties ?? {}) as Record<
        string,
        { description?: string }
      >;
      for (const [name, schema] of Object.entries(properties)) {
        expect(schema.description, `${tool.name}.${name}`).toBeTruthy();
      }
    }
  });

  it("the tool list fits in a modest context budget", async () => {
    const { tools } = await f.mcp.listTools();
    // Tool definitions are sent with every request a client makes: keep them lean.
    expect(JSON.stringify(tools).length / 4).toBeLessThan(9000);
  });
});
