/* runtime.cpp: the runtime of the cudasim CUDA simulator (libcudasim).
 *
 * A launch runs its blocks one after another on the calling OS thread. The
 * threads of a block are fibers with their own stacks; a thread runs until it
 * reaches __syncthreads, a warp intrinsic or its end, then the scheduler
 * picks the next ready thread in the configured order (forward, reverse or
 * shuffled), so a missing barrier shows up as a wrong result in some order.
 * Barriers count arrivals and know the source line of every waiter, so a
 * divergent barrier is an error message, not a hang.
 *
 * Device memory comes from mmap with a PROT_NONE guard page on each side and
 * the buffer's end placed against the upper guard; outside kernels and
 * copies the buffers themselves are PROT_NONE too, so host code that
 * dereferences a device pointer is caught. Shared memory is placed the
 * same way (shared_memory.cpp). A SIGSEGV handler that knows the running
 * kernel, block and thread turns a fault into a message naming them and the
 * source line of the access.
 *
 * Context switches are a few instructions of assembly on x86-64 (no signal
 * mask system calls, unlike swapcontext); other architectures fall back to
 * ucontext. The scheduler tells the race tier which thread runs and when
 * barriers and warp operations complete (race_hooks.h: empty in this
 * build, the detector in libcudasim_tsan), and the memory-traffic counters
 * the same (counters.h). Instrumented code asks check_access() about every
 * access (memory_check.h): device buffers start 256-byte aligned, as on a
 * GPU, and the bytes between a buffer's end and its guard page are checked
 * there. In judge mode's device process a store of kernel code into its
 * own stack is checked against the frame-pointer chain, so it cannot reach
 * a saved return address or the simulator's frames (stack_store_allowed),
 * and a trap instruction (judge builds' bounds checks) or an integer
 * division by zero stops the kernel like a memory fault.
 */
#include "cudasim.h"

#include "counters.h"
#include "device_fault.h"
#include "device_heap.h"
#include "device_process.h"
#include "kernel_symbols.h"
#include "memory_check.h"
#include "race_hooks.h"
#include "race_tier.h"
#include "result_origin.h"
#include "runtime_internal.h"
#include "shared_memory.h"
#include "symbolize.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#if !defined(__x86_64__) || defined(CUDASIM_UCONTEXT)
#include <ucontext.h>
#endif

unsigned char cudasim_in_kernel;

