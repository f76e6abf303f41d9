/* device_counters.c: see device_counters.h. */
#include "workbook/device_counters.h"

#include <string.h>

static const char *const NAMES[DC_COUNT] = {
    [DC_LAUNCHES] = "launches",
    [DC_GLOBAL_LOAD_REQUESTS] = "global_load_requests",
    [DC_GLOBAL_LOAD_SECTORS] = "global_load_sectors",
    [DC_GLOBAL_LOAD_BYTES] = "global_load_bytes",
    [DC_GLOBAL_STORE_REQUESTS] = "global_store_requests",
    [DC_GLOBAL_STORE_SECTORS] = "global_store_sectors",
    [DC_GLOBAL_STORE_BYTES] = "global_store_bytes",
    [DC_GLOBAL_ATOMIC_REQUESTS] = "global_atomic_requests",
    [DC_GLOBAL_ATOMIC_SECTORS] = "global_atomic_sectors",
    [DC_SHARED_LOAD_REQUESTS] = "shared_load_requests",
    [DC_SHARED_LOAD_WAVEFRONTS] = "shared_load_wavefronts",
    [DC_SHARED_LOAD_BANK_CONFLICTS] = "shared_load_bank_conflicts",
    [DC_SHARED_STORE_REQUESTS] = "shared_store_requests",
    [DC_SHARED_STORE_WAVEFRONTS] = "shared_store_wavefronts",
    [DC_SHARED_STORE_BANK_CONFLICTS] = "shared_store_bank_conflicts",
    [DC_SHARED_ATOMIC_REQUESTS] = "shared_atomic_requests",
    [DC_DIVERGENT_BRANCHES] = "divergent_branches",
    [DC_SHARED_BYTES_PER_BLOCK] = "shared_bytes_per_block",
    [DC_BYTES_HOST_TO_DEVICE] = "bytes_host_to_device",
    [DC_BYTES_DEVICE_TO_HOST] = "bytes_device_to_host",
    [DC_BYTES_DEVICE_TO_DEVICE] = "bytes_device_to_device",
    [DC_UNCOUNTED_ACCESSES] = "uncounted_accesses",
    [DC_TENSOR_MMA_SYNC] = "tensor_mma_sync",
    [DC_KERNEL_BYTES_TO_HOST] = "kernel_bytes_to_host",
    [DC_HOST_BYTES_TO_HOST] = "host_bytes_to_host",
};

const char *device_counter_name(device_counter c)
{
    return (unsigned)c < DC_COUNT ? NAMES[c] : NULL;
}

int device_counter_find(const char *name)
{
    for (int i = 0; name && i < DC_COUNT; i++)
        if (strcmp(NAMES[i], name) == 0)
            return i;
    return -1;
}

double counter_formula_value(const counter_formula *f,
                             const unsigned long long *counts)
{
    double sum = 0;
    for (size_t i = 0; i < f->nsum; i++)
        sum += (double)counts[f->sum[i]];
    return f->scale * sum;
}

double counter_bound_value(const counter_bound *b,
                           const unsigned long long *counts)
{
    double sum = 0;
    for (size_t i = 0; i < b->nsum; i++)
        sum += (double)counts[b->sum[i]];
    return sum;
}

const counter_bound *counter_formula_broken(const counter_formula *f,
                                            const unsigned long long *counts)
{
    for (size_t i = 0; i < f->nrequire; i++) {
        const double v = counter_bound_value(&f->require[i], counts);
        if (v < f->require[i].lo || v > f->require[i].hi)
            return &f->require[i];
    }
    return NULL;
}
