/* grading.c: see grading.h.
 *
 * Each step either lets the next one run or ends the grading with a
 * verdict (or an internal error). Before any test runs, the student's
 * files are inspected (tamper.h); after the build, the test programs are
 * out of the run user's reach (root: owned by root; everyone: the hash is
 * checked before every test, run_tests.h). The result cache is read when
 * it is opened, before any student code runs (result_cache.h). Text that
 * came from student code is made harmless for terminals (utf8_sanitize)
 * and for CI logs (defuse_workflow_commands). */
#include "grade/grading.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/text.h"
#include "base/utf8.h"
#include "compile/build.h"
#include "compile/build_cuda.h"
#include "compile/compile.h"
#include "compile/folder.h"
#include "compile/hardware.h"
#include "compile/source_rules.h"
#include "compile/tamper.h"
#include "grade/perf_judge.h"
#include "grade/run_tests.h"
#include "grade/verdict.h"
#include "run/find_tests.h"
#include "run/output.h"
#include "sandbox/sandbox.h"

typedef enum {
    STEP_NEXT,   /* go on */
    STEP_DONE,   /* the verdict is known */
    STEP_FAILED, /* the grader failed: err says why */
} step_status;

/* One grading in progress. */
typedef struct {
    const graded_view *v;
    const exercise *ex;
    const grade_options *o;
    exercise_result *out;
    strbuf *err;
    build_inputs in;
    char hash[65];
    char *dir;         /* the build folder */
    char *tree;        /* its staged tree, with a trailing '/' */
    strbuf log;        /* what the compiler said */
    int compile_error; /* the build failed on the student's code */
    int reached_build; /* a verdict from here on is stored in the cache */
    judge_expectations expect; /* judge mode: the reference's, per test */
} grading;

static void step(const grading *g, const char *what)
{
    if (g->o->on_step)
        g->o->on_step(what, g->o->step_ctx);
}

/* A protected file ex needs without a pristine copy makes it "tampered"
 * before anything is built; otherwise the graded tree is put back as
 * written (an earlier exercise's tests may have changed it). */
static step_status check_integrity(grading *g)
{
    int tampered;
    char *problem =
        integrity_editable_problem(g->o->ig, g->v->m, g->ex, &tampered);
    if (problem != NULL) {
        result_init(g->ex, "", g->out);
        g->out->verdict = tampered ? EV_TAMPERED : EV_BUILD_ERROR;
        g->out->message = problem;
        return STEP_DONE;
    }
    const char *file = integrity_blocked_by(g->o->ig, g->v->m, g->ex);
    if (file == NULL)
        return integrity_resync(g->o->ig, g->err) == 0 ? STEP_NEXT
                                                       : STEP_FAILED;
    result_init(g->ex, "", g->out);
    g->out->verdict = EV_TAMPERED;
    g->out->message = xasprintf(
        "%s was changed and no pristine copy of it is available here (no git "
        "objects): restore it with `git checkout -- %s`",
        file, file);
    return STEP_DONE;
}

/* Every input: a missing student file is the student's problem, so it is a
 * build error, not an internal one. */
static step_status collect(grading *g)
{
    strbuf why = {0};
    if (build_collect(g->v, g->ex, &g->o->build, &g->in, &why) == 0) {
        build_hash(g->v, g->ex, &g->o->build, &g->in, g->hash);
        return STEP_NEXT;
    }
    result_init(g->ex, "", g->out);
    g->out->verdict = EV_BUILD_ERROR;
    g->out->message = sb_steal(&why);
    return STEP_DONE;
}

static step_status reuse_cached(grading *g)
{
    if (g->o->use_cache && g->o->cache &&
        result_cache_get(g->o->cache, g->ex->id, g->hash, g->out)) {
        g->out->cached = 1;
        return STEP_DONE;
    }
    result_init(g->ex, g->hash, g->out);
    return STEP_NEXT;
}

/* Why ex cannot run on this machine, or NULL. */
static const char *missing_requirement(const exercise *ex)
{
    for (size_t i = 0; i < ex->requires.n; i++) {
        const char *r = ex->requires.v[i];
        if (strcmp(r, "opencl") == 0 && !dir_exists("/etc/OpenCL/vendors"))
            return "needs an OpenCL platform (install pocl-opencl-icd)";
        if (strcmp(r, "gpu") == 0 && access("/dev/nvidiactl", F_OK) != 0)
            return "needs an NVIDIA GPU";
    }
    return NULL;
}

