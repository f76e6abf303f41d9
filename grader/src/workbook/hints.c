/* hints.c: see hints.h. */
#include "workbook/hints.h"

#include <stdlib.h>

#include "base/files.h"
#include "workbook/state.h"

size_t hints_reveal(const workbook *wb, const exercise *ex, int all)
{
    char *path = state_hints_path(wb->state_dir, ex->id);
    char *text = NULL;
    size_t shown = 0;
    if (file_read(path, &text, NULL, 64) == 0)
        shown = (size_t)strtoul(text, NULL, 10);
    free(text);
    size_t upto = all ? ex->hints.n : shown + 1;
    if (upto > ex->hints.n)
        upto = ex->hints.n;
    char count[32];
    int len = snprintf(count, sizeof count, "%zu\n", upto);
    (void)file_write_atomic(path, count, (size_t)len); /* best effort */
    free(path);
    return upto;
}

void hints_print(FILE *f, const exercise *ex, size_t upto, const char *indent)
{
    for (size_t i = 0; i < upto && i < ex->hints.n; i++)
        fprintf(f, "%s%zu/%zu. %s\n", indent, i + 1, ex->hints.n,
                ex->hints.v[i]);
}
