/* bench.cu: how fast the simulator runs the chapter's typical kernels.
 *
 *   bench [--check]
 *
 * Times one call each of the correct kernels of tests/kernels.cu (the ones
 * the simulator's tests check): a vector add of 1M floats, a shared-memory
 * reduction of 1M floats and a tiled 256x256 matmul. Each call copies in,
 * launches once and copies out; the copies are plain memcpy here, a few ms
 * next to the launch. The results are checked, and the figures printed.
 * With --check it exits 1 when a kernel is wrong or takes more than 1 s.
 */
#include "kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int report(const char *what, double ms, bool ok, bool check)
{
    printf("%-34s %9.1f ms   %s%s\n", what, ms,
           ok ? "result ok" : "WRONG RESULT",
           check && ms > 1000.0 ? "   SLOWER THAN 1 s" : "");
    return ok && !(check && ms > 1000.0) ? 0 : 1;
}

int main(int argc, char **argv)
{
    bool check = argc > 1 && strcmp(argv[1], "--check") == 0;
    int bad = 0;

    const int n = 1 << 20;
    float *x = (float *)malloc(n * sizeof(float));
    float *y = (float *)malloc(n * sizeof(float));
    float *z = (float *)malloc(n * sizeof(float));
    if (!x || !y || !z)
        return 2;
    for (int i = 0; i < n; i++) {
        x[i] = (float)(i % 1000) / 1000.0f;
        y[i] = (float)(i % 7);
    }

    double t = now_ms();
    bool ok = vecadd(x, y, z, n, 256, 1) == 0;
    double ms = now_ms() - t;
    for (int i = 0; i < n; i++)
        ok = ok && z[i] == x[i] + y[i];
    bad |= report("vector add, 1M floats", ms, ok, check);

    float sum = 0.0f;
    t = now_ms();
    ok = reduce_sum(y, n, &sum, REDUCE_SHARED) == 0;
    ms = now_ms() - t;
    double want = 0.0;
    for (int i = 0; i < n; i++)
        want += y[i];
    bad |= report("shared-memory reduction, 1M floats", ms,
                  ok && fabs(sum - want) <= 1e-6 * want, check);

    const int m = 256;
    float *A = x, *B = y, *C = z; /* reuse: 65536 elements each */
    for (int i = 0; i < m * m; i++) {
        A[i] = (float)((i * 7) % 13) - 6.0f;
        B[i] = (float)((i * 5) % 11) - 5.0f;
    }
    t = now_ms();
    ok = matmul_tiled(A, B, C, m, m, m) == 0;
    ms = now_ms() - t;
    for (int i = 0; i < m && ok; i += 17)
        for (int j = 0; j < m; j += 13) {
            float s = 0.0f; /* small integers: exact in float */
            for (int k = 0; k < m; k++)
                s += A[i * m + k] * B[k * m + j];
            ok = ok && C[i * m + j] == s;
        }
    bad |= report("tiled matmul 256x256 (16x16 tiles)", ms, ok, check);

    free(x), free(y), free(z);
    return bad;
}
