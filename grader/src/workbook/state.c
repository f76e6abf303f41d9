/* state.c: see state.h. */
#include "workbook/state.h"

#include "base/alloc.h"
#include "base/files.h"

char *state_results_dir(const char *state)
{
    return path_join(state, "results");
}

char *state_result_path(const char *state, const char *id)
{
    return xasprintf("%s/results/%s.json", state, id);
}

char *state_hints_path(const char *state, const char *id)
{
    return xasprintf("%s/results/%s.hints", state, id);
}

char *state_progress_path(const char *state)
{
    return path_join(state, "progress");
}

char *state_graded_template(const char *state)
{
    return xasprintf("%s/" STATE_GRADED_PREFIX "XXXXXX", state);
}

char *state_build_dir(const char *state)
{
    return path_join(state, "build");
}

char *state_judge_dir(const char *state, const char *id, const char *build,
                      const char *seed)
{
    return xasprintf("%s/judge/%s/%s-%s", state, id, build, seed);
}
