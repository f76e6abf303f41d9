#!/bin/sh
# test_ncu_compare.sh: ncu_compare.py on a Nsight Compute table made up
# from the simulator's own counts (no GPU needed): equal counts pass, one
# changed count is named and fails, a file without a table is an error.
#
#   sh hardware/nvcc/test_ncu_compare.sh SIMULATOR.tsv WORK_DIR
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
sim="$1"
work="$2"
mkdir -p "$work"
# The layout of `ncu --csv --page details`, after the program's own output.
fake() {
    python3 - "$sim" "$here" "$1" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
from ncu_compare import METRICS
change = sys.argv[3]
print("kernel\tcounter\texpected\tsimulator")
print("==PROF== Connected to process 1")
print('"ID","Process ID","Process Name","Host Name","Kernel Name","Section Name","Metric Name","Metric Unit","Metric Value"')
for n, line in enumerate(open(sys.argv[1])):
    k, counter, _, value = line.rstrip("\n").split("\t")
    if k == "kernel":
        continue
    v = int(value) + (1 if counter == change else 0)
    for i, m in enumerate(METRICS[counter]):
        share = v if i == 0 else 0
        print(f'"{n}","1","counter_cases_gpu","h","{k}(const float *, float *)",'
              f'"Command line profiler metrics","{m}","","{share:,}"')
PY
}
fake none >"$work/equal.csv"
python3 "$here/ncu_compare.py" "$sim" "$work/equal.csv" >"$work/equal.out"
grep -q " 0 differ, 0 not measured" "$work/equal.out"
fake shared_load_bank_conflicts >"$work/differ.csv"
if python3 "$here/ncu_compare.py" "$sim" "$work/differ.csv" >"$work/differ.out"; then
    echo "ncu_compare.py accepted a changed count"; exit 1
fi
grep -q "transpose_kernel .*shared_load_bank_conflicts .*993  DIFFERS" "$work/differ.out"
echo "no table" >"$work/none.csv"
if python3 "$here/ncu_compare.py" "$sim" "$work/none.csv" 2>"$work/none.err"; then
    echo "ncu_compare.py accepted a file without a table"; exit 1
fi
grep -q "no Nsight Compute table" "$work/none.err"
echo "ncu_compare.py: equal counts pass, a changed one is named, no table is an error: ok"
