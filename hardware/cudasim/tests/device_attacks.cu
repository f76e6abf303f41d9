/* device_attacks.cu: host code and kernels that try to change judge mode's
 * device report (src/device_process.h), one per mode, for
 * tests/test_device_process.sh. Every mode first does the same honest work
 * (the hand-checked kernels of counter_kernels.cu, copies in and out) and
 * prints the in-process counts it saw as one line:
 *
 *   counts launches=N global_load_requests=N ... bytes_device_to_host=N
 *
 * then attacks. The script checks that the report on fd 3 still holds the
 * honest totals, or that the attack failed loudly.
 *
 *   device_attacks honest | reset_after | host_result | flip_host_mode |
 *                  kernel_reset | kernel_wild_store | forged_body |
 *                  forged_kernel | kill_device | host_reads_device |
 *                  honest_locals | smash_local_array | smash_own_stack |
 *                  smash_above_entry | honest_indirect | call_computed |
 *                  honest_heap | free_forged | double_free |
 *                  divide_by_zero | sample_small | sample_large |
 *                  host_result_sampled | decoy
 *
 * The sample modes copy back known values for the report's
 * "kernel_words_sample": a kernel's output (kernel value i is
 * 1000 + 0.5 * i), host-written data, and a decoy kernel next to a result
 * the host computed (host value i is 20000 + i).
 */
#include "counter_kernels.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern "C" int llmlings_gpu_origin(unsigned long long *kernel_bytes,
                                   unsigned long long *host_bytes);

namespace cudasim
{
namespace remote
{
extern bool g_host; /* device_process.h: true in a judge-mode host */
/* device_process.h: adds a launch's counts to the report's totals */
void life_add_launch(const cudasimCounters &launch);
} // namespace remote
} /* namespace cudasim */

/* Legitimate device variables: written by the host with symbol copies and
 * by kernels (judge mode must allow both). */
__constant__ float scale_by[4];
__device__ unsigned long long blocks_done;

