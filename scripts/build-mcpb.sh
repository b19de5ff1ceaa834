#!/usr/bin/env bash
# Builds the MCP server's Claude Desktop extension, evo-sessions-mcp-server.mcpb (an MCP Bundle:
# a zip of packages/mcp-server/manifest.json, the icon and the server with its production
# node_modules), with @anthropic-ai/mcpb. Users install it by opening the file in Claude Desktop,
# which asks for the settings the manifest declares (user name, password, …) and runs the server
# with its own Node.
#
#   bash scripts/build-mcpb.sh [--tarballs DIR] [--out FILE]
#
# The server is installed with plain npm from `pnpm pack` tarballs, as from the registry, so the
# bundle holds what npm users get. --tarballs reuses tarballs already packed (scripts/pack-check.sh
# passes its own); otherwise core, sandbox and mcp-server are built and packed here.
# Default output: packages/mcp-server/evo-sessions-mcp-server.mcpb (gitignored).
set -Eeuo pipefail

E2E_LOG_PREFIX="[build-mcpb]"
# shellcheck source=../e2e/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/scripts/lib.sh"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_DIR="$REPO_DIR/packages/mcp-server"
PNPM=(npx -y pnpm@12.4.2)
MCPB="$REPO_DIR/node_modules/.bin/mcpb"
cd "$REPO_DIR"

tarballs="" out="$SERVER_DIR/evo-sessions-mcp-server.mcpb"
while (($#)); do
  case "$1" in
    --tarballs) tarballs="$2" && shift 2 ;;
    --out) out="$2" && shift 2 ;;
    *) fail "unknown argument $1" "run: bash scripts/build-mcpb.sh [--tarballs DIR] [--out FILE]" ;;
  esac
done
[[ -x "$MCPB" ]] || fail "mcpb is not installed" "run: npx -y pnpm@12.4.2 install"

work="$(mktemp -d "${TMPDIR:-/tmp}/evo-mcpb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [[ -z "$tarballs" ]]; then
  step "building and packing core, sandbox and mcp-server" \
    "run: npx -y pnpm@12.4.2 exec turbo run build --filter=@evo-sessions/mcp-server...   and fix its error"
  "${PNPM[@]}" exec turbo run build --filter=@evo-sessions/mcp-server... --output-logs=errors-only
  tarballs="$work/tarballs"
  for pkg in core sandbox mcp-server; do
    (cd "packages/$pkg" && "${PNPM[@]}" pack --pack-destination "$tarballs" >/dev/null)
  done
fi
version="$(node -p "require('$SERVER_DIR/package.json').version")"
for pkg in core sandbox mcp-server; do
  [[ -f "$tarballs/evo-sessions-$pkg-$version.tgz" ]] ||
    fail "no $tarballs/evo-sessions-$pkg-$version.tgz" "pack it first, or leave --tarballs out"
done

step "installing the server's production dependencies with npm" \
  "read npm's error above (the third-party dependencies come from the npm registry)"
bundle="$work/bundle"
mkdir -p "$bundle"
# Overrides: core and the sandbox come from their tarballs too (they are not on the registry yet).
cat >"$bundle/package.json" <<JSON
{
  "name": "evo-sessions-mcpb",
  "private": true,
  "dependencies": { "@evo-sessions/mcp-server": "file:$tarballs/evo-sessions-mcp-server-$version.tgz" },
  "overrides": {
    "@evo-sessions/core": "file:$tarballs/evo-sessions-core-$version.tgz",
    "@evo-sessions/sandbox": "file:$tarballs/evo-sessions-sandbox-$version.tgz"
  }
}
JSON
(cd "$bundle" && clean_env npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
# The bundle's package.json names the version, not this machine's temporary paths.
printf '{\n  "name": "evo-sessions-mcpb",\n  "version": "%s",\n  "private": true,\n  "dependencies": { "@evo-sessions/mcp-server": "%s" }\n}\n' \
  "$version" "$version" >"$bundle/package.json"
rm -f "$bundle/package-lock.json"
rm -rf "$bundle/node_modules/.bin" # links a client would not use; zips do not keep them well
cp "$SERVER_DIR/manifest.json" "$bundle/"
cp "$SERVER_DIR/icon.png" "$bundle/icon.png"

step "validating and packing the bundle (mcpb)" \
  "fix packages/mcp-server/manifest.json as the message above says, then run: bash scripts/build-mcpb.sh"
"$MCPB" validate "$bundle/manifest.json"
mkdir -p "$(dirname "$out")"
"$MCPB" pack "$bundle" "$out" >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; fail "mcpb pack failed (output above)"; }
log "wrote $out ($(($(stat -c %s "$out") / 1024)) KiB)"
