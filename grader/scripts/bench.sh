#!/usr/bin/env bash
# bench.sh: runs every benchmark under grader/bench/*.sh (matmul, engine...)
# and prints their figures. Benchmarks measure ratios inside one run, so a
# noisy machine moves both sides together. `make bench WHAT=matmul` runs one.
set -uo pipefail
cd "$(dirname "$0")/../.."
shopt -s nullglob
what=${1:-}
ran=0
for b in grader/bench/*.sh; do
    name=$(basename "$b" .sh)
    [ -n "$what" ] && [ "$what" != "$name" ] && continue
    echo "== bench: $name"
    bash "$b" || echo "bench $name failed (exit $?)" >&2
    ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "no benchmark matched '${what}'" >&2; exit 2; }
