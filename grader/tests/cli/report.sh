#!/usr/bin/env bash
# Command-line checks of `grader report` and `grader leaderboard` on the
# committed fixture: every format parses as what it claims to be (JSON,
# XML), carries the platform's field names, and bad input gives exit 2
# with one line. Needs grader/build/grader and /usr/bin/python3.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="$repo/grader/build/grader"
fixture="$repo/grader/tests/fixtures/results-sample.json"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

echo "== grader report / leaderboard command line"
# pycheck NAME FILE PYTHON: runs PYTHON with d = the parsed file.
pycheck() {
    local name=$1 file=$2 code=$3 out
    if out=$("$py" - "$file" 2>&1 <<EOF2
import json, sys, xml.etree.ElementTree as ET
path = sys.argv[1]
d = (ET.parse(path).getroot() if path.endswith(".xml")
     else None if path.endswith(".txt") else json.load(open(path)))
$code
EOF2
    ); then ok "$name"; else bad "$name" "$out"; fi
}

for f in json gradescope classroom junit; do
    ext=json
    [ "$f" = junit ] && ext=xml
    if "$grader" report --format "$f" --out "$work/$f.$ext" "$fixture"; then
        ok "report --format $f writes a file"
    else
        bad "report --format $f" "exit $?"
    fi
done
"$grader" report --format opencamp --name alice --course-id 1558 "$fixture" >"$work/opencamp.json"
# The same document, except that control characters read back (the
# fixture's \r that would forge a workflow command) show as U+FFFD.
pycheck "json: the same document back (a CR read as U+FFFD)" "$work/json.json" \
    'src = json.loads(open("'"$fixture"'").read().replace("\\r", "\\ufffd"))
assert d == src, "differs"'
pycheck "gradescope: score, execution_time, tests[name,score,max_score,status,output,visibility], leaderboard" \
    "$work/gradescope.json" '
assert d["score"] == 41.666 and "execution_time" in d
assert {"name","score","max_score","status","output","visibility","number"} <= set(d["tests"][0])
assert [t["status"] for t in d["tests"]].count("failed") == 3
assert abs(sum(t["score"] for t in d["tests"]) - d["score"]) < 1e-6
assert abs(sum(t["max_score"] for t in d["tests"]) - 65) < 1e-6
assert {l["name"] for l in d["leaderboard"]} == {"15_matmul_fast gflops", "15_matmul_fast ratio_vs_openblas"}'
pycheck "classroom: version 1, status, max_score, tests[name,status,score,message,...]" \
    "$work/classroom.json" '
assert d["version"] == 1 and d["status"] == "fail" and d["max_score"] == 65
assert set(d["tests"][0]) == {"name","status","score","message","test_code","filename","line_no","duration"}
assert [t["status"] for t in d["tests"]] == ["pass","pass","pass","fail","fail","fail","pass"]'
pycheck "junit: well-formed XML, counts, one testcase per test" "$work/junit.xml" '
assert d.tag == "testsuites" and d.get("tests") == "7" and d.get("failures") == "1" and d.get("errors") == "2"
cases = d.findall("./testsuite/testcase"); assert len(cases) == 7
f = d.find(".//testcase[@name=\"sum/evil\"]/failure"); assert "<b>" in f.get("message")
assert d.find(".//testcase[@name=\"index/col\"]/error").get("type") == "not_run"'
pycheck "opencamp: exactly {channel, courseId, ext, name, score, totalScore}" \
    "$work/opencamp.json" '
assert d == {"channel":"github","courseId":1558,"ext":"0123456789abcdef0123456789abcdef01234567","name":"alice","score":41.666,"totalScore":65}, d'

ann=$("$grader" report --format annotations "$fixture")
if [ "$(grep -c '^::' <<<"$ann")" = 2 ] && ! grep -v '^::error file=' <<<"$ann" | grep -q .; then
    ok "annotations: two ::error lines, nothing else starts a command"
else
    bad "annotations" "$ann"
fi

