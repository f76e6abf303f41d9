/* cudasim.h: the CUDA dialect of the llmlings CPU simulator.
 *
 * A .cu file is first passed through cudasim-rewrite (launches and
 * __shared__ declarations), which puts `#include <cudasim.h>` on top; then
 * g++ compiles it as ordinary C++17 and links libcudasim. Every block runs
 * its threads as fibers, one block after another, so __syncthreads, warp
 * shuffles and shared memory behave as on a GPU, and the simulator can check
 * what a GPU silently gets wrong (divergent barriers, out-of-bounds device
 * accesses, bad shuffle masks). See hardware/cudasim/README.md.
 *
 * What is here: the execution-space keywords, dim3 and the vector types,
 * threadIdx & co, barriers, warp intrinsics, atomics, a few device math
 * intrinsics, and the runtime API an exercise needs (tensor cores and half:
 * mma.h and cuda_fp16.h). Anything else fails to
 * compile, as it should: a program that builds here must also build with
 * nvcc (the grader checks that separately when nvcc exists).
 */
#ifndef CUDASIM_H
#define CUDASIM_H

#ifndef __cplusplus
#error "cudasim.h is C++: compile .cu files (after cudasim-rewrite) with g++"
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

#define __CUDASIM__ 1

/* ---- execution spaces and qualifiers ------------------------------------ */

#define __global__
#define __device__
#define __host__
#define __constant__
#define __managed__
#define __forceinline__ inline __attribute__((always_inline))
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)
/* cudasim-rewrite turns __shared__ declarations inside functions into
 * per-block storage; this fallback only serves declarations it leaves alone
 * (file scope), which then behave like one block-wide static. */
#define __shared__ static

/* ---- index types --------------------------------------------------------- */

struct uint3 {
    unsigned int x, y, z;
};

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1,
                   unsigned int vz = 1)
        : x(vx), y(vy), z(vz)
    {
    }
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
    constexpr operator uint3() const
    {
        return uint3{x, y, z};
    }
};

/* Vector types with CUDA's sizes and alignments. */
#define CUDASIM_VEC2(T, N, A)                                                  \
    struct __attribute__((aligned(A))) N##2                                    \
    {                                                                          \
        T x, y;                                                                \
    };                                                                         \
    static inline N##2 make_##N##2(T x, T y)                                   \
    {                                                                          \
        return N##2 {x, y};                                                    \
    }
#define CUDASIM_VEC3(T, N)                                                     \
    struct N##3                                                                \
    {                                                                          \
        T x, y, z;                                                             \
    };                                                                         \
    static inline N##3 make_##N##3(T x, T y, T z)                              \
    {                                                                          \
        return N##3 {x, y, z};                                                 \
    }
#define CUDASIM_VEC4(T, N, A)                                                  \
    struct __attribute__((aligned(A))) N##4                                    \
    {                                                                          \
        T x, y, z, w;                                                          \
    };                                                                         \
    static inline N##4 make_##N##4(T x, T y, T z, T w)                         \
    {                                                                          \
        return N##4 {x, y, z, w};                                              \
    }
CUDASIM_VEC2(float, float, 8)
CUDASIM_VEC3(float, float)
CUDASIM_VEC4(float, float, 16)
CUDASIM_VEC2(int, int, 8)
CUDASIM_VEC3(int, int)
CUDASIM_VEC4(int, int, 16)
CUDASIM_VEC2(unsigned int, uint, 8)
CUDASIM_VEC4(unsigned int, uint, 16)
CUDASIM_VEC2(double, double, 16)
static inline uint3 make_uint3(unsigned x, unsigned y, unsigned z)
{
    return uint3{x, y, z};
}
#undef CUDASIM_VEC2
#undef CUDASIM_VEC3
#undef CUDASIM_VEC4

static constexpr int warpSize = 32;

/* ---- runtime types ------------------------------------------------------- */

