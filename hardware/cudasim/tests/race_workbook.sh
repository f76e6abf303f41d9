#!/usr/bin/env bash
# race_workbook.sh: the race tier on the reference solution of every CUDA
# exercise of the workbook. Every test must pass there without a single
# race report: the race tier must not accuse correct kernels, whether or
# not the manifest turns the race tier on for the exercise.
#
#   race_workbook.sh [WORK_DIR]      (from anywhere; hardware/ built first)
#
# Exit 0 when every test of every exercise passes without a report, 1
# otherwise; 0 with a note when solutions-private/ is absent (a student's
# copy of the workbook).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="${1:-$root/hardware/build/race-workbook}"
if [ ! -d "$root/solutions-private" ]; then
    echo "race_workbook: no solutions-private/ here: nothing to check"
    exit 0
fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# "ID edit1,edit2 test1,test2" for every exercise of kind cuda.
exercises="$("$py" - "$root/exercises/manifest.json" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["exercises"]:
    if e.get("kind") == "cuda":
        print(e["id"], ",".join(e["edit"]), ",".join(e["tests"]))
PY
)"

mkdir -p "$work"
work="$(cd "$work" && pwd)"
bad=0
printf '%-26s %6s %8s %6s %8s\n' exercise tests passed races seconds
while read -r id edits tests; do
    ex="$root/exercises/$id"
    sol="$root/solutions-private/$id"
    srcs=()
    for f in ${edits//,/ }; do
        case "$f" in *.cu | *.c | *.cpp) srcs+=("$sol/$f") ;; esac
    done
    for f in ${tests//,/ }; do srcs+=("$ex/$f"); done
    bin="$work/$id.race"
    start=$(date +%s)
    if ! "$root/hardware/cudasim/cudasim-cc" --tsan -o "$bin" -I "$ex" \
        -I "$root/exercises/common" --c "$root/exercises/common/llmlings_harness.c" \
        "${srcs[@]}" >"$work/$id.build.log" 2>&1; then
        echo "$id: the race-tier build failed:"
        tail -20 "$work/$id.build.log"
        bad=1
        continue
    fi
    n=0 passed=0 races=0
    for t in $("$bin" --list); do
        n=$((n + 1))
        rc=0
        (cd "$work" && TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
            LL_EXERCISE_DIR="$ex" "$bin" --filter "$t") \
            >"$work/$id.run.log" 2>&1 || rc=$?
        if [ $rc = 0 ]; then
            passed=$((passed + 1))
        else
            [ $rc = 66 ] && races=$((races + 1))
            echo "$id $t: exit status $rc"
            grep -A12 "WARNING: ThreadSanitizer" "$work/$id.run.log" | head -14 ||
                tail -5 "$work/$id.run.log"
            bad=1
        fi
    done
    printf '%-26s %6d %8d %6d %8d\n' "$id" "$n" "$passed" "$races" \
        $(($(date +%s) - start))
done <<<"$exercises"
exit $bad
