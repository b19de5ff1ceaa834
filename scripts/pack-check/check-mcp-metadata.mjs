// Checks the MCP server's two descriptions for other tools against its package.json, offline:
// server.json (the MCP registry entry, schema 2025-12-11: name = package.json's mcpName, a
// description of at most 100 characters, exact versions, npm packages with a transport) and
// manifest.json (the Claude Desktop bundle: same version, an entry point inside the package).
// The registry's and mcpb's own validators check the rest when publishing (`mcp-publisher
// validate`, `mcpb validate`, which scripts/build-mcpb.sh runs). Usage: node check-mcp-metadata.mjs <dir>
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const read = (file) => JSON.parse(readFileSync(join(dir, file), "utf8"));
const pkg = read("package.json");
const server = read("server.json");
const manifest = read("manifest.json");
const problems = [];
const check = (ok, text) => ok || problems.push(text);

check(
  /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/.test(
    server.$schema,
  ),
  `server.json: "$schema" is not an official schema URL (${server.$schema})`,
);
check(
  /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(server.name ?? ""),
  `server.json: name "${server.name}" is not reverse-DNS "namespace/name"`,
);
check(
  server.name === pkg.mcpName,
  `server.json name "${server.name}" differs from package.json mcpName "${pkg.mcpName}" (the registry checks they match)`,
);
check(
  typeof server.description === "string" &&
    server.description.length >= 1 &&
    server.description.length <= 100,
  `server.json: description must be 1–100 characters (it has ${server.description?.length})`,
);
check(
  server.version === pkg.version,
  `server.json version ${server.version} ≠ package.json ${pkg.version}`,
);
check(Array.isArray(server.packages) && server.packages.length > 0, "server.json: no packages");
for (const [i, entry] of (server.packages ?? []).entries()) {
  const where = `server.json packages[${i}]`;
  check(
    entry.registryType === "npm" && entry.identifier === pkg.name,
    `${where}: expected npm package ${pkg.name}`,
  );
  check(
    entry.version === pkg.version,
    `${where}: version ${entry.version} ≠ package.json ${pkg.version}`,
  );
  check(
    ["stdio", "streamable-http", "sse"].includes(entry.transport?.type),
    `${where}: transport.type missing or unknown`,
  );
  for (const variable of entry.environmentVariables ?? []) {
    check(
      typeof variable.name === "string" && /^[A-Z0-9_]+$/.test(variable.name),
      `${where}: bad environment variable ${JSON.stringify(variable)}`,
    );
  }
}
check(
  manifest.version === pkg.version,
  `manifest.json version ${manifest.version} ≠ package.json ${pkg.version}`,
);
const entryPoint = manifest.server?.entry_point ?? "";
const binTarget = Object.values(pkg.bin ?? {})[0]?.replace(/^\.\//, "");
check(
  entryPoint === `node_modules/${pkg.name}/${binTarget}`,
  `manifest.json server.entry_point "${entryPoint}" should be node_modules/${pkg.name}/${binTarget} (the bin, as build-mcpb.sh installs it)`,
);
check(
  (manifest.server?.mcp_config?.args ?? []).includes(`\${__dirname}/${entryPoint}`),
  "manifest.json mcp_config.args must run ${__dirname}/<entry_point>",
);

if (problems.length > 0) {
  console.error(problems.map((text) => `  - ${text}`).join("\n"));
  process.exit(1);
}
console.log(
  `${server.name}@${server.version}: server.json (${server.packages.length} npm entries) and manifest.json agree with package.json`,
);
