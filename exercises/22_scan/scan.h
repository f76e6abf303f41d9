/* scan.h: the host function of 22_scan (do not edit). */
#ifndef SCAN_H
#define SCAN_H

/* Elements (and threads) per block of scan_block_kernel. */
#define SCAN_BLOCK 128

/* Exclusive prefix sum on the GPU: out[0] = 0, out[i] = in[0] + ... +
 * in[i-1], for n >= 1 (host arrays). Returns a cudaError_t value as int. */
int scan_exclusive(const int *in, int *out, int n);

#endif /* SCAN_H */
