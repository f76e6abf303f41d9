/* fuzz_pin.c: libFuzzer target for the pin (.llmlings-pin.json,
 * pristine_parse_pin). An accepted pin has sorted, unique, plain paths
 * and at most PIN_MAX_ENTRIES of them; a refused one gives one clean line. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "integrity/pristine.h"

static void expect_sorted_unique(const pfiles *l)
{
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->v[i - 1].path, l->v[i].path) >= 0)
            abort();
    for (size_t i = 0; i < l->n; i++) {
        if (strlen(l->v[i].id) != 40 || strstr(l->v[i].path, ".."))
            abort();
        if (pfiles_find(l, l->v[i].path) != &l->v[i])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pristine p;
    memset(&p, 0, sizeof p);
    strbuf err = {0};
    if (pristine_parse_pin((const char *)data, size, &p, &err) == 0) {
        if (p.prot.n + p.starters.n > PIN_MAX_ENTRIES)
            abort();
        expect_sorted_unique(&p.prot);
        expect_sorted_unique(&p.starters);
    } else {
        fuzz_expect_clean(sb_str(&err), 0);
    }
    pfiles_free(&p.prot);
    pfiles_free(&p.starters);
    sb_free(&err);
    return 0;
}
