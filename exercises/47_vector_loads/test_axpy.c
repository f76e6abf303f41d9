/* Tests for 47_vector_loads. Students: read them, do not edit them.
 *
 * Correctness first: y = a x + y on seeded values in [-1, 1), for many n
 * and for x and y starting 0, 1, 2 or 3 floats past a 16-byte boundary
 * (inside buffers from cudaMalloc, which are 256-byte aligned). The whole
 * y buffer is compared: elements before and after the n updated ones must
 * not change. Tolerance 1e-6: a GPU fuses a * x + y into one rounding, the
 * simulator rounds twice; the values stay below 3, where that is at most
 * a few 1e-7.
 *
 * Then the performance test, graded in the simulator by the memory-traffic
 * counters (the lecture's "Vector loads and alignment"): n = 262144 with
 * x and y one float past a 16-byte boundary, graded by global load+store
 * requests (one per warp instruction). The bytes are the same whatever
 * the kernel, and the sectors nearly so (122880 scalar, 104451 with a
 * float4 body: one float past a boundary, a warp's 128 bytes straddle 5
 * sectors, its 512 bytes 17); the instructions are not: scalar loads and
 * stores take 24576 requests, float2 12288, float4 6144 plus a few for
 * the unaligned head and tail. On a GPU the test also reports the measured
 * time against a plain copy.
 */
#include "axpy.h"
#include "llmlings.h"

#include <cuda_runtime.h>

#include "gpu_perf.h"

#include <stdio.h>
#include <stdlib.h>

/* Device memory the code under test must free before it returns (the
 * simulator names the line of each buffer left allocated; under nvcc there
 * is nothing to check). */
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

/* x and y: buffers of len floats on the device; the call works on n of
 * them from float `offset` on. */
typedef struct device_case {
    float *x, *y; /* the buffers' starts (256-byte aligned) */
    int len, offset, n;
    float a;
} device_case;

static device_case upload(const float *x, const float *y, int n, int offset,
                          float a)
{
    device_case d = {NULL, NULL, n + offset + 5, offset, n, a};
    const size_t bytes = (size_t)d.len * sizeof(float);
    LL_CHECK_INT_EQ(cudaMalloc(&d.x, bytes), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMalloc(&d.y, bytes), cudaSuccess,
                    "cudaMalloc in the test setup");
    LL_CHECK_INT_EQ(cudaMemcpy(d.x, x, bytes, cudaMemcpyHostToDevice),
                    cudaSuccess, "cudaMemcpy in the test setup");
    LL_CHECK_INT_EQ(cudaMemcpy(d.y, y, bytes, cudaMemcpyHostToDevice),
                    cudaSuccess, "cudaMemcpy in the test setup");
    return d;
}

static void release(device_case *d)
{
    cudaFree(d->x);
    cudaFree(d->y);
}

/* Calls axpy on d, waits, and copies the whole y buffer into got. */
static void call_axpy(const device_case *d, float *got)
{
    char what[120];
    snprintf(what, sizeof what, "axpy(a = %g, x + %d, y + %d, n = %d)",
             (double)d->a, d->offset, d->offset, d->n);
    const unsigned long long mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(axpy(d->a, d->x + d->offset, d->y + d->offset, d->n),
                    cudaSuccess, what);
    LL_CHECK_INT_EQ(cudaDeviceSynchronize(), cudaSuccess, what);
    check_freed(mark, "axpy");
    LL_CHECK_INT_EQ(cudaMemcpy(got, d->y, (size_t)d->len * sizeof(float),
                               cudaMemcpyDeviceToHost),
                    cudaSuccess, "cudaMemcpy of the result");
}

/* got (the y buffer after the call) against y with a x + y in [offset,
 * offset + n). */
static void check_result(const device_case *d, const float *x, const float *y,
                         const float *got)
{
    float *want = (float *)ll_alloc((size_t)d->len * sizeof(float));
    LL_ORACLE
    {
        for (int i = 0; i < d->len; i++) {
            const int in_range = i >= d->offset && i < d->offset + d->n;
            want[i] = in_range ? (float)((double)d->a * x[i] + y[i]) : y[i];
        }
    }
    char what[200];
    snprintf(what, sizeof what,
             "axpy(a = %g, x + %d, y + %d, n = %d): the y buffer (element [i] "
             "is y[i - %d]; the %d floats before and the 5 after must not "
             "change)",
             (double)d->a, d->offset, d->offset, d->n, d->offset, d->offset);
    LL_CHECK_FLOATS_NEAR(got, want, (size_t)d->len, 1e-6f, 0.0f, what);
    free(want);
}

static float *seeded(int len)
{
    float *v = (float *)ll_alloc((size_t)len * sizeof(float));
    ll_rand_floats(v, (size_t)len, -1.0f, 1.0f);
    return v;
}

static void check_case(int n, int offset)
{
    const int len = n + offset + 5;
    float *x = seeded(len), *y = seeded(len);
    float *got = (float *)ll_alloc((size_t)len * sizeof(float));
    device_case d = upload(x, y, n, offset, ll_rand_float(-2.0f, 2.0f));
    call_axpy(&d, got);
    check_result(&d, x, y, got);
    release(&d);
    free(got);
    free(y);
    free(x);
}

LL_TEST(axpy, aligned)
{
    check_case(1, 0);
    check_case(4, 0);
    check_case(1000, 0);
    check_case(1027, 0); /* a tail of three */
}

LL_TEST(axpy, misaligned_starts)
{
    for (int offset = 1; offset < 4; offset++) {
        check_case(1, offset);
        check_case(2, offset);
        check_case(7, offset);
        check_case(1000 + offset, offset);
    }
}

LL_TEST(axpy, random_sizes)
{
    for (int k = 0; k < 3; k++)
        check_case((int)ll_rand_int(1, 5000), (int)ll_rand_int(0, 3));
}

#ifndef __CUDASIM__
static int time_axpy(void *arg)
{
    const device_case *d = (const device_case *)arg;
    return axpy(d->a, d->x + d->offset, d->y + d->offset, d->n);
}
#endif

/* The graded test (manifest "perf": global load+store requests, lower is
 * better). */
LL_TEST(axpy, vector_loads)
{
    enum { N = 262144, OFFSET = 1 };
    const int len = N + OFFSET + 5;
    float *x = seeded(len), *y = seeded(len);
    float *got = (float *)ll_alloc((size_t)len * sizeof(float));
    device_case d = upload(x, y, N, OFFSET, ll_rand_float(-2.0f, 2.0f));
    gp_start();
    call_axpy(&d, got);
    const gp_counts g = gp_count();
    check_result(&d, x, y, got);
    /* x and y read, y written: at least that many sectors (checked in
     * every build, so one that does not count makes the same checks) */
    const unsigned long long least = (unsigned long long)N * 4 / 32;
    LL_CHECK(!g.available || (g.launches >= 1 && g.load_sectors >= 2 * least &&
                              g.store_sectors >= least),
             "axpy(n = %d): %llu launches, %llu load and %llu store sectors, "
             "but x and y alone are %llu sectors each: the work must be done "
             "by kernels",
             N, g.launches, g.load_sectors, g.store_sectors, least);
    if (g.available) {
        gp_report(&g);
        LL_METRIC("global_requests", g.load_requests + g.store_requests);
        printf("global load+store requests %llu (float4: %d and a few)\n",
               g.load_requests + g.store_requests, 3 * N / 128);
    }
#ifndef __CUDASIM__
    gp_time_against_copy(time_axpy, &d, d.x, d.y, N);
#endif
    release(&d);
    free(got);
    free(y);
    free(x);
}
