/* mutants.c: see mutants.h.
 *
 * A patched copy of the reference lives in the build folder as
 * mutants/<id>-<slot>/<id>/... beside copies of the references of the
 * exercises it links, so the grade reads it as an edit base (inputs.h).
 * Each mutant is graded up to its first failing test only: one is enough.
 *
 * Patches are independent, so they are graded by up to VERIFY_JOBS child
 * processes at once (a slot each: its own folder and build tag); a child
 * hands its outcome back in a small file. */
#include "grade/mutants.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strlist.h"
#include "base/unidiff.h"
#include "grade/grading.h"
#include "grade/verdict.h"

enum { PATCH_MAX = 1 << 20, OUTCOME_MAX = 4 << 20, MAX_JOBS = 8 };

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
    if (r->verdict == EV_BUILD_ERROR)
        return xasprintf("does not compile: %s", r->message ? r->message : "");
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        if (t->verdict != TV_PASSED || below_counter_top_tier(ex, t))
            return xasprintf("%s: %s: %s", t->name,
                             t->verdict == TV_PASSED
                                 ? "below the top counter tier"
                                 : test_verdict_name(t->verdict),
                             t->message ? t->message : "");
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
        sb_printf(why, "%s does not apply: %s\n", patch, sb_str(&bad));
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

/* One patch to grade, and how it fared (filled from its child). */
typedef struct {
    const char *patch;
    int is_variant;
    const judge_options *judge; /* graded in judge mode (NULL: locally) */
    pid_t pid;
    int slot;
    int rc; /* grade_patched's */
    char *description, *failure, *why, *err;
} patch_job;

/* How many patches are graded at once: LLMLINGS_VERIFY_JOBS, else the
 * CPUs this process may use, at most MAX_JOBS. */
static int verify_jobs(void)
{
    const char *env = getenv("LLMLINGS_VERIFY_JOBS");
    long n =
        env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

static char *outcome_path(const graded_view *v, const exercise *ex, int slot)
{
    return xasprintf("%s/mutants/%s-%d.outcome", v->wb->build_dir, ex->id,
                     slot);
}

/* In the child: grades the patch and writes "rc\0description\0failure\0
 * why\0err\0" to its slot's outcome file. Never returns. */
static void grade_in_child(const graded_view *v, const exercise *ex,
                           const patch_job *j)
{
    char *description = NULL, *failure = NULL;
    strbuf why = {0}, err = {0};
    const int rc = grade_patched(v, ex, j->patch, j->slot, !j->is_variant,
                                 j->judge, &description, &failure, &why, &err);
    strbuf out = {0};
    sb_printf(&out, "%d", rc);
    const char *parts[] = {description, failure, sb_str(&why), sb_str(&err)};
    for (size_t i = 0; i < 4; i++) {
        sb_append(&out, "", 1);
        if (parts[i])
            sb_append(&out, parts[i], strlen(parts[i]));
    }
    sb_append(&out, "", 1);
    char *path = outcome_path(v, ex, j->slot);
    const int ok = file_write_atomic(path, sb_str(&out), out.len) == 0;
    _exit(ok ? 0 : 1);
}

/* In the parent: reads the outcome of j's finished child. */
static void read_outcome(const graded_view *v, const exercise *ex, patch_job *j,
                         int status)
{
    char *path = outcome_path(v, ex, j->slot);
    char *data = NULL;
    size_t len = 0;
    j->rc = -2;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        file_read(path, &data, &len, OUTCOME_MAX) != 0) {
        j->err = xasprintf("grading %s stopped without an outcome (status "
                           "%d)",
                           j->patch, status);
    } else {
        const char *p = data, *end = data + len;
        char **fields[] = {&j->description, &j->failure, &j->why, &j->err};
        j->rc = (int)strtol(p, NULL, 10);
        p += strlen(p) + 1;
        for (size_t i = 0; i < 4 && p < end; i++) {
            *fields[i] = *p ? xstrdup(p) : NULL;
            p += strlen(p) + 1;
        }
    }
    unlink(path);
    free(data);
    free(path);
}

/* Grades jobs[0..n) with up to `width` children at once. Returns -1 when
 * a child cannot be started (err), else 0. */
static int run_jobs(const graded_view *v, const exercise *ex, patch_job *jobs,
                    size_t n, int width, strbuf *err)
{
    int busy[MAX_JOBS] = {0};
    size_t next = 0, running = 0;
    int rc = 0;
    fflush(NULL);
    while (next < n || running > 0) {
        while (rc == 0 && next < n && running < (size_t)width) {
            int slot = 0;
            while (busy[slot])
                slot++;
            patch_job *j = &jobs[next++];
            j->slot = slot;
            j->pid = fork();
            if (j->pid < 0) {
                sb_printf(err, "fork: %s", strerror(errno));
                rc = -1;
                break;
            }
            if (j->pid == 0)
                grade_in_child(v, ex, j);
            busy[slot] = 1;
            running++;
        }
        if (running == 0)
            break;
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        for (size_t i = 0; pid > 0 && i < next; i++)
            if (jobs[i].pid == pid) {
                read_outcome(v, ex, &jobs[i], status);
                busy[jobs[i].slot] = 0;
                jobs[i].pid = 0;
                running--;
            }
        if (pid < 0)
            break;
    }
    return rc;
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
        if (j->rc == 1)
            sb_printf(why, "mutant %s survives every test%s: %s\n",
                      base_name(j->patch), j->judge ? " in judge mode" : "",
                      what);
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
                  "variant %s (%s) fails%s: %s (do the tests demand an "
                  "incidental choice of the reference?)\n",
                  base_name(j->patch), what, j->judge ? " in judge mode" : "",
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
    int rc = run_jobs(v, ex, jobs, local, verify_jobs(), err);
    if (rc == 0 && n > local)
        rc = run_jobs(v, ex, jobs + local, n - local, 1, err);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0 && jobs[i].pid == 0 && tally_job(&jobs[i], t, why, err))
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
