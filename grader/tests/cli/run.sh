#!/usr/bin/env bash
# End-to-end checks of the grader's command line on throw-away copies of
# the workbook: exit codes, the one-line errors, build_error verdicts, the
# JSON document, and the result cache. Run from anywhere; needs
# grader/build/grader.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="$repo/grader/build/grader"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LLMLINGS_STATE_DIR="$work/state"
export NO_COLOR=1

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

# A fresh copy of a small slice of the tracked workbook: a few exercises
# (one linking an earlier one), exercises/common and their solutions, with
# the manifest cut down to them. The whole workbook is graded by `grader
# verify` in `make test`; grading it twice more here would double the time.
SLICE="00_hello 01_pointers 27_softmax 33_flash_attention"
copy() {
    rm -rf "$work/wb" "$LLMLINGS_STATE_DIR"
    mkdir -p "$work/wb"
    local paths=(exercises/common)
    for ex in $SLICE; do paths+=("exercises/$ex" "solutions-private/$ex"); done
    (cd "$repo" && git ls-files -z "${paths[@]}" |
        xargs -0 -I{} cp --parents {} "$work/wb/")
    "$py" - "$repo/exercises/manifest.json" "$work/wb/exercises/manifest.json" $SLICE <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] in sys.argv[3:]]
json.dump(m, open(sys.argv[2], "w"), indent=2)
PY
}

# expect NAME WANT_CODE NEEDLE -- CMD...: runs CMD, checks code and output.
expect() {
    local name=$1 want=$2 needle=$3
    shift 4
    local out code
    out=$("$@" 2>&1)
    code=$?
    if [ "$code" != "$want" ]; then
        bad "$name" "exit $code, expected $want; output:
$out"
    elif [ -n "$needle" ] && ! grep -qF -- "$needle" <<<"$out"; then
        bad "$name" "output lacks \"$needle\":
$out"
    else
        ok "$name"
    fi
}

echo "== grader command line"

copy
expect "starter workbook: 0/N, some-failed code" 1 "0/" -- \
    "$grader" --root "$work/wb" grade --json "$work/r.json"
if "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="llmlings-results/1"; assert d["score"]==0; assert all(e["verdict"]!="passed" for e in d["exercises"])' "$work/r.json"; then
    ok "results JSON is valid, versioned and scores 0"
else
    bad "results JSON" "$(cat "$work/r.json")"
fi

# Overlay the solutions: full marks, exit 0; then a warm run is cached.
(cd "$work/wb/solutions-private" && find . -type f -exec cp --parents {} ../exercises/ \;)
expect "solved workbook: full marks, exit 0" 0 "Everything passes" -- \
    "$grader" --root "$work/wb" grade --json "$work/r.json"
expect "warm run reuses every result" 0 "(unchanged)" -- \
    "$grader" --root "$work/wb" grade
if "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["score"]==d["max_score"]>0' "$work/r.json"; then
    ok "solved JSON has score == max_score"
else
    bad "solved JSON" "$(head -c 2000 "$work/r.json")"
fi

# A compile error is a verdict naming the student's file, not a crash.
copy
echo 'int add(int a, int b) { return a + } ' >"$work/wb/exercises/00_hello/hello.c"
expect "compile error: build_error with the student's path" 1 \
    "exercises/00_hello/hello.c:1" -- "$grader" --root "$work/wb" check 00_hello

# Manifest mistakes: one clear line, exit 2.
copy
printf '{ "format": 1, \n "exercises": [ oops ] }' >"$work/wb/exercises/manifest.json"
expect "broken manifest JSON: line and exit 2" 2 \
    "exercises/manifest.json:2: not valid JSON" -- "$grader" --root "$work/wb" list

copy
rm "$work/wb/exercises/00_hello/test_hello.c"
expect "missing test file: exercise, field, file" 2 \
    'exercise 0 "00_hello": field "tests": file exercises/00_hello/test_hello.c does not exist' -- \
    "$grader" --root "$work/wb" grade

copy
expect "unknown exercise: usage error" 2 'no exercise "99_nope"' -- \
    "$grader" --root "$work/wb" check 99_nope
expect "unknown command: usage error" 2 'unknown command "frobnicate"' -- \
    "$grader" --root "$work/wb" frobnicate
# Arguments are quoted with their control characters shown (issue 30):
# never a raw escape sequence or a second line from what was typed.
out=$("$grader" --root "$work/wb" check $'9\e[2J\n_x' 2>&1; "$grader" --root "$work/wb" $'fr\e]0;x\a' 2>&1;
    "$grader" --root "$work/wb" report --format json --bogus$'\r' 2>&1)
if ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' <<<"$out" && grep -qF 'no exercise "9\e[2J\n_x"' <<<"$out" &&
    grep -qF 'unknown command "fr\e]0;x\x07"' <<<"$out" && grep -qF -- '--bogus\r' <<<"$out"; then
    ok "hostile arguments: control characters shown, not sent to the terminal"
else
    bad "hostile arguments" "$(od -c <<<"$out" | head -20)"
fi
expect "outside a workbook: usage error" 2 "no workbook here" -- \
    "$grader" --root / list