namespace
{

constexpr int kN = 16384;

float *device_buffer(size_t n)
{
    float *d = nullptr;
    if (cudaMalloc(&d, n * sizeof(float)) != cudaSuccess)
        exit(1);
    return d;
}

__global__ void scale_kernel(float *out)
{
    out[threadIdx.x] = scale_by[threadIdx.x % 4];
    if (threadIdx.x == 0)
        atomicAdd(&blocks_done, 1ull);
}

/* Prints "device variables: ok" when symbol copies and kernel writes to
 * __device__ variables work; then tries a symbol copy into the
 * simulator's own state, which must be refused. */
int device_variables()
{
    float s[4] = {1, 2, 3, 4}, back[64];
    unsigned long long zero = 0, done = 0;
    float *d = device_buffer(64);
    int bad = cudaMemcpyToSymbol(scale_by, s, sizeof s) != cudaSuccess;
    bad |= cudaMemcpyToSymbol(blocks_done, &zero, sizeof zero) != cudaSuccess;
    scale_kernel<<<3, 64>>>(d);
    bad |=
        cudaMemcpy(back, d, sizeof back, cudaMemcpyDeviceToHost) != cudaSuccess;
    bad |= cudaMemcpyFromSymbol(&done, blocks_done, sizeof done) != cudaSuccess;
    for (int i = 0; i < 64; i++)
        bad |= back[i] != s[i % 4];
    bad |= done != 3;
    printf("device variables: %s (blocks_done %llu)\n", bad ? "WRONG" : "ok",
           done);
    dim3 forged(1, 1, 1);
    cudaError_t e =
        cudaMemcpyToSymbol(cudasim::g_blockDim, &forged, sizeof forged);
    printf("symbol copy into the simulator: %s\n",
           e == cudaErrorInvalidSymbol ? "refused" : "ACCEPTED");
    return bad;
}

__global__ void hello_kernel(int n)
{
    if ((int)threadIdx.x < n)
        printf("kernel says %u\n", threadIdx.x);
}

__global__ void reset_counters_kernel(float *out)
{
    cudasimCountersReset();
    out[threadIdx.x] = 1.0f;
}

__global__ void wild_store_kernel(float *out)
{
    /* a global variable of the simulator, through a pointer */
    unsigned *wild = reinterpret_cast<unsigned *>(&cudasim::g_blockIdx);
    wild[threadIdx.x % 3] = 7u;
    out[threadIdx.x] = 1.0f;
}

__global__ void fill_kernel(float *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = 2.0f;
}

/* Kernel value i for the sample modes: exact in float for i < 2^20. */
__global__ void ramp_kernel(float *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = 1000.0f + 0.5f * (float)i;
}

/* Same parameters as fill_kernel, but not a kernel anyone launches. */
void not_a_kernel(float *out, int n)
{
    cudasimCountersReset();
    if (n > 0)
        out[0] = 3.0f;
}

/* Where an attack that took control of the device process goes: it
 * writes a forged report on fd 3 (the descriptor test_device_process.sh
 * gives the device) and ends the process before the device writes the
 * honest one. Reached by a return, so the stack is misaligned: system
 * calls only. */
[[noreturn]] void hijacked()
{
    static const char forged[] =
        "{\"cudasim_device_report\": 1, \"launches\": 999999}\n";
    static const char said[] = "hijacked\n";
    if (write(3, forged, sizeof forged - 1) < 0 ||
        write(1, said, sizeof said - 1) < 0)
        _exit(4);
    _exit(0);
}

/* An index the compiler cannot bound (it would otherwise assume that the
 * loops below stay inside their arrays, and drop them). */
__attribute__((noipa)) int opaque(int i)
{
    return i;
}

using word = unsigned long long;

/* A pointer the compiler cannot follow (it would refuse, at compile time,
 * the frees below). */
__attribute__((noipa)) void *hide(void *p)
{
    return p;
}

/* An index past the end of a local array whose address is never taken:
 * the store is not instrumented. Replaces the kernel's return address
 * (found among the words above the array) with hijacked. */
__global__ void smash_local_array_kernel(float *out, int reach)
{
    word slots[2] = {0, 0};
    const word ret = (word)__builtin_return_address(0);
    for (int i = 0; i < reach; i++)
        if (slots[opaque(i)] == ret) {
            slots[opaque(i)] = (word)&hijacked;
            break;
        }
    out[threadIdx.x] = (float)slots[0];
}

/* An integer division by zero (SIGFPE on x86-64): a kernel fault with a
 * message, not a dead device process. */
__global__ void divide_kernel(float *out, int by)
{
    out[threadIdx.x] = (float)(100 / opaque(by));
}

/* The same through a pointer (instrumented stores into the thread's own
 * stack): replaces the word `skip` words above the kernel's return
 * address (0: the return address itself; 1: a word of the simulator's
 * frame above the kernel) with value. */
__attribute__((noipa)) void smash_through(word *p, int reach, word ret,
                                          int skip, word value)
{
    for (int i = 0; i < reach; i++)
        if (p[i] == ret) {
            p[i + skip] = value;
            return;
        }
}

__global__ void smash_own_stack_kernel(float *out, int skip)
{
    word slots[2] = {0, 0};
    smash_through(slots, 64, (word)__builtin_return_address(0), skip,
                  skip == 0 ? (word)&hijacked : 0);
    out[threadIdx.x] = (float)slots[0];
}

/* Local arrays passed to device functions, written through pointers, and
 * a struct on the stack: the stack check must let them be. */
struct Pair {
    float a[3];
    int n;
};
__attribute__((noipa)) void fill_local(float *p, int n, Pair *q)
{
    for (int i = 0; i < n; i++)
        p[i] = (float)i;
    q->a[opaque(2)] = p[n - 1];
    q->n = n;
}
__global__ void honest_locals_kernel(float *out)
{
    float local[8];
    Pair pair{};
    fill_local(local, 8, &pair);
    out[threadIdx.x] = local[threadIdx.x % 8] + pair.a[2] + (float)pair.n;
}

/* A call through an address computed from the kernel's own address plus
 * an offset (the host computes it; a student would read it off the
 * program's symbol table), written into a function pointer through an
 * integer: the simulator's routine that adds to the report's totals. */
__global__ void call_computed_kernel(float *out, long long offset)
{
    cudasimCounters forged{};
    forged.launches = 999999;
    union {
        uintptr_t bits;
        void (*fn)(const cudasimCounters &);
    } u;
    u.bits = reinterpret_cast<uintptr_t>(&call_computed_kernel) + offset;
    if (threadIdx.x == 0)
        u.fn(forged);
    out[threadIdx.x] = 1.0f;
}

/* Indirect calls a correct kernel makes: a table of device functions and
 * a virtual call. */
__device__ float twice(float x)
{
    return 2 * x;
}
__device__ float square(float x)
{
    return x * x;
}
struct Shape {
    virtual float area() const = 0;
    virtual ~Shape() = default;
};
struct Rect : Shape {
    float w, h;
    Rect(float w_, float h_) : w(w_), h(h_) {}
    float area() const override
    {
        return w * h;
    }
};
__attribute__((noipa)) float area_of(const Shape &s)
{
    return s.area();
}
__global__ void honest_indirect_kernel(float *out)
{
    float (*ops[2])(float) = {twice, square};
    float (*op)(float) = ops[opaque((int)threadIdx.x) % 2];
    Rect r(1.0f, (float)(threadIdx.x % 4));
    out[threadIdx.x] = op(3.0f) + area_of(r);
}

/* Device-side malloc, new and delete, as a correct kernel uses them: each
 * thread's own scratch array, and an object per block. */
struct Scratch {
    float v[4];
};
__global__ void honest_heap_kernel(float *out)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    float *mine = static_cast<float *>(malloc(8 * sizeof(float)));
    if (mine == nullptr) {
        out[t] = -1.0f;
        return;
    }
    for (int i = 0; i < 8; i++)
        mine[i] = (float)(threadIdx.x + i);
    Scratch *s = new Scratch{{1.0f, 2.0f, 3.0f, 4.0f}};
    out[t] = mine[7] + s->v[3];
    delete s;
    free(mine);
}

