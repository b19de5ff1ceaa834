// Runs the conformance suite against this server (built, dist/) over Streamable HTTP on the
// sandbox, and prints one line per scenario and revision: pass, fail or n/a with the reason.
// Called by conformance.sh on Node 22:  node scripts/conformance.mjs <suite.js> "<revisions>" <scenario>…
//
// The suite (0.1.16) speaks 2025-11-25 (and 2025-06-18) only: its scenarios run as they are on
// that revision. For 2026-07-28 it has no scenarios, so what each applicable scenario checks is
// checked again here with the SDK's v2 client, on both revisions (pinned for 2026-07-28).
import { execFile } from "node:child_process";
import { request } from "node:http";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startBackend } from "../dist/backend.js";
import { createContext } from "../dist/context.js";
import { silentLogger } from "../dist/log.js";
import { createEvoSessionsMcpServer } from "../dist/server.js";
import { startHttpServer } from "../dist/transports/http.js";

const run = promisify(execFile);
const [suite, revisionList, ...scenarios] = process.argv.slice(2);
const revisions = revisionList.split(/\s+/).filter(Boolean);

// Why the suite's other server scenarios do not apply: they call the fixtures of the suite's own
// reference server (tools, prompts and resources with fixed names and contents).
const NOT_APPLICABLE = {
  "tools-call-*": "calls the reference server's test_* tools (this server has its own four)",
  "completion-complete":
    "completes the reference server's test_prompt_with_arguments (ours: the completion check below)",
  "json-schema-2020-12": "looks for the reference server's json_schema_2020_12_tool",
  "elicitation-sep1034-defaults": "calls the reference server's elicitation tool",
  "elicitation-sep1330-enums": "calls the reference server's elicitation tool",
  "resources-read-*": "reads the reference server's test:// resources",
  "resources-templates-read": "reads the reference server's test://template/{id}/data",
  "resources-subscribe": "this server offers no subscriptions (read-only data, no change feed)",
  "resources-unsubscribe": "this server offers no subscriptions",
  "prompts-get-*": "gets the reference server's test_* prompts",
};

const NOT_IN_REVISION = Symbol("not in this revision");

/** Each suite scenario's check, made with the SDK's v2 client (see {@link ownCheck}). */
const OWN = {
  "server-initialize": async (client) => {
    const version = client.getServerVersion();
    if (version?.name !== "evo-sessions") return `server info ${JSON.stringify(version)}`;
    const caps = client.getServerCapabilities();
    for (const cap of ["tools", "resources", "prompts", "completions", "logging"])
      if (caps?.[cap] === undefined) return `capability ${cap} missing`;
  },
  ping: async (client, _logs, revision) => {
    // 2026-07-28 removed ping (each request stands alone).
    if (revision === "2026-07-28") return NOT_IN_REVISION;
    await client.ping();
  },
  "dns-rebinding-protection": async (_client, _logs, _revision, url) => {
    // The guard runs before the revision is told apart: a foreign Host is refused either way.
    // node:http, because fetch does not let a caller set Host.
    const status = await new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          headers: {
            host: "evil.example",
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on("error", reject);
      req.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/list",
          params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
        }),
      );
    });
    if (status !== 403) return `a foreign Host got ${status}`;
  },
  "logging-set-level": async (client, logs, revision) => {
    // 2026-07-28 has no logging/setLevel: the level travels with each request.
    if (revision === "2026-07-28") {
      await client.callTool({
        name: "list_accounts",
        arguments: {},
        _meta: { "io.modelcontextprotocol/logLevel": "info" },
      });
    } else {
      await client.setLoggingLevel("info");
      await client.callTool({ name: "list_accounts", arguments: {} });
    }
    if (!logs.some((l) => l.data?.event === "tool_call"))
      return "no log notification at the request's level";
  },
  "completion-complete": async (client) => {
    const result = await client.complete({
      ref: { type: "ref/prompt", name: "triage_missed_calls" },
      argument: { name: "day", value: "yes" },
    });
    if (!result.completion.values.includes("yesterday"))
      return `completion ${JSON.stringify(result.completion)}`;
  },
  "tools-list": async (client) => {
    const { tools } = await client.listTools();
    for (const tool of tools) {
      if (!tool.name || !tool.inputSchema || tool.inputSchema.type !== "object")
        return `tool ${tool.name} malformed`;
    }
    if (tools.length === 0) return "no tools";
  },
  "resources-list": async (client) => {
    const result = await client.listResources();
    if (!Array.isArray(result.resources)) return "resources is not a list";
  },
  "resources-templates-list": async (client) => {
    const result = await client.listResourceTemplates();
    if (!result.resourceTemplates.some((t) => t.uriTemplate === "evo-sessions://sessions/{id}"))
      return "template missing";
  },
  "prompts-list": async (client) => {
    const { prompts } = await client.listPrompts();
    if (!prompts.some((p) => p.name === "triage_missed_calls")) return "prompt missing";
  },
  "server-sse-multiple-streams": async (client) => {
    // Several requests in flight at once, each answered on its own exchange.
    const results = await Promise.all(
      [1, 2, 3].map(() => client.callTool({ name: "list_accounts", arguments: {} })),
    );
    if (results.some((r) => r.isError === true)) return "a concurrent call failed";
  },
};