expect_code() { # NAME WANT CMD...
    local name=$1 want=$2 out code
    shift 2
    out=$("$@" 2>&1)
    code=$?
    if [ "$code" = "$want" ]; then ok "$name"; else bad "$name" "exit $code, want $want: $out"; fi
}
expect_code "report: unknown format is a usage error" 2 "$grader" report --format csv "$fixture"
expect_code "report: opencamp without --name is a usage error" 2 "$grader" report --format opencamp "$fixture"
expect_code "report: opencamp with a course id that is no number (the fixture's \"llmlings\") is a usage error" 2 \
    "$grader" report --format opencamp --name alice "$fixture"
expect_code "report: missing file, exit 2" 2 "$grader" report --format json "$work/nope.json"
echo '{"schema":"llmlings-results/1"' >"$work/broken.json"
expect_code "report: malformed results, exit 2" 2 "$grader" report --format json "$work/broken.json"
expect_code "leaderboard: no input is a usage error" 2 "$grader" leaderboard
mkdir -p "$work/class/bob"
cp "$fixture" "$work/class/alice.json"
cp "$fixture" "$work/class/bob/results.json"
cp "$work/broken.json" "$work/class/carol.json"
expect_code "leaderboard: a broken file is skipped, not fatal" 0 \
    "$grader" leaderboard --out "$work/site" "$work/class"
pycheck "leaderboard.json: two students, one skipped" "$work/site/leaderboard.json" '
assert [s["name"] for s in d["students"]] == ["alice","bob"], d["students"]
assert d["students"][0]["commit_time"] == "2026-11-19T21:15:00Z" and d["students"][0]["reached_source"] == "this run"
assert len(d["skipped"]) == 1 and d["skipped"][0]["file"].endswith("carol.json")'

# Hostile strings (invalid UTF-8, a NUL escape, terminal escapes, CR) in
# every field a format copies: every output is still valid UTF-8 of the
# kind it claims (pycheck parses it), with no control character but \n and \t (issue 30).
"$py" - "$work/hostile.json" <<'EOF2'
import sys
bad = b'x\xff\xc3(\\u0000\\u001b[2J\\r\\u0007y'
doc = (b'{"schema":"llmlings-results/1","score":1,"max_score":2,'
       b'"course":{"id":"' + bad + b'","title":"' + bad + b'"},'
       b'"provenance":{"commit":"' + bad + b'","author":"' + bad + b'"},'
       b'"integrity":{"ok":false,"added":["exercises/' + bad + b'"],"message":"' + bad + b'"},'
       b'"exercises":[{"id":"00_' + bad + b'","title":"' + bad + b'","chapter":0,'
       b'"verdict":"failed","score":1,"max_score":2,"message":"' + bad + b'",'
       b'"tests":[{"name":"s/' + bad + b'","verdict":"failed","score":1,"max_score":2,'
       b'"message":"' + bad + b'","output":"' + bad + b'","metrics":{"gflops":1}}]}]}')
open(sys.argv[1], "wb").write(doc)
EOF2
for f in json gradescope classroom junit summary annotations; do
    ext=json
    [ "$f" = junit ] && ext=xml
    [ "$f" = summary ] || [ "$f" = annotations ] && ext=txt
    if "$grader" report --format "$f" --out "$work/hostile-$f.$ext" "$work/hostile.json"; then
        pycheck "hostile strings: report --format $f is valid UTF-8 without control characters" \
            "$work/hostile-$f.$ext" '
raw = open(path, "rb").read(); text = raw.decode("utf-8")
assert not any(ord(c) < 32 and c not in "\n\t" or ord(c) == 127 for c in text), repr(text[:300])
assert "\ufffd" in text, "the bad bytes should show as U+FFFD"'
    else
        bad "report --format $f on hostile strings" "exit $?"
    fi
done
"$py" - "$work/dup.json" <<'EOF2'
import sys
ex = '{"id":"01_a","verdict":"passed","score":1,"max_score":1,"tests":[]}'
open(sys.argv[1], "w").write('{"schema":"llmlings-results/1","score":1,"max_score":2,"exercises":[%s,%s]}' % (ex, ex))
EOF2
expect_code "report: duplicate exercise ids, exit 2" 2 "$grader" report --format json "$work/dup.json"
out=$("$grader" report --format json "$work/dup.json" 2>&1)
case "$out" in *'exercise "01_a" appears twice'*) ok "report: the duplicate is named" ;;
*) bad "report: the duplicate is named" "$out" ;; esac

echo "   $passed passed, $failed failed"
[ "$failed" -eq 0 ]
