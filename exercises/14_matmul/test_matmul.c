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

/* A rows x cols matrix of seeded values in [-1, 1) with leading dimension
 * ld; the padding columns hold NaN, so reading them poisons the result. */
static float *random_matrix(size_t rows, size_t cols, size_t ld)
{
    float *m = ll_alloc(rows * ld * sizeof *m);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < ld; c++)
            m[r * ld + c] = c < cols ? ll_rand_float(-1.0f, 1.0f) : NAN;
    return m;
}

static float *alloc_floats(size_t n)
{
    return ll_alloc(n * sizeof(float));
}

/* The expected M x N product and its error bound per element (see the
 * header comment), both from OpenBLAS. */
static void oracle(bool ta, bool tb, size_t M, size_t N, size_t K,
                   const float *A, size_t lda, const float *B, size_t ldb,
                   float *want, float *tol)
{
    const size_t arows = ta ? K : M, brows = tb ? N : K;
    float *absA = alloc_floats(arows * lda), *absB = alloc_floats(brows * ldb);
    for (size_t i = 0; i < arows * lda; i++)
        absA[i] = isnan(A[i]) ? 0.0f : fabsf(A[i]);
    for (size_t i = 0; i < brows * ldb; i++)
        absB[i] = isnan(B[i]) ? 0.0f : fabsf(B[i]);
    const CBLAS_TRANSPOSE TA = ta ? CblasTrans : CblasNoTrans,
                          TB = tb ? CblasTrans : CblasNoTrans;
    cblas_sgemm(CblasRowMajor, TA, TB, (int)M, (int)N, (int)K, 1.0f, A,
                (int)lda, B, (int)ldb, 0.0f, want, (int)N);
    cblas_sgemm(CblasRowMajor, TA, TB, (int)M, (int)N, (int)K, 1.0f, absA,
                (int)lda, absB, (int)ldb, 0.0f, tol, (int)N);
    const double u = ldexp(1.0, -24);
    for (size_t i = 0; i < M * N; i++)
        tol[i] = (float)(2.0 * (double)K * u * tol[i] + 1e-30);
    free(absB);
    free(absA);
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
    float *C = alloc_floats(M * ldc);
    for (size_t i = 0; i < M * ldc; i++)
        C[i] = 777.0f; /* must be overwritten, not added to */
    if (plain)
        matmul(A, B, C, M, N, K);
    else
        matmul_ex(ta, tb, M, N, K, A, lda, B, ldb, C, ldc);

    /* C's M x N block, and its padding columns, each gathered in order */
    float *got = alloc_floats(M * N), *got_pad = alloc_floats(M * pad);
    for (size_t i = 0; i < M; i++)
        for (size_t j = 0; j < ldc; j++) {
            if (j < N)
                got[i * N + j] = C[i * ldc + j];
            else
                got_pad[i * pad + (j - N)] = C[i * ldc + j];
        }
    float *want = alloc_floats(M * N), *tol = alloc_floats(M * N);
    float *want_pad = alloc_floats(M * pad);
    LL_ORACLE
    {
        oracle(ta, tb, M, N, K, A, lda, B, ldb, want, tol);
        for (size_t i = 0; i < M * pad; i++)
            want_pad[i] = 777.0f;
    }
    char what[200];
    snprintf(what, sizeof what,
             "%s(trans_a=%d, trans_b=%d, M=%zu, N=%zu, K=%zu, lda=%zu, "
             "ldb=%zu, ldc=%zu): C[i][j] (element [i*N + j]; expected: "
             "cblas_sgemm)",
             plain ? "matmul" : "matmul_ex", ta, tb, M, N, K, lda, ldb, ldc);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, M * N, what);
    snprintf(what, sizeof what,
             "matmul_ex(M=%zu, N=%zu, ldc=%zu): C's columns past N (element "
             "[i*(ldc-N) + j-N]) must stay untouched (777)",
             M, N, ldc);
    LL_CHECK_FLOATS_NEAR(got_pad, want_pad, M * pad, 0.0f, 0.0f, what);
    free(want_pad);
    free(tol);
    free(want);
    free(got_pad);
    free(got);
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

    /* seeded: K = 0, and M = 0 or N = 0 (nothing to write), through
     * matmul_ex with seeded transposes and padding: C's first N columns
     * become 0, the rest stays 777 */
    const bool ta = ll_rand_int(0, 1), tb = ll_rand_int(0, 1);
    const size_t m = (size_t)ll_rand_int(1, 9), n = (size_t)ll_rand_int(1, 9);
    const size_t pad = (size_t)ll_rand_int(1, 3);
    const size_t lda = (ta ? m : 0) + pad, ldb = (tb ? 0 : n) + pad;
    float *C = alloc_floats(m * (n + pad));
    for (size_t i = 0; i < m * (n + pad); i++)
        C[i] = 777.0f;
    matmul_ex(ta, tb, m, n, 0, dummy, lda, dummy, ldb, C, n + pad);
    float *want = alloc_floats(m * (n + pad));
    LL_ORACLE
    {
        for (size_t i = 0; i < m * (n + pad); i++)
            want[i] = i % (n + pad) < n ? 0.0f : 777.0f;
    }
    char what[200];
    snprintf(what, sizeof what,
             "matmul_ex(trans_a=%d, trans_b=%d, M=%zu, N=%zu, K=0, ldc=%zu): "
             "all of C (element [i*ldc + j]; 0 in the first N columns, the "
             "padding untouched)",
             ta, tb, m, n, n + pad);
    LL_CHECK_FLOATS_NEAR(C, want, m * (n + pad), 0.0f, 0.0f, what);
    float *X = alloc_floats(m * (n + pad)); /* an m x n block, ld n+pad */
    for (size_t i = 0; i < m * (n + pad); i++)
        X[i] = NAN;
    matmul_ex(false, false, 0, n, m, X, m, X, n + pad, C, n + pad);
    matmul_ex(false, false, m, 0, n, X, n + pad, X, 1, C, pad);
    free(X);
    snprintf(what, sizeof what,
             "C after matmul_ex with M=0, then with N=0 (nothing to write: "
             "C must stay as it was)");
    LL_CHECK_FLOATS_NEAR(C, want, m * (n + pad), 0.0f, 0.0f, what);
    free(want);
    free(C);
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
