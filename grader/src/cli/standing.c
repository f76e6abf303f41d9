/* standing.c: see standing.h. */
#include "cli/standing.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/term.h"
#include "grade/grading.h"

/* 1 passed now, 0 not passed now, -1 unknown (no result for these files). */
static int cached_state(const workbook *wb, const result_cache *cache,
                        const exercise *ex, exercise_result *keep)
{
    exercise_result r;
    if (!grade_cached(wb, cache, ex, &r))
        return -1;
    int passed = r.verdict == EV_PASSED;
    if (keep)
        *keep = r;
    else
        exercise_result_free(&r);
    return passed;
}

int standing_finished(const workbook *wb, const result_cache *cache,
                      const progress *p, const exercise *ex)
{
    exercise_result r;
    int state = cached_state(wb, cache, ex, &r);
    if (state < 0)
        return progress_is_done(p, ex->id);
    /* An exercise skipped for missing hardware cannot be worked on here. */
    int finished = r.verdict == EV_PASSED || r.verdict == EV_SKIPPED;
    exercise_result_free(&r);
    return finished;
}

const exercise *standing_next_unfinished(const workbook *wb,
                                         const result_cache *cache,
                                         const progress *p, size_t from)
{
    for (size_t k = 0; k < wb->m.n; k++) {
        const exercise *ex = &wb->m.ex[(from + k) % wb->m.n];
        if (!standing_finished(wb, cache, p, ex))
            return ex;
    }
    return NULL;
}

const exercise *standing_current(const workbook *wb, const result_cache *cache,
                                 const progress *p)
{
    const exercise *cur = p->current ? manifest_find(&wb->m, p->current) : NULL;
    if (cur == NULL)
        return standing_next_unfinished(wb, cache, p, 0);
    return standing_next_unfinished(wb, cache, p, (size_t)(cur - wb->m.ex));
}

void standing_record(progress *p, const char *id, exercise_verdict v)
{
    /* missing hardware says nothing about the student's code */
    if (v != EV_SKIPPED)
        progress_mark_done(p, id, v == EV_PASSED);
}

void standing_note(const workbook *wb, const char *id, exercise_verdict v)
{
    progress p;
    progress_load(wb, &p);
    standing_record(&p, id, v);
    (void)progress_save(wb, &p);
    progress_free(&p);
}

/* ---- list and next ------------------------------------------------------ */

void standing_print_list(FILE *f, const workbook *wb, const result_cache *cache,
                         int color)
{
    progress p;
    progress_load(wb, &p);
    const exercise *cur = standing_current(wb, cache, &p);
    int chapter = -1;
    size_t passed = 0;
    /* On a terminal, titles are cut so that a row never wraps. */
    int title_room = INT_MAX;
    size_t width = term_width(f);
    if (width > 0)
        title_room = width > 72 ? (int)width - 54 : 18;
    for (size_t i = 0; i < wb->m.n; i++) {
        const exercise *ex = &wb->m.ex[i];
        if (ex->chapter != chapter) {
            chapter = ex->chapter;
            fprintf(f, "\n%sChapter %d%s\n", paint(color, BOLD), chapter,
                    paint(color, RESET));
        }
        exercise_result r;
        int state = cached_state(wb, cache, ex, &r);
        const char *status = "not checked yet", *col = DIM;
        char detail[32] = "";
        if (state >= 0) {
            status = exercise_verdict_name(r.verdict);
            col = r.verdict == EV_PASSED    ? GREEN
                  : r.verdict == EV_SKIPPED ? YELLOW
                                            : RED;
            if (r.ntests > 0)
                snprintf(detail, sizeof detail, "%d/%zu tests",
                         tests_passed(&r), r.ntests);
            exercise_result_free(&r);
        } else if (progress_is_done(&p, ex->id)) {
            status = "passed before";
            col = GREEN;
            snprintf(detail, sizeof detail, "changed since");
        }
        if (state == 1 || (state < 0 && progress_is_done(&p, ex->id)))
            passed++;
        const int here = ex == cur;
        fprintf(f, "%s %-20s %s%-15s%s %-12s %.*s\n", here ? " >" : "  ",
                ex->id, paint(color, col), status, paint(color, RESET), detail,
                title_room, ex->title);
    }
    fprintf(f, "\n%sProgress: %zu/%zu exercises passed.%s\n",
            paint(color, BOLD), passed, wb->m.n, paint(color, RESET));
    if (cur)
        fprintf(f,
                "You are on %s (marked >): `make watch` re-checks it on "
                "every save.\n",
                cur->id);
    else
        fprintf(f, "Every exercise passes. Run `make grade` for the table.\n");
    progress_free(&p);
}

static void print_where(FILE *f, const workbook *wb, const exercise *ex,
                        int color)
{
    fprintf(f, "Now: %s%s%s — %s (chapter %d, %d points)\n", paint(color, BOLD),
            ex->id, paint(color, RESET), ex->title, ex->chapter, ex->points);
    fprintf(f, "  the task:   exercises/%s/README.md\n", ex->id);
    for (size_t i = 0; i < ex->edit.n; i++)
        fprintf(f, "  you edit:   exercises/%s/%s\n", ex->id, ex->edit.v[i]);
    if (ex->lecture)
        fprintf(f, "  lecture:    %s\n", ex->lecture);
    fprintf(f,
            "  check it:   `make watch` (re-checks on every save) or "
            "`make check EX=%s`\n",
            ex->id);
    (void)wb;
}

int standing_next_command(const workbook *wb, const result_cache *cache,
                          int argc, char **argv, int color)
{
    int skip = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--skip") != 0) {
            fprintf(stderr, "grader: next takes only --skip, got \"%s\"\n",
                    argv[i]);
            return 2;
        }
        skip = 1;
    }
    progress p;
    progress_load(wb, &p);
    const exercise *set = p.current ? manifest_find(&wb->m, p.current) : NULL;
    const exercise *cur = standing_current(wb, cache, &p);
    const exercise *to = cur;
    if (cur == NULL) {
        fprintf(stdout, "Every exercise passes. Run `make grade` for the "
                        "table.\n");
        progress_free(&p);
        return 0;
    }
    if (skip) {
        to = standing_next_unfinished(wb, cache, &p,
                                      (size_t)(cur - wb->m.ex) + 1);
        if (to == cur)
            fprintf(stdout, "%s is the only unfinished exercise left.\n",
                    cur->id);
        else
            fprintf(stdout,
                    "Skipping %s for now; `grader list` shows it "
                    "as unfinished.\n",
                    cur->id);
    } else if (set == cur) {
        fprintf(stdout,
                "%s is not finished yet: keep going (`make hint EX=%s` "
                "helps), or `grader next --skip` to leave it for later.\n",
                cur->id, cur->id);
    } else if (set != NULL) {
        fprintf(stdout, "%s passes. On to the next one.\n", set->id);
    }
    progress_set_current(&p, to->id);
    (void)progress_save(wb, &p);
    print_where(stdout, wb, to, color);
    progress_free(&p);
    return 0;
}