enum cudaError {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInitializationError = 3,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidSymbol = 13,
    cudaErrorInvalidDevicePointer = 17,
    cudaErrorInvalidMemcpyDirection = 21,
    cudaErrorStubLibrary = 34,
    cudaErrorInsufficientDriver = 35,
    cudaErrorInvalidDeviceFunction = 98,
    cudaErrorNoDevice = 100,
    cudaErrorInvalidDevice = 101,
    cudaErrorInvalidResourceHandle = 400,
    cudaErrorNotReady = 600,
    cudaErrorIllegalAddress = 700,
    cudaErrorLaunchOutOfResources = 701,
    cudaErrorMisalignedAddress = 716,
    cudaErrorLaunchFailure = 719,
    cudaErrorUnknown = 999
};
typedef enum cudaError cudaError_t;

enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4
};

typedef struct cudasim_stream *cudaStream_t;
typedef struct cudasim_event *cudaEvent_t;

struct cudaDeviceProp {
    char name[256];
    size_t totalGlobalMem;
    size_t sharedMemPerBlock;
    int regsPerBlock;
    int warpSize;
    int maxThreadsPerBlock;
    int maxThreadsDim[3];
    int maxGridSize[3];
    int clockRate;
    size_t totalConstMem;
    int major;
    int minor;
    int multiProcessorCount;
    int maxThreadsPerMultiProcessor;
    size_t sharedMemPerMultiprocessor;
    int l2CacheSize;
    int memoryClockRate;
    int memoryBusWidth;
};

extern "C" {
cudaError_t cudaMalloc(void **ptr, size_t size);
cudaError_t cudaMallocManaged(void **ptr, size_t size, unsigned flags = 1);
cudaError_t cudaFree(void *ptr);
cudaError_t cudaMemcpy(void *dst, const void *src, size_t count,
                       enum cudaMemcpyKind kind);
cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t count,
                            enum cudaMemcpyKind kind, cudaStream_t s = 0);
cudaError_t cudaMemset(void *ptr, int value, size_t count);
cudaError_t cudaDeviceSynchronize(void);
cudaError_t cudaDeviceReset(void);
cudaError_t cudaGetLastError(void);
cudaError_t cudaPeekAtLastError(void);
const char *cudaGetErrorString(cudaError_t err);
const char *cudaGetErrorName(cudaError_t err);
cudaError_t cudaGetDeviceCount(int *count);
cudaError_t cudaGetDevice(int *dev);
cudaError_t cudaSetDevice(int dev);
cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *prop, int dev);
cudaError_t cudaStreamCreate(cudaStream_t *s);
cudaError_t cudaStreamDestroy(cudaStream_t s);
cudaError_t cudaStreamSynchronize(cudaStream_t s);
cudaError_t cudaEventCreate(cudaEvent_t *e);
cudaError_t cudaEventDestroy(cudaEvent_t e);
cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s = 0);
cudaError_t cudaEventSynchronize(cudaEvent_t e);
cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t start, cudaEvent_t end);
}

/* cudaMalloc and cudaMallocManaged remember where they were called, so a
 * buffer that is never freed can be named by its source line
 * (cudasimLeaksSince). The macros expand only where the name is called. */
namespace cudasim
{
cudaError_t malloc_at(void **ptr, size_t size, bool managed, const char *file,
                      int line);
static inline cudaError_t malloc_site(const char *file, int line, void **ptr,
                                      size_t size)
{
    return malloc_at(ptr, size, false, file, line); /* also NULL, 0 */
}
template <class T>
static inline cudaError_t malloc_site(const char *file, int line, T **ptr,
                                      size_t size)
{
    return malloc_at(reinterpret_cast<void **>(ptr), size, false, file, line);
}
template <class T>
static inline cudaError_t managed_site(const char *file, int line, T **ptr,
                                       size_t size, unsigned flags = 1)
{
    (void)flags;
    return malloc_at(reinterpret_cast<void **>(ptr), size, true, file, line);
}
} /* namespace cudasim */
#define cudaMalloc(...) ::cudasim::malloc_site(__FILE__, __LINE__, __VA_ARGS__)
#define cudaMallocManaged(...)                                                 \
    ::cudasim::managed_site(__FILE__, __LINE__, __VA_ARGS__)
namespace cudasim
{
/* Counts bytes copied between host and device (the counters). */
void count_copy(int kind, size_t bytes);
/* cudaMemcpyToSymbol (to_symbol) and cudaMemcpyFromSymbol: count bytes
 * between host and [symbol + offset, ...) of a symbol_size-byte variable. */
cudaError_t symbol_copy(void *symbol, size_t symbol_size, void *host,
                        size_t count, size_t offset, int kind, bool to_symbol);
} /* namespace cudasim */
/* __constant__ and __device__ variables are ordinary globals here (in the
 * device process in judge mode: see hardware/cudasim/README.md). */
