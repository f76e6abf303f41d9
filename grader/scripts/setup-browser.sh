#!/usr/bin/env bash
# setup-browser.sh: installs npm playwright-core (pinned) into the ignored
# folder grader/build/node, for the leaderboard page's browser test. The
# browser itself is Debian's `chromium` (apt-get install chromium); the
# test drives it through executablePath, so no browser is downloaded.
# Exit 0 when playwright-core is there, 1 (with the reason) when it cannot
# be installed: the caller then skips the browser test and says so.
set -uo pipefail
VERSION=1.65.1
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/build/node"
if [ -f "$dest/node_modules/playwright-core/package.json" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "setup-browser: node/npm not installed"
    exit 1
fi
mkdir -p "$dest"
if ! (cd "$dest" && timeout 180 npm install --no-audit --no-fund --no-save \
    --loglevel=error "playwright-core@$VERSION" >npm.log 2>&1); then
    echo "setup-browser: npm install playwright-core@$VERSION failed (offline?): $(tail -n 2 "$dest/npm.log" | tr '\n' ' ')"
    exit 1
fi
exit 0
