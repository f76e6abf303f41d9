#!/usr/bin/env bash
# run.sh: the grader's adversarial suite. Each file in attacks/ (except
# _honest.c, which is appended to each) is one student submission of
# exercises/00_target/target.c in the small fixture workbook in workbook/;
# the grader grades the workbook and check.py asserts, for each attack: the
# verdict of the attacked test, the other tests unaffected (and the later
# exercise 01_later still failed), the grader's exit status and time bound,
# valid JSON, nothing written to GitHub's files, no workflow command in the
# grader's output, no core file, and no process of the attack left alive.
#
#   bash run.sh                 as root: the suite as root (student code runs
#                               as nobody) and, at the same time, as an
#                               ordinary user (llmlings-adv, created if
#                               missing); otherwise: as the calling user only
#   bash run.sh --mode root|user [ATTACK...]   one mode, some attacks
#
# Environment: GRADER (default ../../build/grader), KEEP=1 keeps the
# temporary folder, LLMLINGS_NO_LANDLOCK=1 tests the grader's fallback on a
# kernel without Landlock. Needs /usr/bin/python3 (standard library only).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
grader=${GRADER:-$here/../../build/grader}
common=${LL_COMMON:-$here/../../../exercises/common}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
mode=""
if [ "${1:-}" = "--mode" ]; then
    mode=$2
    shift 2
