#!/usr/bin/env bash
# The leaderboard on a deterministic class of 50 students and 3 who could
# not be graded (make_fixture.py): the ranking in leaderboard.json matches
# the order computed independently by the fixture script; then the HTML page in a real headless Chromium
# (browser_test.cjs) when Debian's chromium and npm playwright-core are
# available, with one clear SKIP line when they are not.
#
#   SCREENSHOT=/tmp/leaderboard.png bash grader/tests/leaderboard/run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="$repo/grader/build/grader"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== leaderboard (50-student fixture)"
"$py" "$here/make_fixture.py" "$work/in" "$work/expected.json" || exit 1
if ! "$grader" leaderboard --out "$work/site" "$work/in" >"$work/log" 2>&1; then
    echo "  FAIL grader leaderboard"; cat "$work/log"; exit 1
fi
if ! "$py" - "$work/site/leaderboard.json" "$work/expected.json" <<'EOF2'
import json, sys
got = json.load(open(sys.argv[1])); want = json.load(open(sys.argv[2]))
names = [s["name"] for s in got["students"]]
assert names == want["order"], [(i, a, b) for i, (a, b) in enumerate(zip(names, want["order"])) if a != b][:5]
assert len(got["skipped"]) == want["skipped"], got["skipped"]
st = got["students"]
assert [s["status"] for s in st[-3:]] == ["not_graded"] * 3 and all(s["rank"] is None for s in st[-3:])
assert sum(1 for s in st if s.get("build_errors")) == want["build_errors"]
assert sum(1 for s in st if s.get("integrity", {}).get("ok") is False) == want["integrity"]
EOF2
then
    echo "  FAIL leaderboard.json order differs from the fixture's"; exit 1
fi
echo "  ok   leaderboard.json ranks 50 students as expected and the 3 not graded last; 3 bad files skipped"
grep -q "skipped .*zz-broken.json: not valid JSON" "$work/log" &&
    echo "  ok   skipped files are reported on stderr" ||
    { echo "  FAIL no report of skipped files"; cat "$work/log"; exit 1; }

# CHROMIUM= (empty) simulates a machine without it.
chromium=${CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
    echo "  SKIP browser test: chromium is not installed (apt-get install chromium)"
    exit 0
fi
if ! why=$(bash "$repo/grader/scripts/setup-browser.sh"); then
    echo "  SKIP browser test: playwright-core unavailable: $why"
    exit 0
fi
node "$here/browser_test.cjs" "$repo/grader/build/node/node_modules/playwright-core" \
    "$chromium" "$work/site/index.html" "$work/expected.json" "${SCREENSHOT:-}"
code=$?
[ $code -eq 77 ] && exit 0 # skipped, and said why
exit $code
