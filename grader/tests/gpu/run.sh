#!/usr/bin/env bash
# End-to-end checks of the grader's `cuda` and `opencl` kinds on a tiny
# throw-away workbook built from fixtures/: a correct CUDA exercise (with
# the race tier), an out-of-bounds kernel, a racy one, one only the
# simulator accepts (nvcc rejects it, where nvcc exists), a correct OpenCL
# one, one whose kernel hangs at a divergent barrier, and one whose kernel
# does not compile. Run from anywhere; needs grader/build/grader.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="$repo/grader/build/grader"
py=/usr/bin/python3
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export LLMLINGS_STATE_DIR="$work/state"
export NO_COLOR=1
wb="$work/wb"
fx="$here/fixtures"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

mkdir -p "$wb/exercises"
(cd "$repo" && git ls-files -z exercises/common hardware |
    xargs -0 -I{} cp --parents {} "$wb/")
ex() { mkdir -p "$wb/exercises/$2" && cp "$fx/$1"/* "$wb/exercises/$2/"; }
ex cuda_ok 00_cuda_ok
ex cuda_ok 01_cuda_oob
sed -i 's/    if (i < n)\n        out\[i\] = 2.0f/XX/; /int i = blockIdx.x \* blockDim.x + threadIdx.x;/{n;s/if (i < n)/if (i < n + 64)/}' \
    "$wb/exercises/01_cuda_oob/scale.cu"
ex cuda_ok 02_cuda_race
sed -i 's/atomicAdd(out, s\[0\]);/*out += s[0];/' "$wb/exercises/02_cuda_race/scale.cu"
ex cuda_ok 03_cuda_nvcc
cat "$repo/hardware/cudasim/tests/sim_only.cu" >>"$wb/exercises/03_cuda_nvcc/scale.cu"
ex ocl_ok 04_ocl_ok
ex ocl_ok 05_ocl_diverge
sed -i 's/    barrier(CLK_LOCAL_MEM_FENCE);/    if (l < 32)\n        barrier(CLK_LOCAL_MEM_FENCE);/' \
    "$wb/exercises/05_ocl_diverge/k.cl"
ex ocl_ok 06_ocl_hang
cp "$fx/ocl_hang.cl" "$wb/exercises/06_ocl_hang/k.cl"
ex ocl_ok 07_ocl_builderr
sed -i 's/tmp\[l\] = i < n/tmp[l] = undeclared_name + i < n/' "$wb/exercises/07_ocl_builderr/k.cl"

entry() { # id kind edit... (JSON list text) race_tier
    printf '{"id": "%s", "chapter": 3, "title": "%s", "points": 10, "kind": "%s", "edit": %s, "tests": ["%s"], "hints": ["h"]%s%s}' \
        "$1" "$1" "$2" "$3" "$4" "$5" "$6"
}
cu='["scale.cu"]'
ocl='["ocl.c", "k.cl"]'
req=', "requires": ["opencl"]'
{
    echo '{"format": 1, "course": {"id": "t", "title": "gpu fixtures"},'
    echo ' "defaults": {"time_limit_s": 10, "memory_limit_mb": 1024}, "exercises": ['
    entry 00_cuda_ok cuda "$cu" test_scale.c '' ''; echo ,
    entry 01_cuda_oob cuda "$cu" test_scale.c '' ''; echo ,
    entry 02_cuda_race cuda "$cu" test_scale.c ', "race_tier": true' ''; echo ,
    entry 03_cuda_nvcc cuda "$cu" test_scale.c '' ''; echo ,
    entry 04_ocl_ok opencl "$ocl" test_ocl.c "$req" ''; echo ,
    entry 05_ocl_diverge opencl "$ocl" test_ocl.c "$req" ''; echo ,
    entry 06_ocl_hang opencl "$ocl" test_ocl.c "$req" ', "time_limit_s": 2'; echo ,
    entry 07_ocl_builderr opencl "$ocl" test_ocl.c "$req" ''
    echo ']}'
} >"$wb/exercises/manifest.json"

t0=$(date +%s)
out=$("$grader" --root "$wb" grade --json "$work/r.json" 2>&1)
code=$?
t1=$(date +%s)
echo "== cuda and opencl kinds (fixture workbook graded in $((t1 - t0)) s, exit $code)"
[ "$code" = 1 ] && ok "some exercises fail: exit 1" || bad "exit code" "$out"

# verdict ID WANT NEEDLE: the exercise's verdict, and NEEDLE in a message.
verdict() {
    if "$py" - "$work/r.json" "$1" "$2" "$3" <<'PY'; then ok "$1: $2, \"$3\""; else bad "$1: $2, \"$3\"" "$(cat "$work/why" 2>/dev/null)"; fi
import json, sys
d = json.load(open(sys.argv[1]))
e = next(x for x in d["exercises"] if x["id"] == sys.argv[2])
text = json.dumps(e)
good = e["verdict"] == sys.argv[3] and sys.argv[4] in text
if not good:
    open(sys.argv[1].rsplit("/", 1)[0] + "/why", "w").write(json.dumps(e, indent=1)[:3000])
sys.exit(0 if good else 1)
PY
}
verdict 00_cuda_ok passed ''
verdict 01_cuda_oob failed 'out-of-bounds'
verdict 02_cuda_race failed '"verdict": "race"'
verdict 02_cuda_race failed 'scale.cu:25'
if [ -x /usr/local/cuda/bin/nvcc ] || command -v nvcc >/dev/null; then
    verdict 03_cuda_nvcc build_error 'is not allowed'
else
    verdict 03_cuda_nvcc passed ''
fi
if [ -d /etc/OpenCL/vendors ]; then
    verdict 04_ocl_ok passed ''
    verdict 05_ocl_diverge failed '"verdict": "crashed"'
    verdict 06_ocl_hang failed '"verdict": "timeout"'
    verdict 07_ocl_builderr failed "(your .cl file):7:14: use of undeclared identifier 'undeclared_name'"
    if command -v oclgrind >/dev/null; then
        verdict 05_ocl_diverge failed 'oclgrind says: Work-group divergence detected (barrier)'
    fi
fi
left=$(pgrep -u nobody -c -f "$work" || true)
[ "${left:-0}" = 0 ] && ok "nothing left running" || bad "leftover processes" "$(pgrep -a -f "$work")"
if "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["hardware"]["format"]==1 and "cuda" in d["hardware"]' "$work/r.json"; then
    ok "results JSON has the probe under \"hardware\""
else
    bad "hardware key" "$(head -c 600 "$work/r.json")"
fi
echo "gpu kinds: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
