#!/usr/bin/env bash
# ci.sh: every shell step of the GitHub Actions workflows, so each one is a
# `make` target that also runs (and is tested) on a laptop:
#
#   student workflow (.github/workflows/grade.yml)
#     ci.sh grade     grade the workbook; raw output inside stop-commands
#     ci.sh report    job summary + inline annotations + exports
#     ci.sh submit    POST the opencamp payload, only with both secrets set
#   organizer workflow (.github/workflows/leaderboard.yml)
#     ci.sh matrix    roster -> the job matrix (shards)
#     ci.sh shard     grade one shard of the roster at each latest commit
#     ci.sh board     aggregate every result into the leaderboard site
#
# Settings come from the environment (the Makefile passes its variables):
#   WORKBOOK (.)  RESULTS (results.json)  ROSTER (.github/roster.txt)
#   SHARD, SHARDS  OUT_DIR (results)  SITE (site)  MAX_SHARDS (256)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT: as GitHub sets them; when unset the
#   text goes to standard output instead.
#   LEADERBOARD_URL, LEADERBOARD_TOKEN (secrets), LEADERBOARD_NAME (default
#   GITHUB_ACTOR), LEADERBOARD_COURSE_ID, LEADERBOARD_CHANNEL.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
grader="$repo/grader/build/grader"
WORKBOOK=${WORKBOOK:-.}
RESULTS=${RESULTS:-results.json}
ROSTER=${ROSTER:-.github/roster.txt}
OUT_DIR=${OUT_DIR:-results}
SITE=${SITE:-site}
MAX_SHARDS=${MAX_SHARDS:-256}

die() { echo "ci: $*" >&2; exit 1; }

