#!/usr/bin/env bash
# The GitHub Actions workflows, exercised locally: every `run:` step of
# .github/workflows/grade.yml and leaderboard.yml must be `make <target>`,
# and each of those targets is run here on a small throw-away workbook
# (00_hello with hostile output, 01_pointers), with GITHUB_STEP_SUMMARY and
# GITHUB_OUTPUT pointing at files and a local stand-in for the leaderboard
# API, the way the runner would see them.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null' EXIT
export LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1
unset GITHUB_STEP_SUMMARY GITHUB_OUTPUT LEADERBOARD_URL LEADERBOARD_TOKEN GITHUB_ACTOR GITHUB_SHA
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | head -30 | sed 's/^/       /'; }
mk() { make --no-print-directory -C "$repo" "$@"; }

echo "== workflows (every run: step is a make target, run here)"

# 1. Every shell step of both workflows is `make TARGET [VAR=...]`, and
#    this script covers each target.
covered="ci-grade ci-report ci-submit ci-matrix ci-shard ci-board"
if out=$("$py" - "$repo/.github/workflows/grade.yml" "$repo/.github/workflows/leaderboard.yml" "$covered" <<'EOF2'
import re, sys, yaml
covered = set(sys.argv[3].split())
seen = set()
for path in sys.argv[1:3]:
    wf = yaml.safe_load(open(path))
    for job, spec in wf["jobs"].items():
        for step in spec["steps"]:
            if "run" not in step:
                assert "uses" in step, (path, job, step)
                continue
            m = re.fullmatch(r"make (ci-[a-z]+)( [A-Z_]+=(\$\{\{ [a-z.]+ \}\}|[^\s$]+))*", step["run"].strip())
            assert m, "%s/%s: not a make target: %r" % (path, job, step["run"])
            assert m.group(1) in covered, "%s is not covered by this test" % m.group(1)
            seen.add(m.group(1))
assert seen == covered, "steps use %s" % sorted(seen)
print(len(seen))
EOF2
); then ok "every run: step of both workflows is one of the $out tested make targets"; else bad "workflow steps" "$out"; fi

# 2. A small workbook: 00_hello (whose program prints forged workflow
#    commands) and 01_pointers.
wb="$work/wb"
mkdir -p "$wb"
(cd "$repo" && git ls-files -z exercises solutions-private | xargs -0 -I{} cp --parents {} "$wb/")
"$py" - "$wb/exercises/manifest.json" <<'EOF2'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] in ("00_hello", "01_pointers")]
json.dump(m, open(sys.argv[1], "w"), indent=2)
EOF2
cat >"$wb/exercises/00_hello/hello.c" <<'EOF2'
#include "hello.h"
#include <stdio.h>
int add(int a, int b)
{
    printf("::error file=forged.c,line=1::forged by the student\n");
    printf("::add-mask::x\n::stop-commands::mine\n");
    fflush(stdout);
    return a + b + 1; /* wrong, so the forged lines are reported */
}
size_t greet(char *out, size_t cap, const char *name)
{
    return (size_t)snprintf(out, cap, "Hello, %s!", name);
}
EOF2

# ci-grade: raw output between ::stop-commands::TOKEN and ::TOKEN::.
out=$(mk ci-grade WORKBOOK="$wb" RESULTS="$wb/results.json" 2>&1)
code=$?
if [ $code -eq 0 ] && [ -f "$wb/results.json" ] && "$py" - "$out" <<'EOF2'
import re, sys
lines = sys.argv[1].splitlines()
starts = [i for i, l in enumerate(lines) if re.fullmatch(r"::stop-commands::[0-9a-f]{32}", l)]
assert len(starts) == 1, "one stop-commands line"
token = lines[starts[0]].split("::")[2]
end = lines.index("::%s::" % token)
for i, l in enumerate(lines):
    if l.lstrip().startswith("::") and not starts[0] <= i <= end:
        raise SystemExit("a command outside the fence: %r" % l)
EOF2
then ok "ci-grade: graded (exit 0 with failures), raw output fenced by stop-commands"
else bad "ci-grade (exit $code)" "$out"; fi

