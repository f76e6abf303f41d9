/* standing.c: see standing.h. */
#include "cli/standing.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/term.h"
#include "grade/grading.h"

/* 1 passed now, 0 not passed now, -1 unknown (no result for these files). */
static int cached_state(const graded_view *v, const result_cache *cache,
                        const exercise *ex, exercise_result *keep)
{
    exercise_result r;
    if (!grade_cached(v, cache, ex, &r))
        return -1;
    int passed = r.verdict == EV_PASSED;
    if (keep)
        *keep = r;
    else
        exercise_result_free(&r);
    return passed;
}

int standing_finished(const graded_view *v, const result_cache *cache,
                      const progress *p, const exercise *ex)
{
    exercise_result r;
    int state = cached_state(v, cache, ex, &r);
    if (state < 0)
        return progress_is_done(p, ex->id);
    /* An exercise skipped for missing hardware cannot be worked on here. */
    int finished = r.verdict == EV_PASSED || r.verdict == EV_SKIPPED;
    exercise_result_free(&r);
    return finished;
}

const exercise *standing_next_unfinished(const graded_view *v,
                                         const result_cache *cache,
                                         const progress *p, size_t from)
{
    for (size_t k = 0; k < v->m->n; k++) {
        const exercise *ex = &v->m->ex[(from + k) % v->m->n];
        if (!standing_finished(v, cache, p, ex))
            return ex;
    }
    return NULL;
}

const exercise *standing_current(const graded_view *v,
                                 const result_cache *cache, const progress *p)
{
    const exercise *cur = p->current ? manifest_find(v->m, p->current) : NULL;
    if (cur == NULL)
        return standing_next_unfinished(v, cache, p, 0);
    return standing_next_unfinished(v, cache, p, (size_t)(cur - v->m->ex));
}

const exercise *standing_current_now(const graded_view *v,
                                     const result_cache *cache)
{
    progress p;
    progress_load(v, &p);
    const exercise *cur = standing_current(v, cache, &p);
    progress_free(&p);
    return cur;
}

void standing_record(progress *p, const char *id, exercise_verdict v)
{
    /* missing hardware says nothing about the student's code */
    if (v != EV_SKIPPED)
        progress_mark_done(p, id, v == EV_PASSED);
}

void standing_note(const graded_view *v, const char *id,
                   exercise_verdict verdict)
{
    progress p;
    progress_load(v, &p);
    standing_record(&p, id, verdict);
    (void)progress_save(v, &p);
    progress_free(&p);
}

/* ---- list and next ------------------------------------------------------- */

void standing_print_list(FILE *f, const graded_view *v,
                         const result_cache *cache, int color)
{
    progress p;
    progress_load(v, &p);
    const exercise *cur = standing_current(v, cache, &p);
    int chapter = -1;
    size_t passed = 0;
    /* On a terminal, titles are cut so that a row never wraps. */
    int title_room = INT_MAX;
    size_t width = term_width(f);
    if (width > 0)
        title_room = width > 72 ? (int)width - 54 : 18;
    for (size_t i = 0; i < v->m->n; i++) {
        const exercise *ex = &v->m->ex[i];
        if (ex->chapter != chapter) {
            chapter = ex->chapter;
            fprintf(f, _("\n%sChapter %d%s\n"), paint(color, BOLD), chapter,
                    paint(color, RESET));
        }
        exercise_result r;
        int state = cached_state(v, cache, ex, &r);
        const char *status = _("not checked yet"), *col = DIM;
        char detail[32] = "";
        if (state >= 0) {
            status = exercise_verdict_name(r.verdict);
            col = r.verdict == EV_PASSED    ? GREEN
                  : r.verdict == EV_SKIPPED ? YELLOW
                                            : RED;
            if (r.ntests > 0)
                snprintf(detail, sizeof detail, _("%d/%zu tests"),
                         tests_passed(&r), r.ntests);
            exercise_result_free(&r);
        } else if (progress_is_done(&p, ex->id)) {
            status = _("passed before");
            col = GREEN;
            snprintf(detail, sizeof detail, "%s", _("changed since"));
        }
        if (state == 1 || (state < 0 && progress_is_done(&p, ex->id)))
            passed++;
        const int here = ex == cur;
        const char *title = exercise_title(ex);
        fprintf(f, "%s %-20s %s%-*s%s %-*s %.*s\n", here ? " >" : "  ", ex->id,
                paint(color, col), i18n_field(status, 15), status,
                paint(color, RESET), i18n_field(detail, 12), detail,
                i18n_fit_bytes(title, title_room), title);
    }
    fprintf(f, _("\n%sProgress: %zu/%zu exercises passed.%s\n"),
            paint(color, BOLD), passed, v->m->n, paint(color, RESET));
    if (cur)
        fprintf(f,
                _("You are on %s (marked >): `make watch` re-checks it on "
                  "every save.\n"),
                cur->id);
    else
        fprintf(f, "%s",
                _("Every exercise passes. Run `make grade` for the table.\n"));
    progress_free(&p);
}
