/* Unit tests for the language switch and the message catalogs
 * (base/i18n.h, base/i18n_match.h): which language is chosen, that a
 * missing entry falls back to English, that every translation keeps its
 * English text's printf conversions, and the display-time translation of
 * composed messages (test failures, sanitizer reports). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/i18n_match.h"
#include "base/strlist.h"

static void reset(void)
{
    i18n_shutdown();
    i18n_set_lang(I18N_EN);
}

TestSuite(i18n, .fini = reset);

Test(i18n, llmlings_lang_comes_first)
{
    cr_assert_eq(i18n_choose("zh-CN", "C", "en_US.UTF-8", "en_US.UTF-8"),
                 I18N_ZH_CN);
    cr_assert_eq(i18n_choose("en", "zh_CN.UTF-8", NULL, "zh_CN.UTF-8"),
                 I18N_EN);
}

Test(i18n, then_lc_all_lc_messages_lang_in_that_order)
{
    cr_assert_eq(i18n_choose(NULL, "zh_CN.UTF-8", "en_US", "en_US"),
                 I18N_ZH_CN);
    cr_assert_eq(i18n_choose(NULL, "C", "zh_CN.UTF-8", "zh_CN.UTF-8"), I18N_EN,
                 "LC_ALL overrides LC_MESSAGES and LANG");
    cr_assert_eq(i18n_choose(NULL, "", "zh_TW.UTF-8", "en_US"), I18N_ZH_CN,
                 "an empty LC_ALL is as if unset");
    cr_assert_eq(i18n_choose(NULL, NULL, NULL, "zh_CN.UTF-8"), I18N_ZH_CN);
    cr_assert_eq(i18n_choose(NULL, NULL, "en_GB", "zh_CN.UTF-8"), I18N_EN);
}

Test(i18n, english_when_nothing_says_otherwise)
{
    cr_assert_eq(i18n_choose(NULL, NULL, NULL, NULL), I18N_EN);
    cr_assert_eq(i18n_choose("klingon", NULL, NULL, "fr_FR.UTF-8"), I18N_EN,
                 "an unknown LLMLINGS_LANG is ignored; a non-zh locale is "
                 "English");
    cr_assert_eq(i18n_choose("klingon", NULL, NULL, "zh_CN"), I18N_ZH_CN);
}

Test(i18n, the_lang_option_names_en_or_zh_cn)
{
    i18n_lang l = I18N_EN;
    cr_assert_eq(i18n_parse_lang("zh-CN", &l), 0);
    cr_assert_eq(l, I18N_ZH_CN);
    cr_assert_eq(i18n_parse_lang("en", &l), 0);
    cr_assert_eq(l, I18N_EN);
    cr_assert_eq(i18n_parse_lang("zh_CN.UTF-8", &l), 0);
    cr_assert_eq(l, I18N_ZH_CN);
    cr_assert_eq(i18n_parse_lang("zhx", &l), -1);
    cr_assert_eq(i18n_parse_lang("", &l), -1);
    cr_assert_eq(i18n_init("de"), -1, "--lang de is a usage error");
    cr_assert_eq(i18n_current(), I18N_EN, "and changes nothing");
    cr_assert_eq(i18n_init("zh-CN"), 0);
    cr_assert_eq(i18n_current(), I18N_ZH_CN);
}

Test(i18n, chinese_text_from_the_builtin_catalog)
{
    i18n_set_lang(I18N_ZH_CN);
    cr_assert_str_eq(_("does not compile"), "无法编译");
    i18n_set_lang(I18N_EN);
    cr_assert_str_eq(_("does not compile"), "does not compile");
}

Test(i18n, a_missing_entry_falls_back_to_english)
{
    i18n_set_lang(I18N_ZH_CN);
    const char *text = "a sentence no catalog has";
    cr_assert_eq(_(text), text, "the English text itself comes back");
    char *m = i18n_message("nothing matches this at all");
    cr_assert_str_eq(m, "nothing matches this at all");
    free(m);
}

Test(i18n, an_empty_msgstr_is_untranslated)
{
    strbuf err = {0};
    const char po[] = "msgid \"a\"\nmsgstr \"\"\n";
    i18n_catalog *c = i18n_catalog_parse(po, strlen(po), &err);
    cr_assert_not_null(c, "%s", sb_str(&err));
    cr_assert_null(i18n_catalog_lookup(c, "a"));
    i18n_catalog_free(c);
    sb_free(&err);
}

Test(i18n, the_builtin_catalog_parses_and_is_not_empty)
{
    strbuf err = {0};
    const i18n_catalog *c = i18n_builtin_zh(&err);
    cr_assert_not_null(c, "%s", sb_str(&err));
    cr_assert_gt(i18n_catalog_size(c), 100);
    sb_free(&err);
}

/* Every entry of c: a translation keeps its English conversions. */
static void expect_same_conversions(const i18n_catalog *c, const char *name)
{
    size_t translated = 0;
    for (size_t i = 0; i < i18n_catalog_size(c); i++) {
        const char *id, *str;
        i18n_catalog_entry(c, i, &id, &str);
        if (*id == '\0' || *str == '\0')
            continue;
        strbuf why = {0};
        cr_expect(i18n_same_conversions(id, str, &why), "%s: \"%s\": %s", name,
                  id, sb_str(&why));
        sb_free(&why);
        translated++;
    }
    cr_assert_gt(translated, 0, "%s translates nothing", name);
}

