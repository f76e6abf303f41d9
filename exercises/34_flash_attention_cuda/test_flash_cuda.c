/* Tests for 34_flash_attention_cuda. Students: read them, do not edit them.
 *
 * Compiled as C++ and built for the CUDA simulator (and with nvcc where a
 * GPU is present); each test runs with the threads and blocks in forward,
 * reverse and shuffled order. Expected values: golden_flash_cuda.h (NumPy
 * in float64, see exercises/common/golden/attention.py) and, for the
 * inputs the grader draws (ll_rand_*: other ones each time it grades), a
 * plain causal attention in double written below (every score of a row,
 * softmax, weighted sum).
 *
 * Tolerance, derived per element as in 33_flash_attention (u = 2^-24, the
 * float32 rounding unit): a float32 score is off by at most
 * E_j = (d + 4) u sum_i |q_i k_ji| / sqrt(d), which moves the weights by a
 * factor of at most exp(2 max E); the online softmax rescales the sum and
 * the accumulator at each new max (at most once per key), and each term
 * ends with at most (|s_j - max| + 8 n + 8) u of relative error over its
 * subtraction, exp, rescalings, the sums and the final division. So
 * element i of a row over n keys may be off by
 *     sum_j p_j |v_ji| ((exp(2 max E) - 1) + (|s_j - max| + 8 n + 8) u)
 *     + u |out_i|
 * (~7e-5 relative at n = 150 in the worst case; the reference solution's
 * error is ~1e-7). A missing barrier, a mask off by one, a key tile
 * skipped or a missing rescale is off by more than 1e-2.
 */
#include "flash_cuda.h"
#include "golden_flash_cuda.h"
#include "llmlings.h"

#include <math.h>
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

#define U 0x1p-24 /* the float32 unit roundoff */

enum { ERR_INVALID_VALUE = 1, ERR_INVALID_CONFIGURATION = 9 };

/* ---- the oracle: causal attention in double, with its bound ------------- */

static void attention_oracle(const float *q, const float *k, const float *v,
                             int T, int d, float *want, float *tol)
{
    double *s = (double *)ll_alloc(sizeof(double) * (size_t)T);
    for (int t = 0; t < T; t++) {
        const int n = t + 1;
        double m = -INFINITY, e = 0.0, sum = 0.0;
        for (int j = 0; j < n; j++) {
            double dot = 0.0, mag = 0.0;
            for (int c = 0; c < d; c++) {
                dot += (double)q[(long)t * d + c] * k[(long)j * d + c];
                mag += fabs((double)q[(long)t * d + c] * k[(long)j * d + c]);
            }
            s[j] = dot / sqrt((double)d);
            e = fmax(e, (d + 4) * U * mag / sqrt((double)d));
            m = fmax(m, s[j]);
        }
        for (int j = 0; j < n; j++)
            sum += exp(s[j] - m);
        for (int c = 0; c < d; c++) {
            double out = 0.0, bound = 0.0;
            for (int j = 0; j < n; j++) {
                const double p = exp(s[j] - m) / sum, vj = v[(long)j * d + c];
                out += p * vj;
                bound +=
                    p * fabs(vj) *
                    (expm1(2.0 * e) + (fabs(s[j] - m) + 8.0 * n + 8.0) * U);
            }
            want[(long)t * d + c] = (float)out;
            tol[(long)t * d + c] = (float)(bound + U * fabs(out) + 1e-37);
        }
    }
    free(s);
}

/* ---- checks ------------------------------------------------------------- */

static float *alloc_floats(long n)
{
    return (float *)ll_alloc(sizeof(float) * (size_t)n);
}

static float *random_floats(long n, float lo, float hi)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, lo, hi);
    return x;
}

static float *nan_floats(long n)
{
    float *x = alloc_floats(n);
    for (long i = 0; i < n; i++)
        x[i] = NAN;
    return x;
}

/* Runs flash_attention_cuda and compares it with the attention in double,
 * or with NumPy's `golden` output when given (the same bound). */