static step_status check_requirements(grading *g)
{
    const char *missing = missing_requirement(g->ex);
    if (missing == NULL)
        return STEP_NEXT;
    g->out->verdict = EV_SKIPPED;
    g->out->message = xstrdup(missing);
    return STEP_DONE;
}

static step_status build(grading *g)
{
    g->dir = build_folder(g->v->wb, g->ex, &g->o->build);
    char *tree = build_tree_path(g->dir);
    g->tree = xasprintf("%s/", tree);
    free(tree);
    g->reached_build = 1;
    step(g, "building");
    if (mkdir_p(g->dir, 0755) != 0) {
        sb_printf(g->err, "cannot create %s: %s", g->dir, strerror(errno));
        return STEP_FAILED;
    }
    int b =
        build_run(g->v, g->ex, &g->o->build, &g->in, g->dir, &g->log, g->err);
    if (b < 0)
        return STEP_FAILED;
    g->compile_error = b == 1;
    return STEP_NEXT;
}

/* The tests, from the pristine test sources (never from the program,
 * which holds student code). */
static step_status list_tests(grading *g)
{
    strlist names = {0};
    const exercise *ex = g->ex;
    for (size_t i = 0; i < ex->tests.n; i++) {
        char *path =
            xasprintf("%sexercises/%s/%s", g->tree, ex->id, ex->tests.v[i]);
        char *text = NULL;
        int rc = file_read(path, &text, NULL, 4 << 20);
        free(path);
        if (rc != 0) {
            sb_printf(g->err, "cannot read exercises/%s/%s", ex->id,
                      ex->tests.v[i]);
            strlist_free(&names);
            return STEP_FAILED;
        }
        find_tests(text, &names);
        free(text);
    }
    const size_t found = names.n;
    if (found == 0)
        sb_printf(g->err, "exercises/%s: no LL_TEST found in its test files",
                  ex->id);
    else
        result_add_tests(g->out, names.v, found);
    strlist_free(&names);
    return found == 0 ? STEP_FAILED : STEP_NEXT;
}

static step_status compile_error_verdict(grading *g)
{
    if (!g->compile_error)
        return STEP_NEXT;
    g->out->verdict = EV_BUILD_ERROR;
    g->out->message = build_cuda_nvcc_message(sb_str(&g->log));
    if (g->out->message == NULL)
        g->out->message = xstrdup("does not compile");
    return STEP_DONE;
}

/* Judge mode, kinds whose student sources are compiled into the device
 * process too (device_source_rules: the CUDA simulator's): the student's
 * sources and objects keep to the rules that keep the device process out
 * of their reach (source_rules.h, tamper.h); a violation is a build error
 * naming file and line. */
static step_status device_rules(grading *g)
{
    if (g->o->judge == NULL || !g->ex->kind->device_source_rules)
        return STEP_NEXT;
    strlist student = {0}, tests = {0};
    compile_cuda_units(g->ex, &student, &tests);
    strbuf why = {0};
    int shown = 0, found = 0;
    for (size_t i = 0; i < student.n; i++) {
        char *path = xasprintf("%s%s", g->tree, student.v[i]);
        char *text = NULL;
        size_t len = 0;
        if (file_read(path, &text, &len, 4 << 20) == 0)
            found += source_rules_scan(student.v[i], text, len, &why, &shown);
        free(text);
        free(path);
    }
    strlist_free(&student);
    strlist_free(&tests);
    const int objects =
        tamper_check_device_objects(g->ex, g->dir, &why, &shown, g->err);
    if (objects < 0) {
        sb_free(&why);
        return STEP_FAILED;
    }
    found += objects;
    if (found == 0) {
        sb_free(&why);
        return STEP_NEXT;
    }
    if (found > shown)
        sb_printf(&why, "\n  (and %d more)", found - shown);
    g->out->verdict = EV_BUILD_ERROR;
    g->out->message = xasprintf(
        "rejected in judge mode: the kernels run in the CUDA simulator's "
        "device process, whose counts and records decide the grade, and "
        "exercise code may not reach around it:%s",
        sb_str(&why));
    defuse_workflow_commands(&g->out->message);
    sb_free(&why);
    return STEP_DONE;
}

