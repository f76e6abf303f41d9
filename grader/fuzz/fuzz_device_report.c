/* fuzz_device_report.c: libFuzzer target for a device process's report
 * (device_report_parse: the CUDA simulator's, cltrack's) and judge mode's
 * GPU work rule on two reports (judge_device_work, in the words of each
 * kind with a device report): the first input byte says where the input
 * splits into the reference's report and the student's. A report is
 * accepted or refused with one clean line, never read past its bytes;
 * the judge's message is one clean line. */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "fuzz_check.h"
#include "grade/judge_compare.h"
#include "run/device_report.h"
#include "workbook/kind.h"

/* A copy of exactly len bytes (so ASan catches a read past it). */
static char *exact_copy(const uint8_t *p, size_t len)
{
    char *c = malloc(len ? len : 1);
    if (c == NULL)
        abort();
    memcpy(c, p, len);
    return c;
}

/* Parses text; 1 when accepted (r filled), 0 when refused. */
static int parse(const char *text, size_t len, device_report *r)
{
    strbuf why = {0};
    const int ok = device_report_parse(text, len, len, r, &why) == 0;
    if (ok == (why.len > 0))
        abort(); /* a reason exactly when refused */
    if (!ok)
        fuzz_expect_clean(sb_str(&why), 0);
    else
        fuzz_expect_clean(r->fault, 0);
    sb_free(&why);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t split = (size_t)data[0] * (size - 1) / 255;
    char *a = exact_copy(data + 1, split);
    char *b = exact_copy(data + 1 + split, size - 1 - split);
    device_report expected, observed;
    const int ea = parse(a, split, &expected);
    const int ob = parse(b, size - 1 - split, &observed);
    for (int k = 0; ea && ob && k < KIND_COUNT; k++) {
        const device_report_spec *spec = kind_get((kind_id)k)->device_report;
        if (spec == NULL)
            continue;
        check_log none = {0};
        judge_outcome out = {.status = JUDGE_MATCH};
        judge_device_work(&expected, &observed, &none, &none, spec, &out);
        if ((out.status == JUDGE_MATCH) != (out.message == NULL))
            abort();
        if (out.message)
            fuzz_expect_clean(out.message, 0);
        judge_outcome_free(&out);
    }
    if (ea)
        device_report_free(&expected);
    if (ob)
        device_report_free(&observed);
    free(a);
    free(b);
    return 0;
}