static void check_flash(const float *q, const float *k, const float *v, int T,
                        int d, int tile, const float *golden, const char *kind)
{
    const long n = (long)T * d;
    float *out = nan_floats(n), *want = alloc_floats(n), *tol = alloc_floats(n);
    char what[200];
    snprintf(what, sizeof what,
             "flash_attention_cuda(out, q, k, v, T = %d, d = %d, tile = %d) "
             "of %s",
             T, d, tile, kind);
    const unsigned long long device_mark = DEVICE_MARK();
    const int err = flash_attention_cuda(out, q, k, v, T, d, tile);
    check_freed(device_mark, "flash_attention_cuda");
    LL_CHECK(err == 0, "%s: expected 0 (cudaSuccess), got %d", what, err);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, d, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)n);
    }
    snprintf(what, sizeof what,
             "flash_attention_cuda(out, q, k, v, T = %d, d = %d, tile = %d) "
             "of %s: out[t * d + c]%s",
             T, d, tile, kind, golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(out);
}

static void check_golden(int index, int tile)
{
    const golden_flash_cuda_t *c = &golden_flash_cudas[index];
    check_flash(c->q, c->k, c->v, c->T, c->d, tile, c->out, "golden q, k, v");
}

/* Seeded q, k in [-scale, scale) and v in [-1, 1), at each of the tiles. */
static void check_seeded(int T, int d, float scale, const int *tiles,
                         int n_tiles, const char *kind)
{
    const long n = (long)T * d;
    float *q = random_floats(n, -scale, scale),
          *k = random_floats(n, -scale, scale), *v = random_floats(n, -1, 1);
    for (int t = 0; t < n_tiles; t++)
        check_flash(q, k, v, T, d, tiles[t], NULL, kind);
    free(v);
    free(k);
    free(q);
}

LL_TEST(golden, one_row_and_head_size_one)
{
    /* T = 1 (a single key), then T = 16 with d = 1 */
    const int tiles[] = {1, 4, 16, 32};
    for (int t = 0; t < 4; t++) {
        check_golden(0, tiles[t]);
        check_golden(1, tiles[t]);
    }
    const int one[] = {1, 8};
    check_seeded(1, (int)ll_rand_int(1, 16), 1.0f, one, 2,
                 "seeded q, k, v (T = 1: out = v)");
    const int some[] = {(int)ll_rand_int(2, 8)};
    check_seeded((int)ll_rand_int(9, 30), 1, 1.0f, some, 1,
                 "seeded q, k, v (d = 1)");
}

LL_TEST(golden, partial_last_tile)
{
    /* T = 37 is a multiple of no tile; T = 64 of all of them */
    const int tiles[] = {4, 16, 32};
    for (int t = 0; t < 3; t++) {
        check_golden(2, tiles[t]);
        check_golden(3, tiles[t]);
    }
    /* seeded: a last tile of 1 .. tile - 1 rows, in a grid of 2-4 tiles */
    const int tile = (int)ll_rand_int(3, 16);
    const int T = tile * (int)ll_rand_int(1, 3) + (int)ll_rand_int(1, tile - 1);
    const int one[] = {tile};
    check_seeded(T, (int)ll_rand_int(2, 12), 1.0f, one, 1,
                 "seeded q, k, v (the last tile is partial)");
}

LL_TEST(golden, largest_head_size)
{
    check_golden(4, 16); /* T = 50, d = FLASH_MAX_D */
    check_golden(4, 32);
    const int tiles[] = {(int)ll_rand_int(5, 12)};
    check_seeded((int)ll_rand_int(20, 40), FLASH_MAX_D, 1.0f, tiles, 1,
                 "seeded q, k, v (d = FLASH_MAX_D)");
}

LL_TEST(golden, large_logits)
{
    /* scores up to ~1e4: exp overflows unless the running max is used */
    check_golden(5, 4);
    check_golden(5, 16);
    const int tiles[] = {(int)ll_rand_int(3, 8)};
    check_seeded((int)ll_rand_int(16, 32), 16, 30.0f, tiles, 1,
                 "seeded q, k in [-30, 30) (scores up to ~1e3)");
}