expect "a command's --help: its usage, no workbook needed" 0 \
    "usage: grader check [EX]" -- "$grader" --root / check --help
expect "a wrong argument: the command's usage" 2 "usage: grader list" -- \
    "$grader" --root "$work/wb" list extra
help=$("$grader" help)
missing=""
for c in watch list next check hint grade reset compile-commands report \
    leaderboard verify pin export; do
    grep -q "^  $c\b" <<<"$help" || missing="$missing $c"
    "$grader" "$c" --help 2>&1 | grep -q "^usage: grader $c\b" || missing="$missing $c--help"
done
[ -z "$missing" ] && ok "help lists every command; each answers --help" ||
    bad "help" "missing:$missing
$help"

# As root, builds live outside the workbook, in /tmp/llmlings-root/<hash>;
# the folder of a workbook that is gone is removed the next time the grader
# opens any workbook. Folders it cannot tell the owner of, and links, stay.
if [ "$(id -u)" = 0 ]; then
    base=/tmp/llmlings-root
    copy
    mkdir -p "$work/other"
    cp -r "$work/wb/." "$work/other/"
    "$grader" --root "$work/other" list >/dev/null 2>&1
    other=$(realpath "$work/other")
    other_build=$(grep -lxF -- "$other" "$base"/*/workbook 2>/dev/null | head -1)
    norecord=$(mktemp -d "$base/cli-test-norecord.XXXXXX")
    mkdir -p "$work/victim"
    printf '/nonexistent/llmlings-workbook' >"$work/victim/workbook"
    ln -s "$work/victim" "$base/cli-test-link.$$"
    rm -rf "$work/other"
    "$grader" --root "$work/wb" list >/dev/null 2>&1
    if [ -n "$other_build" ] && [ ! -e "$(dirname "$other_build")" ]; then
        ok "build folder of a deleted workbook removed at the next run"
    else
        bad "stale build folder" "record: '${other_build:-none}'; left: $(ls "$base")"
    fi
    wb_build=$(grep -lxF -- "$(realpath "$work/wb")" "$base"/*/workbook 2>/dev/null)
    if [ -n "$wb_build" ] && [ -d "$norecord" ] && [ -f "$work/victim/workbook" ] &&
        [ -L "$base/cli-test-link.$$" ]; then
        ok "live, unrecorded and linked build folders are kept"
    else
        bad "sweep removed too much" "own: '${wb_build:-none}'; $(ls -la "$base" | head -20)"
    fi
    rm -rf "$norecord" "$base/cli-test-link.$$"
fi

echo "== verify: instructor mutants and variants"
# 00_hello with made-up patches: one mutant a test catches, one that only
# adds a comment (survives), one that does not apply, and a "variant" that
# is really a mistake (fails); graded two at a time.
copy
sp="$work/wb/solutions-private/00_hello"
rm -rf "$sp/mutants" "$sp/variants"
mkdir -p "$sp/mutants" "$sp/variants"
cp "$repo/solutions-private/00_hello/mutants/add_subtracts.patch" "$sp/mutants/"
expect "verify: a mutant a test catches is killed" 0 "mutants 1/1 killed" -- \
    env LLMLINGS_VERIFY_JOBS=2 "$grader" --root "$work/wb" verify 00_hello
cp "$repo/solutions-private/00_hello/variants/greet_by_hand.patch" "$sp/variants/"
expect "verify --judge: a variant passes in judge mode too" 0 "variants 1/1 pass (judge mode 1/1)" -- \
    env LLMLINGS_VERIFY_JOBS=2 "$grader" --root "$work/wb" verify --judge 00_hello
rm "$sp/variants/greet_by_hand.patch"
line=$(grep -n 'return a + b;' "$sp/hello.c" | head -1 | cut -d: -f1)
printf 'Mutant: only a comment differs\n--- a/hello.c\n+++ b/hello.c\n@@ -%s,1 +%s,1 @@\n-    return a + b;\n+    return a + b; /* same */\n' \
    "$line" "$line" >"$sp/mutants/comment_only.patch"
printf 'Mutant: not this file\n--- a/hello.c\n+++ b/hello.c\n@@ -1,1 +1,1 @@\n-no such line\n+x\n' \
    >"$sp/mutants/stale.patch"
sed 's/^Mutant:/Variant:/' "$repo/solutions-private/00_hello/mutants/add_subtracts.patch" \
    >"$sp/variants/subtracts.patch"
out=$(LLMLINGS_VERIFY_JOBS=2 "$grader" --root "$work/wb" verify 00_hello 2>&1)
code=$?
if [ "$code" = 1 ] && grep -qF "mutants 1/3 killed" <<<"$out" &&
    grep -qF "mutant comment_only.patch survives every test" <<<"$out" &&
    grep -qF "stale.patch does not apply" <<<"$out" &&
    grep -qF "variant subtracts.patch" <<<"$out" && grep -qF "NOT PROVEN" <<<"$out"; then
    ok "verify: a surviving mutant, a stale patch and a failing variant are each named, and verify fails"
else
    bad "verify: mutants and variants" "exit $code; output:
$out"
fi

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
