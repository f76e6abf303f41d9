/* build_sweep.c: see build_sweep.h. */
#include "workbook/build_sweep.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/files.h"
#include "workbook/manifest.h"

#define RECORD "workbook" /* in each build folder: its workbook's path */

int build_sweep_mark(const char *build_dir, const char *root)
{
    char *record = path_join(build_dir, RECORD);
    const int rc = file_write_atomic(record, root, strlen(root));
    free(record);
    return rc;
}

/* Whether the build folder `dir` belongs to a workbook that is gone: its
 * record is readable, names an absolute path, and no manifest is there. */
static int workbook_gone(const char *dir)
{
    char *record = path_join(dir, RECORD), *root = NULL;
    size_t len = 0;
    const int read = file_read(record, &root, &len, PATH_MAX);
    free(record);
    if (read != 0)
        return 0;
    int gone = 0;
    if (len > 0 && root[0] == '/' && strlen(root) == len) {
        char *mf = path_join(root, MANIFEST_PATH);
        gone = !file_exists(mf);
        free(mf);
    }
    free(root);
    return gone;
}

int build_sweep(const char *base, const char *keep)
{
    strlist names = {0};
    if (list_dir(base, 0, &names) != 0)
        return 0;
    int removed = 0;
    for (size_t i = 0; i < names.n; i++) {
        if (strcmp(names.v[i], keep) == 0)
            continue;
        char *dir = path_join(base, names.v[i]);
        struct stat st;
        /* lstat: a link is not followed, whatever it points to */
        if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && workbook_gone(dir) &&
            remove_tree(dir) == 0)
            removed++;
        free(dir);
    }
    strlist_free(&names);
    return removed;
}
