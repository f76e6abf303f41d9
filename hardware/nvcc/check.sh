#!/bin/sh
# check.sh: the nvcc compile check of a CUDA exercise (its own verdict).
#
#   sh hardware/nvcc/check.sh FILE.cu [nvcc options, e.g. -I DIR]...
#
# The simulator accepts some things nvcc does not (host code calling a
# __device__ function, for one), so where nvcc exists every .cu file is also
# compiled with it, to an object file that is thrown away.
# Exit status: 0 compiles, 1 does not (nvcc's errors on stderr), 77 skipped
# because there is no nvcc (NVCC names it; default: PATH, then
# /usr/local/cuda/bin/nvcc).
set -u
src="$1"
shift
nvcc="${NVCC:-$(command -v nvcc 2>/dev/null || echo /usr/local/cuda/bin/nvcc)}"
if [ ! -x "$nvcc" ]; then
    echo "nvcc check skipped: no nvcc" >&2
    exit 77
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if "$nvcc" -std=c++17 -c -x cu "$src" -o "$tmp/check.o" "$@"; then
    echo "nvcc check passed: $src"
    exit 0
fi
echo "nvcc check FAILED: $src does not compile with nvcc" >&2
exit 1
