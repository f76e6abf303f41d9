/* judge.c: see judge.h. */
#include "grade/judge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "compile/build.h"
#include "compile/folder.h"
#include "compile/hardware.h"
#include "compile/inputs.h"
#include "grade/verdict.h"
#include "run/runner.h"
#include "sandbox/sandbox.h"
#include "workbook/state.h"

/* The reference build's folder tag: beside the student's, never over it. */
static const char REFERENCE_TAG[] = "judge-reference";

enum { EXPECTATION_MAX = 64 << 20 }; /* bytes of one test's records */

static int is_hex(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (!strchr("0123456789abcdefABCDEF", *s))
            return 0;
    return 1;
}

static int random_seed(char out[JUDGE_SEED_HEX + 1])
{
    unsigned char raw[JUDGE_SEED_HEX / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

int judge_init(judge_options *o, const char *root, const char *seed,
               strbuf *err)
{
    memset(o, 0, sizeof *o);
    if (!sandbox_isolates_reads()) {
        sb_puts(err, "judge mode runs student code, and here nothing would "
                     "stop it from reading your files (the reference "
                     "solutions among them): this kernel has no Landlock "
                     "(or LLMLINGS_NO_LANDLOCK is set) and the grader is not "
                     "root with a mount namespace of its own. Run it as root "
                     "(student code then runs as "
                     "nobody, with solutions-private/ and .git hidden), as a "
                     "user who owns nothing of the course, or on Linux 5.13+ "
                     "with Landlock");
        return -1;
    }
    if (seed != NULL && (strlen(seed) > JUDGE_SEED_HEX || !is_hex(seed))) {
        sb_puts(err, "a judge seed is 1 to 16 hexadecimal digits");
        return -1;
    }
    if (seed != NULL) {
        snprintf(o->seed, sizeof o->seed, "%s", seed);
    } else if (random_seed(o->seed) != 0) {
        sb_printf(err, "cannot draw a seed: %s", strerror(errno));
        return -1;
    }
    o->reference = path_join(root, "solutions-private");
    if (!dir_exists(o->reference)) {
        sb_printf(err,
                  "judge mode needs the reference solutions, and %s has no "
                  "solutions-private/ folder",
                  root);
        judge_options_free(o);
        return -1;
    }
    o->env[0] = xasprintf("LL_SEED=%s", o->seed);
    o->env[1] = NULL;
    return 0;
}

void judge_options_free(judge_options *o)
{
    free(o->reference);
    free(o->env[0]);
    memset(o, 0, sizeof *o);
}

void judge_seed_id(const judge_options *o, char out[17])
{
    sha256_ctx c;
    char hex[65];
    sha256_init(&c);
    sha256_update(&c, "llmlings judge seed ", 20);
    sha256_update(&c, o->seed, strlen(o->seed));
    sha256_final_hex(&c, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

/* ---- the cache ------------------------------------------------------------
 */

static char *cached_path(const char *dir, size_t index, const char *what)
{
    return xasprintf("%s/%zu.%s", dir, index, what);
}

/* e's device report from text (len bytes; none when empty). Returns 0,
 * or -1 with why when it is malformed. */
static int take_device_report(judge_expectation *e, char *text, size_t len,
                              size_t total, strbuf *why)
{
    e->device_text = text;
    if (total == 0)
        return 0;
    if (device_report_parse(text, len, total, &e->device, why) != 0)
        return -1;
    e->has_device = 1;
    return 0;
}

/* The cache's files of test index: "N.expected" (check records, with the
 * GPU work records of the kinds that have them) or "N.skip" (a reason);
 * for kinds with a device report also "N.device" (the reference's report,
 * empty when its simulator gave none). */
static int load_cached(const exercise *ex, const char *dir, size_t index,
                       judge_expectation *e)
{
    char *checks = cached_path(dir, index, "expected");
    char *skip = cached_path(dir, index, "skip");
    char *device = cached_path(dir, index, "device");
    int found = 0;
    if (file_read(skip, &e->skip_reason, NULL, 4096) == 0) {
        found = 1;
    } else if (file_read(checks, &e->data, &e->len, EXPECTATION_MAX) == 0) {
        check_log_parse(e->data, e->len, &e->log);
        found = e->log.ended && !e->log.corrupt;
        if (found && ex->kind->device_report) {
            char *text = NULL;
            size_t len = 0;
            strbuf why = {0};
            found = file_read(device, &text, &len, DEVICE_REPORT_MAX) == 0 &&
                    take_device_report(e, text, len, len, &why) == 0;
            if (!found)
                free(text);
            sb_free(&why);
        }
        if (!found) { /* a cache file cut short: recompute it */
            check_log_free(&e->log);
            free(e->data);
            e->data = NULL;
            device_report_free(&e->device);
            e->device_text = NULL;
            e->has_device = 0;
        }
    }
    free(checks);
    free(skip);
    free(device);
    return found;
}

static int write_cached(const char *dir, size_t index, const char *what,
                        const char *data, size_t len, strbuf *err)
{
    char *path = cached_path(dir, index, what);
    int rc = file_write_atomic(path, data ? data : "", data ? len : 0);
    if (rc != 0)
        sb_printf(err, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

static int store_cached(const exercise *ex, const char *dir, size_t index,
                        const judge_expectation *e, strbuf *err)
{
    if (mkdir_p(dir, 0700) != 0) {
        sb_printf(err, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (e->skip_reason)
        return write_cached(dir, index, "skip", e->skip_reason,
                            strlen(e->skip_reason), err);
    /* the report first: a check log without it is not taken as cached */
    if (ex->kind->device_report &&
        write_cached(dir, index, "device", e->device_text,
                     e->has_device ? strlen(e->device_text) : 0, err) != 0)
        return -1;
    return write_cached(dir, index, "expected", e->data, e->len, err);
}

/* ---- the reference's runs -------------------------------------------------
 */

typedef struct {
    const graded_view *v;
    const exercise *ex;
    const judge_options *o;
    build_options build;
    build_inputs in;
    char hash[65];
    char *dir;  /* the reference's build folder */
    char *tree; /* its staged tree, with a trailing '/' */
    int built;
} reference;

static int build_reference(reference *r, strbuf *err)
{
    if (r->built)
        return 0;
    r->dir = build_folder(r->v->wb, r->ex, &r->build);
    char *tree = build_tree_path(r->dir);
    r->tree = xasprintf("%s/", tree);
    free(tree);
    if (mkdir_p(r->dir, 0755) != 0) {
        sb_printf(err, "cannot create %s: %s", r->dir, strerror(errno));
        return -1;
    }
    strbuf log = {0};
    int b = build_run(r->v, r->ex, &r->build, &r->in, r->dir, &log, err);
    if (b == 1)
        sb_printf(err, "the reference solution of %s does not compile:\n%s",
                  r->ex->id, sb_str(&log));
    sb_free(&log);
    r->built = b == 0;
    return b == 0 ? 0 : -1;
}

/* The kind's preloaded library (cltrack for opencl: its GPU work records
 * are part of the expectations), as the student's runs get it; or NULL. */
static char *preload_path(const reference *r)
{
    if (r->ex->kind->preload == NULL)
        return NULL;
    strbuf err = {0};
    const char *hw = hw_build_dir(r->v, &err);
    sb_free(&err);
    if (hw == NULL)
        return NULL;
    char *lib = xasprintf("%s/%s", hw, r->ex->kind->preload);
    if (!file_exists(lib)) {
        free(lib);
        return NULL;
    }
    return lib;
}

/* Runs test `name` of the reference once with the judge's seed; fills e,
 * or says in err why the reference does not pass it. */
static int run_reference(reference *r, size_t index, const char *name,
                         judge_expectation *e, strbuf *err)
{
    char *program = build_program_path(r->dir, r->ex, PROGRAM_TEST);
    char *preload = preload_path(r);
    const test_run_request q = {
        .ex = r->ex,
        .dir = r->dir,
        .tree = r->tree,
        .program = program,
        .index = index,
        .test = name,
        /* the reference is not graded: a slow machine must not make it
         * fail where the student's run has its own limit */
        .wall_limit_s = 4 * r->ex->time_limit_s,
        .env = (const char *const *)r->o->env,
        .preload = preload,
        .record_checks = 1,
        .device_report = r->ex->kind->device_report != NULL,
    };
    test_run run;
    int rc = test_run_once(&q, &run, err);
    free(program);
    free(preload);
    if (rc != 0)
        return -1;
    const run_facts f = {&run.sr,
                         &run.rec,
                         q.wall_limit_s,
                         r->ex->memory_limit_mb,
                         NULL,
                         r->tree,
                         0,
                         0,
                         NULL,
                         NULL,
                         NULL};
    test_result t = {0};
    verdict_decide(&f, &t);
    if (t.verdict == TV_SKIPPED) {
        e->skip_reason = xstrdup(run.rec.skip_reason);
    } else if (t.verdict == TV_PASSED) {
        e->data = run.checks;
        e->len = run.checks_len;
        run.checks = NULL;
        check_log_parse(e->data, e->len, &e->log);
        strbuf why = {0};
        if (!e->log.ended || e->log.corrupt) {
            sb_printf(err,
                      "the reference run of %s wrote malformed check "
                      "records",
                      name);
            rc = -1;
        } else if (q.device_report &&
                   take_device_report(e, run.sr.report, run.sr.report_len,
                                      run.sr.report_total, &why) != 0) {
            sb_printf(err,
                      "the reference run of %s gave a malformed device "
                      "report: %s",
                      name, sb_str(&why));
            rc = -1;
        }
        if (q.device_report)
            run.sr.report = NULL; /* e->device_text has it */
        sb_free(&why);
    } else {
        char id[17];
        judge_seed_id(r->o, id);
        sb_printf(err,
                  "the reference solution of %s does not pass %s with this "
                  "seed (seed id %s): %s: %s",
                  r->ex->id, name, id, test_verdict_name(t.verdict),
                  t.message ? t.message : "");
        rc = -1;
    }
    test_result_free(&t);
    test_run_free(&run);
    return rc;
}

int judge_expect(const graded_view *v, const exercise *ex,
                 const judge_options *o, const strlist *tests,
                 judge_expectations *out, strbuf *err)
{
    memset(out, 0, sizeof *out);
    reference r = {.v = v, .ex = ex, .o = o};
    r.build = (build_options){o->reference, 0, NULL, REFERENCE_TAG};
    strbuf why = {0};
    if (build_collect(v, ex, &r.build, &r.in, &why) != 0) {
        sb_printf(err, "the reference solution of %s is incomplete: %s", ex->id,
                  sb_str(&why));
        sb_free(&why);
        return -1;
    }
    build_hash(v, ex, &r.build, &r.in, r.hash);
    char seed_id[17], build_id[17];
    judge_seed_id(o, seed_id);
    memcpy(build_id, r.hash, 16);
    build_id[16] = '\0';
    char *cache = state_judge_dir(v->wb->state_dir, ex->id, build_id, seed_id);
    out->v = xcalloc(tests->n, sizeof *out->v);
    out->n = tests->n;
    int rc = 0;
    for (size_t i = 0; i < tests->n && rc == 0; i++) {
        judge_expectation *e = &out->v[i];
        if (load_cached(ex, cache, i, e))
            continue;
        rc = build_reference(&r, err);
        if (rc == 0)
            rc = run_reference(&r, i, tests->v[i], e, err);
        if (rc == 0)
            rc = store_cached(ex, cache, i, e, err);
    }
    free(cache);
    free(r.dir);
    free(r.tree);
    build_inputs_free(&r.in);
    if (rc != 0)
        judge_expectations_free(out);
    return rc;
}

void judge_expectations_free(judge_expectations *e)
{
    for (size_t i = 0; i < e->n; i++) {
        check_log_free(&e->v[i].log);
        free(e->v[i].data);
        free(e->v[i].skip_reason);
        device_report_free(&e->v[i].device);
        free(e->v[i].device_text);
    }
    free(e->v);
    memset(e, 0, sizeof *e);
}
