#!/usr/bin/env bash
# `pnpm test:e2e`: sets up what is missing (cached), builds and packages the extension, then runs
# the end-to-end scenarios. Exits non-zero when any step or scenario fails.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$E2E_DIR/.." && pwd)"
PNPM=(npx -y pnpm@12.4.2)
export TURBO_TELEMETRY_DISABLED=1
started=$SECONDS
step() { printf '[e2e] %s (%d s)\n' "$*" "$((SECONDS - started))"; }

step "setup"
bash "$E2E_DIR/scripts/setup.sh"

cd "$REPO_DIR"
if [[ ! -d "$E2E_DIR/node_modules/playwright-core" ]]; then
  step "installing workspace dependencies"
  "${PNPM[@]}" install --frozen-lockfile
fi

step "building the libraries the extension bundles and the sandbox"
"${PNPM[@]}" exec turbo run build --filter='evo-sessions-vscode^...' --output-logs=errors-only

step "packaging the extension"
"${PNPM[@]}" --filter evo-sessions-vscode run package

step "running the scenarios"
cd "$E2E_DIR"
"${PNPM[@]}" exec vitest run "$@"
step "done"
