/* Tests for 21_histogram. Students: read them, do not edit them.
 *
 * The expected counts come from a plain loop on the CPU. This exercise runs
 * in the race tier: each test also runs under ThreadSanitizer, where a
 * non-atomic `hist[b]++` is reported as a data race even when the counts
 * happen to be right (the simulator only switches threads at barriers, so
 * without the race tier a lost update would go unseen). */
#include "histogram.h"
#include "llmlings.h"

#include <cuda_runtime.h>

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

static void check_hist(const unsigned char *data, int n, const char *what)
{
    unsigned want[HIST_BINS] = {0};
    unsigned got[HIST_BINS];
    for (int i = 0; i < n; i++)
        want[data[i]]++;
    memset(got, 0xab, sizeof got);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(histogram(data, n, got), cudaSuccess,
                    "histogram return value");
    check_freed(device_mark, "histogram");
    for (int b = 0; b < HIST_BINS; b++)
        LL_CHECK(got[b] == want[b],
                 "histogram(%s, n = %d): bin %d expected %u, got %u", what, n,
                 b, want[b], got[b]);
}

LL_TEST(histogram, pseudo_random_bytes)
{
    const int n = 4099;
    unsigned char *d = (unsigned char *)malloc((size_t)n);
    LL_CHECK_NOT_NULL(d, "malloc in the test setup");
    unsigned s = 12345u;
    for (int i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u; /* an LCG: every bin gets some */
        d[i] = (unsigned char)(s >> 16);
    }
    check_hist(d, n, "pseudo-random bytes");
    free(d);
}

LL_TEST(histogram, all_in_one_bin)
{
    /* every thread hits the same counter: the worst case for lost updates */
    const int n = 2000;
    unsigned char d[2000];
    memset(d, 'a', sizeof d);
    check_hist(d, n, "2000 times 'a'");
}

LL_TEST(histogram, english_text)
{
    const char *line = "the quick brown fox jumps over the lazy dog; ";
    const int len = (int)strlen(line);
    const int reps = 31;
    unsigned char *d = (unsigned char *)malloc((size_t)(len * reps));
    LL_CHECK_NOT_NULL(d, "malloc in the test setup");
    for (int r = 0; r < reps; r++)
        memcpy(d + r * len, line, (size_t)len);
    check_hist(d, len * reps, "31 copies of a pangram");
    free(d);
}

LL_TEST(histogram, tiny_inputs)
{
    const unsigned char one = 200;
    check_hist(&one, 1, "the single byte 200");
    unsigned char d[129];
    for (int i = 0; i < 129; i++)
        d[i] = (unsigned char)(255 - i % 3);
    check_hist(d, 129, "129 bytes cycling 255, 254, 253");
}
