/* softmax_rows.h: the host functions of 24_softmax_rows (do not edit). */
#ifndef SOFTMAX_ROWS_H
#define SOFTMAX_ROWS_H

/* Threads per block; one block per row. */
#define SOFTMAX_BLOCK 128

/* y[r][c] = exp(x[r][c] - max_r) / sum over c' of exp(x[r][c'] - max_r),
 * for a rows x cols row-major matrix (host arrays, rows, cols >= 1).
 * Returns a cudaError_t value as int (0 = success). */

/* Three passes over each row: the max, the sum of exponentials, the
 * output. */
int softmax_rows_safe(const float *x, float *y, int rows, int cols);

/* Online: ONE pass keeps a running max and a running sum (rescaled when
 * the max grows), then the output pass. */
int softmax_rows_online(const float *x, float *y, int rows, int cols);

#endif /* SOFTMAX_ROWS_H */
