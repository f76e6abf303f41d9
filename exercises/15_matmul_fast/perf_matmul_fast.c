/* perf_matmul_fast.c: the judge's timing driver for 15_matmul_fast
 * (grader/README.md, "Judge mode"). Students: you never need it; local
 * grading times your code in test_matmul_fast.c.
 *
 * One run = one timed call of matmul_fast on an n x n x n product of
 * seeded matrices (n from the case, LL_PERF_CASE), after a small warm-up
 * call on other data. The grader builds this file three times: with your
 * matmul_fast.c, with the baseline (baseline_matmul_fast.c: single-threaded
 * OpenBLAS) and with an empty stub (the cost of the driver itself); it
 * runs them in turn, each in a fresh process, reads the CPU time at the
 * two stop points from outside, and checks the timed call's result against
 * the reference solution's on the same inputs. */
#include "llmlings.h"
#include "matmul_fast.h"

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>

/* ---- OpenBLAS for the expected values (the reference's run only) -------- */

enum { ROW_MAJOR = 101, NO_TRANS = 111 }; /* CBLAS enum values */
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *,
                         int, const float *, int, float, float *, int);

static sgemm_fn load_sgemm(void)
{
    static const char *const names[] = {"libopenblas.so.0", "libopenblas.so"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !lib; i++)
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    /* not checks: the expected side runs in the reference's run only */
    if (lib == NULL)
        ll_fail(__FILE__, __LINE__,
                "could not load OpenBLAS (libopenblas.so.0): %s", dlerror());
    sgemm_fn f = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    if (f == NULL)
        ll_fail(__FILE__, __LINE__, "OpenBLAS lacks cblas_sgemm");
    return f;
}

/* want = A*B and tol = 2 * n * 2^-24 * (|A| |B|), as test_matmul_fast.c. */
static void expected_product(const float *A, const float *B, float *want,
                             float *tol, size_t n)
{
    const sgemm_fn sgemm = load_sgemm();
    float *absA = ll_alloc(n * n * sizeof *absA);
    float *absB = ll_alloc(n * n * sizeof *absB);
    for (size_t i = 0; i < n * n; i++) {
        absA[i] = fabsf(A[i]);
        absB[i] = fabsf(B[i]);
    }
    const int d = (int)n;
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, d, d, d, 1.0f, A, d, B, d, 0.0f, want,
          d);
    sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, d, d, d, 1.0f, absA, d, absB, d, 0.0f,
          tol, d);
    const double u = ldexp(1.0, -24);
    for (size_t i = 0; i < n * n; i++)
        tol[i] = (float)(2.0 * (double)n * u * tol[i] + 1e-30);
    free(absB);
    free(absA);
}

static float *seeded_floats(size_t n)
{
    float *p = ll_alloc(n * sizeof *p);
    ll_rand_floats(p, n, -1.0f, 1.0f);
    return p;
}

enum { WARM_UP_N = 48, LARGEST_N = 2048 };

LL_PERF_DRIVER(matmul_fast, speed_vs_openblas)
{
    const long long n_case = atoll(ll_perf_case("512"));
    LL_CHECK(n_case >= 1 && n_case <= LARGEST_N,
             "the perf case must be a size from 1 to 2048");
    const size_t n = (size_t)n_case, w = WARM_UP_N;
    /* the warm-up: code and small buffers in place, on other data */
    float *wA = seeded_floats(w * w), *wB = seeded_floats(w * w);
    float *wC = ll_alloc(w * w * sizeof *wC);
    matmul_fast(wA, wB, wC, w, w, w);
    float *A = seeded_floats(n * n), *B = seeded_floats(n * n);
    float *C = ll_alloc(n * n * sizeof *C);
    for (size_t i = 0; i < n * n; i++)
        C[i] = 777.0f; /* must be overwritten, not added to */

    ll_perf_begin();
    matmul_fast(A, B, C, n, n, n);
    ll_perf_end();

    float *want = ll_alloc(n * n * sizeof *want);
    float *tol = ll_alloc(n * n * sizeof *tol);
    LL_ORACLE
    {
        expected_product(A, B, want, tol, n);
    }
    LL_CHECK_FLOATS_WITHIN(C, want, tol, n * n,
                           "matmul_fast(A, B, C, n, n, n), the timed call: "
                           "C[i][j] (expected: OpenBLAS)");
    free(tol);
    free(want);
    free(C);
    free(B);
    free(A);
    free(wC);
    free(wB);
    free(wA);
}
