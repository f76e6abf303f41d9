/* probe.c: what can this machine run kernels on?
 *
 *   probe            a human summary
 *   probe --json     one JSON object (the grader stores it under "hardware")
 *
 * CPU: architecture, model, cores and vector features (cpuid on x86-64,
 * getauxval on AArch64). CUDA: the driver (libcuda, dlopen'ed), the runtime
 * (libcudart, dlopen'ed: what an nvcc-built program would see, e.g.
 * cudaErrorInsufficientDriver 35 without a driver) and nvcc. OpenCL: every
 * platform and device of the ICD loader (PoCL needs a writable
 * POCL_CACHE_DIR, which is set when missing).
 *
 * Nothing is linked against a GPU library, and each GPU section runs in a
 * child process with a time limit, so a broken driver or ICD cannot crash or
 * hang the probe: the section then reports the failure instead.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <sys/auxv.h>
#endif

/* ---- output buffers: a JSON fragment and human lines -------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} Str;

static void sputf(Str *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sputf(Str *s, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = s->cap - s->len;
        va_start(ap, fmt);
        int n =
            vsnprintf(s->p ? s->p + s->len : NULL, s->p ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (s->p && (size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap ? s->cap * 2 : 1024;
        while (cap < s->len + (size_t)n + 1)
            cap *= 2;
        char *np = realloc(s->p, cap);
        if (np == NULL)
            return;
        s->p = np;
        s->cap = cap;
    }
}

/* A JSON string literal (quotes included) for s. */
static void sjson(Str *s, const char *v)
{
    if (v == NULL) {
        sputf(s, "null");
        return;
    }
    sputf(s, "\"");
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c == '"' || *c == '\\')
            sputf(s, "\\%c", *c);
        else if (*c < 0x20)
            sputf(s, "\\u%04x", *c);
        else
            sputf(s, "%c", *c);
    }
    sputf(s, "\"");
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t lead = strspn(s, " \t");
    memmove(s, s + lead, n - lead + 1);
}

/* ---- CPU --------------------------------------------------------------- */

static void cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (colon && (strncmp(line, "model name", 10) == 0 ||
                      strncmp(line, "Model", 5) == 0)) {
            snprintf(out, cap, "%s", colon + 1);
            trim(out);
            break;
        }
    }
    fclose(f);
}

static void cpu_features(Str *names)
{
    int n = 0;
#define FEATURE(cond, name)                                                    \
    do {                                                                       \
        if (cond)                                                              \
            sputf(names, "%s\"%s\"", n++ ? ", " : "", name);                   \
    } while (0)
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    unsigned c1 = 0, d1 = 0, b7 = 0, c7 = 0, d7 = 0, a71 = 0;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        c1 = c;
        d1 = d;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        b7 = b;
        c7 = c;
        d7 = d;
    }
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d))
        a71 = a;
    /* AVX state must also be enabled by the OS (XCR0). */
    unsigned long long xcr0 = 0;
    if (c1 & (1u << 27)) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int avx_os = (xcr0 & 6) == 6, avx512_os = (xcr0 & 0xe6) == 0xe6;
    FEATURE(d1 & (1u << 26), "sse2");
    FEATURE(c1 & (1u << 0), "sse3");
    FEATURE(c1 & (1u << 9), "ssse3");
    FEATURE(c1 & (1u << 19), "sse4.1");
    FEATURE(c1 & (1u << 20), "sse4.2");
    FEATURE(avx_os && (c1 & (1u << 28)), "avx");
    FEATURE(avx_os && (b7 & (1u << 5)), "avx2");
    FEATURE(avx_os && (c1 & (1u << 12)), "fma");
    FEATURE(c1 & (1u << 29), "f16c");
    FEATURE(avx512_os && (b7 & (1u << 16)), "avx512f");
    FEATURE(avx512_os && (b7 & (1u << 30)), "avx512bw");
    FEATURE(avx512_os && (b7 & (1u << 31)), "avx512vl");
    FEATURE(avx512_os && (c7 & (1u << 11)), "avx512_vnni");
    FEATURE(avx512_os && (a71 & (1u << 5)), "avx512_bf16");
    FEATURE(avx512_os && (d7 & (1u << 23)), "avx512_fp16");
    FEATURE(avx_os && (a71 & (1u << 4)), "avx_vnni");
    FEATURE(d7 & (1u << 24), "amx_tile");
