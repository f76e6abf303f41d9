/* mma.h: the WMMA (warp matrix multiply-accumulate) API of the llmlings
 * CUDA simulator: CUDA's tensor cores, functionally.
 *
 * namespace nvcuda::wmma, shape 16x16x16 only:
 *   fragment<matrix_a, 16, 16, 16, half, row_major | col_major>   A (16x16)
 *   fragment<matrix_b, 16, 16, 16, half, row_major | col_major>   B (16x16)
 *   fragment<accumulator, 16, 16, 16, float | half>               C, D
 *   load_matrix_sync(frag, ptr, ldm)              (matrix_a, matrix_b)
 *   load_matrix_sync(frag, ptr, ldm, mem_row_major | mem_col_major)
 *   store_matrix_sync(ptr, frag, ldm, mem_row_major | mem_col_major)
 *   fill_fragment(frag, value)
 *   mma_sync(d, a, b, c)                          D = A B + C
 *
 * Semantics, exact: half inputs; each product of two halves is exact in
 * float, and D[i][j] = C[i][j] + sum over k = 0..15 of A[i][k] B[k][j] is
 * accumulated in float in that order of k (a half accumulator rounds the
 * float result to half once per mma_sync). A GPU's tensor cores add in
 * their own order and rounding, so compare with a tolerance.
 *
 * Warp-collective, as in CUDA: all 32 lanes of a warp must call each
 * *_sync operation (and fill_fragment) at the same line with the same
 * pointer, ldm, layout and value. The simulator checks that and stops the
 * kernel with a message otherwise (a lane that skips the call or exits, a
 * lane that passes another ldm, a warp of fewer than 32 threads). As CUDA
 * requires, ptr must be 32-byte (256-bit) aligned and ldm a multiple of
 * 16 bytes (8 halves, 4 floats); both are checked.
 *
 * Each lane's fragment holds num_elements = 8 of the tile's 256 elements;
 * which ones is unspecified in CUDA (here: element i of lane l is number
 * 32 i + l of the tile, in the order it is stored in memory). Operations
 * that treat every element alike (scaling x[i], for example) are portable.
 *
 * Memory traffic (the counters): lane l loads or stores its element i at
 * the i-th of 8 warp instructions, so a load of a row-major 16x16 half
 * tile is 8 requests of 2 rows each (16 sectors when rows are 32-byte
 * aligned), a float tile 8 requests and 32 sectors; see
 * hardware/cudasim/README.md, "Tensor cores (WMMA)".
 */
#ifndef CUDASIM_MMA_H
#define CUDASIM_MMA_H

#include "cuda_fp16.h"
#include "cudasim.h"

namespace cudasim
{
namespace wmma_impl
{
/* src/wmma.cpp. Element sizes: 2 (half) or 4 (float); col_major: the
 * tile's elements are stored column after column. */
void load(void *x, const void *ptr, unsigned ldm, unsigned elem, bool col_major,
          const char *file, int line);
void store(void *ptr, const void *x, unsigned ldm, unsigned elem,
           bool col_major, const char *file, int line);
void fill(void *x, const void *value, unsigned elem, const char *file,
          int line);
void mma(void *d, const void *a, const void *b, const void *c, bool a_col,
         bool b_col, unsigned acc_elem, const char *file, int line);
template <class T> static constexpr unsigned elem_size()
{
    return (unsigned)sizeof(T);
}
} /* namespace wmma_impl */
} /* namespace cudasim */

namespace nvcuda
{
namespace wmma
{

struct matrix_a {
};
struct matrix_b {
};
struct accumulator {
};
struct row_major {
};
struct col_major {
};
enum layout_t { mem_row_major, mem_col_major };

template <class Use, int M, int N, int K, class T, class Layout = void>
class fragment
{
    static_assert(M == 16 && N == 16 && K == 16,
                  "cudasim's wmma supports the 16x16x16 shape only");
    static_assert(std::is_same<Use, accumulator>::value ||
                      std::is_same<T, __half>::value,
                  "matrix_a and matrix_b fragments hold half (__half)");
    static_assert(!std::is_same<Use, accumulator>::value ||
                      std::is_same<T, float>::value ||
                      std::is_same<T, __half>::value,
                  "accumulator fragments hold float or half");
    static_assert(std::is_same<Use, accumulator>::value ==
                      std::is_same<Layout, void>::value,
                  "matrix_a and matrix_b fragments need a layout (row_major "
                  "or col_major); accumulators take none (the layout is "
                  "given to load_matrix_sync and store_matrix_sync)");

  public:
    enum { num_elements = 8 };
    T x[num_elements];
};

/* Inlined into the caller, so the accesses a call makes are attributed to
 * the caller's line (the race tier's reports, fault messages). */
#define CUDASIM_WMMA_FN static inline __attribute__((always_inline))

/* matrix_a, matrix_b */
template <class Use, class T, class Layout>
CUDASIM_WMMA_FN void load_matrix_sync(fragment<Use, 16, 16, 16, T, Layout> &a,
                                      const T *mptr, unsigned ldm,
                                      const char *file = __builtin_FILE(),
                                      int line = __builtin_LINE())
{
    ::cudasim::wmma_impl::load(a.x, mptr, ldm,
                               ::cudasim::wmma_impl::elem_size<T>(), false,
                               file, line);
}

/* accumulator */
template <class T>
CUDASIM_WMMA_FN void
load_matrix_sync(fragment<accumulator, 16, 16, 16, T, void> &a, const T *mptr,
                 unsigned ldm, layout_t layout,
                 const char *file = __builtin_FILE(),
                 int line = __builtin_LINE())
{
    ::cudasim::wmma_impl::load(a.x, mptr, ldm,
                               ::cudasim::wmma_impl::elem_size<T>(),
                               layout == mem_col_major, file, line);
}

template <class T>
CUDASIM_WMMA_FN void
store_matrix_sync(T *mptr, const fragment<accumulator, 16, 16, 16, T, void> &a,
                  unsigned ldm, layout_t layout,
                  const char *file = __builtin_FILE(),
                  int line = __builtin_LINE())
{
    ::cudasim::wmma_impl::store(mptr, a.x, ldm,
                                ::cudasim::wmma_impl::elem_size<T>(),
                                layout == mem_col_major, file, line);
}

template <class Use, class T, class Layout, class V>
CUDASIM_WMMA_FN void
fill_fragment(fragment<Use, 16, 16, 16, T, Layout> &a, const V &v,
              const char *file = __builtin_FILE(), int line = __builtin_LINE())
{
    const T value = T(v);
    ::cudasim::wmma_impl::fill(
        a.x, &value, ::cudasim::wmma_impl::elem_size<T>(), file, line);
}

template <class LA, class LB, class TC>
CUDASIM_WMMA_FN void
mma_sync(fragment<accumulator, 16, 16, 16, TC, void> &d,
         const fragment<matrix_a, 16, 16, 16, __half, LA> &a,
         const fragment<matrix_b, 16, 16, 16, __half, LB> &b,
         const fragment<accumulator, 16, 16, 16, TC, void> &c,
         bool satf = false, const char *file = __builtin_FILE(),
         int line = __builtin_LINE())
{
    (void)satf;
    ::cudasim::wmma_impl::mma(
        d.x, a.x, b.x, c.x, std::is_same<LA, col_major>::value,
        std::is_same<LB, col_major>::value,
        ::cudasim::wmma_impl::elem_size<TC>(), file, line);
}

} /* namespace wmma */
} /* namespace nvcuda */

#endif /* CUDASIM_MMA_H */
