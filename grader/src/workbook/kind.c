/* kind.c: the table of exercise kinds (see kind.h). grader/README.md,
 * "Kinds and flags", describes the same rows for instructors. */
#include "workbook/kind.h"

#include <stdio.h>
#include <string.h>

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define COUNT(a) (sizeof a / sizeof *a)

/* ThreadSanitizer's shadow memory and fiber stacks keep about 1 GiB
 * resident even for a small test; the limit stays a resident-set limit. */
enum { TSAN_EXTRA_MEMORY_MB = 2048 };
/* Runs under a checker take longer than the plain run. */
static const double RACE_TIME_FACTOR = 3, CHECKER_CPU_FACTOR = 4;

/* A cuda test must pass with the simulator's threads in every order (the
 * shuffle's seed is fixed, CUDASIM_SEED=1, so a grade is reproducible),
 * in the race tier, and on a GPU where there is one. */
static const run_variant CUDA_VARIANTS[] = {
    {
        .when = WHEN_PASSED,
        .program = PROGRAM_TEST,
        .env = LIST("CUDASIM_ORDER=reverse"),
        .time_factor = 1,
        .cpu_factor = 1,
        .prefix = "passes with the threads in forward order but not with "
                  "CUDASIM_ORDER=reverse (the result depends on the order "
                  "threads run in: a missing __syncthreads() or "
                  "__syncwarp()?): ",
    },
    {
        .when = WHEN_PASSED,
        .program = PROGRAM_TEST,
        .env = LIST("CUDASIM_ORDER=shuffle"),
        .time_factor = 1,
        .cpu_factor = 1,
        .prefix = "passes with the threads in forward order but not with "
                  "CUDASIM_ORDER=shuffle (the result depends on the order "
                  "threads run in: a missing __syncthreads() or "
                  "__syncwarp()?): ",
    },
    {
        .when = WHEN_PASSED,
        .race_tier_only = 1,
        .program = PROGRAM_RACE,
        .reading = READ_TSAN,
        .time_factor = RACE_TIME_FACTOR,
        .cpu_factor = CHECKER_CPU_FACTOR,
        .extra_memory_mb = TSAN_EXTRA_MEMORY_MB,
        .prefix = "",
    },
    {
        .when = WHEN_PASSED,
        .program = PROGRAM_GPU,
        .time_factor = 1,
        .cpu_factor = 1,
        .prefix = "passes in the simulator but not on the GPU: ",
    },
};

/* PoCL runs many wrong kernels without complaint (a barrier inside an if,
 * a write past a buffer); oclgrind finds them, but always exits 0, so its
 * stderr is read. A failed test is explained by oclgrind's first finding;
 * with the race tier, a passing test must have none. */
static const run_variant OPENCL_VARIANTS[] = {
    {
        .when = WHEN_FAILED,
        .program = PROGRAM_TEST,
        .wrapper = WRAP_OCLGRIND,
        .reading = READ_OCLGRIND,
        .outcome = OUTCOME_FINDING_EXPLAINS,
        .time_factor = 1,
        .time_cap_s = 30,
        .time_cap_after_timeout_s = 5, /* the kernel may hang there too */
        .cpu_factor = CHECKER_CPU_FACTOR,
        .prefix = "; oclgrind says: ",
    },
    {
        .when = WHEN_PASSED,
        .race_tier_only = 1,
        .program = PROGRAM_TEST,
        .wrapper = WRAP_OCLGRIND,
        .reading = READ_OCLGRIND,
        .outcome = OUTCOME_FINDING_FAILS,
        .time_factor = RACE_TIME_FACTOR,
        .cpu_factor = CHECKER_CPU_FACTOR,
        .prefix = "passes on PoCL, but oclgrind (the race tier for OpenCL "
                  "kernels) finds: ",
    },
};

/* In judge mode the CUDA simulator keeps device memory, kernels and
 * counters in a process of its own, which reports them
 * (hardware/cudasim/README.md, "Device process"). */
static const device_report_spec CUDA_DEVICE = {
    .env = "CUDASIM_DEVICE_REPORT_FD",
    .process = "the CUDA simulator's device process",
    .host_writes = "cudaMemcpy or cudaMemset to the device",
};

/* In judge mode cltrack forwards the student's OpenCL calls to a device
 * process that runs PoCL and decides, by content, which bytes read back a
 * kernel wrote (hardware/README.md, "OpenCL device process"). A kernel
 * that writes into an output buffer the host initialised (from host
 * memory, zeros too) leaves the bytes it happens not to change the host's
 * (a zero byte of a float result where the buffer held zeros), so up to
 * 1/16 of the reference's kernel bytes may read back as the host's; a
 * result computed on the host reads back as host bytes in full. */
static const device_report_spec OPENCL_DEVICE = {
    .env = "CLTRACK_DEVICE_REPORT_FD",
    .process = "the OpenCL device process (cltrack)",
    .host_writes = "clEnqueueWriteBuffer, clEnqueueFillBuffer, a mapped "
                   "buffer or one created from host memory",
    .host_bytes_slack = 1.0 / 16,
};