#elif defined(__aarch64__)
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    FEATURE(hw & (1ul << 1), "asimd");
    FEATURE(hw & (1ul << 9), "asimdhp");
    FEATURE(hw & (1ul << 20), "asimddp");
    FEATURE(hw & (1ul << 22), "sve");
    FEATURE(hw2 & (1ul << 1), "sve2");
    FEATURE(hw2 & (1ul << 14), "i8mm");
    FEATURE(hw2 & (1ul << 15), "bf16");
#else
    (void)n;
#endif
#undef FEATURE
}

static void probe_cpu(Str *json, Str *text)
{
    struct utsname u;
    const char *arch = uname(&u) == 0 ? u.machine : "unknown";
    char model[256];
    cpu_model(model, sizeof model);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    Str feats = {0};
    sputf(&feats, "%s", "");
    cpu_features(&feats);
    sputf(json, "{\"arch\": ");
    sjson(json, arch);
    sputf(json, ", \"model\": ");
    sjson(json, model);
    sputf(json, ", \"logical_cores\": %ld, \"features\": [%s]}", cores,
          feats.p);
    sputf(text, "CPU     %s, %s, %ld logical cores\n        features: ", arch,
          model, cores);
    for (const char *c = feats.p; *c; c++)
        if (*c != '"')
            sputf(text, "%c", *c);
    sputf(text, "\n");
    free(feats.p);
}

/* ---- CUDA ------------------------------------------------------------------
 */

static const char *find_nvcc(char *out, size_t cap)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "");
    for (char *dir = strtok(buf, ":"); dir; dir = strtok(NULL, ":")) {
        snprintf(out, cap, "%s/nvcc", dir);
        if (access(out, X_OK) == 0)
            return out;
    }
    const char *home = getenv("CUDA_HOME");
    if (home) {
        snprintf(out, cap, "%s/bin/nvcc", home);
        if (access(out, X_OK) == 0)
            return out;
    }
    snprintf(out, cap, "/usr/local/cuda/bin/nvcc");
    return access(out, X_OK) == 0 ? out : NULL;
}

static void nvcc_version(const char *nvcc, char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' --version 2>/dev/null", nvcc);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return;
    char line[256];
    while (fgets(line, sizeof line, p)) {
        char *r = strstr(line, "release ");
        if (r) {
            snprintf(out, cap, "%s", r + 8);
            char *comma = strchr(out, ',');
            if (comma)
                *comma = '\0';
            trim(out);
        }
    }
    pclose(p);
}

static void *open_first(const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (h)
            return h;
    }
    return NULL;
}

typedef int (*cu_int_fn)(int *);
typedef int (*cu_init_fn)(unsigned);
typedef int (*cu_get_fn)(int *, int);
typedef int (*cu_name_fn)(char *, int, int);
typedef int (*cu_mem_fn)(size_t *, int);
typedef int (*cu_attr_fn)(int *, int, int);
typedef int (*cu_errname_fn)(int, const char **);
typedef const char *(*rt_str_fn)(int);

/* The runtime's view: what a program built with nvcc gets. */
static void cuda_runtime(Str *json, Str *text, int *rt_ok)
{
    static const char *const names[] = {
        "libcudart.so", "libcudart.so.13", "libcudart.so.12",
        "/usr/local/cuda/lib64/libcudart.so", NULL};
    *rt_ok = -1; /* unknown: no runtime library */
    void *h = open_first(names);
    if (h == NULL) {
        sputf(json, "\"runtime\": null");
        return;
    }
    cu_int_fn count = (cu_int_fn)(uintptr_t)dlsym(h, "cudaGetDeviceCount");
    rt_str_fn ename = (rt_str_fn)(uintptr_t)dlsym(h, "cudaGetErrorName");
    cu_int_fn rtver = (cu_int_fn)(uintptr_t)dlsym(h, "cudaRuntimeGetVersion");
    int n = 0, v = 0;
    int err = count ? count(&n) : -1;
    if (rtver)
        rtver(&v);
    const char *en = ename && err >= 0 ? ename(err) : "unknown";
    sputf(json,
          "\"runtime\": {\"version\": \"%d.%d\", \"error\": %d, "
          "\"error_name\": ",
          v / 1000, v % 1000 / 10, err);
    sjson(json, en);
    sputf(json, ", \"device_count\": %d}", err == 0 ? n : 0);
    sputf(text, "        runtime %d.%d: cudaGetDeviceCount -> %s (%d)%s\n",
          v / 1000, v % 1000 / 10, en, err,
          err == 0 ? "" : " (what a program built with nvcc sees)");
    *rt_ok = err == 0 && n > 0;
}

