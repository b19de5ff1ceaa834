import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { answerChars, call, CUT_MARKER, startFixture, type Fixture } from "./fixture.js";

let f: Fixture;
let schemas: Map<string, string[]>;
let accounts: string[];

beforeAll(async () => {
  f = await startFixture({ sandbox: { sessions: 300 } });
  accounts = f.sandbox.users.find((u) => u.kind === "multi")?.accountIds ?? [];
  const { tools } = await f.mcp.listTools();
  schemas = new Map(tools.map((t) => [t.name, Object.keys(t.inputSchema.properties ?? {})]));
});
afterAll(() => f.close());

/** Mostly valid values, some nearly valid, a few anything at all. */
function valueFor(name: string): fc.Arbitrary<unknown> {
  const valid: Record<string, fc.Arbitrary<unknown>> = {
    accountIds: fc.subarray(accounts, { minLength: 1 }),
    range: fc.constantFrom(
      "today",
      "yesterday",
      "last_24h",
      "last_7_days",
      "this_week",
      "this_month",
    ),
    startDate: fc.constantFrom("2026-03-01", "2026-03-09"),
    endDate: fc.constantFrom("2026-03-11", "2026-03-10"),
    limit: fc.integer({ min: 1, max: 200 }),
    logOffset: fc.integer({ min: 0, max: 400 }),
    logLimit: fc.integer({ min: 1, max: 500 }),
    logContains: fc.constantFrom("queue", "call", "", "zzz"),
    detail: fc.constantFrom("summary", "full"),
    by: fc.constantFrom("outcome", "day", "hour", "endpoint", "account", "heatmap", "missed"),
    compare: fc.boolean(),
    worst: fc.constantFrom("abandonRate", "serviceLevel"),
    missed: fc.boolean(),
    searchArchive: fc.boolean(),
    direction: fc.constantFrom("Incoming", "Outgoing"),
    channel: fc.constantFrom("Voice", "Chat", "Fax"),
    outcomes: fc.subarray(["Answered", "abandoned", "No Answer", "Voicemail"], { minLength: 1 }),
    sortField: fc.constantFrom("dateCreated", "fromAddress", "outcome"),
    sortOrder: fc.constantFrom("Ascend", "Descend"),
    from: fc.constantFrom("555", "+1", "a"),
    to: fc.constantFrom("555", "client:"),
    log: fc.constantFrom("voicemail", "queue"),
    maxSessions: fc.integer({ min: 1, max: 400 }),
    id: fc.constantFrom(...f.sandbox.data.sessions.slice(0, 5).map((s) => s.id as string)),
  };
  const nearlyValid: Record<string, fc.Arbitrary<unknown>> = {
    accountIds: fc.array(fc.string()),
    range: fc.constantFrom("Today", "last week", "last_2_days"),
    startDate: fc.constantFrom("2026-02-30", "2026-3-1", "yesterday"),
    limit: fc.oneof(
      fc.integer({ min: -5, max: 0 }),
      fc.integer({ min: 201, max: 10_000 }),
      fc.double(),
    ),
    detail: fc.constant("everything"),
    by: fc.constant("hour_of_day"),
    direction: fc.constant("incoming"),
    outcomes: fc.oneof(fc.constant("Abandoned"), fc.constant([""]), fc.array(fc.integer())),
    sortField: fc.constant("nonsense"),
    cursor: fc.oneof(fc.base64String(), fc.string()),
    id: fc.string(),
  };
  return fc.oneof(
    { weight: 8, arbitrary: valid[name] ?? fc.string({ maxLength: 20 }) },
    { weight: 2, arbitrary: nearlyValid[name] ?? fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

function argsFor(tool: string): fc.Arbitrary<Record<string, unknown>> {
  const names = (schemas.get(tool) ?? []).filter((n) => n !== "cursor");
  const required = tool === "get_session" ? ["id"] : [];
  const optional = names.filter((n) => !required.includes(n));
  const chosen = fc
    .subarray(optional, { maxLength: Math.min(3, optional.length) })
    .map((keys) => [...required, ...keys]);
  const known = chosen.chain((keys) =>
    fc.record(
      Object.fromEntries(keys.map((n) => [n, valueFor(n)])) as Record<
        string,
        fc.Arbitrary<unknown>
      >,
    ),
  );
  const extra = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.jsonValue({ maxDepth: 1 }),
    {
      maxKeys: 1,
    },
  );
  const cursor = fc.oneof(
    { weight: 5, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.record({ cursor: valueFor("cursor") }) },
  );
  return fc
    .tuple(
      known,
      fc.oneof({ weight: 9, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra }),
      cursor,
    )
    .map(([a, b, c]) => ({ ...b, ...c, ...a }));
}

describe.each([
  "list_sessions",
  "get_session",
  "session_stats",
  "list_accounts",
  "missed_callbacks",
  "live_now",
])("fuzzed %s arguments", (tool) => {
  const outcomes = { ok: 0, error: 0 };
  afterAll(() => {
    // The property is only worth something if both paths were exercised. The runs are random,
    // so the bar is "at least once each", which 30+ runs miss with negligible probability.
    expect(outcomes.ok, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.error, JSON.stringify(outcomes)).toBeGreaterThan(0);
  });

  it("always end in a valid result or an isError naming an argument — never a crash or protocol error", async () => {
    await fc.assert(
      fc.asyncProperty(argsFor(tool), async (args) => {
        const result = await call(f.mcp, tool, args); // a protocol error would throw here
        expect(Array.isArray(result.content)).toBe(true);
        if (result.isError === true) {
          const names = [...(schemas.get(tool) ?? []), ...Object.keys(args)];
          // The argument is named in the exact form, first on its line: `Invalid argument "limit": …`.
          const named = [...result.text.matchAll(/^Invalid argument ("(?:[^"\\]|\\.)*")/gm)].map(
            (m) => JSON.parse(m[1] as string) as string,
          );
          // The one failure about a value rather than its form: an id that names no session.
          if (tool === "get_session" && typeof args.id === "string")
            if (result.text.startsWith(`No session with id ${JSON.stringify(args.id.trim())}`))
              named.push("id");
          expect(
            named.length > 0 && named.every((name) => names.includes(name)),
            `error names no argument: ${result.text} for ${JSON.stringify(args)}`,
          ).toBe(true);
          expect(result.text).not.toMatch(/bug in evo-sessions-mcp|Output validation error/);
          outcomes.error++;
        } else {
          outcomes.ok++;
          expect(result.structuredContent).toBeDefined();
          expect(result.text).not.toContain(CUT_MARKER);
          expect(answerChars(result)).toBeLessThanOrEqual(f.config.tokenBudget * 4);
        }
      }),
      { numRuns: tool === "list_accounts" ? 30 : 60 },
    );
  });
});