namespace cudasim
{

ThreadView *g_cur;
uint3 g_blockIdx;
dim3 g_blockDim, g_gridDim;
AccessWindows g_windows;

namespace
{

/* ---- configuration ------------------------------------------------------- */

constexpr size_t kSharedLimit = shmem::kLimit;
constexpr uintptr_t kDeviceAlignment = 256;
constexpr unsigned kMaxThreads = 1024;

struct Config {
    cudasimOrder order = cudasimForward;
    unsigned seed = 1;
    cudasimFaultMode fault_mode = cudasimFaultAbort;
    size_t stack_size = 128 * 1024;
    bool host_guard = true;
    bool quiet = false;
    bool loaded = false;
};
Config cfg;

size_t page_size()
{
    static size_t p = (size_t)sysconf(_SC_PAGESIZE);
    return p;
}

size_t round_up(size_t v, size_t a)
{
    return (v + a - 1) / a * a;
}

void load_config()
{
    if (cfg.loaded)
        return;
    cfg.loaded = true;
    if (const char *o = getenv("CUDASIM_ORDER")) {
        if (!strcmp(o, "reverse"))
            cfg.order = cudasimReverse;
        else if (!strcmp(o, "shuffle") || !strcmp(o, "shuffled"))
            cfg.order = cudasimShuffle;
    }
    if (const char *s = getenv("CUDASIM_SEED"))
        cfg.seed = (unsigned)strtoul(s, nullptr, 10);
    if (const char *f = getenv("CUDASIM_ON_FAULT"))
        cfg.fault_mode =
            strcmp(f, "error") ? cudasimFaultAbort : cudasimFaultError;
    if (const char *k = getenv("CUDASIM_STACK_KB"))
        cfg.stack_size = std::max<size_t>(16, strtoul(k, nullptr, 10)) * 1024;
    if (const char *g = getenv("CUDASIM_HOST_GUARD"))
        cfg.host_guard = strcmp(g, "0") != 0;
    if (const char *q = getenv("CUDASIM_QUIET"))
        cfg.quiet = strcmp(q, "0") != 0;
}

/* ---- errors and messages --------------------------------------------------
 */

cudaError_t g_last = cudaSuccess;   /* cleared by cudaGetLastError */
cudaError_t g_sticky = cudaSuccess; /* a kernel fault: every call fails */
char g_msg[2048];

void vreport(const char *fmt, va_list ap)
{
    vsnprintf(g_msg, sizeof g_msg, fmt, ap);
    if (!cfg.quiet) {
        fprintf(stderr, "cudasim: %s\n", g_msg);
        fflush(stderr);
    }
}

void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
}

/* An API call's error: remembered for cudaGetLastError, returned. */
cudaError_t fail(cudaError_t e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
cudaError_t fail(cudaError_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    g_last = e;
    return e;
}

/* ---- device memory ------------------------------------------------------- */

struct Alloc {
    char *region; /* mapping: guard page, data pages, guard page */
    size_t region_len;
    char *ptr; /* what cudaMalloc returned; ends at the upper guard */
    size_t size;
    bool freed;
    bool managed;
    const char *file; /* where cudaMalloc was called (for leak reports) */
    int line;
    unsigned long long seq; /* allocations made before this one */
};
std::vector<Alloc> g_allocs;
size_t g_freed_bytes;
unsigned long long g_alloc_count;

char *data_start(const Alloc &a)
{
    return a.region + page_size();
}
size_t data_len(const Alloc &a)
{
    return a.region_len - 2 * page_size();
}

void protect(const Alloc &a, bool accessible)
{
    if (a.managed || a.freed || !cfg.host_guard)
        return;
    mprotect(data_start(a), data_len(a),
             accessible ? PROT_READ | PROT_WRITE : PROT_NONE);
}

void protect_all(bool accessible)
{
    for (const Alloc &a : g_allocs)
        protect(a, accessible);
}

/* The allocation whose mapping (guards included) holds p, live first. */
const Alloc *alloc_of(const void *p, bool include_guards)
{
    const char *c = static_cast<const char *>(p);
    const Alloc *freed = nullptr;
    for (const Alloc &a : g_allocs) {
        bool in = include_guards
                      ? (c >= a.region && c < a.region + a.region_len)
                      : (c >= a.ptr && c < a.ptr + a.size);
        if (!in)
            continue;
        if (!a.freed)
            return &a;
        freed = &a;
    }
    return freed;
}

/* ---- fibers -------------------------------------------------------------- */

enum State { READY, AT_BARRIER, AT_WARP, DONE };

#if defined(__x86_64__) && !defined(CUDASIM_UCONTEXT)
/* cudasim_switch(save, to): saves the callee-saved registers on the current
 * stack, stores the stack pointer in *save, and resumes the context whose
 * stack pointer is `to`. A new fiber "returns" into cudasim_trampoline,
 * which calls r13(r12). */
extern "C" void cudasim_switch(void **save, void *to);
extern "C" void cudasim_trampoline(void);
asm(R"(
    .text
    .globl cudasim_switch
    .type cudasim_switch,@function
cudasim_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size cudasim_switch,.-cudasim_switch
    .globl cudasim_trampoline
    .type cudasim_trampoline,@function
cudasim_trampoline:
    movq %r12, %rdi
    callq *%r13
    ud2
    .size cudasim_trampoline,.-cudasim_trampoline
)");

struct Context {
    void *sp = nullptr;
};

void ctx_init(Context *c, char *stack_top, void (*fn)(void *), void *arg)
{
    uintptr_t top = reinterpret_cast<uintptr_t>(stack_top) & ~uintptr_t(15);
    void **sp = reinterpret_cast<void **>(top - 72);
    sp[0] = nullptr;                                       /* r15 */
    sp[1] = nullptr;                                       /* r14 */
    sp[2] = reinterpret_cast<void *>(fn);                  /* r13 */
    sp[3] = arg;                                           /* r12 */
    sp[4] = nullptr;                                       /* rbx */
    sp[5] = nullptr;                                       /* rbp */
    sp[6] = reinterpret_cast<void *>(&cudasim_trampoline); /* return */
    c->sp = sp;
}

inline void ctx_switch(Context *from, Context *to)
{
    cudasim_switch(&from->sp, to->sp);
}
#else
/* Portable fallback: correct, slower (swapcontext saves the signal mask). */
struct Context {
    ucontext_t uc;
};
void (*g_uc_fn)(void *);

void uc_entry(unsigned lo, unsigned hi)
{
    uintptr_t p = (uintptr_t)lo | ((uintptr_t)hi << 32);
    g_uc_fn(reinterpret_cast<void *>(p));
}

void ctx_init(Context *c, char *stack_top, void (*fn)(void *), void *arg,
              char *stack_lo)
{
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = stack_lo;
    c->uc.uc_stack.ss_size = (size_t)(stack_top - stack_lo);
    c->uc.uc_link = nullptr;
    g_uc_fn = fn;
    uintptr_t p = reinterpret_cast<uintptr_t>(arg);
    makecontext(&c->uc, (void (*)())uc_entry, 2, (unsigned)p,
                (unsigned)(p >> 32));
}

inline void ctx_switch(Context *from, Context *to)
{
    swapcontext(&from->uc, &to->uc);
}
#endif

struct Fiber : ThreadView {
    Context ctx;
    char *map = nullptr; /* guard page + stack */
    size_t map_len = 0;
    int state = DONE;
    unsigned linear = 0, lane = 0, warp = 0;
    const char *bfile = nullptr; /* where it waits at __syncthreads */
    int bline = 0;
    int wop = 0; /* the warp operation it waits in */
    unsigned wmask = 0;
    uint64_t wval = 0, wres = 0;
    int wparam = 0, wwidth = 32;
    const char *wfile = nullptr;
    int wline = 0;
    /* fiber_main's frame on this stack: the simulator's frames start
     * there; the kernel's frames lie below it (stack_store_allowed). */
    uintptr_t entry_frame = 0;
};

struct Warp {
    unsigned waiting; /* lanes waiting in a warp operation */
    unsigned exited;
};

struct Block {
    unsigned n;
    unsigned arrived, exited, done;
    int acc, result;
    Warp warps[32];
};

std::vector<Fiber *> g_fibers;
std::vector<unsigned> g_order;
Context g_sched;
Fiber *g_running;
bool g_in_kernel;
bool g_fault;
cudaError_t g_fault_code;
Block g_blk;
LaunchSite g_site;
void (*g_body)(void *);
void *g_body_ctx;
unsigned g_rng = 1;
uint64_t g_epoch = 1; /* which block placed a SharedSite's variable */

unsigned next_rand()
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}

void order_into(std::vector<unsigned> &v, unsigned n)
{
    v.resize(n);
    for (unsigned i = 0; i < n; i++)
        v[i] = cfg.order == cudasimReverse ? n - 1 - i : i;
    if (cfg.order == cudasimShuffle)
        for (unsigned i = n; i > 1; i--)
            std::swap(v[i - 1], v[next_rand() % i]);
}

Fiber *fiber_at(unsigned i)
{
    while (g_fibers.size() <= i) {
        Fiber *f = new Fiber();
        size_t ps = page_size();
        f->map_len = ps + round_up(cfg.stack_size, ps);
        void *m = mmap(nullptr, f->map_len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            perror("cudasim: mmap of a fiber stack");
            abort();
        }
        f->map = static_cast<char *>(m);
        mprotect(f->map, ps, PROT_NONE); /* stack overflow guard */
        g_fibers.push_back(f);
    }
    return g_fibers[i];
}

/* ---- messages about threads ---------------------------------------------- */

struct Where {
    char s[160];
};

Where where_thread(const Fiber *f)
{
    Where w;
    snprintf(w.s, sizeof w.s, "thread (%u,%u,%u)", f->tid.x, f->tid.y,
             f->tid.z);
    return w;
}

Where where_kernel()
{
    Where w;
    snprintf(w.s, sizeof w.s, "kernel %s (launched at %s:%d), block (%u,%u,%u)",
             g_site.kernel, g_site.file, g_site.line, g_blockIdx.x,
             g_blockIdx.y, g_blockIdx.z);
    return w;
}

const char *op_name(int op)
{
    switch (op) {
    case W_SYNC: return "__syncwarp";
    case W_SHFL: return "__shfl_sync";
    case W_UP: return "__shfl_up_sync";
    case W_DOWN: return "__shfl_down_sync";
    case W_XOR: return "__shfl_xor_sync";
    case W_BALLOT: return "__ballot_sync";
    case W_ANY: return "__any_sync";
    case W_ALL: return "__all_sync";
    case W_WMMA_LOAD: return "wmma::load_matrix_sync";
    case W_WMMA_STORE: return "wmma::store_matrix_sync";
    case W_WMMA_FILL: return "wmma::fill_fragment";
    case W_WMMA_MMA: return "wmma::mma_sync";
    }
    return "warp operation";
}

/* ---- switching ----------------------------------------------------------- */

/* A pass runs every ready thread once, in g_order. A thread that blocks or
 * ends switches straight to the next ready thread of the pass (one switch,
 * not two); the last one returns to the scheduler, which starts the next
 * pass. */
unsigned g_pass_pos;
unsigned long g_resumed;

Fiber *next_ready(unsigned from)
{
    for (unsigned k = from; k < g_blk.n; k++) {
        Fiber *f = g_fibers[g_order[k]];
        if (f->state == READY) {
            g_pass_pos = k;
            return f;
        }
    }
    return nullptr;
}

void enter(Fiber *g)
{
    g_cur = g;
    g_running = g;
    g_resumed++;
    g_windows.stack_lo = reinterpret_cast<uintptr_t>(g->map);
    g_windows.stack_len = g->map_len;
    race::thread_enter(g->linear, g->map, g->map + g->map_len);
    counters::thread_enter(g->linear);
}

void to_scheduler(Fiber *f)
{
    if (Fiber *g = next_ready(g_pass_pos + 1)) {
        enter(g);
        ctx_switch(&f->ctx, &g->ctx);
        return;
    }
    race::thread_leave();
    counters::thread_leave();
    ctx_switch(&f->ctx, &g_sched);
}

/* Runs one pass; returns how many threads were resumed. */
unsigned long run_pass()
{
    unsigned long before = g_resumed;
    if (Fiber *g = next_ready(0)) {
        enter(g);
        ctx_switch(&g_sched, &g->ctx);
    }
    g_running = nullptr;
    return g_resumed - before;
}

/* The source line of the access that faulted, when the SIGSEGV handler
 * found it ("" otherwise). */
char g_fault_at[256];

/* A fault inside a kernel: the message names the kernel, block and thread;
 * the launch is abandoned. Never returns to the caller. */
[[noreturn]] void kernel_fault(cudaError_t code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
[[noreturn]] void kernel_fault(cudaError_t code, const char *fmt, ...)
{
    char body[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    Fiber *f = g_running;
    report("%s, %s%s%s: %s", where_kernel().s, f ? where_thread(f).s : "",
           g_fault_at[0] ? ", at " : "", g_fault_at, body);
    remote::note_fault(g_msg);
    g_fault_at[0] = '\0';
    race::thread_leave();
    counters::thread_leave();
    g_fault = true;
    g_fault_code = code;
    if (f == nullptr)
        abort();
    Context dead;
    ctx_switch(&dead, &g_sched);
    abort(); /* not reached: the scheduler never resumes a faulted fiber */
}

Fiber *in_kernel_thread(const char *what)
{
    if (!g_in_kernel || g_running == nullptr) {
        report("%s called outside a kernel (host code cannot call device "
               "intrinsics)",
               what);
        abort();
    }
    return g_running;
}

/* ---- barriers ------------------------------------------------------------ */

void check_warps_after_exit(Fiber *f)
{
    Warp &w = g_blk.warps[f->warp];
    if (w.waiting == 0)
        return;
    unsigned bit = 1u << f->lane;
    for (unsigned l = 0; l < 32; l++) {
        if (!(w.waiting >> l & 1))
            continue;
        Fiber *g = g_fibers[f->warp * 32 + l];
        if (g->wmask & bit)
            kernel_fault(cudaErrorLaunchFailure,
                         "exited, but lane %u of its warp waits for it in "
                         "%s(mask 0x%08x) at %s:%d: every lane named in the "
                         "mask must reach the same warp operation",
                         l, op_name(g->wop), g->wmask, g->wfile, g->wline);
    }
}

Fiber *first_at_barrier()
{
    for (unsigned i = 0; i < g_blk.n; i++)
        if (g_fibers[i]->state == AT_BARRIER)
            return g_fibers[i];
    return nullptr;
}

void divergent_exit_fault()
{
    Fiber *w = first_at_barrier();
    kernel_fault(cudaErrorLaunchFailure,
                 "divergent __syncthreads() at %s:%d: %u thread(s) of the "
                 "block wait there, but %u thread(s) exited without reaching "
                 "it (an early return before the barrier?); every thread of a "
                 "block must reach every __syncthreads()",
                 w->bfile, w->bline, g_blk.arrived, g_blk.exited);
}

void complete_barrier(int kind)
{
    if (g_blk.exited > 0)
        divergent_exit_fault();
    Fiber *first = first_at_barrier();
    for (unsigned i = 0; i < g_blk.n; i++) {
        Fiber *f = g_fibers[i];
        if (f->bline != first->bline ||
            (f->bfile != first->bfile && strcmp(f->bfile, first->bfile) != 0))
            kernel_fault(cudaErrorLaunchFailure,
                         "divergent __syncthreads(): %s waits at %s:%d but %s "
                         "waits at %s:%d; all threads of a block must reach "
                         "the same barrier",
                         where_thread(first).s, first->bfile, first->bline,
                         where_thread(f).s, f->bfile, f->bline);
    }
    switch (kind) {
    case B_COUNT: g_blk.result = g_blk.acc; break;
    case B_AND: g_blk.result = g_blk.acc == (int)g_blk.n; break;
    case B_OR: g_blk.result = g_blk.acc > 0; break;
    default: g_blk.result = 0; break;
    }
    g_blk.acc = 0;
    g_blk.arrived = 0;
    race::barrier_done();
    counters::barrier_done();
    for (unsigned i = 0; i < g_blk.n; i++)
        g_fibers[i]->state = READY;
}

void thread_exit(Fiber *f)
{
    f->state = DONE;
    g_blk.done++;
    g_blk.exited++;
    g_blk.warps[f->warp].exited |= 1u << f->lane;
    counters::thread_exit(f->linear);
    check_warps_after_exit(f);
    if (g_blk.arrived > 0 && g_blk.arrived + g_blk.exited == g_blk.n)
        divergent_exit_fault();
}

/* A thread's end, after its kernel returned. Not inlined (nor analysed
 * by the caller): fiber_main keeps nothing in a register across the
 * kernel, whose frames may have changed the registers they saved for it
 * (those slots are the kernel's to write, see stack_store_allowed). */
[[noreturn]] __attribute__((noinline, noipa)) void fiber_end()
{
    Fiber *f = g_running;
    thread_exit(f);
    to_scheduler(f);
    abort(); /* a finished fiber is never resumed */
}

void fiber_main(void *arg)
{
    static_cast<Fiber *>(arg)->entry_frame =
        reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    g_body(g_body_ctx);
    fiber_end();
}

/* ---- warp operations ------------------------------------------------------
 */

unsigned lanes_of_warp(unsigned warp)
{
    unsigned left = g_blk.n - warp * 32;
    return left >= 32 ? 0xffffffffu : (1u << left) - 1;
}

void check_warp_group(const Fiber *f, unsigned mask, unsigned base)
{
    for (unsigned l = 0; l < 32; l++) {
        if (!(mask >> l & 1))
            continue;
        const Fiber *g = g_fibers[base + l];
        if (g->wmask != mask)
            kernel_fault(cudaErrorLaunchFailure,
                         "%s at %s:%d with mask 0x%08x, but lane %u waits in "
                         "%s at %s:%d with mask 0x%08x: the lanes of a warp "
                         "operation must pass the same mask",
                         op_name(f->wop), f->wfile, f->wline, mask, l,
                         op_name(g->wop), g->wfile, g->wline, g->wmask);
        if (g->wop != f->wop || g->wline != f->wline ||
            strcmp(g->wfile, f->wfile) != 0)
            kernel_fault(cudaErrorLaunchFailure,
                         "divergent warp operation: this lane is in %s at "
                         "%s:%d but lane %u is in %s at %s:%d; the lanes named "
                         "in a mask must execute the same warp operation",
                         op_name(f->wop), f->wfile, f->wline, l,
                         op_name(g->wop), g->wfile, g->wline);
    }
}

unsigned source_lane(const Fiber *g)
{
    unsigned l = g->lane, w = (unsigned)g->wwidth;
    unsigned base = l & ~(w - 1);
    unsigned p = (unsigned)g->wparam;
    switch (g->wop) {
    case W_SHFL: return base + (p & (w - 1));
    case W_UP: return p > l - base ? l : l - p;
    case W_DOWN: return l + p >= base + w ? l : l + p;
    case W_XOR: return (l ^ p) >= base + w ? l : (l ^ p);
    }
    return l;
}

void complete_warp_op(Fiber *f, unsigned mask, unsigned base)
{
    check_warp_group(f, mask, base);
    unsigned ballot = 0;
    for (unsigned l = 0; l < 32; l++)
        if ((mask >> l & 1) && g_fibers[base + l]->wval)
            ballot |= 1u << l;
    for (unsigned l = 0; l < 32; l++) {
        if (!(mask >> l & 1))
            continue;
        Fiber *g = g_fibers[base + l];
        switch (g->wop) {
        case W_BALLOT: g->wres = ballot; break;
        case W_ANY: g->wres = ballot != 0; break;
        case W_ALL: g->wres = ballot == mask; break;
        case W_SYNC: g->wres = 0; break;
        default: {
            unsigned src = source_lane(g);
            if (src != l && !(mask >> src & 1))
                kernel_fault(cudaErrorLaunchFailure,
                             "%s at %s:%d: lane %u reads lane %u, which is not "
                             "in the mask 0x%08x (its value is undefined)",
                             op_name(g->wop), g->wfile, g->wline, l, src, mask);
            g->wres = g_fibers[base + src]->wval;
        }
        }
        g->state = READY;
    }
    g_blk.warps[f->warp].waiting &= ~mask;
    race::warp_done(f->warp, mask);
    counters::warp_done(f->warp, mask,
                        lanes_of_warp(f->warp) & ~g_blk.warps[f->warp].exited);
}

} /* namespace */

/* ---- entry points used by cudasim.h ------------------------------------- */

int barrier(int kind, int pred, const char *file, int line)
{
    Fiber *f = in_kernel_thread("__syncthreads()");
    f->state = AT_BARRIER;
    f->bfile = file;
    f->bline = line;
    g_blk.arrived++;
    g_blk.acc += pred;
    if (g_blk.arrived + g_blk.exited == g_blk.n)
        complete_barrier(kind);
    to_scheduler(f);
    return g_blk.result;
}

uint64_t warp_op(int op, unsigned mask, uint64_t bits, int param, int width,
                 const char *file, int line)
{
    Fiber *f = in_kernel_thread(op_name(op));
    unsigned exist = lanes_of_warp(f->warp);
    Warp &w = g_blk.warps[f->warp];
    if (!(mask >> f->lane & 1))
        kernel_fault(cudaErrorLaunchFailure,
                     "%s at %s:%d: the mask 0x%08x does not include the "
                     "calling lane %u",
                     op_name(op), file, line, mask, f->lane);
    if (mask & ~exist)
        kernel_fault(cudaErrorLaunchFailure,
                     "%s at %s:%d: the mask 0x%08x names lanes that do not "
                     "exist (this warp has only the lanes 0x%08x: the block "
                     "has %u threads)",
                     op_name(op), file, line, mask, exist, g_blk.n);
    if (width < 1 || width > 32 || (width & (width - 1)))
        kernel_fault(cudaErrorLaunchFailure,
                     "%s at %s:%d: width %d is not a power of two in 1..32",
                     op_name(op), file, line, width);
    if (mask & w.exited)
        kernel_fault(cudaErrorLaunchFailure,
                     "%s at %s:%d: the mask 0x%08x names lanes that have "
                     "already exited (0x%08x)",
                     op_name(op), file, line, mask, mask & w.exited);
    f->state = AT_WARP;
    f->wop = op;
    f->wmask = mask;
    f->wval = bits;
    f->wparam = param;
    f->wwidth = width;
    f->wfile = file;
    f->wline = line;
    w.waiting |= 1u << f->lane;
    if ((w.waiting & mask) == mask)
        complete_warp_op(f, mask, f->warp * 32);
    to_scheduler(f);
    return f->wres;
}

unsigned active_mask(void)
{
    Fiber *f = in_kernel_thread("__activemask()");
    return lanes_of_warp(f->warp) & ~g_blk.warps[f->warp].exited;
}

void *shared_at(SharedSite *site, size_t size, size_t align, const char *name,
                const char *type, const char *file, int line)
{
    if (site->epoch == g_epoch)
        return site->ptr;
    char why[512];
    void *p =
        shmem::place(size, align, name, type, file, line, why, sizeof why);
    if (p == nullptr)
        kernel_fault(cudaErrorLaunchOutOfResources, "%s", why);
    site->ptr = p;
    site->epoch = g_epoch;
    return p;
}

void *dynamic_shared(void)
{
    return shmem::dynamic();
}

void device_fault(const char *fmt, ...)
{
    char body[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    in_kernel_thread("a device function");
    kernel_fault(cudaErrorLaunchFailure, "%s", body);
}

int host_pointer_arg(const LaunchSite &site, int index, const void *p)
{
    if (remote::active())
        return remote::pointer_arg(site, index, p);
    if (p == nullptr)
        return 0;
    const Alloc *a = alloc_of(p, false);
    if (a != nullptr && !a->freed)
        return 0;
    const char *why = a ? "device memory already released with cudaFree"
                        : "a host pointer, not device memory from cudaMalloc "
                          "(copy the data with cudaMemcpy and pass the "
                          "device pointer)";
    report("kernel %s launched at %s:%d: argument %d (%p) is %s; on a GPU the "
           "kernel would fail with an illegal memory access",
           site.kernel, site.file, site.line, index + 1, p, why);
    remote::note_fault(g_msg);
    g_sticky = g_last = cudaErrorIllegalAddress;
    if (cfg.fault_mode == cudasimFaultAbort)
        remote::fault_abort();
    return 1;
}

namespace
{

/* ---- the SIGSEGV handler --------------------------------------------------
 */

struct sigaction g_old_segv;
char *g_altstack;

void describe_address(char *out, size_t cap, const char *addr, bool write)
{
    const char *rw = write ? "write" : "read";
    size_t ps = page_size();
    if (const Alloc *a = alloc_of(addr, true)) {
        if (a->freed) {
            snprintf(out, cap,
                     "invalid %s at %p: inside a %zu-byte buffer that was "
                     "already released with cudaFree",
                     rw, (const void *)addr, a->size);
        } else if (addr >= a->ptr + a->size) {
            snprintf(out, cap,
                     "out-of-bounds %s at %p: byte offset %zu of a %zu-byte "
                     "buffer from cudaMalloc (valid offsets are 0..%zu; index "
                     "too large? missing `if (i < n)`?)",
                     rw, (const void *)addr, (size_t)(addr - a->ptr), a->size,
                     a->size - 1);
        } else {
            snprintf(out, cap,
                     "out-of-bounds %s at %p: %zu bytes before the start of a "
                     "%zu-byte buffer from cudaMalloc (negative index?)",
                     rw, (const void *)addr, (size_t)(a->ptr - addr), a->size);
        }
        return;
    }
    if (shmem::describe_fault(addr, write, out, cap))
        return;
    for (const Fiber *f : g_fibers)
        if (addr >= f->map && addr < f->map + ps) {
            snprintf(out, cap,
                     "stack overflow of a simulated thread (local arrays too "
                     "big, or deep recursion; CUDASIM_STACK_KB raises the %zu "
                     "KiB limit)",
                     cfg.stack_size / 1024);
            return;
        }
    if ((uintptr_t)addr < 65536)
        snprintf(out, cap, "invalid %s at %p: a NULL pointer dereference", rw,
                 (const void *)addr);
    else
        snprintf(out, cap, "invalid %s at %p: not device memory", rw,
                 (const void *)addr);
}

/* The faulting instruction, or 0 where the context does not say. */
uintptr_t fault_pc(void *ucv)
{
#if defined(__x86_64__)
    return (uintptr_t) static_cast<ucontext_t *>(ucv)
        ->uc_mcontext.gregs[REG_RIP];
#else
    (void)ucv;
    return 0;
#endif
}

void on_segv(int sig, siginfo_t *si, void *ucv)
{
    const char *addr = static_cast<const char *>(si->si_addr);
    bool write = false;
#if defined(__x86_64__)
    write = (static_cast<ucontext_t *>(ucv)->uc_mcontext.gregs[REG_ERR] & 2);
#else
    (void)ucv;
#endif
    if (g_in_kernel && g_running != nullptr) {
        char what[640];
        describe_address(what, sizeof what, addr, write);
        cudasim_location loc;
        if (fault_pc(ucv) && cudasim_symbolize(fault_pc(ucv), &loc))
            snprintf(g_fault_at, sizeof g_fault_at, "%s", loc.where);
        kernel_fault(cudaErrorIllegalAddress, "%s", what);
    }
    if (remote::active() && remote::in_device_range(addr))
        report("host code %s device memory at %p: the CPU cannot dereference "
               "a device pointer (in judge mode device memory lives in the "
               "simulator's device process); copy the data with cudaMemcpy",
               write ? "wrote" : "read", (const void *)addr);
    const Alloc *a = alloc_of(addr, false);
    if (a != nullptr && !a->freed)
        report("host code %s device memory at %p (byte %zu of a %zu-byte "
               "buffer from cudaMalloc): the CPU cannot dereference a device "
               "pointer; copy the data with cudaMemcpy",
               write ? "wrote" : "read", (const void *)addr,
               (size_t)(addr - a->ptr), a->size);
    /* Not ours to handle: the previous handler sees the same fault when the
     * instruction runs again. */
    sigaction(sig, &g_old_segv, nullptr);
}

/* SIGILL and SIGFPE: a trap instruction in a kernel (the bounds checks of
 * judge-mode builds, -fsanitize=bounds, end in ud2) or an integer division
 * by zero stops the kernel with a message, like a fault of its memory. */
struct sigaction g_old_ill, g_old_fpe;

void on_trap(int sig, siginfo_t *si, void *ucv)
{
    if (g_in_kernel && g_running != nullptr) {
        cudasim_location loc;
        if (fault_pc(ucv) && cudasim_symbolize(fault_pc(ucv), &loc))
            snprintf(g_fault_at, sizeof g_fault_at, "%s", loc.where);
        if (sig == SIGFPE)
            kernel_fault(cudaErrorLaunchFailure, "arithmetic exception (%s)",
                         si->si_code == FPE_INTDIV ? "integer division by zero"
                         : si->si_code == FPE_INTOVF
                             ? "integer overflow in a division"
                             : "SIGFPE");
        kernel_fault(cudaErrorLaunchFailure,
                     "index out of bounds: a bounds check failed (judge-mode "
                     "builds check every index into an array whose size is "
                     "known, local arrays included; valid indexes of T a[N] "
                     "are 0..N-1)");
    }
    sigaction(sig, sig == SIGFPE ? &g_old_fpe : &g_old_ill, nullptr);
}

void install_trap_handlers()
{
    struct sigaction sa {
    };
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, &g_old_ill);
    sigaction(SIGFPE, &sa, &g_old_fpe);
}

void install_segv_handler()
{
    struct sigaction cur;
    sigaction(SIGSEGV, nullptr, &cur);
    if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_segv)
        return;
    if (g_altstack == nullptr) {
        stack_t old;
        sigaltstack(nullptr, &old);
        if (old.ss_flags & SS_DISABLE) {
            size_t len = 256 * 1024;
            g_altstack = static_cast<char *>(malloc(len));
            stack_t ss{};
            ss.ss_sp = g_altstack;
            ss.ss_size = len;
            sigaltstack(&ss, nullptr);
        } else {
            g_altstack = static_cast<char *>(old.ss_sp);
        }
    }
    struct sigaction sa {
    };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    g_old_segv = cur;
    sigaction(SIGSEGV, &sa, nullptr);
    install_trap_handlers();
}

/* ---- checking instrumented accesses (memory_check.h) --------------------
 */

/* The live device buffers of the running launch, by address: a buffer's
 * whole mapping (guard pages included), so an access just outside it is
 * still attributed to it. */
struct DeviceRange {
    uintptr_t lo, hi;
    const Alloc *alloc;
};
std::vector<DeviceRange> g_device_map;
Alloc g_heap_alloc;  /* the device heap's bytes, in g_device_map */
size_t g_last_range; /* where the previous lookup succeeded */
const char *g_shared_lo, *g_shared_hi;

void build_device_map()
{
    g_device_map.clear();
    for (const Alloc &a : g_allocs)
        if (!a.freed)
            g_device_map.push_back(DeviceRange{
                reinterpret_cast<uintptr_t>(a.region),
                reinterpret_cast<uintptr_t>(a.region) + a.region_len, &a});
    uintptr_t heap_lo;
    size_t heap_len;
    heap::region(&heap_lo, &heap_len);
    if (heap_len > 0) {
        /* the device heap (device_heap.h): one device buffer */
        g_heap_alloc.ptr = reinterpret_cast<char *>(heap_lo);
        g_heap_alloc.size = heap_len;
        g_heap_alloc.region = g_heap_alloc.ptr - page_size();
        g_heap_alloc.region_len = heap_len + 2 * page_size();
        g_device_map.push_back(
            DeviceRange{reinterpret_cast<uintptr_t>(g_heap_alloc.region),
                        reinterpret_cast<uintptr_t>(g_heap_alloc.region) +
                            g_heap_alloc.region_len,
                        &g_heap_alloc});
    }
    std::sort(
        g_device_map.begin(), g_device_map.end(),
        [](const DeviceRange &x, const DeviceRange &y) { return x.lo < y.lo; });
    g_last_range = 0;
    g_shared_lo = shmem::region_begin();
    g_shared_hi = shmem::region_end();
    g_windows = AccessWindows{};
    g_windows.shared_lo = reinterpret_cast<uintptr_t>(g_shared_lo);
    g_windows.shared_len = (uintptr_t)(g_shared_hi - g_shared_lo);
}

/* Remembers [lo, hi) around p as other memory: no device buffer there,
 * and no shared memory. */
void remember_other(uintptr_t p, uintptr_t lo, uintptr_t hi)
{
    uintptr_t slo = reinterpret_cast<uintptr_t>(g_shared_lo);
    uintptr_t shi = reinterpret_cast<uintptr_t>(g_shared_hi);
    if (shi <= p)
        lo = std::max(lo, shi);
    else if (slo > p)
        hi = std::min(hi, slo);
    else
        return; /* p is shared memory */
    static unsigned next;
    g_windows.other_lo[next] = lo;
    g_windows.other_len[next] = hi - lo;
    next ^= 1;
}

const Alloc *device_buffer_at(uintptr_t p)
{
    if (g_last_range < g_device_map.size()) {
        const DeviceRange &r = g_device_map[g_last_range];
        if (p >= r.lo && p < r.hi)
            return r.alloc;
    }
    size_t lo = 0, hi = g_device_map.size();
    while (lo < hi) { /* the last range starting at or below p */
        size_t mid = (lo + hi) / 2;
        if (g_device_map[mid].lo <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || p >= g_device_map[lo - 1].hi) {
        remember_other(p, lo == 0 ? 0 : g_device_map[lo - 1].hi,
                       lo < g_device_map.size() ? g_device_map[lo].lo
                                                : UINTPTR_MAX);
        return nullptr;
    }
    g_last_range = lo - 1;
    return g_device_map[lo - 1].alloc;
}

[[noreturn]] void access_fault(cudaError_t code, uintptr_t pc, const char *what)
{
    cudasim_location loc;
    if (pc && cudasim_symbolize(pc, &loc))
        snprintf(g_fault_at, sizeof g_fault_at, "%s", loc.where);
    kernel_fault(code, "%s", what);
}

[[noreturn]] void misaligned_fault(const char *addr, size_t size, bool write,
                                   uintptr_t pc)
{
    char where[600], what[900];
    describe_memory(addr, where, sizeof where);
    snprintf(what, sizeof what,
             "misaligned %zu-byte %s at %p (%s): a %zu-byte access needs an "
             "address that is a multiple of %zu (a float4 at a float index "
             "that is a multiple of 4, from a cudaMalloc'd pointer, which is "
             "256-byte aligned)",
             size, write ? "write" : "read", static_cast<const void *>(addr),
             where, size, size);
    access_fault(cudaErrorMisalignedAddress, pc, what);
}

} /* namespace */

/* Whether kernel code may store size bytes at a, on the running thread's
 * stack: below the kernel's outermost frame (the simulator's frames lie
 * above it), and not on the saved frame pointer or return address of any
 * frame between (found by walking the frame-pointer chain from here:
 * kernels are built with frame pointers). Other saved registers are the
 * kernel's own business: fiber_main keeps nothing in them across the
 * kernel. Faults when the chain does not lead to fiber_main's frame. */
static bool stack_store_allowed(uintptr_t a, size_t size, uintptr_t pc,
                                const char **why)
{
    const uintptr_t lo = g_windows.stack_lo,
                    hi = g_windows.stack_lo + g_windows.stack_len;
    const uintptr_t entry = g_running ? g_running->entry_frame : 0;
    uintptr_t fp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    uintptr_t outer = 0; /* the frame fiber_main called */
    while (fp != entry) {
        if (fp < lo || fp + 16 > hi || (fp & 7) != 0 || fp <= outer)
            access_fault(cudaErrorIllegalAddress, pc,
                         "the kernel's stack frames are corrupted (the chain "
                         "of saved frame pointers is broken)");
        if (a < fp + 16 && a + size > fp) {
            *why = "the saved frame pointer and return address of a call";
            return false;
        }
        outer = fp;
        fp = *reinterpret_cast<const uintptr_t *>(fp);
    }
    if (a + size > outer) {
        *why = "the simulator's frames above the kernel's";
        return false;
    }
    return true;
}

void check_device_store(const void *addr, size_t size, uintptr_t pc)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(addr);
    if (a - g_windows.stack_lo < g_windows.stack_len &&
        a + size - g_windows.stack_lo <= g_windows.stack_len) {
        const char *part = nullptr;
        if (stack_store_allowed(a, size, pc, &part))
            return;
        char what[400];
        snprintf(what, sizeof what,
                 "invalid write at %p: on the thread's stack but into %s "
                 "(an index past the end of a local array?); kernel code may "
                 "write its own local variables only",
                 addr, part);
        access_fault(cudaErrorIllegalAddress, pc, what);
    }
    char why[512];
    if (!*symbols::check_symbol(a, size, why, sizeof why))
        return;
    char what[700];
    snprintf(what, sizeof what,
             "invalid write at %p: kernel code may write device memory, "
             "shared memory, its own local variables and __device__ "
             "variables only (%s)",
             addr, why);
    access_fault(cudaErrorIllegalAddress, pc, what);
}

MemorySpace check_access(const void *addr, size_t size, unsigned kind,
                         uintptr_t pc)
{
    const char *p = static_cast<const char *>(addr);
    bool write = kind & race::kWrite;
    bool misaligned = (kind & race::kNatural) && size > 1 &&
                      (reinterpret_cast<uintptr_t>(p) & (size - 1)) != 0;
    if (p >= g_shared_lo && p < g_shared_hi) {
        if (misaligned)
            misaligned_fault(p, size, write, pc);
        return kSharedMemory;
    }
    const Alloc *a = device_buffer_at(reinterpret_cast<uintptr_t>(p));
    if (a == nullptr)
        return kOtherMemory;
    if (p < a->ptr || p + size > a->ptr + a->size || a->freed) {
        const char *end = a->ptr + a->size;
        const char *first = p < a->ptr ? p : std::max(p, end);
        char what[640];
        describe_address(what, sizeof what, first, write);
        access_fault(cudaErrorIllegalAddress, pc, what);
    }
    if (misaligned)
        misaligned_fault(p, size, write, pc);
    g_windows.buffer_lo = reinterpret_cast<uintptr_t>(a->ptr);
    g_windows.buffer_len = a->size;
    return kDeviceMemory;
}

namespace
{

/* ---- running a launch -----------------------------------------------------
 */

void start_block(unsigned n)
{
    g_epoch++;
    shmem::block_begin();
    race::block_begin(g_blockIdx);
    counters::block_begin(n);
    g_blk = Block{};
    g_blk.n = n;
    for (unsigned i = 0; i < n; i++) {
        Fiber *f = g_fibers[i];
        const dim3 &b = g_blockDim;
        f->tid = uint3{i % b.x, (i / b.x) % b.y, i / (b.x * b.y)};
        f->linear = i;
        f->lane = i % 32;
        f->warp = i / 32;
        f->state = READY;
        f->bfile = f->wfile = "";
        /* Stack tops at different cache sets: 128 KiB-aligned tops would
         * all compete for the same few lines. */
        size_t color = (i % 64) * 64 + (i / 64 % 8) * 4096;
        char *top = f->map + f->map_len - color % (cfg.stack_size / 4);
#if defined(__x86_64__) && !defined(CUDASIM_UCONTEXT)
        ctx_init(&f->ctx, top, fiber_main, f);
#else
        ctx_init(&f->ctx, top, fiber_main, f, f->map + page_size());
#endif
    }
}

/* Runs one block to the end; false after a fault. */
bool run_block(unsigned n)
{
    start_block(n);
    while (g_blk.done < n) {
        if (cfg.order == cudasimShuffle || g_order.size() != n)
            order_into(g_order, n);
        bool progress = run_pass() > 0;
        if (g_fault)
            return false;
        if (!progress) {
            g_fault = true;
            g_fault_code = cudaErrorLaunchFailure;
            const Fiber *bar = first_at_barrier();
            for (unsigned i = 0; i < n; i++) {
                const Fiber *f = g_fibers[i];
                if (f->state == AT_WARP) {
                    unsigned missing = f->wmask & ~g_blk.warps[f->warp].waiting;
                    report("%s, %s: deadlock: waits in %s(mask 0x%08x) at "
                           "%s:%d for the lanes 0x%08x of its warp, which "
                           "%s",
                           where_kernel().s, where_thread(f).s, op_name(f->wop),
                           f->wmask, f->wfile, f->wline, missing,
                           bar ? "wait at __syncthreads() instead"
                               : "never arrive");
                    return false;
                }
            }
            report("%s: deadlock: no thread of the block can continue",
                   where_kernel().s);
            return false;
        }
    }
    counters::block_end();
    return true;
}

const char *config_problem(dim3 grid, dim3 block, char *buf, size_t cap)
{
    unsigned long long threads =
        (unsigned long long)block.x * block.y * block.z;
    if (block.x == 0 || block.y == 0 || block.z == 0 || grid.x == 0 ||
        grid.y == 0 || grid.z == 0)
        snprintf(buf, cap,
                 "a grid or block dimension is 0 (grid (%u,%u,%u), "
                 "block (%u,%u,%u))",
                 grid.x, grid.y, grid.z, block.x, block.y, block.z);
    else if (threads > kMaxThreads)
        snprintf(buf, cap,
                 "%llu threads per block (block (%u,%u,%u)); the limit is "
                 "1024",
                 threads, block.x, block.y, block.z);
    else if (block.x > 1024 || block.y > 1024 || block.z > 64)
        snprintf(buf, cap,
                 "block (%u,%u,%u) exceeds the per-dimension limits "
                 "(1024, 1024, 64)",
                 block.x, block.y, block.z);
    else if (grid.x > 2147483647u || grid.y > 65535 || grid.z > 65535)
        snprintf(buf, cap,
                 "grid (%u,%u,%u) exceeds the limits (2^31-1, 65535, 65535)",
                 grid.x, grid.y, grid.z);
    else
        return nullptr;
    return buf;
}

} /* namespace */

void run(const LaunchSite &site, dim3 grid, dim3 block, size_t dyn_bytes,
         void (*body)(void *), void *ctx, size_t ctx_size)
{
    if (remote::active())
        return remote::launch(site, grid, block, dyn_bytes, body, ctx,
                              ctx_size);
    load_config();
    if (g_sticky != cudaSuccess) {
        g_last = g_sticky;
        return;
    }
    if (g_in_kernel) {
        report("kernel %s launched at %s:%d from inside a kernel: dynamic "
               "parallelism is not supported by the simulator",
               site.kernel, site.file, site.line);
        abort();
    }
    char why[256];
    if (config_problem(grid, block, why, sizeof why)) {
        fail(cudaErrorInvalidConfiguration,
             "launch of kernel %s at %s:%d failed: %s "
             "(cudaErrorInvalidConfiguration)",
             site.kernel, site.file, site.line, why);
        return;
    }
    if (dyn_bytes > kSharedLimit) {
        fail(
            cudaErrorInvalidValue,
            "launch of kernel %s at %s:%d failed: %zu bytes of dynamic "
            "shared memory requested; the limit is %zu (cudaErrorInvalidValue)",
            site.kernel, site.file, site.line, dyn_bytes, kSharedLimit);
        return;
    }
    unsigned n = block.x * block.y * block.z;
    fiber_at(n - 1);
    shmem::launch_begin(dyn_bytes);
    install_segv_handler();
    protect_all(true);
    g_site = site;
    g_body = body;
    g_body_ctx = ctx;
    g_gridDim = grid;
    g_blockDim = block;
    g_fault = false;
    g_rng = cfg.seed ? cfg.seed : 1;
    build_device_map();
    g_in_kernel = true;
    cudasim_in_kernel = 1;
    race::launch_begin(site, grid, block, ctx, ctx_size);
    counters::launch_begin(site, grid, block);
    origin::launch_begin();
    unsigned long long nblocks = (unsigned long long)grid.x * grid.y * grid.z;
    std::vector<unsigned long long> blocks;
    bool ordered = cfg.order == cudasimForward;
    if (!ordered) {
        blocks.resize(nblocks);
        for (unsigned long long i = 0; i < nblocks; i++)
            blocks[i] = cfg.order == cudasimReverse ? nblocks - 1 - i : i;
        if (cfg.order == cudasimShuffle)
            for (unsigned long long i = nblocks; i > 1; i--)
                std::swap(blocks[i - 1], blocks[next_rand() % i]);
    }
    g_order.clear();
    for (unsigned long long k = 0; k < nblocks; k++) {
        unsigned long long b = ordered ? k : blocks[k];
        g_blockIdx =
            uint3{(unsigned)(b % grid.x), (unsigned)(b / grid.x % grid.y),
                  (unsigned)(b / ((unsigned long long)grid.x * grid.y))};
        if (!run_block(n))
            break;
    }
    g_in_kernel = false;
    cudasim_in_kernel = 0;
    g_running = nullptr;
    g_cur = nullptr;
    origin::launch_end();
    protect_all(false);
    race::launch_end();
    counters::launch_end(g_fault);
    if (g_fault) {
        g_sticky = g_last = g_fault_code;
        if (cfg.fault_mode == cudasimFaultAbort) {
            fprintf(stderr, "cudasim: aborting (set CUDASIM_ON_FAULT=error to "
                            "get the error from cudaDeviceSynchronize "
                            "instead)\n");
            remote::fault_abort();
        }
    }
}

} /* namespace cudasim */

