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

# The organizer's side of an honest student: a small pinned workbook (two
# exercises, the real hardware/ with its simulator tests, an organizer
# workflow, a roster and an instructors-only README part) is exported; the
# untouched export, graded from the organizer's workbook, has no integrity
# finding, and ships none of the organizer's files.
org="$work/org"
mkdir -p "$org"
(cd "$repo" && git ls-files -z exercises solutions-private hardware | xargs -0 cp --parents -t "$org")
"$py" - "$org/exercises/manifest.json" <<'EOF2'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] in ("00_hello", "01_pointers")]
json.dump(m, open(sys.argv[1], "w"), indent=2)
EOF2
mkdir -p "$org/.github/workflows"
printf 'name: leaderboard\n' >"$org/.github/workflows/leaderboard.yml"
printf 'name: grade\n' >"$org/.github/workflows/grade.yml"
printf 'alice https://example.invalid/alice\n' >"$org/.github/roster.txt"
printf '# Workbook\nfor everybody\n<!-- instructors-only:begin -->\nsecret plans\n<!-- instructors-only:end -->\nthe end\n' >"$org/README.md"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1
g() { git -C "$org" -c user.name=o -c user.email=o@x "$@"; }
g init -q && g add -A && g commit -qm workbook && "$grader" --root "$org" pin >/dev/null && g add -A && g commit -qm pin
out=$("$grader" --root "$org" export "$work/export" 2>&1)
if [ $? -eq 0 ] && [ ! -e "$work/export/.github/workflows/leaderboard.yml" ] && [ ! -e "$work/export/.github/roster.txt" ] &&
    [ -e "$work/export/.github/workflows/grade.yml" ] && [ ! -e "$work/export/hardware/cudasim/tests" ] &&
    [ "$(cat "$work/export/README.md")" = "$(printf '# Workbook\nfor everybody\nthe end')" ]; then
    echo "  ok   export: no leaderboard.yml, no roster.txt, no instructors-only README part, no simulator tests"
else
    echo "  FAIL export of the organizer's files: $out"; ls -R "$work/export/.github"; cat "$work/export/README.md"; exit 1
fi
"$grader" --root "$org" grade --repo "$work/export" --rev HEAD --json "$work/untouched.json" >"$work/untouched.log" 2>&1
code=$?
if [ $code -le 1 ] && "$py" - "$work/untouched.json" <<'EOF2'
import json, sys
ig = json.load(open(sys.argv[1]))["integrity"]
assert ig["ok"] is True and not (ig["deleted"] or ig["modified"] or ig["added"]), ig
EOF2
then
    echo "  ok   an untouched export graded from the organizer's side: integrity ok, nothing deleted or modified"
else
    echo "  FAIL untouched export (exit $code)"; tail -5 "$work/untouched.log"; exit 1
fi

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
