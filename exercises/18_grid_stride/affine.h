/* affine.h: the host function of 18_grid_stride (do not edit). */
#ifndef AFFINE_H
#define AFFINE_H

/* A 2-D launch shape: grid_x * grid_y blocks of block_x * block_y threads.
 * x runs along the columns (neighbouring threads, neighbouring floats). */
struct launch2d {
    unsigned grid_x, grid_y;
    unsigned block_x, block_y;
};

/* y[r][c] = scale * x[r][c] + bias[c] for a rows x cols row-major matrix,
 * computed on the GPU with the launch shape cfg, whatever it is: a grid
 * smaller than the matrix, larger than it, or a single thread. x, bias and
 * y are host arrays. Returns a cudaError_t value as int (0 = success). */
int affine_rows(const float *x, const float *bias, float *y, int rows, int cols,
                float scale, struct launch2d cfg);

#endif /* AFFINE_H */
