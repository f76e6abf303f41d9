#!/usr/bin/env bash
# Judge mode's own timing of a performance exercise (15_matmul_fast), end
# to end on a throw-away slice of the workbook: the reference earns its
# tiers from the judge's measurement; a memoizing solution, a solution
# whose work runs in a background thread behind a patched harness, and one
# that works in a constructor earn no performance points, with a message.
# Quick by default (make test): judge mode only, one case (n = 512), three
# repetitions. FULL=1: the manifest's own cases and repetitions, local
# mode too, and a naive solution: the judge's and the local figures side
# by side (about 10 minutes here). KEEP=1 keeps the work folder. Needs
# grader/build/grader and OpenBLAS.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="${GRADER:-$repo/grader/build/grader}" # GRADER: another build (ASan)
py=/usr/bin/python3
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export LLMLINGS_STATE_DIR="$work/state"
export NO_COLOR=1
EX=15_matmul_fast

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

# The slice: exercises/common, the exercise and its solution (and
# 00_hello: a manifest starts at 00), the manifest cut down to them, committed (the grader takes protected files from git).
mkdir -p "$work/wb"
(cd "$repo" && git ls-files -z exercises/common exercises/00_hello \
    solutions-private/00_hello "exercises/$EX" "solutions-private/$EX" |
    xargs -0 -I{} cp --parents {} "$work/wb/")
cp "$repo/exercises/$EX/"*.c "$repo/exercises/$EX/"*.h "$work/wb/exercises/$EX/"
"$py" - "$repo/exercises/manifest.json" "$work/wb/exercises/manifest.json" \
    "$EX" "${FULL:-}" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] in ("00_hello", sys.argv[3])]
if not sys.argv[4]:
    perf = m["exercises"][1]["perf"]
    perf["cases"], perf["repetitions"] = ["512"], 3
json.dump(m, open(sys.argv[2], "w"), indent=2)
PY
git -C "$work/wb" init -q
git -C "$work/wb" add -A
git -C "$work/wb" -c user.name=t -c user.email=t@t commit -qm slice

# grade NAME FILE MODE: grades the slice with FILE as the student's
# matmul_fast.c in MODE (judge or local); prints "score|metric|message" of
# the perf test.
grade() {
    cp "$2" "$work/wb/exercises/$EX/matmul_fast.c"
    local flag=--no-judge
    [ "$3" = judge ] && flag="--judge --seed 5eed"
    local t0=$(date +%s.%N)
    "$grader" --root "$work/wb" grade --no-cache $flag \
        --json "$work/$1.$3.json" >"$work/$1.$3.out" 2>&1
    local t1=$(date +%s.%N)
    "$py" - "$work/$1.$3.json" "$t0" "$t1" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print("||no results: %s|0" % e)
    sys.exit()
ex = [e for e in r["exercises"] if e["id"] == "15_matmul_fast"][0]
t = [t for t in ex["tests"] if t["name"] == "matmul_fast/speed_vs_openblas"][0]
m = t.get("metrics") or {}
if isinstance(m, list):
    m = {x["name"]: x["value"] for x in m}
val = m.get("ratio_vs_openblas", m.get("ratio_vs_openblas_flagged", ""))
print("%s|%s|%s|%.0f" % (t["score"], val, (t.get("message") or "").replace("\n", " "),
                        float(sys.argv[3]) - float(sys.argv[2])))
PY
}

echo "== judge mode times $EX itself"
declare -A want_zero=([memoize]=1 [background]=1 [constructor]=1)
printf "  %-12s %-6s %-22s %-22s %s\n" solution mode "perf points" ratio seconds
solutions="reference memoize background constructor"
modes=judge
[ -n "${FULL:-}" ] && solutions="reference naive memoize background constructor" modes="local judge"
for who in $solutions; do
    src="$here/solutions/$who.c"
    [ "$who" = reference ] && src="$repo/solutions-private/$EX/matmul_fast.c"
    for mode in $modes; do
        IFS='|' read -r score ratio msg secs <<<"$(grade "$who" "$src" "$mode")"
        printf "  %-12s %-6s %-22s %-22s %s\n" "$who" "$mode" "$score" "$ratio" "$secs"
        [ "$mode" = judge ] || continue
        perf_share=$("$py" -c "print(30/3)")
        case "$who" in
        reference)
            if "$py" -c "import sys; sys.exit(0 if float('$score') >= 0.5*$perf_share and '$ratio' != '' else 1)"; then
                ok "the reference earns its tiers in judge mode (ratio $ratio)"
            else
                bad "the reference earns its tiers in judge mode" "score $score ratio $ratio: $msg"
            fi ;;
        naive)
            if [ -n "$ratio" ] && [ -z "$msg" -o "${msg#correct}" != "$msg" ]; then
                ok "a naive solution is measured (ratio $ratio, score $score)"
            else
                bad "a naive solution is measured" "score $score ratio $ratio: $msg"
            fi ;;
        *)
            want=.
            [ "$who" = background ] && want="after the timed call returned"
            if "$py" -c "import sys; sys.exit(0 if float('${score:-1}') == 0 else 1)" &&
                echo "$msg" | grep -q "$want"; then
                ok "$who: 0 performance points in judge mode: $msg"
            else
                bad "$who: 0 performance points in judge mode" "score $score ratio $ratio: $msg"
            fi ;;
        esac
    done
done
echo "judge perf: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
