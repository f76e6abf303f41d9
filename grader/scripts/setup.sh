#!/usr/bin/env bash
# setup.sh: makes sure everything llmlings needs is installed.
#
#   grader/scripts/setup.sh grade   what grading the workbook needs
#   grader/scripts/setup.sh test    that, plus what the project's tests need
#
# Each check maps to one Debian package. Missing packages are installed with
# apt-get, non-interactively, as root or through passwordless sudo; otherwise
# the script stops and prints the exact command to run. It prints nothing
# when everything is already there, so `make grade` stays quiet.
set -euo pipefail

profile=${1:-grade}
case "$profile" in grade | test) ;; *)
    echo "usage: $0 grade|test" >&2
    exit 2
    ;;
esac

missing=()
need() { # need PACKAGE: queue a Debian package once
    local p
    for p in "${missing[@]+"${missing[@]}"}"; do [ "$p" = "$1" ] && return 0; done
    missing+=("$1")
}
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pc() { have_cmd pkg-config && pkg-config --exists "$1" 2>/dev/null; }

check_grade() {
    have_cmd make || need make
    have_cmd gcc || need gcc
    have_cmd g++ || need g++ # the CUDA simulator is C++
    have_cmd git || need git
    have_cmd pkg-config || need pkg-config
    have_pc criterion || need libcriterion-dev
    have_pc libcjson || need libcjson-dev
    have_pc libgit2 || need libgit2-dev
    have_pc openblas || need libopenblas-dev
    have_pc OpenCL || need ocl-icd-opencl-dev
    [ -f /usr/include/CL/cl.h ] || need opencl-headers
    [ -f /etc/OpenCL/vendors/pocl.icd ] || need pocl-opencl-icd
    # AddressSanitizer's runtime ships with gcc on Debian; check it links.
    if have_cmd gcc && ! echo 'int main(void){return 0;}' |
        gcc -x c -fsanitize=address,undefined -o /dev/null - 2>/dev/null; then
        need libasan8
        need libubsan1
    fi
}

check_test() {
    # NumPy computes the independent golden data; Debian's python3 has it.
    if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
        need python3-numpy
    fi
    have_cmd oclgrind || need oclgrind
    have_cmd clang-format || need clang-format # make check-format
    have_cmd patch || need patch # verify applies the instructor mutants
}

check_grade
[ "$profile" = test ] && check_test

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
echo "setup: installing missing packages: ${missing[*]}"
if ! have_cmd apt-get; then
    echo "setup: this is not a Debian/Ubuntu system (no apt-get)." >&2
    echo "setup: install the equivalents of: ${missing[*]}" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif have_cmd sudo && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "setup: need root to install packages. Run:" >&2
    echo "  sudo apt-get update && sudo $cmd" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# LLMLINGS_APT_CACHE=DIR keeps the downloaded packages in DIR (the
# workflows cache it between jobs and runs); apt still checks each one.
apt_opts=()
if [ -n "${LLMLINGS_APT_CACHE:-}" ]; then
    mkdir -p "$LLMLINGS_APT_CACHE/partial"
    apt_opts=(-o "Dir::Cache::Archives=$LLMLINGS_APT_CACHE")
fi
# A fresh machine may have empty package lists; update first, then install.
"${sudo[@]+"${sudo[@]}"}" apt-get update -qq
# shellcheck disable=SC2086
"${sudo[@]+"${sudo[@]}"}" apt-get "${apt_opts[@]+"${apt_opts[@]}"}" ${cmd#apt-get } -qq
echo "setup: done"
