/* Unit tests for unidiff.c: diffs as `diff -u` writes them apply exactly,
 * or not at all. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/files.h"
#include "base/unidiff.h"

/* A fresh folder with file x.c holding text. */
static char *folder_with(const char *text)
{
    char tmpl[] = "/tmp/unidiff-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    cr_assert_not_null(dir);
    char *path = path_join(dir, "x.c");
    cr_assert_eq(file_write_atomic(path, text, strlen(text)), 0);
    free(path);
    return strdup(dir);
}

static char *read_x(const char *dir)
{
    char *path = path_join(dir, "x.c"), *text = NULL;
    cr_assert_eq(file_read(path, &text, NULL, 1 << 20), 0);
    free(path);
    return text;
}

static int apply(const char *dir, const char *diff, strbuf *err)
{
    return unidiff_apply(dir, diff, strlen(diff), err);
}

static const char BASE[] = "int add(int a, int b)\n{\n    return a + b;\n}\n"
                           "\nint sub(int a, int b)\n{\n    return a - b;\n}\n";

Test(unidiff, applies_a_mutant_and_reads_its_description)
{
    char *dir = folder_with(BASE);
    const char *diff = "Mutant: subtracts instead of adding\n"
                       "--- a/x.c\n+++ b/x.c\n"
                       "@@ -1,4 +1,4 @@\n int add(int a, int b)\n {\n"
                       "-    return a + b;\n+    return a - b;\n }\n";
    strbuf err = {0};
    cr_assert_eq(apply(dir, diff, &err), 0, "%s", sb_str(&err));
    char *text = read_x(dir);
    cr_assert(strstr(text, "return a - b;\n}\n\nint sub") != NULL, "%s", text);
    char *d = unidiff_description(diff, strlen(diff));
    cr_assert_str_eq(d, "subtracts instead of adding");
    free(d);
    free(text);
    remove_tree(dir);
    free(dir);
}

Test(unidiff, finds_a_hunk_whose_lines_moved)
{
    char *dir = folder_with(BASE);
    /* names line 1 for sub's body, which is at line 6 */
    const char *diff = "--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n"
                       " {\n-    return a - b;\n+    return b - a;\n }\n";
    strbuf err = {0};
    cr_assert_eq(apply(dir, diff, &err), 0, "%s", sb_str(&err));
    char *text = read_x(dir);
    cr_assert(strstr(text, "return b - a;") && strstr(text, "return a + b;"),
              "%s", text);
    free(text);
    remove_tree(dir);
    free(dir);
}

Test(unidiff, inserts_and_deletes_lines)
{
    char *dir = folder_with(BASE);
    const char *diff = "--- a/x.c\n+++ b/x.c\n@@ -4,0 +5,2 @@\n"
                       "+/* added */\n+int zero;\n"
                       "@@ -6,4 +8,0 @@\n-int sub(int a, int b)\n-{\n"
                       "-    return a - b;\n-}\n";
    strbuf err = {0};
    cr_assert_eq(apply(dir, diff, &err), 0, "%s", sb_str(&err));
    char *text = read_x(dir);
    cr_assert_str_eq(text, "int add(int a, int b)\n{\n    return a + b;\n}\n"
                           "/* added */\nint zero;\n\n");
    free(text);
    remove_tree(dir);
    free(dir);
}

Test(unidiff, a_hunk_that_does_not_match_changes_nothing)
{
    char *dir = folder_with(BASE);
    const char *diff = "--- a/x.c\n+++ b/x.c\n"
                       "@@ -1,2 +1,2 @@\n int add(int a, int b)\n-{\n+{ \n"
                       "@@ -3,1 +3,1 @@\n-    return a * b;\n+    return 0;\n";
    strbuf err = {0};
    cr_assert_eq(apply(dir, diff, &err), -1);
    cr_assert(strstr(sb_str(&err), "hunk 2 of x.c does not apply") != NULL,
              "%s", sb_str(&err));
    char *text = read_x(dir);
    cr_assert_str_eq(text, BASE, "the first hunk must not be written either");
    free(text);
    sb_free(&err);
    remove_tree(dir);
    free(dir);
}

Test(unidiff, refuses_paths_outside_and_malformed_diffs)
{
    char *dir = folder_with(BASE);
    strbuf err = {0};
    cr_assert_eq(
        apply(dir, "--- a/../x.c\n+++ b/../x.c\n@@ -1 +1 @@\n-a\n+b\n", &err),
        -1);
    sb_free(&err);
    cr_assert_eq(apply(dir, "no diff here\n", &err), -1);
    sb_free(&err);
    cr_assert_eq(
        apply(dir, "--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n {\n", &err), -1,
        "cut short");
    sb_free(&err);
    cr_assert_eq(apply(dir, "--- a/x.c\n+++ b/x.c\n@@ garbage @@\n", &err), -1);
    sb_free(&err);
    remove_tree(dir);
    free(dir);
}