Test(i18n, every_builtin_translation_keeps_the_conversions)
{
    expect_same_conversions(i18n_builtin_zh(NULL), "grader/i18n/zh-CN.po");
}

Test(i18n, every_exercise_catalog_keeps_the_conversions)
{
    /* The unit tests run in grader/: the workbook is one folder up. */
    strlist names = {0};
    cr_assert_eq(list_dir("../exercises", 0, &names), 0);
    size_t seen = 0;
    for (size_t i = 0; i < names.n; i++) {
        char *path = xasprintf("../exercises/%s/messages.zh-CN.po", names.v[i]);
        char *text = NULL;
        size_t len = 0;
        if (file_read(path, &text, &len, 1 << 20) == 0) {
            strbuf err = {0};
            i18n_catalog *c = i18n_catalog_parse(text, len, &err);
            cr_assert_not_null(c, "%s: %s", path, sb_str(&err));
            expect_same_conversions(c, path);
            i18n_catalog_free(c);
            sb_free(&err);
            free(text);
            seen++;
        }
        free(path);
    }
    strlist_free(&names);
    cr_assert_geq(seen, 2, "00_hello and 14_matmul have catalogs");
}

Test(i18n, conversions_must_match_in_kind_and_order)
{
    cr_assert(i18n_same_conversions("%s: %d of %zu", "%s：%d/%zu", NULL));
    cr_assert(
        i18n_same_conversions("%.9g (within %.3g)", "%g（容差 %g）", NULL),
        "precision may differ");
    cr_assert(i18n_same_conversions("left %d process%s", "剩 %d 个%.0s", NULL));
    strbuf why = {0};
    cr_assert_not(i18n_same_conversions("%s is %d", "%d 是 %s", &why));
    cr_assert(strstr(sb_str(&why), "expected the conversions \"%s %d\"") !=
              NULL);
    sb_free(&why);
    cr_assert_not(i18n_same_conversions("%lld", "%d", NULL));
    cr_assert_not(i18n_same_conversions("%s", "", NULL));
    cr_assert(i18n_same_conversions("100%%", "百分之百%%", NULL));
}

