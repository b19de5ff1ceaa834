import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createEvoSessionsMcpServer } from "../src/server.js";
import { startHttpServer, type RunningHttpServer } from "../src/transports/http.js";
import { startFixture, type Fixture } from "./fixture.js";

// Issue 16: an ambiguous customer name is asked about where the client supports elicitation
// (both revisions: input_required rounds on 2026-07-28, elicitation/create on 2025-11-25), and is
// the isError listing the candidates where it does not, or when the user declines.

interface CallResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

interface Asked {
  message: string;
  requestedSchema: {
    properties: { choice: { oneOf: { const: string; title: string }[] } };
    required?: string[];
  };
}

let f: Fixture;
let http: RunningHttpServer;

beforeAll(async () => {
  f = await startFixture();
  http = await startHttpServer({
    createServer: () => createEvoSessionsMcpServer({ context: f.ctx }),
  });
});
afterAll(async () => {
  await http.close();
  await f.close();
});

type Answer = (asked: Asked) => { action: "accept" | "decline" | "cancel"; choice?: string };

async function connect(
  revision: string,
  answer?: Answer,
): Promise<{ client: Client; asked: Asked[] }> {
  const asked: Asked[] = [];
  const client = new Client(
    { name: "elicit-test", version: "1" },
    {
      ...(answer === undefined ? {} : { capabilities: { elicitation: { form: {} } } }),
      ...(revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {}),
    },
  );
  if (answer !== undefined) {
    client.setRequestHandler("elicitation/create", async (request) => {
      const params = request.params as unknown as Asked;
      asked.push(params);
      const { action, choice } = answer(params);
      return action === "accept" ? { action, content: { choice: choice! } } : { action };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
  expect(client.getNegotiatedProtocolVersion()).toBe(revision);
  return { client, asked };
}

const text = (r: CallResult) => r.content.map((c) => c.text ?? "").join("\n");

describe.each(["2025-11-25", "2026-07-28"])("an ambiguous name on %s", (revision) => {
  it("a client with elicitation is asked to pick, and the call goes on with the choice", async () => {
    const { client, asked } = await connect(revision, (q) => ({
      action: "accept",
      choice: q.requestedSchema.properties.choice.oneOf[1]!.const,
    }));
    try {
      const result = (await client.callTool({
        name: "session_stats",
        arguments: { customers: ["a"], range: "last_30_days" },
      })) as CallResult;
      expect(result.isError, text(result)).toBeFalsy();
      expect(asked).toHaveLength(1);
      const options = asked[0]!.requestedSchema.properties.choice.oneOf;
      expect(asked[0]!.message).toMatch(/^"a" fits \d+ customers\. Which one did you mean\?$/);
      expect(options.length).toBeGreaterThan(1);
      for (const o of options) expect(o.title).toContain(`id ${o.const}`);
      const chosen = options[1]!.const;
      const filters = result.structuredContent?.filters as { names: { id: string }[] };
      expect(filters.names).toEqual([expect.objectContaining({ kind: "customer", id: chosen })]);
      const customer = f.sandbox.data.customers.find((c) => c.id === chosen)!;
      expect(text(result)).toContain(customer.name);
    } finally {
      await client.close();
    }
  });

  it("declined or cancelled: the isError listing the candidates", async () => {
    for (const action of ["decline", "cancel"] as const) {
      const { client, asked } = await connect(revision, () => ({ action }));
      try {
        const result = (await client.callTool({
          name: "list_sessions",
          arguments: { customers: ["a"] },
        })) as CallResult;
        expect(asked).toHaveLength(1);
        expect(result.isError).toBe(true);
        expect(text(result)).toMatch(
          /^Invalid argument "customers": "a" fits \d+ customers; candidates: /m,
        );
      } finally {
        await client.close();
      }
    }
  });

  it("a client without elicitation gets the isError listing the candidates, as before", async () => {
    const { client } = await connect(revision);
    try {
      const result = (await client.callTool({
        name: "missed_callbacks",
        arguments: {},
      })) as CallResult;
      expect(result.isError, text(result)).toBeFalsy();
      const ambiguous = (await client.callTool({
        name: "list_sessions",
        arguments: { customers: ["a"] },
      })) as CallResult;
      expect(ambiguous.isError).toBe(true);
      expect(text(ambiguous)).toMatch(/"a" fits \d+ customers; candidates: .*id [0-9a-f]{32}/);
    } finally {
      await client.close();
    }
  });
});
