/* cmd_grade.c: `grader check` (one exercise, in detail) and `grader grade`
 * (every exercise: the table and the results JSON). Both grade the graded
 * tree (pristine protected files), remember each verdict in the progress
 * file, and show a status line on a terminal while they work. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/term.h"
#include "cli/commands.h"
#include "cli/standing.h"
#include "compile/hardware.h"
#include "grade/grading.h"
#include "report/results_doc.h"
#include "report/table.h"

/* The status line on stderr, only for a person watching. */
typedef struct {
    const char *id;
    size_t index, total;
} status_line;

static void show_status(const char *what, void *ctx)
{
    const status_line *p = ctx;
    term_status(stderr, p->index, p->total, p->id, what);
}

static grade_options student_options(const app *a, status_line *line,
                                     int use_cache)
{
    grade_options o = {
        .build = BUILD_STUDENT,
        .ig = a->s.ig,
        .cache = a->cache,
        .use_cache = use_cache,
        .store_cache = 1,
        .on_step = isatty(STDERR_FILENO) ? show_status : NULL,
        .step_ctx = line,
    };
    return o;
}

/* The exercise named by `id`, or the first unfinished one; NULL after
 * saying why (*code: the exit code then). */
static const exercise *named_or_current(const app *a, const char *id, int *code)
{
    if (id) {
        *code = EXIT_USAGE;
        return find_exercise(a->s.view.m, id);
    }
    *code = EXIT_ALL_PASSED;
    const exercise *ex = standing_first_unpassed(&a->s.view, a->cache);
    if (ex == NULL)
        printf("Every exercise passes. Run `make grade` for the table.\n");
    return ex;
}

int cmd_check(app *a, int argc, char **argv)
{
    if (argc > 1)
        return usage_error(a, "takes at most one exercise, got \"%s\"",
                           argv[1]);
    strbuf err = {0};
    int rc = session_grade_pristine(&a->s, NULL, NULL, &err);
    if (rc != 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return rc;
    }
    int code;
    const exercise *ex = named_or_current(a, argc ? argv[0] : NULL, &code);
    if (ex == NULL)
        return code;
    status_line line = {ex->id, (size_t)(ex - a->s.view.m->ex), a->s.view.m->n};
    grade_options o = student_options(a, &line, 1);
    exercise_result r;
    rc = grade_exercise(&a->s.view, ex, &o, &r, &err);
    if (o.on_step)
        term_status_clear(stderr);
    if (rc != 0) {
        fprintf(stderr, "grader: internal error: %s\n", sb_str(&err));
        sb_free(&err);
        exercise_result_free(&r);
        return EXIT_INTERNAL;
    }
    table_print_check(stdout, ex, &r, a->color);
    standing_note(&a->s.view, ex->id, r.verdict);
    integrity_notice(stdout, a->s.ig);
    code = r.verdict == EV_PASSED ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
    exercise_result_free(&r);
    return code;
}

/* Top-level extras of the results document: the hardware probe and the
 * integrity and provenance blocks. */
static cJSON *results_extra(const app *a)
{
    cJSON *extra = hw_results_extra(&a->s.view);
    if (a->s.ig == NULL)
        return extra;
    cJSON *ig = integrity_extra(a->s.ig);
    if (extra == NULL)
        return ig;
    while (ig->child) {
        cJSON *item = cJSON_DetachItemViaPointer(ig, ig->child);
        cJSON_AddItemToObject(extra, item->string, item);
    }
    cJSON_Delete(ig);
    return extra;
}

static int write_json(const char *path, const app *a, const exercise_result *rs,
                      size_t n)
{
    const manifest *m = a->s.view.m;
    results_doc doc = {m->course_id, m->course_title, rs, n, results_extra(a)};
    char *text = results_document_print(&doc);
    cJSON_Delete(doc.extra);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "grader: cannot write %s: %s\n", path, strerror(errno));
    free(text);
    return rc;
}

typedef struct {
    const char *json, *repo, *rev;
    int use_cache;
} grade_args;

static int parse_grade_args(const app *a, int argc, char **argv, grade_args *g)
{
    *g = (grade_args){NULL, NULL, NULL, 1};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            g->json = argv[++i];
        else if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
            g->repo = argv[++i];
        else if (strcmp(argv[i], "--rev") == 0 && i + 1 < argc)
            g->rev = argv[++i];
        else if (strcmp(argv[i], "--no-cache") == 0)
            g->use_cache = 0;
        else
            return usage_error(a, "unknown argument \"%s\"", argv[i]);
    }
    return 0;
}

/* Grades every exercise into rs; returns the exit code, *graded how many
 * were graded (all but after an internal error). */
static int grade_all(const app *a, int use_cache, exercise_result *rs,
                     size_t *graded)
{
    const manifest *m = a->s.view.m;
    status_line line = {NULL, 0, m->n};
    grade_options o = student_options(a, &line, use_cache);
    int code = EXIT_ALL_PASSED;
    size_t i;
    for (i = 0; i < m->n; i++) {
        line.id = m->ex[i].id;
        line.index = i;
        strbuf err = {0};
        if (grade_exercise(&a->s.view, &m->ex[i], &o, &rs[i], &err) != 0) {
            if (o.on_step)
                term_status_clear(stderr);
            fprintf(stderr, "grader: internal error in %s: %s\n", line.id,
                    sb_str(&err));
            sb_free(&err);
            exercise_result_free(&rs[i]); /* may be half filled */
            code = EXIT_INTERNAL;
            break;
        }
        sb_free(&err);
        standing_note(&a->s.view, rs[i].id, rs[i].verdict);
        if (rs[i].verdict != EV_PASSED && code == EXIT_ALL_PASSED)
            code = EXIT_SOME_FAILED;
    }
    if (o.on_step)
        term_status_clear(stderr);
    *graded = i;
    return code;
}

int cmd_grade(app *a, int argc, char **argv)
{
    grade_args g;
    int rc = parse_grade_args(a, argc, argv, &g);
    strbuf err = {0};
    if (rc == 0)
        rc = session_grade_pristine(&a->s, g.repo, g.rev, &err);
    if (rc != 0) {
        if (err.len)
            fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return rc;
    }
    const manifest *m = a->s.view.m;
    exercise_result *rs = xcalloc(m->n, sizeof *rs);
    size_t n = 0;
    int code = grade_all(a, g.use_cache, rs, &n);
    if (code == EXIT_INTERNAL) {
        fprintf(stderr,
                "grader: grading stopped after %zu of %zu exercises; the "
                "results JSON holds only those\n",
                n, m->n);
        /* the table must not call a partial run "everything passes" */
        printf("Grading stopped early (internal error above): %zu of %zu "
               "exercises graded.\n",
               n, m->n);
    } else {
        table_print_grade(stdout, m, rs, n, a->color);
    }
    integrity_notice(stdout, a->s.ig);
    if (g.json && write_json(g.json, a, rs, n) != 0)
        code = EXIT_INTERNAL;
    else if (g.json)
        printf("Results written to %s\n", g.json);
    for (size_t i = 0; i < n; i++)
        exercise_result_free(&rs[i]);
    free(rs);
    return code;
}
