/* results.c: names of verdicts and ownership of results. */
#include "grade/results.h"

#include <stdlib.h>
#include <string.h>

static const char *const TEST_NAMES[] = {"passed",  "failed",       "crashed",
                                         "timeout", "memory_limit", "skipped",
                                         "not_run", "race"};
static const char *const EXERCISE_NAMES[] = {"passed", "failed", "build_error",
                                             "skipped", "tampered"};

const char *test_verdict_name(test_verdict v)
{
    return TEST_NAMES[v];
}

const char *exercise_verdict_name(exercise_verdict v)
{
    return EXERCISE_NAMES[v];
}

int test_verdict_parse(const char *s, test_verdict *v)
{
    for (int i = 0; i <= TV_RACE; i++)
        if (strcmp(s, TEST_NAMES[i]) == 0)
            return *v = (test_verdict)i, 0;
    return -1;
}

int exercise_verdict_parse(const char *s, exercise_verdict *v)
{
    for (int i = 0; i <= EV_TAMPERED; i++)
        if (strcmp(s, EXERCISE_NAMES[i]) == 0)
            return *v = (exercise_verdict)i, 0;
    return -1;
}

int tests_passed(const exercise_result *r)
{
    int n = 0;
    for (size_t i = 0; i < r->ntests; i++)
        n += r->tests[i].verdict == TV_PASSED;
    return n;
}

void test_result_free(test_result *t)
{
    free(t->name);
    free(t->message);
    free(t->output);
    for (size_t k = 0; k < t->nmetrics; k++)
        free(t->metrics[k].name);
    free(t->metrics);
    memset(t, 0, sizeof *t);
}

void exercise_result_free(exercise_result *r)
{
    for (size_t i = 0; i < r->ntests; i++) {
        test_result_free(&r->tests[i]);
    }
    free(r->tests);
    free(r->id);
    free(r->title);
    free(r->message);
    free(r->build_log);
    free(r->hash);
    memset(r, 0, sizeof *r);
}