/* Judge mode: what each test must observe, from the reference solution's
 * runs with the judge's seed (cached across students). */
static step_status expectations(grading *g)
{
    if (g->o->judge == NULL)
        return STEP_NEXT;
    step(g, "reference");
    strlist names = {0};
    for (size_t i = 0; i < g->out->ntests; i++)
        strlist_push(&names, g->out->tests[i].name);
    int rc = judge_expect(g->v, g->ex, g->o->judge, &names, &g->expect, g->err);
    strlist_free(&names);
    return rc == 0 ? STEP_NEXT : STEP_FAILED;
}

/* As root, the build folder was the run user's while it compiled; from
 * now on the folder and its programs are root's, so no test can replace
 * a program that later tests run (the run/ scratch folders stay the run
 * user's). */
static int lock_build(const grading *g)
{
    if (geteuid() != 0)
        return 0;
    int ok = chown(g->dir, 0, 0) == 0 && chmod(g->dir, 0755) == 0;
    for (program_id p = PROGRAM_TEST; ok && p <= PROGRAM_GPU; p++) {
        char *program = build_program_path(g->dir, g->ex, p);
        if (file_exists(program))
            ok = chown(program, 0, 0) == 0 && chmod(program, 0755) == 0;
        free(program);
    }
    if (!ok)
        sb_printf(g->err, "cannot take back %s from the run user: %s", g->dir,
                  strerror(errno));
    return ok ? 0 : -1;
}

static step_status inspect(grading *g)
{
    step(g, "inspecting");
    strbuf why = {0};
    int tc = tamper_check(g->ex, &g->o->build, &g->in, g->dir, &why, g->err);
    if (tc < 0 || lock_build(g) != 0) {
        sb_free(&why);
        return STEP_FAILED;
    }
    if (tc == 0)
        return STEP_NEXT;
    char *msg = sb_steal(&why);
    defuse_workflow_commands(&msg);
    result_reject(g->out, EV_TAMPERED, msg);
    return STEP_DONE;
}

/* The kind's preloaded library in the hardware build, or NULL when the kind
 * has none or it is not built. Caller frees. */
static char *preload_path(const grading *g)
{
    if (g->ex->kind->preload == NULL)
        return NULL;
    strbuf err = {0};
    const char *hw = hw_build_dir(g->v, &err);
    sb_free(&err);
    if (hw == NULL)
        return NULL;
    char *lib = xasprintf("%s/%s", hw, g->ex->kind->preload);
    if (!file_exists(lib)) {
        free(lib);
        return NULL;
    }
    return lib;
}

/* How many tests run at once: one for an exercise graded by its speed
 * (tests at once would slow each other down), and one when the grader is
 * not root (its runs share the user's /dev/shm, and each run removes what
 * the user created there while it ran: a run beside it would lose its
 * shared memory), else the caller's choice. Grades and verify ask for one
 * (the default): all runs share the run user's process limit, so a test
 * that forks without end would fail the tests beside it; check and watch
 * ask for more, a quick verdict on the student's own code. */
static int test_jobs(const grading *g)
{
    enum { DEFAULT_TEST_JOBS = 1 };
    if (g->ex->perf != NULL || g->ex->kind->id == KIND_C_PERF || geteuid() != 0)
        return 1;
    return g->o->test_jobs > 0 ? g->o->test_jobs : DEFAULT_TEST_JOBS;
}

/* Judge mode: the perf test, when it passed on correctness, gets its
 * performance from the judge's own timing (perf_judge.h). */
static int judge_performance(grading *g)
{
    const perf_spec *perf = g->ex->perf;
    if (g->o->judge == NULL || perf == NULL || perf->driver == NULL)
        return 0;
    for (size_t i = 0; i < g->out->ntests; i++) {
        test_result *t = &g->out->tests[i];
        if (strcmp(t->name, perf->test) != 0 || t->verdict != TV_PASSED)
            continue;
        step(g, "timing");
        return perf_judge(g->v, g->ex, g->o->judge, &g->o->build, t, g->err);
    }
    return 0;
}

