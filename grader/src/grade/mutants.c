/* mutants.c: see mutants.h.
 *
 * A patched copy of the reference lives in the build folder as
 * mutants/<id>-<slot>/<id>/... beside copies of the references of the
 * exercises it links, so the grade reads it as an edit base (inputs.h).
 * Each mutant is graded up to its first failing test only: one is enough.
 *
 * Patches are independent, so they are graded by up to VERIFY_JOBS
 * workers at once (worker_pool.h; a slot each: its own folder and build
 * tag), each handing its outcome back to the parent. */
#include "grade/mutants.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/strlist.h"
#include "base/unidiff.h"
#include "grade/grading.h"
#include "grade/verdict.h"
#include "run/worker_pool.h"

enum { PATCH_MAX = 1 << 20, MAX_JOBS = 8 };

/* Copies the reference files of ex (and of the exercises it links) from
 * the workbook's solutions-private/ into base/<id>/. */
static int copy_reference(const graded_view *v, const exercise *ex,
                          const char *base, strbuf *err)
{
    strlist ids = {0};
    strlist_push(&ids, ex->id);
    for (size_t i = 0; i < ex->links.n; i++)
        strlist_push(&ids, ex->links.v[i]);
    int rc = remove_tree(base) == 0 ? 0 : -1;
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        const exercise *e = manifest_find(v->m, ids.v[i]);
        for (size_t f = 0; e && f < e->edit.n && rc == 0; f++) {
            char *from = xasprintf("%s/solutions-private/%s/%s", v->wb->root,
                                   e->id, e->edit.v[f]);
            char *to = xasprintf("%s/%s/%s", base, e->id, e->edit.v[f]);
            char *dir = xstrdup(to);
            *strrchr(dir, '/') = '\0';
            char *data = NULL;
            size_t len = 0;
            rc = mkdir_p(dir, 0755) == 0 &&
                         file_read(from, &data, &len, 16 << 20) == 0 &&
                         file_write_atomic(to, data, len) == 0
                     ? 0
                     : -1;
            if (rc != 0)
                sb_printf(err, "cannot copy %s into %s: %s", from, base,
                          strerror(errno));
            free(data);
            free(dir);
            free(from);
            free(to);
        }
    }
    strlist_free(&ids);
    return rc;
}

/* The patch files of one kind ("mutants" or "variants"), sorted. */
static void list_patches(const graded_view *v, const exercise *ex,
                         const char *kind, strlist *out)
{
    char *dir =
        xasprintf("%s/solutions-private/%s/%s", v->wb->root, ex->id, kind);
    strlist names = {0};
    if (dir_exists(dir) && list_dir(dir, 1, &names) == 0)
        for (size_t i = 0; i < names.n; i++) {
            const size_t n = strlen(names.v[i]);
            if (n > 6 && strcmp(names.v[i] + n - 6, ".patch") == 0)
                strlist_pushf(out, "%s/%s", dir, names.v[i]);
        }
    strlist_free(&names);
    free(dir);
}

/* "suite/name: verdict: message" of r's first test that did not pass, or
 * passed below the top tier of its counter (verdict.h); NULL when none. */
static char *first_failure(const exercise *ex, const exercise_result *r)
{
    if (r->verdict == EV_BUILD_ERROR) {
        char *msg = i18n_message(r->message ? r->message : "");
        char *out = xasprintf(_("does not compile: %s"), msg);
        free(msg);
        return out;
    }
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        if (t->verdict != TV_PASSED || below_counter_top_tier(ex, t)) {
            char *msg = i18n_message(t->message ? t->message : "");
            char *out = xasprintf("%s: %s: %s", t->name,
                                  t->verdict == TV_PASSED
                                      ? _("below the top counter tier")
                                      : test_verdict_name(t->verdict),
                                  msg);
            free(msg);
            return out;
        }
    }
    return r->verdict == EV_PASSED ? NULL : xstrdup("");
}

/* Whether some perf spec of ex is graded by the device's counters in
 * judge mode. */
static int graded_by_device_counters(const exercise *ex)
{
    for (size_t i = 0; i < ex->nperf; i++)
        if (ex->perf[i].judge_counters.nsum > 0)
            return 1;
    return 0;
}

/* How one patched reference fared: 1 every test passed (at the top tier
 * of the counter-graded ones), 0 some did not (*failure says which first), -1
 * the patch does not apply (why says so), -2 internal error (err). */
