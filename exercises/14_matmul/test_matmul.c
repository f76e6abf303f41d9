/* Tests for 14_matmul. Students: read them, do not edit them.
 *
 * Expected values come from OpenBLAS cblas_sgemm. Tolerance: a float dot
 * product of K terms computed in any order has an error of at most
 * gamma_K * sum_p |a_ip * b_pj| with gamma_K ~ K * 2^-24 (Higham, Accuracy
 * and Stability of Numerical Algorithms, 3.1). Yours and OpenBLAS's each
 * have that error, so they may differ by twice that much: we allow
 *
 *     |C - C_blas| <= 2 * K * 2^-24 * (|A| |B|)_ij  (+ 1e-30)
 *
 * per element, with |A| |B| also computed by OpenBLAS. A missing or wrong
 * term is much larger than that. */
#include "llmlings.h"
#include "matmul.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>

static unsigned rng_state = 12345u;
static float rnd(void) /* uniform in [-1, 1), deterministic */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (float)(rng_state >> 8) / 8388608.0f - 1.0f;
}

/* A rows x cols matrix with leading dimension ld; the padding columns
 * hold NaN, so reading them poisons the result. */
static float *random_matrix(size_t rows, size_t cols, size_t ld)
{
    float *m = malloc((rows * ld + 1) * sizeof *m);
    LL_CHECK_NOT_NULL(m, "malloc in the test setup");
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < ld; c++)
            m[r * ld + c] = c < cols ? rnd() : NAN;
    return m;
}

static float *abs_copy(const float *m, size_t n)
{
    float *a = malloc((n + 1) * sizeof *a);
    LL_CHECK_NOT_NULL(a, "malloc in the test setup");
    for (size_t i = 0; i < n; i++)
        a[i] = isnan(m[i]) ? 0.0f : fabsf(m[i]);
    return a;
}

/* Runs matmul_ex (or matmul when plain) and compares with cblas_sgemm. */
static void check_case(bool ta, bool tb, size_t M, size_t N, size_t K,
                       size_t pad, bool plain)
{
    const size_t lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad,
                 ldc = N + pad;
    const size_t arows = ta ? K : M, acols = ta ? M : K;
    const size_t brows = tb ? N : K, bcols = tb ? K : N;
    float *A = random_matrix(arows, acols, lda);
    float *B = random_matrix(brows, bcols, ldb);
    float *C = malloc((M * ldc + 1) * sizeof *C);
    float *R = malloc((M * ldc + 1) * sizeof *R);
    float *S = malloc((M * ldc + 1) * sizeof *S);
    LL_CHECK(C && R && S, "malloc in the test setup");
    for (size_t i = 0; i < M * ldc; i++)
        C[i] = 777.0f; /* must be overwritten, not added to */
    float *absA = abs_copy(A, arows * lda), *absB = abs_copy(B, brows * ldb);
    const CBLAS_TRANSPOSE TA = ta ? CblasTrans : CblasNoTrans,
                          TB = tb ? CblasTrans : CblasNoTrans;
    cblas_sgemm(CblasRowMajor, TA, TB, (int)M, (int)N, (int)K, 1.0f, A,
                (int)lda, B, (int)ldb, 0.0f, R, (int)ldc);
    cblas_sgemm(CblasRowMajor, TA, TB, (int)M, (int)N, (int)K, 1.0f, absA,
                (int)lda, absB, (int)ldb, 0.0f, S, (int)ldc);
    if (plain)
        matmul(A, B, C, M, N, K);
    else
        matmul_ex(ta, tb, M, N, K, A, lda, B, ldb, C, ldc);

    const double u = ldexp(1.0, -24);
    for (size_t i = 0; i < M; i++) {
        for (size_t j = 0; j < N; j++) {
            const double got = C[i * ldc + j], want = R[i * ldc + j];
            const double tol = 2.0 * (double)K * u * S[i * ldc + j] + 1e-30;
            LL_CHECK(fabs(got - want) <= tol,
                     "%s(trans_a=%d, trans_b=%d, M=%zu, N=%zu, K=%zu, "
                     "lda=%zu, ldb=%zu, ldc=%zu): C[%zu][%zu] expected %.9g "
                     "(cblas_sgemm, within %.3g), got %.9g",
                     plain ? "matmul" : "matmul_ex", ta, tb, M, N, K, lda, ldb,
                     ldc, i, j, want, tol, got);
        }
        for (size_t j = N; j < ldc; j++)
            LL_CHECK(C[i * ldc + j] == 777.0f,
                     "matmul_ex(M=%zu, N=%zu, ldc=%zu): C[%zu][%zu] is past "
                     "column N and must stay untouched (777), got %g",
                     M, N, ldc, i, j, (double)C[i * ldc + j]);
    }
    free(absB);
    free(absA);
    free(S);
    free(R);
    free(C);
    free(B);
    free(A);
}

LL_TEST(matmul, one_by_one)
{
    const float a = 3.0f, b = -4.0f;
    float c = 99.0f;
    matmul(&a, &b, &c, 1, 1, 1);
    LL_CHECK_FLOAT_NEAR(c, -12.0, 0.0, "matmul of [3] and [-4] (1x1x1)");
    check_case(false, false, 1, 1, 1, 0, true);
}

LL_TEST(matmul, odd_shapes_against_openblas)
{
    /* (M, N, K): M x K times K x N */
    check_case(false, false, 7, 5, 13, 0, true);
    check_case(false, false, 64, 64, 1, 0, true);
    check_case(false, false, 1, 1, 100, 0, true);
    check_case(false, false, 33, 70, 17, 0, true);
    check_case(false, false, 70, 33, 64, 0, true);
}

LL_TEST(matmul, k_zero_gives_zeros)
{
    float c[6] = {5, 5, 5, 5, 5, 5};
    const float dummy[1] = {1.0f};
    matmul(dummy, dummy, c, 2, 3, 0);
    const float zero[6] = {0};
    LL_CHECK_FLOATS_NEAR(c, zero, 6, 0.0f, 0.0f,
                         "matmul with K = 0 (an empty sum is 0)");
    check_case(false, false, 3, 4, 2, 0, true);
}

LL_TEST(matmul, transposed_operands)
{
    check_case(true, false, 7, 5, 13, 0, false);
    check_case(false, true, 7, 5, 13, 0, false);
    check_case(true, true, 7, 5, 13, 0, false);
    check_case(true, true, 20, 31, 9, 0, false);
}

LL_TEST(matmul, leading_dimensions)
{
    /* padding columns are NaN in A and B and 777 in C */
    check_case(false, false, 7, 5, 13, 3, false);
    check_case(true, false, 16, 9, 11, 5, false);
    check_case(false, true, 10, 12, 8, 1, false);
    check_case(true, true, 5, 7, 3, 4, false);
}
