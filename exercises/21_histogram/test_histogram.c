/* Tests for 21_histogram. Students: read them, do not edit them.
 *
 * The bytes are seeded (the grader may pick other ones and other sizes
 * than you see); the expected counts come from a plain loop on the CPU and
 * must match exactly. This exercise runs in the race tier: each test also
 * runs under ThreadSanitizer, where a non-atomic `hist[b]++` is reported
 * as a data race even when the counts happen to be right (the simulator
 * only switches threads at barriers, so without the race tier a lost
 * update would go unseen). */
#include "histogram.h"
#include "llmlings.h"

#include <cuda_runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Device memory the code under test must free before it returns: the
 * simulator counts every cudaMalloc and names the line of each buffer left
 * allocated (under nvcc there is no such count, and nothing to check). */
#ifdef __CUDASIM__
#define DEVICE_MARK() cudasimAllocationMark()
static void check_freed(unsigned long long mark, const char *call)
{
    char why[600];
    LL_CHECK(cudasimLeaksSince(mark, why, sizeof why) == 0,
             "%s left device memory allocated: %s", call, why);
}
#else
#define DEVICE_MARK() 0ull
static void check_freed(unsigned long long mark, const char *call)
{
    (void)mark, (void)call;
}
#endif

/* Runs histogram on data and compares all 256 bins with a CPU count. */
static void check_hist(const unsigned char *data, int n, const char *kind)
{
    unsigned counts[HIST_BINS];
    memset(counts, 0xab, sizeof counts); /* every bin must be written */
    char what[200];
    snprintf(what, sizeof what, "histogram(%s, n = %d) return value", kind, n);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(histogram(data, n, counts), cudaSuccess, what);
    check_freed(device_mark, "histogram");
    /* counts are below 2^24: exact as floats, compared bin by bin */
    float got[HIST_BINS], want[HIST_BINS];
    for (int b = 0; b < HIST_BINS; b++)
        got[b] = (float)counts[b];
    LL_ORACLE
    {
        for (int b = 0; b < HIST_BINS; b++)
            want[b] = 0.0f;
        for (int i = 0; i < n; i++)
            want[data[i]] += 1.0f;
    }
    snprintf(what, sizeof what,
             "histogram(%s, n = %d): element [b] is the count of byte b", kind,
             n);
    LL_CHECK_FLOATS_NEAR(got, want, HIST_BINS, 0.0f, 0.0f, what);
}

static unsigned char *alloc_bytes(int n)
{
    return (unsigned char *)ll_alloc((size_t)n);
}

/* n seeded bytes, each in [lo, hi]. */
static void check_random(int n, int lo, int hi)
{
    unsigned char *d = alloc_bytes(n);
    for (int i = 0; i < n; i++)
        d[i] = (unsigned char)ll_rand_int(lo, hi);
    char kind[80];
    snprintf(kind, sizeof kind, "seeded bytes in [%d, %d]", lo, hi);
    check_hist(d, n, kind);
    free(d);
}

LL_TEST(histogram, pseudo_random_bytes)
{
    check_random(4099, 0, 255);
    check_random((int)ll_rand_int(1000, 3000), 0, 255);
}

LL_TEST(histogram, all_in_one_bin)
{
    /* every thread hits the same counter: the worst case for lost updates */
    const int n = 2000;
    unsigned char *d = alloc_bytes(n);
    const int v = (int)ll_rand_int(0, 255);
    memset(d, v, (size_t)n);
    char kind[80];
    snprintf(kind, sizeof kind, "2000 times the byte %d", v);
    check_hist(d, n, kind);
    /* and nearly so: a few seeded strays among one value */
    for (int i = 0; i < n; i++)
        d[i] = ll_rand_int(0, 15) == 0 ? (unsigned char)ll_rand_int(0, 255)
                                       : (unsigned char)v;
    snprintf(kind, sizeof kind, "2000 bytes, mostly %d", v);
    check_hist(d, n, kind);
    free(d);
}

LL_TEST(histogram, highest_and_lowest_bins)
{
    /* only the bytes 0, 127, 128 and 255: the edges of the table and of a
     * signed char (a byte read as char is negative from 128 up) */
    const int n = (int)ll_rand_int(500, 1500);
    unsigned char *d = alloc_bytes(n);
    static const unsigned char edges[] = {0, 127, 128, 255};
    for (int i = 0; i < n; i++)
        d[i] = edges[ll_rand_int(0, 3)];
    check_hist(d, n, "seeded bytes among 0, 127, 128 and 255");
    check_random((int)ll_rand_int(200, 800), 128, 255);
    free(d);
}

LL_TEST(histogram, english_text)
{
    const char *line = "the quick brown fox jumps over the lazy dog; ";
    const int len = (int)strlen(line);
    const int reps = (int)ll_rand_int(20, 40);
    unsigned char *d = alloc_bytes(len * reps);
    for (int r = 0; r < reps; r++)
        memcpy(d + r * len, line, (size_t)len);
    char kind[80];
    snprintf(kind, sizeof kind, "%d copies of a pangram", reps);
    check_hist(d, len * reps, kind);
    free(d);
}

LL_TEST(histogram, tiny_inputs)
{
    const unsigned char one = (unsigned char)ll_rand_int(0, 255);
    char kind[80];
    snprintf(kind, sizeof kind, "the single byte %d", one);
    check_hist(&one, 1, kind);
    unsigned char d[129];
    for (int i = 0; i < 129; i++)
        d[i] = (unsigned char)(255 - i % 3);
    check_hist(d, 129, "129 bytes cycling 255, 254, 253");
    check_hist(d, 0, "no bytes"); /* every bin 0 */
    check_random((int)ll_rand_int(2, HIST_THREADS), 0, 255);
}
