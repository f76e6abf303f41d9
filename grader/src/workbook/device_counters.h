/* device_counters.h: the numbers of the CUDA simulator's device report, by
 * name, and the counter formulas of the manifest ("judge_counters").
 *
 * In judge mode the simulator runs device memory, kernels and counters in
 * a device process of its own (hardware/cudasim/README.md, "Device
 * process"), which reports, when the test process is gone, one line of
 * JSON with its totals over the whole run: the launches, every field of
 * struct cudasimCounters by its C name, and the bytes copied back to the
 * host that a kernel wrote and that only host code wrote. This table is the
 * grader's side of that contract: the report must carry every name here
 * (run/device_report.h), and a formula may only name these. */
#ifndef GRADER_DEVICE_COUNTERS_H
#define GRADER_DEVICE_COUNTERS_H

#include <stddef.h>

typedef enum {
    DC_LAUNCHES,
    DC_GLOBAL_LOAD_REQUESTS,
    DC_GLOBAL_LOAD_SECTORS,
    DC_GLOBAL_LOAD_BYTES,
    DC_GLOBAL_STORE_REQUESTS,
    DC_GLOBAL_STORE_SECTORS,
    DC_GLOBAL_STORE_BYTES,
    DC_GLOBAL_ATOMIC_REQUESTS,
    DC_GLOBAL_ATOMIC_SECTORS,
    DC_SHARED_LOAD_REQUESTS,
    DC_SHARED_LOAD_WAVEFRONTS,
    DC_SHARED_LOAD_BANK_CONFLICTS,
    DC_SHARED_STORE_REQUESTS,
    DC_SHARED_STORE_WAVEFRONTS,
    DC_SHARED_STORE_BANK_CONFLICTS,
    DC_SHARED_ATOMIC_REQUESTS,
    DC_DIVERGENT_BRANCHES,
    DC_SHARED_BYTES_PER_BLOCK,
    DC_BYTES_HOST_TO_DEVICE,
    DC_BYTES_DEVICE_TO_HOST,
    DC_BYTES_DEVICE_TO_DEVICE,
    DC_UNCOUNTED_ACCESSES,
    DC_TENSOR_MMA_SYNC,      /* wmma::mma_sync calls (16x16x16 each) */
    DC_KERNEL_BYTES_TO_HOST, /* copied back, written last by a kernel */
    DC_HOST_BYTES_TO_HOST,   /* copied back, written only by host code */
    DC_COUNT
} device_counter;

/* The report's name of c ("global_load_sectors"), or NULL out of range. */
const char *device_counter_name(device_counter c);
/* The counter called name, or -1. */
int device_counter_find(const char *name);

enum { COUNTER_FORMULA_MAX_TERMS = DC_COUNT, COUNTER_FORMULA_MAX_BOUNDS = 8 };

/* A condition the counts must meet: lo <= the sum of the named counters <=
 * hi (-HUGE_VAL / HUGE_VAL where the manifest gives no bound). The
 * device-side twin of a check the test makes of its counts ("the kernel
 * read the whole input", "one tile of shared memory per block"): that
 * check's observation comes from the test process. */
typedef struct {
    device_counter sum[COUNTER_FORMULA_MAX_TERMS];
    size_t nsum;
    double lo, hi;
} counter_bound;

/* A perf metric as the judge computes it from a device report: scale times
 * the sum of the named counters (each named once), and the conditions the
 * report must meet for the test to pass. */
typedef struct {
    device_counter sum[COUNTER_FORMULA_MAX_TERMS];
    size_t nsum; /* 0: no formula */
    double scale;
    counter_bound require[COUNTER_FORMULA_MAX_BOUNDS];
    size_t nrequire;
} counter_formula;

/* The formula's value on the report's numbers (DC_COUNT of them). */
double counter_formula_value(const counter_formula *f,
                             const unsigned long long *counts);
/* The sum a bound is about, on the report's numbers. */
double counter_bound_value(const counter_bound *b,
                           const unsigned long long *counts);
/* The first of f's conditions the counts break, or NULL. */
const counter_bound *counter_formula_broken(const counter_formula *f,
                                            const unsigned long long *counts);

#endif
