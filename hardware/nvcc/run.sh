#!/bin/sh
# run.sh: build a CUDA exercise with nvcc and run its tests on a real GPU.
#
#   sh hardware/nvcc/run.sh OUT_DIR EXERCISE_DIR [--filter SUITE/NAME]
#
# Builds OUT_DIR/test_gpu from every .cu file of the exercise folder (nvcc),
# its test_*.c files (nvcc, as CUDA C++), exercises/common/llmlings_harness.c
# (gcc) and Criterion, then runs it. Without a usable GPU (the probe decides:
# no driver, the stub library, no device), nothing is built and the script
# says "no usable GPU: <reason>" and exits 77, so the grader reports
# "skipped (needs hardware)" instead of a wrong answer.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$1"
ex="$2"
shift 2
nvcc="${NVCC:-$(command -v nvcc 2>/dev/null || echo /usr/local/cuda/bin/nvcc)}"
probe="$here/build/probe"
[ -x "$probe" ] || make -s -C "$here" build/probe >/dev/null
if ! "$probe" --json | grep -q '"usable": true'; then
    reason="$("$probe" --json | sed -n 's/.*"reason": "\([^"]*\)".*/\1/p')"
    echo "${reason:-no usable GPU: unknown reason}"
    exit 77
fi
[ -x "$nvcc" ] || { echo "no nvcc: cannot build for the GPU"; exit 77; }
common="$here/../exercises/common"
mkdir -p "$out"
gcc -std=c17 -g -O2 -I"$common" -c "$common/llmlings_harness.c" -o "$out/harness.o"
objs="$out/harness.o"
for f in "$ex"/*.cu "$ex"/test_*.c; do
    [ -e "$f" ] || continue
    o="$out/$(basename "$f").o"
    "$nvcc" -std=c++17 -g -O2 -x cu -I"$ex" -I"$common" -c "$f" -o "$o"
    objs="$objs $o"
done
# shellcheck disable=SC2086
"$nvcc" -o "$out/test_gpu" $objs -lcriterion -lm
exec "$out/test_gpu" "$@"
