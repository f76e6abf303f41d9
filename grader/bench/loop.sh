#!/usr/bin/env bash
# loop.sh: the student loop's latency: from a saved change of the student's
# file to the verdict, as `grader check EX` gives it (the same pipeline
# `grader watch` runs on a save, minus its 40 ms wait for the editor to
# finish writing). Each round appends a new comment to the student's file,
# so every round is a content change the grader has not seen; the file is
# put back as it was at the end (also on Ctrl-C).
#
#   grader/bench/loop.sh [ROUNDS]      default 7 rounds per kind
#
# Kinds: c (00_hello, sanitizers on), cuda (17_cuda_vector_add on the CPU
# simulator), opencl (25_opencl_vadd on PoCL), each with its starter (a
# wrong answer), then the endless-loop case: 00_hello with both of its
# functions spinning forever, so that every test times out. Prints the
# median, min and max seconds per kind. LOOP_KINDS="c cuda" picks kinds.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
grader=grader/build/grader
rounds=${1:-7}
kinds=${LOOP_KINDS:-c cuda opencl endless}

declare -A EXERCISE=([c]=00_hello/hello.c [cuda]=17_cuda_vector_add/vector_add.cu
    [opencl]=25_opencl_vadd/vadd_host.c [endless]=00_hello/hello.c)

backup=$(mktemp -d)
restore() {
    for f in "$backup"/*; do
        [ -e "$f" ] || continue
        cp -p "$f" "exercises/$(basename "$f" | tr '%' '/')"
    done
    rm -rf "$backup"
}
trap restore EXIT
trap 'exit 130' INT TERM

# Seconds (3 decimals) `grader check` takes on the file as it is now.
time_check() {
    local id=$1 t0 t1
    t0=$(date +%s.%N)
    "$grader" check "$id" >/dev/null 2>&1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

# "median min max" of the numbers on stdin.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}

# Makes every function of hello.c spin before it returns.
make_endless() {
    sed -i 's/^{$/{\n    for (volatile int spin = 1; spin;) {\n    }/' "$1"
}

printf '%-8s %-22s %6s %7s %7s %7s\n' kind exercise rounds median min max
for kind in $kinds; do
    rel=${EXERCISE[$kind]:-}
    [ -n "$rel" ] || { echo "loop: no kind '$kind' (c cuda opencl endless)" >&2; exit 2; }
    id=${rel%%/*}
    file=exercises/$rel
    saved="$backup/$(echo "$rel" | tr '/' '%')"
    [ -e "$saved" ] || cp -p "$file" "$saved"
    cp -p "$saved" "$file"
    [ "$kind" = endless ] && make_endless "$file"
    n=$rounds
    [ "$kind" = endless ] && n=$(((rounds + 2) / 3)) # each one takes a timeout
    "$grader" check "$id" >/dev/null 2>&1 # the first build: not a save
    times=$(for i in $(seq "$n"); do
        printf '/* bench round %s %s */\n' "$i" "$(date +%s%N)" >>"$file"
        time_check "$id"
    done)
    read -r med min max < <(echo "$times" | stats)
    printf '%-8s %-22s %6s %7s %7s %7s\n' "$kind" "$id" "$n" "$med" "$min" "$max"
    cp -p "$saved" "$file"
done
