#!/usr/bin/env bash
# The grader in Simplified Chinese, end to end, on a throw-away copy of
# 00_hello: how the language is chosen (LLMLINGS_LANG, LC_ALL, LANG,
# --lang), that the check screen, a failing test's message, hints_zh and
# the lecture twin come out in Chinese, and that what machines read (exit
# codes, verdict names, the results JSON) does not change with the
# language. Needs grader/build/grader.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
grader="$repo/grader/build/grader"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LLMLINGS_STATE_DIR="$work/state"
export NO_COLOR=1
unset LLMLINGS_LANG LC_ALL LC_MESSAGES LANG

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "  ok   $1"; }
bad() { failed=$((failed + 1)); echo "  FAIL $1"; echo "$2" | sed 's/^/       /'; }

# 00_hello alone, its manifest entry given Chinese hints, and a Chinese
# twin of its lecture. (At the end, a performance spec and its reference
# solution, for the instructor's outputs.)
mkdir -p "$work/wb"
(cd "$repo" && git ls-files -z exercises/common exercises/00_hello |
    xargs -0 -I{} cp --parents {} "$work/wb/")
"$py" - "$repo/exercises/manifest.json" "$work/wb/exercises/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"] = [e for e in m["exercises"] if e["id"] == "00_hello"]
e = m["exercises"][0]
e["hints_zh"] = [f"第 {i + 1} 条提示" for i in range(len(e["hints"]))]
e["lecture"] = "lectures/00_warmup.md#the-loop"
json.dump(m, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
PY
mkdir -p "$work/wb/lectures/zh-CN"
touch "$work/wb/lectures/00_warmup.md" "$work/wb/lectures/zh-CN/00_warmup.md"

# run NAME WANT_CODE NEEDLE ABSENT -- [VAR=VALUE...] grader ARGS...: runs
# the grader in the copy with the environment given; checks the exit code,
# that NEEDLE is in the output and ABSENT (when not empty) is not.
run() {
    local name=$1 want=$2 needle=$3 absent=$4
    shift 5
    local out code
    out=$(cd "$work/wb" && env "$@" 2>&1)
    code=$?
    if [ "$code" != "$want" ]; then
        bad "$name" "exit $code, expected $want; output:
$out"
    elif ! grep -qF -- "$needle" <<<"$out"; then
        bad "$name" "output lacks \"$needle\":
$out"
    elif [ -n "$absent" ] && grep -qF -- "$absent" <<<"$out"; then
        bad "$name" "output has \"$absent\":
$out"
    else
        ok "$name"
    fi
}

echo "== grader in Chinese (zh-CN)"
run "LLMLINGS_LANG=zh-CN: the check screen and the failure in Chinese" 1 \
    "test_hello.c:10: add(2, 3)：期望 5，实际为 2" "expected" -- \
    LLMLINGS_LANG=zh-CN "$grader" check 00_hello
run "verdict names stay as they are" 1 "failed       hello/greet_fits" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" check 00_hello
run "LANG=zh_CN.UTF-8 chooses Chinese" 1 "第一个失败" "First failure" -- \
    LANG=zh_CN.UTF-8 "$grader" check 00_hello
run "LC_ALL=C overrides LANG=zh_CN.UTF-8" 1 "First failure" "第一个失败" -- \
    LC_ALL=C LANG=zh_CN.UTF-8 "$grader" check 00_hello
run "LLMLINGS_LANG=en overrides LANG=zh_CN.UTF-8" 1 "First failure" "" -- \
    LLMLINGS_LANG=en LANG=zh_CN.UTF-8 "$grader" check 00_hello
run "--lang zh-CN overrides the environment" 1 "第一个失败" "" -- \
    LLMLINGS_LANG=en "$grader" --lang zh-CN check 00_hello
run "--lang en overrides LLMLINGS_LANG" 1 "First failure" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" --lang en check 00_hello
run "--lang with another language is a usage error" 2 \
    "--lang wants en or zh-CN" "" -- "$grader" --lang fr check 00_hello
run "hints_zh in Chinese" 0 "1/3. 第 1 条提示" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" hint 00_hello
run "the lecture's Chinese twin" 0 \
    "讲义：lectures/zh-CN/00_warmup.md#the-loop" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" hint 00_hello
run "English hints in English" 0 "2/3. add:" "提示" -- \
    "$grader" hint 00_hello
run "an error in Chinese" 2 "grader：没有名为 \"99_nope\" 的练习" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" check 99_nope

# The results JSON is the same document in both languages.
(cd "$work/wb" && LLMLINGS_LANG=zh-CN "$grader" grade --no-cache \
    --json "$work/zh.json" >/dev/null 2>&1)
(cd "$work/wb" && "$grader" grade --no-cache --json "$work/en.json" \
    >/dev/null 2>&1)
if "$py" - "$work/en.json" "$work/zh.json" <<'PY'; then
import json, sys
def strip(d):
    if isinstance(d, dict):
        return {k: strip(v) for k, v in d.items()
                if k not in ("generated_at", "wall_s", "cpu_s", "seconds",
                             "duration_s", "time")}
    if isinstance(d, list):
        return [strip(v) for v in d]
    return d
en, zh = (strip(json.load(open(p))) for p in sys.argv[1:])
sys.exit(0 if en == zh else 1)
PY
    ok "the results JSON does not depend on the language"
else
    bad "the results JSON does not depend on the language" \
        "$(diff <(python3 -m json.tool "$work/en.json") <(python3 -m json.tool "$work/zh.json") | head -20)"
fi

# What the instructor and the organizer read, in Chinese: the summary of
# a results file, the leaderboard's headings (Markdown and HTML page).
run "report summary in Chinese" 0 "| 章 | 通过的练习 | 分数 | 进度 |" \
    "exercises passed" -- \
    LLMLINGS_LANG=zh-CN "$grader" report --format summary "$work/zh.json"
run "report summary in English" 0 "| chapter | exercises passed |" "通过" -- \
    "$grader" report --format summary "$work/zh.json"
mkdir -p "$work/board"
cp "$work/zh.json" "$work/board/ada.json"
run "leaderboard in Chinese" 0 "1 名学生：1 名已评分" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" leaderboard --out "$work/site" \
    "$work/board"
if grep -qF "# 排行榜：" "$work/site/leaderboard.md" 2>/dev/null &&
    [ "$(grep -cF "<h2>排名</h2>" "$work/site/index.html" 2>/dev/null)" = 1 ] &&
    grep -qF '<html lang="zh-CN">' "$work/site/index.html" &&
    grep -qF '"score"' "$work/site/leaderboard.json" 2>/dev/null; then
    ok "the leaderboard's headings in Chinese, its JSON keys as they are"
else
    bad "the leaderboard's headings in Chinese, its JSON keys as they are" \
        "$(head -3 "$work/site/leaderboard.md" 2>&1)"
fi

# A counter-graded test below its top tier: 00_hello's first test reports
# a made-up counter, graded by a perf spec with label_zh and advice_zh.
# verify (the reference is not at the top tier) and check on the reference
# say why in Chinese.
"$py" - "$work/wb/exercises/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["exercises"][0]["perf"] = {
    "test": "hello/add_small_numbers", "metric": "sectors", "better": "lower",
    "label": "load sectors", "label_zh": "load 扇区数",
    "advice": "are 100% of them coalesced?",
    "advice_zh": "100% 都合并访存了吗？",
    "tiers": [{"max": 8192, "fraction": 0.25}, {"max": 1024, "fraction": 1}]}