# ci-report: summary into GITHUB_STEP_SUMMARY, only our annotations, exports.
export GITHUB_STEP_SUMMARY="$work/summary.md"
out=$(mk ci-report WORKBOOK="$wb" RESULTS="$wb/results.json" 2>&1)
code=$?
cmds=$(grep '^::' <<<"$out")
if [ $code -eq 0 ] && grep -q "points\*\*" "$GITHUB_STEP_SUMMARY" &&
    grep -q '| 0 | 0 / 1 | 3.333 / 5 |' "$GITHUB_STEP_SUMMARY" && [ -n "$cmds" ] &&
    ! grep -v '^::error file=exercises/0[01]_[a-z]*/[a-z_]*\.c,' <<<"$cmds" | grep -q . &&
    ! grep -q '^::error file=forged' <<<"$cmds" &&
    [ -s "$wb/results.junit.xml" ] && [ -s "$wb/results.gradescope.json" ] && [ -s "$wb/results.classroom.json" ]; then
    ok "ci-report: job summary written, $(wc -l <<<"$cmds") annotations at the failing checks, none forged; JUnit/Gradescope/Classroom files"
else
    bad "ci-report (exit $code)" "$out
--- summary:
$(cat "$GITHUB_STEP_SUMMARY" 2>/dev/null)"
fi
unset GITHUB_STEP_SUMMARY

# ci-submit: nothing without both secrets; with them, one POST of the
# opencamp payload with the token in the header and never in the log.
out=$(mk ci-submit WORKBOOK="$wb" RESULTS="$wb/results.json" LEADERBOARD_URL=http://127.0.0.1:9/x 2>&1)
if [ $? -eq 0 ] && grep -q "not submitting" <<<"$out"; then
    ok "ci-submit without both secrets: says so, sends nothing"
else bad "ci-submit without secrets" "$out"; fi
"$py" "$here/fake_leaderboard.py" "$work/port" "$work/post.json" &
srv=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
secret="s3cr3t-$RANDOM"
out=$(LEADERBOARD_URL="http://127.0.0.1:$(cat "$work/port")/web/api/courseRank/createByThird" \
    LEADERBOARD_TOKEN="$secret" GITHUB_ACTOR=alice GITHUB_SHA=abc123 LEADERBOARD_COURSE_ID=camp-1 \
    mk ci-submit WORKBOOK="$wb" RESULTS="$wb/results.json" 2>&1)
code=$?
wait "$srv" 2>/dev/null
srv=
if [ $code -eq 0 ] && ! grep -q "$secret" <<<"$out" && "$py" - "$work/post.json" "$secret" "$wb/results.json" <<'EOF2'
import json, sys
p = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[3]))
assert p["path"] == "/web/api/courseRank/createByThird", p
assert p["authorization"] == "Bearer " + sys.argv[2], p["authorization"]
assert p["content_type"] == "application/json"
assert p["body"] == {"channel": "github", "courseId": "camp-1", "ext": "abc123", "name": "alice",
                     "score": r["score"], "totalScore": r["max_score"]}, p["body"]
EOF2
then ok "ci-submit: POSTed {channel, courseId, ext, name, score, totalScore} with the bearer token, token not logged"
else bad "ci-submit with secrets (exit $code)" "$out
$(cat "$work/post.json" 2>/dev/null)"; fi

# ci-matrix: roster -> shards; bad lines reported and left out.
cat >"$work/roster.txt" <<EOF2
# comment
alice  file://$work/alice-repo
bob    file://$work/alice-repo  HEAD~1
../evil  $work/alice-repo
carol  --upload-pack=touch$IFS/tmp/x
EOF2
export GITHUB_OUTPUT="$work/gh_output"
out=$(mk ci-matrix ROSTER="$work/roster.txt" 2>&1)
if [ $? -eq 0 ] && grep -qx 'shards=2' "$GITHUB_OUTPUT" && grep -qx 'matrix={"shard":\[0,1\]}' "$GITHUB_OUTPUT" &&
    grep -q 'roster.txt:4: not' <<<"$out" && grep -q 'roster.txt:5: not' <<<"$out"; then
    ok "ci-matrix: 2 students -> matrix {\"shard\":[0,1]}; the 2 bad roster lines reported"
