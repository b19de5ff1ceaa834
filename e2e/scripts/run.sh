#!/usr/bin/env bash
# `pnpm test:e2e`: sets up what is missing (cached), builds and packages the extension, then runs
# the end-to-end scenarios. Exits non-zero when any step or scenario fails, naming the step.
set -Eeuo pipefail

E2E_LOG_PREFIX="[e2e]"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$E2E_DIR/.." && pwd)"
PNPM=(npx -y pnpm@12.4.2)
export TURBO_TELEMETRY_DISABLED=1

step "setup" "see the setup step's message above"
bash "$E2E_DIR/scripts/setup.sh"

cd "$REPO_DIR"
if [[ ! -d "$E2E_DIR/node_modules/playwright-core" ]]; then
  step "installing workspace dependencies" "run: npx -y pnpm@12.4.2 install --frozen-lockfile   and read its error"
  "${PNPM[@]}" install --frozen-lockfile
fi

step "building the libraries the extension bundles and the sandbox" \
  "run: npx -y pnpm@12.4.2 exec turbo run build --filter='evo-sessions-vscode^...'   and fix the build error it shows"
"${PNPM[@]}" exec turbo run build --filter='evo-sessions-vscode^...' --output-logs=errors-only

step "packaging the extension" \
  "run: npx -y pnpm@12.4.2 --filter evo-sessions-vscode run package   and fix the error it shows"
"${PNPM[@]}" --filter evo-sessions-vscode run package

step "running the scenarios" \
  "see the failed scenario above and its screenshots in e2e/artifacts/; rerun one with: npm run test:e2e -- -t \"<name>\""
cd "$E2E_DIR"
# The scenarios run against a sandbox whose data is generated around the real clock (the tree's
# "Today" must be today), so a scenario that picks its sample from the data can, on a rare day and
# hour, find none, and code-server now and then drops a click. One more attempt on a fresh VS
# Code keeps such a run from failing the build; the first attempt's screenshots are kept, and the
# message says it happened, so a real regression (which fails twice) still fails.
if ! "${PNPM[@]}" exec vitest run "$@"; then
  rm -rf "$E2E_DIR/artifacts-first-attempt"
  [[ -d "$E2E_DIR/artifacts" ]] && mv "$E2E_DIR/artifacts" "$E2E_DIR/artifacts-first-attempt"
  printf '%s the scenarios failed once (screenshots in e2e/artifacts-first-attempt/); running them once more on a fresh VS Code\n' "$E2E_LOG_PREFIX"
  "${PNPM[@]}" exec vitest run "$@"
fi
step "done"
