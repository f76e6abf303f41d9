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
#include "base/i18n.h"
#include "base/term.h"
#include "cli/commands.h"
#include "cli/standing.h"
#include "compile/hardware.h"
#include "grade/grading.h"
#include "report/results_doc.h"
#include "report/table.h"
#include "sandbox/sandbox.h"

/* One line under the table: where the score comes from. */
static void judge_notice(FILE *out, const judge_options *judge)
{
    char id[17];
    judge_seed_id(judge, id);
    fprintf(out,
            _("Judge mode: verdicts compare what the tests observed with the "
              "reference solution's runs on inputs of a secret seed (seed id "
              "%s).\n"),
            id);
}

/* `check` runs every test of the exercise at once (run_tests.h caps it):
 * a student waits for one exercise, and an endless loop then costs one
 * time limit, not one per test. */
enum { CHECK_TEST_JOBS = 16 };

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
    const exercise *ex = standing_current_now(&a->s.view, a->cache);
    if (ex == NULL)
        printf(_("Every exercise passes. Run `make grade` for the table.\n"));
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
    o.test_jobs = CHECK_TEST_JOBS;
    exercise_result r;
    rc = grade_exercise(&a->s.view, ex, &o, &r, &err);
    if (o.on_step)
        term_status_clear(stderr);
    if (rc != 0) {
        fprintf(stderr, _("grader: internal error: %s\n"), sb_str(&err));
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

/* Which of the three levels of trust the score comes from (grader/README.md
 * "Trust"): judge mode, or the student's own grading, local or in their
 * CI. */
static cJSON *trust_block(const judge_options *judge)
{
    cJSON *t = cJSON_CreateObject();
    /* how student code was kept apart: root, a user namespace or neither
     * (grader/README.md, "Judge mode") */
    cJSON_AddStringToObject(t, "private_tmp", sandbox_private_tmp_kind());
    if (judge == NULL) {
        cJSON_AddStringToObject(t, "mode", "local");
        cJSON_AddStringToObject(
            t, "note",
            "graded by code the student controls: feedback, not proof");
        return t;
    }
    char id[17];
    judge_seed_id(judge, id);
    cJSON_AddStringToObject(t, "mode", "judge");
    cJSON_AddStringToObject(t, "seed_id", id);
    cJSON_AddStringToObject(
        t, "note",
        "verdicts from observations compared with the reference "
        "solution's runs on inputs of a secret seed");
    return t;
}

/* Top-level extras of the results document: the hardware probe, the trust
 * level and the integrity and provenance blocks. */
static cJSON *results_extra(const app *a, const judge_options *judge)
{
    cJSON *extra = hw_results_extra(&a->s.view);
    if (extra == NULL)
        extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, "trust", trust_block(judge));
    if (a->s.ig == NULL)
        return extra;
    cJSON *ig = integrity_extra(a->s.ig);
    while (ig->child) {
        cJSON *item = cJSON_DetachItemViaPointer(ig, ig->child);
        cJSON_AddItemToObject(extra, item->string, item);
    }
    cJSON_Delete(ig);
    return extra;
}

static int write_json(const char *path, const app *a,
                      const judge_options *judge, const exercise_result *rs,
                      size_t n)
{
    const manifest *m = a->s.view.m;
    results_doc doc = {m->course_id, m->course_title, rs, n,
                       results_extra(a, judge)};
    char *text = results_document_print(&doc);
    cJSON_Delete(doc.extra);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, _("grader: cannot write %s: %s\n"), path,
                strerror(errno));
    free(text);
    return rc;
}

typedef enum { JUDGE_AUTO, JUDGE_ON, JUDGE_OFF } judge_choice;

typedef struct {
    const char *json, *repo, *rev, *seed;
    int use_cache;
    judge_choice judge;
} grade_args;

