/* perf_judge.c: see perf_judge.h. */
#include "grade/perf_judge.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/text.h"
#include "compile/build.h"
#include "compile/folder.h"
#include "grade/perf_stats.h"
#include "grade/verdict.h"
#include "run/runner.h"
#include "workbook/state.h"

/* The four builds of the driver. */
typedef enum {
    ROLE_REFERENCE, /* the expected values (comparing build) */
    ROLE_NULL,      /* the empty stub: the driver's own cost */
    ROLE_BASELINE,  /* the trusted baseline */
    ROLE_STUDENT,   /* the code being graded */
    NROLES
} role;

enum { PERF_CHECKS_MAX = 64 << 20 }; /* bytes of one run's check records */

/* A case whose first repetition's ratio is below this fraction of the
 * first tier's min is not repeated. */
static const double SLOW_FRACTION = 0.5;

static const char *const ROLE_NAME[NROLES] = {"reference", "null", "baseline",
                                              "student"};

typedef struct {
    char *dir;     /* its build folder */
    char *tree;    /* the staged tree, with a trailing '/' */
    char *program; /* the driver program */
    char hash[65]; /* the content hash of its inputs */
} driver_build;

typedef struct {
    const graded_view *v;
    const exercise *ex;
    const judge_options *j;
    const build_options *student;
    driver_build b[NROLES];
    strbuf *err;
} perf_ctx;

/* ---- builds ---------------------------------------------------------------
 */

/* The driver's sources: in's, without the tests, with the driver, and for
 * the baseline and the stub the baseline file instead of the exercise's
 * own editable files (a linked exercise's stay). */
static void driver_sources(const exercise *ex, role r, build_inputs *in)
{
    strlist kept = {0};
    char *own = xasprintf("exercises/%s/", ex->id);
    const size_t own_len = strlen(own);
    const int replaced = r == ROLE_NULL || r == ROLE_BASELINE;
    for (size_t i = 0; i < in->sources.n; i++) {
        const char *s = in->sources.v[i];
        if (strncmp(s, own, own_len) == 0) {
            const char *file = s + own_len;
            if (strlist_has(&ex->tests, file) ||
                (replaced && strlist_has(&ex->edit, file)))
                continue;
        }
        strlist_push(&kept, s);
    }
    if (replaced)
        strlist_pushf(&kept, "%s%s", own, ex->perf->baseline);
    strlist_pushf(&kept, "%s%s", own, ex->perf->driver);
    free(own);
    strlist_free(&in->sources);
    in->sources = kept;
}

/* As root the folder and its program become root's, so no run (as the
 * run user) can replace a program another run starts. */
static int lock_build(const driver_build *b, strbuf *err)
{
    if (geteuid() != 0)
        return 0;
    if (chown(b->dir, 0, 0) == 0 && chmod(b->dir, 0755) == 0 &&
        chown(b->program, 0, 0) == 0 && chmod(b->program, 0755) == 0)
        return 0;
    sb_printf(err, "cannot take back %s from the run user: %s", b->dir,
              strerror(errno));
    return -1;
}

/* The stamp of a trusted build: the hash of the inputs it was built from,
 * so the next student's grading reuses it. */
static char *stamp_path(const driver_build *b)
{
    return xasprintf("%s/inputs.sha256", b->dir);
}

static int already_built(const driver_build *b)
{
    char *stamp = stamp_path(b);
    char *text = NULL;
    int same = file_read(stamp, &text, NULL, 128) == 0 &&
               strcmp(text, b->hash) == 0 && file_exists(b->program);
    free(text);
    free(stamp);
    return same;
}

static void stamp_build(const driver_build *b)
{
    char *stamp = stamp_path(b);
    (void)file_write_atomic(stamp, b->hash, strlen(b->hash));
    free(stamp);
}

/* Builds the driver for role r (the trusted ones only when their inputs
 * changed). Returns 0, 1 when the student's code does not build with the
 * driver (log says why), -1 (err). */
