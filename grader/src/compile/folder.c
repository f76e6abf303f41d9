/* folder.c: see folder.h. */
#include "compile/folder.h"

#include "base/alloc.h"
#include "base/files.h"

char *build_folder(const workbook *wb, const exercise *ex,
                   const build_options *o)
{
    return xasprintf("%s/%s%s%s", wb->build_dir, ex->id, o->tag ? "." : "",
                     o->tag ? o->tag : "");
}

char *build_tree_path(const char *dir)
{
    return path_join(dir, "tree");
}

char *build_program_path(const char *dir, const exercise *ex, program_id p)
{
    static const char *const suffix[] = {[PROGRAM_TEST] = "test",
                                         [PROGRAM_RACE] = "race",
                                         [PROGRAM_GPU] = "gpu"};
    return xasprintf("%s/%s.%s", dir, ex->id, suffix[p]);
}
