#!/bin/sh
# ncu_counters.sh: the simulator's memory-traffic counters against a real
# GPU's, on the kernels whose counts are known by hand
# (cudasim/tests/counter_kernels.cu).
#
#   sh hardware/nvcc/ncu_counters.sh [OUT_DIR]
#
# Builds cudasim/tests/counter_cases.c with the simulator (expected and
# simulated counts) and with nvcc, runs the nvcc build under Nsight Compute
# (`ncu --metrics`, the metrics ncu_compare.py names), and prints one table:
# kernel, counter, expected, simulator, GPU. Exit status: 0 every count
# the GPU measured equals the simulator's; 1 some differ (the table says
# which); 77 no usable GPU, no nvcc or no ncu (the reason is printed).
# Nsight Compute needs access to the GPU's performance counters: as root,
# or with the driver's NVreg_RestrictProfilingToAdminUsers=0.
set -eu
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/build/ncu}"
tests="$here/cudasim/tests"
nvcc="${NVCC:-$(command -v nvcc 2>/dev/null || echo /usr/local/cuda/bin/nvcc)}"
ncu="${NCU:-$(command -v ncu 2>/dev/null || echo /usr/local/cuda/bin/ncu)}"
py="$(command -v python3)"
mkdir -p "$out"

make -s -C "$here" build/probe build/counter_cases >/dev/null
"$here/build/counter_cases" >"$out/simulator.tsv" || {
    echo "the simulator's counts differ from the expected ones:" >&2
    cat "$out/simulator.tsv" >&2
    exit 1
}
if ! "$here/build/probe" --json | grep -q '"usable": true'; then
    reason="$("$here/build/probe" --json |
        sed -n 's/.*"reason": "\([^"]*\)".*/\1/p')"
    echo "${reason:-no usable GPU: unknown reason}"
    exit 77
fi
[ -x "$nvcc" ] || { echo "no nvcc: cannot build for the GPU"; exit 77; }
[ -x "$ncu" ] || { echo "no ncu (Nsight Compute): cannot read the GPU's counters"; exit 77; }

# -O3 as for any release build; -lineinfo lets ncu name source lines.
"$nvcc" -std=c++17 -O3 -lineinfo -I"$tests" -x cu \
    "$tests/counter_kernels.cu" "$tests/counter_cases.c" -o "$out/counter_cases_gpu"
metrics="$("$py" "$here/nvcc/ncu_compare.py" --metrics)"
"$ncu" --metrics "$metrics" --csv --page details \
    --kernel-name-base function --print-units base \
    "$out/counter_cases_gpu" >"$out/ncu.csv"
exec "$py" "$here/nvcc/ncu_compare.py" "$out/simulator.tsv" "$out/ncu.csv"
