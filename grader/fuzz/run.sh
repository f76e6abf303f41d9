#!/usr/bin/env bash
# run.sh TARGET...: runs each libFuzzer target (build/fuzz/fuzz_TARGET) for
# FUZZ_SECONDS (default 30) on a working copy of its seed corpus
# (build/fuzz-corpus/TARGET, new inputs kept there between runs; seeds from
# fuzz/corpus/TARGET), then prints one line per target: total runs and
# executions per second. The target "roster" is fuzz/roster.py (the roster
# check is bash: mutated rosters through ci.sh matrix, no libFuzzer). A crash leaves its input in
# build/fuzz-crashes/TARGET-*: fix the bug, then commit the input under
# fuzz/crashes/TARGET/ (a regression test from then on, `make test`).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
mkdir -p build/fuzz-crashes build/fuzz-logs
summary=()
failed=0
for t in "$@"; do
    work=build/fuzz-corpus/$t
    mkdir -p "$work"
    dict=()
    [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
    log=build/fuzz-logs/$t.log
    echo "== fuzz $t: ${seconds} s"
    if [ "$t" = roster ]; then
        /usr/bin/python3 fuzz/roster.py fuzz "$seconds" fuzz/corpus/roster >"$log" 2>&1
    else
        build/fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 "${dict[@]}" \
            -artifact_prefix="build/fuzz-crashes/$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1
    fi
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    seeds=$(find "fuzz/corpus/$t" "fuzz/crashes/$t" -type f 2>/dev/null | wc -l)
    line=$(printf '%-12s %10s runs %8s exec/s  %4s kept inputs' "$t" "${runs:-?}" "${rate:-?}" "$seeds")
    if [ $rc -ne 0 ]; then
        failed=$((failed + 1))
        line="$line  CRASH (rc $rc; see $log and build/fuzz-crashes/)"
        tail -30 "$log"
    fi
    summary+=("$line")
done
echo "== fuzz summary (${seconds} s per target)"
printf '  %s\n' "${summary[@]}"
[ $failed -eq 0 ]
