/* gpu_checks.c: see gpu_checks.h. */
#include "build/gpu_checks.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "sandbox/sandbox.h"

enum { HW_BUILD_LIMIT_S = 300, PROBE_LIMIT_S = 30 };

static char *hw_dir;     /* BUILD_DIR/hardware once built */
static int hw_tried;     /* built (or failed) in this process */
static char *hw_error;   /* why it failed */
static cJSON *probe_doc; /* probe --json */
static int probe_tried;

static char *xcat3(const char *a, const char *b, const char *c)
{
    strbuf sb = {0};
    sb_printf(&sb, "%s%s%s", a, b, c);
    return sb_steal(&sb);
}

/* Runs argv sandboxed (as the run user) in cwd; returns 0 when it exited
 * 0, else -1 with its words (or why) in err. out receives stdout. */
static int run_trusted(char *const *argv, const char *cwd, double limit,
                       strbuf *out, strbuf *err)
{
    char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                          "LC_ALL=C.UTF-8", "TMPDIR=/tmp", NULL};
    sandbox_spec spec = {
        .argv = argv,
        .envp = envp,
        .cwd = cwd,
        .wall_limit_s = limit,
        .cpu_limit_s = limit * 2,
        .memory_limit_mb = 4096,
        .file_size_limit_mb = 512,
        .max_processes = 64,
        .output_cap = 64 * 1024,
    };
    sandbox_result r;
    if (sandbox_run(&spec, &r, err) != 0)
        return -1;
    int ok = r.exited && r.exit_code == 0;
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

const char *hw_build_dir(const workbook *wb, strbuf *err)
{
    if (hw_tried) {
        if (hw_dir == NULL)
            sb_puts(err, hw_error ? hw_error : "hardware/ did not build");
        return hw_dir;
    }
    hw_tried = 1;
    /* The sources are copied first: the run user builds them, and may not
     * be able to read the workbook itself. */
    char *dir = path_join(wb->build_dir, "hardware");
    char *src = path_join(wb->build_dir, "hardware-src");
    char *orig = path_join(wb->root, "hardware");
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
        char *bvar = xcat3("B=", dir, "");
        char *argv[] = {make ? make : "/usr/bin/make",
                        "-s",
                        "-j2",
                        "-C",
                        src,
                        bvar,
                        "all",
                        NULL};
        strbuf e = {0};
        if (run_trusted(argv, src, HW_BUILD_LIMIT_S, NULL, &e) != 0)
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

const cJSON *hw_probe(const workbook *wb)
{
    if (probe_tried)
        return probe_doc;
    probe_tried = 1;
    strbuf err = {0};
    const char *dir = hw_build_dir(wb, &err);
    if (dir != NULL) {
        char *probe = path_join(dir, "probe");
        char *argv[] = {probe, "--json", NULL};
        strbuf out = {0};
        if (run_trusted(argv, dir, PROBE_LIMIT_S, &out, &err) == 0)
            probe_doc = cJSON_Parse(sb_str(&out));
        sb_free(&out);
        free(probe);
    }
    sb_free(&err);
    return probe_doc;
}

int hw_gpu_usable(const workbook *wb)
{
    const cJSON *p = hw_probe(wb);
    const cJSON *cuda = cJSON_GetObjectItemCaseSensitive(p, "cuda");
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cuda, "usable"));
}

cJSON *hw_results_extra(const workbook *wb)
{
    int wanted = 0;
    for (size_t i = 0; i < wb->m.n; i++)
        wanted |= strcmp(wb->m.ex[i].kind, "cuda") == 0 ||
                  strcmp(wb->m.ex[i].kind, "opencl") == 0;
    const cJSON *p = wanted ? hw_probe(wb) : NULL;
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

/* ---- report parsing ------------------------------------------------------ */

/* The line starting at p, without its newline, as a new string. */
static char *line_at(const char *p)
{
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    return utf8_sanitize(p, n > 300 ? 300 : n);
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ':'))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    memmove(s, s + k, n - k + 1);
}

static void strip_all(char *s, const char *prefix)
{
    size_t n = prefix ? strlen(prefix) : 0;
    char *p;
    while (n > 0 && (p = strstr(s, prefix)) != NULL)
        memmove(p, p + n, strlen(p + n) + 1);
}

/* One access of a TSan report: "Read of size 4 at 0x.. by thread T65:"
 * followed by "#0 func file:line (bin+0x..)". */
typedef struct {
    char what[64];   /* "read of size 4" */
    char thread[16]; /* "T65" */
    char where[256]; /* "file:line" */
    char func[128];
} tsan_access;