static int build_driver(perf_ctx *c, role r, strbuf *log)
{
    static const char *const observe[] = {"LL_OBSERVE", NULL};
    static const char *const observe_null[] = {"LL_OBSERVE", "LL_PERF_NULL",
                                               NULL};
    const char *base_tag = c->student->tag;
    char *tag = xasprintf("%s%sperf-%s", base_tag ? base_tag : "",
                          base_tag ? "-" : "", ROLE_NAME[r]);
    build_options o = {
        .edit_base =
            r == ROLE_STUDENT ? c->student->edit_base : c->j->reference,
        .defines = r == ROLE_REFERENCE ? NULL
                   : r == ROLE_NULL    ? observe_null
                                       : observe,
        .tag = tag,
    };
    build_inputs in;
    strbuf why = {0};
    int rc = build_collect(c->v, c->ex, &o, &in, &why);
    if (rc != 0) {
        sb_printf(c->err, "the %s build of %s's perf driver: %s", ROLE_NAME[r],
                  c->ex->id, sb_str(&why));
        sb_free(&why);
        free(tag);
        return -1;
    }
    driver_sources(c->ex, r, &in);
    driver_build *b = &c->b[r];
    b->dir = build_folder(c->v->wb, c->ex, &o);
    char *tree = build_tree_path(b->dir);
    b->tree = xasprintf("%s/", tree);
    free(tree);
    b->program = build_program_path(b->dir, c->ex, PROGRAM_TEST);
    build_hash(c->v, c->ex, &o, &in, b->hash);
    if (r != ROLE_STUDENT && already_built(b)) {
        build_inputs_free(&in);
        free(tag);
        return 0;
    }
    if (mkdir_p(b->dir, 0755) != 0) {
        sb_printf(c->err, "cannot create %s: %s", b->dir, strerror(errno));
        rc = -1;
    } else {
        rc = build_run(c->v, c->ex, &o, &in, b->dir, log, c->err);
    }
    if (rc == 1 && r != ROLE_STUDENT) {
        sb_printf(c->err,
                  "the %s build of %s's perf driver does not compile:\n%s",
                  ROLE_NAME[r], c->ex->id, sb_str(log));
        rc = -1;
    }
    if (rc == 0)
        rc = lock_build(b, c->err);
    if (rc == 0 && r != ROLE_STUDENT)
        stamp_build(b);
    build_inputs_free(&in);
    free(tag);
    return rc;
}

/* ---- runs -----------------------------------------------------------------
 */

/* The seed of repetition rep of case k: 16 hex digits drawn from the
 * judge's seed, so each run's inputs are fresh and unknown in advance. */
