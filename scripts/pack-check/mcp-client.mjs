// A real MCP client against the MCP server installed from its tarball: the `evo-sessions-mcp`
// bin (through node_modules/.bin, so its shebang and the npm bin link are exercised) over stdio,
// then with --http over Streamable HTTP, each asked list_sessions with no credentials set, so
// the embedded sandbox answers. Run from the directory the tarballs were installed into (it
// imports @modelcontextprotocol/client from there). Prints the first lines of each answer.
//   node mcp-client.mjs                   the installed bin, over stdio and --http
//   node mcp-client.mjs --entry FILE      `node FILE` over stdio only (an unpacked .mcpb's server,
//                                         started the way Claude Desktop starts it)
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const entry = process.argv[2] === "--entry" ? resolve(process.argv[3] ?? "") : undefined;
const bin = resolve("node_modules/.bin/evo-sessions-mcp");
const command =
  entry === undefined ? { command: bin, args: [] } : { command: process.execPath, args: [entry] };
// At least these (the tool set grows; a missing one is a broken package).
const EXPECTED_TOOLS = ["get_session", "list_accounts", "list_sessions", "session_stats"];
// No Evo Voice credentials, whatever the caller's shell has: the sandbox must answer.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !name.startsWith("EVO_VOICE_") && !name.startsWith("EVO_SESSIONS_"),
  ),
);
env.EVO_VOICE_TIME_ZONE = "UTC";

// The servers' logs, shown only when something fails (the sandbox banner is long).
let serverLog = "";
const fail = (error) => {
  console.error(`${serverLog}\nmcp-client: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
};
process.on("unhandledRejection", fail);
const deadline = setTimeout(() => fail("no answer within 60 s"), 60_000);

/** Lists the tools and asks list_sessions; throws with what was wrong. */
async function ask(client, label) {
  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name).sort();
  const missing = EXPECTED_TOOLS.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `${label}: tools ${missing.join(", ")} are missing (it lists ${names.join(", ")})`,
    );
  }
  const result = await client.callTool({
    name: "list_sessions",
    arguments: { range: "last_7_days", limit: 3 },
  });
  const text = result.content?.find((part) => part.type === "text")?.text ?? "";
  if (
    result.isError ||
    !text.startsWith("⚠ SANDBOX") ||
    result.structuredContent?.sandbox !== true
  ) {
    throw new Error(`${label}: list_sessions did not answer from the sandbox:\n${text}`);
  }
  console.log(
    `${label}: ${names.length} tools; list_sessions →\n    ${text.split("\n").slice(3, 5).join("\n    ")}`,
  );
}

// stdio, as an MCP client (Claude Desktop, Cursor, VS Code) starts it.
const stdio = new Client({ name: "pack-check", version: "0" });
const transport = new StdioClientTransport({ ...command, env, stderr: "pipe" });
transport.stderr?.on("data", (chunk) => (serverLog += chunk));
await stdio.connect(transport);
await ask(stdio, entry === undefined ? "stdio" : `stdio (node ${entry})`);
await stdio.close();
if (entry !== undefined) process.exit(0);

// --http on a free port: the endpoint is read from its log line.
const server = spawn(bin, ["--http", "--port", "0"], { env, stdio: ["ignore", "ignore", "pipe"] });
const url = await new Promise((resolveUrl, reject) => {
  server.stderr.on("data", (chunk) => {
    serverLog += chunk;
    const match = /MCP endpoint \(Streamable HTTP\): (http:\/\/\S+)/.exec(serverLog);
    if (match) resolveUrl(match[1]);
  });
  server.on("exit", (code) => reject(new Error(`--http exited with ${code} before serving`)));
});
try {
  const http = new Client({ name: "pack-check", version: "0" });
  await http.connect(new StreamableHTTPClientTransport(new URL(url)));
  await ask(http, `http (${url})`);
  await http.close();
} finally {
  server.kill();
}
clearTimeout(deadline);