static step_status run(grading *g)
{
    char *preload = preload_path(g);
    const test_plan p = {.ex = g->ex,
                         .dir = g->dir,
                         .tree = g->tree,
                         .env = g->o->run_env,
                         .preload = preload,
                         .expect = g->o->judge ? &g->expect : NULL,
                         .first_failure_only = g->o->first_failure_only,
                         .jobs = test_jobs(g),
                         .on_step = g->o->on_step,
                         .step_ctx = g->o->step_ctx};
    int rc = run_tests(&p, g->out, g->err);
    free(preload);
    if (rc == 0 && g->out->verdict != EV_TAMPERED)
        rc = judge_performance(g);
    if (rc != 0)
        return STEP_FAILED;
    if (g->out->verdict != EV_TAMPERED)
        score_exercise(g->ex, g->out);
    return STEP_DONE;
}

/* When ex fails and builds on earlier exercises of the student's that do
 * not pass (or were never checked), says so: the failure may be theirs. */
static char *prerequisite_note(const grading *g)
{
    strbuf note = {0};
    for (size_t i = 0; i < g->ex->links.n; i++) {
        const exercise *l = manifest_find(g->v->m, g->ex->links.v[i]);
        exercise_result r;
        if (l == NULL)
            continue;
        if (!grade_cached(g->v, g->o->cache, l, &r)) {
            sb_printf(&note, "%s%s (not checked since its last change)",
                      note.len ? ", " : "", l->id);
            continue;
        }
        if (r.verdict != EV_PASSED)
            sb_printf(&note, "%s%s (%s, %d/%zu tests)", note.len ? ", " : "",
                      l->id, exercise_verdict_name(r.verdict), tests_passed(&r),
                      r.ntests);
        exercise_result_free(&r);
    }
    if (note.len == 0)
        return NULL;
    char *msg = xasprintf("this exercise uses your code from %s: make those "
                          "pass first, the failure may come from them",
                          sb_str(&note));
    sb_free(&note);
    return msg;
}

/* What every graded verdict carries: the compiler's words (made safe),
 * the points, the prerequisites to look at, the time; then the cache. */
static void finish(grading *g, double start)
{
    exercise_result *out = g->out;
    if (g->log.len > 0) {
        remove_all(g->log.data, g->tree);
        out->build_log = utf8_sanitize(g->log.data, strlen(g->log.data));
        defuse_workflow_commands(&out->build_log);
    }
    out->max_score = g->ex->points;
    if (g->o->store_cache && out->verdict != EV_PASSED && out->message == NULL)
        out->message = prerequisite_note(g);
    out->wall_s = monotonic_seconds() - start;
    if (g->o->store_cache && g->o->cache)
        result_cache_put(g->o->cache, out);
}

int grade_exercise(const graded_view *v, const exercise *ex,
                   const grade_options *o, exercise_result *out, strbuf *err)
{
    static step_status (*const STEPS[])(grading *) = {
        check_integrity,
        collect,
        reuse_cached,
        check_requirements,
        build,
        list_tests,
        compile_error_verdict,
        device_rules,
        expectations,
        inspect,
        run,
    };
    const double start = monotonic_seconds();
    grading g = {.v = v, .ex = ex, .o = o, .out = out, .err = err};
    step_status s = STEP_NEXT;
    for (size_t i = 0; s == STEP_NEXT && i < sizeof STEPS / sizeof *STEPS; i++)
        s = STEPS[i](&g);
    if (s == STEP_DONE && g.reached_build)
        finish(&g, start);
    sb_free(&g.log);
    free(g.dir);
    free(g.tree);
    build_inputs_free(&g.in);
    judge_expectations_free(&g.expect);
    return s == STEP_FAILED ? EXIT_INTERNAL : 0;
}

int grade_cached(const graded_view *v, const result_cache *cache,
                 const exercise *ex, exercise_result *out)
{
    if (cache == NULL)
        return 0;
    const build_options b = BUILD_STUDENT;
    build_inputs in;
    strbuf err = {0};
    int hit = 0;
    if (build_collect(v, ex, &b, &in, &err) == 0) {
        char hash[65];
        build_hash(v, ex, &b, &in, hash);
        hit = result_cache_get(cache, ex->id, hash, out);
    }
    build_inputs_free(&in);
    sb_free(&err);
    return hit;
}
