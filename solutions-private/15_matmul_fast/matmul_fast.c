/* 15_matmul_fast: reference solution.
 *
 * The BLIS/GotoBLAS structure in plain C17, vectorized by the compiler:
 *
 *   for jc in N by NC:            B panel  (KC x NC, packed once per pc)
 *     for pc in K by KC:
 *       pack B[pc:pc+KC, jc:jc+NC] into NR-wide strips
 *       for ic in M by MC:        A block  (MC x KC, packed, stays in L2)
 *         pack A[ic:ic+MC, pc:pc+KC] into MR-tall strips
 *         for jr in NC by NR:     one B strip (KC x NR) stays in L1
 *           for ir in MC by MR:
 *             micro-kernel: C[MR x NR] += A strip * B strip
 *
 * The micro-kernel keeps a 6 x 32 tile of C in a local array; with -O3
 * -march=native GCC 12 fully unrolls the i and j loops and keeps the tile
 * in 24 ymm registers (AVX-512VL gives 32 of them; on AVX2-only CPUs a few
 * spill and it is slower). fmaf() matters: in ISO mode (-std=c17) GCC does
 * not fuse a*b + c into one FMA instruction (-ffp-contract=off), and
 * separate multiplies and adds run at about 0.6 of the speed; with
 * -march=native fmaf() compiles to vfmadd, vectorized like the rest.
 * Packing makes both operands' inner reads
 * contiguous and zero-pads the edges, so the kernel never branches on the
 * size; only the final store is clipped.
 *
 * Measured on the development machine (Xeon Sapphire Rapids, gcc 12.2,
 * -std=c17 -O3 -march=native, OpenBLAS 0.3.21 on one thread): about 0.85-0.9
 * of OpenBLAS at n = 255, 512, 1000, 1024 (grader/bench/matmul.sh).
 */
#include "matmul_fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    MR = 6,    /* rows of the register tile */
    NR = 32,   /* columns of the register tile (4 ymm per row) */
    KC = 256,  /* depth of a packed block: a B strip is KC*NR*4 = 32 KiB */
    MC = 96,   /* rows of a packed A block: MC*KC*4 = 96 KiB (L2) */
    NC = 2048, /* columns of a packed B panel: KC*NC*4 = 2 MiB */
};

static size_t min_sz(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* A[0:mc, 0:kc] (leading dimension lda) -> MR-tall strips, each stored
 * column by column: ap[strip][p][i]. Rows past mc are zero. */
static void pack_a(size_t mc, size_t kc, const float *A, size_t lda,
                   float *restrict ap)
{
    for (size_t i0 = 0; i0 < mc; i0 += MR) {
        const size_t mr = min_sz(MR, mc - i0);
        for (size_t p = 0; p < kc; p++) {
            for (size_t i = 0; i < mr; i++)
                ap[p * MR + i] = A[(i0 + i) * lda + p];
            for (size_t i = mr; i < MR; i++)
                ap[p * MR + i] = 0.0f;
        }
        ap += MR * kc;
    }
}

/* B[0:kc, 0:nc] (leading dimension ldb) -> NR-wide strips, each stored row
 * by row: bp[strip][p][j]. Columns past nc are zero. */
static void pack_b(size_t kc, size_t nc, const float *B, size_t ldb,
                   float *restrict bp)
{
    for (size_t j0 = 0; j0 < nc; j0 += NR) {
        const size_t nr = min_sz(NR, nc - j0);
        for (size_t p = 0; p < kc; p++) {
            const float *src = B + p * ldb + j0;
            for (size_t j = 0; j < nr; j++)
                bp[p * NR + j] = src[j];
            for (size_t j = nr; j < NR; j++)
                bp[p * NR + j] = 0.0f;
        }
        bp += NR * kc;
    }
}

/* C[0:mr, 0:nr] += (A strip) * (B strip) over kc. The constant trip counts
 * of the i and j loops let the compiler unroll them completely, turn acc
 * into registers and each j row into vector FMAs with a broadcast of a.
 * (With NR = 16 GCC 12 did not keep acc in registers: check
 * -fopt-info-vec or the assembly after changing the tile.) */
static void micro_kernel(size_t kc, const float *restrict a,
                         const float *restrict b, float *restrict c, size_t ldc,
                         size_t mr, size_t nr)
{
    float acc[MR][NR] = {{0.0f}};
    for (size_t p = 0; p < kc; p++)
        for (int i = 0; i < MR; i++) {
            const float ai = a[p * MR + i];
            for (int j = 0; j < NR; j++)
                acc[i][j] = fmaf(ai, b[p * NR + j], acc[i][j]);
        }
    if (mr == MR && nr == NR) {
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++)
                c[i * ldc + j] += acc[i][j];
    } else {
        for (size_t i = 0; i < mr; i++)
            for (size_t j = 0; j < nr; j++)
                c[i * ldc + j] += acc[i][j];
    }
}

/* Used only when the packing buffers cannot be allocated. */
static void matmul_simple(const float *A, const float *B, float *C, size_t M,
                          size_t N, size_t K)
{
    for (size_t i = 0; i < M; i++)
        for (size_t p = 0; p < K; p++) {
            const float a = A[i * K + p];
            for (size_t j = 0; j < N; j++)
                C[i * N + j] += a * B[p * N + j];
        }
}

void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K)
{
    memset(C, 0, M * N * sizeof *C); /* the kernel accumulates */
    if (M == 0 || N == 0 || K == 0)
        return;
    float *ap = aligned_alloc(64, sizeof(float) * MC * KC);
    float *bp = aligned_alloc(64, sizeof(float) * KC * NC);
    if (ap == NULL || bp == NULL) {
        free(ap);
        free(bp);
        matmul_simple(A, B, C, M, N, K);
        return;
    }
    for (size_t jc = 0; jc < N; jc += NC) {
        const size_t nc = min_sz(NC, N - jc);
        for (size_t pc = 0; pc < K; pc += KC) {
            const size_t kc = min_sz(KC, K - pc);
            pack_b(kc, nc, B + pc * N + jc, N, bp);
            for (size_t ic = 0; ic < M; ic += MC) {
                const size_t mc = min_sz(MC, M - ic);
                pack_a(mc, kc, A + ic * K + pc, K, ap);
                for (size_t jr = 0; jr < nc; jr += NR)
                    for (size_t ir = 0; ir < mc; ir += MR)
                        micro_kernel(kc, ap + ir * kc, bp + jr * kc,
                                     C + (ic + ir) * N + jc + jr, N,
                                     min_sz(MR, mc - ir), min_sz(NR, nc - jr));
            }
        }
    }
    free(ap);
    free(bp);
}
