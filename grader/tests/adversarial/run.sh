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
# Every attack is graded twice: as the student would (local mode), and as
# the organizer does (judge mode: grade --judge with the fixture's
# solutions-private/, a fixed seed); check.py asserts both and the table
# shows the points each mode gave. An attack is attacks/NAME.c (00_target's
# submission), and/or NAME.gpu.cu, NAME.cl_scale.c, NAME.perf.c,
# NAME.counters.cu (the submission of the CUDA, OpenCL, performance and
# counter-graded CUDA exercises, which are
# graded only for the attacks that have such a file), NAME.test_target.c
# (an edited test) and NAME.sh (run on the workbook after its pristine
# commit). Files that call adv_find get attacks/_symtab.inc put before them.
#
# Environment: GRADER (default ../../build/grader), KEEP=1 keeps the
# temporary folder, LLMLINGS_NO_LANDLOCK=1 tests the grader's fallback on a
# kernel without Landlock, LLMLINGS_NO_USERNS=1 its fallback (for an
# ordinary user) on a kernel that refuses user namespaces. Needs
# /usr/bin/python3 (standard library only).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
grader=${GRADER:-$here/../../build/grader}
common=${LL_COMMON:-$here/../../../exercises/common}
hardware=${LL_HARDWARE:-$here/../../../hardware}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
mode=""
if [ "${1:-}" = "--mode" ]; then
    mode=$2
    shift 2
