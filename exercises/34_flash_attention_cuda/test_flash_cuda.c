/* Tests for 34_flash_attention_cuda. Students: read them, do not edit them.
 *
 * Compiled as C++ and built for the CUDA simulator (and with nvcc where a
 * GPU is present). Expected values: golden_flash_cuda.h (NumPy in float64,
 * see exercises/common/golden/attention.py) and, for the long sequence, a
 * naive causal attention in double precision written out below.
 *
 * Tolerance: |got - want| <= 1e-5 + 1e-4 * |want|, as in 33_flash_attention:
 * the online softmax rescales the sum and the accumulator once per new
 * maximum (at most T times), each a float32 rounding (6e-8 relative), so
 * the drift stays far below 1e-4 for T <= 150.
 */
#include "flash_cuda.h"
#include "golden_flash_cuda.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

#define ATOL 1e-5f
#define RTOL 1e-4f

enum { ERR_INVALID_VALUE = 1, ERR_INVALID_CONFIGURATION = 9 };

static float *nan_filled(int n)
{
    float *x = (float *)malloc((size_t)n * sizeof(float));
    for (int i = 0; i < n; i++)
        x[i] = NAN;
    return x;
}

static void check_golden(int index, int tile)
{
    const golden_flash_cuda_t *c = &golden_flash_cudas[index];
    float *out = nan_filled(c->T * c->d);
    char what[128];
    snprintf(what, sizeof what,
             "flash_attention_cuda of random q, k, v, T %d, d %d, tile %d",
             c->T, c->d, tile);
    const unsigned long long device_mark = DEVICE_MARK();
    const int err =
        flash_attention_cuda(out, c->q, c->k, c->v, c->T, c->d, tile);
    check_freed(device_mark, "flash_attention_cuda");
    LL_CHECK(err == 0, "%s: expected 0 (cudaSuccess), got %d", what, err);
    LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)(c->T * c->d), ATOL, RTOL, what);
    free(out);
}

LL_TEST(golden, one_row_and_head_size_one)
{
    /* T = 1 (a single key), then T = 16 with d = 1 */
    const int tiles[] = {1, 4, 16, 32};
    for (int t = 0; t < 4; t++) {
        check_golden(0, tiles[t]);
        check_golden(1, tiles[t]);
    }
}

LL_TEST(golden, partial_last_tile)
{
    /* T = 37 is a multiple of no tile; T = 64 of all of them */
    const int tiles[] = {4, 16, 32};
    for (int t = 0; t < 3; t++) {
        check_golden(2, tiles[t]);
        check_golden(3, tiles[t]);
    }
}

LL_TEST(golden, largest_head_size)
{
    check_golden(4, 16); /* T = 50, d = FLASH_MAX_D */
    check_golden(4, 32);
}

LL_TEST(golden, large_logits)
{
    /* scores up to ~1e4: exp overflows unless the running max is used */
    check_golden(5, 4);
    check_golden(5, 16);
}

/* Uniform in [-1, 1) from a linear congruential generator. */
static void random_fill(float *x, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    }
}

/* Causal attention in double precision, the whole score row at once. */
static void naive_attention(float *out, const float *q, const float *k,
                            const float *v, int T, int d)
{
    double *s = (double *)malloc((size_t)T * sizeof(double));
    for (int t = 0; t < T; t++) {
        double mx = -INFINITY, sum = 0.0;
        for (int j = 0; j <= t; j++) {
            double dot = 0.0;
            for (int c = 0; c < d; c++)
                dot += (double)q[t * d + c] * k[j * d + c];
            s[j] = dot / sqrt((double)d);
            mx = s[j] > mx ? s[j] : mx;
        }
        for (int j = 0; j <= t; j++)
            sum += (s[j] = exp(s[j] - mx));
        for (int c = 0; c < d; c++) {
            double o = 0.0;
            for (int j = 0; j <= t; j++)
                o += s[j] * v[j * d + c];
            out[t * d + c] = (float)(o / sum);
        }
    }
    free(s);
}

LL_TEST(long_sequence, matches_naive_attention)
{
    enum { T = 150, D = 32 };
    float *q = (float *)malloc(sizeof(float) * T * D);
    float *k = (float *)malloc(sizeof(float) * T * D);
    float *v = (float *)malloc(sizeof(float) * T * D);
    float *want = (float *)malloc(sizeof(float) * T * D);
    random_fill(q, T * D, 1);
    random_fill(k, T * D, 2);
    random_fill(v, T * D, 3);
    naive_attention(want, q, k, v, T, D);
    const int tiles[] = {7, 32};
    for (int t = 0; t < 2; t++) {
        float *out = nan_filled(T * D);
        char what[96];
        snprintf(what, sizeof what, "flash_attention_cuda, T %d, d %d, tile %d",
                 T, D, tiles[t]);
        const unsigned long long device_mark = DEVICE_MARK();
        const int err = flash_attention_cuda(out, q, k, v, T, D, tiles[t]);
        check_freed(device_mark, "flash_attention_cuda");
        LL_CHECK(err == 0, "%s: expected 0 (cudaSuccess), got %d", what, err);
        LL_CHECK_FLOATS_NEAR(out, want, (size_t)(T * D), ATOL, RTOL, what);
        double worst = 0.0;
        for (int i = 0; i < T * D; i++)
            worst = fmax(worst, fabs((double)out[i] - want[i]));
        if (tiles[t] == 32)
            LL_METRIC("max_abs_err_vs_naive_f64", worst);
        free(out);
    }
    free(q);
    free(k);
    free(v);
    free(want);
}

LL_TEST(errors, invalid_arguments)
{
    float x[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    float out[4] = {7, 7, 7, 7};
    const struct {
        int T, d, tile;
        const char *what;
    } bad[] = {{0, 2, 4, "T = 0"},
               {2, 0, 4, "d = 0"},
               {1, FLASH_MAX_D + 1, 4, "d = FLASH_MAX_D + 1"},
               {2, 2, 0, "tile = 0"}};
    for (int i = 0; i < 4; i++) {
        const unsigned long long device_mark = DEVICE_MARK();
        const int err =
            flash_attention_cuda(out, x, x, x, bad[i].T, bad[i].d, bad[i].tile);
        check_freed(device_mark, "flash_attention_cuda with invalid arguments");
        LL_CHECK(err == ERR_INVALID_VALUE,
                 "%s: expected cudaErrorInvalidValue (%d), got %d", bad[i].what,
                 ERR_INVALID_VALUE, err);
    }
    LL_CHECK(out[0] == 7 && out[3] == 7,
             "invalid arguments: out must be left untouched, got out[0] = "
             "%g",
             (double)out[0]);
}

LL_TEST(errors, launch_failure_is_reported)
{
    /* 2048 threads per block is over the limit of 1024: the launch fails,
     * and only cudaGetLastError() says so. */
    enum { T = 3000, D = 2 };
    float *x = (float *)calloc(T * D, sizeof(float));
    float *out = (float *)calloc(T * D, sizeof(float));
    const unsigned long long device_mark = DEVICE_MARK();
    const int err = flash_attention_cuda(out, x, x, x, T, D, 2048);
    check_freed(device_mark, "flash_attention_cuda, whose launch fails,");
    LL_CHECK(err == ERR_INVALID_CONFIGURATION,
             "tile 2048: expected cudaErrorInvalidConfiguration (%d) from the "
             "launch, got %d",
             ERR_INVALID_CONFIGURATION, err);
    free(x);
    free(out);
}
