/* device_report.c: see device_report.h. */
#define _GNU_SOURCE
#include "device_report.h"

#include "kernel_words_sample.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    uint64_t total[TOTAL_COUNT];
    pthread_mutex_t sample_lock; /* robust: a client may die holding it */
    kernel_words_sample sample;
    char fault[300];
} totals;

static totals *shared;

/* Every counter of the CUDA simulator's report, in its order
 * (hardware/cudasim/src/counters.h, CUDASIM_COUNTER_FIELDS; the test
 * test_device_process.sh compares the two reports' keys). OpenCL counts
 * launches and bytes moved; the rest are 0. */
static const char *const counter_names[] = {
    "launches",
    "global_load_requests",
    "global_load_sectors",
    "global_load_bytes",
    "global_store_requests",
    "global_store_sectors",
    "global_store_bytes",
    "global_atomic_requests",
    "global_atomic_sectors",
    "shared_load_requests",
    "shared_load_wavefronts",
    "shared_load_bank_conflicts",
    "shared_store_requests",
    "shared_store_wavefronts",
    "shared_store_bank_conflicts",
    "shared_atomic_requests",
    "divergent_branches",
    "shared_bytes_per_block",
    "bytes_host_to_device",
    "bytes_device_to_host",
    "bytes_device_to_device",
    "uncounted_accesses",
    "tensor_mma_sync",
};

int report_init(void)
{
    void *m = mmap(NULL, sizeof(totals), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -1;
    shared = m;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    int e = pthread_mutex_init(&shared->sample_lock, &a);
    pthread_mutexattr_destroy(&a);
    mprotect(shared, sizeof *shared, PROT_READ);
    return e == 0 ? 0 : -1;
}

static void writable(int w)
{
    mprotect(shared, sizeof *shared, w ? PROT_READ | PROT_WRITE : PROT_READ);
}

void report_add(enum report_total which, uint64_t n)
{
    if (shared == NULL || n == 0)
        return;
    writable(1);
    __atomic_fetch_add(&shared->total[which], n, __ATOMIC_RELAXED);
    writable(0);
}

void report_sample(const uint32_t *words, size_t n)
{
    if (shared == NULL || n == 0)
        return;
    writable(1);
    if (pthread_mutex_lock(&shared->sample_lock) == EOWNERDEAD)
        pthread_mutex_consistent(&shared->sample_lock);
    for (size_t i = 0; i < n; i++)
        kws_add(&shared->sample, words[i]);
    pthread_mutex_unlock(&shared->sample_lock);
    writable(0);
}

void report_fault(const char *msg)
{
    if (shared == NULL)
        return;
    writable(1);
    snprintf(shared->fault, sizeof shared->fault, "%s", msg);
    writable(0);
}

static uint64_t counter_value(const char *name)
{
    static const struct {
        const char *name;
        enum report_total total;
    } counted[] = {
        {"launches", TOTAL_LAUNCHES},
        {"bytes_host_to_device", TOTAL_HOST_TO_DEVICE},
        {"bytes_device_to_host", TOTAL_DEVICE_TO_HOST},
        {"bytes_device_to_device", TOTAL_DEVICE_TO_DEVICE},
    };
    for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++)
        if (strcmp(name, counted[i].name) == 0)
            return shared->total[counted[i].total];
    return 0;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void report_write(int fd)
{
    FILE *f = fdopen(fd, "w");
    if (f == NULL || shared == NULL)
        return;
    fprintf(f, "{\"cudasim_device_report\": 1");
    for (size_t i = 0; i < sizeof counter_names / sizeof counter_names[0]; i++)
        fprintf(f, ", \"%s\": %llu", counter_names[i],
                (unsigned long long)counter_value(counter_names[i]));
    fprintf(f, ", \"kernel_bytes_to_host\": %llu, \"host_bytes_to_host\": %llu",
            (unsigned long long)shared->total[TOTAL_KERNEL_TO_HOST],
            (unsigned long long)shared->total[TOTAL_HOST_TO_HOST]);
    fprintf(f, ", \"kernel_words_sample\": [");
    for (uint32_t i = 0; i < shared->sample.count; i++)
        fprintf(f, "%s%u", i ? ", " : "", (unsigned)shared->sample.words[i]);
    fprintf(f, "]");
    fprintf(f, ", \"fault\": ");
    json_string(f, shared->fault);
    fprintf(f, "}\n");
    fclose(f);
}
