#!/bin/sh
# test_rewrite.sh: regression tests of cudasim-rewrite (see src/rewrite.h):
# line numbers kept, comments and literals (raw strings included) copied
# untouched, member and template launches rewritten, other launches refused
# with a message naming the line, nothing truncated, linear time and capped
# messages on hostile input. Every rewritten file must compile.
# Usage: test_rewrite.sh path/to/cudasim-rewrite
set -eu
rw="$1"
inc="$(cd "$(dirname "$0")/../include" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "test_rewrite: $*" >&2
    exit 1
}
compiles() {
    g++ -std=c++17 -Wall -Wextra -Werror -Wno-unused -I"$inc" \
        -fsyntax-only "$1" 2>"$tmp/cc.log" ||
        { cat "$tmp/cc.log" >&2; fail "$1 does not compile"; }
}
lines_kept() { # input output
    [ "$(wc -l <"$2")" -eq $(($(wc -l <"$1") + 2)) ] ||
        fail "$1: the output does not have the input's lines plus two"
}

# ---- launches, shared memory, lines ----------------------------------------
cat >"$tmp/in.cu" <<'CU'
__global__ void k(float *p, int n) {
    __shared__ float a[16][16], *b, c;
    extern __shared__ float dyn[];
    volatile __shared__ int v[32];
    __shared__ __align__(16) float f4[8];
    // k<<<1, 1>>>(p, n) in a comment stays
    const char *s = "k<<<1,1>>>(p)";
    (void)s; (void)a; (void)b; (void)c; (void)dyn; (void)v; (void)f4;
    (void)p; (void)n;
}
extern __shared__ float file_dyn[];
__global__ void g(float *p) {
    file_dyn[threadIdx.x] = p[0];
    float *q = file_dyn;
    p[1] = q[0];
}
template <int N> __global__ void t(float *p) { p[0] = N; }
template <class T> struct Box { T v; };
template <class T> __global__ void u(float *p) { p[0] = sizeof(T); }
struct Ops { void (*f)(float *, int); } ops;
void host(float *p, int n) {
    k<<<
        (n + 255) / 256,
        256, 0>>>(p, n);
    int marker_line_25 = __LINE__;
    (void)marker_line_25;
    t<(8 >> 1)><<<1, 32>>>(p);
    u<Box<Box<int>>><<<1, 32>>>(p);
    ops.f<<<1, 1>>>(p, n);
    Ops *q = &ops;
    q->f<<<1, 1>>>(p, n);
}
CU
"$rw" "$tmp/in.cu" "$tmp/out.cpp"
lines_kept "$tmp/in.cu" "$tmp/out.cpp"
grep -q '// k<<<1, 1>>>(p, n) in a comment stays' "$tmp/out.cpp" ||
    fail "a comment changed"
grep -q '"k<<<1,1>>>(p)"' "$tmp/out.cpp" || fail "a string changed"
[ "$(sed -n 27p "$tmp/out.cpp" | tr -d ' ')" = "intmarker_line_25=__LINE__;" ] ||
    fail "lines moved"
for want in '::cudasim::launch(k, "k", __FILE__, __LINE__,' \
    '::cudasim::launch(t<(8 >> 1)>, "t<(8>>1)>"' \
    '::cudasim::launch(u<Box<Box<int>>>, "u<Box<Box<int>>>"' \
    '::cudasim::launch(ops.f, "ops.f"' '::cudasim::launch(q->f, "q->f"' \
    'float \*dyn = static_cast<float \*>(::cudasim::dynamic_shared());' \
    'volatile int (&v)\[32\]' '16 > alignof(float \[8\])' \
    'static ::cudasim::DynamicShared<float> file_dyn;' \
    'float\* &b = ' 'float &c = '; do
    grep -q "$want" "$tmp/out.cpp" || fail "missing in the output: $want"
done
compiles "$tmp/out.cpp"