static int grade_patched(const graded_view *v, const exercise *ex,
                         const char *patch, int slot, int first_failure_only,
                         const judge_options *judge, char **description,
                         char **failure, strbuf *why, strbuf *err)
{
    char *diff = NULL;
    size_t len = 0;
    if (file_read(patch, &diff, &len, PATCH_MAX) != 0) {
        sb_printf(err, "cannot read %s: %s", patch, strerror(errno));
        return -2;
    }
    *description = unidiff_description(diff, len);
    char *base = xasprintf("%s/mutants/%s-%d", v->wb->build_dir, ex->id, slot);
    char *tag = xasprintf("mutant-%d", slot);
    char *folder = path_join(base, ex->id);
    int rc = copy_reference(v, ex, base, err) == 0 ? 0 : -2;
    strbuf bad = {0};
    if (rc == 0 && unidiff_apply(folder, diff, len, &bad) != 0) {
        sb_printf(why, _("%s does not apply: %s\n"), patch, sb_str(&bad));
        rc = -1;
    }
    if (rc == 0) {
        static const char *const observe[] = {"LL_OBSERVE", NULL};
        grade_options o = {
            .build = {base, 0, judge ? observe : NULL, tag},
            .first_failure_only = first_failure_only,
            .run_env = judge ? (const char *const *)judge->env : NULL,
            .judge = judge,
        };
        exercise_result r;
        if (grade_exercise(v, ex, &o, &r, err) != 0) {
            rc = -2;
        } else {
            *failure = first_failure(ex, &r);
            rc = *failure == NULL ? 1 : 0;
        }
        exercise_result_free(&r);
    }
    sb_free(&bad);
    remove_tree(base);
    free(tag);
    free(folder);
    free(base);
    free(diff);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* One patch to grade, and how it fared (filled from its worker). */
typedef struct {
    const char *patch;
    int is_variant;
    const judge_options *judge; /* graded in judge mode (NULL: locally) */
    int graded;                 /* its worker has ended */
    int rc;                     /* grade_patched's */
    char *description, *failure, *why, *err;
} patch_job;

/* What the workers grading patches share. */
typedef struct {
    const graded_view *v;
    const exercise *ex;
    patch_job *jobs;
} patch_jobs;

/* How many patches are graded at once: LLMLINGS_VERIFY_JOBS, else the
 * CPUs this process may use, at most MAX_JOBS. */
static int verify_jobs(void)
{
    const char *env = getenv("LLMLINGS_VERIFY_JOBS");
    long n =
        env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

/* In the worker: grades patch i in slot `slot` and writes
 * "rc\0description\0failure\0why\0err\0". */
static void grade_in_worker(size_t i, int slot, strbuf *out, void *ctx)
{
    const patch_jobs *all = ctx;
    const patch_job *j = &all->jobs[i];
    char *description = NULL, *failure = NULL;
    strbuf why = {0}, err = {0};
    const int rc =
        grade_patched(all->v, all->ex, j->patch, slot, !j->is_variant, j->judge,
                      &description, &failure, &why, &err);
    sb_printf(out, "%d", rc);
    const char *parts[] = {description, failure, sb_str(&why), sb_str(&err)};
    for (size_t k = 0; k < 4; k++) {
        sb_append(out, "", 1);
        if (parts[k])
            sb_append(out, parts[k], strlen(parts[k]));
    }
    sb_append(out, "", 1);
    free(description);
    free(failure);
    sb_free(&why);
    sb_free(&err);
}

/* In the parent: takes the outcome of patch i from its worker. */
static int read_outcome(size_t i, const worker_result *r, void *ctx,
                        strbuf *err)
{
    (void)err; /* an outcome that did not come is the job's own error */
    patch_job *j = &((patch_jobs *)ctx)->jobs[i];
    j->graded = 1;
    j->rc = -2;
    if (!r->complete) {
        j->err = xasprintf("grading %s stopped without an outcome (status "
                           "%d)",
                           j->patch, r->status);
        return 0;
    }
    const char *p = r->data, *end = r->data + r->len;
    char **fields[] = {&j->description, &j->failure, &j->why, &j->err};
    j->rc = (int)strtol(p, NULL, 10);
    p += strlen(p) + 1;
    for (size_t k = 0; k < 4 && p < end; k++) {
        *fields[k] = *p ? xstrdup(p) : NULL;
        p += strlen(p) + 1;
    }
    return 0;
}

/* Grades all->jobs[first..first + n) with up to `width` workers at once.
 * Returns -1 when a worker cannot be started (err), else 0. */
static int run_jobs(patch_jobs *all, size_t first, size_t n, int width,
                    strbuf *err)
{
    patch_jobs part = {all->v, all->ex, all->jobs + first};
    const worker_pool pool = {.njobs = n,
                              .width = width,
                              .work = grade_in_worker,
                              .on_result = read_outcome,
                              .ctx = &part};
    return worker_pool_run(&pool, err);
}

/* Adds j's outcome to the tally and the instructor's lines. Returns -1
 * when grading it was an internal error. */
static int tally_job(const patch_job *j, mutant_tally *t, strbuf *why,
                     strbuf *err)
{
    if (j->why)
        sb_printf(why, "%s", j->why);
    if (j->rc == -2) {
        sb_printf(err, "%s", j->err ? j->err : "internal error");
        return -1;
    }
    const char *what = j->description ? j->description : "";
    if (!j->is_variant) {
        t->mutants += j->judge == NULL;
        t->killed += j->judge == NULL && j->rc == 0;
        t->judge_mutants += j->judge != NULL;
        t->judge_killed += j->judge != NULL && j->rc == 0;
        if (j->rc == 1 && j->judge == NULL)
            sb_printf(why, _("mutant %s survives every test: %s\n"),
                      base_name(j->patch), what);
        else if (j->rc == 1)
            sb_printf(why,
                      _("mutant %s survives every test in judge mode: %s\n"),
                      base_name(j->patch), what);
        return 0;
    }
    if (j->judge) {
        t->judge_variants++;
        t->judge_passing += j->rc == 1;
    } else {
        t->variants++;
        t->passing += j->rc == 1;
    }
    if (j->rc == 0)
        sb_printf(why,
                  _("variant %s (%s) fails%s: %s (do the tests demand an "
                    "incidental choice of the reference?)\n"),
                  base_name(j->patch), what,
                  j->judge ? _(" in judge mode") : "",
                  j->failure ? j->failure : "");
    return 0;
}

int mutants_verify(const graded_view *v, const exercise *ex,
                   const judge_options *judge, mutant_tally *t, strbuf *why,
                   strbuf *err)
{
    memset(t, 0, sizeof *t);
    strlist mutants = {0}, variants = {0};
    list_patches(v, ex, "mutants", &mutants);
    list_patches(v, ex, "variants", &variants);
    /* mutants and variants; in judge mode the variants once more, and the
     * mutants of an exercise graded by the device's counters */
    const size_t local = mutants.n + variants.n;
    const size_t judged_mutants =
        judge && graded_by_device_counters(ex) ? mutants.n : 0;
    const size_t n = local + (judge ? variants.n : 0) + judged_mutants;
    patch_job *jobs = xcalloc(n ? n : 1, sizeof *jobs);
    for (size_t i = 0; i < n; i++) {
        const size_t k = i < local ? i : i - local; /* in its group */
        const int in_judge = i >= local;
        jobs[i].is_variant = in_judge ? k < variants.n : i >= mutants.n;
        if (!in_judge)
            jobs[i].patch =
                jobs[i].is_variant ? variants.v[i - mutants.n] : mutants.v[i];
        else
            jobs[i].patch =
                jobs[i].is_variant ? variants.v[k] : mutants.v[k - variants.n];
        jobs[i].judge = in_judge ? judge : NULL;
    }
    /* Local grades at once; judge-mode ones one at a time, as they share
     * the reference's build and expectations (made by the first). */
    patch_jobs all = {v, ex, jobs};
    int rc = run_jobs(&all, 0, local, verify_jobs(), err);
    if (rc == 0 && n > local)
        rc = run_jobs(&all, local, n - local, 1, err);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && jobs[i].graded && tally_job(&jobs[i], t, why, err))
            rc = -1;
        free(jobs[i].description);
        free(jobs[i].failure);
        free(jobs[i].why);
        free(jobs[i].err);
    }
    free(jobs);
    strlist_free(&mutants);
    strlist_free(&variants);
    return rc;
}
