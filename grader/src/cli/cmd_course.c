/* cmd_course.c: finding one's way through the course: `grader list` (the
 * standing of every exercise), `grader next` (on to the next unfinished
 * one), `grader hint` (the next hint) and `grader reset` (back to the
 * starter). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"
#include "base/i18n.h"
#include "base/term.h"
#include "cli/commands.h"
#include "cli/standing.h"
#include "integrity/starter.h"
#include "workbook/hints.h"

/* Grades from the pristine files, or says why it cannot. */
static int use_pristine(app *a)
{
    strbuf err = {0};
    int rc = session_grade_pristine(&a->s, NULL, NULL, &err);
    if (rc != 0)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
    return rc;
}

int cmd_list(app *a, int argc, char **argv)
{
    if (argc > 0)
        return usage_error(a, "takes no arguments, got \"%s\"", argv[0]);
    int rc = use_pristine(a);
    if (rc != 0)
        return rc;
    standing_print_list(stdout, &a->s.view, a->cache, a->color);
    return EXIT_ALL_PASSED;
}

static void print_where(FILE *f, const char *root, const exercise *ex,
                        int color)
{
    fprintf(f, _("Now: %s%s%s — %s (chapter %d, %d points)\n"),
            paint(color, BOLD), ex->id, paint(color, RESET), exercise_title(ex),
            ex->chapter, ex->points);
    fprintf(f, _("  the task:   exercises/%s/README.md\n"), ex->id);
    for (size_t i = 0; i < ex->edit.n; i++)
        fprintf(f, _("  you edit:   exercises/%s/%s\n"), ex->id, ex->edit.v[i]);
    if (ex->lecture) {
        char *page = i18n_page(root, ex->lecture);
        fprintf(f, _("  lecture:    %s\n"), page);
        free(page);
    }
    fprintf(f,
            _("  check it:   `make watch` (re-checks on every save) or "
              "`make check EX=%s`\n"),
            ex->id);
}

/* Says why the student moves from cur (the exercise to work on) to `to`;
 * set is the progress file's current exercise. */
static void say_move(const exercise *set, const exercise *cur,
                     const exercise *to, int skip)
{
    if (skip && to == cur)
        printf(_("%s is the only unfinished exercise left.\n"), cur->id);
    else if (skip)
        printf(_("Skipping %s for now; `grader list` shows it as "
                 "unfinished.\n"),
               cur->id);
    else if (set == cur)
        printf(_("%s is not finished yet: keep going (`make hint EX=%s` "
                 "helps), or `grader next --skip` to leave it for later.\n"),
               cur->id, cur->id);
    else if (set != NULL)
        printf(_("%s passes. On to the next one.\n"), set->id);
}

int cmd_next(app *a, int argc, char **argv)
{
    int skip = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--skip") != 0)
            return usage_error(a, "takes only --skip, got \"%s\"", argv[i]);
        skip = 1;
    }
    const graded_view *v = &a->s.view;
    progress p;
    progress_load(v, &p);
    const exercise *set = p.current ? manifest_find(v->m, p.current) : NULL;
    const exercise *cur = standing_current(v, a->cache, &p);
    if (cur == NULL) {
        printf(_("Every exercise passes. Run `make grade` for the table.\n"));
        progress_free(&p);
        return EXIT_ALL_PASSED;
    }
    const exercise *to =
        skip ? standing_next_unfinished(v, a->cache, &p,
                                        (size_t)(cur - v->m->ex) + 1)
             : cur;
    say_move(set, cur, to, skip);
    progress_set_current(&p, to->id);
    (void)progress_save(v, &p);
    print_where(stdout, a->s.wb.root, to, a->color);
    progress_free(&p);
    return EXIT_ALL_PASSED;
}

int cmd_hint(app *a, int argc, char **argv)
{
    int all = 0;
    const char *id = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = 1;
        else if (id == NULL)
            id = argv[i];
        else
            return usage_error(a, "takes one exercise, got also \"%s\"",
                               argv[i]);
    }
    int rc = use_pristine(a);
    if (rc != 0)
        return rc;
    const exercise *ex = id ? find_exercise(a->s.view.m, id)
                            : standing_current_now(&a->s.view, a->cache);
    if (ex == NULL)
        return id ? EXIT_USAGE : EXIT_ALL_PASSED;
    size_t upto = hints_reveal(&a->s.wb, ex, all);
    printf(_("Hints for %s — %s\n"), ex->id, exercise_title(ex));
    hints_print(stdout, ex, upto, "  ");
    if (upto < ex->hints.n)
        printf(_("(run `make hint EX=%s` again for the next one)\n"), ex->id);
    if (ex->lecture) {
        char *page = i18n_page(a->s.wb.root, ex->lecture);
        printf(_("Lecture: %s\n"), page);
        free(page);
    }
    return EXIT_ALL_PASSED;
}

int cmd_reset(app *a, int argc, char **argv)
{
    const char *id = NULL;
    int yes = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
            yes = 1;
        else if (id == NULL && argv[i][0] != '-')
            id = argv[i];
        else
            return usage_error(a, "unexpected \"%s\"", argv[i]);
    }
    if (id == NULL)
        return usage_error(a, "which exercise?");
    if (find_exercise(&a->s.wb.m, id) == NULL)
        return EXIT_USAGE;
    return starter_reset(&a->s.wb, id, yes);
}
