#!/usr/bin/env bash
# ci.sh: every shell step of the GitHub Actions workflows, so each one is a
# `make` target that also runs (and is tested) on a laptop:
#
#   student workflow (.github/workflows/grade.yml)
#     ci.sh grade     grade the workbook; raw output inside stop-commands
#     ci.sh report    job summary + inline annotations + exports
#     ci.sh submit    POST the opencamp payload; fails unless it was accepted
#   organizer workflow (.github/workflows/leaderboard.yml)
#     ci.sh matrix    check the roster, turn it into the job matrix (shards)
#     ci.sh build     install and build the grader once, for every shard
#     ci.sh fetch     clone each student of one shard (the only step that
#                     sees GIT_TOKEN); who cannot be cloned gets a record
#     ci.sh shard     grade each fetched student of one shard
#     ci.sh board     every roster line -> the leaderboard site
#
# Settings come from the environment (the Makefile passes its variables):
#   WORKBOOK (.)  RESULTS (results.json)  ROSTER (.github/roster.txt)
#   SHARD, SHARDS  OUT_DIR (results)  CLONES (clones)  SITE (site)
#   MAX_SHARDS (256)  GRADER_BIN (a grader built by `ci.sh build`; default
#   grader/build/grader)  CLONE_TIMEOUT (300 s)  GRADE_TIMEOUT (3600 s)
#   PREVIOUS: the last published leaderboard.json (a file or an https URL;
#   first-reached times are carried forward from it)
#   GIT_TOKEN (secret), GIT_TOKEN_URL (https://github.com/): read access to
#   private repositories, given to git as an HTTP header (grader/README.md)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT: as GitHub sets them; when unset the
#   text goes to standard output instead.
#   LEADERBOARD_URL, LEADERBOARD_TOKEN (secrets), LEADERBOARD_COURSE_ID,
#   LEADERBOARD_NAME or LEADERBOARD_REPO_PREFIX, LEADERBOARD_CHANNEL.
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
grader=${GRADER_BIN:-$repo/grader/build/grader}
WORKBOOK=${WORKBOOK:-.}
RESULTS=${RESULTS:-results.json}
ROSTER=${ROSTER:-.github/roster.txt}
OUT_DIR=${OUT_DIR:-results}
CLONES=${CLONES:-clones}
SITE=${SITE:-site}
MAX_SHARDS=${MAX_SHARDS:-256}
CLONE_TIMEOUT=${CLONE_TIMEOUT:-300}
GRADE_TIMEOUT=${GRADE_TIMEOUT:-3600}
PREVIOUS=${PREVIOUS:-}

# Limits of the roster (a bigger one is refused with the number).
ROSTER_MAX_BYTES=$((1024 * 1024))
ROSTER_MAX_STUDENTS=10000
URL_MAX=1024
REV_MAX=256