/* A fake heap chunk in a __device__ variable (which kernel stores may
 * write): handed to free and then taken back by malloc, the C library's
 * heap would give the variable's bytes to the next allocation of that
 * size, the simulator's own included. out[0]: 1 when malloc returned the
 * variable. */
__device__ word fake_chunk[8] __attribute__((aligned(16)));
__global__ void free_forged_kernel(float *out)
{
    fake_chunk[1] = 0x41; /* the chunk's size: 64 bytes, previous in use */
    free(hide(&fake_chunk[2]));
    void *again = hide(malloc(48));
    out[0] = again == hide(&fake_chunk[2]) ? 1.0f : 0.0f;
}

__global__ void double_free_kernel(float *out)
{
    float *p = static_cast<float *>(malloc(64));
    out[0] = p ? 1.0f : 0.0f;
    free(hide(p));
    free(hide(p));
}

void print_counts()
{
    cudasimCounters c;
    cudasimCountersGet(&c);
    unsigned long long k = 0, h = 0;
    llmlings_gpu_origin(&k, &h);
    printf("counts launches=%llu global_load_requests=%llu "
           "global_load_sectors=%llu global_store_requests=%llu "
           "global_store_sectors=%llu global_atomic_requests=%llu "
           "shared_load_wavefronts=%llu shared_load_bank_conflicts=%llu "
           "divergent_branches=%llu bytes_host_to_device=%llu "
           "bytes_device_to_host=%llu kernel_bytes_to_host=%llu "
           "host_bytes_to_host=%llu\n",
           c.launches, c.global_load_requests, c.global_load_sectors,
           c.global_store_requests, c.global_store_sectors,
           c.global_atomic_requests, c.shared_load_wavefronts,
           c.shared_load_bank_conflicts, c.divergent_branches,
           c.bytes_host_to_device, c.bytes_device_to_host, k, h);
    fflush(stdout);
}

void honest_work()
{
    std::vector<float> in(kN * COUNTER_STRIDE), out(kN * COUNTER_STRIDE);
    for (size_t i = 0; i < in.size(); i++)
        in[i] = (float)(i % 97);
    int failures = 0;
    failures += coalesced_copy(in.data(), out.data(), kN);
    failures += strided_copy(in.data(), out.data(), kN);
    failures += vector_copy(in.data(), out.data(), kN);
    failures += broadcast_read(in.data(), out.data(), kN);
    failures += shared_transpose(in.data(), out.data(), 0);
    failures += shared_transpose(in.data(), out.data(), 1);
    failures += divergent_branch(in.data(), out.data(), 1024, 0, 0);
    float sum = 0;
    failures += atomic_count(&sum, 1024);
    if (failures) {
        fprintf(stderr, "device_attacks: the honest work failed\n");
        exit(1);
    }
}