static const char *parse_access(const char *p, tsan_access *a)
{
    memset(a, 0, sizeof *a);
    const char *of = strstr(p, " of size ");
    const char *by = strstr(p, " by thread ");
    const char *nl = strchr(p, '\n');
    if (of == NULL || by == NULL || (nl && by > nl))
        return NULL;
    const char *start = p;
    while (*start == ' ')
        start++;
    if (strncmp(start, "Previous ", 9) == 0)
        start += 9;
    const char *at = strstr(start, " at ");
    size_t wn = at && at < by ? (size_t)(at - start) : (size_t)(by - start);
    snprintf(a->what, sizeof a->what, "%.*s", (int)wn, start);
    if (a->what[0] >= 'A' && a->what[0] <= 'Z')
        a->what[0] = (char)(a->what[0] - 'A' + 'a');
    sscanf(by + 11, "%15[^: \n]", a->thread);
    const char *frame = strstr(by, "#0 ");
    if (frame == NULL)
        return NULL;
    frame += 3;
    /* "func(args) file:line (bin+0x..)": the location is the token before
     * the last " (". */
    char *line = line_at(frame);
    char *paren = strrchr(line, '(');
    if (paren && paren > line && paren[-1] == ' ')
        paren[-1] = '\0';
    char *sp = strrchr(line, ' ');
    snprintf(a->where, sizeof a->where, "%s", sp ? sp + 1 : line);
    if (sp) {
        *sp = '\0';
        char *args = strchr(line, '(');
        if (args)
            *args = '\0';
        snprintf(a->func, sizeof a->func, "%s", line);
    }
    free(line);
    return frame;
}

/* The name TSan gives thread tid ("block (1,0,0) thread (0,0,0)"). */
static void thread_name(const char *err, const char *tid, char *out, size_t cap)
{
    char key[40];
    snprintf(key, sizeof key, "Thread %s '", tid);
    const char *p = strstr(err, key);
    if (p == NULL) {
        snprintf(out, cap, "%s",
                 strcmp(tid, "main") == 0 ? "host code" : "a thread");
        return;
    }
    p += strlen(key);
    const char *q = strchr(p, '\'');
    size_t n = q ? (size_t)(q - p) : 0;
    snprintf(out, cap, "%.*s", (int)n, p);
}

char *tsan_race_message(const char *err, const char *prefix)
{
    const char *w = strstr(err, "WARNING: ThreadSanitizer: data race");
    if (w == NULL)
        return NULL;
    const char *p = strchr(w, '\n');
    tsan_access a, b;
    const char *next = p ? parse_access(p + 1, &a) : NULL;
    const char *prev = next ? strstr(next, "Previous ") : NULL;
    strbuf sb = {0};
    if (next == NULL || prev == NULL || parse_access(prev, &b) == NULL) {
        sb_puts(&sb, "data race (ThreadSanitizer, race tier): ");
        char *summary = NULL;
        const char *s = strstr(err, "SUMMARY: ThreadSanitizer:");
        if (s)
            summary = line_at(s);
        sb_puts(&sb, summary ? summary : "see the output below");
        free(summary);
    } else {
        char na[96], nb[96];
        thread_name(err, a.thread, na, sizeof na);
        thread_name(err, b.thread, nb, sizeof nb);
        sb_printf(&sb,
                  "data race in %s (race tier, ThreadSanitizer): %s by %s at "
                  "%s and an earlier %s by %s at %s touch the same memory "
                  "with no barrier or atomic between them (a missing "
                  "__syncthreads(), or += where an atomicAdd is needed?)",
                  a.func[0] ? a.func : "a kernel", a.what, na, a.where, b.what,
                  nb, b.where);
    }
    char *msg = sb_steal(&sb);
    strip_all(msg, prefix);
    return msg;
}

char *oclgrind_finding(const char *err, const char *prefix)
{
    static const char *const keys[] = {
        "Invalid read",        "Invalid write",
        "data race",           "divergence",
        "Uninitialized value", "Invalid ",
        "Unaligned",           "Work-item finished without waiting"};
    const char *hit = NULL;
    for (size_t k = 0; k < sizeof keys / sizeof *keys && hit == NULL; k++)
        hit = strstr(err, keys[k]);
    if (hit == NULL)
        return NULL;
    while (hit > err && hit[-1] != '\n')
        hit--;
    /* The finding's own line, then its indented details (kernel, work-item,
     * source line), folded into one line. */
    strbuf sb = {0};
    const char *p = hit;
    for (int lines = 0; p && *p && lines < 7; lines++) {
        char *l = line_at(p);
        trim(l);
        if (lines > 0 && l[0] == '\0') {
            free(l);
            break;
        }
        /* LLVM IR and "line 0" carry nothing a student can use */
        int noise = strstr(l, "!dbg") != NULL ||
                    strstr(l, "At line 0 ") != NULL ||
                    strstr(l, "source not available") != NULL;
        if (l[0] != '\0' && !noise)
            sb_printf(&sb, "%s%s", sb.len ? "; " : "", l);
        free(l);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    char *msg = sb_steal(&sb);
    strip_all(msg, prefix);
    char *w = msg; /* "Kernel:     add" -> "Kernel: add" */
    for (const char *r = msg; *r; r++)
        if (!(*r == ' ' && r > msg && r[-1] == ' '))
            *w++ = *r;
    *w = '\0';
    return msg;
}

void opencl_clean_paths(char *s)
{
    static const char mark[] = "/pocl-cache/";
    static const char name[] = "(your .cl file)";
    char *p;
    while (s && (p = strstr(s, mark)) != NULL) {
        char *start = p;
        while (start > s && start[-1] != ' ' && start[-1] != '\n' &&
               start[-1] != '\t' && start[-1] != '\'' && start[-1] != '"')
            start--;
        char *end = strstr(p, ".cl");
        if (end == NULL)
            break;
        end += 3;
        size_t rest = strlen(end);
        /* the replacement is never longer than the path it replaces */
        if ((size_t)(end - start) < sizeof name - 1)
            break;
        memcpy(start, name, sizeof name - 1);
        memmove(start + sizeof name - 1, end, rest + 1);
    }
}