template <class T>
static inline cudaError_t
cudaMemcpyToSymbol(T &symbol, const void *src, size_t count, size_t offset = 0,
                   enum cudaMemcpyKind kind = cudaMemcpyHostToDevice)
{
    return ::cudasim::symbol_copy((void *)&symbol, sizeof(T),
                                  const_cast<void *>(src), count, offset, kind,
                                  true);
}
template <class T>
static inline cudaError_t
cudaMemcpyFromSymbol(void *dst, const T &symbol, size_t count,
                     size_t offset = 0,
                     enum cudaMemcpyKind kind = cudaMemcpyDeviceToHost)
{
    return ::cudasim::symbol_copy((void *)&symbol, sizeof(T), dst, count,
                                  offset, kind, false);
}

/* ---- simulator internals used by the macros below ------------------------ */

namespace cudasim
{

/* The part of a simulated thread that inline code reads. A fiber lives in
 * one block, so these never change under a running thread. */
struct ThreadView {
    uint3 tid;
};
extern ThreadView *g_cur;
extern uint3 g_blockIdx;
extern dim3 g_blockDim, g_gridDim;

enum WarpOp {
    W_SYNC,
    W_SHFL,
    W_UP,
    W_DOWN,
    W_XOR,
    W_BALLOT,
    W_ANY,
    W_ALL,
    /* the warp-collective WMMA operations of mma.h (src/wmma.cpp) */
    W_WMMA_LOAD,
    W_WMMA_STORE,
    W_WMMA_FILL,
    W_WMMA_MMA
};
enum BarrierKind { B_PLAIN, B_COUNT, B_AND, B_OR };

int barrier(int kind, int pred, const char *file, int line);
uint64_t warp_op(int op, unsigned mask, uint64_t bits, int param, int width,
                 const char *file, int line);
unsigned active_mask(void);

/* A __shared__ declaration site: which block last placed it, and where. */
struct SharedSite {
    uint64_t epoch;
    void *ptr;
};
/* The storage of a __shared__ variable in the running block (what
 * cudasim-rewrite makes of a declaration inside a function): size and
 * alignment of its type, its name, type and declaration for messages. */
void *shared_at(SharedSite *site, size_t size, size_t align, const char *name,
                const char *type, const char *file, int line);
/* This launch's dynamic shared memory (extern __shared__ T name[]). */
void *dynamic_shared(void);

/* What cudasim-rewrite makes of `extern __shared__ T name[];` at file
 * scope: converts to a pointer to the running launch's dynamic shared
 * memory wherever it is used. */
template <class T> struct DynamicShared {
    operator T *() const
    {
        return static_cast<T *>(dynamic_shared());
    }
    template <class U> explicit operator U *() const
    {
        return static_cast<U *>(dynamic_shared());
    }
    T &operator[](ptrdiff_t i) const
    {
        return static_cast<T *>(dynamic_shared())[i];
    }
};

template <class T>
static inline T shuffle(const char *file, int line, int op, unsigned mask, T v,
                        int param, int width = 32)
{
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable<T>::value,
                  "shuffles move values of at most 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof v);
    bits = warp_op(op, mask, bits, param, width, file, line);
    T r;
    std::memcpy(&r, &bits, sizeof r);
    return r;
}

/* ---- kernel launch ------------------------------------------------------- */

struct LaunchSite {
    const char *kernel;
    const char *file;
    int line;
};

/* Checks a launch and runs body(ctx) once per thread of every block; ctx
 * (ctx_size bytes) holds the kernel and its arguments. */
void run(const LaunchSite &site, dim3 grid, dim3 block, size_t shmem,
         void (*body)(void *), void *ctx, size_t ctx_size);
/* Non-zero when p is a non-NULL pointer that is not device memory. */
int host_pointer_arg(const LaunchSite &site, int index, const void *p);

template <class T> static inline int check_arg(const LaunchSite &s, int i, T &v)
{
    if constexpr (std::is_pointer<T>::value &&
                  !std::is_function<std::remove_pointer_t<T>>::value)
        return host_pointer_arg(s, i, (const void *)v);
    (void)s, (void)i, (void)v;
    return 0;
}

template <class... P> struct Launch {
    void (*fn)(P...);
    LaunchSite site;
    dim3 grid, block;
    size_t shmem;

    struct Ctx {
        void (*fn)(P...);
        std::tuple<std::decay_t<P>...> args;
    };
    static void body(void *p)
    {
        Ctx *c = static_cast<Ctx *>(p);
        std::apply(c->fn, c->args);
    }
    template <size_t... I>
    int check_args(std::tuple<std::decay_t<P>...> &t, std::index_sequence<I...>)
    {
        return (0 + ... + check_arg(site, (int)I, std::get<I>(t)));
    }
    /* The parameters have the kernel's own types, so arguments convert at
     * the call as they do under nvcc (NULL or 0 for a pointer, an int for
     * a float); a wrong argument count is a "no match for call" error. */
    void operator()(std::decay_t<P>... a)
    {
        Ctx c{fn, std::tuple<std::decay_t<P>...>(a...)};
        if (check_args(c.args, std::index_sequence_for<P...>{}) != 0)
            return;
        run(site, grid, block, shmem, &Launch::body, &c, sizeof c);
    }
};

/* What cudasim-rewrite makes of `kernel<<<grid, block, shmem, stream>>>`. */
template <class... P>
static inline Launch<P...>
launch(void (*fn)(P...), const char *name, const char *file, int line,
       dim3 grid, dim3 block, size_t shmem = 0, cudaStream_t stream = 0)
{
    (void)stream;
    return Launch<P...>{fn, LaunchSite{name, file, line}, grid, block, shmem};
}

} /* namespace cudasim */