static void round_seed(const judge_options *j, size_t k, int rep, char out[17])
{
    sha256_ctx h;
    char hex[65];
    char tail[64];
    const int n = snprintf(tail, sizeof tail, " %zu %d", k, rep);
    sha256_init(&h);
    sha256_update(&h, "llmlings perf seed ", 19);
    sha256_update(&h, j->seed, strlen(j->seed));
    sha256_update(&h, tail, (size_t)n);
    sha256_final_hex(&h, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

static int run_driver(const perf_ctx *c, role r, const char *case_name,
                      const char *seed, test_run *out)
{
    char *env[] = {xasprintf("LL_SEED=%s", seed),
                   xasprintf("LL_PERF_CASE=%s", case_name), NULL};
    const test_run_request q = {
        .ex = c->ex,
        .dir = c->b[r].dir,
        .tree = c->b[r].tree,
        .program = c->b[r].program,
        .index = 0,
        .test = c->ex->perf->test,
        /* the reference is not graded: a slow machine must not fail it */
        .wall_limit_s = (r == ROLE_STUDENT ? 1 : 4) * c->ex->time_limit_s,
        .env = (const char *const *)env,
        .record_checks = r == ROLE_REFERENCE || r == ROLE_STUDENT,
        .perf_driver = 1,
        .perf_stops = r != ROLE_REFERENCE,
    };
    const int rc = test_run_once(&q, out, c->err);
    free(env[0]);
    free(env[1]);
    return rc;
}

static void sample_of(const sandbox_result *sr, int wall, perf_sample *s)
{
    s->setup_cpu_s = sr->stop[0].cpu_s;
    s->timed_s = wall ? sr->stop[1].wall_s - sr->stop[0].wall_s
                      : sr->stop[1].cpu_s - sr->stop[0].cpu_s;
    s->tail_cpu_s = sr->end_cpu_s - sr->stop[1].cpu_s;
}

/* Why a timed run's clock readings cannot be used, or NULL. */
static char *stops_problem(const sandbox_result *sr)
{
    if (sr->stops != 2)
        return xasprintf("the program stopped %d time%s instead of twice "
                         "(once at ll_perf_begin, once at ll_perf_end): "
                         "timing code that stops or resumes itself is "
                         "not measured",
                         sr->stops, sr->stops == 1 ? "" : "s");
    if (sr->stop[0].others > 0 || sr->stop[1].others > 0)
        return xstrdup("other processes were running at a stop point: the "
                       "timed code must not start processes");
    if (sr->stop[0].cpu_s < 0 || sr->stop[1].cpu_s < 0)
        return xstrdup("the program's CPU time could not be read");
    return NULL;
}

/* A trusted run (reference, null, baseline) that did not pass is the
 * course's problem. */
static int trusted_passed(const perf_ctx *c, role r, const test_run *run,
                          const char *case_name, strbuf *err)
{
    /* perf drivers are C: no GPU work to account for (real_gpu) */
    const run_facts f = {&run->sr,
                         &run->rec,
                         4 * c->ex->time_limit_s,
                         c->ex->memory_limit_mb,
                         NULL,
                         c->b[r].tree,
                         1,
                         0,
                         NULL,
                         NULL,
                         NULL};
    test_result t = {0};
    verdict_decide(&f, &t);
    char *stops = r == ROLE_REFERENCE ? NULL : stops_problem(&run->sr);
    const int ok = t.verdict == TV_PASSED && stops == NULL;
    if (!ok)
        sb_printf(err,
                  "the %s run of %s's perf driver (case %s) does not pass: "
                  "%s%s%s",
                  ROLE_NAME[r], c->ex->id, case_name,
                  t.message ? t.message : test_verdict_name(t.verdict),
                  stops ? "; " : "", stops ? stops : "");
    free(stops);
    test_result_free(&t);
    return ok;
}

/* The student's timed run: its observations against the reference's; a
 * message when it does not count, else NULL. */
static char *student_problem(const perf_ctx *c, const test_run *run,
                             const check_log *expected, const char *case_name)
{
    const run_facts f = {&run->sr,
                         &run->rec,
                         c->ex->time_limit_s,
                         c->ex->memory_limit_mb,
                         NULL,
                         c->b[ROLE_STUDENT].tree,
                         1,
                         0,
                         NULL,
                         NULL,
                         NULL};
    test_result t = {0};
    verdict_judge(&f, expected, NULL, run->checks, run->checks_len, &t);
    char *why = NULL;
    if (t.verdict != TV_PASSED)
        why = xasprintf("in the timed run of case %s, the result did not "
                        "match the reference's on the same fresh inputs: %s",
                        case_name, t.message ? t.message : "");
    else
        why = stops_problem(&run->sr);
    test_result_free(&t);
    return why;
}

/* ---- the measurement ------------------------------------------------------
 */

static void add_metric(test_result *t, const char *name, double value)
{
    t->metrics = xreallocarray(t->metrics, t->nmetrics + 1, sizeof *t->metrics);
    t->metrics[t->nmetrics].name = xstrdup(name);
    t->metrics[t->nmetrics].value = value;
    t->nmetrics++;
}

/* Where the reference's check records of case k, repetition rep are kept
 * (per reference build and judge seed, as judge.c keeps the tests'). */
static char *expected_path(const perf_ctx *c, size_t k, int rep)
{
    char seed_id[17], build_id[17];
    judge_seed_id(c->j, seed_id);
    memcpy(build_id, c->b[ROLE_REFERENCE].hash, 16);
    build_id[16] = '\0';
    char *dir =
        state_judge_dir(c->v->wb->state_dir, c->ex->id, build_id, seed_id);
    char *path = xasprintf("%s/perf-%zu-%d.checks", dir, k, rep);
    free(dir);
    return path;
}

/* Whether data holds whole check records (a file cut short does not). */
static int whole_records(const char *data, size_t len)
{
    check_log log;
    check_log_parse(data, len, &log);
    const int whole = log.ended && !log.corrupt;
    check_log_free(&log);
    return whole;
}

/* The reference's check records of case k, repetition rep, from the cache
 * or from a run of the reference's driver (then cached). Returns 0 (*data,
 * *len: the caller frees), -1 (err). */
static int expected_records(const perf_ctx *c, size_t k, int rep,
                            const char *seed, char **data, size_t *len)
{
    char *path = expected_path(c, k, rep);
    if (file_read(path, data, len, PERF_CHECKS_MAX) == 0) {
        if (whole_records(*data, *len)) {
            free(path);
            return 0;
        }
        free(*data); /* cut short: run it again */
    }
    const char *case_name = c->ex->perf->cases.v[k];
    test_run ref;
    int rc = run_driver(c, ROLE_REFERENCE, case_name, seed, &ref);
    if (rc != 0) {
        free(path);
        return -1;
    }
    if (!trusted_passed(c, ROLE_REFERENCE, &ref, case_name, c->err))
        rc = -1;
    if (rc == 0) {
        *data = ref.checks ? ref.checks : xstrdup("");
        *len = ref.checks_len;
        ref.checks = NULL;
        char *dir = xstrdup(path);
        *strrchr(dir, '/') = '\0';
        if (mkdir_p(dir, 0700) == 0)
            (void)file_write_atomic(path, *data, *len);
        free(dir);
    }
    test_run_free(&ref);
    free(path);
    return rc;
}

/* One repetition of case k: reference, null, baseline, student. Returns 0
 * (round filled, or *why set when the student's run does not count), -1
 * (err). */
static int one_round(perf_ctx *c, size_t k, int rep, perf_round *round,
                     char **why)
{
    const char *case_name = c->ex->perf->cases.v[k];
    const int wall = c->ex->perf->clock_wall;
    char seed[17];
    round_seed(c->j, k, rep, seed);
    char *records = NULL;
    size_t records_len = 0;
    int rc = expected_records(c, k, rep, seed, &records, &records_len);
    check_log expected = {0};
    if (rc == 0)
        check_log_parse(records, records_len, &expected);
    perf_sample *into[NROLES] = {NULL, &round->null, &round->baseline,
                                 &round->student};
    for (role r = ROLE_NULL; rc == 0 && r < NROLES && *why == NULL; r++) {
        test_run run;
        if (run_driver(c, r, case_name, seed, &run) != 0) {
            rc = -1;
            break;
        }
        if (r == ROLE_STUDENT)
            *why = student_problem(c, &run, &expected, case_name);
        else if (!trusted_passed(c, r, &run, case_name, c->err))
            rc = -1;
        if (rc == 0 && *why == NULL)
            sample_of(&run.sr, wall, into[r]);
        test_run_free(&run);
    }
    check_log_free(&expected);
    free(records);
    return rc;
}

/* The message of a flagged measurement. */
static char *flag_message(perf_flag flag, const perf_case_figures *f,
                          const char *case_name, double value,
                          double max_plausible)
{
    switch (flag) {
    case PERF_WORK_BEFORE:
        return xasprintf(
            "the timing is not scored: in case %s your code used %.0f ms of "
            "CPU more than the baseline before the timed call started (a "
            "constructor, or a thread started earlier, doing the work): all "
            "the work must happen inside the timed call",
            case_name, 1e3 * f->excess_before_s);
    case PERF_WORK_AFTER:
        return xasprintf(
            "the timing is not scored: in case %s your code used %.0f ms of "
            "CPU more than the baseline after the timed call returned (a "
            "thread that goes on working, or a changed harness): all the "
            "work must happen inside the timed call",
            case_name, 1e3 * f->excess_after_s);
    case PERF_IMPLAUSIBLE:
        return xasprintf(
            "the timing is not scored: a measured ratio of %.3g is faster "
            "than this machine's peak allows (at most %.3g): it was flagged "
            "for the organizer",
            value, max_plausible);
    case PERF_OK: break;
    }
    return NULL;
}

/* Measures every case; sets t's metrics or message. */
static int measure(perf_ctx *c, test_result *t)
{
    const perf_spec *p = c->ex->perf;
    const size_t ncases = p->cases.n;
    const size_t reps = (size_t)p->repetitions;
    perf_round *rounds = xcalloc(reps, sizeof *rounds);
    perf_case_figures *figs = xcalloc(ncases, sizeof *figs);
    char *why = NULL;
    int rc = 0;
    for (size_t k = 0; k < ncases && rc == 0 && why == NULL; k++) {
        size_t done = 0;
        for (size_t r = 0; r < reps && rc == 0 && why == NULL; r++) {
            rc = one_round(c, k, (int)r, &rounds[r], &why);
            done = r + 1;
            /* far below the first tier: more runs cannot earn a point,
             * and a slow solution would take long */
            if (r == 0 && perf_round_ratio(&rounds[0]) <
                              SLOW_FRACTION * p->tiers[0].bound)
                break;
        }
        if (rc == 0 && why == NULL)
            perf_case(rounds, done, &figs[k]);
    }
    if (rc == 0 && why == NULL) {
        const double m = perf_metric(figs, ncases);
        size_t which = 0;
        const perf_flag flag = perf_judge_flag(
            figs, ncases, m, p->max_plausible, p->setup_free, &which);
        for (size_t k = 0; k < ncases; k++) {
            char name[96];
            snprintf(name, sizeof name, "judge_ratio_%.40s", p->cases.v[k]);
            add_metric(t, name, figs[k].ratio);
            snprintf(name, sizeof name, "judge_seconds_%.40s", p->cases.v[k]);
            add_metric(t, name, figs[k].student_s);
        }
        if (flag == PERF_OK) {
            add_metric(t, p->metric, m);
        } else {
            char name[96];
            snprintf(name, sizeof name, "%.60s_flagged", p->metric);
            add_metric(t, name, m);
            why = flag_message(flag, &figs[which], p->cases.v[which], m,
                               p->max_plausible);
        }
    }
    if (why != NULL) {
        free(t->message);
        t->message = why;
    }
    free(rounds);
    free(figs);
    return rc;
}

int perf_judge(const graded_view *v, const exercise *ex, const judge_options *j,
               const build_options *student, test_result *t, strbuf *err)
{
    perf_ctx c = {.v = v, .ex = ex, .j = j, .student = student, .err = err};
    strbuf log = {0};
    int rc = 0;
    for (role r = ROLE_REFERENCE; rc == 0 && r < NROLES; r++)
        rc = build_driver(&c, r, &log);
    if (rc == 1) {
        free(t->message);
        t->message = xasprintf("the judge's timing driver does not build with "
                               "your code, so it earns no performance "
                               "points:\n%s",
                               sb_str(&log));
        rc = 0;
    } else if (rc == 0) {
        rc = measure(&c, t);
    }
    sb_free(&log);
    for (role r = ROLE_REFERENCE; r < NROLES; r++) {
        free(c.b[r].dir);
        free(c.b[r].tree);
        free(c.b[r].program);
    }
    return rc;
}
