#!/bin/sh
# rewrite_lines.sh: cudasim-rewrite keeps line numbers and leaves comments
# and strings alone. Usage: rewrite_lines.sh path/to/cudasim-rewrite
set -eu
rw="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/in.cu" <<'CU'
__global__ void k(float *p, int n) {
    __shared__ float a[16][16], b[4];
    extern __shared__ float dyn[];
    // k<<<1, 1>>>(p, n) in a comment stays
    const char *s = "k<<<1,1>>>(p)";
    (void)s; (void)a; (void)b; (void)dyn; (void)p; (void)n;
}
void host(float *p, int n) {
    k<<<
        (n + 255) / 256,
        256, 0>>>(p, n);
    int marker_line_12 = __LINE__;
    (void)marker_line_12;
}
CU
"$rw" "$tmp/in.cu" "$tmp/out.cpp"
# the output has two extra lines (#include, #line) and no other shift
test "$(wc -l < "$tmp/out.cpp")" -eq $(($(wc -l < "$tmp/in.cu") + 2))
grep -q '// k<<<1, 1>>>(p, n) in a comment stays' "$tmp/out.cpp"
grep -q '"k<<<1,1>>>(p)"' "$tmp/out.cpp"
test "$(sed -n 14p "$tmp/out.cpp" | tr -d ' ')" = "intmarker_line_12=__LINE__;"
grep -q '::cudasim::launch(k, "k", __FILE__, __LINE__,' "$tmp/out.cpp"
grep -q '::cudasim::shared_at' "$tmp/out.cpp"
grep -q 'float \*dyn = static_cast<float \*>(::cudasim::dynamic_shared());' "$tmp/out.cpp"
# and it compiles
g++ -std=c++17 -Wall -Wextra -Werror -I"$(dirname "$rw")/../cudasim/include" \
    -c "$tmp/out.cpp" -o "$tmp/out.o"
echo "rewriter: line numbers, comments and strings preserved; output compiles"
