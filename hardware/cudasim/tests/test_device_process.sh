#!/bin/sh
# test_device_process.sh: judge mode's device process (src/device_process.h)
# against tests/device_attacks.cu.
#
#   sh test_device_process.sh BUILD_DIR
#
# 1. The hand-checked kernels of counter_kernels.cu run in-process and with
#    the device process: the report's totals (fd 3) equal the in-process
#    counts, and the counts host code reads are the same in both.
# 2. Each attack leaves the report as honest work made it (or adds host
#    bytes, for a result written by host code), or fails loudly: the
#    attacking process aborts with the simulator's message, a killed device
#    leaves no report (which the grader treats as a failure).
# 3. The device process shares no writable mapping with anyone.
# 4. The report's "kernel_words_sample" (src/kernel_words_sample.h) is the
#    bottom-256 sketch by lowbias32 of the kernel-written words copied back:
#    exactly the known kernel output (when small), or its 256 smallest
#    hashes; host-written data never enters it, a decoy kernel's does.
set -eu
B="$1"
PY=/usr/bin/python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0

run() { # mode [program [name]]: judge-mode run of program (device_attacks,
    # built as judge builds are); stdout+stderr in $tmp/name.out, rc in .rc
    rc=0
    name="${3:-$1}"
    CUDASIM_DEVICE_REPORT_FD=3 "$B/${2:-device_attacks}" "$1" \
        3>"$tmp/$name.json" >"$tmp/$name.out" 2>&1 || rc=$?
    echo "$rc" >"$tmp/$name.rc"
}

run_in_process() { # mode: the same without a device process (fd 3 open, so
    # that a hijacked kernel can write there)
    rc=0
    "$B/device_attacks" "$1" 3>"$tmp/$1-in-process.json" \
        >"$tmp/$1-in-process.out" 2>&1 || rc=$?
    echo "$rc" >"$tmp/$1-in-process.rc"
}

check() { # description, python expression over r (report), h (honest
    # report), c (in-process counts), o (output), rc
    if $PY - "$tmp" "$2" "$3" <<'EOF'
import json, struct, sys
tmp, mode, expr = sys.argv[1], sys.argv[2], sys.argv[3]
def lowbias32(w):
    w ^= w >> 16; w = (w * 0x7feb352d) & 0xffffffff; w ^= w >> 15
    w = (w * 0x846ca68b) & 0xffffffff; w ^= w >> 16
    return w
def words(floats):
    return {struct.unpack("<I", struct.pack("<f", x))[0] for x in floats}
ramp = lambda n: words(1000 + 0.5 * i for i in range(n))
host = lambda n: words(20000 + i for i in range(n))
def sample_of(rep, expected): # rep's sample is the bottom-256 of expected
    s = rep["kernel_words_sample"]
    keys = [lowbias32(w) for w in s]
    if len(s) > 256 or keys != sorted(keys) or len(set(s)) != len(s):
        return False
    if len(s) < 256:
        return set(s) == set(expected)
    return set(s) <= set(expected) and all(
        w in s for w in expected if lowbias32(w) <= keys[-1])
def report(m):
    text = open(f"{tmp}/{m}.json").read()
    return json.loads(text) if text.strip() else None
def counts(path):
    for line in open(path):
        if line.startswith("counts "):
            return {k: int(v) for k, v in
                    (f.split("=") for f in line.split()[1:])}
    return None
r, h = report(mode), report("honest")
c = counts(f"{tmp}/inprocess.out")
o = open(f"{tmp}/{mode}.out").read()
rc = int(open(f"{tmp}/{mode}.rc").read())
counters = [k for k in (h or {}) if k not in ("fault",)]
same = lambda a, b, keys=None: a is not None and b is not None and all(
    a[k] == b[k] for k in (keys or counters))
sys.exit(0 if eval("(" + expr + ")") else 1)
EOF
    then
        echo "ok: $1"
    else
        echo "FAILED: $1"
        sed 's/^/    /' "$tmp/$2.out" | tail -5
        echo "    report: $(cat "$tmp/$2.json")"
        fails=$((fails + 1))
    fi
}

