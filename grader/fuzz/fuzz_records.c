/* fuzz_records.c: libFuzzer target for the harness's text records
 * (records_parse: start, done, fail, crash, sanitizer, skip, metric). The
 * test name and nonce are fixed; the records are the input. Strings read
 * are valid UTF-8; only the exact "done" record with the nonce sets done. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "run/harness_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_records r;
    memset(&r, 0, sizeof r);
    records_parse((const char *)data, size, "suite/test", "n0nce", &r);
    if (r.first_fail)
        fuzz_expect_clean(r.first_fail, 1);
    if (r.crash_signal)
        fuzz_expect_clean(r.crash_signal, 1);
    if (r.skip_reason)
        fuzz_expect_clean(r.skip_reason, 1);
    for (size_t i = 0; i < r.nmetrics; i++)
        fuzz_expect_clean(r.metrics[i].name, 0);
    if (r.done && memmem(data, size, "n0nce", 5) == NULL)
        abort(); /* done without the nonce */
    records_free(&r);
    return 0;
}