static void probe_cuda(Str *json, Str *text)
{
    static const char *const names[] = {"libcuda.so.1", "libcuda.so", NULL};
    char reason[256] = "";
    char nvcc_path[1024], nvcc_ver[64] = "";
    const char *nvcc = find_nvcc(nvcc_path, sizeof nvcc_path);
    if (nvcc)
        nvcc_version(nvcc, nvcc_ver, sizeof nvcc_ver);

    sputf(json, "{");
    void *h = open_first(names);
    int count = 0, drv = 0;
    Str devs = {0};
    sputf(&devs, "%s", "");
    if (h == NULL) {
        snprintf(reason, sizeof reason,
                 "no NVIDIA driver (libcuda.so.1 not found)");
    } else {
        cu_init_fn init = (cu_init_fn)(uintptr_t)dlsym(h, "cuInit");
        cu_int_fn dver = (cu_int_fn)(uintptr_t)dlsym(h, "cuDriverGetVersion");
        cu_int_fn dcount = (cu_int_fn)(uintptr_t)dlsym(h, "cuDeviceGetCount");
        cu_get_fn dget = (cu_get_fn)(uintptr_t)dlsym(h, "cuDeviceGet");
        cu_name_fn dname = (cu_name_fn)(uintptr_t)dlsym(h, "cuDeviceGetName");
        cu_mem_fn dmem = (cu_mem_fn)(uintptr_t)dlsym(h, "cuDeviceTotalMem_v2");
        cu_attr_fn dattr =
            (cu_attr_fn)(uintptr_t)dlsym(h, "cuDeviceGetAttribute");
        cu_errname_fn errname =
            (cu_errname_fn)(uintptr_t)dlsym(h, "cuGetErrorName");
        int err = init ? init(0) : -1;
        if (dver)
            dver(&drv);
        if (err != 0) {
            const char *en = NULL;
            if (errname)
                errname(err, &en);
            if (en == NULL)
                en = err == 34    ? "CUDA_ERROR_STUB_LIBRARY"
                     : err == 100 ? "CUDA_ERROR_NO_DEVICE"
                                  : "unknown";
            snprintf(reason, sizeof reason, "cuInit failed: %s (%d)%s",
                     en ? en : "unknown", err,
                     err == 34    ? ", the stub library, not a real driver"
                     : err == 100 ? ", no CUDA device"
                                  : "");
        } else if (!dcount || dcount(&count) != 0 || count == 0) {
            count = 0;
            snprintf(reason, sizeof reason, "the driver sees no CUDA device");
        }
        for (int i = 0; i < count; i++) {
            int dev = 0, maj = 0, min = 0, sms = 0;
            char name[256] = "?";
            size_t mem = 0;
            if (dget)
                dget(&dev, i);
            if (dname)
                dname(name, sizeof name, dev);
            if (dmem)
                dmem(&mem, dev);
            if (dattr) {
                dattr(&maj, 75, dev); /* compute capability major */
                dattr(&min, 76, dev);
                dattr(&sms, 16, dev); /* multiprocessors */
            }
            sputf(&devs, "%s{\"name\": ", i ? ", " : "");
            sjson(&devs, name);
            sputf(&devs,
                  ", \"compute_capability\": \"%d.%d\", "
                  "\"memory_mb\": %zu, \"multiprocessors\": %d}",
                  maj, min, mem >> 20, sms);
            sputf(text,
                  "        device %d: %s, compute capability %d.%d, "
                  "%zu MiB, %d SMs\n",
                  i, name, maj, min, mem >> 20, sms);
        }
    }
    int rt_ok = -1;
    Str rt = {0}, rttext = {0};
    sputf(&rt, "%s", "");
    sputf(&rttext, "%s", "");
    cuda_runtime(&rt, &rttext, &rt_ok);
    if (reason[0] == '\0' && rt_ok == 0)
        snprintf(reason, sizeof reason,
                 "the CUDA runtime cannot use the device (driver too old?)");
    int usable = reason[0] == '\0' && count > 0;
    sputf(json, "\"usable\": %s, \"reason\": ", usable ? "true" : "false");
    if (usable) {
        sputf(json, "null");
    } else {
        char why[300];
        snprintf(why, sizeof why, "no usable GPU: %s", reason);
        sjson(json, why);
    }
    sputf(json, ", \"driver_version\": ");
    if (drv)
        sputf(json, "\"%d.%d\"", drv / 1000, drv % 1000 / 10);
    else
        sputf(json, "null");
    sputf(json, ", \"devices\": [%s], %s, \"nvcc\": ", devs.p, rt.p);
    if (nvcc) {
        sputf(json, "{\"path\": ");
        sjson(json, nvcc);
        sputf(json, ", \"version\": ");
        sjson(json, nvcc_ver);
        sputf(json, "}");
    } else {
        sputf(json, "null");
    }
    sputf(json, "}");

    if (usable)
        sputf(text, "CUDA    %d usable device(s), driver %d.%d\n", count,
              drv / 1000, drv % 1000 / 10);
    else
        sputf(text, "CUDA    no usable GPU: %s\n", reason);
    sputf(text, "%s", rttext.p);
    if (nvcc)
        sputf(text, "        nvcc %s at %s (compile checks possible)\n",
              nvcc_ver, nvcc);
    else
        sputf(text, "        nvcc not found (no compile check with nvcc)\n");
    free(devs.p);
    free(rt.p);
    free(rttext.p);
}