/* ---- simulator controls (not CUDA; for tests of the simulator) ---------- */

extern "C" {
/* Thread order inside a block and block order in a grid. */
enum cudasimOrder { cudasimForward, cudasimReverse, cudasimShuffle };
void cudasimSetOrder(enum cudasimOrder order, unsigned seed);
/* What a kernel fault (out-of-bounds, divergent barrier, bad mask) does:
 * abort the process after the message (default), or set a sticky error as
 * a GPU would. CUDASIM_ON_FAULT=abort|error sets it from the environment. */
enum cudasimFaultMode { cudasimFaultAbort, cudasimFaultError };
void cudasimSetFaultMode(enum cudasimFaultMode mode);
/* The message of the last fault or launch error ("" when none). */
const char *cudasimLastMessage(void);

/* Leak checks for tests. cudasimAllocationMark() is the number of device
 * allocations made so far; cudasimLeaksSince(mark, msg, cap) returns how
 * many allocations made after that mark are still live, and describes them
 * in msg (cut to cap, NUL-terminated): size, call and source line of each.
 * Use them around a call of the code under test:
 *
 *   unsigned long long mark = cudasimAllocationMark();
 *   vector_add(a, b, c, n);
 *   char why[512];
 *   LL_CHECK(cudasimLeaksSince(mark, why, sizeof why) == 0,
 *            "vector_add left device memory allocated: %s", why);
 *
 * (inside #ifdef __CUDASIM__: nvcc builds of the tests do not have them). */
unsigned long long cudasimAllocationMark(void);
size_t cudasimLeaksSince(unsigned long long mark, char *msg, size_t cap);

/* Race tier only (0 and nothing in the plain build): data races reported
 * so far; forget which were reported, so the same pair of lines is
 * reported again (the race tier reports each pair once). */
unsigned long cudasimRaceReports(void);
void cudasimRaceForget(void);

/* Memory-traffic counters, defined as Nsight Compute defines them (the
 * metric each corresponds to is in hardware/cudasim/README.md, "Memory-
 * traffic counters"). A warp instruction is one request; global memory is
 * what cudaMalloc returned, moved in 32-byte sectors; shared memory has 32
 * banks of 4 bytes, and a bank conflict is a wavefront beyond the one per
 * phase a conflict-free request needs. Counts are exact and the same in
 * every thread order. CUDASIM_COUNTERS=1 prints them for every launch. */
struct cudasimCounters {
    unsigned long long launches;
    unsigned long long global_load_requests, global_load_sectors,
        global_load_bytes;
    unsigned long long global_store_requests, global_store_sectors,
        global_store_bytes;
    unsigned long long global_atomic_requests, global_atomic_sectors;
    unsigned long long shared_load_requests, shared_load_wavefronts,
        shared_load_bank_conflicts;
    unsigned long long shared_store_requests, shared_store_wavefronts,
        shared_store_bank_conflicts;
    unsigned long long shared_atomic_requests;
    /* warp-level branches whose lanes went different ways */
    unsigned long long divergent_branches;
    /* shared memory of one block, static and dynamic (the largest of the
     * launches summed up) */
    unsigned long long shared_bytes_per_block;
    /* cudaMemcpy & co (not part of a launch's own counts) */
    unsigned long long bytes_host_to_device, bytes_device_to_host,
        bytes_device_to_device;
    /* accesses too many to record (0 when the counts are complete) */
    unsigned long long uncounted_accesses;
    /* warp-level wmma::mma_sync calls (mma.h): one 16x16x16 product on
     * the tensor cores each, 4096 multiply-adds */
    unsigned long long tensor_mma_sync;
};
/* 1 when the kernels are counted: their .cu files were compiled with the
 * simulator's instrumentation (the plain build of cudasim-cc, the grader
 * and hardware/Makefile do that; the race tier does not count). */
int cudasimCountersAvailable(void);
/* Starts the running total afresh. */
void cudasimCountersReset(void);
/* The sum over the launches (and copies) since the last reset. */
void cudasimCountersGet(struct cudasimCounters *since_reset);
/* The counts of the last launch that completed. */
void cudasimCountersLastLaunch(struct cudasimCounters *last);
}