"$B/device_attacks" honest >"$tmp/inprocess.out" 2>&1
for m in honest reset_after host_result flip_host_mode kernel_reset \
    kernel_wild_store forged_body forged_kernel forged_sim_kernel \
    device_variables outsider printf_order managed device_maps kill_device \
    host_reads_device honest_locals smash_local_array smash_own_stack \
    smash_above_entry honest_indirect call_computed honest_heap free_forged \
    double_free divide_by_zero sample_small sample_large host_result_sampled \
    decoy; do
    run "$m"
done
# What the hardening stops, shown without it: the same attack built without
# --judge, or run where no device process checks the stores.
run smash_local_array device_attacks_unhardened smash_local_array-unhardened
run_in_process smash_own_stack
run call_computed device_attacks_unhardened call_computed-unhardened
run free_forged device_attacks_unhardened free_forged-unhardened

check "the report's totals equal the in-process counts" honest \
    'rc == 0 and r["cudasim_device_report"] == 1 and r["fault"] == "" and
     all(r[k] == v for k, v in c.items()) and counts(f"{tmp}/honest.out") == c'
check "host code resetting the counters after its launches" reset_after \
    'rc == 0 and same(r, h)'
check "a result written by host code counts as host bytes" host_result \
    'rc == 0 and r["host_bytes_to_host"] == h["host_bytes_to_host"] + 4096
     and r["kernel_bytes_to_host"] == h["kernel_bytes_to_host"]
     and same(r, h, [k for k in counters if "byte" not in k])'
check "host code turning judge mode off in its own process" flip_host_mode \
    'rc == 0 and same(r, h)'
check "kernel code calling cudasimCountersReset" kernel_reset \
    'rc != 0 and "kernel code called cudasimCountersReset" in o and
     same(r, h) and "kernel code called" in r["fault"]'
check "a kernel storing through a wild pointer to a global variable" \
    kernel_wild_store \
    'rc != 0 and "invalid write" in o and same(r, h) and
     "invalid write" in r["fault"]'
check "a launch request whose body is cudasimCountersReset" forged_body \
    'rc != 0 and "refused by the device process" in o and same(r, h)'
check "a launch of a function that is not a kernel" forged_kernel \
    'rc != 0 and "kernel code called cudasimCountersReset" in o and
     same(r, h)'
check "a launch of a simulator function as the kernel" forged_sim_kernel \
    'rc != 0 and "refused by the device process" in o and same(r, h)'
check "__device__ variables: symbol copies and kernel writes work" \
    device_variables \
    'rc == 0 and "device variables: ok" in o and
     "symbol copy into the simulator: refused" in o'
check "a process the test program did not start is refused" outsider \
    'rc == 0 and "outsider: refused" in o and "refused a connection" in o
     and same(r, h)'
check "kernel printf output stays in order with the host's" printf_order \
    'rc == 0 and "host before\nkernel says 0\nkernel says 1\nhost between\n"
     "kernel says 0\nhost after\n" in o'
check "cudaMallocManaged fails with a message naming judge mode" managed \
    'rc == 0 and "cudaMallocManaged: cudaErrorInvalidValue" in o and
     "judge mode" in o'
check "the device process maps nothing shared and writable" device_maps \
    'rc == 0 and "maps checked" in o and same(r, h)'
check "host code killing the device process: no report" kill_device \
    'rc != 0 and "judge mode:" in o and r is None'
check "host code reading device memory faults with a message" \
    host_reads_device \
    'rc != 0 and "host code read device memory" in o and same(r, h)'
check "local arrays and structs written through pointers in a kernel" \
    honest_locals 'rc == 0 and "honest locals: ok" in o'
check "a local array's index past its end, onto a return address" \
    smash_local_array \
    'rc != 0 and "index out of bounds" in o and "hijacked" not in o and
     same(r, h)'