/* ---- OpenCL
 * ------------------------------------------------------------------ */

typedef int (*cl_pids_fn)(unsigned, void **, unsigned *);
typedef int (*cl_pinfo_fn)(void *, unsigned, size_t, void *, size_t *);
typedef int (*cl_dids_fn)(void *, uint64_t, unsigned, void **, unsigned *);
typedef int (*cl_dinfo_fn)(void *, unsigned, size_t, void *, size_t *);

static void ensure_pocl_cache(void)
{
    if (getenv("POCL_CACHE_DIR"))
        return;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/llmlings-pocl-%u",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (unsigned)getuid());
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        setenv("POCL_CACHE_DIR", dir, 1);
}

static const char *cl_type_name(uint64_t t)
{
    if (t & 4)
        return "GPU";
    if (t & 2)
        return "CPU";
    if (t & 8)
        return "accelerator";
    return "other";
}

static void probe_opencl(Str *json, Str *text)
{
    ensure_pocl_cache();
    static const char *const names[] = {"libOpenCL.so.1", "libOpenCL.so", NULL};
    void *h = open_first(names);
    cl_pids_fn pids =
        h ? (cl_pids_fn)(uintptr_t)dlsym(h, "clGetPlatformIDs") : NULL;
    cl_pinfo_fn pinfo =
        h ? (cl_pinfo_fn)(uintptr_t)dlsym(h, "clGetPlatformInfo") : NULL;
    cl_dids_fn dids =
        h ? (cl_dids_fn)(uintptr_t)dlsym(h, "clGetDeviceIDs") : NULL;
    cl_dinfo_fn dinfo =
        h ? (cl_dinfo_fn)(uintptr_t)dlsym(h, "clGetDeviceInfo") : NULL;
    if (!pids || !pinfo || !dids || !dinfo) {
        sputf(json, "{\"available\": false, \"reason\": \"no OpenCL ICD "
                    "loader (libOpenCL.so.1)\", \"platforms\": []}");
        sputf(text, "OpenCL  not available: no ICD loader (libOpenCL.so.1)\n");
        return;
    }
    void *plats[16];
    unsigned np = 0;
    int err = pids(16, plats, &np);
    if (err != 0 || np == 0) {
        sputf(json,
              "{\"available\": false, \"reason\": \"no OpenCL platform "
              "(clGetPlatformIDs: %d)\", \"platforms\": []}",
              err);
        sputf(text, "OpenCL  no platform (clGetPlatformIDs returned %d)\n",
              err);
        return;
    }
    if (np > 16)
        np = 16;
    int ndev_total = 0;
    sputf(json, "{\"available\": %s, \"platforms\": [", "%AVAIL%");
    for (unsigned p = 0; p < np; p++) {
        char pname[256] = "", pver[256] = "";
        pinfo(plats[p], 0x0902, sizeof pname, pname, NULL);
        pinfo(plats[p], 0x0901, sizeof pver, pver, NULL);
        sputf(json, "%s{\"name\": ", p ? ", " : "");
        sjson(json, pname);
        sputf(json, ", \"version\": ");
        sjson(json, pver);
        sputf(json, ", \"devices\": [");
        sputf(text, "OpenCL  platform %s (%s)\n", pname, pver);
        void *devs[16];
        unsigned nd = 0;
        if (dids(plats[p], 0xFFFFFFFFull, 16, devs, &nd) != 0)
            nd = 0;
        if (nd > 16)
            nd = 16;
        for (unsigned d = 0; d < nd; d++) {
            char dname[256] = "", dver[256] = "";
            uint64_t type = 0, gmem = 0, lmem = 0;
            unsigned cus = 0;
            size_t wg = 0;
            dinfo(devs[d], 0x102B, sizeof dname, dname, NULL);
            dinfo(devs[d], 0x102F, sizeof dver, dver, NULL);
            dinfo(devs[d], 0x1000, sizeof type, &type, NULL);
            dinfo(devs[d], 0x1002, sizeof cus, &cus, NULL);
            dinfo(devs[d], 0x101F, sizeof gmem, &gmem, NULL);
            dinfo(devs[d], 0x1023, sizeof lmem, &lmem, NULL);
            dinfo(devs[d], 0x1004, sizeof wg, &wg, NULL);
            trim(dname);
            sputf(json, "%s{\"name\": ", d ? ", " : "");
            sjson(json, dname);
            sputf(json,
                  ", \"type\": \"%s\", \"version\": ", cl_type_name(type));
            sjson(json, dver);
            sputf(json,
                  ", \"compute_units\": %u, \"global_mem_mb\": %llu, "
                  "\"local_mem_kb\": %llu, \"max_work_group_size\": %zu}",
                  cus, (unsigned long long)(gmem >> 20),
                  (unsigned long long)(lmem >> 10), wg);
            sputf(text,
                  "        %s device: %s, %u compute units, %llu MiB, "
                  "work groups up to %zu\n",
                  cl_type_name(type), dname, cus,
                  (unsigned long long)(gmem >> 20), wg);
            ndev_total++;
        }
        sputf(json, "]}");
    }
    sputf(json, "]}");
    /* fill in the availability now that devices are counted */
    char *mark = strstr(json->p, "%AVAIL%");
    if (mark) {
        const char *v = ndev_total > 0 ? "true   " : "false  ";
        memcpy(mark, v, 7);
    }
}