static const kind_spec KINDS[KIND_COUNT] = {
    [KIND_C] =
        {
            .id = KIND_C,
            .name = "c",
            .what = "C17 with AddressSanitizer and UBSan",
            .recipe = RECIPE_GCC,
            .cflags = LIST("-std=c17", "-g", "-O1", "-fno-omit-frame-pointer"),
            .sanitizers = 1,
            .inspected = 1,
            .cpu_factor = 1,
        },
    [KIND_C_PERF] =
        {
            .id = KIND_C_PERF,
            .name = "c_perf",
            .what = "optimised C17, no sanitizers, so timing is real",
            .recipe = RECIPE_GCC,
            .cflags =
                LIST("-std=c17", "-g", "-O3", "-march=native", "-pthread"),
            .inspected = 1,
            /* threads: CPU time adds up faster than wall time */
            .cpu_factor = 4,
            .limit_address_space = 1,
        },
    [KIND_CUDA] =
        {
            .id = KIND_CUDA,
            .name = "cuda",
            .what = "CUDA through the CPU simulator, and nvcc where present",
            .recipe = RECIPE_CUDASIM,
            .staged =
                LIST("hardware/cudasim/cudasim-cc", "hardware/cudasim/include",
                     "hardware/cudasim/race", "hardware/cudasim/src"),
            .uses_hardware = 1,
            .race_tier = 1,
            .cpu_factor = 1,
            /* the race tier stops at the first race, with its own status */
            .env = LIST("CUDASIM_ORDER=forward", "CUDASIM_SEED=1",
                        "TSAN_OPTIONS=halt_on_error=1 exitcode=66 "
                        "report_signal_unsafe=0"),
            .device_report = &CUDA_DEVICE,
            .device_counters = 1,
            /* .cu files are compiled into the device process too */
            .device_source_rules = 1,
            .variants = CUDA_VARIANTS,
            .nvariants = COUNT(CUDA_VARIANTS),
        },
    [KIND_OPENCL] =
        {
            .id = KIND_OPENCL,
            .name = "opencl",
            .what = "an OpenCL host program in C17 and its kernels, on PoCL",
            .recipe = RECIPE_GCC,
            /* no sanitizers: not tried with PoCL's JIT threads and the ICD
             * loader; oclgrind, the race tier, checks the kernels */
            .cflags = LIST("-std=c17", "-g", "-O1", "-fno-omit-frame-pointer"),
            .link = LIST("OpenCL"),
            .uses_hardware = 1,
            .race_tier = 1,
            /* PoCL runs kernels in threads, which RLIMIT_NPROC counts */
            .cpu_factor = 2,
            .extra_processes = 32,
            /* PoCL compiles kernels at run time and reports no device
             * without a writable cache */
            .env = LIST("POCL_CACHE_DIR={scratch}/pocl-cache",
                        "POCL_MAX_PTHREAD_COUNT=2"),
            .timeout_hint = " In OpenCL, a barrier() that not every "
                            "work-item of the group reaches waits forever",
            .pocl_paths = 1,
            /* counts the OpenCL objects the student's host code creates and
             * releases; the tests ask it after each call (hardware/README.md);
             * not under oclgrind, which preloads its own OpenCL */
            .preload = "libcltrack.so",
            /* judge mode: cltrack runs OpenCL in a device process that the
             * host code only sends requests to (no source rules), and
             * counts no memory traffic (no judge_counters) */
            .device_report = &OPENCL_DEVICE,
            .variants = OPENCL_VARIANTS,
            .nvariants = COUNT(OPENCL_VARIANTS),
        },
};

const kind_spec *kind_get(kind_id id)
{
    return id >= 0 && id < KIND_COUNT ? &KINDS[id] : NULL;
}

const kind_spec *kind_find(const char *name)
{
    for (size_t i = 0; i < KIND_COUNT; i++)
        if (strcmp(KINDS[i].name, name) == 0)
            return &KINDS[i];
    return NULL;
}

/* Joins the names of every kind (or of those with a race tier) into out. */
static void join_names(char *out, size_t cap, int race_tier_only,
                       const char *sep, const char *last_sep)
{
    size_t count = 0, total = 0, len = 0;
    for (size_t i = 0; i < KIND_COUNT; i++)
        total += !race_tier_only || KINDS[i].race_tier;
    out[0] = '\0';
    for (size_t i = 0; i < KIND_COUNT && len < cap; i++) {
        if (race_tier_only && !KINDS[i].race_tier)
            continue;
        const char *s = count == 0 ? "" : count + 1 == total ? last_sep : sep;
        int n = snprintf(out + len, cap - len, "%s%s", s, KINDS[i].name);
        len += n > 0 ? (size_t)n : 0;
        count++;
    }
}

const char *kind_names(void)
{
    static char names[256];
    if (names[0] == '\0')
        join_names(names, sizeof names, 0, ", ", ", ");
    return names;
}

const char *kind_race_tier_names(void)
{
    static char names[256];
    if (names[0] == '\0')
        join_names(names, sizeof names, 1, ", ", " or ");
    return names;
}
