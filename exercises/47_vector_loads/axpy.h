/* axpy.h: the function of 47_vector_loads (do not edit). */
#ifndef AXPY_H
#define AXPY_H

/* y[i] = a * x[i] + y[i] for 0 <= i < n. x and y are device pointers to
 * floats inside buffers from cudaMalloc (which are 256-byte aligned), but
 * not necessarily at their start: they may be any number of floats in,
 * and have the same address modulo 16 (the same misalignment); they do not
 * overlap. n >= 1. Launches the kernel(s) and returns cudaGetLastError()
 * as int (0 = cudaSuccess); the caller waits. */
int axpy(float a, const float *x, float *y, int n);

#endif /* AXPY_H */
