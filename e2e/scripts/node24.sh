#!/usr/bin/env bash
# Runs a command with Node 24 (the one e2e setup caches) first in PATH, from the same
# node_modules, e.g. `bash e2e/scripts/node24.sh npx -y pnpm@12.4.2 exec turbo run test`.
# The unit suites run on Node 20 and Node 24 this way without a second install.
set -Eeuo pipefail

E2E_LOG_PREFIX="[node 24]"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

step "finding Node $NODE24_VERSION" "run: bash e2e/scripts/setup.sh   (it installs Node $NODE24_VERSION), then run this again"
[[ -x "$NODE24_HOME/bin/node" ]] || fail "Node $NODE24_VERSION is not in $NODE24_HOME"
# Only Node's own bin dir goes first: npx, npm and pnpm stay those of the machine, run by Node 24.
# clean_env, so that nothing below goes by the Node 20 that npm and pnpm recorded (NODE,
# npm_node_execpath, npm_config_user_agent).
version="$(PATH="$NODE24_HOME/bin:$PATH" clean_env node --version)"
[[ "$version" == "v$NODE24_VERSION" ]] || fail "node in PATH is $version, not v$NODE24_VERSION"

step "on Node $version: $*" "see the failure above; reproduce it with: bash e2e/scripts/node24.sh $*"
PATH="$NODE24_HOME/bin:$PATH" clean_env "$@"
step "done on Node $version: $*"