json.dump(m, open(sys.argv[1], "w"), indent=2, ensure_ascii=False)
PY
sed -i 's|^    LL_CHECK_INT_EQ(add(a, b), (long long)a + b, what);$|&\n    LL_METRIC("sectors", 4096);|' \
    "$work/wb/exercises/00_hello/test_hello.c"
mkdir -p "$work/wb/solutions-private"
cp -r "$repo/solutions-private/00_hello" "$work/wb/solutions-private/"
tier="结果正确；load 扇区数 为 4096：第 1 档（共 2 档，得本测试分数的 25%）；第 2 档要求 <= 1024：100% 都合并访存了吗？"
run "verify's summary in Chinese" 1 "verify：0 个已证明，1 个未证明" "passed" -- \
    LLMLINGS_LANG=zh-CN "$grader" verify --no-mutants 00_hello
run "verify names the counter tier in Chinese" 1 \
    "参考答案没有通过 hello/add_small_numbers：低于其计数器的最高档：$tier" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" verify --no-mutants 00_hello
run "verify in English" 1 "verify: 0 passed, 1 failed" "未证明" -- \
    "$grader" verify --no-mutants 00_hello
cp "$work/wb/solutions-private/00_hello/hello.c" "$work/wb/exercises/00_hello/"
run "check shows the counter tier in Chinese" 0 "$tier" "tier 1 of 2" -- \
    LLMLINGS_LANG=zh-CN "$grader" check 00_hello
run "check's tier line names the label in Chinese" 0 \
    "计数器：load 扇区数 分档 <= 8192: 25%, <= 1024: 100%" "" -- \
    LLMLINGS_LANG=zh-CN "$grader" check 00_hello

echo "i18n: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
