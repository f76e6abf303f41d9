/* Unit tests for progress.c: the progress file survives a save and a load,
 * records verdicts (standing.c), and any damaged content (random bytes
 * included) gives a fresh start with the old file kept aside, never a crash. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/files.h"
#include "cli/standing.h"
#include "workbook/progress.h"

static char root[] = "/tmp/grader-progress-XXXXXX";
static workbook wb;
static graded_view view; /* the workbook graded as it is */

#define EX(id, file)                                                           \
    "{\"id\":\"" id "\",\"chapter\":0,\"title\":\"t\",\"points\":5,"           \
    "\"kind\":\"c\",\"edit\":[\"" file ".c\"],\"tests\":[\"test_" file         \
    ".c\"],\"hints\":[\"h\"]}"

static void touch(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    cr_assert_eq(mkdir_p(path, 0755), 0);
    *slash = '/';
    cr_assert_eq(file_write_atomic(path, "x", 1), 0);
}

static void setup(void)
{
    cr_assert_not_null(mkdtemp(root));
    touch("exercises/00_a/a.c");
    touch("exercises/00_a/test_a.c");
    touch("exercises/01_b/b.c");
    touch("exercises/01_b/test_b.c");
    memset(&wb, 0, sizeof wb);
    strbuf err = {0};
    cr_assert_eq(manifest_parse("{\"format\":1,\"course\":{\"id\":\"c\","
                                "\"title\":\"T\"},\"exercises\":[" EX(
                                    "00_a", "a") "," EX("01_b", "b") "]}",
                                root, &wb.m, &err),
                 0, "%s", sb_str(&err));
    sb_free(&err);
    wb.root = strdup(root);
    wb.state_dir = path_join(root, "state");
    view = workbook_view(&wb);
    cr_assert_eq(mkdir_p(wb.state_dir, 0700), 0);
}

static void teardown(void)
{
    remove_tree(root);
    workbook_close(&wb);
}

static void write_state(const char *text, size_t len)
{
    char *path = path_join(wb.state_dir, "progress");
    cr_assert_eq(file_write_atomic(path, text, len), 0);
    free(path);
}

TestSuite(progress, .init = setup, .fini = teardown);

Test(progress, missing_file_is_a_quiet_fresh_start)
{
    progress p;
    progress_load(&view, &p);
    cr_assert_null(p.current);
    cr_assert_eq(p.done.n, 0);
    progress_free(&p);
}

Test(progress, survives_a_save_and_a_load)
{
    progress p;
    progress_load(&view, &p);
    progress_set_current(&p, "01_b");
    standing_record(&p, "00_a", EV_PASSED);
    standing_record(&p, "00_a", EV_PASSED); /* listed once */
    cr_assert_eq(progress_save(&view, &p), 0);
    progress_free(&p);

    progress q;
    progress_load(&view, &q);
    cr_assert_str_eq(q.current, "01_b");
    cr_assert_eq(q.done.n, 1);
    cr_assert(progress_is_done(&q, "00_a"));
    /* A failure takes it off the finished list; a skip does not. */
    standing_record(&q, "00_a", EV_SKIPPED);
    cr_assert(progress_is_done(&q, "00_a"));
    standing_record(&q, "00_a", EV_FAILED);
    cr_assert_not(progress_is_done(&q, "00_a"));
    progress_free(&q);
}

Test(progress, unknown_ids_are_dropped)
{
    const char text[] = "llmlings-progress 1\ncurrent 99_gone\ndone 00_a\n"
                        "done 98_gone\n";
    write_state(text, sizeof text - 1);
    progress p;
    progress_load(&view, &p);
    cr_assert_null(p.current);
    cr_assert_eq(p.done.n, 1);
    progress_free(&p);
}

static void expect_damaged(const char *text, size_t len)
{
    write_state(text, len);
    progress p;
    progress_load(&view, &p);
    cr_assert_null(p.current, "a damaged file must give a fresh start");
    cr_assert_eq(p.done.n, 0);
    progress_free(&p);
    char *bad = path_join(wb.state_dir, "progress.bad");
    cr_assert(file_exists(bad), "the damaged file is kept aside");
    free(bad);
}

Test(progress, damaged_files_give_a_fresh_start)
{
    cr_redirect_stderr();
    expect_damaged("", 0);
    expect_damaged("llmlings-progress 2\n", 20);
    expect_damaged("llmlings-progress 1\nbogus 00_a\n", 31);
    expect_damaged("llmlings-progress 1\ncurrent 00_a\ncurrent 01_b\n", 46);
    expect_damaged("llmlings-progress 1\r\ncurrent 00_a\r\n", 35);
    expect_damaged("llmlings-progress 1\ncurrent 00_a\n\0\n", 35);
    fflush(stderr);
    cr_assert_stderr_neq_str("");
}

Test(progress, random_bytes_never_crash)
{
    cr_redirect_stderr();
    srand(12345);
    static const char *const pieces[] = {"llmlings-progress 1\n",
                                         "current ",
                                         "done ",
                                         "00_a",
                                         "01_b",
                                         "\n",
                                         " ",
                                         "\0",
                                         "\xff",
                                         "current",
                                         "done"};
    for (int round = 0; round < 300; round++) {
        char text[256];
        size_t len = 0;
        while (len < sizeof text - 32 && rand() % 12 != 0) {
            if (rand() % 3 == 0) {
                text[len++] = (char)(rand() % 256);
            } else {
                const char *s = pieces[rand() % 11];
                size_t n = s[0] ? strlen(s) : 1;
                memcpy(text + len, s, n);
                len += n;
            }
        }
        write_state(text, len);
        progress p;
        progress_load(&view, &p);
        if (p.current)
            cr_assert_not_null(manifest_find(&wb.m, p.current));
        for (size_t i = 0; i < p.done.n; i++)
            cr_assert_not_null(manifest_find(&wb.m, p.done.v[i]));
        progress_free(&p);
    }
}
