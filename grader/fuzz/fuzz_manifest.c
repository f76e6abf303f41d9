/* fuzz_manifest.c: libFuzzer target for exercises/manifest.json
 * (manifest_parse, files not looked at). A manifest that loads has every
 * limit of grader/README.md "Limits"; one that does not gives one clean
 * line. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "workbook/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    manifest m;
    strbuf err = {0};
    if (manifest_parse(text, NULL, &m, &err) == 0) {
        if (m.n == 0 || m.n > 100)
            abort();
        for (size_t i = 0; i < m.n; i++) {
            const exercise *e = &m.ex[i];
            if (!(e->time_limit_s > 0 && e->time_limit_s <= 600) ||
                e->memory_limit_mb < 16 || e->memory_limit_mb > 65536 ||
                e->points < 1 || e->points > 1000)
                abort(); /* a limit not enforced */
        }
        strlist edit = {0};
        manifest_edit_paths(&m, &edit);
        strlist_free(&edit);
        manifest_free(&m);
    } else {
        fuzz_expect_clean(sb_str(&err), 0);
    }
    sb_free(&err);
    free(text);
    return 0;
}