/* The host computes a result and passes it through device memory. */
void host_result()
{
    std::vector<float> r(1024, 5.0f), back(1024);
    float *d = device_buffer(r.size());
    cudaMemcpy(d, r.data(), r.size() * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(back.data(), d, r.size() * sizeof(float),
               cudaMemcpyDeviceToHost);
    cudaFree(d);
}

/* n kernel values computed on the device and copied back. */
void kernel_values(int n)
{
    std::vector<float> back(n);
    float *d = device_buffer(n);
    ramp_kernel<<<(n + 63) / 64, 64>>>(d, n);
    cudaMemcpy(back.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d);
}

/* n host values passed through device memory and copied back. */
void host_values(int n)
{
    std::vector<float> r(n), back(n);
    for (int i = 0; i < n; i++)
        r[i] = 20000.0f + (float)i;
    float *d = device_buffer(n);
    cudaMemcpy(d, r.data(), n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(back.data(), d, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d);
}

void launch_one(void (*kernel)(float *))
{
    float *d = device_buffer(64);
    kernel<<<1, 64>>>(d);
    cudaDeviceSynchronize();
    cudaFree(d);
}

/* A launch request whose body is not the simulator's launch body. */
void forged_body()
{
    float *d = device_buffer(64);
    struct {
        void (*fn)(void);
        float *out;
    } ctx{cudasimCountersReset, d};
    cudasim::LaunchSite site{"forged", __FILE__, __LINE__};
    cudasim::run(site, dim3(1), dim3(1), 0,
                 reinterpret_cast<void (*)(void *)>(&cudasimCountersReset),
                 &ctx, sizeof ctx);
}

/* The right body for (float *, int), but a function that is no kernel
 * launched anywhere... and then one of the simulator's own. */
void forged_kernel(bool simulator_function)
{
    float *d = device_buffer(64);
    using L = cudasim::Launch<float *, int>;
    void (*fn)(float *, int) = &not_a_kernel;
    if (simulator_function) /* any function pointer type fits in ctx */
        fn = reinterpret_cast<void (*)(float *, int)>(
            reinterpret_cast<void *>(&cudasimCountersAvailable));
    L::Ctx ctx{fn, {d, 64}};
    cudasim::LaunchSite site{"forged", __FILE__, __LINE__};
    cudasim::run(site, dim3(1), dim3(1), 0, &L::body, &ctx, sizeof ctx);
    /* so that fill_kernel's Launch<float *, int>::body exists */
    fill_kernel<<<1, 64>>>(d, 64);
}

/* The device process: another process of this program (it is not our
 * child: the simulator forks it twice). */
pid_t device_pid()
{
    DIR *d = opendir("/proc");
    if (d == nullptr)
        return 0;
    char self[256] = "", line[512];
    FILE *f = fopen("/proc/self/stat", "r");
    if (f && fgets(line, sizeof line, f))
        sscanf(line, "%*d %255s", self);
    if (f)
        fclose(f);
    pid_t found = 0;
    while (struct dirent *e = readdir(d)) {
        int pid = atoi(e->d_name);
        if (pid <= 0 || pid == getpid())
            continue;
        char path[64], name[256] = "";
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        if (!(f = fopen(path, "r")))
            continue;
        if (fgets(line, sizeof line, f) && sscanf(line, "%*d %255s", name) &&
            !strcmp(name, self))
            found = pid;
        fclose(f);
    }
    closedir(d);
    return found;
}

/* A process the test program did not start (a grandchild whose parent is
 * gone) connects to the device by its socket name and sends a counter
 * reset by hand (the wire format of device_process.cpp: op 14, no
 * arguments). Prints what happened; the device must close the connection
 * unanswered. */
int outsider()
{
    const char *name = getenv("CUDASIM_DEVICE_SOCKET");
    int out[2];
    if (name == nullptr || pipe(out) != 0)
        return 2;
    pid_t child = fork();
    if (child == 0) {
        if (fork() != 0)
            _exit(0);
        usleep(50000); /* reparented: no longer our descendant */
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        memcpy(a.sun_path + 1, name, strlen(name));
        socklen_t len =
            (socklen_t)(offsetof(sockaddr_un, sun_path) + 1 + strlen(name));
        const char *verdict = "SERVED";
        struct {
            uint32_t op, unused;
            uint64_t len;
        } req{14, 0, 0};
        char reply[16];
        if (connect(fd, reinterpret_cast<sockaddr *>(&a), len) != 0)
            verdict = "could not connect";
        else if (send(fd, &req, sizeof req, MSG_NOSIGNAL) !=
                     (ssize_t)sizeof req ||
                 read(fd, reply, sizeof reply) <= 0)
            verdict = "refused";
        if (write(out[1], verdict, strlen(verdict)) < 0)
            _exit(1);
        _exit(0);
    }
    close(out[1]);
    waitpid(child, nullptr, 0);
    char verdict[64] = "";
    if (read(out[0], verdict, sizeof verdict - 1) < 0)
        return 2;
    printf("outsider: %s\n", verdict);
    return 0;
}

/* A writable mapping the device shares with anyone: prints it, returns 1. */
int shared_writable_mappings(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == nullptr) {
        printf("maps unreadable\n");
        return 0;
    }
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        char perms[8] = "";
        if (sscanf(line, "%*s %7s", perms) == 1 && perms[1] == 'w' &&
            perms[3] == 's') {
            printf("shared writable mapping: %s", line);
            found = 1;
        }
    }
    fclose(f);
    printf("maps checked\n");
    return found;
}

} /* namespace */

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "honest";
    if (!strcmp(mode, "outsider") && outsider() != 0) /* before we connect */
        return 2;
    honest_work();
    print_counts();
    if (!strcmp(mode, "honest") || !strcmp(mode, "outsider"))
        return 0;
    if (!strcmp(mode, "reset_after")) {
        cudasimCountersReset();
        return 0;
    }
    if (!strcmp(mode, "host_result")) {
        host_result();
        return 0;
    }
    if (!strcmp(mode, "sample_small") || !strcmp(mode, "sample_large")) {
        kernel_values(!strcmp(mode, "sample_small") ? 64 : 4096);
        return 0;
    }
    if (!strcmp(mode, "host_result_sampled")) {
        host_values(64);
        return 0;
    }
    if (!strcmp(mode, "decoy")) { /* the result is the host's */
        host_values(64);
        kernel_values(64);
        return 0;
    }
    if (!strcmp(mode, "flip_host_mode")) {
        /* host code turns judge mode off in its own process and counts
         * locally: the device never hears of it */
        cudasim::remote::g_host = false;
        cudasimCountersReset();
        unsigned long long k, h;
        llmlings_gpu_origin(&k, &h);
        float *d = device_buffer(64);
        fill_kernel<<<1, 64>>>(d, 64);
        return 0;
    }
    if (!strcmp(mode, "kernel_reset")) {
        launch_one(reset_counters_kernel);
        return 0;
    }
    if (!strcmp(mode, "honest_locals")) {
        float *d = device_buffer(64), back[64];
        honest_locals_kernel<<<1, 64>>>(d);
        cudaMemcpy(back, d, sizeof back, cudaMemcpyDeviceToHost);
        int bad = 0;
        for (int i = 0; i < 64; i++)
            bad |= back[i] != (float)(i % 8) + 7.0f + 8.0f;
        printf("honest locals: %s\n", bad ? "WRONG" : "ok");
        return bad;
    }
    if (!strcmp(mode, "honest_indirect")) {
        float *d = device_buffer(64), back[64];
        honest_indirect_kernel<<<1, 64>>>(d);
        cudaMemcpy(back, d, sizeof back, cudaMemcpyDeviceToHost);
        int bad = 0;
        for (int i = 0; i < 64; i++)
            bad |= back[i] != (i % 2 ? 9.0f : 6.0f) + (float)(i % 4);
        printf("honest indirect calls: %s\n", bad ? "WRONG" : "ok");
        return bad;
    }
    if (!strcmp(mode, "call_computed")) {
        float *d = device_buffer(64);
        long long offset =
            reinterpret_cast<long long>(&cudasim::remote::life_add_launch) -
            reinterpret_cast<long long>(&call_computed_kernel);
        call_computed_kernel<<<1, 32>>>(d, offset);
        cudaDeviceSynchronize();
        return 0;
    }
    if (!strcmp(mode, "honest_heap")) {
        float *d = device_buffer(256), back[256];
        for (int round = 0; round < 2; round++) /* memory comes back */
            honest_heap_kernel<<<4, 64>>>(d);
        cudaMemcpy(back, d, sizeof back, cudaMemcpyDeviceToHost);
        int bad = 0;
        for (int i = 0; i < 256; i++)
            bad |= back[i] != (float)(i % 64 + 7) + 4.0f;
        printf("device heap: %s (%g %g)\n", bad ? "WRONG" : "ok",
               (double)back[0], (double)back[255]);
        return bad;
    }
    if (!strcmp(mode, "free_forged") || !strcmp(mode, "double_free")) {
        float *d = device_buffer(64), flag = 0;
        if (!strcmp(mode, "free_forged"))
            free_forged_kernel<<<1, 1>>>(d);
        else
            double_free_kernel<<<1, 1>>>(d);
        cudaMemcpy(&flag, d, sizeof flag, cudaMemcpyDeviceToHost);
        if (flag == 1.0f && !strcmp(mode, "free_forged"))
            printf("malloc returned a __device__ variable: the C library's "
                   "heap is corrupted\n");
        return 0;
    }
    if (!strcmp(mode, "divide_by_zero")) {
        float *d = device_buffer(64);
        divide_kernel<<<1, 32>>>(d, 0);
        cudaDeviceSynchronize();
        return 0;
    }
    if (!strcmp(mode, "smash_local_array")) {
        float *d = device_buffer(64);
        smash_local_array_kernel<<<1, 1>>>(d, 16);
        cudaDeviceSynchronize();
        return 0;
    }
    if (!strcmp(mode, "smash_own_stack") ||
        !strcmp(mode, "smash_above_entry")) {
        float *d = device_buffer(64);
        smash_own_stack_kernel<<<1, 1>>>(
            d, !strcmp(mode, "smash_own_stack") ? 0 : 1);
        cudaDeviceSynchronize();
        return 0;
    }
    if (!strcmp(mode, "kernel_wild_store")) {
        launch_one(wild_store_kernel);
        return 0;
    }
    if (!strcmp(mode, "forged_body")) {
        forged_body();
        return 0;
    }
    if (!strcmp(mode, "forged_kernel") || !strcmp(mode, "forged_sim_kernel")) {
        forged_kernel(!strcmp(mode, "forged_sim_kernel"));
        return 0;
    }
    if (!strcmp(mode, "printf_order")) {
        printf("host before\n");
        hello_kernel<<<1, 32>>>(2);
        printf("host between\n");
        hello_kernel<<<1, 32>>>(1);
        cudaDeviceSynchronize();
        printf("host after\n");
        return 0;
    }
    if (!strcmp(mode, "managed")) {
        float *m = nullptr;
        cudaError_t e = cudaMallocManaged(&m, 256);
        printf("cudaMallocManaged: %s\n", cudaGetErrorName(e));
        return 0;
    }
    if (!strcmp(mode, "device_variables"))
        return device_variables();
    if (!strcmp(mode, "device_maps"))
        return shared_writable_mappings(device_pid());
    if (!strcmp(mode, "kill_device")) {
        pid_t pid = device_pid();
        printf("device pid %d\n", (int)pid);
        fflush(stdout);
        if (pid <= 0 || kill(pid, SIGKILL) != 0)
            return 2;
        usleep(100000);
        host_result(); /* the host must notice */
        return 0;
    }
    if (!strcmp(mode, "host_reads_device")) {
        float *d = device_buffer(64);
        printf("read %f\n", (double)d[3]);
        return 0;
    }
    fprintf(stderr, "device_attacks: unknown mode %s\n", mode);
    return 2;
}
