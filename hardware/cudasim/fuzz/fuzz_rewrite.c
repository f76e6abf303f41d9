/* fuzz_rewrite.c: libFuzzer target for the CUDA simulator's rewriter.
 *
 * Besides memory errors (the target is built with ASan and UBSan), it
 * checks the rewriter's promise about lines: the output has exactly the
 * input's newlines plus the two of its header (#include, #line), so every
 * message and __LINE__ still names the student's own line; and no more
 * than RW_MAX_MESSAGES messages plus one summary line are written. The
 * corpus in corpus/rewrite/ also runs as a regression test (run_corpus.c).
 */
#include "rewrite.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rw_buf out = {0}, msgs = {0};
    const char *src = (const char *)data;
    int rc = cudasim_rewrite(src, size, "fuzz.cu", &out, &msgs);
    if (rc != RW_OK && rc != RW_REFUSED && rc != RW_OUT_OF_MEMORY)
        abort();
    if (rc != RW_OUT_OF_MEMORY) {
        if (count_char(out.data, out.len, '\n') !=
            count_char(src, size, '\n') + 2)
            abort(); /* a replacement lost or added a line */
        if (count_char(msgs.data, msgs.len, '\n') > RW_MAX_MESSAGES + 1)
            abort(); /* messages are capped */
        if ((rc == RW_OK) != (msgs.len == 0))
            abort(); /* a refusal always says why, success says nothing */
    }
    free(out.data);
    free(msgs.data);
    return 0;
}