static int parse_grade_args(const app *a, int argc, char **argv, grade_args *g)
{
    *g = (grade_args){NULL, NULL, NULL, NULL, 1, JUDGE_AUTO};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            g->json = argv[++i];
        else if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
            g->repo = argv[++i];
        else if (strcmp(argv[i], "--rev") == 0 && i + 1 < argc)
            g->rev = argv[++i];
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            g->seed = argv[++i];
        else if (strcmp(argv[i], "--no-cache") == 0)
            g->use_cache = 0;
        else if (strcmp(argv[i], "--judge") == 0)
            g->judge = JUDGE_ON;
        else if (strcmp(argv[i], "--no-judge") == 0)
            g->judge = JUDGE_OFF;
        else
            return usage_error(a, "unknown argument \"%s\"", argv[i]);
    }
    if (g->seed && g->judge == JUDGE_OFF)
        return usage_error(a, "--seed is for judge mode, not --no-judge");
    return 0;
}

/* Judge mode when asked, or by default for an organizer's `--rev` grading
 * with the reference solutions at hand (the only trusted score). */
static int wants_judge(const app *a, const grade_args *g)
{
    if (g->judge != JUDGE_AUTO)
        return g->judge == JUDGE_ON;
    char *ref = path_join(a->s.wb.root, "solutions-private");
    int have = g->rev != NULL && dir_exists(ref);
    free(ref);
    return have || g->seed != NULL;
}

/* Grades every exercise into rs; returns the exit code, *graded how many
 * were graded (all but after an internal error). judge: judge mode, or
 * NULL. */
static int grade_all(const app *a, int use_cache, const judge_options *judge,
                     exercise_result *rs, size_t *graded)
{
    const manifest *m = a->s.view.m;
    status_line line = {NULL, 0, m->n};
    grade_options o = student_options(a, &line, use_cache);
    static const char *const observe[] = {"LL_OBSERVE", NULL};
    if (judge) {
        /* the student's tests only observe; nothing is cached: a judge's
         * verdict depends on its seed */
        o.build = (build_options){"exercises", 0, observe, "judge"};
        o.judge = judge;
        o.run_env = (const char *const *)judge->env;
        o.use_cache = o.store_cache = 0;
    }
    int code = EXIT_ALL_PASSED;
    size_t i;
    for (i = 0; i < m->n; i++) {
        line.id = m->ex[i].id;
        line.index = i;
        strbuf err = {0};
        if (grade_exercise(&a->s.view, &m->ex[i], &o, &rs[i], &err) != 0) {
            if (o.on_step)
                term_status_clear(stderr);
            fprintf(stderr, _("grader: internal error in %s: %s\n"), line.id,
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
    judge_options judge;
    const int judging = wants_judge(a, &g);
    if (judging && judge_init(&judge, a->s.wb.root, g.seed, &err) != 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return EXIT_USAGE;
    }
    const manifest *m = a->s.view.m;
    exercise_result *rs = xcalloc(m->n, sizeof *rs);
    size_t n = 0;
    int code = grade_all(a, g.use_cache, judging ? &judge : NULL, rs, &n);
    if (code == EXIT_INTERNAL) {
        fprintf(stderr,
                _("grader: grading stopped after %zu of %zu exercises; the "
                  "results JSON holds only those\n"),
                n, m->n);
        /* the table must not call a partial run "everything passes" */
        printf(_("Grading stopped early (internal error above): %zu of %zu "
                 "exercises graded.\n"),
               n, m->n);
    } else {
        /* the student's own workbook: their current exercise, as watch,
         * list and check name it; another repository: the first not
         * passed */
        const exercise *cur = g.repo == NULL && !judging
                                  ? standing_current_now(&a->s.view, a->cache)
                                  : NULL;
        table_print_grade(stdout, m, rs, n, cur ? cur->id : NULL, a->color);
    }
    integrity_notice(stdout, a->s.ig);
    if (judging)
        judge_notice(stdout, &judge);
    if (g.json && write_json(g.json, a, judging ? &judge : NULL, rs, n) != 0)
        code = EXIT_INTERNAL;
    else if (g.json)
        printf(_("Results written to %s\n"), g.json);
    for (size_t i = 0; i < n; i++)
        exercise_result_free(&rs[i]);
    free(rs);
    if (judging)
        judge_options_free(&judge);
    return code;
}
