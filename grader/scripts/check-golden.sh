#!/usr/bin/env bash
# check-golden.sh: re-derives every golden data file from its independent
# NumPy implementation (exercises/common/golden/*.py --check) and fails if
# a checked-in file differs. Needs an interpreter that imports numpy.
set -uo pipefail
cd "$(dirname "$0")/../.."

shopt -s nullglob
scripts=(exercises/common/golden/*.py)
if [ ${#scripts[@]} -eq 0 ]; then
    echo "golden: no generators yet"
    exit 0
fi

py=""
for cand in /usr/bin/python3 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import numpy' 2>/dev/null; then
        py=$cand
        break
    fi
done
if [ -z "$py" ]; then
    echo "golden: no python3 with numpy found; install python3-numpy (make setup-test does)" >&2
    exit 1
fi

failed=0
for s in "${scripts[@]}"; do
    if "$py" "$s" --check; then
        echo "golden: $s matches the checked-in data"
    else
        echo "golden: $s differs from the checked-in data (re-run it without --check and review the diff)" >&2
        failed=$((failed + 1))
    fi
done
echo "golden: $(( ${#scripts[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
