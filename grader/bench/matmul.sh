#!/usr/bin/env bash
# matmul.sh: prints GFLOP/s of the naive matmul loop, the i-p-j loop, the
# fast matmul and single-threaded OpenBLAS sgemm, with ratios, all measured
# in one run (grader/bench/matmul_bench.c).
#
#   grader/bench/matmul.sh [N...]        default N = 256 512 1024
#
# The fast matmul is the reference solution when solutions-private/ is
# there (the instructor's checkout), otherwise the student's
# exercises/15_matmul_fast/matmul_fast.c. Flags are those the grader uses
# for kind c_perf: gcc -std=c17 -O3 -march=native.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ex=15_matmul_fast
kernel=$root/solutions-private/$ex/matmul_fast.c
[ -f "$kernel" ] || kernel=$root/exercises/$ex/matmul_fast.c
out=$root/grader/build/bench
mkdir -p "$out"

cflags=(-std=c17 -O3 -march=native -Wall -Wextra)
gcc "${cflags[@]}" -I"$root/exercises/$ex" \
    "$root/grader/bench/matmul_bench.c" "$kernel" \
    -o "$out/matmul_bench" -lopenblas -lm

echo "== matmul: ${kernel#"$root"/} (gcc ${cflags[*]})"
# no OpenBLAS thread pool at all: one thread against one thread
OPENBLAS_NUM_THREADS=1 "$out/matmul_bench" "$@"