/* ---- the runtime API ------------------------------------------------------
 */

using namespace cudasim;

namespace
{

cudaError_t api_begin()
{
    load_config();
    return g_sticky;
}

/* A device range [p, p+n) of one live allocation, or a message why not. */
const Alloc *device_range(const void *p, size_t n, const char *call,
                          const char *role, cudaError_t *err)
{
    const Alloc *a = alloc_of(p, false);
    if (a == nullptr || a->freed) {
        *err =
            fail(cudaErrorInvalidValue,
                 "%s: the %s %p is %s (cudaErrorInvalidValue)", call, role, p,
                 a ? "device memory already released with cudaFree"
                   : "not device memory from cudaMalloc (swapped "
                     "arguments, or the wrong cudaMemcpyKind?)");
        return nullptr;
    }
    size_t off = (size_t)(static_cast<const char *>(p) - a->ptr);
    if (n > a->size - off) {
        *err = fail(cudaErrorInvalidValue,
                    "%s: %zu bytes from byte %zu of the %zu-byte device "
                    "buffer (%s) overrun it by %zu bytes "
                    "(cudaErrorInvalidValue)",
                    call, n, off, a->size, role, n - (a->size - off));
        return nullptr;
    }
    return a;
}

bool is_device(const void *p)
{
    const Alloc *a = alloc_of(p, false);
    return a != nullptr && !a->freed;
}

/* A device buffer's mapping (in the device process: inside the range the
 * host never maps, see device_process.h). */
void *map_buffer(size_t len)
{
    if (remote::g_device) {
        void *m = remote::map_device(len);
        return m ? m : MAP_FAILED;
    }
    return mmap(nullptr, len, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

void unmap_buffer(void *p, size_t len)
{
    if (remote::g_device)
        remote::unmap_device(p, len);
    else
        munmap(p, len);
}

void release_freed_if_many()
{
    if (g_freed_bytes < (256u << 20))
        return;
    std::vector<Alloc> keep;
    for (const Alloc &a : g_allocs) {
        if (a.freed)
            unmap_buffer(a.region, a.region_len);
        else
            keep.push_back(a);
    }
    g_allocs.swap(keep);
    g_freed_bytes = 0;
}

cudaError_t do_malloc(void **ptr, size_t size, bool managed, const char *file,
                      int line)
{
    if (remote::active()) {
        install_segv_handler(); /* names host reads of device memory */
        return remote::malloc_at(ptr, size, managed, file, line);
    }
    if (cudaError_t e = api_begin())
        return e;
    if (ptr == nullptr)
        return fail(cudaErrorInvalidValue, "cudaMalloc: NULL result pointer");
    *ptr = nullptr;
    if (size == 0)
        return cudaSuccess;
    size_t ps = page_size();
    size_t len = ps + round_up(size, ps) + ps;
    void *m = size > ((size_t)1 << 40) ? MAP_FAILED : map_buffer(len);
    if (m == MAP_FAILED)
        return fail(cudaErrorMemoryAllocation,
                    "cudaMalloc(%zu bytes): out of memory", size);
    Alloc a{};
    a.region = static_cast<char *>(m);
    a.region_len = len;
    /* 256-byte aligned, as cudaMalloc's buffers are on a GPU (vector
     * loads rely on it); the end is as close to the upper guard as that
     * allows, and check_access() covers the bytes in between. */
    a.ptr = reinterpret_cast<char *>(
        reinterpret_cast<uintptr_t>(a.region + len - ps - size) &
        ~(uintptr_t)(kDeviceAlignment - 1));
    a.size = size;
    a.managed = managed;
    a.file = file;
    a.line = line;
    a.seq = g_alloc_count++;
    mprotect(a.region, ps, PROT_NONE);
    mprotect(a.region + len - ps, ps, PROT_NONE);
    install_segv_handler();
    origin::on_malloc(a.ptr, a.size, managed);
    protect(a, g_in_kernel);
    g_allocs.push_back(a);
    *ptr = a.ptr;
    return cudaSuccess;
}

/* The allocations made since mark that are still live, described in msg:
 * how many, and for the first few their size and source line. */
size_t describe_leaks(unsigned long long mark, char *msg, size_t cap)
{
    size_t count = 0, bytes = 0, shown = 0, len = 0;
    char list[1024] = "";
    for (const Alloc &a : g_allocs) {
        if (a.freed || a.seq < mark)
            continue;
        count++;
        bytes += a.size;
        if (shown == 4 || len + 1 >= sizeof list)
            continue;
        char site[300];
        if (a.file)
            snprintf(site, sizeof site, " at %s:%d", a.file, a.line);
        else
            site[0] = '\0';
        int k = snprintf(list + len, sizeof list - len, "%s%zu bytes from %s%s",
                         shown ? ", " : "", a.size,
                         a.managed ? "cudaMallocManaged" : "cudaMalloc", site);
        len = std::min(sizeof list - 1, len + (size_t)std::max(k, 0));
        shown++;
    }
    if (cap == 0)
        return count;
    if (count == 0) {
        msg[0] = '\0';
        return 0;
    }
    snprintf(msg, cap,
             "%zu device buffer%s (%zu bytes) still allocated: %s%s; free "
             "each with cudaFree before returning, on every path (errors "
             "included)",
             count, count == 1 ? "" : "s", bytes, list,
             count > shown ? ", ..." : "");
    return count;
}

double now_s()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

} /* namespace */

cudaError_t cudasim::malloc_at(void **ptr, size_t size, bool managed,
                               const char *file, int line)
{
    return do_malloc(ptr, size, managed, file, line);
}

void cudasim::describe_memory(const void *addr, char *out, size_t cap)
{
    const char *p = static_cast<const char *>(addr);
    if (const Alloc *a = alloc_of(p, false)) {
        char site[300] = "";
        if (a->file)
            snprintf(site, sizeof site, " at %s:%d", a->file, a->line);
        snprintf(out, cap, "byte offset %zu of a %zu-byte device buffer (%s%s)",
                 (size_t)(p - a->ptr), a->size,
                 a->managed ? "cudaMallocManaged" : "cudaMalloc", site);
        return;
    }
    if (shmem::describe(p, out, cap))
        return;
    Dl_info info;
    if (dladdr(addr, &info) && info.dli_sname != nullptr &&
        info.dli_saddr != nullptr)
        snprintf(out, cap, "the global variable %s, byte offset %zu",
                 info.dli_sname, (size_t)(p - (const char *)info.dli_saddr));
    else
        snprintf(out, cap, "memory at %p (not from cudaMalloc)", addr);
}

cudaError_t cudasim::copy_check(void *dst, const void *src, size_t n,
                                cudaMemcpyKind *kindp, bool *todo)
{
    *todo = false;
    if (cudaError_t e = api_begin())
        return e;
    if (n == 0)
        return cudaSuccess;
    if (dst == nullptr || src == nullptr)
        return fail(cudaErrorInvalidValue, "cudaMemcpy: NULL %s pointer",
                    dst == nullptr ? "destination" : "source");
    bool dd = is_device(dst), sd = is_device(src);
    cudaMemcpyKind kind = *kindp;
    if (kind == cudaMemcpyDefault)
        kind = dd ? (sd ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
                  : (sd ? cudaMemcpyDeviceToHost : cudaMemcpyHostToHost);
    cudaError_t err = cudaSuccess;
    static const char *names[] = {
        "cudaMemcpyHostToHost", "cudaMemcpyHostToDevice",
        "cudaMemcpyDeviceToHost", "cudaMemcpyDeviceToDevice"};
    if ((unsigned)kind > 3)
        return fail(cudaErrorInvalidMemcpyDirection,
                    "cudaMemcpy: %d is not a cudaMemcpyKind", (int)kind);
    char call[80];
    snprintf(call, sizeof call, "cudaMemcpy(%s)", names[kind]);
    bool want_dst =
        kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    bool want_src =
        kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    if (want_dst && !device_range(dst, n, call, "destination", &err))
        return err;
    if (want_src && !device_range(src, n, call, "source", &err))
        return err;
    if (!want_dst && dd)
        return fail(cudaErrorInvalidValue,
                    "%s: the destination %p is device memory, but this kind "
                    "copies to the host (swapped arguments?)",
                    call, dst);
    if (!want_src && sd)
        return fail(cudaErrorInvalidValue,
                    "%s: the source %p is device memory, but this kind copies "
                    "from the host (swapped arguments?)",
                    call, src);
    *kindp = kind;
    *todo = true;
    return cudaSuccess;
}

void cudasim::copy_perform(void *dst, const void *src, size_t n,
                           cudaMemcpyKind kind, void *host_dst,
                           const void *host_src)
{
    bool to_device =
        kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
    bool from_device =
        kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
    /* Every buffer is looked at: see result_origin.h. */
    protect_all(true);
    if (kind == cudaMemcpyDeviceToHost)
        origin::copied_to_host(static_cast<const char *>(src), n);
    else
        origin::sync_host_writes();
    memmove(to_device ? dst : host_dst, from_device ? src : host_src, n);
    if (kind == cudaMemcpyHostToDevice)
        origin::host_wrote(static_cast<const char *>(dst), n);
    else if (kind == cudaMemcpyDeviceToDevice)
        origin::device_copied(static_cast<const char *>(dst),
                              static_cast<const char *>(src), n);
    protect_all(false);
    counters::copied(kind, n);
}

cudaError_t cudasim::fail_message(cudaError_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    g_last = e;
    return e;
}

cudaError_t cudasim::symbol_copy_local(void *symbol, size_t symbol_size,
                                       void *host, size_t count, size_t offset,
                                       int kind, bool to_symbol)
{
    if (offset + count > symbol_size || count > symbol_size ||
        kind == (to_symbol ? cudaMemcpyDeviceToHost : cudaMemcpyHostToDevice))
        return cudaErrorInvalidValue;
    refuse_in_kernel(to_symbol ? "cudaMemcpyToSymbol" : "cudaMemcpyFromSymbol");
    char *at = static_cast<char *>(symbol) + offset;
    if (to_symbol)
        std::memcpy(at, host, count);
    else
        std::memcpy(host, at, count);
    counters::copied(kind, count);
    return cudaSuccess;
}

cudaError_t cudasim::symbol_copy(void *symbol, size_t symbol_size, void *host,
                                 size_t count, size_t offset, int kind,
                                 bool to_symbol)
{
    if (remote::active())
        return remote::symbol_copy(symbol, symbol_size, host, count, offset,
                                   kind, to_symbol);
    return symbol_copy_local(symbol, symbol_size, host, count, offset, kind,
                             to_symbol);
}

void cudasim::refuse_launch(const char *kernel, const char *file, int line,
                            const char *why)
{
    report("launch of kernel %s at %s:%d refused by the device process: %s",
           kernel, file, line, why);
    remote::note_fault(g_msg);
    g_sticky = g_last = cudaErrorInvalidDeviceFunction;
    if (cfg.fault_mode == cudasimFaultAbort)
        remote::fault_abort();
}

void cudasim::refuse_in_kernel(const char *what)
{
    if (g_in_kernel && g_running != nullptr)
        kernel_fault(cudaErrorLaunchFailure,
                     "kernel code called %s, which only host code may call",
                     what);
}

void cudasim::config_new_client()
{
    cfg = Config{};
    load_config();
    g_msg[0] = '\0';
    g_sticky = g_last = cudaSuccess;
}

struct cudasim_event {
    double t;
    bool recorded;
};

long long clock64(void)
{
    return (long long)(now_s() * 1e9);
}

extern "C" {

void cudasimSetOrder(enum cudasimOrder order, unsigned seed)
{
    if (remote::active())
        return remote::set_order(order, seed);
    refuse_in_kernel("cudasimSetOrder");
    load_config();
    cfg.order = order;
    cfg.seed = seed;
}

void cudasimSetFaultMode(enum cudasimFaultMode mode)
{
    if (remote::active())
        return remote::set_fault_mode(mode);
    refuse_in_kernel("cudasimSetFaultMode");
    load_config();
    cfg.fault_mode = mode;
}

const char *cudasimLastMessage(void)
{
    if (remote::active())
        return remote::last_message();
    return g_msg;
}

#ifndef CUDASIM_RACE_TIER /* the race tier's own are in race_tier.cpp */
unsigned long cudasimRaceReports(void)
{
    return 0;
}

void cudasimRaceForget(void) {}
#endif

/* In parentheses: cudasim.h makes cudaMalloc a macro that records the
 * caller's line; these are the functions behind it. */
cudaError_t(cudaMalloc)(void **ptr, size_t size)
{
    return do_malloc(ptr, size, false, nullptr, 0);
}

cudaError_t(cudaMallocManaged)(void **ptr, size_t size, unsigned flags)
{
    (void)flags;
    return do_malloc(ptr, size, true, nullptr, 0);
}

unsigned long long cudasimAllocationMark(void)
{
    if (remote::active())
        return remote::allocation_mark();
    refuse_in_kernel("cudasimAllocationMark");
    return g_alloc_count;
}

size_t cudasimLeaksSince(unsigned long long mark, char *msg, size_t cap)
{
    if (remote::active())
        return remote::leaks_since(mark, msg, cap);
    refuse_in_kernel("cudasimLeaksSince");
    return describe_leaks(mark, msg, cap);
}

cudaError_t cudaFree(void *ptr)
{
    if (remote::active())
        return remote::free_ptr(ptr);
    refuse_in_kernel("cudaFree");
    if (cudaError_t e = api_begin())
        return e;
    if (ptr == nullptr)
        return cudaSuccess;
    for (Alloc &a : g_allocs) {
        if (a.ptr != ptr)
            continue;
        if (a.freed)
            continue;
        protect(a, true);
        origin::on_free(a.ptr);
        a.freed = true;
        mprotect(data_start(a), data_len(a), PROT_NONE);
        g_freed_bytes += a.region_len;
        release_freed_if_many();
        return cudaSuccess;
    }
    const Alloc *in = alloc_of(ptr, false);
    return fail(cudaErrorInvalidValue, "cudaFree(%p): %s", ptr,
                in == nullptr ? "not a pointer returned by cudaMalloc"
                : in->freed   ? "this buffer was already freed"
                              : "points inside a buffer, not at its start");
}

cudaError_t cudaMemcpy(void *dst, const void *src, size_t n,
                       enum cudaMemcpyKind kind)
{
    if (remote::active())
        return remote::memcpy_any(dst, src, n, kind);
    refuse_in_kernel("cudaMemcpy");
    bool todo = false;
    if (cudaError_t e = copy_check(dst, src, n, &kind, &todo))
        return e;
    if (todo)
        copy_perform(dst, src, n, kind, dst, src);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void *dst, const void *src, size_t n,
                            enum cudaMemcpyKind kind, cudaStream_t s)
{
    (void)s;
    return cudaMemcpy(dst, src, n, kind);
}

cudaError_t cudaMemset(void *ptr, int value, size_t n)
{
    if (remote::active())
        return remote::memset_dev(ptr, value, n);
    refuse_in_kernel("cudaMemset");
    if (cudaError_t e = api_begin())
        return e;
    if (n == 0)
        return cudaSuccess;
    cudaError_t err = cudaSuccess;
    const Alloc *a = device_range(ptr, n, "cudaMemset", "destination", &err);
    if (a == nullptr)
        return err;
    protect_all(true);
    origin::sync_host_writes();
    memset(ptr, value, n);
    origin::host_wrote(static_cast<const char *>(ptr), n);
    protect_all(false);
    return cudaSuccess;
}

cudaError_t cudaDeviceSynchronize(void)
{
    if (remote::active())
        return remote::simple(remote::kSync);
    if (cudaError_t e = api_begin())
        return e;
    return cudaSuccess;
}

cudaError_t cudaDeviceReset(void)
{
    if (remote::active())
        return remote::simple(remote::kReset);
    refuse_in_kernel("cudaDeviceReset");
    load_config();
    for (Alloc &a : g_allocs) {
        if (!a.freed)
            origin::on_free(a.ptr);
        unmap_buffer(a.region, a.region_len);
    }
    g_allocs.clear();
    g_freed_bytes = 0;
    heap::reset();
    g_sticky = g_last = cudaSuccess;
    return cudaSuccess;
}

cudaError_t cudaGetLastError(void)
{
    if (remote::active())
        return remote::simple(remote::kGetLastError);
    cudaError_t e = g_sticky != cudaSuccess ? g_sticky : g_last;
    g_last = cudaSuccess;
    return e;
}

cudaError_t cudaPeekAtLastError(void)
{
    if (remote::active())
        return remote::simple(remote::kPeekAtLastError);
    return g_sticky != cudaSuccess ? g_sticky : g_last;
}

const char *cudaGetErrorName(cudaError_t e)
{
    switch (e) {
#define N(x)                                                                   \
    case x: return #x;
        N(cudaSuccess)
        N(cudaErrorInvalidValue)
        N(cudaErrorMemoryAllocation)
        N(cudaErrorInitializationError)
        N(cudaErrorInvalidConfiguration)
        N(cudaErrorInvalidSymbol)
        N(cudaErrorInvalidDevicePointer)
        N(cudaErrorInvalidMemcpyDirection)
        N(cudaErrorStubLibrary)
        N(cudaErrorInsufficientDriver)
        N(cudaErrorInvalidDeviceFunction)
        N(cudaErrorNoDevice)
        N(cudaErrorInvalidDevice)
        N(cudaErrorInvalidResourceHandle)
        N(cudaErrorNotReady)
        N(cudaErrorIllegalAddress)
        N(cudaErrorLaunchOutOfResources)
        N(cudaErrorMisalignedAddress)
        N(cudaErrorLaunchFailure)
        N(cudaErrorUnknown)
#undef N
    }
    return "cudaErrorUnknown";
}

const char *cudaGetErrorString(cudaError_t e)
{
    switch (e) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInitializationError: return "initialization error";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidSymbol: return "invalid device symbol";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInvalidMemcpyDirection:
        return "invalid copy direction for memcpy";
    case cudaErrorStubLibrary: return "CUDA driver is a stub library";
    case cudaErrorInsufficientDriver:
        return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorInvalidDeviceFunction: return "invalid device function";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorIllegalAddress:
        return "an illegal memory access was encountered";
    case cudaErrorLaunchOutOfResources:
        return "too many resources requested for launch";
    case cudaErrorMisalignedAddress: return "misaligned address";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    case cudaErrorUnknown: return "unknown error";
    }
    return "unknown error";
}

cudaError_t cudaGetDeviceCount(int *count)
{
    if (count == nullptr)
        return fail(cudaErrorInvalidValue, "cudaGetDeviceCount: NULL pointer");
    *count = 1;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int *dev)
{
    if (dev == nullptr)
        return fail(cudaErrorInvalidValue, "cudaGetDevice: NULL pointer");
    *dev = 0;
    return cudaSuccess;
}

cudaError_t cudaSetDevice(int dev)
{
    if (dev != 0)
        return fail(cudaErrorInvalidDevice,
                    "cudaSetDevice(%d): the simulator has one device, 0", dev);
    return cudaSuccess;
}

cudaError_t cudaGetDeviceProperties(struct cudaDeviceProp *p, int dev)
{
    if (p == nullptr || dev != 0)
        return fail(cudaErrorInvalidDevice,
                    "cudaGetDeviceProperties: no device %d", dev);
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "cudasim (CPU simulator)");
    long pages = sysconf(_SC_PHYS_PAGES);
    p->totalGlobalMem = (size_t)(pages > 0 ? pages : 0) * page_size();
    p->sharedMemPerBlock = kSharedLimit;
    p->regsPerBlock = 65536;
    p->warpSize = 32;
    p->maxThreadsPerBlock = 1024;
    p->maxThreadsDim[0] = 1024;
    p->maxThreadsDim[1] = 1024;
    p->maxThreadsDim[2] = 64;
    p->maxGridSize[0] = 2147483647;
    p->maxGridSize[1] = 65535;
    p->maxGridSize[2] = 65535;
    p->clockRate = 1000000;
    p->totalConstMem = 65536;
    p->major = 8;
    p->minor = 0;
    p->multiProcessorCount = 1;
    p->maxThreadsPerMultiProcessor = 1024;
    p->sharedMemPerMultiprocessor = kSharedLimit;
    p->l2CacheSize = 0;
    return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t *s)
{
    if (s == nullptr)
        return fail(cudaErrorInvalidValue, "cudaStreamCreate: NULL pointer");
    static char dummy;
    *s = reinterpret_cast<cudaStream_t>(&dummy); /* launches are synchronous */
    return cudaSuccess;
}

cudaError_t cudaStreamDestroy(cudaStream_t s)
{
    (void)s;
    return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t s)
{
    (void)s;
    if (remote::active())
        return remote::simple(remote::kSync);
    return api_begin();
}

cudaError_t cudaEventCreate(cudaEvent_t *e)
{
    if (e == nullptr)
        return fail(cudaErrorInvalidValue, "cudaEventCreate: NULL pointer");
    *e = new cudasim_event{0.0, false};
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t e)
{
    delete e;
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s)
{
    (void)s;
    if (e == nullptr)
        return fail(cudaErrorInvalidResourceHandle,
                    "cudaEventRecord: NULL event");
    e->t = now_s();
    e->recorded = true;
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t e)
{
    if (e == nullptr)
        return fail(cudaErrorInvalidResourceHandle,
                    "cudaEventSynchronize: NULL event");
    if (remote::active())
        return remote::simple(remote::kSync);
    return api_begin();
}

cudaError_t cudaEventElapsedTime(float *ms, cudaEvent_t a, cudaEvent_t b)
{
    if (ms == nullptr || a == nullptr || b == nullptr)
        return fail(cudaErrorInvalidValue,
                    "cudaEventElapsedTime: NULL argument");
    if (!a->recorded || !b->recorded)
        return fail(cudaErrorInvalidResourceHandle,
                    "cudaEventElapsedTime: an event was never recorded");
    *ms = (float)((b->t - a->t) * 1e3);
    return cudaSuccess;
}

} /* extern "C" */