fi
attacks=("$@")
if [ ${#attacks[@]} -eq 0 ]; then
    while read -r name; do
        attacks+=("$name")
    done < <(for f in "$here"/attacks/*; do
        b=$(basename "$f")
        case $b in _* | *.test_target.c | *.sh) continue ;; esac
        echo "${b%%.*}"
    done | sort -u)
fi
[ -x "$grader" ] || { echo "adversarial: build the grader first ($grader)" >&2; exit 2; }
grader=$(cd "$(dirname "$grader")" && pwd)/$(basename "$grader")
common=$(cd "$common" && pwd)
hardware=$(cd "$hardware" && pwd)

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
    mkdir -p "$stage/adversarial" "$stage/common" "$stage/hardware"
    cp -r "$here/." "$stage/adversarial/"
    cp -r "$common/." "$stage/common/"
    (cd "$hardware" && tar cf - --exclude=./build .) | tar xf - -C "$stage/hardware"
    cp "$grader" "$stage/grader"
    chown -R "$user:" "$stage"
    chmod -R a+rX "$stage"
    # Both modes at once (two cores); each prints its table when done.
    bash "$here/run.sh" --mode root "${attacks[@]}" >"$stage/root.log" 2>&1 &
    root_pid=$!
    setpriv --reuid="$user" --regid="$user" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$stage" LANG=C.UTF-8 \
        GRADER="$stage/grader" LL_COMMON="$stage/common" \
        LL_HARDWARE="$stage/hardware" KEEP="${KEEP:-}" \
        LLMLINGS_NO_LANDLOCK="${LLMLINGS_NO_LANDLOCK:-}" \
        LLMLINGS_NO_USERNS="${LLMLINGS_NO_USERNS:-}" \
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
# Whether runs get a private /tmp: root's mount namespace, or an ordinary
# user's user namespace where the kernel allows one.
userns=$($py "$here/check.py" userns)
[ "$mode" = user ] && [ "${LLMLINGS_NO_USERNS:-}" = 1 ] && userns=0
# 00_target: 5 tests, 01_later: 1, each at most 2 s, plus two builds; a
# GPU or performance exercise adds its builds and runs.
bound=40
seed=5eed0adbe
# The simulator, built once here; an attack's build folder starts with a
# copy (times kept, so the grader's make finds it up to date).
hw_prebuilt=$tmp/hw-prebuilt
hw_ready=0
prebuild_hardware() {
    [ $hw_ready -eq 1 ] && return 0
    mkdir -p "$hw_prebuilt/hardware" "$hw_prebuilt/hardware-src"
    (cd "$hardware" && tar cf - --exclude=./build .) | tar xf - -C "$hw_prebuilt/hardware-src"
    make -s -j2 -C "$hw_prebuilt/hardware-src" B="$hw_prebuilt/hardware" all \
        >"$tmp/hw-build.log" 2>&1 || { cat "$tmp/hw-build.log" >&2; return 1; }
    hw_ready=1
}
# One grade of the workbook: grade_run LABEL STATE [grade options...]
grade_run() {
    local label=$1 st=$2
    shift 2
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
        LLMLINGS_STATE_DIR="$st" "${ci_env[@]}" \
        LLMLINGS_NO_LANDLOCK="${no_landlock:-${LLMLINGS_NO_LANDLOCK:-}}" \
        LLMLINGS_NO_USERNS="${LLMLINGS_NO_USERNS:-}" \
        timeout -k 5 300 "$grader" --root "$wb" grade --json "$d/out/$label.json" "$@" \
        >"$d/$label.stdout" 2>"$d/$label.stderr"
    local rc=$?
    cp "$d/out/$label.json" "$d/$label.json" 2>/dev/null
    return $rc
}

private_tmp="private /tmp: $([ "$userns" = 1 ] && { [ "$mode" = root ] && echo "mount namespace" || echo "user namespace"; } || echo none)"
echo "== adversarial suite as $(id -un) (student code runs as uid $run_uid; Landlock ABI $landlock; $private_tmp)"
printf '%-20s %-10s %7s %9s %6s %6s  %s\n' attack verdict wall_s leftovers local judge status
failed=0
for attack in "${attacks[@]}"; do
    src=$here/attacks/$attack.c
    [ -f "$src" ] || src=$here/attacks/control.c
    if ! ls "$here/attacks/$attack".* >/dev/null 2>&1; then
        echo "adversarial: no attack $attack" >&2
        failed=1
        continue
    fi
    if [ "$attack" = kill_all ] && [ "$landlock" -lt 6 ]; then
        # kill(-1) as the same user would take this script down with it, and
        # as nobody every other grader's tests on this machine.
        printf '%-20s %-10s %7s %9s %6s %6s  %s\n' "$attack" - - - - - "skipped: needs Landlock ABI 6 (signal scoping)"
        continue
    fi
    d=$tmp/$attack
    wb=$d/workbook
    state=$d/state
    mkdir -p "$d/gh" "$d/out"
    cp -r "$here/workbook" "$wb"
    cp -r "$common" "$wb/exercises/common"
    $py "$here/check.py" prepare "$attack" "$wb"
    gpu=0
    [ -d "$wb/exercises/02_gpu" ] || [ -d "$wb/exercises/03_cl" ] ||
        [ -d "$wb/exercises/05_counters" ] && gpu=1
    if [ $gpu -eq 1 ]; then
        mkdir -p "$wb/hardware"
        (cd "$hardware" && tar cf - --exclude=./build .) | tar xf - -C "$wb/hardware"
        bound=300
    else
        bound=60
    fi
    # A student's workbook is a git clone of the pristine one.
    wb=$(cd "$wb" && pwd -P)
    git -C "$wb" init -q 2>/dev/null &&
        git -C "$wb" -c user.name=fixture -c user.email=fixture@invalid add -A &&
        git -C "$wb" -c user.name=fixture -c user.email=fixture@invalid commit -qm pristine
    json=$d/out/results.json
    : >"$d/gh/output"
    : >"$d/gh/summary"
    jstate=$d/jstate
    victim_tmp=/tmp/llmlings-adv-victim-$mode-$attack
    victim_dir=$d/victim
    build_dir=$state/build
    jbuild_dir=$jstate/build
    if [ "$mode" = root ]; then
        build_dir=/tmp/llmlings-root/$(printf %s "$wb" | sha256sum | cut -c1-16)
        jbuild_dir=$build_dir
    fi
    subst() {
        sed -e "s|@STATE_DIR@|$state|g" -e "s|@JSTATE_DIR@|$jstate|g" \
            -e "s|@JSON_OUT@|$json|g" -e "s|@WORKBOOK@|$wb|g" \
            -e "s|@VICTIM_TMP@|$victim_tmp|g" -e "s|@VICTIM_DIR@|$victim_dir|g" \
            -e "s|@HW_BUILD@|$build_dir/hardware|g" \
            -e "s|@GH_OUTPUT@|$d/gh/output|g" -e "s|@GH_SUMMARY@|$d/gh/summary|g" "$@"
    }
    # attack file, the file it replaces
    place() {
        local from=$here/attacks/$1 to=$wb/exercises/$2
        [ -f "$from" ] || return 0
        if grep -q "adv_find\|adv_end_test" "$from"; then
            # a .cu is scanned by judge mode's source rules, which see
            # both sides of an #ifdef: it gets the C++ reader only
            case $to in
            *.cu) sed '/adv: C only (/,/adv: C only end/d' \
                "$here/attacks/_symtab.inc" | subst - "$from" >"$to" ;;
            *) subst "$here/attacks/_symtab.inc" "$from" >"$to" ;;
            esac
        else
            subst "$from" >"$to"
        fi
    }
    if grep -q "adv_find\|adv_end_test" "$src"; then
        subst "$here/attacks/_symtab.inc" "$src" "$here/attacks/_honest.c"
    else
        subst "$src" "$here/attacks/_honest.c"
    fi >"$wb/exercises/00_target/target.c"
    if [ -f "$here/attacks/$attack.test_target.c" ]; then
        cp "$here/attacks/$attack.test_target.c" "$wb/exercises/00_target/test_target.c"
    fi
    place "$attack.gpu.cu" 02_gpu/gpu.cu
    place "$attack.cl_scale.c" 03_cl/cl_scale.c
    place "$attack.perf.c" 04_perf/perf.c
    place "$attack.counters.cu" 05_counters/counters.cu
    if [ -f "$here/attacks/$attack.sh" ]; then
        bash "$here/attacks/$attack.sh" "$wb" "$d"
    fi
    # Files outside the test's scratch folder that its user could remove.
    for v in "$victim_tmp" "$victim_dir"; do
        echo victim >"$v"
        [ "$mode" = root ] && chown nobody "$v"
    done
    if [ $gpu -eq 1 ]; then
        prebuild_hardware || { failed=1; continue; }
        for b in "$build_dir" "$jbuild_dir"; do
            mkdir -p "$b"
            cp -a "$hw_prebuilt/hardware" "$hw_prebuilt/hardware-src" "$b/"
        done
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
        LLMLINGS_NO_USERNS="${LLMLINGS_NO_USERNS:-}" \
        timeout -k 5 300 "$grader" --root "$wb" grade --json "$json" \
        >"$d/stdout" 2>"$d/stderr"
    rc=$?
    end=$(date +%s.%N)
    cp "$json" "$d/results.json" 2>/dev/null
    if [ "$attack" = workflow ]; then
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
            LLMLINGS_STATE_DIR="$state" "${ci_env[@]}" \
            LLMLINGS_NO_USERNS="${LLMLINGS_NO_USERNS:-}" \
            timeout -k 5 120 "$grader" --root "$wb" check 00_target \
            >"$d/check.stdout" 2>"$d/check.stderr"
    fi
    if [ "$attack" = overwrite ]; then
        # The cache is used this time: it must hold the grader's results.
        env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$d" LANG=C.UTF-8 \
            LLMLINGS_STATE_DIR="$state" \
            LLMLINGS_NO_USERNS="${LLMLINGS_NO_USERNS:-}" timeout -k 5 120 \
            "$grader" --root "$wb" grade --json "$d/results2.json" \
            >"$d/stdout2" 2>"$d/stderr2"
    fi
    # The organizer's grading of the same submission.
    jstart=$(date +%s.%N)
    no_landlock=""
    grade_run judge "$jstate" --judge --seed $seed
    jrc=$?
    jend=$(date +%s.%N)
    if [ "$attack" = poison_cache ]; then
        # Expectations are cached per seed: the next student's grading (and
        # one without Landlock) must not use what this run wrote.
        no_landlock=1
        grade_run judge_nolandlock "$jstate" --judge --seed $seed
        echo "JRC_NOLANDLOCK=$?" >>"$d/info.extra"
        no_landlock=""
        grade_run judge2 "$jstate" --judge --seed $seed
        echo "JRC2=$?" >>"$d/info.extra"
    fi
    cat >"$d/info" <<EOF
JRC=$jrc
JWALL=$(awk "BEGIN { printf \"%.2f\", $jend - $jstart }")
JSTATE_DIR=$jstate
JBUILD_DIR=$jbuild_dir
VICTIMS=$victim_tmp:$victim_dir
RC=$rc
WALL=$(awk "BEGIN { printf \"%.2f\", $end - $start }")
BOUND=$bound
MODE=$mode
RUN_UID=$run_uid
WORKBOOK=$wb
STATE_DIR=$state
BUILD_DIR=$build_dir
LANDLOCK=$landlock
USERNS=$userns
GITHUB_OUTPUT=$d/gh/output
GITHUB_STEP_SUMMARY=$d/gh/summary
EOF
    [ -f "$d/info.extra" ] && cat "$d/info.extra" >>"$d/info"
    row=$($py "$here/check.py" verify "$attack" "$d")
    [ $? -eq 0 ] || failed=1
    IFS=$'\t' read -r a v w l pl pj s notes <<<"$row"
    printf '%-20s %-10s %7s %9s %6s %6s  %s%s\n' "$a" "$v" "$w" "$l" "$pl" "$pj" "$s" "${notes:+: $notes}"
    if [ "$s" = FAIL ] && [ -s "$d/stderr" ]; then
        head -c 600 "$d/stderr" | sed 's/^/    grader stderr: /'
    fi
    if [ -z "${KEEP:-}" ]; then
        rm -rf "$build_dir" "$jbuild_dir" "$d" 2>/dev/null
    fi
    rm -f "$victim_tmp"
done
if [ $failed -ne 0 ]; then
    echo "== adversarial suite ($mode): FAILED"
    exit 1
fi
echo "== adversarial suite ($mode): all attacks handled"
