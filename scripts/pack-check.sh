#!/usr/bin/env bash
# `npm run test:packages`: proves that what would be published installs and runs without this
# repository. It packs each npm package with `pnpm pack` (which rewrites workspace:/catalog:
# specifiers), inspects the tarballs, installs them with plain npm into empty directories on Node
# 20 (this machine's) and Node 24 (the e2e cache's), imports core from ESM and from TypeScript
# compiled with moduleResolution node16 and bundler, has a real MCP client ask the installed
# server's bin for list_sessions over stdio and over --http (the embedded sandbox answers), checks
# the MCP registry entry and the Claude Desktop bundle's manifest, and installs the packaged
# .vsix into the e2e's code-server. Offline except for the npm registry (the tarballs' third-party
# dependencies; npm's cache serves them after the first run).
#
# Every failure names the step and what to do next. PACK_CHECK_KEEP=1 keeps the work directory.
set -Eeuo pipefail

E2E_LOG_PREFIX="[pack-check]"
# shellcheck source=../e2e/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/scripts/lib.sh"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$REPO_DIR/scripts/pack-check"
PNPM=(npx -y pnpm@12.4.2)
TSC="$REPO_DIR/node_modules/.bin/tsc"
export TURBO_TELEMETRY_DISABLED=1
cd "$REPO_DIR"

