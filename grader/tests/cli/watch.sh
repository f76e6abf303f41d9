#!/usr/bin/env bash
# The student's loop, driven without a person: `grader watch` with its keys
# fed through a FIFO (the same bytes a terminal would send), saves made to
# a throw-away workbook, and the progress file across restarts, damage and
# bad input. Also `next`, `list` and `compile-commands`. Needs
# grader/build/grader; takes about 20 s (three real builds).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader=${GRADER:-"$repo/grader/build/grader"} # GRADER=...: e.g. a sanitizer build
work=$(mktemp -d)
watch_pid=
cleanup() {
    [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
    exec 3>&- 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export LLMLINGS_STATE_DIR="$work/state"
export NO_COLOR=1
state="$LLMLINGS_STATE_DIR/progress"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

mkdir -p "$work/wb"
(cd "$repo" && git ls-files -z exercises solutions-private |
    xargs -0 -I{} cp --parents {} "$work/wb/")
wb="$work/wb"
hello="$wb/exercises/00_hello/hello.c"

# until_seen FILE NEEDLE COUNT SECONDS: waits until NEEDLE occurs COUNT
# times in FILE.
until_seen() {
    local deadline=$((SECONDS + $4))
    while [ "$SECONDS" -le "$deadline" ]; do
        [ "$(grep -cF -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
# step NAME NEEDLE COUNT: one expectation on the watch's output.
out="$work/watch.out"
step() {
    if until_seen "$out" "$2" "$3" 40; then ok "$1"; else
        bad "$1" "no \"$2\" (x$3) in the output:
$(tail -40 "$out")"
    fi
}

echo "== watch mode and progress"

# --- a first session: fail, save a fix, pass, next, hint, list, reset, quit
mkfifo "$work/keys"
"$grader" --root "$wb" watch <"$work/keys" >"$out" 2>&1 &
watch_pid=$!
exec 3>"$work/keys"
step "starts on the first exercise with its first failure" \
    "First failure: hello/add_small_numbers" 1
step "says exactly what to do next" \
    "fix exercises/00_hello/hello.c and save" 1
printf h >&3
step "h shows the first hint" "1/3. Read the first failure" 1
step "under the verdict, as hint 1 of 3" "Hint 1 of 3" 1
printf h >&3
step "h again shows two, as hint 2 of 3, the verdict drawn again" \
    "Hint 2 of 3" 1
grep -c "First failure: hello/add_small_numbers" "$out" | grep -qx 3 &&
    ok "each h redraws the verdict above the hints" ||
    bad "each h redraws the verdict above the hints" "$(tail -30 "$out")"
cp "$wb/solutions-private/00_hello/hello.c" "$hello"
step "a save re-checks; the verdict says it passes" "00_hello passes!" 1
grep -qF "Press n for the next exercise (01_pointers)" "$out" &&
    ok "and names the next exercise" ||
    bad "and names the next exercise" "$(tail -20 "$out")"
printf n >&3
step "n moves on to 01_pointers and checks it" "checked 01_pointers" 1
printf l >&3
step "l lists every exercise, the current one marked" " > 01_pointers" 1
# r asks, one key answers: n declines (and says so), and the watch goes on.
printf r >&3
step "r asks for one key" "to its starter? Your changes" 1
printf n >&3
step "n declines, and the watch says so" \
    "Not reset: your files are unchanged." 1
printf q >&3
exec 3>&-
wait "$watch_pid"
code=$?
watch_pid=
[ "$code" = 0 ] && grep -qF "picks up at 01_pointers" "$out" &&
    ok "q quits with code 0 and says where it picks up" ||
    bad "q quits with code 0" "exit $code; $(tail -5 "$out")"

if grep -qx "current 01_pointers" "$state" && grep -qx "done 00_hello" "$state"; then
    ok "the progress file holds the current and the finished exercise"
else
    bad "progress file" "$(cat "$state" 2>&1)"
fi

# --- a restart picks up where the student left; end of input quits
out="$work/watch2.out"
"$grader" --root "$wb" watch </dev/null >"$out" 2>&1
code=$?
[ "$code" = 0 ] && grep -qF "checked 01_pointers" "$out" &&
    ok "a restarted watch picks up at 01_pointers (and ends with its input)" ||
    bad "restart" "exit $code; $(cat "$out")"

# A closed stdin (a detached job) is an empty input, not a busy loop.
timeout 60 "$grader" --root "$wb" watch <&- >"$work/watch4.out" 2>&1
code=$?
[ "$code" = 0 ] && ok "a closed stdin: one check, then a clean exit" ||
    bad "closed stdin" "exit $code; $(tail -5 "$work/watch4.out")"

# --- polling alone (as on WSL's /mnt/c): a save is still seen
out="$work/watch3.out"
mkfifo "$work/keys3"
LLMLINGS_WATCH_NO_INOTIFY=1 "$grader" --root "$wb" watch 00_hello --poll 0.2 \
    <"$work/keys3" >"$out" 2>&1 &
watch_pid=$!
exec 3>"$work/keys3"
step "--poll without inotify: starts and says it polls" \
    "checking the files for changes every 0.2 s" 1
echo "/* a save seen by polling */" >>"$hello"
step "--poll without inotify: a save is re-checked" "checked 00_hello" 2
printf '\n' >&3
step "Enter re-checks by hand" "checked 00_hello" 3
printf q >&3
exec 3>&-
wait "$watch_pid"
watch_pid=

# --- bad input never crashes
expect_code() { # NAME WANT NEEDLE CMD...
    local name=$1 want=$2 needle=$3 o c
    shift 3
    o=$("$@" 2>&1)
    c=$?
    if [ "$c" = "$want" ] && grep -qF -- "$needle" <<<"$o"; then ok "$name"; else
        bad "$name" "exit $c (want $want), output: $o"
    fi
}
expect_code "watch --poll with a bad number: usage error" 2 "--poll wants seconds" \
    "$grader" --root "$wb" watch --poll abc
expect_code "watch with an unknown exercise: usage error" 2 "no exercise" \
    "$grader" --root "$wb" watch 99_nothing
expect_code "next with a bad flag: usage error" 2 "only --skip" \
    "$grader" --root "$wb" next --now

printf 'llmlings-progress 1\ncurrent 01_pointers\n\x00\xff garbage\n' >"$state"
expect_code "damaged progress file: one clear line, fresh start, exit 0" 0 \
    "is damaged (line 3); starting with a fresh one" \
    "$grader" --root "$wb" list
[ -f "$state.bad" ] && ok "the damaged file is kept as progress.bad" ||
    bad "progress.bad" "$(ls "$LLMLINGS_STATE_DIR")"
printf 'not a progress file' >"$state"
expect_code "progress file of another format: fresh start" 0 "is damaged (line 1)" \
    "$grader" --root "$wb" next
grep -qx "current 01_pointers" "$state" &&
    ok "next writes a fresh, valid file" || bad "fresh file" "$(cat "$state")"
printf 'llmlings-progress 1\ncurrent 77_renamed\ndone 00_hello\n' >"$state"
expect_code "ids no longer in the manifest are dropped quietly" 0 " > 01_pointers" \
    "$grader" --root "$wb" list
chmod 000 "$state"
if [ "$(id -u)" != 0 ]; then
    expect_code "unreadable progress file: says so, carries on" 0 "cannot read" \
        "$grader" --root "$wb" list
fi
chmod 600 "$state"
expect_code "next --skip leaves an unfinished exercise for later" 0 \
    "Now: 02_arrays" "$grader" --root "$wb" next --skip

# --- compile_commands.json for clangd
expect_code "compile-commands writes the file" 0 "compile_commands.json" \
    "$grader" --root "$wb" compile-commands
if /usr/bin/python3 - "$wb" <<'PY'; then
import json, subprocess, sys
root = sys.argv[1]
db = json.load(open(root + "/compile_commands.json"))
files = [e["file"] for e in db]
assert len(files) == len(set(files)), "a file is listed twice"
e = next(e for e in db if e["file"].endswith("exercises/00_hello/hello.c"))
assert e["directory"] == root and "-Iexercises/00_hello" in e["arguments"]
# The arguments compile the file as the grader does (syntax only).
subprocess.run(e["arguments"] + ["-fsyntax-only"], cwd=root, check=True)
PY
    ok "compile_commands.json: one entry per file, includes that resolve"
else
    bad "compile_commands.json" "$(head -c 600 "$wb/compile_commands.json")"
fi

# --- the lecture index a student navigates by
if o=$(/usr/bin/python3 - "$repo" <<'PY' 2>&1
import json, os, re, sys
root = sys.argv[1]
m = json.load(open(os.path.join(root, "exercises/manifest.json")))
want = {}
for e in m["exercises"]:
    want.setdefault(e["chapter"], []).append(e["id"])
rows = {}
for line in open(os.path.join(root, "lectures/README.md")):
    r = re.match(r"\|\s*(\d+)\s*\|(.*)", line)
    if not r:
        continue
    links = re.findall(r"\]\(([^)#]+)", r.group(2))
    text = re.sub(r"\]\([^)]*\)", "]", r.group(2))
    rows[int(r.group(1))] = (links, re.findall(r"\b\d\d_[a-z0-9_]+", text))
for ch, ids in want.items():
    assert ch in rows, f"chapter {ch} has no row"
    links, got = rows[ch]
    assert got == ids, f"chapter {ch}: index lists {got}, manifest has {ids}"
    for l in links:
        assert os.path.exists(os.path.join(root, "lectures", l)), f"missing {l}"
PY
); then
    ok "lectures/README.md maps every chapter to its exercises, in order"
else
    bad "lectures/README.md index" "$o"
fi

echo "watch: $passed passed, $failed failed"
[ "$failed" = 0 ]
