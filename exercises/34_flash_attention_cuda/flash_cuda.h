/* flash_cuda.h: the interface of exercise 34_flash_attention_cuda (do not
 * edit).
 *
 * The tiled ("flash") causal attention of 33_flash_attention, as a CUDA
 * kernel: one thread per query row, one block per tile of `tile` rows, and
 * the keys and values streamed through shared memory one tile at a time.
 */
#ifndef FLASH_CUDA_H
#define FLASH_CUDA_H

#ifdef __cplusplus
extern "C" {
#endif

/* The largest head size the kernel supports: each thread keeps its query
 * row and its output accumulator (2 * d floats) in registers. */
#define FLASH_MAX_D 64

/* Causal attention out = softmax(q k^T / sqrt(d), causal) v for host
 * arrays q, k, v, out of T x d floats (row-major, row t = position t).
 *
 * Launch ceil(T / tile) blocks of `tile` threads; thread i of block b owns
 * query row b * tile + i (rows past T own nothing but still take part in
 * every __syncthreads). The block walks the key tiles 0, tile, 2 * tile, ...
 * that hold a key some of its rows can see, staging each tile of k and v in
 * dynamic shared memory (2 * tile * d floats), and every thread folds the
 * keys visible to its row into an online-softmax state (running max, running
 * sum, accumulator). Nothing of size T x T is ever stored.
 *
 * Returns 0 (cudaSuccess) on success. Invalid arguments (T < 1, d < 1,
 * d > FLASH_MAX_D, tile < 1) return cudaErrorInvalidValue (1) without
 * touching the GPU; any CUDA call or launch that fails returns that call's
 * error (for example cudaErrorInvalidConfiguration for tile > 1024), and
 * every device buffer allocated so far is freed on every path. */
int flash_attention_cuda(float *out, const float *q, const float *k,
                         const float *v, int T, int d, int tile);

#ifdef __cplusplus
}
#endif

#endif
