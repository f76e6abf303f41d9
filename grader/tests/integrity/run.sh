#!/usr/bin/env bash
# run.sh: integrity tests on real git repositories in a temporary folder.
# An "upstream" workbook (00_hello and 01_pointers of the real one, with
# their reference solutions) is committed and pinned (`grader pin`); each
# case clones it as a student would, changes something, grades, and checks
# the verdicts and the results JSON's "integrity" and "provenance" blocks
# (check.py). Also: grade --repo PATH --rev REV over three commits, reset,
# pin --check, and the student template export (no solution line leaks).
#
#   bash grader/tests/integrity/run.sh        (needs grader/build/grader)
#   KEEP=1 ... keeps the temporary folder; SHOW=1 prints each JSON block.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader=${GRADER:-$repo/grader/build/grader}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
work=$(mktemp -d /tmp/llmlings-integrity.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
export LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1
export GIT_AUTHOR_NAME="Ada Student" GIT_AUTHOR_EMAIL=ada@example.invalid
export GIT_COMMITTER_NAME="Ada Student" GIT_COMMITTER_EMAIL=ada@example.invalid
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git() { command git -c init.defaultBranch=main -c advice.detachedHead=false "$@"; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; printf '%s\n' "$2" | sed 's/^/       /' | head -40; }

# check NAME JSON EXPR...: asserts on the results document (check.py).
check() {
    local name=$1 json=$2
    shift 2
    local out
    if out=$("$py" "$here/check.py" "$json" "$@" 2>&1); then
        ok "$name"
        [ -n "${SHOW:-}" ] && printf '%s\n' "$out"
    else
        bad "$name" "$out"
    fi
}

# grade NAME DIR [ARGS...]: grades DIR into $work/NAME.json, keeps output.
grade() {
    local name=$1 dir=$2
    shift 2
    "$grader" --root "$dir" grade --json "$work/$name.json" "$@" >"$work/$name.out" 2>&1
    echo $? >"$work/$name.rc"
}
rc_of() { cat "$work/$1.rc"; }

# the reference files only (mutants/ and variants/ are folders of patches)
solve() { find "$up/solutions-private/$2" -maxdepth 1 -type f -exec cp -t "$1/exercises/$2/" {} +; }

echo "== integrity (real git repositories in $work)"
start=$(date +%s)

# ---- the upstream workbook ---------------------------------------------------
up=$work/upstream
mkdir -p "$up"
(cd "$repo" && git ls-files -z exercises/common exercises/00_hello \
    exercises/01_pointers exercises/manifest.json solutions-private/00_hello \
    solutions-private/01_pointers | xargs -0 -I{} cp --parents {} "$up/")
"$py" - "$up/exercises/manifest.json" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["exercises"] = [e for e in m["exercises"] if e["id"] in ("00_hello", "01_pointers")]
json.dump(m, open(p, "w"), indent=2)
PY
git -C "$up" init -q && git -C "$up" add -A && git -C "$up" commit -qm "workbook"
pin_out=$("$grader" --root "$up" pin 2>&1)
if [ $? -eq 0 ] && [ -f "$up/.llmlings-pin.json" ]; then ok "pin: $pin_out"; else bad "pin" "$pin_out"; fi
git -C "$up" add .llmlings-pin.json && git -C "$up" commit -qm "pin the pristine files"
out=$("$grader" --root "$up" pin --check 2>&1)
[ $? -eq 0 ] && ok "pin --check on the pinned workbook" || bad "pin --check" "$out"

student() { # student NAME: a fresh clone
    git clone -q "$up" "$work/$1"
    echo "$work/$1"
}

# ---- 0: an untouched clone: 0 points, integrity ok ---------------------------
s=$(student clean)
grade clean "$s"
check "clean clone: starters fail, integrity ok, provenance" "$work/clean.json" \
    'rc == 1' 'score == 0' 'ig["source"] == "pin"' 'ig["ok"] is True' \
    'ig["pristine_commit_present"] is True' 'pv["dirty"] is False' \
    'pv["branch"] == "main"' 'pv["author"] == "Ada Student <ada@example.invalid>"' \
    'len(pv["commit"]) == 40' 'pv["commit_time"].endswith("Z")' -- "$(rc_of clean)"

# ---- 1: modified test -----------------------------------------------------------
s=$(student modified)
cat >"$s/exercises/00_hello/test_hello.c" <<'C'
#include "llmlings.h"
LL_TEST(hello, always) { LL_CHECK_INT_EQ(1, 1); }
C
grade modified "$s"
check "modified test: pristine test graded (failed), listed, one-line notice" \
    "$work/modified.json" 'rc == 1' 'ex["00_hello"]["verdict"] == "failed"' \
    'ex["00_hello"]["tests_total"] == 3' \
    'ig["modified"] == ["exercises/00_hello/test_hello.c"]' 'ig["ok"] is False' \
    'pv["dirty"] is True' -- "$(rc_of modified)"
grep -q '^Integrity: 1 protected file differs .*exercises/00_hello/test_hello.c (modified)' \
    "$work/modified.out" && ok "modified test: the student sees one Integrity line" ||
    bad "notice line" "$(cat "$work/modified.out")"

# ---- 2: deleted test (with the solution: still graded, full marks) ----------------
s=$(student deleted)
solve "$s" 00_hello
rm "$s/exercises/00_hello/test_hello.c"
grade deleted "$s"
check "deleted test: pristine test still runs, solution passes" "$work/deleted.json" \
    'ex["00_hello"]["verdict"] == "passed"' 'ex["00_hello"]["tests_total"] == 3' \
    'ig["deleted"] == ["exercises/00_hello/test_hello.c"]' -- "$(rc_of deleted)"

# ---- 3: extra test file added ------------------------------------------------------
s=$(student added)
cat >"$s/exercises/00_hello/test_extra.c" <<'C'
#include "llmlings.h"
LL_TEST(extra, free_points) { LL_CHECK_INT_EQ(1, 1); }
C
grade added "$s"
check "extra test file: not compiled, listed as added" "$work/added.json" \
    'ex["00_hello"]["tests_total"] == 3' 'score == 0' \
    'ig["added"] == ["exercises/00_hello/test_extra.c"]' -- "$(rc_of added)"

# ---- 4: edited manifest (points and tests) -----------------------------------------
s=$(student manifest)
"$py" - "$s/exercises/manifest.json" <<'PY'
import json, sys
p = sys.argv[1]
m = json.load(open(p))
m["exercises"][0]["points"] = 500
m["exercises"][0]["tests"] = []
json.dump(m, open(p, "w"))
PY
grade manifest "$s"
check "edited manifest: pristine manifest used" "$work/manifest.json" \
    'ex["00_hello"]["max_score"] == 5' 'max_score == 15' \
    'ig["modified"] == ["exercises/manifest.json"]' -- "$(rc_of manifest)"

# ---- 5: detached HEAD ----------------------------------------------------------------
s=$(student detached)
solve "$s" 00_hello
git -C "$s" commit -qam "solve 00_hello"
git -C "$s" checkout -q --detach HEAD
grade detached "$s"
check "detached HEAD: graded, provenance says detached" "$work/detached.json" \
    'score == 5' 'pv["detached"] is True' '"branch" not in pv' \
    'pv["commit"] == git(s, "rev-parse", "HEAD")' 'ig["ok"] is True' \
    -- "$(rc_of detached)" "$s"

# ---- 6: shallow clone ------------------------------------------------------------------
# A student commits an edited test; a depth-1 clone of that has no pristine
# blob of it, so the exercise cannot be graded honestly: tampered. The
# other exercise is graded as usual, and the pinned commit is absent.
s=$(student shallow_src)
solve "$s" 01_pointers
echo '/* edited */' >>"$s/exercises/00_hello/test_hello.c"
git -C "$s" commit -qam "edit a test, solve 01"
git clone -q --depth 1 "file://$s" "$work/shallow"
grade shallow "$work/shallow"
check "shallow clone with an edited test: that exercise tampered, the rest graded" \
    "$work/shallow.json" 'pv["shallow"] is True' \
    'ig["pristine_commit_present"] is False' \
    'ex["00_hello"]["verdict"] == "tampered"' 'ex["01_pointers"]["verdict"] == "passed"' \
    'ig["unrestorable"] == ["exercises/00_hello/test_hello.c"]' -- "$(rc_of shallow)"
git clone -q --depth 1 "file://$work/detached" "$work/shallow_ok" 2>/dev/null ||
    git clone -q --depth 1 "file://$up" "$work/shallow_ok"
grade shallow_ok "$work/shallow_ok"
check "shallow clone, nothing edited: pinned blobs found, integrity ok" \
    "$work/shallow_ok.json" 'ig["ok"] is True' 'ig["source"] == "pin"' -- "$(rc_of shallow_ok)"

# ---- 7: a copy with no .git at all: the pin is a hash manifest ----------------------------
mkdir -p "$work/nogit"
(cd "$work/clean" && tar --exclude=.git -cf - .) | (cd "$work/nogit" && tar -xf -)
solve "$work/nogit" 00_hello
grade nogit "$work/nogit"
check "no .git, untouched tests: hash manifest verifies, solution passes" \
    "$work/nogit.json" 'ig["source"] == "hash_manifest"' 'ig["ok"] is True' \
    'ex["00_hello"]["verdict"] == "passed"' 'pv["commit"] is None' -- "$(rc_of nogit)"
echo '// tweak' >>"$work/nogit/exercises/00_hello/test_hello.c"
grade nogit_edit "$work/nogit"
check "no .git, edited test: no pristine copy, exercise tampered" \
    "$work/nogit_edit.json" 'ex["00_hello"]["verdict"] == "tampered"' \
    'ig["unrestorable"] == ["exercises/00_hello/test_hello.c"]' \
    'ex["01_pointers"]["verdict"] == "failed"' -- "$(rc_of nogit_edit)"
out=$("$grader" --root "$work/nogit" reset 00_hello --yes 2>&1)
[ $? -eq 2 ] && grep -q "no .git" <<<"$out" && ok "reset without .git: refused, one line" ||
    bad "reset without git" "$out"

# ---- 8: grade --repo --rev over three commits -----------------------------------------------
s=$(student three)
git -C "$s" commit -q --allow-empty -m "start"
c1=$(git -C "$s" rev-parse HEAD)
solve "$s" 00_hello
git -C "$s" commit -qam "solve 00_hello"
c2=$(git -C "$s" rev-parse HEAD)
solve "$s" 01_pointers
echo '// I was here' >>"$s/exercises/01_pointers/test_pointers.c"
git -C "$s" commit -qam "solve 01_pointers (and touch its test)"
c3=$(git -C "$s" rev-parse HEAD)
git -C "$s" checkout -q "$c1" # the working tree is at the first commit
i=0
for c in "$c1" "$c2" "$c3"; do
    i=$((i + 1))
    t0=$(date +%s.%N)
    grade "rev$i" "$up" --repo "$s" --rev "$c"
    t1=$(date +%s.%N)
    echo "       rev$i ${c:0:12}: $(grep -o '[0-9.]*/15 points' "$work/rev$i.out") in $(printf '%.1f' "$(echo "$t1 - $t0" | bc)") s"
done
check "--rev commit 1: 0/15" "$work/rev1.json" 'score == 0' 'pv["graded"] == "commit"' \
    "pv[\"commit\"] == \"$c1\"" 'pv["dirty"] is False' -- "$(rc_of rev1)"
check "--rev commit 2: 5/15" "$work/rev2.json" 'score == 5' "pv[\"commit\"] == \"$c2\"" -- "$(rc_of rev2)"
check "--rev commit 3: 15/15, touched test listed, not used" "$work/rev3.json" 'score == 15' \
    'ig["modified"] == ["exercises/01_pointers/test_pointers.c"]' 'rc == 0' -- "$(rc_of rev3)"
[ "$(git -C "$s" rev-parse HEAD)" = "$c1" ] && git -C "$s" diff --quiet &&
    ok "--rev left the student's checkout alone" || bad "--rev checkout" "$(git -C "$s" status)"
grade rev_branch "$up" --repo "$s" --rev main~1
check "--rev main~1 (a rev expression): 5/15" "$work/rev_branch.json" 'score == 5' -- "$(rc_of rev_branch)"
out=$("$grader" --root "$up" grade --repo "$s" --rev no-such-rev 2>&1)
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q 'no commit "no-such-rev"' <<<"$out" &&
    ok "nonexistent rev: exit 2, one line: $out" || bad "nonexistent rev (exit $rc)" "$out"
out=$("$grader" --root "$up" grade --repo "$work/nogit" --rev HEAD 2>&1)
[ $? -eq 2 ] && grep -q "not a git repository" <<<"$out" &&
    ok "--repo of a folder without git: exit 2: $out" || bad "--repo no git" "$out"

# ---- 8b: editable paths that are not plain files ------------------------------------------
# A link (the file, or its exercise folder) is never followed: tampered, with
# the path named; a FIFO, a folder or an over-large file is not read: a build
# error that says so; never a silent starter grade.
outside=$work/outside && mkdir -p "$outside" && cp "$up/solutions-private/00_hello/hello.c" "$outside/"
s=$(student link_file)
rm "$s/exercises/00_hello/hello.c" && ln -s "$outside/hello.c" "$s/exercises/00_hello/hello.c"
grade link_file "$s"
check "editable file is a symlink: tampered, named, not followed" "$work/link_file.json" \
    'ex["00_hello"]["verdict"] == "tampered"' 'ex["00_hello"]["score"] == 0' \
    '"exercises/00_hello/hello.c is a symbolic link" in ex["00_hello"]["message"]' \
    'ig["linked_editable"] == ["exercises/00_hello/hello.c"]' 'ig["ok"] is False' \
    'ex["01_pointers"]["verdict"] == "failed"' -- "$(rc_of link_file)"
s=$(student link_dir)
mkdir -p "$outside/ex00" && cp -r "$s/exercises/00_hello/." "$outside/ex00/" && cp "$up/solutions-private/00_hello/hello.c" "$outside/ex00/"
rm -rf "$s/exercises/00_hello" && ln -s "$outside/ex00" "$s/exercises/00_hello"
grade link_dir "$s"
check "exercise folder is a symlink: tampered, not read through the link" "$work/link_dir.json" \
    'ex["00_hello"]["verdict"] == "tampered"' 'ex["00_hello"]["score"] == 0' \
    '"lies in a folder that is one" in ex["00_hello"]["message"]' -- "$(rc_of link_dir)"
s=$(student link_rev)
rm "$s/exercises/00_hello/hello.c" && ln -s "$outside/hello.c" "$s/exercises/00_hello/hello.c"
git -C "$s" add -A && git -C "$s" commit -qm "link"
grade link_rev "$up" --repo "$s" --rev HEAD --no-judge
check "--rev: an editable file committed as a symlink: tampered" "$work/link_rev.json" \
    'ex["00_hello"]["verdict"] == "tampered"' 'ig["linked_editable"] == ["exercises/00_hello/hello.c"]' \
    -- "$(rc_of link_rev)"
s=$(student fifo)
rm "$s/exercises/00_hello/hello.c" && mkfifo "$s/exercises/00_hello/hello.c"
t0=$(date +%s)
grade fifo "$s"
[ $(( $(date +%s) - t0 )) -lt 60 ] && ok "a FIFO as editable file does not block the grader" || bad "fifo" "took $(( $(date +%s) - t0 )) s"
check "editable file is a FIFO: build error saying so" "$work/fifo.json" \
    'ex["00_hello"]["verdict"] == "build_error"' \
    '"not a regular file" in ex["00_hello"]["message"]' \
    'ig["unusable_editable"] == ["exercises/00_hello/hello.c"]' -- "$(rc_of fifo)"
s=$(student big)
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' '/' >"$s/exercises/00_hello/hello.c"
git -C "$s" commit -qam "a 2 MiB file"
grade big "$s"
check "editable file over the limit (2 MiB): build error saying so" "$work/big.json" \
    'ex["00_hello"]["verdict"] == "build_error"' '"larger than the grader reads" in ex["00_hello"]["message"]' \
    -- "$(rc_of big)"
grade big_rev "$up" --repo "$s" --rev HEAD --no-judge
check "--rev: an editable file over the limit: build error saying so" "$work/big_rev.json" \
    'ex["00_hello"]["verdict"] == "build_error"' '"larger than the grader reads" in ex["00_hello"]["message"]' \
    -- "$(rc_of big_rev)"

# ---- 9: reset ------------------------------------------------------------------------------
s=$work/detached
before=$(cat "$s/exercises/00_hello/hello.c")
out=$(echo n | "$grader" --root "$s" reset 00_hello 2>&1)
[ $? -eq 1 ] && [ "$(cat "$s/exercises/00_hello/hello.c")" = "$before" ] &&
    ok "reset answered n: nothing changed" || bad "reset n" "$out"
out=$(echo y | "$grader" --root "$s" reset 00_hello 2>&1)
cmp -s "$s/exercises/00_hello/hello.c" "$up/exercises/00_hello/hello.c" &&
    ok "reset answered y: the starter is back" || bad "reset y" "$out"
echo 'int broken' >"$s/exercises/00_hello/hello.c"
out=$("$grader" --root "$s" reset 00_hello --yes 2>&1)
cmp -s "$s/exercises/00_hello/hello.c" "$up/exercises/00_hello/hello.c" &&
    ok "reset --yes: no question, starter back" || bad "reset --yes" "$out"
out=$("$grader" --root "$s" reset 00_hello --yes 2>&1)
grep -q "already holds its starter" <<<"$out" && ok "reset of an untouched exercise: says so" ||
    bad "reset again" "$out"
out=$("$grader" --root "$s" reset 99_nope --yes 2>&1)
[ $? -eq 2 ] && ok "reset of an unknown exercise: exit 2" || bad "reset unknown" "$out"

# ---- 10: a stale pin is caught ---------------------------------------------------------------
echo '// upstream changed a test' >>"$up/exercises/00_hello/test_hello.c"
out=$("$grader" --root "$up" pin --check 2>&1)
[ $? -eq 1 ] && grep -q "is stale" <<<"$out" && ok "pin --check: stale pin caught" ||
    bad "stale pin" "$out"
git -C "$up" checkout -q -- exercises

# ---- 11: the student template export of the real repository ------------------------------------
if git -C "$repo" rev-parse -q --verify HEAD >/dev/null; then
    t0=$(date +%s)
    out=$("$grader" --root "$repo" export "$work/export" 2>&1)
    if [ $? -eq 0 ]; then ok "export: $out ($(($(date +%s) - t0)) s)"; else bad "export" "$out"; fi
    [ ! -e "$work/export/solutions-private" ] && [ -f "$work/export/.llmlings-pin.json" ] &&
        [ -d "$work/export/.git" ] && ok "export: no solutions-private/, pinned, a git repository" ||
        bad "export layout" "$(ls -a "$work/export")"
    out=$("$py" "$here/no_solution_lines.py" "$repo" "$work/export" 2>&1)
    [ $? -eq 0 ] && ok "export: $out" || bad "solution lines leaked" "$out"
    mkdir -p "$work/leaky"
    cp -r "$work/export/lectures" "$work/leaky/"
    cp "$repo/solutions-private/14_matmul/matmul.c" "$work/leaky/lectures/oops.c"
    out=$("$py" "$here/no_solution_lines.py" "$repo" "$work/leaky" 2>&1)
    [ $? -eq 1 ] && grep -q "oops.c" <<<"$out" && ok "export check: a planted solution file is caught" ||
        bad "leak check catches a leak" "$out"
    out=$("$grader" --root "$work/export" pin --check 2>&1)
    [ $? -eq 0 ] && ok "export: its pin matches its files" || bad "export pin" "$out"
else
    echo "  skip export: $repo has no commit"
fi

echo "== integrity: $passed passed, $failed failed ($(($(date +%s) - start)) s)"
[ "$failed" -eq 0 ]
