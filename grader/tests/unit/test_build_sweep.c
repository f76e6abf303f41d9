/* Unit tests for build_sweep.c: in a scratch base folder, only the build
 * folders whose recorded workbook is gone are removed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "workbook/build_sweep.h"
#include "workbook/manifest.h"

static char base[] = "/tmp/llmlings-sweep-test.XXXXXX";

static void setup(void)
{
    cr_assert_not_null(mkdtemp(base), "mkdtemp");
}

static void teardown(void)
{
    remove_tree(base);
}

/* base/name, made; the caller frees. */
static char *folder(const char *name)
{
    char *p = path_join(base, name);
    cr_assert_eq(mkdir_p(p, 0700), 0, "mkdir %s", p);
    return p;
}

/* A workbook folder (with a manifest) at base/name; the caller frees. */
static char *workbook(const char *name)
{
    char *root = folder(name);
    char *ex = path_join(root, "exercises");
    mkdir_p(ex, 0700);
    char *m = path_join(root, MANIFEST_PATH);
    cr_assert_eq(file_write_atomic(m, "{}", 2), 0);
    free(ex);
    free(m);
    return root;
}

static int exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

TestSuite(build_sweep, .init = setup, .fini = teardown);

Test(build_sweep, removes_only_folders_of_gone_workbooks)
{
    char *live = workbook("live-wb"), *gone = workbook("gone-wb");
    char *builds = folder("builds");
    char *b_live = folder("builds/aaaa"), *b_gone = folder("builds/bbbb");
    char *b_keep = folder("builds/kkkk"), *b_old = folder("builds/oooo");
    cr_assert_eq(build_sweep_mark(b_live, live), 0);
    cr_assert_eq(build_sweep_mark(b_gone, gone), 0);
    cr_assert_eq(build_sweep_mark(b_keep, "/nonexistent/wb"), 0);
    /* a workbook without its manifest counts as gone */
    char *m = path_join(gone, MANIFEST_PATH);
    cr_assert_eq(unlink(m), 0);

    const int removed = build_sweep(builds, "kkkk");

    cr_expect_eq(removed, 1, "removed %d folders, expected 1 (bbbb)", removed);
    cr_expect(!exists(b_gone),
              "the folder of the gone workbook is still there");
    cr_expect(exists(b_live), "the folder of a live workbook was removed");
    cr_expect(exists(b_keep), "the folder to keep was removed");
    cr_expect(exists(b_old), "a folder without a record was removed");
    free(m);
    free(live);
    free(gone);
    free(builds);
    free(b_live);
    free(b_gone);
    free(b_keep);
    free(b_old);
}

Test(build_sweep, does_not_follow_links)
{
    char *builds = folder("builds");
    char *target = folder("elsewhere");
    cr_assert_eq(build_sweep_mark(target, "/nonexistent/wb"), 0);
    char *link = path_join(builds, "cccc");
    cr_assert_eq(symlink(target, link), 0);
    /* a record that is not an absolute path says nothing */
    char *odd = folder("builds/dddd");
    cr_assert_eq(build_sweep_mark(odd, "relative/wb"), 0);

    cr_expect_eq(build_sweep(builds, "none"), 0);
    cr_expect(exists(link), "the link was removed");
    char *record = path_join(target, "workbook");
    cr_expect(exists(record), "the link's target was emptied");
    cr_expect(exists(odd), "a folder with a relative record was removed");
    free(record);
    free(odd);
    free(link);
    free(target);
    free(builds);
}

Test(build_sweep, missing_base_is_no_error)
{
    char *none = path_join(base, "none");
    cr_expect_eq(build_sweep(none, "x"), 0);
    free(none);
}
