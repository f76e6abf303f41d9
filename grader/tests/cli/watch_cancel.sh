#!/usr/bin/env bash
# The watch never stalls: with an endless loop in code every test calls, a
# save made while that check runs starts it over at once (the verdict of
# the fix comes long before the loop's time limit), and SIGTERM during a
# looping check ends the watch within a second with none of its processes
# left. Needs grader/build/grader; takes about 20 s.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader=${GRADER:-"$repo/grader/build/grader"}
work=$(mktemp -d)
watch_pid=
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
    exec 3>&- 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export LLMLINGS_STATE_DIR="$work/state" NO_COLOR=1

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

echo "== watch: a save cancels a running check, SIGTERM leaves nothing"
mkdir -p "$work/wb"
(cd "$repo" && git ls-files -z exercises solutions-private |
    xargs -0 -I{} cp --parents {} "$work/wb/")
hello="$work/wb/exercises/00_hello/hello.c"
# Every function of hello.c spins forever.
make_endless() {
    sed -i 's/^{$/{\n    for (volatile int spin = 1; spin;) {\n    }/' "$hello"
}
# The processes below pid (children, theirs, ...).
descendants() {
    local kids
    kids=$(pgrep -P "$1")
    for k in $kids; do
        echo "$k"
        descendants "$k"
    done
}
# until_seen FILE NEEDLE SECONDS
until_seen() {
    local deadline=$((SECONDS + $3))
    while [ "$SECONDS" -le "$deadline" ]; do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
# until the watch has test programs running (a check under way)
until_testing() {
    local i
    for i in $(seq 100); do
        descendants "$watch_pid" | xargs -r ps -o comm= -p 2>/dev/null |
            grep -q '00_hello' && return 0
        sleep 0.1
    done
    return 1
}

out="$work/watch.out"
mkfifo "$work/keys"
"$grader" --root "$work/wb" watch 00_hello <"$work/keys" >"$out" 2>&1 &
watch_pid=$!
exec 3>"$work/keys"
until_seen "$out" "First failure" 60 || bad "the first check" "$(tail "$out")"

make_endless
if until_testing; then
    ok "a save with an endless loop starts a check"
else
    bad "a save with an endless loop starts a check" "$(tail "$out")"
fi
start=$SECONDS
cp "$work/wb/solutions-private/00_hello/hello.c" "$hello"
if until_seen "$out" "00_hello passes!" 30 && [ $((SECONDS - start)) -lt 9 ]; then
    ok "a save during that check starts over: the fix passes in $((SECONDS - start)) s (the loop's limit is 10 s)"
else
    bad "a save during a check starts over" \
        "$((SECONDS - start)) s; $(tail -5 "$out")"
fi

make_endless
until_testing || bad "the loop runs again" "$(tail "$out")"
pids=$(descendants "$watch_pid")
t0=$(date +%s%N)
kill -TERM "$watch_pid"
wait "$watch_pid"
t1=$(date +%s%N)
watch_pid=
ms=$(((t1 - t0) / 1000000))
[ "$ms" -lt 1000 ] && ok "SIGTERM during the looping check: the watch ends in $ms ms" ||
    bad "SIGTERM ends the watch within a second" "$ms ms"
left=0
for p in $pids; do
    [ -d "/proc/$p" ] && [ "$(ps -o stat= -p "$p" | cut -c1)" != Z ] && left=$((left + 1))
done
[ "$left" = 0 ] && ok "none of its $(echo $pids | wc -w) processes is left" ||
    bad "none of its processes is left" "$left alive: $(ps -o pid,user,comm -p "$(echo $pids | tr ' ' ,)")"

echo "watch cancel: $passed passed, $failed failed"
[ "$failed" = 0 ]
