#!/usr/bin/env bash
# The screens README.md shows are what the grader prints: the first
# `make watch` screen of a new student (the block that starts with
# "llmlings watch ·") is compared line by line with `grader watch` on a
# fresh copy of the workbook and a fresh state folder. Needs
# grader/build/grader; takes a few seconds (one real build).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader=${GRADER:-"$repo/grader/build/grader"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1

echo "== README sample screens"
mkdir -p "$work/wb"
(cd "$repo" && git ls-files -z exercises | xargs -0 -I{} cp --parents {} "$work/wb/")

# The README's block: from its "llmlings watch ·" line to the closing fence.
awk '/^```/ { if (inside) exit; next } /^llmlings watch ·/ { inside = 1 }
     inside' "$repo/README.md" >"$work/readme.txt"
# The program's first screen: stdin closed, so one check, then it leaves;
# the log's separator and the goodbye are not on a terminal's screen.
"$grader" --root "$work/wb" watch </dev/null 2>/dev/null |
    sed -n '/^---- watch: checked/,/^Bye\./p' | sed '1d;$d' |
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$work/program.txt"

if [ ! -s "$work/readme.txt" ]; then
    echo "  FAIL README.md has no block starting with \"llmlings watch ·\""
    exit 1
fi
if diff -u "$work/readme.txt" "$work/program.txt" >"$work/diff.txt"; then
    echo "  ok   README's first watch screen is what the grader prints"
    echo "readme screens: 1 passed, 0 failed"
else
    echo "  FAIL README's first watch screen differs from the grader's"
    echo "       (- README.md, + grader watch; update README.md):"
    sed 's/^/       /' "$work/diff.txt"
    echo "readme screens: 0 passed, 1 failed"
    exit 1
fi