# The npm packages, by folder. @evo-sessions/cli joins once packages/cli is committed (it is being
# written now); until then it is left out so a half-made package cannot fail this check.
PACKAGES=(core sandbox mcp-server)
if git ls-files --error-unmatch packages/cli/package.json >/dev/null 2>&1; then PACKAGES+=(cli); fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/evo-pack-check.XXXXXX")"
cleanup() {
  if [[ "${PACK_CHECK_KEEP:-}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
TARBALLS="$WORK/tarballs"
mkdir -p "$TARBALLS"

# A version from the catalog, so that what the consumers add (types, the MCP client) is what the
# workspace itself uses.
catalog_version() {
  sed -n "s|^  \"\\{0,1\\}$1\"\\{0,1\\}: *||p" "$REPO_DIR/pnpm-workspace.yaml" | head -1
}

# --- build ---------------------------------------------------------------------------------------
filters=()
for pkg in "${PACKAGES[@]}"; do filters+=("--filter=./packages/$pkg"); done
step "building ${PACKAGES[*]} (turbo, cached)" \
  "run: npx -y pnpm@12.4.2 exec turbo run build ${filters[*]}   and fix the build error it shows"
"${PNPM[@]}" exec turbo run build "${filters[@]}" --output-logs=errors-only

step "packaging the VS Code extension (.vsix)" \
  "run: npx -y pnpm@12.4.2 --filter evo-sessions-vscode run package   and fix the error it shows"
"${PNPM[@]}" exec turbo run build --filter='evo-sessions-vscode^...' --output-logs=errors-only
"${PNPM[@]}" --filter evo-sessions-vscode run package >"$WORK/vsce.log" 2>&1 ||
  { cat "$WORK/vsce.log" >&2; fail "packaging the extension failed (vsce's output is above)"; }
VSIX="$WORK/evo-sessions.vsix"
cp packages/vscode-extension/dist/evo-sessions.vsix "$VSIX"

# --- pack and inspect ----------------------------------------------------------------------------
for pkg in "${PACKAGES[@]}"; do
  step "pnpm pack packages/$pkg" \
    "run: cd packages/$pkg && npx -y pnpm@12.4.2 pack   and read its error"
  (cd "packages/$pkg" && "${PNPM[@]}" pack --pack-destination "$TARBALLS" >/dev/null)
done
declare -A TARBALL
for pkg in "${PACKAGES[@]}"; do
  TARBALL[$pkg]="$TARBALLS/evo-sessions-$pkg-$(node -p "require('./packages/$pkg/package.json').version").tgz"
  [[ -f "${TARBALL[$pkg]}" ]] || fail "pnpm pack wrote no ${TARBALL[$pkg]}"
done
tarball() { echo "${TARBALL[$1]}"; }

step "inspecting the tarballs (specifiers, metadata, files, README links, dependencies)" \
  "fix each problem listed above in that package's package.json, README or build, then run: bash scripts/pack-check.sh"
all_tarballs=()
for pkg in "${PACKAGES[@]}"; do all_tarballs+=("$(tarball "$pkg")"); done
node "$HERE/inspect.mjs" "$WORK/extracted" "${all_tarballs[@]}"

step "checking the MCP registry entry and the Claude Desktop manifest" \
  "make packages/mcp-server/server.json and manifest.json agree with its package.json (see the message above)"
node "$HERE/check-mcp-metadata.mjs" packages/mcp-server

# --- install with npm, Node 20 and Node 24 -------------------------------------------------------
# The packages are not on the registry: their tarballs stand in for them, also where one package
# depends on another (overrides), so npm never asks the registry for an @evo-sessions name. The
# consumer's package.json lists everything and `npm install` runs without arguments: npm would
# rewrite file: specs it saves, and an override must equal a direct dependency's spec exactly.
# make_consumer DIR NAME@SPEC… writes DIR/package.json depending on those, and the checks.
make_consumer() {
  local dir="$1" deps="" overrides="" spec rest
  shift
  for spec in "$@"; do # "@scope/name@spec": the name ends at the first @ after the scope's
    rest="${spec:1}"
    deps+="\"${spec:0:1}${rest%%@*}\":\"${rest#*@}\","
  done
  for pkg in core sandbox; do overrides+="\"@evo-sessions/$pkg\":\"file:${TARBALL[$pkg]}\","; done
  mkdir -p "$dir"
  printf '{"name":"pack-check-consumer","private":true,"type":"module","dependencies":{%s},"overrides":{%s}}\n' \
    "${deps%,}" "${overrides%,}" >"$dir/package.json"
  cp "$HERE/esm-check.mjs" "$HERE/mcp-client.mjs" "$HERE/consumer.ts" "$HERE/tsconfig.consumer.json" "$dir/"
}
dependency() { echo "@evo-sessions/$1@file:${TARBALL[$1]}"; }
NPM_FLAGS=(--no-audit --no-fund --loglevel=error)
TYPES_NODE="@types/node@$(catalog_version @types/node)"
MCP_CLIENT="@modelcontextprotocol/client@$(catalog_version @modelcontextprotocol/client)"

if [[ ! -x "$NODE24_HOME/bin/node" ]]; then
  step "setting up Node $NODE24_VERSION and code-server (e2e setup)" "see the setup step's message above"
  bash e2e/scripts/setup.sh
fi
on_node() { # on_node 20|24 CMD…: CMD in a plain environment, on that Node
  if [[ "$1" == 24 ]]; then
    shift
    PATH="$NODE24_HOME/bin:$PATH" clean_env npm_config_nodedir="$NODE24_HOME" "$@"
  else
    shift
    clean_env "$@"
  fi
}

for node_major in 20 24; do
  dir="$WORK/node$node_major"
  version="$(on_node "$node_major" node --version)"
  [[ "$version" == "v$node_major."* ]] || fail "node is $version, expected Node $node_major"
  if [[ "$node_major" == 20 ]]; then
    # An integrator: every package and the TypeScript types, as `npm i @evo-sessions/core` would.
    install=("$TYPES_NODE" "$MCP_CLIENT")
    for pkg in "${PACKAGES[@]}"; do install+=("$(dependency "$pkg")"); done
  else
    # An assistant or terminal user: only the tools; core and the sandbox come as dependencies.
    install=("$(dependency mcp-server)" "$MCP_CLIENT")
    [[ -z "${TARBALL[cli]:-}" ]] || install+=("$(dependency cli)")
  fi
  make_consumer "$dir" "${install[@]}"
  cd "$dir"
  step "npm install on Node $version: $(printf '%s ' "${install[@]##*/}")" \
    "read npm's error above; reproduce: cd \$(mktemp -d) && npm install <tarballs> (PACK_CHECK_KEEP=1 keeps $WORK)"
  on_node "$node_major" npm install "${NPM_FLAGS[@]}"

  step "Node $version: importing the packages from ESM" \
    "see the error above: an export, an entry point or a dependency of the installed packages is wrong"
  on_node "$node_major" node esm-check.mjs

  if [[ "$node_major" == 20 ]]; then
    for resolution in node16 bundler; do
      module=node16
      [[ "$resolution" == bundler ]] && module=preserve
      step "TypeScript: compiling against the installed core with moduleResolution $resolution" \
        "see tsc's errors above: the shipped .d.ts files or the exports' \"types\" conditions are wrong"
      on_node 20 "$TSC" -p tsconfig.consumer.json --module "$module" --moduleResolution "$resolution" \
        --outDir "out-$resolution"
    done
  fi
  for resolution in node16 bundler; do
    step "Node $version: running the TypeScript output ($resolution)" \
      "see the error above: what the types promised is not what runs"
    [[ "$node_major" == 20 ]] || cp -r "$WORK/node20/out-$resolution" .
    on_node "$node_major" node "out-$resolution/consumer.js" "$resolution"
  done

  step "Node $version: npx evo-sessions-mcp --version, then a real MCP client over stdio and --http" \
    "see the client's and the server's output above; reproduce: PACK_CHECK_KEEP=1 bash scripts/pack-check.sh, then node mcp-client.mjs in $dir"
  on_node "$node_major" npx --no-install @evo-sessions/mcp-server --version >/dev/null
  on_node "$node_major" node mcp-client.mjs

  if [[ -n "${TARBALL[cli]:-}" ]]; then
    step "Node $version: npx @evo-sessions/cli list --range last-7-days --missed --limit 3 (sandbox)" \
      "see the CLI's error above; reproduce: PACK_CHECK_KEEP=1 bash scripts/pack-check.sh, then npx --no-install @evo-sessions/cli list in $dir"
    on_node "$node_major" env -u EVO_VOICE_USERNAME -u EVO_VOICE_PASSWORD EVO_VOICE_TIME_ZONE=UTC \
      npx --no-install @evo-sessions/cli list --range last-7-days --missed --limit 3 --json >cli.out 2>cli.err ||
      { cat cli.err >&2; fail "evo-sessions list failed (its stderr is above)"; }
    [[ "$(wc -l <cli.out)" -ge 1 ]] || fail "evo-sessions list printed no session (stderr: $(head -c 500 cli.err))"
    log "evo-sessions list: $(wc -l <cli.out) missed sessions as JSON lines"
  fi
  cd "$REPO_DIR"
done

# --- the Claude Desktop bundle -------------------------------------------------------------------
step "building the Claude Desktop bundle (.mcpb) from the same tarballs" \
  "see build-mcpb's message above; reproduce: bash scripts/build-mcpb.sh"
MCPB_FILE="$WORK/evo-sessions-mcp-server.mcpb"
bash scripts/build-mcpb.sh --tarballs "$TARBALLS" --out "$MCPB_FILE" >"$WORK/mcpb.log" 2>&1 ||
  { cat "$WORK/mcpb.log" >&2; fail "building the .mcpb failed (its output is above)"; }
step "running the unpacked .mcpb's server as Claude Desktop does (node <entry_point>, stdio)" \
  "see the client's output above: the bundle lacks a file or a dependency of the server"
node_modules/.bin/mcpb unpack "$MCPB_FILE" "$WORK/mcpb-unpacked" >/dev/null
entry_point="$(node -p "require('./packages/mcp-server/manifest.json').server.entry_point")"
(cd "$WORK/node20" && on_node 20 node mcp-client.mjs --entry "$WORK/mcpb-unpacked/$entry_point")
log "evo-sessions-mcp-server.mcpb: $(($(stat -c %s "$MCPB_FILE") / 1024)) KiB"

# --- the .vsix -----------------------------------------------------------------------------------
step "checking the .vsix's contents (vsce ls)" \
  "keep dev files out with packages/vscode-extension/.vscodeignore, then run: bash scripts/pack-check.sh"
(cd packages/vscode-extension && npx vsce ls --no-dependencies) >"$WORK/vsix-files.txt"
unexpected="$(grep -vE '^(dist/[^/]+\.(js|mjs)|media/[^/]+|media/walkthrough/[^/]+\.md|package\.json|README\.md|CHANGELOG\.md|LICENSE)$' "$WORK/vsix-files.txt" || true)"
[[ -z "$unexpected" ]] || fail "the .vsix would ship dev files: $(echo "$unexpected" | tr '\n' ' ')"
for needed in media/icon.png README.md CHANGELOG.md LICENSE dist/extension.js; do
  grep -qx "$needed" "$WORK/vsix-files.txt" || fail "the .vsix has no $needed"
done
vsix_kb=$(($(stat -c %s "$VSIX") / 1024))
log "evo-sessions.vsix: $(wc -l <"$WORK/vsix-files.txt") files, $vsix_kb KiB"

step "installing the .vsix into code-server (Node $NODE24_VERSION, fresh user-data dir)" \
  "read code-server's output above; run bash e2e/scripts/setup.sh if code-server is missing"
CODE_SERVER_ENTRY="$E2E_CACHE_DIR/code-server/node_modules/code-server/out/node/entry.js"
[[ -f "$CODE_SERVER_ENTRY" ]] || fail "code-server is not in $E2E_CACHE_DIR" "run: bash e2e/scripts/setup.sh"
code_server=("$NODE24_HOME/bin/node" "$CODE_SERVER_ENTRY" --user-data-dir "$WORK/cs-user"
  --extensions-dir "$WORK/cs-extensions")
# XDG_* keep code-server's config and state out of the real home, as the e2e suite does.
XDG_CONFIG_HOME="$WORK/cs-xdg/config" XDG_DATA_HOME="$WORK/cs-xdg/data" clean_env \
  "${code_server[@]}" --install-extension "$VSIX" >"$WORK/cs-install.log" 2>&1 ||
  { cat "$WORK/cs-install.log" >&2; fail "code-server --install-extension failed (its output is above)"; }
expected="evo-sessions.evo-sessions-vscode@$(node -p "require('./packages/vscode-extension/package.json').version")"
listed="$(XDG_CONFIG_HOME="$WORK/cs-xdg/config" XDG_DATA_HOME="$WORK/cs-xdg/data" clean_env \
  "${code_server[@]}" --list-extensions --show-versions 2>/dev/null)"
[[ "$listed" == *"$expected"* ]] || fail "code-server lists \"$listed\", not $expected"

step "done: ${PACKAGES[*]} install and run on Node 20 and 24; $expected installs into code-server"