/* ---- isolation
 * ----------------------------------------------------------------- */

typedef void (*section_fn)(Str *json, Str *text);

/* Runs fn in a child with a time limit; its JSON and text come back through
 * a pipe. A crash or hang becomes an error object. */
static void isolated(section_fn fn, const char *name, Str *json, Str *text)
{
    int fds[2];
    fflush(NULL);
    if (pipe(fds) != 0) {
        fn(json, text);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        alarm(20);
        Str j = {0}, t = {0};
        sputf(&j, "%s", "");
        sputf(&t, "%s", "");
        fn(&j, &t);
        FILE *f = fdopen(fds[1], "w");
        if (f) {
            fwrite(j.p, 1, j.len + 1, f); /* the NUL separates the two */
            fwrite(t.p, 1, t.len, f);
            fclose(f);
        }
        _exit(0);
    }
    close(fds[1]);
    Str got = {0};
    sputf(&got, "%s", "");
    char buf[4096];
    ssize_t r;
    while ((r = read(fds[0], buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < r; i++)
            sputf(&got, "%c", buf[i] ? buf[i] : '\x01');
    close(fds[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    char *sep = strchr(got.p, '\x01');
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && sep) {
        *sep = '\0';
        sputf(json, "%s", got.p);
        sputf(text, "%s", sep + 1);
    } else {
        const char *why = pid < 0               ? "could not fork"
                          : WIFSIGNALED(status) ? strsignal(WTERMSIG(status))
                                                : "failed";
        sputf(json, "{\"error\": ");
        char msg[200];
        snprintf(msg, sizeof msg, "the %s probe died: %s", name, why);
        sjson(json, msg);
        sputf(json, "}");
        sputf(text, "%-7s probe died (%s): treated as unavailable\n", name,
              why);
    }
    free(got.p);
}

int main(int argc, char **argv)
{
    int as_json = argc > 1 && strcmp(argv[1], "--json") == 0;
    if (argc > 1 && !as_json) {
        fprintf(stderr, "usage: probe [--json]\n");
        return 2;
    }
    Str json = {0}, text = {0};
    sputf(&json, "{\"format\": 1, \"cpu\": ");
    probe_cpu(&json, &text);
    sputf(&json, ", \"cuda\": ");
    isolated(probe_cuda, "CUDA", &json, &text);
    sputf(&json, ", \"opencl\": ");
    isolated(probe_opencl, "OpenCL", &json, &text);
    sputf(&json, ", \"cuda_simulator\": true}");
    sputf(&text, "CUDA simulator (cudasim): available (CPU)\n");
    fputs(as_json ? json.p : text.p, stdout);
    if (as_json)
        fputc('\n', stdout);
    free(json.p);
    free(text.p);
    return 0;
}
