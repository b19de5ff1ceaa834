// Imports the installed packages the way an integrator's ESM code does and uses a little of
// each: core's query builder and tolerant decoding, the sandbox started and asked over HTTP by
// core's client, and the MCP server's library entry. Run from the install directory.
import { createEvoVoiceClient, decodeSessionList, SessionQuery } from "@evo-sessions/core";
import { startSandbox } from "@evo-sessions/sandbox";
import { childEnvironment } from "@evo-sessions/mcp-server/child-environment";

const query = SessionQuery.create().from("555").between("2026-11-01", "2026-11-07");
const described = query.describe();
if (!described.includes("555")) throw new Error(`SessionQuery.describe() said ${described}`);
const { warnings } = decodeSessionList({
  items: [{ id: "x", callState: "Parked" }],
  totalCount: 1,
});
if (warnings.length !== 1) throw new Error(`decodeSessionList warned ${warnings.length} times`);

const sandbox = await startSandbox({ port: 0, sessions: 200, seed: 7 });
try {
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: "demo", password: "demo-password" },
  });
  const page = await client.listSessions(SessionQuery.create().perPage(5));
  if (page.items.length === 0 || page.items.length > 5) {
    throw new Error(`listSessions asked for 5 gave ${page.items.length} sessions`);
  }
  const env = childEnvironment({ signIn: { kind: "sandbox" } });
  console.log(
    `ESM: core (${described}), sandbox at ${sandbox.url} (${page.totalCount} sessions, read by core's client), mcp-server/child-environment (${Object.keys(env).length} variables)`,
  );
} finally {
  await sandbox.close();
}
