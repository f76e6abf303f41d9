#!/bin/sh
# test_device_process.sh BUILD: judge mode's OpenCL device process
# (cl_remote.h). Runs test_cltrack (linked and preloaded) and each case of
# device_attacks with CLTRACK_DEVICE_REPORT_FD=3, reads the report to EOF
# (the device writes it after the program is gone) and checks its numbers,
# and that its keys are those of the CUDA simulator's report
# (BUILD/device_report_kernels.json, written earlier by `make test`).
# The report's "kernel_words_sample" is checked against the known kernel
# output of each case: sample_of(d, words) says it is the bottom-256
# sketch by lowbias32 of those words (hardware/cudasim/src/
# kernel_words_sample.h): exactly them when fewer than 256.
set -eu
B=$1
N4=4096 # bytes of each buffer device_attacks reads back
PY=/usr/bin/python3
export POCL_CACHE_DIR="${POCL_CACHE_DIR:-$(cd "$B" && pwd)/pocl-cache}"
mkdir -p "$POCL_CACHE_DIR"
failures=0

# report CASE COMMAND...: runs it in judge mode. The report is read through
# a pipe until EOF (the device writes it after the program is gone) into
# $B/cl_CASE.json; the program's stdout, stderr and exit status go to
# $B/cl_CASE.out, .err and .rc.
report() {
    name=$1
    shift
    {
        rc=0
        CLTRACK_DEVICE_REPORT_FD=3 "$@" 3>&1 >"$B/cl_$name.out" \
            2>"$B/cl_$name.err" || rc=$?
        echo "$rc" >"$B/cl_$name.rc"
    } | cat >"$B/cl_$name.json"
}

# expect CASE 'PYTHON CONDITION on d, the report' WHAT (and on host, mark
# and small: device_attacks.c's input and its kernels' outputs)
expect() {
    if "$PY" - "$B/cl_$1.json" "$2" <<'PYEOF'
import json, sys
def lowbias32(w):
    w ^= w >> 16; w = (w * 0x7feb352d) & 0xffffffff; w ^= w >> 15
    w = (w * 0x846ca68b) & 0xffffffff; w ^= w >> 16
    return w
host = [(i * 2654435761) & 0xffffffff for i in range(1024)]
mark = {x | 0x80808080 for x in host}
small = {(x & 0x7f) | 1 for x in host}
def sample_of(d, expected):
    s = d["kernel_words_sample"]
    keys = [lowbias32(w) for w in s]
    if len(s) > 256 or keys != sorted(keys) or len(set(s)) != len(s):
        return False
    if len(s) < 256:
        return set(s) == set(expected)
    return set(s) <= set(expected) and all(
        w in s for w in expected if lowbias32(w) <= keys[-1])
lines = open(sys.argv[1]).read().splitlines()
if len(lines) != 1:
    sys.exit("expected one report line, got %d" % len(lines))
d = json.loads(lines[0])
if not eval(sys.argv[2]):
    sys.exit("report: %s" % {k: v for k, v in d.items() if v})
PYEOF
    then echo "ok: $1: $3"
    else echo "FAIL: $1: expected $3 ($2)"; failures=$((failures + 1))
    fi
}

# output_has CASE out|err TEXT
output_has() {
    if grep -qF "$3" "$B/cl_$1.$2"; then
        echo "ok: $1: $2 says '$3'"
    else
        echo "FAIL: $1: $2 lacks '$3':"
        cat "$B/cl_$1.$2"
        failures=$((failures + 1))
    fi
}

echo "== the cltrack tests in judge mode"
report leaks_linked "$B/test_cltrack_linked"
report leaks_preload env LD_PRELOAD="$(cd "$B" && pwd)/libcltrack.so" \
    "$B/test_cltrack_preload"
for c in leaks_linked leaks_preload; do
    expect $c 'd["launches"] == 1 and d["fault"] == ""' "one launch, no fault"
    if [ "$(cat "$B/cl_$c.rc")" = 0 ]; then
        echo "ok: $c: test_cltrack passed"
    else
        echo "FAIL: $c: test_cltrack failed in judge mode:"
        cat "$B/cl_$c.err"
        failures=$((failures + 1))
    fi
done

echo "== who wrote what"
A=$B/cl_device_attacks
# With an empty kernel cache PoCL runs its linker from the device process:
# that program must not start a second device (the report is one line).
cold=$(mktemp -d)
report honest env POCL_CACHE_DIR="$cold" "$A" honest
rm -rf "$cold"
expect honest "d['kernel_bytes_to_host'] == $N4 and d['host_bytes_to_host'] == 0" \
    "an honest kernel's output: K = $N4, H = 0"
expect honest "len(d['kernel_words_sample']) == 256 and sample_of(d, mark)" \
    "an honest kernel's output: the sample is its 256 smallest hashes"
report small_into_zeros "$A" small_into_zeros
output_has small_into_zeros out "small_into_zeros: result right"
expect small_into_zeros "d['kernel_bytes_to_host'] == $N4 and d['host_bytes_to_host'] == 0" \
    "small numbers into an output made from zeros: whole words K = $N4, H = 0"
expect small_into_zeros "len(d['kernel_words_sample']) < 256 and sample_of(d, small)" \
    "a small kernel output: the sample holds every distinct word of it"
report host_write "$A" host_write
expect host_write "d['kernel_bytes_to_host'] == 0 and d['host_bytes_to_host'] == $N4" \
    "the host's own write read back: H = $N4"
