/* bench.cu: how fast the simulator runs the chapter's typical kernels.
 *
 *   bench [--check]
 *
 * Times one launch each (cudaEvent timers, which are wall-clock here) of a
 * vector add of 1M floats, a shared-memory reduction of 1M floats and a
 * tiled 256x256 matmul, checks their results, and prints the figures. With
 * --check it exits 1 when a kernel is wrong or takes more than 1 s.
 */
#include <cuda_runtime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TILE 16
#define RBLOCK 256

__global__ void vecadd(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

__global__ void reduce(const float *x, float *out, int n)
{
    __shared__ float s[RBLOCK];
    unsigned t = threadIdx.x;
    unsigned i = blockIdx.x * blockDim.x + t;
    s[t] = i < (unsigned)n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 0; step /= 2) {
        if (t < step)
            s[t] += s[t + step];
        __syncthreads();
    }
    if (t == 0)
        atomicAdd(out, s[0]);
}

__global__ void matmul(const float *A, const float *B, float *C, int n)
{
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < n; k0 += TILE) {
        As[threadIdx.y][threadIdx.x] = A[row * n + k0 + threadIdx.x];
        Bs[threadIdx.y][threadIdx.x] = B[(k0 + threadIdx.y) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++)
            acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        __syncthreads();
    }
    C[row * n + col] = acc;
}

static float *device_copy(const float *h, size_t n)
{
    float *d;
    if (cudaMalloc(&d, n * sizeof(float)) != cudaSuccess)
        exit(2);
    cudaMemcpy(d, h, n * sizeof(float), cudaMemcpyHostToDevice);
    return d;
}

struct Timer {
    cudaEvent_t a, b;
    Timer()
    {
        cudaEventCreate(&a);
        cudaEventCreate(&b);
        cudaEventRecord(a);
    }
    float stop()
    {
        cudaEventRecord(b);
        cudaEventSynchronize(b);
        float ms = 0.0f;
        cudaEventElapsedTime(&ms, a, b);
        cudaEventDestroy(a);
        cudaEventDestroy(b);
        return ms;
    }
};

static int report(const char *what, float ms, bool ok, bool check)
{
    printf("%-34s %9.1f ms   %s%s\n", what, (double)ms,
           ok ? "result ok" : "WRONG RESULT",
           check && ms > 1000.0f ? "   SLOWER THAN 1 s" : "");
    return ok && !(check && ms > 1000.0f) ? 0 : 1;
}

int main(int argc, char **argv)
{
    bool check = argc > 1 && strcmp(argv[1], "--check") == 0;
    int bad = 0;

    const int n = 1 << 20;
    float *x = (float *)malloc(n * sizeof(float));
    float *y = (float *)malloc(n * sizeof(float));
    float *z = (float *)malloc(n * sizeof(float));
    for (int i = 0; i < n; i++) {
        x[i] = (float)(i % 1000) / 1000.0f;
        y[i] = (float)(i % 7);
    }
    float *dx = device_copy(x, n), *dy = device_copy(y, n), *dz;
    cudaMalloc(&dz, n * sizeof(float));

    Timer t1;
    vecadd<<<(n + 255) / 256, 256>>>(dx, dy, dz, n);
    float ms = t1.stop();
    cudaMemcpy(z, dz, n * sizeof(float), cudaMemcpyDeviceToHost);
    bool ok = cudaGetLastError() == cudaSuccess;
    for (int i = 0; i < n; i++)
        ok = ok && z[i] == x[i] + y[i];
    bad |= report("vector add, 1M floats", ms, ok, check);

    float *dsum;
    cudaMalloc(&dsum, sizeof(float));
    cudaMemset(dsum, 0, sizeof(float));
    Timer t2;
    reduce<<<(n + RBLOCK - 1) / RBLOCK, RBLOCK>>>(dy, dsum, n);
    ms = t2.stop();
    float sum = 0.0f;
    cudaMemcpy(&sum, dsum, sizeof(float), cudaMemcpyDeviceToHost);
    double want = 0.0;
    for (int i = 0; i < n; i++)
        want += y[i];
    bad |= report("shared-memory reduction, 1M floats", ms,
                  fabs(sum - want) <= 1e-6 * want, check);

    const int m = 256;
    float *A = x, *B = y, *C = z; /* reuse: 65536 elements each */
    for (int i = 0; i < m * m; i++) {
        A[i] = (float)((i * 7) % 13) - 6.0f;
        B[i] = (float)((i * 5) % 11) - 5.0f;
    }
    float *dA = device_copy(A, m * m), *dB = device_copy(B, m * m), *dC;
    cudaMalloc(&dC, m * m * sizeof(float));
    Timer t3;
    matmul<<<dim3(m / TILE, m / TILE), dim3(TILE, TILE)>>>(dA, dB, dC, m);
    ms = t3.stop();
    cudaMemcpy(C, dC, m * m * sizeof(float), cudaMemcpyDeviceToHost);
    ok = cudaGetLastError() == cudaSuccess;
    for (int i = 0; i < m && ok; i += 17)
        for (int j = 0; j < m; j += 13) {
            float s = 0.0f; /* small integers: exact in float */
            for (int k = 0; k < m; k++)
                s += A[i * m + k] * B[k * m + j];
            ok = ok && C[i * m + j] == s;
        }
    bad |= report("tiled matmul 256x256 (16x16 tiles)", ms, ok, check);

    cudaFree(dx), cudaFree(dy), cudaFree(dz), cudaFree(dsum);
    cudaFree(dA), cudaFree(dB), cudaFree(dC);
    free(x), free(y), free(z);
    return bad;
}
