#!/usr/bin/env bash
# renumber.sh OLD_ID NEW_ID [OLD_ID NEW_ID ...]: renames exercises (for
# example to insert a chapter), moving exercises/ID and solutions-private/ID
# with git mv and rewriting every mention of the id in tracked text files
# (manifest, links, READMEs, lectures, golden generators). Review the diff,
# then run `make verify`.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { echo "usage: $0 OLD_ID NEW_ID [...]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    old=$1 new=$2
    shift 2
    [[ $old =~ ^[0-9]{2}_[a-z0-9_]+$ && $new =~ ^[0-9]{2}_[a-z0-9_]+$ ]] ||
        { echo "renumber: ids must look like NN_topic: $old $new" >&2; exit 2; }
    [ -d "exercises/$old" ] || { echo "renumber: no exercises/$old" >&2; exit 2; }
    [ ! -e "exercises/$new" ] || { echo "renumber: exercises/$new exists" >&2; exit 2; }
    git mv "exercises/$old" "exercises/$new"
    [ -d "solutions-private/$old" ] && git mv "solutions-private/$old" "solutions-private/$new"
    git grep -lzI --fixed-strings "$old" -- . ':!*.bin' | xargs -0 -r sed -i "s/\b$old\b/$new/g"
    echo "renumber: $old -> $new"
done
