/* histogram.h: the host function of 21_histogram (do not edit). */
#ifndef HISTOGRAM_H
#define HISTOGRAM_H

#define HIST_BINS 256    /* one bin per byte value */
#define HIST_BLOCKS 4    /* the grid the host code launches: small on */
#define HIST_THREADS 128 /* purpose, so each thread loops over many bytes */

/* hist[v] = how many of data[0..n-1] equal v, for v = 0..255, computed on
 * the GPU; data and hist are host arrays. Returns a cudaError_t value as
 * int (0 = success). */
int histogram(const unsigned char *data, int n, unsigned *hist);

#endif /* HISTOGRAM_H */
