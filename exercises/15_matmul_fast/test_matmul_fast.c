/* Tests for 15_matmul_fast. Students: read them, do not edit them.
 *
 * Correctness first: every result is compared with OpenBLAS sgemm using the
 * tolerance of 14_matmul (2 * K * 2^-24 * (|A| |B|)_ij per element; see
 * test_matmul.c for why). Then speed_vs_openblas times your matmul_fast
 * and single-threaded OpenBLAS in this same process, alternating between
 * the two, and reports the median time ratio. The test itself passes on
 * correctness alone; the grader turns the ratio into points with the tiers
 * in exercises/manifest.json.
 *
 * OpenBLAS is loaded with dlopen instead of being linked, so matmul_fast
 * cannot simply call it. The matrices hold seeded values (ll_rand_*), and
 * two correctness cases draw their shapes: when it grades, the grader may
 * pick others than the ones you see. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "llmlings.h"
#include "matmul_fast.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* ---- OpenBLAS, loaded at run time --------------------------------------- */

enum { ROW_MAJOR = 101, NO_TRANS = 111 }; /* CBLAS enum values */
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *,
                         int, const float *, int, float, float *, int);
typedef void (*set_threads_fn)(int);

static sgemm_fn blas_sgemm;

static void load_openblas(void)
{
    if (blas_sgemm != NULL)
        return;
    static const char *const names[] = {"libopenblas.so.0", "libopenblas.so",
                                        "libopenblas.dylib"};
    /* read when the library loads: no thread pool at all, so no idle
     * OpenBLAS worker competes with the measurement */
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !lib; i++)
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    LL_CHECK(lib != NULL,
             "could not load OpenBLAS (libopenblas.so.0): install "
             "libopenblas-dev (grader/scripts/setup.sh does) [%s]",
             dlerror());
    set_threads_fn set_threads =
        (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
    blas_sgemm = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    LL_CHECK(set_threads != NULL && blas_sgemm != NULL,
             "OpenBLAS lacks openblas_set_num_threads or cblas_sgemm");
    set_threads(1); /* the comparison is one thread against one thread */
}

static void ref_sgemm(const float *A, const float *B, float *C, size_t M,
                      size_t N, size_t K)
{
    blas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, (int)M, (int)N, (int)K, 1.0f, A,
               (int)(K ? K : 1), B, (int)N, 0.0f, C, (int)N);
}

/* ---- data and checks ----------------------------------------------------- */

/* Besides the fixed shapes, the tests draw shapes of their own, and all
 * the values, from the grader's seeded generator (ll_rand_*): when it
 * grades, the grader may pick others than the ones you see. */

static float *alloc_floats(size_t n)
{
    return ll_alloc(n * sizeof(float));
}

/* n seeded values in [-1, 1). */
static float *random_floats(size_t n)
{
    float *p = alloc_floats(n);
    ll_rand_floats(p, n, -1.0f, 1.0f);
    return p;
}

/* Checks C = A*B against OpenBLAS: every element within
 * 2 * K * 2^-24 * (|A| |B|)_ij (+ 1e-30), |A| |B| from OpenBLAS too. */
static void check_result(const float *A, const float *B, const float *C,
                         size_t M, size_t N, size_t K)
{
    float *want = alloc_floats(M * N), *tol = alloc_floats(M * N);
    LL_ORACLE
    {
        float *absA = alloc_floats(M * K), *absB = alloc_floats(K * N);
        for (size_t i = 0; i < M * K; i++)
            absA[i] = fabsf(A[i]);
        for (size_t i = 0; i < K * N; i++)
            absB[i] = fabsf(B[i]);
        ref_sgemm(A, B, want, M, N, K);
        ref_sgemm(absA, absB, tol, M, N, K);
        const double u = ldexp(1.0, -24);
        for (size_t i = 0; i < M * N; i++)
            tol[i] = (float)(2.0 * (double)K * u * tol[i] + 1e-30);
        free(absB);
        free(absA);
    }
    char what[160];
    snprintf(what, sizeof what,
             "matmul_fast(M=%zu, N=%zu, K=%zu): C[i][j] (element [i*N + j]; "
             "expected: OpenBLAS)",
             M, N, K);
    LL_CHECK_FLOATS_WITHIN(C, want, tol, M * N, what);
    free(tol);
    free(want);
}

static void check_case(size_t M, size_t N, size_t K)
{
    load_openblas();
    float *A = random_floats(M * K), *B = random_floats(K * N);
    float *C = alloc_floats(M * N);
    for (size_t i = 0; i < M * N; i++)
        C[i] = 777.0f; /* must be overwritten, not added to */
    matmul_fast(A, B, C, M, N, K);
    check_result(A, B, C, M, N, K);
    free(C);
    free(B);
    free(A);
}