else bad "ci-matrix" "$out
$(cat "$GITHUB_OUTPUT")"; fi
printf '# nobody yet\n' >"$work/empty-roster.txt"
: >"$GITHUB_OUTPUT"
out=$(mk ci-matrix ROSTER="$work/empty-roster.txt" 2>&1)
if [ $? -eq 0 ] && grep -qx 'shards=0' "$GITHUB_OUTPUT"; then
    ok "ci-matrix: an empty roster gives shards=0 (the workflow then grades nothing)"
else bad "ci-matrix, empty roster" "$out"; fi
unset GITHUB_OUTPUT

# ci-shard: a student repository with three commits; graded without a
# checkout through `grade --repo --rev` (issue 4) when the grader has it.
git init -q "$work/alice-repo"
cp -r "$wb/exercises" "$work/alice-repo/"
(cd "$work/alice-repo" && git add -A && git -c user.name=a -c user.email=a@x commit -qm starter &&
    cp "$wb/solutions-private/01_pointers/"* exercises/01_pointers/ && git add -A &&
    git -c user.name=a -c user.email=a@x commit -qm "solve 01")
out=$(mk ci-shard WORKBOOK="$wb" ROSTER="$work/roster.txt" SHARD=0 SHARDS=2 OUT_DIR="$work/results" 2>&1)
code=$?
if grep -q "no grade --repo yet" <<<"$out"; then
    echo "  SKIP ci-shard grading: this grader has no \`grade --repo --rev\` yet (issue 4); roster and clone steps ran"
    [ $code -eq 0 ] && grep -q "ci: grading alice at HEAD" <<<"$out" && ok "ci-shard: shard 0 of 2 picks alice, clones, reports per student" ||
        bad "ci-shard (exit $code)" "$out"
elif [ $code -eq 0 ] && [ -s "$work/results/alice.json" ] && [ ! -e "$work/results/bob.json" ] &&
    out1=$(mk ci-shard WORKBOOK="$wb" ROSTER="$work/roster.txt" SHARD=1 SHARDS=2 OUT_DIR="$work/results" 2>&1) &&
    "$py" - "$work/results" "$(git -C "$work/alice-repo" rev-parse HEAD)" "$(git -C "$work/alice-repo" rev-parse HEAD~1)" <<'EOF2'
import json, sys
a = json.load(open(sys.argv[1] + "/alice.json")); b = json.load(open(sys.argv[1] + "/bob.json"))
verdict = lambda d: {e["id"]: e["verdict"] for e in d["exercises"]}["01_pointers"]
assert a["provenance"]["commit"] == sys.argv[2] and verdict(a) == "passed", a["provenance"]
assert b["provenance"]["commit"] == sys.argv[3] and verdict(b) != "passed", b["provenance"]
EOF2
then
    ok "ci-shard: shard 0 graded alice at her latest commit (01 passed), shard 1 bob at HEAD~1 (not passed)"
else
    bad "ci-shard (exit $code)" "$out
${out1:-}"
fi
rm -f "$work/results/alice.json" "$work/results/bob.json"

# ci-board: aggregate a folder of results into the site.
mkdir -p "$work/results"
cp "$wb/results.json" "$work/results/dave.json"
echo '{"broken": ' >"$work/results/eve.json"
export GITHUB_STEP_SUMMARY="$work/board-summary.md"
out=$(mk ci-board OUT_DIR="$work/results" SITE="$work/site" 2>&1)
if [ $? -eq 0 ] && [ -s "$work/site/index.html" ] && [ -s "$work/site/leaderboard.json" ] &&
    grep -q "| 1 | dave |" "$GITHUB_STEP_SUMMARY" && grep -q "skipped .*eve.json" <<<"$out"; then
    ok "ci-board: site/index.html + leaderboard.json, Markdown in the job summary, broken file skipped"
else bad "ci-board" "$out"; fi
unset GITHUB_STEP_SUMMARY

echo "   $passed passed, $failed failed"
[ "$failed" -eq 0 ]
