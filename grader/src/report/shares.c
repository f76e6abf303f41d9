/* shares.c: an exercise's points split over its tests in whole
 * thousandths, so that every export adds up exactly. The results JSON
 * rounds each test's share on its own (5 points over 3 tests: 1.667 three
 * times, 5.001 in all), and an exercise that did not build lists its tests
 * with no share at all; platforms that add test maxima up (Gradescope,
 * Classroom, JUnit reporters) would then show 510.029 points, or lose the
 * unbuilt exercise's maximum.
 *
 * Here the exercise's maximum M and score S (thousandths) are split so
 * that the shares sum to M, the scores to S, every share is M/n rounded
 * down or up, a passed test scores its whole share and a failed one none:
 * the extra thousandths of M/n go to the passed tests as far as S needs
 * them, the rest to the others. A partly scored test (a performance tier)
 * takes what is left over. */
#include "report/shares.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "report/results_doc.h"

enum { ZERO, FULL, PARTIAL };

static long milli(double x)
{
    if (!isfinite(x) || x <= 0)
        return 0;
    return x > 1e12 ? (long)1e15 : lround(x * 1000.0);
}

static int test_kind(const cJSON *t, double *fraction)
{
    *fraction = 0;
    if (strcmp(jstr(t, "verdict"), "passed") != 0)
        return ZERO;
    double score = jnum(t, "score"), max = jnum(t, "max_score");
    if (max <= 0 || score >= max - 5e-4) {
        *fraction = 1;
        return FULL;
    }
    *fraction = score > 0 ? score / max : 0;
    return *fraction > 0 ? PARTIAL : ZERO;
}

/* Gives one extra thousandth to the first `count` tests of `kind` that
 * have none yet; returns how many it gave. */
static long give_extras(test_shares *s, const int *kind, int which, long count,
                        long base)
{
    long given = 0;
    for (size_t i = 0; i < s->n && given < count; i++)
        if (kind[i] == which && s->max[i] == base) {
            s->max[i]++;
            given++;
        }
    return given;
}

void test_shares_compute(const cJSON *ex, test_shares *s)
{
    memset(s, 0, sizeof *s);
    long total = milli(jnum(ex, "max_score"));
    long target = milli(jnum(ex, "score"));
    if (target > total)
        target = total;
    s->total_max = total;
    s->n = (size_t)cJSON_GetArraySize(jarr(ex, "tests"));
    if (s->n == 0) {
        s->total_score = target;
        return;
    }
    s->max = xcalloc(s->n, sizeof *s->max);
    s->score = xcalloc(s->n, sizeof *s->score);
    int *kind = xcalloc(s->n, sizeof *kind);
    double *fraction = xcalloc(s->n, sizeof *fraction);
    long base = total / (long)s->n, extras = total % (long)s->n;
    long nfull = 0;
    double partial = 0;
    size_t i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, jarr(ex, "tests"))
    {
        kind[i] = test_kind(t, &fraction[i]);
        nfull += kind[i] == FULL;
        if (kind[i] == PARTIAL)
            partial += fraction[i] * (double)base;
        s->max[i++] = base;
    }
    /* As many extras for the passed tests as the score needs. */
    long want = target - nfull * base - lround(partial);
    long to_full = want < 0 ? 0 : want;
    if (to_full > extras)
        to_full = extras;
    if (to_full > nfull)
        to_full = nfull;
    extras -= give_extras(s, kind, FULL, to_full, base);
    extras -= give_extras(s, kind, ZERO, extras, base);
    extras -= give_extras(s, kind, PARTIAL, extras, base);
    give_extras(s, kind, FULL, extras, base);
    long sum = 0;
    for (i = 0; i < s->n; i++) {
        s->score[i] = kind[i] == FULL ? s->max[i]
                      : kind[i] == PARTIAL
                          ? lround(fraction[i] * (double)s->max[i])
                          : 0;
        sum += s->score[i];
    }
    /* What rounding left over goes to (or comes from) the partly scored
     * tests, within their shares. */
    for (i = 0; i < s->n && sum != target; i++) {
        if (kind[i] != PARTIAL)
            continue;
        long want_i = s->score[i] + (target - sum);
        if (want_i < 0)
            want_i = 0;
        if (want_i > s->max[i])
            want_i = s->max[i];
        sum += want_i - s->score[i];
        s->score[i] = want_i;
    }
    s->total_score = sum;
    free(kind);
    free(fraction);
}

void test_shares_free(test_shares *s)
{
    free(s->max);
    free(s->score);
    memset(s, 0, sizeof *s);
}