expect host_write "d['kernel_words_sample'] == []" \
    "host-written data read back: nothing in the sample"
report decoy "$A" decoy
expect decoy "d['kernel_bytes_to_host'] == $N4 and d['host_bytes_to_host'] == $N4" \
    "a decoy kernel that receives the host's result: that result stays H"
expect decoy "d['kernel_words_sample'] == [0x80808080]" \
    "a decoy kernel: its word is the sample, the host's result is not"
report rewrite "$A" rewrite
expect rewrite "d['kernel_bytes_to_host'] == 0 and d['host_bytes_to_host'] == $N4" \
    "a kernel that writes back what the host wrote: H"
report copy_and_map "$A" copy_and_map
expect copy_and_map "d['kernel_bytes_to_host'] == 0 and d['host_bytes_to_host'] == 2 * $N4 and d['bytes_device_to_device'] == $N4" \
    "host bytes through a copy and a write mapping: H"
report use_host_ptr "$A" use_host_ptr
output_has use_host_ptr out "use_host_ptr: result right"
expect use_host_ptr "d['kernel_bytes_to_host'] == $N4 and d['host_bytes_to_host'] == 0" \
    "a CL_MEM_USE_HOST_PTR result read from host memory: K = $N4"
expect use_host_ptr "len(d['kernel_words_sample']) == 256 and sample_of(d, mark)" \
    "a CL_MEM_USE_HOST_PTR result: sampled as a read"
report use_host_ptr_decoy "$A" use_host_ptr_decoy
expect use_host_ptr_decoy "d['kernel_bytes_to_host'] == 0 and d['host_bytes_to_host'] == $N4" \
    "a result the host put in CL_MEM_USE_HOST_PTR memory stays H"
expect use_host_ptr_decoy "d['kernel_words_sample'] == []" \
    "the host's result in CL_MEM_USE_HOST_PTR memory: nothing sampled"
report forge "$A" forge
expect forge "d['kernel_bytes_to_host'] == 0 and d['host_bytes_to_host'] == $N4" \
    "origin_kernel_* called and the totals patched in-process: still H"
expect forge "d['kernel_words_sample'] == []" \
    "the in-process record forged: nothing sampled"
report killed "$A" killed
expect killed "d['kernel_bytes_to_host'] == $N4 and d['launches'] == 1" \
    "the host killed itself: the report still comes"
report two_clients "$A" two_clients
expect two_clients "d['kernel_bytes_to_host'] == 2 * $N4 and d['launches'] == 2" \
    "two host processes at once, each on its own device"
report refused "$A" refused
expect refused "d['launches'] == 0 and d['bytes_device_to_host'] == 0" \
    "refused programs run nothing"
output_has refused err "judge mode: clCreateProgramWithBinary is not available"
output_has refused out "clCreateProgramWithBinary NULL (-59)"
output_has refused out "clGetSupportedImageFormats -59"
output_has refused out "asm source 0: clBuildProgram -11, log names inline assembly"
output_has refused out "asm source 1: clBuildProgram -11"
output_has refused out "asm source 2: clBuildProgram 0"
output_has honest out "honest: result right"
output_has copy_and_map out "copy_and_map: mapped right"
output_has forge out "forge: llmlings_gpu_origin says kernel 0 host 4096"

echo "== the rest of the served calls, without and with the device process"
if "$A" api_tour >"$B/cl_api_tour_local.out" 2>&1 &&
    grep -q "api_tour: 0 failed" "$B/cl_api_tour_local.out"; then
    echo "ok: api_tour: every check passes in-process"
else
    echo "FAIL: api_tour in-process:"
    cat "$B/cl_api_tour_local.out"
    failures=$((failures + 1))
fi
report api_tour "$A" api_tour
output_has api_tour out "api_tour: 0 failed"
expect api_tour "d['kernel_bytes_to_host'] == 512 and d['launches'] == 2" \
    "a kernel's result in a sub-buffer, read through its parent: K = 512"

echo "== faults and strangers"
report crash "$A" crash
expect crash "d['fault'].startswith('the OpenCL device process of a test was killed by signal')" \
    "a kernel that crashes its device process is the report's fault"
output_has crash err "cltrack: judge mode: no reply from the device process"
report outsider "$A" outsider
output_has outsider err "refused a connection from process"
output_has outsider out "outsider: done"
report hang "$A" hang
expect hang "'5 s after the program ended' in d['fault']" \
    "a kernel that never ends is killed 5 s after the program, and said so"
report malformed "$A" malformed
output_has malformed out "malformed: info -30, release -30, launch -36, read -36, op -59, empty -30"
expect malformed "d['kernel_bytes_to_host'] == $N4 and d['fault'] == ''" \
    "malformed requests get errors; the device serves what follows"

echo "== the report's keys are the CUDA simulator's"
if [ -f "$B/device_report_kernels.json" ]; then
    if "$PY" -c '
import json, sys
a = list(json.loads(open(sys.argv[1]).readline()))
b = list(json.loads(open(sys.argv[2]).readline()))
sys.exit(0 if a == b else "keys differ: %s" % sorted(set(a) ^ set(b)))
' "$B/device_report_kernels.json" "$B/cl_honest.json"; then
        echo "ok: same keys, same order"
    else
        failures=$((failures + 1))
    fi
else
    echo "FAIL: no $B/device_report_kernels.json to compare with"
    failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "OpenCL device process: every check passed"