/* ---- built-in variables ---------------------------------------------------
 */

#define threadIdx (static_cast<const uint3 &>(::cudasim::g_cur->tid))
#define blockIdx (static_cast<const uint3 &>(::cudasim::g_blockIdx))
#define blockDim (static_cast<const dim3 &>(::cudasim::g_blockDim))
#define gridDim (static_cast<const dim3 &>(::cudasim::g_gridDim))

/* ---- barriers and warp intrinsics --------------------------------------- */

#define __syncthreads()                                                        \
    ((void)::cudasim::barrier(::cudasim::B_PLAIN, 1, __FILE__, __LINE__))
#define __syncthreads_count(p)                                                 \
    ::cudasim::barrier(::cudasim::B_COUNT, !!(p), __FILE__, __LINE__)
#define __syncthreads_and(p)                                                   \
    ::cudasim::barrier(::cudasim::B_AND, !!(p), __FILE__, __LINE__)
#define __syncthreads_or(p)                                                    \
    ::cudasim::barrier(::cudasim::B_OR, !!(p), __FILE__, __LINE__)

#define __syncwarp(...)                                                        \
    ((void)::cudasim::warp_op(::cudasim::W_SYNC,                               \
                              ::cudasim::syncwarp_mask(__VA_ARGS__), 0, 0, 32, \
                              __FILE__, __LINE__))
#define __shfl_sync(...)                                                       \
    ::cudasim::shuffle(__FILE__, __LINE__, ::cudasim::W_SHFL, __VA_ARGS__)
#define __shfl_up_sync(...)                                                    \
    ::cudasim::shuffle(__FILE__, __LINE__, ::cudasim::W_UP, __VA_ARGS__)
#define __shfl_down_sync(...)                                                  \
    ::cudasim::shuffle(__FILE__, __LINE__, ::cudasim::W_DOWN, __VA_ARGS__)
#define __shfl_xor_sync(...)                                                   \
    ::cudasim::shuffle(__FILE__, __LINE__, ::cudasim::W_XOR, __VA_ARGS__)
#define __ballot_sync(mask, pred)                                              \
    ((unsigned)::cudasim::warp_op(::cudasim::W_BALLOT, (mask), !!(pred), 0,    \
                                  32, __FILE__, __LINE__))
#define __any_sync(mask, pred)                                                 \
    ((int)::cudasim::warp_op(::cudasim::W_ANY, (mask), !!(pred), 0, 32,        \
                             __FILE__, __LINE__))