LL_TEST(long_sequence, matches_naive_attention)
{
    enum { T = 150, D = 32, N = T * D };
    float *q = random_floats(N, -1, 1), *k = random_floats(N, -1, 1),
          *v = random_floats(N, -1, 1);
    float *want = alloc_floats(N), *tol = alloc_floats(N);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, D, want, tol);
    }
    const int tiles[] = {7, 32};
    for (int t = 0; t < 2; t++) {
        float *out = nan_floats(N);
        char what[160];
        snprintf(what, sizeof what,
                 "flash_attention_cuda(out, q, k, v, T = %d, d = %d, tile = "
                 "%d) of seeded q, k, v (expected: attention in double)",
                 T, D, tiles[t]);
        const unsigned long long device_mark = DEVICE_MARK();
        const int err = flash_attention_cuda(out, q, k, v, T, D, tiles[t]);
        check_freed(device_mark, "flash_attention_cuda");
        LL_CHECK(err == 0, "%s: expected 0 (cudaSuccess), got %d", what, err);
        LL_CHECK_FLOATS_WITHIN(out, want, tol, N, what);
        LL_ORACLE
        {
            /* informational: how far float32 is from double */
            double worst = 0.0;
            for (int i = 0; i < N; i++)
                worst = fmax(worst, fabs((double)out[i] - want[i]));
            if (tiles[t] == 32)
                LL_METRIC("max_abs_err_vs_naive_f64", worst);
        }
        free(out);
    }
    free(tol);
    free(want);
    free(v);
    free(k);
    free(q);
}

LL_TEST(errors, invalid_arguments)
{
    const int n = 8;
    float *x = random_floats(n, -1, 1), *out = random_floats(n, -1, 1),
          *before = alloc_floats(n);
    memcpy(before, out, sizeof(float) * (size_t)n);
    const int neg = (int)ll_rand_int(-100, -1);
    const int big_d = FLASH_MAX_D + (int)ll_rand_int(1, 100);
    struct bad_call {
        int T, d, tile;
        const char *why;
    };
    const struct bad_call bad[] = {
        {0, 2, 4, "T = 0"},
        {neg, 2, 4, "T < 0"},
        {2, 0, 4, "d = 0"},
        {2, neg, 4, "d < 0"},
        {1, FLASH_MAX_D + 1, 4, "d = FLASH_MAX_D + 1"},
        {1, big_d, 4, "d > FLASH_MAX_D"},
        {2, 2, 0, "tile = 0"},
        {2, 2, neg, "tile < 0"}};
    for (int i = 0; i < 8; i++) {
        char what[160];
        snprintf(what, sizeof what,
                 "flash_attention_cuda(out, q, k, v, T = %d, d = %d, tile = "
                 "%d) (%s): cudaErrorInvalidValue (%d)",
                 bad[i].T, bad[i].d, bad[i].tile, bad[i].why,
                 ERR_INVALID_VALUE);
        const unsigned long long device_mark = DEVICE_MARK();
        LL_CHECK_INT_EQ(
            flash_attention_cuda(out, x, x, x, bad[i].T, bad[i].d, bad[i].tile),
            ERR_INVALID_VALUE, what);
        check_freed(device_mark, "flash_attention_cuda with invalid arguments");
    }
    LL_CHECK_FLOATS_NEAR(
        out, before, (size_t)n, 0.0f, 0.0f,
        "out after the invalid calls (must be left untouched)");
    free(before);
    free(out);
    free(x);
}

LL_TEST(errors, launch_failure_is_reported)
{
    /* more than 1024 threads per block: the launch fails, and only
     * cudaGetLastError() says so */
    enum { T = 1100, D = 2 };
    float *x = random_floats(T * D, -1, 1);
    float *out = alloc_floats(T * D);
    const int tile = (int)ll_rand_int(1025, 4096);
    char what[160];
    snprintf(what, sizeof what,
             "flash_attention_cuda(out, q, k, v, T = %d, d = %d, tile = %d) "
             "(more than 1024 threads per block): "
             "cudaErrorInvalidConfiguration from the launch",
             T, D, tile);
    const unsigned long long device_mark = DEVICE_MARK();
    LL_CHECK_INT_EQ(flash_attention_cuda(out, x, x, x, T, D, tile),
                    ERR_INVALID_CONFIGURATION, what);
    check_freed(device_mark, "flash_attention_cuda, whose launch fails,");
    free(out);
    free(x);

    /* the error was consumed: the next call works (cudaPeekAtLastError
     * would still report it) */
    const int tiles[] = {(int)ll_rand_int(4, 16)};
    check_seeded((int)ll_rand_int(10, 30), (int)ll_rand_int(2, 8), 1.0f, tiles,
                 1, "seeded q, k, v, right after a failed launch");
}