# Output of untrusted programs between these two lines cannot act as a
# workflow command: the runner ignores commands until it sees the token,
# which is random and printed only by us.
stop_commands() { token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n'); echo "::stop-commands::$token"; }
resume_commands() { echo "::$token::"; }

# Exit 0 when graded (all passed or some not yet: the summary says which),
# the grader's own code for usage (2) and internal (3) errors.
grade_code() { [ "$1" -le 1 ] && return 0 || return "$1"; }

cmd_grade() {
    stop_commands
    "$grader" --root "$WORKBOOK" grade --json "$RESULTS"
    local rc=$?
    resume_commands
    echo "ci: grader exit code $rc (0 all passed, 1 some not passed yet)"
    grade_code "$rc"
}

cmd_report() {
    [ -f "$RESULTS" ] || die "no $RESULTS: run the grade step first"
    local base=${RESULTS%.json} summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
    "$grader" report --format summary "$RESULTS" >>"$summary" || return 1
    # Annotations are trusted lines the grader prints with every student
    # byte escaped; they must be outside stop-commands to take effect.
    "$grader" report --format annotations --manifest "$WORKBOOK/exercises/manifest.json" "$RESULTS" || return 1
    "$grader" report --format junit --out "$base.junit.xml" "$RESULTS" &&
        "$grader" report --format gradescope --out "$base.gradescope.json" "$RESULTS" &&
        "$grader" report --format classroom --out "$base.classroom.json" "$RESULTS"
}

cmd_submit() {
    if [ -z "${LEADERBOARD_URL:-}" ] || [ -z "${LEADERBOARD_TOKEN:-}" ]; then
        echo "ci: LEADERBOARD_URL and LEADERBOARD_TOKEN are not both set: not submitting"
        return 0
    fi
    [ -f "$RESULTS" ] || die "no $RESULTS: run the grade step first"
    local name=${LEADERBOARD_NAME:-${GITHUB_ACTOR:-}}
    [ -n "$name" ] || die "no student name (LEADERBOARD_NAME or GITHUB_ACTOR)"
    local args=(--name "$name")
    [ -n "${LEADERBOARD_COURSE_ID:-}" ] && args+=(--course-id "$LEADERBOARD_COURSE_ID")
    [ -n "${LEADERBOARD_CHANNEL:-}" ] && args+=(--channel "$LEADERBOARD_CHANNEL")
    [ -n "${GITHUB_SHA:-}" ] && args+=(--ext "$GITHUB_SHA")
    local payload
    payload=$(mktemp) || return 1
    "$grader" report --format opencamp "${args[@]}" --out "$payload" "$RESULTS" || return 1
    echo "ci: submitting $(tr -d '\n\t' <"$payload")"
    # The token goes in a header read from a file descriptor, never on the
    # command line (where ps could show it) nor in the log.
    if curl --fail --silent --show-error --max-time 30 -X POST \
        -H "Content-Type: application/json" -H @<(printf 'Authorization: Bearer %s\n' "$LEADERBOARD_TOKEN") \
        --data-binary @"$payload" "$LEADERBOARD_URL" -o /dev/null; then
        echo "ci: submitted to the leaderboard"
        rm -f "$payload"
    else
        rm -f "$payload"
        die "the leaderboard did not accept the submission"
    fi
}

# The roster: one student per line, "NAME REPOSITORY [REV]"; '#' starts a
# comment. NAME is [A-Za-z0-9_.-] (it names files and artifacts);
# REPOSITORY is a git URL or path; REV defaults to the repository's HEAD
# (its latest commit). Bad lines are reported and left out.
roster_lines() {
    [ -f "$ROSTER" ] || die "no roster file $ROSTER"
    local n=0 name url rev extra
    while read -r name url rev extra || [ -n "${name:-}" ]; do
        n=$((n + 1))
        case "$name" in '' | '#'*) continue ;; esac
        if [[ ! "$name" =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || [[ "$name" == .* ]] || [ -z "$url" ] ||
            [ -n "$extra" ] || [[ "$url" == -* ]] || [[ "${rev:-}" == -* ]]; then
            echo "ci: $ROSTER:$n: not \"NAME REPOSITORY [REV]\": left out" >&2
            continue
        fi
        printf '%s\t%s\t%s\n' "$name" "$url" "${rev:-HEAD}"
    done <"$ROSTER"
}

cmd_matrix() {
    local n shards
    n=$(roster_lines | wc -l)
    shards=$((n < MAX_SHARDS ? n : MAX_SHARDS))
    local list=0 out=${GITHUB_OUTPUT:-/dev/stdout}
    # No student (a fresh copy of the workbook): shards=0 and the workflow
    # skips its grading and publishing jobs; the matrix stays well-formed.
    [ "$shards" -gt 0 ] && list=$(seq -s, 0 $((shards - 1)))
    echo "shards=$shards" >>"$out"
    echo "matrix={\"shard\":[$list]}" >>"$out"
    echo "ci: $n students in $shards shards" >&2
}

cmd_shard() {
    local shard=${SHARD:?SHARD}
    local shards=${SHARDS:?SHARDS}
    mkdir -p "$OUT_DIR" || return 1
    local work i=0 failed=0 name url rev
    work=$(mktemp -d) || return 1
    while IFS=$'\t' read -r name url rev; do
        if [ $((i % shards)) -eq "$shard" ]; then
            grade_student "$name" "$url" "$rev" "$work" || failed=$((failed + 1))
        fi
        i=$((i + 1))
    done < <(roster_lines)
    rm -rf "$work"
    echo "ci: shard $shard/$shards done, $failed student(s) could not be graded"
    return 0
}

# One student: fetch their repository without checking anything out (no
# file of theirs is written, no hook runs), then grade REV with the
# pristine tests of this workbook (grade --repo --rev).
grade_student() {
    local name=$1 url=$2 rev=$3 work=$4
    echo "ci: grading $name at $rev"
    # No --filter: libgit2 cannot fetch the missing blobs of a partial
    # clone. The latest commit needs no history (--depth 1); another REV
    # may be anywhere in it.
    local depth=()
    [ "$rev" = HEAD ] && depth=(--depth 1)
    if ! git clone --quiet --bare "${depth[@]}" -- "$url" "$work/$name.git" 2>"$work/$name.err"; then
        echo "ci: $name: cannot clone: $(tail -n 1 "$work/$name.err")" >&2
        return 1
    fi
    stop_commands
    "$grader" --root "$WORKBOOK" grade --repo "$work/$name.git" --rev "$rev" --json "$OUT_DIR/$name.json" >"$work/$name.log" 2>&1
    local rc=$?
    cat "$work/$name.log"
    resume_commands
    if [ "$rc" -gt 1 ]; then
        echo "ci: $name: grader exit code $rc" >&2
        grep -q 'unknown argument "--repo"' "$work/$name.log" &&
            echo "ci: this grader has no grade --repo yet (issue 4, branch integrity)" >&2
        rm -f "$OUT_DIR/$name.json"
        return 1
    fi
}

cmd_board() {
    [ -d "$OUT_DIR" ] || die "no results folder $OUT_DIR"
    "$grader" leaderboard --out "$SITE" "$OUT_DIR" || return 1
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        cat "$SITE/leaderboard.md" >>"$GITHUB_STEP_SUMMARY"
    fi
}

case "${1:-}" in
grade) cmd_grade ;;
report) cmd_report ;;
submit) cmd_submit ;;
matrix) cmd_matrix ;;
shard) cmd_shard ;;
board) cmd_board ;;
*) die "usage: ci.sh grade|report|submit|matrix|shard|board" ;;
esac