#define __all_sync(mask, pred)                                                 \
    ((int)::cudasim::warp_op(::cudasim::W_ALL, (mask), !!(pred), 0, 32,        \
                             __FILE__, __LINE__))
#define __activemask() (::cudasim::active_mask())

namespace cudasim
{
static inline unsigned syncwarp_mask(unsigned m = 0xffffffffu)
{
    return m;
}
} /* namespace cudasim */

/* Fibers of one OS thread never run at the same time; the fence still
 * orders memory for the compiler. The race tier does not count a fence as
 * synchronisation: fence-and-flag protocols between blocks are reported. */
static inline void __threadfence(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
static inline void __threadfence_block(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* ---- atomics (relaxed, as on a GPU) -------------------------------------- */

namespace cudasim
{
/* One atomic of a warp's lane, for the memory-traffic counters (the
 * compare-and-swap loops below are one instruction on a GPU). Inlined, so
 * the caller's address identifies the atomic in the kernel. */
void atomic_note(const void *addr, size_t size);
} /* namespace cudasim */
#define CUDASIM_ATOMIC_FN static inline __attribute__((always_inline))
#define CUDASIM_NOTE_ATOMIC(a) ::cudasim::atomic_note((a), sizeof *(a))

#define CUDASIM_ATOMIC_INT(T)                                                  \
    CUDASIM_ATOMIC_FN T atomicAdd(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_fetch_add(a, v, __ATOMIC_RELAXED);                     \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicSub(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_fetch_sub(a, v, __ATOMIC_RELAXED);                     \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicExch(T *a, T v)                                  \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_exchange_n(a, v, __ATOMIC_RELAXED);                    \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicCAS(T *a, T cmp, T v)                            \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        __atomic_compare_exchange_n(a, &cmp, v, false, __ATOMIC_RELAXED,       \
                                    __ATOMIC_RELAXED);                         \
        return cmp;                                                            \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicMax(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        T old = __atomic_load_n(a, __ATOMIC_RELAXED);                          \
        while (old < v && !__atomic_compare_exchange_n(a, &old, v, true,       \
                                                       __ATOMIC_RELAXED,       \
                                                       __ATOMIC_RELAXED)) {    \
        }                                                                      \
        return old;                                                            \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicMin(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        T old = __atomic_load_n(a, __ATOMIC_RELAXED);                          \
        while (old > v && !__atomic_compare_exchange_n(a, &old, v, true,       \
                                                       __ATOMIC_RELAXED,       \
                                                       __ATOMIC_RELAXED)) {    \
        }                                                                      \
        return old;                                                            \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicAnd(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_fetch_and(a, v, __ATOMIC_RELAXED);                     \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicOr(T *a, T v)                                    \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_fetch_or(a, v, __ATOMIC_RELAXED);                      \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicXor(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        return __atomic_fetch_xor(a, v, __ATOMIC_RELAXED);                     \
    }
CUDASIM_ATOMIC_INT(int)
CUDASIM_ATOMIC_INT(unsigned int)
CUDASIM_ATOMIC_INT(unsigned long long)
#undef CUDASIM_ATOMIC_INT

/* Floating-point atomics: a compare-and-swap loop on the bits. */
#define CUDASIM_ATOMIC_FLOAT(T, U)                                             \
    CUDASIM_ATOMIC_FN T atomicAdd(T *a, T v)                                   \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        U *p = reinterpret_cast<U *>(a);                                       \
        U old = __atomic_load_n(p, __ATOMIC_RELAXED), upd;                     \
        T f;                                                                   \
        do {                                                                   \
            std::memcpy(&f, &old, sizeof f);                                   \
            f += v;                                                            \
            std::memcpy(&upd, &f, sizeof f);                                   \
        } while (!__atomic_compare_exchange_n(                                 \
            p, &old, upd, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED));          \
        std::memcpy(&f, &old, sizeof f);                                       \
        return f;                                                              \
    }                                                                          \
    CUDASIM_ATOMIC_FN T atomicExch(T *a, T v)                                  \
    {                                                                          \
        CUDASIM_NOTE_ATOMIC(a);                                                \
        U bits;                                                                \
        std::memcpy(&bits, &v, sizeof v);                                      \
        bits = __atomic_exchange_n(reinterpret_cast<U *>(a), bits,             \
                                   __ATOMIC_RELAXED);                          \
        T r;                                                                   \
        std::memcpy(&r, &bits, sizeof r);                                      \
        return r;                                                              \
    }
CUDASIM_ATOMIC_FLOAT(float, uint32_t)
CUDASIM_ATOMIC_FLOAT(double, uint64_t)
#undef CUDASIM_ATOMIC_FLOAT

CUDASIM_ATOMIC_FN unsigned atomicInc(unsigned *a, unsigned limit)
{
    CUDASIM_NOTE_ATOMIC(a);
    unsigned old = __atomic_load_n(a, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(a, &old, old >= limit ? 0 : old + 1,
                                        true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
    }
    return old;
}

/* ---- device math and bit intrinsics -------------------------------------- */

#define CUDASIM_MINMAX(T)                                                      \
    static inline T min(T a, T b)                                              \
    {                                                                          \
        return b < a ? b : a;                                                  \
    }                                                                          \
    static inline T max(T a, T b)                                              \
    {                                                                          \
        return a < b ? b : a;                                                  \
    }
CUDASIM_MINMAX(int)
CUDASIM_MINMAX(unsigned int)
CUDASIM_MINMAX(long long)
CUDASIM_MINMAX(unsigned long long)
CUDASIM_MINMAX(float)
CUDASIM_MINMAX(double)
#undef CUDASIM_MINMAX
static inline unsigned min(int a, unsigned b)
{
    return min((unsigned)a, b);
}
static inline unsigned min(unsigned a, int b)
{
    return min(a, (unsigned)b);
}
static inline unsigned max(int a, unsigned b)
{
    return max((unsigned)a, b);
}
static inline unsigned max(unsigned a, int b)
{
    return max(a, (unsigned)b);
}

static inline float rsqrtf(float x)
{
    return 1.0f / sqrtf(x);
}
static inline double rsqrt(double x)
{
    return 1.0 / sqrt(x);
}
/* glibc's math.h already declares these names (C linkage, noexcept) without
 * exporting them; the definitions below complete those declarations. */
extern "C" {
inline float __expf(float x) noexcept
{
    return expf(x);
}
inline float __logf(float x) noexcept
{
    return logf(x);
}
inline float __sinf(float x) noexcept
{
    return sinf(x);
}
inline float __cosf(float x) noexcept
{
    return cosf(x);
}
inline float __powf(float x, float y) noexcept
{
    return powf(x, y);
}
}
static inline float __fdividef(float x, float y)
{
    return x / y;
}
static inline float __saturatef(float x)
{
    return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x);
}
static inline float __fmaf_rn(float a, float b, float c)
{
    return fmaf(a, b, c);
}
static inline float __fadd_rn(float a, float b)
{
    return a + b;
}
static inline float __fmul_rn(float a, float b)
{
    return a * b;
}
static inline int __float2int_rn(float x)
{
    return (int)nearbyintf(x);
}
static inline int __float2int_rz(float x)
{
    return (int)x;
}
static inline float __int2float_rn(int x)
{
    return (float)x;
}
static inline int __float_as_int(float x)
{
    int r;
    std::memcpy(&r, &x, sizeof r);
    return r;
}
static inline unsigned __float_as_uint(float x)
{
    unsigned r;
    std::memcpy(&r, &x, sizeof r);
    return r;
}
static inline float __int_as_float(int x)
{
    float r;
    std::memcpy(&r, &x, sizeof r);
    return r;
}
static inline float __uint_as_float(unsigned x)
{
    float r;
    std::memcpy(&r, &x, sizeof r);
    return r;
}
static inline int __popc(unsigned x)
{
    return __builtin_popcount(x);
}
static inline int __popcll(unsigned long long x)
{
    return __builtin_popcountll(x);
}
static inline int __clz(int x)
{
    return x == 0 ? 32 : __builtin_clz((unsigned)x);
}
static inline int __ffs(int x)
{
    return __builtin_ffs(x);
}
static inline unsigned __brev(unsigned x)
{
    unsigned r = 0;
    for (int i = 0; i < 32; i++, x >>= 1)
        r = (r << 1) | (x & 1u);
    return r;
}
template <class T> static inline T __ldg(const T *p)
{
    return *p;
}
long long clock64(void);

#endif /* CUDASIM_H */