# Secrets are kept in shell variables, not in the environment, so that no
# program started from here (git apart, which is given what it needs) and
# no student code inherits them.
git_token=${GIT_TOKEN:-}
git_token_url=${GIT_TOKEN_URL:-https://github.com/}
leaderboard_token=${LEADERBOARD_TOKEN:-}
unset GIT_TOKEN LEADERBOARD_TOKEN

die() {
    echo "ci: $*" >&2
    exit 1
}

# Output of untrusted programs between these two lines cannot act as a
# workflow command: the runner ignores commands until it sees the token,
# which is random and printed only by us.
stop_commands() {
    token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    echo "::stop-commands::$token"
}
resume_commands() { echo "::$token::"; }

# Exit 0 when graded (all passed or some not yet: the summary says which),
# the grader's own code for usage (2) and internal (3) errors.
grade_code() { [ "$1" -le 1 ] && return 0 || return "$1"; }

# Text we did not write (git's messages, a service's answer) on one line,
# without control characters, at most 300 bytes, with every secret we hold
# replaced by ***.
clean_text() {
    local s=$1 secret
    for secret in "$git_token" "$leaderboard_token"; do
        [ -n "$secret" ] && s=${s//"$secret"/***}
    done
    s=$(printf '%s' "$s" | LC_ALL=C tr '\000-\037\177' ' ')
    printf '%s' "${s:0:300}"
}

# A JSON string of clean_text.
json_string() {
    local s
    s=$(clean_text "$1")
    s=${s//\\/\\\\}
    printf '"%s"' "${s//\"/\\\"}"
}

# A URL as it may be shown: user and password parts replaced by ***.
public_url() {
    printf '%s' "$1" | sed -E 's#^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@#\1***@#'
}

# A workflow annotation on a roster line (only on GitHub: locally the
# plain message says the same).
annotate_roster() { # LEVEL LINE MESSAGE
    [ -n "${GITHUB_ACTIONS:-}" ] || return 0
    local msg=${3//%/%25}
    echo "::$1 file=$ROSTER,line=$2::$msg"
}

# ---- student workflow --------------------------------------------------------

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

# Who the score belongs to: LEADERBOARD_NAME when set (the organizer's
# mapping, e.g. a repository variable); else, with LEADERBOARD_REPO_PREFIX
# (GitHub Classroom: ORG/PREFIX-LOGIN), the repository name without the
# prefix; else the owner of the repository. Never the actor: a teaching
# assistant who re-runs the workflow must not take the score.
student_name() {
    if [ -n "${LEADERBOARD_NAME:-}" ]; then
        printf '%s' "$LEADERBOARD_NAME"
        return 0
    fi
    local full=${GITHUB_REPOSITORY:-} prefix=${LEADERBOARD_REPO_PREFIX:-}
    if [ -n "$prefix" ]; then
        local repo_name=${full#*/}
        [ -n "$full" ] && [[ "$repo_name" == "$prefix"?* ]] ||
            die "repository \"$full\" does not start with LEADERBOARD_REPO_PREFIX \"$prefix\""
        printf '%s' "${repo_name#"$prefix"}"
        return 0
    fi
    [ -n "${GITHUB_REPOSITORY_OWNER:-}" ] ||
        die "no student name: set LEADERBOARD_NAME (or run on GitHub, where the repository owner is used)"
    printf '%s' "$GITHUB_REPOSITORY_OWNER"
}

cmd_submit() {
    if [ -z "${LEADERBOARD_URL:-}" ] || [ -z "$leaderboard_token" ]; then
        echo "ci: LEADERBOARD_URL and LEADERBOARD_TOKEN are not both set: not submitting"
        return 0
    fi
    [ -f "$RESULTS" ] || die "no $RESULTS: run the grade step first"
    [[ "${LEADERBOARD_COURSE_ID:-}" =~ ^[0-9]{1,18}$ ]] ||
        die "LEADERBOARD_COURSE_ID must be the course's number on the leaderboard, got \"${LEADERBOARD_COURSE_ID:-}\""
    local name
    name=$(student_name) || return 1
    local args=(--name "$name" --course-id "$LEADERBOARD_COURSE_ID")
    [ -n "${LEADERBOARD_CHANNEL:-}" ] && args+=(--channel "$LEADERBOARD_CHANNEL")
    [ -n "${GITHUB_SHA:-}" ] && args+=(--ext "$GITHUB_SHA")
    local payload answer
    payload=$(mktemp) && answer=$(mktemp) || return 1
    "$grader" report --format opencamp "${args[@]}" --out "$payload" "$RESULTS" || return 1
    echo "ci: submitting $(tr -d '\n\t' <"$payload")"
    # The token goes in headers read from a file descriptor, never on a
    # command line (where ps could show it) nor in the log. opencamp reads
    # the "token" header; Authorization is the common form elsewhere.
    local http
    http=$(curl --silent --show-error --max-time 30 -X POST \
        -H "Content-Type: application/json" -H "Accept: application/json" \
        -H @<(printf 'token: %s\nAuthorization: Bearer %s\n' "$leaderboard_token" "$leaderboard_token") \
        --data-binary @"$payload" -o "$answer" -w '%{http_code}' "$LEADERBOARD_URL" 2>"$answer.err")
    local rc=$? body result
    body=$(clean_text "$(head -c 2000 "$answer")")
    local curl_err
    curl_err=$(clean_text "$(cat "$answer.err")")
    rm -f "$payload" "$answer" "$answer.err"
    # Accepted means HTTP 2xx and a JSON answer whose "result" is 1 (the
    # service's success code); anything else fails this step, visibly.
    result=$(grep -oE '"result"[[:space:]]*:[[:space:]]*-?[0-9]+' <<<"$body" | head -n 1 | grep -oE -- '-?[0-9]+$')
    if [ $rc -ne 0 ]; then
        echo "::error title=Leaderboard::the score was not submitted: $curl_err"
        die "the score was not submitted: $curl_err"
    elif [[ ! "$http" =~ ^2 ]] || [ "${result:-}" != 1 ]; then
        echo "::error title=Leaderboard::the leaderboard did not accept the score (HTTP $http, result ${result:-missing}): $body"
        die "the leaderboard did not accept the score (HTTP $http, result ${result:-missing}): $body"
    fi
    echo "ci: the leaderboard accepted the score (HTTP $http, result 1)"
}

# ---- the roster ----------------------------------------------------------------
#
# One student per line, "NAME REPOSITORY [REV]"; a field starting with '#'
# starts a comment. roster_load reads it into R_NAME, R_URL, R_REV, R_LINE
# and R_REFUSED (why the repository will not be fetched, or empty), and
# returns 1 after listing every error by line number: a NUL byte, a
# carriage return, a bad NAME, a duplicate NAME (ignoring case: GitHub
# logins do), a missing or extra field, an option-like value, a roster over
# its limits. A REPOSITORY of a transport we do not fetch from is not an
# error: the student appears on the board as not graded, with the reason.

roster_error() { # LINE MESSAGE
    echo "ci: $ROSTER:$1: $2" >&2
    annotate_roster error "$1" "$2"
    roster_errors=$((roster_errors + 1))
}

# Why REPOSITORY is refused, or nothing when it is one we fetch from:
# https, ssh (ssh:// or user@host:path), file:// and absolute local paths
# (tests, a local organizer); plain http only to this machine (tests).
url_refusal() {
    local url=$1
    # A user part in an http(s) URL, or a password in an ssh one, is a
    # credential that would end up in logs and results.
    if [[ "$url" =~ ^https?://[^/]*@ ]] || [[ "$url" =~ ^ssh://[^/@]*:[^/@]*@ ]]; then
        echo "refused URL: it carries credentials; give private repositories' access through GIT_TOKEN (grader/README.md)"
        return 0
    fi
    case "$url" in
    *::*) echo "refused URL: the remote helper \"${url%%::*}::\" is not allowed (https, ssh or a local path)" ;;
    https://?* | ssh://?* | file:///*) ;;
    http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
    http://*) echo "refused URL: plain http:// (use https://)" ;;
    git://*) echo "refused URL: git:// is neither authenticated nor encrypted (use https://)" ;;
    /*) ;;
    *://*) echo "refused URL: the transport \"${url%%://*}://\" is not allowed (https, ssh or a local path)" ;;
    *:*)
        # scp-like ssh syntax: [user@]host:path, no slash before the colon.
        local host=${url%%:*}
        [[ "$host" =~ ^([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+$ ]] ||
            echo "refused URL: not a URL git fetches from over https or ssh"
        ;;
    *) echo "refused URL: a relative path (use an absolute path or a URL)" ;;
    esac
}

roster_load() {
    R_NAME=() R_URL=() R_REV=() R_LINE=() R_REFUSED=()
    roster_errors=0
    [ -f "$ROSTER" ] || die "no roster file $ROSTER (one student per line: NAME REPOSITORY [REV])"
    local size
    size=$(wc -c <"$ROSTER")
    [ "$size" -le "$ROSTER_MAX_BYTES" ] ||
        die "$ROSTER: $size bytes, more than the limit of $ROSTER_MAX_BYTES"
    local n rest
    while IFS=: read -r n rest; do
        roster_error "$n" "a NUL byte: the roster is text, one student per line"
    done < <(LC_ALL=C grep -n -a -P '\x00' "$ROSTER")
    while IFS=: read -r n rest; do
        roster_error "$n" "a carriage return (CRLF line ending?): save the roster with LF line endings"
    done < <(LC_ALL=C grep -n -a $'\r' "$ROSTER")
    declare -A seen=()
    local line name url rev extra key
    n=0
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + 1))
        [[ "$line" == *$'\r'* ]] && continue # reported above
        local plain=${line//$'\t'/ }
        if [[ "$plain" == *[[:cntrl:]]* ]]; then
            roster_error "$n" "a control character"
            continue
        fi
        name='' url='' rev='' extra=''
        read -r name url rev extra <<<"$plain"
        case "$name" in '' | '#'*) continue ;; esac
        [[ "$url" == '#'* ]] && url=''
        [[ "$rev" == '#'* ]] && rev='' extra=''
        [[ "$extra" == '#'* ]] && extra=''
        if [ -n "$extra" ]; then
            roster_error "$n" "more than NAME REPOSITORY [REV]: \"$extra\""
        elif [[ ! "$name" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$ ]]; then
            roster_error "$n" "NAME must be 1-64 characters of A-Z a-z 0-9 _ . - not starting with . or -, got \"$name\""
        elif [ -z "$url" ]; then
            roster_error "$n" "no REPOSITORY after \"$name\""
        elif [[ "$url" == -* ]] || [[ "$rev" == -* ]]; then
            roster_error "$n" "REPOSITORY or REV starts with -"
        elif [ ${#url} -gt $URL_MAX ] || [ ${#rev} -gt $REV_MAX ]; then
            roster_error "$n" "REPOSITORY longer than $URL_MAX or REV longer than $REV_MAX characters"
        else
            key=${name,,}
            if [ -n "${seen[$key]:-}" ]; then
                roster_error "$n" "duplicate NAME \"$name\" (line ${seen[$key]}; names are compared ignoring case)"
                continue
            fi
            seen[$key]=$n
            R_NAME+=("$name") R_URL+=("$url") R_REV+=("${rev:-HEAD}") R_LINE+=("$n")
            R_REFUSED+=("$(url_refusal "$url")")
        fi
    done < <(LC_ALL=C tr -d '\000' <"$ROSTER")
    if [ ${#R_NAME[@]} -gt $ROSTER_MAX_STUDENTS ]; then
        roster_error "$n" "${#R_NAME[@]} students, more than the limit of $ROSTER_MAX_STUDENTS"
    fi
    if [ $roster_errors -gt 0 ]; then
        echo "ci: $ROSTER: $roster_errors error(s): fix the roster; nothing was graded" >&2
        return 1
    fi
    return 0
}

cmd_matrix() {
    roster_load || exit 1
    local n=${#R_NAME[@]} i
    for ((i = 0; i < n; i++)); do
        if [ -n "${R_REFUSED[$i]}" ]; then
            echo "ci: $ROSTER:${R_LINE[$i]}: ${R_NAME[$i]}: ${R_REFUSED[$i]} (on the board as not graded)" >&2
            annotate_roster warning "${R_LINE[$i]}" "${R_NAME[$i]}: ${R_REFUSED[$i]}"
        fi
    done
    local shards=$((n < MAX_SHARDS ? n : MAX_SHARDS))
    local list='' out=${GITHUB_OUTPUT:-/dev/stdout}
    # No student (a fresh copy of the workbook): shards=0 and the workflow
    # skips its grading and publishing jobs; the matrix stays well-formed.
    [ "$shards" -gt 0 ] && list=$(seq -s, 0 $((shards - 1)))
    # One judge seed per run, shared by every shard: all students are
    # graded on the same secret inputs, and the reference's expectations
    # are computed once per shard, not once per student.
    local seed
    seed=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
    {
        echo "students=$n"
        echo "shards=$shards"
        echo "matrix={\"shard\":[$list]}"
        echo "seed=$seed"
    } >>"$out"
    echo "ci: $n students in $shards shards" >&2
}

# ---- building once ---------------------------------------------------------------

cmd_build() {
    "$grader" --version >/dev/null || die "the grader at $grader does not run"
    echo "ci: built $grader ($("$grader" --version 2>&1 | head -n 1)); the shards take this binary"
}

# A grader handed over as an artifact loses its executable bit.
grader_ready() {
    [ -f "$grader" ] || die "no grader at $grader (run make ci-build, or set GRADER_BIN)"
    [ -x "$grader" ] || chmod u+x "$grader" || die "cannot make $grader executable"
    "$grader" --version >/dev/null 2>&1 || die "the grader at $grader does not run"
}

# ---- one shard: fetch, then grade --------------------------------------------

shard_args() {
    SHARD=${SHARD:?SHARD (which shard, from 0)}
    SHARDS=${SHARDS:?SHARDS (how many)}
    [[ "$SHARD" =~ ^[0-9]+$ && "$SHARDS" =~ ^[0-9]+$ ]] && [ "$SHARD" -lt "$SHARDS" ] ||
        die "SHARD must be in 0..SHARDS-1, got SHARD=$SHARD SHARDS=$SHARDS"
}

# Writes OUT_DIR/NAME/results.json for a student who could not be graded.
# The leaderboard lists them after everybody graded, with the reason.
write_ungraded() { # NAME URL REV REASON DETAIL STAGE
    local dir="$OUT_DIR/$1"
    mkdir -p "$dir" || return 1
    {
        printf '{"schema": "llmlings-ungraded/1", "name": %s, ' "$(json_string "$1")"
        printf '"repository": %s, "rev": %s, ' "$(json_string "$(public_url "$2")")" "$(json_string "$3")"
        printf '"reason": %s, "detail": %s, ' "$(json_string "$4")" "$(json_string "$5")"
        printf '"stage": "%s", "generated_at": "%s"}\n' "$6" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"$dir/results.json"
    echo "ci: $1: not graded: $4${5:+ ($(clean_text "$5"))}" >&2
}

is_ungraded() { grep -q '"schema": "llmlings-ungraded/1"' "$1" 2>/dev/null; }

# git as the fetch step runs it: only the transports a roster may use, no
# prompt, no credential helper, bounded in time; with GIT_TOKEN, an
# Authorization header for GIT_TOKEN_URL given through git's environment
# (never its command line, a URL or a file).
git_limited() { # URL, then git's arguments
    local url=$1 allow=https:ssh:file
    shift
    [[ "$url" == http://* ]] && allow=$allow:http
    local env=(GIT_ALLOW_PROTOCOL=$allow GIT_TERMINAL_PROMPT=0 GIT_ASKPASS=/bin/false
        SSH_ASKPASS=/bin/false GCM_INTERACTIVE=never
        "GIT_SSH_COMMAND=ssh -o BatchMode=yes -o ConnectTimeout=30")
    if [ -n "$git_token" ]; then
        local basic
        basic=$(printf 'x-access-token:%s' "$git_token" | base64 -w0)
        env+=(GIT_CONFIG_COUNT=1 "GIT_CONFIG_KEY_0=http.$git_token_url.extraHeader"
            "GIT_CONFIG_VALUE_0=Authorization: Basic $basic")
    fi
    env "${env[@]}" timeout -k 10 "$CLONE_TIMEOUT" git -c credential.helper= \
        -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 "$@"
}

# Why a clone failed, from git's exit code and last words.
clone_reason() { # RC ERRFILE
    local msg
    msg=$(tr 'A-Z' 'a-z' <"$2")
    if [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then
        echo "no answer within ${CLONE_TIMEOUT} s"
    elif grep -q "not allowed" <<<"$msg"; then
        echo "refused URL"
    elif grep -qE "could not read (username|password)|authentication failed|permission denied|returned error: 40[13]" <<<"$msg"; then
        echo "no read access"
    elif grep -qE "not found|does not exist|does not appear to be a git repository|no such file" <<<"$msg"; then
        echo "no such repository"
    elif grep -qE "could not resolve host|failed to connect|timed out|connection refused" <<<"$msg"; then
        echo "network error"
    else
        echo "cannot clone"
    fi
}

fetch_student() { # NAME URL REV REFUSED
    local name=$1 url=$2 rev=$3 clone="$CLONES/$1.git" err="$CLONES/$1.err"
    rm -rf "$clone" "$OUT_DIR/$name"
    if [ -n "$4" ]; then
        write_ungraded "$name" "$url" "$rev" "${4%%:*}" "${4#*: }" fetch
        return 1
    fi
    echo "ci: fetching $name ($rev)"
    # Bare and without checkout: no file of theirs is written, no hook
    # runs. No --filter: libgit2 cannot fetch the missing blobs of a
    # partial clone. The latest commit needs no history (--depth 1).
    local depth=()
    [ "$rev" = HEAD ] && depth=(--depth 1)
    git_limited "$url" clone --quiet --bare "${depth[@]}" -- "$url" "$clone" 2>"$err"
    local rc=$?
    if [ $rc -ne 0 ]; then
        local reason detail
        reason=$(clone_reason $rc "$err")
        detail=$(grep . "$err" | tail -n 1)
        [ "$reason" = "no read access" ] &&
            detail="$detail (a private repository? give the shards a token: GIT_TOKEN in grader/README.md)"
        write_ungraded "$name" "$url" "$rev" "$reason" "$detail" fetch
        rm -rf "$clone" "$err"
        return 1
    fi
    rm -f "$err"
    if [ -z "$(git -C "$clone" for-each-ref --count=1)" ]; then
        write_ungraded "$name" "$url" "$rev" "empty repository" "no commit yet" fetch
        return 1
    fi
    if ! timeout 60 git -C "$clone" rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then
        write_ungraded "$name" "$url" "$rev" "bad rev" "no commit \"$rev\" in the repository" fetch
        return 1
    fi
}

for_my_students() { # FUNCTION: called with NAME URL REV REFUSED
    local i failed=0
    for ((i = SHARD; i < ${#R_NAME[@]}; i += SHARDS)); do
        "$1" "${R_NAME[$i]}" "${R_URL[$i]}" "${R_REV[$i]}" "${R_REFUSED[$i]}" || failed=$((failed + 1))
    done
    return $((failed > 100 ? 100 : failed))
}

cmd_fetch() {
    shard_args
    roster_load || exit 1
    mkdir -p "$CLONES" "$OUT_DIR" || return 1
    for_my_students fetch_student
    local failed=$?
    echo "ci: shard $SHARD/$SHARDS fetched; $failed student(s) could not be fetched (recorded for the board)"
    return 0 # the grade step counts them in its exit status
}

grade_student() { # NAME URL REV REFUSED
    local name=$1 url=$2 rev=$3 clone="$CLONES/$1.git"
    local out="$OUT_DIR/$name/results.json" log="$CLONES/$1.log"
    if is_ungraded "$out"; then
        return 1 # fetch recorded why
    fi
    if [ ! -d "$clone" ]; then
        write_ungraded "$name" "$url" "$rev" "not fetched" "run the fetch step (make ci-fetch) first" grade
        return 1
    fi
    mkdir -p "$OUT_DIR/$name" || return 1
    rm -f "$out"
    echo "ci: grading $name at $rev"
    stop_commands
    local seed=()
    [ -n "${JUDGE_SEED:-}" ] && seed=(--seed "$JUDGE_SEED")
    timeout -k 30 "$GRADE_TIMEOUT" "$grader" --root "$WORKBOOK" grade --repo "$clone" --rev "$rev" \
        "${seed[@]}" --json "$out" >"$log" 2>&1
    local rc=$?
    cat "$log"
    resume_commands
    local last
    last=$(grep . "$log" | tail -n 1)
    case $rc in
    0 | 1)
        [ -s "$out" ] && return 0
        write_ungraded "$name" "$url" "$rev" "no results" "the grader wrote no results file" grade
        ;;
    124 | 137) write_ungraded "$name" "$url" "$rev" "grading timed out" "still running after $GRADE_TIMEOUT s" grade ;;
    2) write_ungraded "$name" "$url" "$rev" "the grader refused it" "$last" grade ;;
    *) write_ungraded "$name" "$url" "$rev" "internal error of the grader" "exit code $rc: $last" grade ;;
    esac
    return 1
}

cmd_shard() {
    shard_args
    roster_load || exit 1
    grader_ready
    mkdir -p "$OUT_DIR" || return 1
    for_my_students grade_student
    local failed=$?
    echo "ci: shard $SHARD/$SHARDS done: $failed student(s) could not be graded (exit status = that count, at most 100)"
    [ -n "${GITHUB_OUTPUT:-}" ] && echo "not_graded=$failed" >>"$GITHUB_OUTPUT"
    [ -n "${GITHUB_STEP_SUMMARY:-}" ] &&
        echo "Shard $SHARD of $SHARDS: $failed student(s) could not be graded (listed with the reason on the board)." >>"$GITHUB_STEP_SUMMARY"
    return $failed
}

# ---- the board -------------------------------------------------------------------

# The previous board, for first-reached times: "" when there is none yet.
previous_board() { # DEST
    case "$PREVIOUS" in
    '') return 1 ;;
    https://* | http://127.0.0.1[:/]* | http://localhost[:/]*)
        local code
        code=$(curl --silent --show-error --location --max-redirs 3 --max-time 60 -o "$1" -w '%{http_code}' "$PREVIOUS") ||
            die "cannot fetch the previous leaderboard $PREVIOUS: set PREVIOUS= to start the first-reached times afresh"
        case $code in
        200) return 0 ;;
        404)
            echo "ci: no previous leaderboard at $PREVIOUS (the first run): first-reached times start now" >&2
            return 1
            ;;
        *) die "cannot fetch the previous leaderboard $PREVIOUS (HTTP $code): set PREVIOUS= to start the first-reached times afresh" ;;
        esac
        ;;
    *://*) die "PREVIOUS must be a file or an https URL, got $PREVIOUS" ;;
    *)
        if [ -f "$PREVIOUS" ]; then
            cp "$PREVIOUS" "$1" && return 0
        fi
        echo "ci: no previous leaderboard at $PREVIOUS: first-reached times start now" >&2
        return 1
        ;;
    esac
}

cmd_board() {
    grader_ready
    mkdir -p "$OUT_DIR" || return 1
    # Every roster line is on the board: a student whose shard left no
    # results (the job failed, timed out or was cancelled) gets a record.
    if [ -f "$ROSTER" ]; then
        roster_load || exit 1
        declare -A have=()
        local d
        while IFS= read -r d; do have[${d##*/}]=1; done < <(find "$OUT_DIR" -name results.json -printf '%h\n')
        local i saved=$OUT_DIR
        OUT_DIR="$saved/missing"
        for ((i = 0; i < ${#R_NAME[@]}; i++)); do
            [ -n "${have[${R_NAME[$i]}]:-}" ] ||
                write_ungraded "${R_NAME[$i]}" "${R_URL[$i]}" "${R_REV[$i]}" "no result" \
                    "its shard left no results (the job failed, timed out or was cancelled)" board
        done
        OUT_DIR=$saved
    fi
    local prev args=()
    prev=$(mktemp) || return 1
    previous_board "$prev" && args+=(--previous "$prev")
    "$grader" leaderboard --out "$SITE" "${args[@]}" "$OUT_DIR"
    local rc=$?
    rm -f "$prev"
    [ $rc -eq 0 ] || return $rc
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        cat "$SITE/leaderboard.md" >>"$GITHUB_STEP_SUMMARY"
    fi
}

case "${1:-}" in
grade) cmd_grade ;;
report) cmd_report ;;
submit) cmd_submit ;;
matrix) cmd_matrix ;;
build) cmd_build ;;
fetch) cmd_fetch ;;
shard) cmd_shard ;;
board) cmd_board ;;
*) die "usage: ci.sh grade|report|submit|matrix|build|fetch|shard|board" ;;
esac
