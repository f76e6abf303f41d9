/* fuzz_check_log.c: libFuzzer target for the binary check records of judge
 * mode (LL_OBS_FILE, check_log_parse) and their comparison (judge_compare):
 * the first input byte says where the input splits into an expectation log
 * and an observation log. Neither parse reads outside its bytes (exact
 * allocations), every view lies inside its buffer, and the judge's message
 * is one clean line. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "grade/judge_compare.h"
#include "run/check_log.h"

static void expect_inside(const check_log *log, const char *buf, size_t len)
{
    for (size_t i = 0; i < log->n; i++) {
        const check_record *r = &log->rec[i];
        if (r->site_len && (r->site < buf || r->site + r->site_len > buf + len))
            abort();
        if (r->what_len && (r->what < buf || r->what + r->what_len > buf + len))
            abort();
    }
}

/* A copy of exactly len bytes (so ASan catches a read past it). */
static char *exact_copy(const uint8_t *p, size_t len)
{
    char *c = malloc(len ? len : 1);
    if (c == NULL)
        abort();
    memcpy(c, p, len);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t split = (size_t)data[0] * (size - 1) / 255;
    char *a = exact_copy(data + 1, split);
    char *b = exact_copy(data + 1 + split, size - 1 - split);
    check_log expected = {0}, observed = {0};
    check_log_parse(a, split, &expected);
    check_log_parse(b, size - 1 - split, &observed);
    expect_inside(&expected, a, split);
    expect_inside(&observed, b, size - 1 - split);
    judge_outcome out;
    judge_compare(&expected, &observed, &out);
    if ((out.status == JUDGE_MATCH) != (out.message == NULL))
        abort();
    if (out.message)
        fuzz_expect_clean(out.message, 0);
    check_logs_differ(&expected, &observed);
    judge_outcome_free(&out);
    check_log_free(&expected);
    check_log_free(&observed);
    free(a);
    free(b);
    return 0;
}
