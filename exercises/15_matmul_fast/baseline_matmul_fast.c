/* baseline_matmul_fast.c: what the judge times matmul_fast against
 * (perf_matmul_fast.c): OpenBLAS sgemm on one thread. Built with
 * -DLL_PERF_NULL it is the empty stub instead, whose time is the driver's
 * own cost, taken off both sides of the ratio.
 *
 * OpenBLAS is loaded when the program starts (before the first stop
 * point), with its thread pool off, so neither its loading nor idle worker
 * threads count in the timed call. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "matmul_fast.h"

#ifdef LL_PERF_NULL

void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K)
{
    (void)A;
    (void)B;
    (void)C;
    (void)M;
    (void)N;
    (void)K;
}

#else

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111 }; /* CBLAS enum values */
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *,
                         int, const float *, int, float, float *, int);
typedef void (*set_threads_fn)(int);

static sgemm_fn blas_sgemm;

__attribute__((constructor)) static void load_openblas(void)
{
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    void *lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "baseline: could not load libopenblas.so.0: %s\n",
                dlerror());
        exit(3);
    }
    set_threads_fn set_threads =
        (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
    blas_sgemm = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    if (set_threads == NULL || blas_sgemm == NULL) {
        fprintf(stderr, "baseline: OpenBLAS lacks cblas_sgemm\n");
        exit(3);
    }
    set_threads(1);
}

void matmul_fast(const float *A, const float *B, float *C, size_t M, size_t N,
                 size_t K)
{
    blas_sgemm(ROW_MAJOR, NO_TRANS, NO_TRANS, (int)M, (int)N, (int)K, 1.0f, A,
               (int)(K ? K : 1), B, (int)N, 0.0f, C, (int)N);
}

#endif