Test(i18n, po_parse_errors_name_the_line)
{
    const char *bad[][2] = {
        {"msgid \"a\"\n", "line 1: the last msgid has no msgstr"},
        {"msgstr \"a\"\n", "line 1: each msgid needs one msgstr"},
        {"msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n", "line 3"},
        {"# c\nmsgid \"a\nmsgstr \"b\"\n", "line 2: a string in double"},
        {"msgid \"a\"\nhello\n", "line 2: expected msgid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        strbuf err = {0};
        i18n_catalog *c =
            i18n_catalog_parse(bad[i][0], strlen(bad[i][0]), &err);
        cr_expect_null(c, "case %zu parsed", i);
        cr_expect(strstr(sb_str(&err), bad[i][1]) != NULL,
                  "case %zu: \"%s\" lacks \"%s\"", i, sb_str(&err), bad[i][1]);
        i18n_catalog_free(c);
        sb_free(&err);
    }
}

Test(i18n, po_continuation_lines_and_escapes)
{
    const char po[] = "# comment\n"
                      "msgid \"\"\n\"two \"\n\"lines\\n\"\n"
                      "msgstr \"\\033[K\\t\\\"\\\\\"\n";
    strbuf err = {0};
    i18n_catalog *c = i18n_catalog_parse(po, strlen(po), &err);
    cr_assert_not_null(c, "%s", sb_str(&err));
    cr_assert_str_eq(i18n_catalog_lookup(c, "two lines\n"), "\033[K\t\"\\");
    i18n_catalog_free(c);
    sb_free(&err);
}

/* ---- composed messages ---- */

static i18n_catalog *catalog(const char *po)
{
    strbuf err = {0};
    i18n_catalog *c = i18n_catalog_parse(po, strlen(po), &err);
    cr_assert_not_null(c, "%s", sb_str(&err));
    sb_free(&err);
    return c;
}

static char *translate_with(const i18n_catalog *exercise, const char *msg)
{
    const i18n_catalog *cats[] = {exercise, i18n_builtin_zh(NULL)};
    return i18n_match_translate(cats, 2, msg);
}

Test(i18n, a_failed_check_in_chinese)
{
    i18n_catalog *ex =
        catalog("msgid \"greet(buf, %zu, \\\"%s\\\") wrote\"\n"
                "msgstr \"greet(buf, %zu, \\\"%s\\\") 写入的内容\"\n");
    char *m = translate_with(ex, "test_hello.c:41: greet(buf, 32, \"Ada\") "
                                 "wrote: expected \"Hello, Ada!\", got "
                                 "\"Hello, Ad\"");
    cr_assert_str_eq(m, "test_hello.c:41: greet(buf, 32, \"Ada\") 写入的内容："
                        "期望 \"Hello, Ada!\"，实际为 \"Hello, Ad\"");
    free(m);
    i18n_catalog_free(ex);
}

Test(i18n, an_untranslated_what_keeps_its_english)
{
    char *m = translate_with(NULL, "test_x.c:7: frobnicate(3): expected 5, "
                                   "got -1");
    cr_assert_str_eq(m, "test_x.c:7: frobnicate(3)：期望 5，实际为 -1");
    free(m);
}

Test(i18n, quoted_data_is_never_translated)
{
    /* A student's string that happens to be a catalog text stays as is. */
    char *m = translate_with(NULL, "test_x.c:7: name: expected \"does not "
                                   "compile\", got \"x\"");
    cr_assert_str_eq(m, "test_x.c:7: name：期望 \"does not compile\"，实际为 "
                        "\"x\"");
    free(m);
}

Test(i18n, numbers_must_look_like_numbers)
{
    char *m = translate_with(NULL, "x: expected 1.5e-07 (within 1e-06), got "
                                   "nan");
    cr_assert_str_eq(m, "x：期望 1.5e-07（容差 1e-06），实际为 nan");
    free(m);
    m = translate_with(NULL, "x: expected five, got 5");
    cr_assert_str_eq(m, "x: expected five, got 5", "not a %lld: English");
    free(m);
}

Test(i18n, english_only_pieces_can_be_dropped)
{
    char *m = translate_with(NULL, "the checks passed, but the test left 2 "
                                   "processes running after it ended (the "
                                   "grader killed them): wait for every "
                                   "process you start");
    cr_assert(strstr(m, "仍有 2 个进程在运行") != NULL, "%s", m);
    cr_assert(strstr(m, "es") == NULL, "%s", m);
    free(m);
}

Test(i18n, nested_messages_and_several_lines)
{
    char *m = translate_with(NULL, "skipped: used more than 256 MB of memory\n"
                                   "second line nothing matches\n"
                                   "cudasim: kernel k launched at k.cu:3 from "
                                   "inside a kernel: dynamic parallelism is "
                                   "not supported by the simulator");
    cr_assert_str_eq(m, "已跳过：使用的内存超过了 256 MB\n"
                        "second line nothing matches\n"
                        "cudasim：内核函数 k（在 k.cu:3 处）从另一个内核内部"
                        "启动：模拟器不支持动态并行");
    free(m);
}

Test(i18n, a_finding_per_line_is_translated_line_by_line)
{
    /* The local inspection's message: a header, then one "FILE: REASON"
     * per line. A format with text after its %s must not take one finding's
     * reason plus the next line as its piece. */
    char *m = translate_with(
        NULL, "rejected before any test ran: exercise code may only define "
              "its own functions and data, never take over the test "
              "program:\n  exercises/00_x/x.c: defines main (the test "
              "program's main belongs to Criterion; remove it, or make it "
              "static and unused)\n  exercises/00_x/x.c: defines __X (names "
              "starting with __ or _ and a capital are reserved for the "
              "compiler, the C library and the sanitizers)");
    cr_assert(strstr(m, "x.c：定义了 main（测试程序的 main 属于 Criterion") !=
                  NULL,
              "%s", m);
    cr_assert(strstr(m, "x.c：定义了 __X（以 __ 或 _ 加大写字母开头") != NULL,
              "%s", m);
    cr_assert(strstr(m, "defines") == NULL, "%s", m);
    free(m);
}

Test(i18n, the_most_specific_format_wins)
{
    i18n_catalog *ex = catalog("msgid \"%s: expected %lld, got 7\"\n"
                               "msgstr \"%s：特例 %lld\"\n");
    char *m = translate_with(ex, "f(1): expected 3, got 7");
    cr_assert_str_eq(m, "f(1)：特例 3");
    free(m);
    i18n_catalog_free(ex);
}

Test(i18n, english_mode_leaves_messages_alone)
{
    i18n_set_lang(I18N_EN);
    char *m = i18n_message("f(1): expected 3, got 7");
    cr_assert_str_eq(m, "f(1): expected 3, got 7");
    free(m);
    cr_assert_null(i18n_message(NULL));
}

Test(i18n, exercise_catalogs_load_in_chinese_mode_only)
{
    char path[] = "/tmp/grader-i18n-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char po[] = "msgid \"zork(%d)\"\nmsgstr \"佐克(%d)\"\n";
    cr_assert_eq(write(fd, po, sizeof po - 1), (ssize_t)(sizeof po - 1));
    close(fd);
    strbuf err = {0};
    cr_assert_eq(i18n_add_messages(path, &err), 0);
    i18n_set_lang(I18N_ZH_CN);
    char *m = i18n_message("zork(4): expected 1, got 2");
    cr_assert(strstr(m, "zork(4)：") != NULL, "not loaded in English mode");
    free(m);
    cr_assert_eq(i18n_add_messages(path, &err), 0, "%s", sb_str(&err));
    m = i18n_message("zork(4): expected 1, got 2");
    cr_assert_str_eq(m, "佐克(4)：期望 1，实际为 2");
    free(m);
    cr_assert_eq(i18n_add_messages("/nonexistent/messages.zh-CN.po", &err), 0,
                 "an exercise without a catalog is fine");
    unlink(path);
    sb_free(&err);
}

Test(i18n, pages_go_to_their_chinese_twin_when_it_exists)
{
    char root[] = "/tmp/grader-i18n-page-XXXXXX";
    cr_assert_not_null(mkdtemp(root));
    char *dir = xasprintf("%s/lectures/zh-CN", root);
    cr_assert_eq(mkdir_p(dir, 0755), 0);
    char *twin = xasprintf("%s/00_warmup.md", dir);
    cr_assert_eq(file_write_atomic(twin, "x", 1), 0);

    i18n_set_lang(I18N_ZH_CN);
    char *p = i18n_page(root, "lectures/00_warmup.md#the-loop");
    cr_assert_str_eq(p, "lectures/zh-CN/00_warmup.md#the-loop");
    free(p);
    p = i18n_page(root, "lectures/01_c_memory.md#arenas");
    cr_assert_str_eq(p, "lectures/01_c_memory.md#arenas", "no twin yet");
    free(p);
    i18n_set_lang(I18N_EN);
    p = i18n_page(root, "lectures/00_warmup.md#the-loop");
    cr_assert_str_eq(p, "lectures/00_warmup.md#the-loop");
    free(p);
    remove_tree(root);
    free(twin);
    free(dir);
}

Test(i18n, fields_are_padded_by_display_columns)
{
    cr_assert_eq(i18n_columns("passed"), 6);
    cr_assert_eq(i18n_columns("尚未检查"), 8);
    cr_assert_eq(i18n_columns("（a）"), 5);
    cr_assert_eq(i18n_field("passed", 15), 15);
    cr_assert_eq(i18n_field("尚未检查", 15), 19, "12 bytes, 8 columns");
    char line[64];
    snprintf(line, sizeof line, "%-*s|", i18n_field("尚未检查", 10),
             "尚未检查");
    cr_assert_str_eq(line, "尚未检查  |");
}

/* A performance tier's message (grade/verdict.c) is composed in English;
 * its label and advice come from the manifest's label_zh and advice_zh
 * (i18n_add_catalog), the rest from the built-in catalog. An advice's '%'
 * is text, not a conversion. */
Test(i18n, a_counter_tier_message_in_chinese)
{
    i18n_set_lang(I18N_ZH_CN);
    i18n_catalog *c = i18n_catalog_new();
    i18n_catalog_add_text(c, "global load sectors", "全局内存 load 扇区数");
    i18n_catalog_add_text(c, "is t % 32 == 0 rare?", "t % 32 == 0 少见吗？");
    strbuf err = {0};
    cr_assert_eq(i18n_add_catalog(c, &err), 0);
    char *m = i18n_message("correct; global load sectors 4096: tier 1 of 4 "
                           "(25% of this test's points); tier 2 needs <= "
                           "1024: is t % 32 == 0 rare?");
    cr_assert_str_eq(m, "结果正确；全局内存 load 扇区数 为 4096：第 1 档（共 4 "
                        "档，得本测试分数的 25%）；第 2 档要求 <= 1024：t % 32 "
                        "== 0 少见吗？");
    free(m);
    m = i18n_message("correct; ratio_vs_openblas 0.412: tier 0 of 3 (0% of "
                     "this test's points); tier 1 needs >= 0.5");
    cr_assert_str_eq(m, "结果正确；ratio_vs_openblas 为 0.412：第 0 档（共 3 "
                        "档，得本测试分数的 0%）；第 1 档要求 >= 0.5");
    free(m);
    sb_free(&err);
}
