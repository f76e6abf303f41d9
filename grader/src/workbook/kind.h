/* kind.h: the exercise kinds (the manifest's "kind"), as data.
 *
 * One table (kind.c) says, for each kind, how its exercises are compiled,
 * inspected and run: the build recipe and its flags, the run's limits and
 * environment, and the further runs ("variants") a test must also pass or
 * that explain its failure. The manifest parses a kind once into a row of
 * this table; every later step reads the row's fields and never compares a
 * kind's name. Adding a kind is adding a row (and an enum value); a kind
 * that needs a new way to build or run adds a value to one of the enums
 * below and its case where that enum is read. */
#ifndef GRADER_KIND_H
#define GRADER_KIND_H

#include <stddef.h>

typedef enum {
    KIND_C,
    KIND_C_PERF,
    KIND_CUDA,
    KIND_OPENCL,
    KIND_COUNT
} kind_id;

/* How the test program is built (compile/build.c, compile/compile.c). */
typedef enum {
    RECIPE_GCC,     /* one gcc command: sources, tests, harness, linked */
    RECIPE_CUDASIM, /* the CUDA simulator's build (cudasim-cc), then nvcc
                       where present: compile/build_cuda.c */
} build_recipe;

/* The programs a build may leave in the exercise's build folder. */
typedef enum {
    PROGRAM_TEST, /* the test program (Criterion's runner) */
    PROGRAM_RACE, /* the race-tier build: ThreadSanitizer, its own runner */
    PROGRAM_GPU,  /* the nvcc build for a real GPU */
} program_id;

/* When a variant runs, after the runs before it. */
typedef enum {
    WHEN_PASSED, /* the test passes so far */
    WHEN_FAILED, /* it failed, crashed, timed out or raced (a test that was
                    skipped or ran out of memory has nothing to explain) */
} variant_when;

/* What a variant's run is started under. */
typedef enum {
    WRAP_NONE,
    WRAP_OCLGRIND, /* oclgrind PROGRAM ...; skipped when not installed */
} variant_wrapper;

/* What a variant's run tells. */
typedef enum {
    READ_HARNESS,  /* the harness records, as for the first run */
    READ_TSAN,     /* the same, and a ThreadSanitizer data race: `race` */
    READ_OCLGRIND, /* oclgrind's first finding on stderr; nothing else */
} variant_reading;

/* What a variant's result does to the test's. */
typedef enum {
    OUTCOME_MUST_PASS,        /* not passing: its verdict and message
                                 (after prefix) become the test's */
    OUTCOME_FINDING_FAILS,    /* a finding fails the test (prefix, finding) */
    OUTCOME_FINDING_EXPLAINS, /* a finding joins the test's message
                                 (message, prefix, finding) */
} variant_outcome;

/* Judge mode: a kind whose GPU layer runs the device (memory, kernels, the
 * record of who wrote what) in a device process of its own, apart from the
 * test process that runs the student's host code. The grader hands that
 * process the write end of a pipe through an environment variable; it
 * writes its report there when the test process is gone
 * (run/device_report.h). The texts name it in judge mode's messages. */
typedef struct {
    const char *env;         /* the variable that names the report's descriptor
                                ("CUDASIM_DEVICE_REPORT_FD") */
    const char *process;     /* the device process, for messages ("the CUDA
                                simulator's device process") */
    const char *host_writes; /* the host calls that write device memory,
                                for messages ("cudaMemcpy or cudaMemset to
                                the device") */
    /* Where the reference copied back no host-written bytes: how many the
     * student's run may, as a share of the reference's kernel bytes. 0 for
     * exact tracking (the simulator sees every store); more where origins
     * are decided by content (cltrack: a kernel that stores the value a
     * byte already had, as an honest kernel does into an output buffer
     * made from host memory, leaves that byte the host's). */
    double host_bytes_slack;
} device_report_spec;

/* One more run of a test. */
typedef struct {
    variant_when when;
    int race_tier_only; /* only when the exercise has "race_tier": true */
    program_id program;
    variant_wrapper wrapper;
    variant_reading reading;
    variant_outcome outcome;
    const char *const *env; /* set for this run ("NAME=VALUE", NULL-ended) */
    double time_factor;     /* its time limit: the test's times this; also
                               its share of the exercise's time budget */
    double time_cap_s;      /* at most this many seconds (0: no cap)... */
    double time_cap_after_timeout_s; /* ...or this after a timeout */
    double cpu_factor;               /* its CPU limit: the test's times this */
    long extra_memory_mb;            /* above the exercise's memory limit */
    const char *prefix;              /* see variant_outcome */
} run_variant;

typedef struct {
    kind_id id;
    const char *name; /* as the manifest spells it */
    const char *what; /* one line for the documentation and messages */

    /* building */
    build_recipe recipe;
    const char *const *cflags; /* the compiler's mode flags (RECIPE_GCC) */
    int sanitizers;            /* built with ASan and UBSan (RECIPE_GCC) */
    const char *const *link;   /* libraries every exercise of the kind links */
    const char *const *staged; /* workbook folders staged with each exercise
                                  and part of its content hash */
    int inspected;     /* the student's C files are inspected (tamper.h) */
    int uses_hardware; /* needs the workbook's hardware/ (simulator, probe):
                          the probe's report joins the results, and an
                          unrestorable hardware/ file blocks the exercise */
    int race_tier;     /* the manifest may ask for a race tier */

    /* running: each test alone, then its variants in order */
    double cpu_factor;        /* CPU limit: the time limit times this */
    int limit_address_space;  /* RLIMIT_AS too (no sanitizer reservations) */
    int extra_processes;      /* more processes or threads (PoCL's workers) */
    const char *const *env;   /* environment of every run ("{scratch}" is the
                                 run's private folder) */
    const char *timeout_hint; /* added to a timeout's explanation */
    int pocl_paths;      /* messages name PoCL's temporary copies of the .cl
                            file: shown as "(your .cl file)" */
    const char *preload; /* a library of the hardware build preloaded into
                            the runs that have no wrapper, when it is built
                            (the OpenCL object tracker), or NULL */
    /* judge mode: the runs of the plain test program without a wrapper get
     * a device report (the CUDA simulator's, cltrack's); NULL: none */
    const device_report_spec *device_report;
    int device_counters;     /* the report counts the kernels' memory
                                traffic: "judge_counters" may grade by it */
    int device_source_rules; /* the student's sources and objects keep to
                                judge mode's rules (source_rules.h, tamper.h):
                                they are compiled into the device process */
    const run_variant *variants;
    size_t nvariants;
} kind_spec;

/* The row of a kind by its manifest name, or NULL. */
const kind_spec *kind_find(const char *name);
const kind_spec *kind_get(kind_id id);
/* "c, c_perf, cuda, opencl": the names for messages (static storage). */
const char *kind_names(void);
/* The names of the kinds with a race tier, joined by " or ". */
const char *kind_race_tier_names(void);

#endif
