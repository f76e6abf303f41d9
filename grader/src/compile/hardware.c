/* hardware.c: see hardware.h. */
#include "compile/hardware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "sandbox/trusted.h"

enum { HW_BUILD_LIMIT_S = 300, PROBE_LIMIT_S = 30 };

static char *hw_dir;     /* BUILD_DIR/hardware once built */
static int hw_tried;     /* built (or failed) in this process */
static char *hw_error;   /* why it failed */
static cJSON *probe_doc; /* probe --json */
static int probe_tried;

/* Runs a tool (trusted.h) in cwd, writing only `writes` (may be NULL) and
 * reading cwd and the system's folders; returns 0 when it exited 0, else
 * -1 with its words (or why) in err. out receives stdout. */
static int run_tool(char *const *argv, const char *cwd, const char *writes,
                    double limit, strbuf *out, strbuf *err)
{
    sandbox_result r;
    const char *const reads[] = {cwd, NULL};
    const trusted_spec t = {argv, cwd, limit, writes, reads};
    if (trusted_run(&t, &r, err) != 0)
        return -1;
    int ok = trusted_ok(&r);
    if (out)
        sb_append(out, r.out, r.out_len);
    if (!ok) {
        sb_printf(err, "%s failed%s: ", argv[0],
                  r.timed_out ? " (timed out)" : "");
        size_t n = r.err_len > 2000 ? 2000 : r.err_len;
        sb_append(err, r.err + r.err_len - n, n);
    }
    sandbox_result_free(&r);
    return ok ? 0 : -1;
}

/* Copies the files below src into dest (hidden entries and build outputs
 * skipped), readable by the run user. */
static int copy_tree(const char *src, const char *dest)
{
    strlist names = {0};
    if (list_dir(src, 0, &names) != 0 || mkdir_p(dest, 0755) != 0) {
        strlist_free(&names);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        if (names.v[i][0] == '.' || strcmp(names.v[i], "build") == 0)
            continue;
        char *s = path_join(src, names.v[i]);
        char *d = path_join(dest, names.v[i]);
        if (dir_exists(s)) {
            rc = copy_tree(s, d);
        } else {
            /* An unchanged file keeps its time stamp, so make does not
             * rebuild the simulator on every grader run. */
            char *data = NULL, *old = NULL;
            size_t len = 0, old_len = 0;
            rc = file_read(s, &data, &len, 16 << 20) == 0 ? 0 : -1;
            int same = rc == 0 && file_read(d, &old, &old_len, 16 << 20) == 0 &&
                       old_len == len && memcmp(old, data, len) == 0;
            if (rc == 0 && !same && file_write_atomic(d, data, len) != 0)
                rc = -1;
            free(data);
            free(old);
        }
        free(s);
        free(d);
    }
    strlist_free(&names);
    return rc;
}

const char *hw_build_dir(const graded_view *v, strbuf *err)
{
    if (hw_tried) {
        if (hw_dir == NULL)
            sb_puts(err, hw_error ? hw_error : "hardware/ did not build");
        return hw_dir;
    }
    hw_tried = 1;
    /* The sources are copied first: the run user builds them, and may not
     * be able to read the workbook itself. */
    char *dir = path_join(v->wb->build_dir, "hardware");
    char *src = path_join(v->wb->build_dir, "hardware-src");
    char *orig = path_join(v->root, "hardware");
    strbuf why = {0};
    if (copy_tree(orig, src) != 0) {
        sb_printf(&why, "cannot copy %s into %s: %s", orig, src,
                  strerror(errno));
    } else if (mkdir_p(dir, 0755) != 0) {
        sb_printf(&why, "cannot create %s: %s", dir, strerror(errno));
    } else if (geteuid() == 0 &&
               chown(dir, sandbox_run_uid(), sandbox_run_gid()) != 0) {
        sb_printf(&why, "cannot hand %s to the run user: %s", dir,
                  strerror(errno));
    } else {
        char *make = find_program("make");
        char *bvar = xasprintf("B=%s", dir);
        char *argv[] = {make ? make : "/usr/bin/make",
                        "-s",
                        "-j2",
                        "-C",
                        src,
                        bvar,
                        "all",
                        NULL};
        strbuf e = {0};
        if (run_tool(argv, src, dir, HW_BUILD_LIMIT_S, NULL, &e) != 0)
            sb_printf(&why,
                      "building the CUDA simulator (make -C hardware) "
                      "failed: %s",
                      sb_str(&e));
        sb_free(&e);
        free(bvar);
        free(make);
    }
    free(src);
    free(orig);
    if (why.len > 0) {
        hw_error = sb_steal(&why);
        sb_puts(err, hw_error);
        free(dir);
        return NULL;
    }
    hw_dir = dir;
    return hw_dir;
}

const cJSON *hw_probe(const graded_view *v)
{
    if (probe_tried)
        return probe_doc;
    probe_tried = 1;
    strbuf err = {0};
    const char *dir = hw_build_dir(v, &err);
    if (dir != NULL) {
        char *probe = path_join(dir, "probe");
        char *argv[] = {probe, "--json", NULL};
        strbuf out = {0};
        if (run_tool(argv, dir, NULL, PROBE_LIMIT_S, &out, &err) == 0)
            probe_doc = cJSON_Parse(sb_str(&out));
        sb_free(&out);
        free(probe);
    }
    sb_free(&err);
    return probe_doc;
}

int hw_gpu_usable(const graded_view *v)
{
    const cJSON *p = hw_probe(v);
    const cJSON *cuda = cJSON_GetObjectItemCaseSensitive(p, "cuda");
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cuda, "usable"));
}

cJSON *hw_results_extra(const graded_view *v)
{
    int wanted = 0;
    for (size_t i = 0; i < v->m->n; i++)
        wanted |= v->m->ex[i].kind->uses_hardware;
    const cJSON *p = wanted ? hw_probe(v) : NULL;
    if (p == NULL)
        return NULL;
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, "hardware", cJSON_Duplicate(p, 1));
    return extra;
}

char *hw_find_nvcc(void)
{
    const char *env = getenv("NVCC");
    if (env && env[0] && access(env, X_OK) == 0)
        return xstrdup(env);
    char *p = find_program("nvcc");
    if (p)
        return p;
    if (access("/usr/local/cuda/bin/nvcc", X_OK) == 0)
        return xstrdup("/usr/local/cuda/bin/nvcc");
    return NULL;
}
