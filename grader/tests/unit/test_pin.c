/* Unit tests for reading the pin (pristine.c, issue 30): a pin over its
 * size limit is an error instead of a silent fall back to HEAD, and one
 * with too many entries or a path listed twice is refused with a message
 * that says which limit or path. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/files.h"
#include "base/strbuf.h"
#include "integrity/pristine.h"

#define BLOB "0123456789abcdef0123456789abcdef01234567"

/* A pin whose "protected" map holds n entries (plus the manifest). */
static char *pin_with(size_t n, const char *extra)
{
    strbuf sb = {0};
    sb_puts(&sb, "{\"format\":1,\"commit\":\"" BLOB "\",\"protected\":{"
                 "\"exercises/manifest.json\":\"" BLOB "\"");
    for (size_t i = 0; i < n; i++)
        sb_printf(&sb, ",\"exercises/f%zu.c\":\"" BLOB "\"", i);
    sb_printf(&sb, "%s},\"starters\":{}}", extra);
    return sb_steal(&sb);
}

static int parse(const char *text, strbuf *err)
{
    pristine p;
    memset(&p, 0, sizeof p);
    int rc = pristine_parse_pin(text, strlen(text), &p, err);
    pfiles_free(&p.prot);
    pfiles_free(&p.starters);
    return rc;
}

Test(pin, a_valid_pin_parses)
{
    char *text = pin_with(3, "");
    strbuf err = {0};
    cr_assert_eq(parse(text, &err), 0, "%s", sb_str(&err));
    free(text);
    sb_free(&err);
}

Test(pin, too_many_entries_are_refused_quickly)
{
    char *text = pin_with(100000, "");
    strbuf err = {0};
    cr_assert_eq(parse(text, &err), -1);
    cr_assert(strstr(sb_str(&err), "more than the limit of 20000 files"),
              "got: %s", sb_str(&err));
    free(text);
    sb_free(&err);
}

Test(pin, a_path_listed_twice_is_refused)
{
    char *text = pin_with(2, ",\"exercises/f1.c\":\"" BLOB "\"");
    strbuf err = {0};
    cr_assert_eq(parse(text, &err), -1);
    cr_assert(strstr(sb_str(&err), "\"exercises/f1.c\": listed twice"),
              "got: %s", sb_str(&err));
    free(text);
    sb_free(&err);
}

Test(pin, a_bad_path_is_quoted_visibly)
{
    char *text = pin_with(0, ",\"exercises/\\u001b[2J\\n\":\"" BLOB "\"");
    strbuf err = {0};
    cr_assert_eq(parse(text, &err), -1);
    cr_assert(strstr(sb_str(&err), "exercises/\\e[2J\\n") != NULL, "got: %s",
              sb_str(&err));
    free(text);
    sb_free(&err);
}

Test(pin, a_pin_over_16_mib_is_an_error_not_ignored)
{
    char dir[] = "/tmp/grader-pin-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char *path = path_join(dir, PIN_FILE);
    size_t big = (16u << 20) + 1;
    char *data = malloc(big);
    memset(data, ' ', big);
    cr_assert_eq(file_write_atomic(path, data, big), 0);
    pristine p;
    strbuf err = {0};
    cr_assert_eq(pristine_open(dir, &p, &err), -1,
                 "an oversized pin was silently ignored");
    cr_assert(strstr(sb_str(&err), "larger than the limit of 16 MiB"),
              "got: %s", sb_str(&err));
    pristine_free(&p);
    sb_free(&err);
    free(data);
    free(path);
    remove_tree(dir);
}