check "... which, built without --judge, takes over the device process" \
    smash_local_array-unhardened \
    '"hijacked" in o and r is not None and r["launches"] == 999999'
check "a store through a pointer onto the kernel's return address" \
    smash_own_stack \
    'rc != 0 and "saved frame pointer and return address" in o and
     "hijacked" not in o and same(r, h)'
check "... which, where no device process checks it, takes control" \
    smash_own_stack-in-process '"hijacked" in o'
check "a store through a pointer into the simulator's frames" \
    smash_above_entry \
    'rc != 0 and "the simulator\x27s frames above the kernel\x27s" in o and
     same(r, h)'
check "indirect calls of device functions and virtual calls in a kernel" \
    honest_indirect 'rc == 0 and "honest indirect calls: ok" in o'
check "a kernel calling the simulator through a computed address" \
    call_computed \
    'rc != 0 and "indirect call" in o and
     "cudasim::remote::life_add_launch" in o and same(r, h)'
check "... which, built without --judge, adds to the report's totals" \
    call_computed-unhardened 'r is not None and r["launches"] > 999999'
check "malloc, free, new and delete in a kernel (the device heap)" \
    honest_heap 'rc == 0 and "device heap: ok" in o'
check "a kernel freeing a fake chunk in a __device__ variable" free_forged \
    'rc != 0 and "not a pointer that malloc or new in a kernel returned" in o
     and "heap is corrupted" not in o and same(r, h)'
check "... which, built without --judge, corrupts the C library's heap" \
    free_forged-unhardened '"heap is corrupted" in o'
check "a kernel freeing its memory twice" double_free \
    'rc != 0 and "already freed (a double free)" in o and same(r, h)'
check "an integer division by zero in a kernel" divide_by_zero \
    'rc != 0 and "integer division by zero" in o and same(r, h) and
     "integer division by zero" in r["fault"]'
check "the sample: the honest work's output, distinct, sorted by hash" honest \
    'len(r["kernel_words_sample"]) == 97 and sample_of(r, words(range(1, 97))
     | words([1024]))'
check "the sample: every word of a small kernel output" sample_small \
    'rc == 0 and len(r["kernel_words_sample"]) < 256 and
     sample_of(r, set(h["kernel_words_sample"]) | ramp(64))'
check "the sample: the 256 smallest hashes of a large kernel output" \
    sample_large \
    'rc == 0 and len(r["kernel_words_sample"]) == 256 and
     sample_of(r, set(h["kernel_words_sample"]) | ramp(4096))'
check "the sample: host-written data copied back never enters it" \
    host_result_sampled \
    'rc == 0 and r["kernel_words_sample"] == h["kernel_words_sample"] and
     r["host_bytes_to_host"] == h["host_bytes_to_host"] + 256'
check "the sample: a decoy kernel's words enter it, the host's result not" \
    decoy \
    'rc == 0 and sample_of(r, set(h["kernel_words_sample"]) | ramp(64)) and
     not host(64) & set(r["kernel_words_sample"])'

# A .cu that defines an entry point of the judge build's checks (an
# indirect-call thunk, a device heap call) would take the check's place:
# cudasim-cc --judge refuses to build it.
for name in __x86_indirect_thunk_rax __device_heap_free; do
    printf 'extern "C" void %s(void) {}\n' "$name" >"$tmp/own.cu"
    if CUDASIM_BUILD="$B" bash "$(dirname "$0")/../cudasim-cc" --judge \
        -o "$tmp/own" "$tmp/own.cu" 2>"$tmp/own.err" ||
        ! grep -q "defines $name" "$tmp/own.err"; then
        echo "FAILED: a .cu defining $name builds with --judge"
        fails=$((fails + 1))
    else
        echo "ok: a .cu defining $name does not build with --judge"
    fi
done

[ "$fails" = 0 ] || { echo "$fails device-process check(s) failed"; exit 1; }
echo "device process: all checks passed"