# ---- raw strings and spliced comments are not code -------------------------
cat >"$tmp/raw.cu" <<'CU'
const char *a = R"(k<<<1, 1>>>(p) " __shared__ float x[4]; )";
const char *b = R"delim(line one
k<<<1,1>>>(p); )" __shared__ )delim";
// a comment continued \
   k<<<1, 1>>>(p); __shared__ float y[2];
const char *c = u8"<<<" "__shared__";
char d = '<';
int e = 1'000;
CU
"$rw" "$tmp/raw.cu" "$tmp/raw.cpp"
tail -n +3 "$tmp/raw.cpp" | cmp -s - "$tmp/raw.cu" ||
    fail "raw strings, spliced comments or literals were rewritten"

# ---- refused constructs: exit 1 and a message naming the line --------------
refused() { # file expected-line expected-text
    if "$rw" "$1" "$tmp/refused.cpp" 2>"$tmp/msg"; then
        fail "$1 was accepted"
    fi
    grep -q "^$1:$2: cudasim-rewrite: .*$3" "$tmp/msg" ||
        { cat "$tmp/msg" >&2; fail "$1: no message for line $2 ($3)"; }
}
printf 'void f(void (*fp)(int *), int *x)\n{\n    (*fp)<<<1, 1>>>(x);\n}\n' \
    >"$tmp/paren.cu"
refused "$tmp/paren.cu" 3 "cannot find the kernel before <<<"
printf 'void f(int *x)\n{\n    k<<<1, 1>>> x;\n}\n' >"$tmp/noargs.cu"
refused "$tmp/noargs.cu" 3 "expected the kernel's argument list"
printf '__global__ void f()\n{\n\n    __shared__ int s = 3;\n}\n' >"$tmp/init.cu"
refused "$tmp/init.cu" 4 "cannot be initialised"

# ---- nothing is truncated ---------------------------------------------------
dims="$(yes '1 +' | head -300 | tr '\n' ' ')1"
printf '__global__ void k(float *o)\n{\n    __shared__ float a[%s];\n    o[0] = a[0];\n}\n' \
    "$dims" >"$tmp/long.cu"
"$rw" "$tmp/long.cu" "$tmp/long.cpp"
grep -qF "sizeof(float [$dims])" "$tmp/long.cpp" ||
    fail "a long __shared__ size was cut"
compiles "$tmp/long.cpp"

# ---- linear time, capped messages -------------------------------------------
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<<<" }' >"$tmp/lt.cu"
start=$(date +%s)
if "$rw" "$tmp/lt.cu" "$tmp/lt.cpp" 2>"$tmp/lt.msg"; then
    fail "300 KB of <<< accepted"
fi
[ $(($(date +%s) - start)) -le 5 ] || fail "300 KB of <<< took over 5 s"
[ "$(wc -l <"$tmp/lt.msg")" -le 21 ] || fail "messages are not capped"
grep -q "more errors not shown" "$tmp/lt.msg" || fail "no count of the rest"
awk 'BEGIN { print "__global__ void k(int *p) {}"; print "void h(int *p) {";
    for (i = 0; i < 20000; i++) print "    k<<<1, 1>>>(p);"; print "}" }' \
    >"$tmp/many.cu"
start=$(date +%s)
"$rw" "$tmp/many.cu" "$tmp/many.cpp"
[ $(($(date +%s) - start)) -le 5 ] || fail "20000 launches took over 5 s"
lines_kept "$tmp/many.cu" "$tmp/many.cpp"

# ---- CRLF ---------------------------------------------------------------------
printf '__global__ void k(int *p) {}\r\nvoid h(int *p)\r\n{\r\n    k<<<1,\r\n      1>>>(p);\r\n}\r\n' \
    >"$tmp/crlf.cu"
"$rw" "$tmp/crlf.cu" "$tmp/crlf.cpp"
lines_kept "$tmp/crlf.cu" "$tmp/crlf.cpp"
compiles "$tmp/crlf.cpp"

echo "rewriter: lines kept, comments and literals untouched, member and" \
    "template launches rewritten, refusals named, nothing cut, linear time"