const backend = await startBackend(
  {
    baseUrl: "https://evovoice.io",
    defaultAccountIds: [],
    timeZone: "UTC",
    tokenBudget: 4000,
    statsMaxSessions: 5000,
  },
  { sandbox: true, log: silentLogger },
);
const context = createContext({ ...backend, log: silentLogger });
const http = await startHttpServer({ createServer: () => createEvoSessionsMcpServer({ context }) });
const rows = [];
try {
  for (const revision of revisions) {
    for (const scenario of scenarios) {
      if (revision !== "2026-07-28")
        rows.push({ scenario, revision, ...(await suiteScenario(scenario, http.url)) });
    }
    for (const scenario of Object.keys(OWN)) {
      rows.push({
        scenario: `${scenario} (v2 client)`,
        revision,
        ...(await ownCheck(scenario, revision, http.url)),
      });
    }
  }
  for (const [pattern, why] of Object.entries(NOT_APPLICABLE)) {
    rows.push({ scenario: pattern, revision: "both", status: "n/a", detail: why });
  }
} finally {
  await http.close();
  await backend.close();
}
for (const row of rows) {
  console.log(
    `${row.status.padEnd(5)} ${row.revision.padEnd(10)} ${row.scenario.padEnd(28)} ${row.detail ?? ""}`,
  );
}
const failed = rows.filter((row) => row.status === "fail");
console.log(
  `conformance: ${rows.filter((r) => r.status === "pass").length} passed, ${failed.length} failed, ${rows.filter((r) => r.status === "n/a").length} not applicable`,
);
process.exit(failed.length === 0 ? 0 : 1);

/** One suite scenario: pass when no check failed (and at least one ran or the scenario has none). */
async function suiteScenario(scenario, url) {
  const out = mkdtempSync(join(tmpdir(), "evo-conformance-"));
  try {
    await run(
      process.execPath,
      [suite, "server", "--url", url, "--scenario", scenario, "-o", out],
      { timeout: 120_000 },
    );
  } catch {
    // The suite exits non-zero when a check fails; the checks say which.
  }
  const dirs = readdirSync(out);
  if (dirs.length === 0) return { status: "fail", detail: "the suite wrote no results" };
  const checks = JSON.parse(readFileSync(join(out, dirs[0], "checks.json"), "utf8"));
  const bad = checks.filter((c) => c.status === "FAILURE");
  const passed = checks.filter((c) => c.status === "SUCCESS").length;
  return bad.length === 0
    ? { status: "pass", detail: `${passed} checks (suite 0.1.16)` }
    : { status: "fail", detail: bad.map((c) => `${c.id}: ${c.errorMessage ?? ""}`).join("; ") };
}

/**
 * The check of a suite scenario made with the SDK's v2 client: pinned to 2026-07-28 (which the
 * suite cannot speak), or in its default 2025 handshake for 2025-11-25.
 */
async function ownCheck(scenario, revision, url) {
  const client = new Client(
    { name: "evo-conformance", version: "1" },
    revision === "2026-07-28" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  const logs = [];
  client.setNotificationHandler("notifications/message", (n) => logs.push(n.params));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  try {
    if (
      client.getNegotiatedProtocolVersion?.() !== undefined &&
      client.getNegotiatedProtocolVersion() !== revision
    )
      return { status: "fail", detail: `negotiated ${client.getNegotiatedProtocolVersion()}` };
    const problem = await OWN[scenario](client, logs, revision, url);
    if (problem === NOT_IN_REVISION)
      return { status: "n/a", detail: `no such method in ${revision}` };
    return problem === undefined
      ? { status: "pass", detail: `on ${revision}` }
      : { status: "fail", detail: problem };
  } catch (error) {
    return { status: "fail", detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.close();
  }
}
