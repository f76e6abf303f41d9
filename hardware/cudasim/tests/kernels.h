/* kernels.h: host wrappers of the kernels in kernels.cu (the simulator's own
 * tests). Each returns a cudaError_t value as int (0 = cudaSuccess). */
#ifndef CUDASIM_TEST_KERNELS_H
#define CUDASIM_TEST_KERNELS_H

#include <stddef.h>

enum reduce_variant {
    REDUCE_SHARED,
    REDUCE_MISSING_BARRIER,
    REDUCE_MISSING_ATOMIC,
    REDUCE_SHUFFLE,
    REDUCE_WARP_NOSYNC,
    REDUCE_WARP_SYNC
};

enum sync_bug {
    BUG_BARRIER_IN_BRANCH,
    BUG_BARRIER_AFTER_RETURN,
    BUG_BARRIER_TWO_SITES,
    BUG_SHUFFLE_MASK,
    BUG_SHUFFLE_PARTIAL_WARP
};

int vecadd(const float *a, const float *b, float *c, int n, int threads,
           int guarded);
int iota_unguarded(float *out, int n, int threads);
/* Launches a kernel with NULL and 0 for pointer arguments and an int for a
 * float one, as nvcc allows; out[i] = bias (+ x[i] when x is not NULL). */
int null_and_int_args(float *out, int n);
int reduce_sum(const float *x, int n, float *out, enum reduce_variant v);
int reverse_by_block(const int *in, int *out, int n, int threads,
                     size_t shmem_bytes);
int matmul_tiled(const float *A, const float *B, float *C, int M, int N, int K);
int histogram(const unsigned char *x, int n, unsigned *hist, int use_atomic);
int warp_ops(int *res);
int sync_bug(enum sync_bug which);
int launch_shape(unsigned bx, unsigned by, unsigned bz);
/* Writes one element past the end of the first of two __shared__ arrays
 * (which: 0) or of a 2-D tile (which: 1). */
int shared_overrun(int which);
/* Allocates three device buffers and frees only the second. */
int leaky_alloc(void);
int launch_with_host_pointer(void);
int host_reads_device_pointer(void);
int memcpy_wrong_direction(void);
float event_elapsed_ms(void);

#endif