fi
attacks=("$@")
if [ ${#attacks[@]} -eq 0 ]; then
    for f in "$here"/attacks/*.c; do
        case $(basename "$f") in _* | *.test_*.c) continue ;; esac
        attacks+=("$(basename "$f" .c)")
    done
fi
[ -x "$grader" ] || { echo "adversarial: build the grader first ($grader)" >&2; exit 2; }
grader=$(cd "$(dirname "$grader")" && pwd)/$(basename "$grader")
common=$(cd "$common" && pwd)

# ---- as root without --mode: both modes --------------------------------------
if [ -z "$mode" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        exec bash "$here/run.sh" --mode user "${attacks[@]}"
    fi
    user=llmlings-adv
    if ! id -u "$user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$user" ||
            { echo "adversarial: cannot create user $user" >&2; exit 1; }
    fi
    # The user gets its own copy of everything it needs.
    stage=$(mktemp -d /tmp/llmlings-adv-stage.XXXXXX)
    mkdir -p "$stage/adversarial" "$stage/common"
    cp -r "$here/." "$stage/adversarial/"
    cp -r "$common/." "$stage/common/"
    cp "$grader" "$stage/grader"
    chown -R "$user:" "$stage"
    chmod -R a+rX "$stage"
    # Both modes at once (two cores); each prints its table when done.
    bash "$here/run.sh" --mode root "${attacks[@]}" >"$stage/root.log" 2>&1 &
    root_pid=$!
    setpriv --reuid="$user" --regid="$user" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$stage" LANG=C.UTF-8 \
        GRADER="$stage/grader" LL_COMMON="$stage/common" KEEP="${KEEP:-}" \
        LLMLINGS_NO_LANDLOCK="${LLMLINGS_NO_LANDLOCK:-}" \
        bash "$stage/adversarial/run.sh" --mode user "${attacks[@]}" \
        >"$stage/user.log" 2>&1
    user_rc=$?
    wait "$root_pid"
    root_rc=$?
    cat "$stage/root.log" "$stage/user.log"
    [ -n "${KEEP:-}" ] || rm -rf "$stage"
    [ $root_rc -eq 0 ] && [ $user_rc -eq 0 ]
    exit $?
fi

# ---- one mode ----------------------------------------------------------------
case $mode in
root)
    [ "$(id -u)" -eq 0 ] || { echo "adversarial: --mode root needs root" >&2; exit 2; }
    run_uid=$(id -u nobody)
    ;;
user)
    [ "$(id -u)" -ne 0 ] || { echo "adversarial: --mode user must not run as root" >&2; exit 2; }
    run_uid=$(id -u)
    ;;
*) echo "adversarial: unknown mode $mode" >&2; exit 2 ;;
esac

tmp=$(mktemp -d /tmp/llmlings-adv.XXXXXX)
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$tmp"; }
trap cleanup EXIT
landlock=$($py "$here/check.py" landlock)
[ "${LLMLINGS_NO_LANDLOCK:-}" = 1 ] && landlock=0
# 00_target: 5 tests, 01_later: 1, each at most 2 s, plus two builds.
bound=40

echo "== adversarial suite as $(id -un) (student code runs as uid $run_uid; Landlock ABI $landlock)"
printf '%-16s %-10s %7s %9s  %s\n' attack verdict wall_s leftovers status
failed=0
for attack in "${attacks[@]}"; do
    src=$here/attacks/$attack.c
    [ -f "$src" ] || { echo "adversarial: no attack $attack" >&2; failed=1; continue; }
    if [ "$attack" = kill_all ] && [ "$landlock" -lt 6 ]; then
        # kill(-1) as the same user would take this script down with it, and
        # as nobody every other grader's tests on this machine.
        printf '%-16s %-10s %7s %9s  %s\n' "$attack" - - - "skipped: needs Landlock ABI 6 (signal scoping)"
        continue
    fi
    d=$tmp/$attack
    wb=$d/workbook
    state=$d/state
    mkdir -p "$d/gh" "$d/out"
    cp -r "$here/workbook" "$wb"
    cp -r "$common" "$wb/exercises/common"
    $py "$here/check.py" prepare "$attack" "$wb"
    # A student's workbook is a git clone of the pristine one.
    git -C "$wb" init -q 2>/dev/null &&
        git -C "$wb" -c user.name=fixture -c user.email=fixture@invalid add -A &&
        git -C "$wb" -c user.name=fixture -c user.email=fixture@invalid commit -qm pristine
    wb=$(cd "$wb" && pwd -P)
    json=$d/out/results.json
    : >"$d/gh/output"
    : >"$d/gh/summary"
    subst() {
        sed -e "s|@STATE_DIR@|$state|g" -e "s|@JSON_OUT@|$json|g" \
            -e "s|@GH_OUTPUT@|$d/gh/output|g" -e "s|@GH_SUMMARY@|$d/gh/summary|g" "$@"
    }
    subst "$src" "$here/attacks/_honest.c" >"$wb/exercises/00_target/target.c"
    if [ -f "$here/attacks/$attack.test_target.c" ]; then
        cp "$here/attacks/$attack.test_target.c" "$wb/exercises/00_target/test_target.c"
    fi
    build_dir=$state/build
    if [ "$mode" = root ]; then
        build_dir=/tmp/llmlings-root/$(printf %s "$wb" | sha256sum | cut -c1-16)
    fi
    $py "$here/check.py" procs "$run_uid" >"$d/procs.before"
    ci_env=(GITHUB_ACTIONS=true GITHUB_OUTPUT="$d/gh/output"
        GITHUB_STEP_SUMMARY="$d/gh/summary" GITHUB_TOKEN=ghp_adversarialfaketoken
        ACTIONS_RUNTIME_TOKEN=fake ACTIONS_ID_TOKEN_REQUEST_TOKEN=fake
        RUNNER_TEMP="$d" MY_SECRET_TOKEN=fake CI=true)
    start=$(date +%s.%N)
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
        LLMLINGS_STATE_DIR="$state" "${ci_env[@]}" \
        LLMLINGS_NO_LANDLOCK="${LLMLINGS_NO_LANDLOCK:-}" \
        timeout -k 5 120 "$grader" --root "$wb" grade --json "$json" \
        >"$d/stdout" 2>"$d/stderr"
    rc=$?
    end=$(date +%s.%N)
    cp "$json" "$d/results.json" 2>/dev/null
    if [ "$attack" = workflow ]; then
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
            LLMLINGS_STATE_DIR="$state" "${ci_env[@]}" \
            timeout -k 5 120 "$grader" --root "$wb" check 00_target \
            >"$d/check.stdout" 2>"$d/check.stderr"
    fi
    if [ "$attack" = overwrite ]; then
        # The cache is used this time: it must hold the grader's results.
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
            LLMLINGS_STATE_DIR="$state" timeout -k 5 120 \
            "$grader" --root "$wb" grade --json "$d/results2.json" \
            >"$d/stdout2" 2>"$d/stderr2"
    fi
    cat >"$d/info" <<EOF
RC=$rc
WALL=$(awk "BEGIN { printf \"%.2f\", $end - $start }")
BOUND=$bound
MODE=$mode
RUN_UID=$run_uid
WORKBOOK=$wb
STATE_DIR=$state
BUILD_DIR=$build_dir
LANDLOCK=$landlock
GITHUB_OUTPUT=$d/gh/output
GITHUB_STEP_SUMMARY=$d/gh/summary
EOF
    row=$($py "$here/check.py" verify "$attack" "$d")
    [ $? -eq 0 ] || failed=1
    IFS=$'\t' read -r a v w l s notes <<<"$row"
    printf '%-16s %-10s %7s %9s  %s%s\n' "$a" "$v" "$w" "$l" "$s" "${notes:+: $notes}"
    if [ "$s" = FAIL ] && [ -s "$d/stderr" ]; then
        head -c 600 "$d/stderr" | sed 's/^/    grader stderr: /'
    fi
    if [ -z "${KEEP:-}" ]; then
        rm -rf "$build_dir" "$d" 2>/dev/null
    fi
done
if [ $failed -ne 0 ]; then
    echo "== adversarial suite ($mode): FAILED"
    exit 1
fi
echo "== adversarial suite ($mode): all attacks handled"