LL_TEST(matmul_fast, correct_on_small_and_odd_shapes)
{
    /* (M, N, K): M x K times K x N */
    check_case(1, 1, 1);
    check_case(7, 5, 13);
    check_case(64, 64, 1);
    check_case(1, 1, 100);
    check_case(17, 65, 33);
    check_case(3, 300, 2);
    check_case(4, 3, 0); /* an empty sum: C = 0 */
    /* seeded: small sizes, mostly below one register tile */
    check_case((size_t)ll_rand_int(1, 40), (size_t)ll_rand_int(1, 40),
               (size_t)ll_rand_int(1, 40));
}

LL_TEST(matmul_fast, correct_on_sizes_that_are_not_tile_multiples)
{
    check_case(255, 255, 255);
    check_case(129, 67, 300);
    check_case(100, 1000, 37);
    check_case(33, 17, 1029);
    /* seeded: sizes past common block sizes (96-128 rows, 256 deep, 512
     * columns), with remainders */
    check_case((size_t)ll_rand_int(97, 230), (size_t)ll_rand_int(513, 700),
               (size_t)ll_rand_int(257, 600));
}

/* ---- speed --------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { MAX_REPS = 15 };

typedef struct timing {
    double mine, blas; /* median seconds per call */
    double ratio;      /* median over the samples of blas/mine */
} timing;

/* Times n x n x n after a correctness check that doubles as the warm-up.
 * Each sample times `calls` calls of matmul_fast, then as many of OpenBLAS
 * right after, so both see the same machine load; the ratio is the median
 * of the per-sample ratios. */
static timing time_size(size_t n)
{
    float *A = random_floats(n * n), *B = random_floats(n * n);
    float *C = alloc_floats(n * n), *R = alloc_floats(n * n);
    ref_sgemm(A, B, R, n, n, n); /* warm-up of OpenBLAS */
    double t0 = now_s();
    matmul_fast(A, B, C, n, n, n);
    const double first = now_s() - t0;
    check_result(A, B, C, n, n, n);
    /* fewer samples for a slow kernel keep the test under ~20 s; several
     * calls per sample for a fast one keep timer noise small */
    const int reps = first > 0.5 ? 3 : first > 0.1 ? 7 : MAX_REPS;
    const int calls = first >= 0.02 ? 1 : (int)(0.02 / (first + 1e-6)) + 1;
    double tm[MAX_REPS], tb[MAX_REPS], ratio[MAX_REPS];
    for (int r = 0; r < reps; r++) {
        t0 = now_s();
        for (int c = 0; c < calls; c++)
            matmul_fast(A, B, C, n, n, n);
        tm[r] = (now_s() - t0) / calls;
        t0 = now_s();
        for (int c = 0; c < calls; c++)
            ref_sgemm(A, B, R, n, n, n);
        tb[r] = (now_s() - t0) / calls;
        ratio[r] = tb[r] / tm[r];
    }
    qsort(tm, (size_t)reps, sizeof *tm, cmp_double);
    qsort(tb, (size_t)reps, sizeof *tb, cmp_double);
    qsort(ratio, (size_t)reps, sizeof *ratio, cmp_double);
    const timing t = {tm[reps / 2], tb[reps / 2], ratio[reps / 2]};
    free(R);
    free(C);
    free(B);
    free(A);
    return t;
}

/* The metric the grader scores is the MEDIAN over the sizes of the
 * per-size ratios (OpenBLAS time / your time), so one size disturbed by
 * other programs on the machine cannot decide it. */
LL_TEST(matmul_fast, speed_vs_openblas)
{
    load_openblas();
    static const size_t sizes[] = {255, 512, 1000};
    enum { NSIZES = sizeof sizes / sizeof *sizes };
    double ratios[NSIZES], gflops = 0.0, gflops_blas = 0.0;
    for (size_t s = 0; s < NSIZES; s++) {
        const size_t n = sizes[s];
        const timing t = time_size(n);
        const double flop = 2.0 * (double)n * (double)n * (double)n;
        ratios[s] = t.ratio;
        char name[32];
        snprintf(name, sizeof name, "ratio_n%zu", n);
        LL_METRIC(name, t.ratio);
        gflops = flop / t.mine * 1e-9; /* the last (largest) size is kept */
        gflops_blas = flop / t.blas * 1e-9;
        printf("n=%4zu  matmul_fast %7.2f GFLOP/s  OpenBLAS(1 thread) %7.2f "
               "GFLOP/s  ratio %.3f\n",
               n, gflops, gflops_blas, t.ratio);
    }
    qsort(ratios, NSIZES, sizeof *ratios, cmp_double);
    const double ratio = ratios[NSIZES / 2];
    printf("ratio_vs_openblas (median over sizes) %.3f\n", ratio);
    LL_METRIC("ratio_vs_openblas", ratio);
    LL_METRIC("gflops", gflops);
    LL_METRIC("gflops_openblas", gflops_blas);
}
