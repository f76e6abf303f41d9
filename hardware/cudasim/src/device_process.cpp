/* device_process.cpp: see device_process.h. The wire format is private to
 * this file (both ends are the same program): a request is a Header and
 * `len` bytes of arguments; a reply is a ReplyHeader and `len` bytes. */
#include "device_process.h"

#include "counters.h"
#include "kernel_symbols.h"
#include "kernel_words_sample.h"
#include "runtime_internal.h"

#include <cerrno>
#include <csetjmp>
#include <csignal>
#include <cstdarg>
#include <cstring>
#include <fcntl.h>
#include <link.h>
#include <new>
#include <poll.h>
#include <set>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

bool g_host;
bool g_device;

namespace
{

constexpr const char *kReportVar = "CUDASIM_DEVICE_REPORT_FD";
constexpr const char *kSocketVar = "CUDASIM_DEVICE_SOCKET";
/* Device memory lives here, in both processes: the host reserves the range
 * and never maps anything into it, so a host pointer is never mistaken for
 * a device pointer, and host code that dereferences a device pointer
 * faults. Far below where Linux puts programs, libraries and mmap. */
constexpr uintptr_t kDeviceBase = (uintptr_t)0x200000000000ull;
constexpr size_t kDeviceLen = (size_t)1 << 40;
constexpr uint64_t kMaxRequest = (uint64_t)1 << 34;

enum Op : uint32_t {
    kMalloc = 1,
    kFree,
    kMemcpy,
    kMemset,
    kSymbolCopy,
    kLaunch,
    kPointerArg,
    kSimple,
    kSetOrder,
    kSetFaultMode,
    kLastMessage,
    kAllocationMark,
    kLeaksSince,
    kCountersReset,
    kCountersGet,
    kCountersAvailable,
    kGpuOrigin,
};

struct Header {
    uint32_t op;
    uint32_t unused;
    uint64_t len;
};
struct ReplyHeader {
    int32_t status;
    uint32_t abort_host; /* abort mode: the request faulted */
    uint64_t len;
};

/* Where the program is loaded. Criterion runs each test in a fresh exec of
 * the program, so a host process and the device process (a fork of the
 * first one) load it at different addresses: code and global variables
 * travel as offsets from this base. */
int program_base_of(struct dl_phdr_info *info, size_t, void *out)
{
    *static_cast<uintptr_t *>(out) = info->dlpi_addr;
    return 1; /* the first entry is the program itself */
}

uintptr_t program_base()
{
    static uintptr_t base;
    static bool known;
    if (!known) {
        dl_iterate_phdr(program_base_of, &base);
        known = true;
    }
    return base;
}

uintptr_t to_offset(uintptr_t addr)
{
    return addr - program_base();
}

uintptr_t from_offset(uintptr_t offset)
{
    return offset + program_base();
}

/* ---- bytes on the socket ------------------------------------------------ */

bool write_all(int fd, const void *p, size_t n)
{
    const char *c = static_cast<const char *>(p);
    while (n > 0) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

bool read_all(int fd, void *p, size_t n)
{
    char *c = static_cast<char *>(p);
    while (n > 0) {
        ssize_t k = read(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

/* Arguments, appended in order and read back in the same order. */
struct Out {
    std::vector<char> b;
    template <class T> Out &put(const T &v)
    {
        const char *p = reinterpret_cast<const char *>(&v);
        b.insert(b.end(), p, p + sizeof v);
        return *this;
    }
    Out &bytes(const void *p, size_t n)
    {
        const char *c = static_cast<const char *>(p);
        b.insert(b.end(), c, c + n);
        return *this;
    }
    Out &str(const char *s)
    {
        uint32_t n = s ? (uint32_t)strnlen(s, 4096) : 0;
        put(n);
        return bytes(s, n);
    }
};

struct In {
    const char *p, *end;
    bool bad = false;
    template <class T> T get()
    {
        T v{};
        if ((size_t)(end - p) < sizeof v) {
            bad = true;
            return v;
        }
        memcpy(&v, p, sizeof v);
        p += sizeof v;
        return v;
    }
    const char *bytes(size_t n)
    {
        if ((size_t)(end - p) < n) {
            bad = true;
            return nullptr;
        }
        const char *r = p;
        p += n;
        return r;
    }
    std::string str()
    {
        uint32_t n = get<uint32_t>();
        const char *s = bytes(n);
        return s ? std::string(s, n) : std::string();
    }
};

/* ---- host side ----------------------------------------------------------- */

/* The device's socket name. Plain data, as everything this file keeps:
 * constructors of globals run after judge_mode_start, and never in the
 * device process. */
char g_socket_name[96];
int g_chan = -1;
pid_t g_chan_pid;
char g_last_message[2048];

[[noreturn]] void host_fail(const char *what)
{
    fprintf(stderr,
            "cudasim: judge mode: %s (the simulated GPU runs in a separate "
            "device process; did it die?)\n",
            what);
    fflush(stderr);
    abort();
}

int channel()
{
    if (g_chan >= 0 && g_chan_pid == getpid())
        return g_chan;
    if (g_chan >= 0)
        close(g_chan); /* a fork's copy: this process gets its own */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    size_t name_len = strlen(g_socket_name);
    memcpy(a.sun_path + 1, g_socket_name, name_len);
    socklen_t len = (socklen_t)(offsetof(sockaddr_un, sun_path) + 1 + name_len);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&a), len) != 0)
        host_fail("cannot connect to the device process");
    g_chan = fd;
    g_chan_pid = getpid();
    return fd;
}

/* Sends one request and waits for its reply; aborts this process when the
 * device says the request faulted in abort mode (it printed why). */
int32_t call(Op op, const Out &args, std::vector<char> *reply = nullptr)
{
    fflush(stdout); /* host output before the kernel's, in order */
    fflush(stderr);
    int fd = channel();
    Header h{op, 0, args.b.size()};
    if (!write_all(fd, &h, sizeof h) ||
        !write_all(fd, args.b.data(), args.b.size()))
        host_fail("the device process does not take requests");
    ReplyHeader r;
    if (!read_all(fd, &r, sizeof r))
        host_fail("no reply from the device process");
    std::vector<char> data;
    try {
        data.resize(r.len);
    } catch (const std::bad_alloc &) {
        host_fail("a reply too large");
    }
    if (!read_all(fd, data.data(), data.size()))
        host_fail("a reply cut short");
    if (r.abort_host) {
        fflush(stdout);
        abort();
    }
    if (reply)
        reply->swap(data);
    return r.status;
}

template <class T> T reply_value(const std::vector<char> &d)
{
    T v{};
    if (d.size() >= sizeof v)
        memcpy(&v, d.data(), sizeof v);
    return v;
}

Out site_args(const LaunchSite &site)
{
    Out o;
    o.put((int32_t)site.line).str(site.kernel).str(site.file);
    return o;
}

/* ---- device side ----------------------------------------------------------
 */

/* What the report adds up: only the device process writes it, through
 * life_add_*, and the page is read-only otherwise, so a stray store
 * cannot change it. */
struct Life {
    cudasimCounters c;
    unsigned long long kernel_bytes_to_host, host_bytes_to_host;
    kernel_words_sample sample;
    char fault[2048];
};
Life *g_life;
sigjmp_buf g_fault_jmp;
bool g_in_request;
pid_t g_runner;                   /* the process that forked the device */
std::set<std::string> *g_strings; /* launch sites' names, kept */

void life_writable(bool w)
{
    mprotect(g_life, sizeof(Life) + 4096 - sizeof(Life) % 4096,
             w ? PROT_READ | PROT_WRITE : PROT_READ);
}

const char *intern(const std::string &s)
{
    if (g_strings == nullptr)
        g_strings = new std::set<std::string>;
    return g_strings->insert(s).first->c_str();
}

/* The parent of pid, from /proc (0 when unknown). */
pid_t parent_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    int ppid = 0;
    char state;
    if (close_paren == nullptr ||
        sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2)
        return 0;
    return (pid_t)ppid;
}

/* Only the test program that started the device, and its descendants (the
 * Criterion workers), may use it; where /proc does not show the client's
 * parent at all, a client of the same user is served. */
bool client_allowed(int fd)
{
    struct ucred cr {
    };
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0 ||
        cr.uid != getuid())
        return false;
    pid_t p = cr.pid;
    for (int depth = 0; depth < 64 && p > 1; depth++) {
        if (p == g_runner)
            return true;
        pid_t parent = parent_of(p);
        if (parent == 0 && depth == 0)
            return true; /* no /proc to ask */
        p = parent;
    }
    fprintf(stderr,
            "cudasim: judge mode: the device process refused a connection "
            "from process %d, which the test program did not start\n",
            (int)cr.pid);
    fflush(stderr);
    return false;
}

int32_t malformed()
{
    return (int32_t)fail_message(cudaErrorInvalidValue,
                                 "judge mode: a malformed request to the "
                                 "device process was refused");
}

int32_t do_memcpy(In &in, Out &out)
{
    auto dst = in.get<uintptr_t>();
    auto src = in.get<uintptr_t>();
    auto n = in.get<uint64_t>();
    auto kind = in.get<int32_t>();
    auto has_data = in.get<uint8_t>();
    const char *data = has_data ? in.bytes(n) : nullptr;
    if (in.bad)
        return malformed();
    void *d = reinterpret_cast<void *>(dst);
    const void *s = reinterpret_cast<const void *>(src);
    cudaMemcpyKind k = (cudaMemcpyKind)kind;
    bool todo = false;
    cudaError_t e = copy_check(d, s, n, &k, &todo);
    if (e != cudaSuccess || !todo)
        return e;
    out.put((int32_t)k);
    if (k == cudaMemcpyHostToHost)
        return cudaSuccess; /* the host copies */
    if (k == cudaMemcpyHostToDevice && data == nullptr)
        return malformed();
    std::vector<char> back(k == cudaMemcpyDeviceToHost ? n : 0);
    copy_perform(d, s, n, k, back.data(), data);
    out.bytes(back.data(), back.size());
    return cudaSuccess;
}

int32_t do_symbol_copy(In &in, Out &out)
{
    auto symbol = from_offset(in.get<uintptr_t>());
    auto size = in.get<uint64_t>();
    auto count = in.get<uint64_t>();
    auto offset = in.get<uint64_t>();
    auto kind = in.get<int32_t>();
    auto to_symbol = in.get<uint8_t>();
    const char *data = to_symbol ? in.bytes(count) : nullptr;
    if (in.bad)
        return malformed();
    char why[512];
    if (*symbols::check_symbol(symbol, size, why, sizeof why))
        return (int32_t)fail_message(cudaErrorInvalidSymbol,
                                     "cudaMemcpy%sSymbol: %s",
                                     to_symbol ? "To" : "From", why);
    std::vector<char> buf(to_symbol ? 0 : count);
    cudaError_t e =
        symbol_copy_local(reinterpret_cast<void *>(symbol), size,
                          to_symbol ? const_cast<char *>(data) : buf.data(),
                          count, offset, kind, to_symbol);
    if (e == cudaSuccess)
        out.bytes(buf.data(), buf.size());
    return e;
}

int32_t do_launch(In &in)
{
    auto line = in.get<int32_t>();
    std::string kernel = in.str(), file = in.str();
    dim3 grid = in.get<dim3>(), block = in.get<dim3>();
    auto shmem = in.get<uint64_t>();
    auto body = from_offset(in.get<uintptr_t>());
    auto ctx_size = in.get<uint64_t>();
    const char *ctx = in.bytes(ctx_size);
    if (in.bad || ctx_size < sizeof(uintptr_t) || ctx_size > 4096)
        return malformed();
    alignas(64) static char copy[4096];
    memset(copy, 0, sizeof copy);
    memcpy(copy, ctx, ctx_size);
    uintptr_t fn; /* Launch<P...>::Ctx starts with fn, sent as an offset */
    memcpy(&fn, copy, sizeof fn);
    fn = from_offset(fn);
    memcpy(copy, &fn, sizeof fn);
    char why[768];
    if (*symbols::check_launch(body, fn, why, sizeof why)) {
        refuse_launch(kernel.c_str(), file.c_str(), line, why);
        return cudaErrorInvalidDeviceFunction;
    }
    LaunchSite site{intern(kernel), intern(file), line};
    run(site, grid, block, shmem, reinterpret_cast<void (*)(void *)>(body),
        copy, ctx_size);
    return cudaPeekAtLastError();
}

int32_t dispatch(uint32_t op, In &in, Out &out)
{
    switch (op) {
    case kMalloc: {
        auto size = in.get<uint64_t>();
        auto managed = in.get<uint8_t>();
        auto line = in.get<int32_t>();
        std::string file = in.str();
        auto null_result = in.get<uint8_t>();
        if (in.bad)
            return malformed();
        if (managed)
            return (int32_t)fail_message(
                cudaErrorInvalidValue,
                "cudaMallocManaged is not available in judge mode (device "
                "memory lives in the simulator's device process, apart from "
                "the host's): use cudaMalloc and cudaMemcpy");
        void *p = nullptr;
        cudaError_t e =
            ::cudasim::malloc_at(null_result ? nullptr : &p, size, false,
                                 file.empty() ? nullptr : intern(file), line);
        out.put((uintptr_t)p);
        return e;
    }
    case kFree: {
        auto p = in.get<uintptr_t>();
        return in.bad ? malformed() : cudaFree(reinterpret_cast<void *>(p));
    }
    case kMemcpy: return do_memcpy(in, out);
    case kMemset: {
        auto p = in.get<uintptr_t>();
        auto v = in.get<int32_t>();
        auto n = in.get<uint64_t>();
        return in.bad ? malformed()
                      : cudaMemset(reinterpret_cast<void *>(p), v, n);
    }
    case kSymbolCopy: return do_symbol_copy(in, out);
    case kLaunch: return do_launch(in);
    case kPointerArg: {
        auto line = in.get<int32_t>();
        std::string kernel = in.str(), file = in.str();
        auto index = in.get<int32_t>();
        auto p = in.get<uintptr_t>();
        if (in.bad)
            return malformed();
        LaunchSite site{intern(kernel), intern(file), line};
        return host_pointer_arg(site, index, reinterpret_cast<void *>(p));
    }
    case kSimple:
        switch (in.get<int32_t>()) {
        case kSync: return cudaDeviceSynchronize();
        case kReset: return cudaDeviceReset();
        case kGetLastError: return cudaGetLastError();
        case kPeekAtLastError: return cudaPeekAtLastError();
        default: return malformed();
        }
    case kSetOrder: {
        auto order = in.get<int32_t>();
        auto seed = in.get<uint32_t>();
        if (in.bad)
            return malformed();
        cudasimSetOrder((cudasimOrder)order, seed);
        return 0;
    }
    case kSetFaultMode:
        cudasimSetFaultMode((cudasimFaultMode)in.get<int32_t>());
        return 0;
    case kLastMessage: out.str(cudasimLastMessage()); return 0;
    case kAllocationMark: out.put(cudasimAllocationMark()); return 0;
    case kLeaksSince: {
        auto mark = in.get<unsigned long long>();
        auto cap = in.get<uint64_t>();
        std::vector<char> msg(cap > 65536 ? 65536 : cap);
        size_t n = cudasimLeaksSince(mark, msg.data(), msg.size());
        out.put((uint64_t)n).str(msg.empty() ? "" : msg.data());
        return 0;
    }
    case kCountersReset: cudasimCountersReset(); return 0;
    case kCountersGet: {
        cudasimCounters c{};
        if (in.get<uint8_t>())
            cudasimCountersLastLaunch(&c);
        else
            cudasimCountersGet(&c);
        out.put(c);
        return 0;
    }
    case kCountersAvailable: return cudasimCountersAvailable();
    case kGpuOrigin: {
        unsigned long long k = 0, h = 0;
        llmlings_gpu_origin(&k, &h);
        out.put(k).put(h);
        return 0;
    }
    }
    return malformed();
}

void serve_client(int fd)
{
    for (;;) {
        Header h;
        if (!read_all(fd, &h, sizeof h) || h.len > kMaxRequest)
            return;
        std::vector<char> req;
        try {
            req.resize(h.len);
        } catch (const std::bad_alloc &) {
            return;
        }
        if (!read_all(fd, req.data(), req.size()))
            return;
        In in{req.data(), req.data() + req.size()};
        Out out;
        volatile int32_t status = 0;
        volatile uint32_t aborted = 0;
        g_in_request = true;
        if (sigsetjmp(g_fault_jmp, 1) == 0)
            status = dispatch(h.op, in, out);
        else
            aborted = 1;
        g_in_request = false;
        fflush(stdout);
        fflush(stderr);
        ReplyHeader r{status, aborted, out.b.size()};
        if (!write_all(fd, &r, sizeof r) ||
            !write_all(fd, out.b.data(), out.b.size()))
            return;
    }
}

/* A client went (a test process ended): the next one finds a fresh device,
 * as a new process finds a GPU. The report's totals stay. */
void end_client()
{
    cudaDeviceReset();
    counters_new_client();
    config_new_client();
}

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void write_report(int fd)
{
    FILE *f = fdopen(fd, "w");
    if (f == nullptr)
        return;
    const cudasimCounters &c = g_life->c;
    unsigned long long k = g_life->kernel_bytes_to_host;
    unsigned long long h = g_life->host_bytes_to_host;
    fprintf(f, "{\"cudasim_device_report\": 1");
#define FIELD(name) fprintf(f, ", \"" #name "\": %llu", c.name);
    CUDASIM_COUNTER_FIELDS(FIELD)
#undef FIELD
    fprintf(f, ", \"kernel_bytes_to_host\": %llu, \"host_bytes_to_host\": %llu",
            k, h);
    fprintf(f, ", \"kernel_words_sample\": [");
    for (uint32_t i = 0; i < g_life->sample.count; i++)
        fprintf(f, "%s%u", i ? ", " : "", g_life->sample.words[i]);
    fprintf(f, "]");
    fprintf(f, ", \"fault\": ");
    json_string(f, g_life->fault);
    fprintf(f, "}\n");
    fclose(f);
}

static_assert(sizeof(cudasimCounters) == 23 * sizeof(unsigned long long),
              "CUDASIM_COUNTER_FIELDS must name every counter");

/* Readable when the process that started the device has ended (a pidfd:
 * the test program cannot close the device's descriptors, as it could
 * close its end of a pipe); -1 where the kernel has no pidfd_open. */
int watch_runner()
{
    return (int)syscall(SYS_pidfd_open, g_runner, 0);
}

bool runner_gone(int pidfd)
{
    if (pidfd >= 0) {
        pollfd p{pidfd, POLLIN, 0};
        return poll(&p, 1, 0) > 0;
    }
    return kill(g_runner, 0) != 0 && errno == ESRCH;
}

[[noreturn]] void device_main(int report_fd, int listen_fd)
{
    g_device = true;
    prctl(PR_SET_DUMPABLE, 0);
    signal(SIGPIPE, SIG_IGN);
    void *m = mmap(nullptr, sizeof(Life) + 4096 - sizeof(Life) % 4096,
                   PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        _exit(3);
    g_life = static_cast<Life *>(m);
    life_writable(false);
    int life_fd = watch_runner();
    for (bool runner_alive = true;;) {
        pollfd p[2] = {{listen_fd, POLLIN, 0}, {life_fd, POLLIN, 0}};
        int wait_ms = !runner_alive ? 0 : life_fd >= 0 ? -1 : 1000;
        if (poll(p, runner_alive && life_fd >= 0 ? 2 : 1, wait_ms) < 0 &&
            errno == EINTR)
            continue;
        if (p[0].revents & POLLIN) {
            int c = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c >= 0) {
                if (client_allowed(c))
                    serve_client(c);
                close(c);
                end_client();
            }
            continue;
        }
        if (!runner_alive)
            break; /* and no client waiting */
        if (runner_gone(life_fd))
            runner_alive = false;
    }
    write_report(report_fd);
    _exit(0);
}

void reserve_device_range()
{
    void *m =
        mmap(reinterpret_cast<void *>(kDeviceBase), kDeviceLen, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
             -1, 0);
    if (m != reinterpret_cast<void *>(kDeviceBase)) {
        fprintf(stderr,
                "cudasim: judge mode: cannot reserve the device memory range "
                "%#lx..%#lx (%s)\n",
                (unsigned long)kDeviceBase,
                (unsigned long)(kDeviceBase + kDeviceLen),
                m == MAP_FAILED ? strerror(errno) : "taken");
        _exit(2);
    }
}

void start_device(const char *fd_text)
{
    char *end = nullptr;
    long report_fd = strtol(fd_text, &end, 10);
    if (end == fd_text || *end || report_fd < 0 || report_fd > 65535 ||
        fcntl((int)report_fd, F_GETFD) < 0) {
        fprintf(stderr,
                "cudasim: judge mode: %s=%s is not an open file descriptor\n",
                kReportVar, fd_text);
        _exit(2);
    }
    reserve_device_range();
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        perror("cudasim: judge mode: getrandom");
        _exit(2);
    }
    char name[80];
    int len =
        snprintf(name, sizeof name, "llmlings-cudasim-%d-", (int)getpid());
    for (unsigned char b : rnd)
        len += snprintf(name + len, sizeof name - (size_t)len, "%02x", b);
    int listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path + 1, name, (size_t)len);
    socklen_t alen = (socklen_t)(offsetof(sockaddr_un, sun_path) + 1 + len);
    if (listen_fd < 0 ||
        bind(listen_fd, reinterpret_cast<sockaddr *>(&a), alen) != 0 ||
        listen(listen_fd, 64) != 0) {
        perror("cudasim: judge mode: the device socket");
        _exit(2);
    }
    fflush(stdout);
    fflush(stderr);
    g_runner = getpid();
    /* Forked twice, so that the device is not a child of the test program:
     * Criterion's runner reaps every child it has, and host code cannot
     * wait for it. */
    pid_t pid = fork();
    if (pid < 0) {
        perror("cudasim: judge mode: fork of the device process");
        _exit(2);
    }
    if (pid == 0) {
        pid_t device = fork();
        if (device == 0)
            device_main((int)report_fd, listen_fd);
        _exit(device < 0 ? 2 : 0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "cudasim: judge mode: fork of the device process "
                        "failed\n");
        _exit(2);
    }
    close(listen_fd);
    close((int)report_fd);
    unsetenv(kReportVar);
    setenv(kSocketVar, name, 1);
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_host = true;
}

void join_device(const char *name)
{
    if (strlen(name) >= sizeof g_socket_name) {
        fprintf(stderr, "cudasim: judge mode: %s is not a device name\n",
                kSocketVar);
        _exit(2);
    }
    reserve_device_range();
    snprintf(g_socket_name, sizeof g_socket_name, "%s", name);
    g_host = true;
}

/* Before any other static initialiser and before main: no code of the
 * test or of the student has run yet. */
__attribute__((constructor(101))) void judge_mode_start()
{
#ifdef CUDASIM_RACE_TIER
    /* The race tier runs in-process and reports races only: no device
     * report ever comes from it (fd n is closed, so a reader sees EOF
     * without a line, and test code cannot write one there). */
    (void)start_device;
    (void)join_device;
    if (const char *fd = getenv(kReportVar)) {
        char *end = nullptr;
        long n = strtol(fd, &end, 10);
        if (end != fd && *end == '\0' && n > 2 && n < 65536)
            close((int)n);
        unsetenv(kReportVar);
    }
#else
    if (const char *fd = getenv(kReportVar))
        start_device(fd);
    else if (const char *name = getenv(kSocketVar))
        join_device(name);
#endif
}

} /* namespace */

/* ---- host side: the entry points ----------------------------------------- */

cudaError_t malloc_at(void **ptr, size_t size, bool managed, const char *file,
                      int line)
{
    std::vector<char> r;
    Out o;
    o.put((uint64_t)size).put((uint8_t)managed).put((int32_t)line).str(file);
    o.put((uint8_t)(ptr == nullptr));
    int32_t e = call(kMalloc, o, &r);
    if (ptr != nullptr)
        *ptr = reinterpret_cast<void *>(reply_value<uintptr_t>(r));
    return (cudaError_t)e;
}

cudaError_t free_ptr(void *ptr)
{
    return (cudaError_t)call(kFree, Out().put((uintptr_t)ptr));
}

cudaError_t memcpy_any(void *dst, const void *src, size_t n, int kind)
{
    bool dd = in_device_range(dst), sd = in_device_range(src);
    bool ship =
        n > 0 && src != nullptr && !sd &&
        (kind == cudaMemcpyHostToDevice || (kind == cudaMemcpyDefault && dd));
    Out o;
    o.put((uintptr_t)dst)
        .put((uintptr_t)src)
        .put((uint64_t)n)
        .put((int32_t)kind);
    o.put((uint8_t)ship);
    if (ship)
        o.bytes(src, n);
    std::vector<char> r;
    int32_t e = call(kMemcpy, o, &r);
    if (e != cudaSuccess || r.size() < sizeof(int32_t))
        return (cudaError_t)e;
    int32_t done = reply_value<int32_t>(r);
    if (done == cudaMemcpyHostToHost)
        memmove(dst, src, n);
    else if (done == cudaMemcpyDeviceToHost && r.size() == sizeof done + n)
        memcpy(dst, r.data() + sizeof done, n);
    return (cudaError_t)e;
}

cudaError_t memset_dev(void *ptr, int value, size_t n)
{
    return (cudaError_t)call(
        kMemset,
        Out().put((uintptr_t)ptr).put((int32_t)value).put((uint64_t)n));
}

cudaError_t symbol_copy(void *symbol, size_t symbol_size, void *host,
                        size_t count, size_t offset, int kind, bool to_symbol)
{
    if (offset + count > symbol_size || count > symbol_size ||
        kind == (to_symbol ? cudaMemcpyDeviceToHost : cudaMemcpyHostToDevice))
        return symbol_copy_local(symbol, symbol_size, host, count, offset, kind,
                                 to_symbol); /* the local error */
    Out o;
    o.put(to_offset((uintptr_t)symbol)).put((uint64_t)symbol_size);
    o.put((uint64_t)count);
    o.put((uint64_t)offset).put((int32_t)kind).put((uint8_t)to_symbol);
    if (to_symbol)
        o.bytes(host, count);
    std::vector<char> r;
    int32_t e = call(kSymbolCopy, o, &r);
    if (e == cudaSuccess && !to_symbol && r.size() == count)
        memcpy(host, r.data(), count);
    return (cudaError_t)e;
}

void launch(const LaunchSite &site, dim3 grid, dim3 block, size_t shmem,
            void (*body)(void *), const void *ctx, size_t ctx_size)
{
    Out o = site_args(site);
    o.put(grid).put(block).put((uint64_t)shmem);
    o.put(to_offset(reinterpret_cast<uintptr_t>(body))).put((uint64_t)ctx_size);
    size_t at = o.b.size();
    o.bytes(ctx, ctx_size);
    uintptr_t fn; /* Launch<P...>::Ctx starts with the kernel */
    if (ctx_size >= sizeof fn) {
        memcpy(&fn, o.b.data() + at, sizeof fn);
        fn = to_offset(fn);
        memcpy(o.b.data() + at, &fn, sizeof fn);
    }
    call(kLaunch, o);
}

int pointer_arg(const LaunchSite &site, int index, const void *p)
{
    Out o = site_args(site);
    o.put((int32_t)index).put((uintptr_t)p);
    return call(kPointerArg, o);
}

cudaError_t simple(SimpleCall which)
{
    return (cudaError_t)call(kSimple, Out().put((int32_t)which));
}

void set_order(int order, unsigned seed)
{
    call(kSetOrder, Out().put((int32_t)order).put((uint32_t)seed));
}

void set_fault_mode(int mode)
{
    call(kSetFaultMode, Out().put((int32_t)mode));
}

const char *last_message()
{
    std::vector<char> r;
    call(kLastMessage, Out(), &r);
    In in{r.data(), r.data() + r.size()};
    snprintf(g_last_message, sizeof g_last_message, "%s", in.str().c_str());
    return g_last_message;
}

unsigned long long allocation_mark()
{
    std::vector<char> r;
    call(kAllocationMark, Out(), &r);
    return reply_value<unsigned long long>(r);
}

size_t leaks_since(unsigned long long mark, char *msg, size_t cap)
{
    std::vector<char> r;
    call(kLeaksSince, Out().put(mark).put((uint64_t)cap), &r);
    In in{r.data(), r.data() + r.size()};
    auto n = in.get<uint64_t>();
    std::string s = in.str();
    if (cap > 0)
        snprintf(msg, cap, "%s", s.c_str());
    return n;
}

void counters_reset()
{
    call(kCountersReset, Out());
}

void counters_get(cudasimCounters *out, bool last_launch)
{
    std::vector<char> r;
    call(kCountersGet, Out().put((uint8_t)last_launch), &r);
    *out = reply_value<cudasimCounters>(r);
}

int counters_available()
{
    return call(kCountersAvailable, Out());
}

void gpu_origin(unsigned long long *kernel_bytes,
                unsigned long long *host_bytes)
{
    std::vector<char> r;
    call(kGpuOrigin, Out(), &r);
    In in{r.data(), r.data() + r.size()};
    *kernel_bytes = in.get<unsigned long long>();
    *host_bytes = in.get<unsigned long long>();
}

/* ---- device side: the hooks ---------------------------------------------- */

void fault_abort()
{
    if (g_device && g_in_request)
        siglongjmp(g_fault_jmp, 1);
    abort();
}

void note_fault(const char *msg)
{
    if (!g_device)
        return;
    life_writable(true);
    snprintf(g_life->fault, sizeof g_life->fault, "%s", msg);
    life_writable(false);
}

void life_add_launch(const cudasimCounters &launch)
{
    if (!g_device)
        return;
    life_writable(true);
    unsigned long long most = std::max(g_life->c.shared_bytes_per_block,
                                       launch.shared_bytes_per_block);
#define ADD(name) g_life->c.name += launch.name;
    CUDASIM_COUNTER_FIELDS(ADD)
#undef ADD
    g_life->c.shared_bytes_per_block = most;
    life_writable(false);
}

void life_add_copy(int kind, size_t bytes)
{
    if (!g_device)
        return;
    life_writable(true);
    if (kind == cudaMemcpyHostToDevice)
        g_life->c.bytes_host_to_device += bytes;
    else if (kind == cudaMemcpyDeviceToHost)
        g_life->c.bytes_device_to_host += bytes;
    else if (kind == cudaMemcpyDeviceToDevice)
        g_life->c.bytes_device_to_device += bytes;
    life_writable(false);
}

void life_add_origin(unsigned long long kernel_bytes,
                     unsigned long long host_bytes,
                     const uint32_t *kernel_words, size_t n_words)
{
    if (!g_device || g_life == nullptr) /* (the race tier has no device) */
        return;
    life_writable(true);
    g_life->kernel_bytes_to_host += kernel_bytes;
    g_life->host_bytes_to_host += host_bytes;
    for (size_t i = 0; i < n_words; i++)
        kws_add(&g_life->sample, kernel_words[i]);
    life_writable(false);
}

bool in_device_range(const void *p)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(p);
    return (g_host || g_device) && a - kDeviceBase < kDeviceLen;
}

namespace
{
uintptr_t g_next = kDeviceBase; /* bump allocation; see unmap_device */
size_t g_mapped;                /* bytes mapped now */
} /* namespace */

void *map_device(size_t len)
{
    if (len > kDeviceLen - (g_next - kDeviceBase))
        return nullptr;
    void *m =
        mmap(reinterpret_cast<void *>(g_next), len, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    if (m == MAP_FAILED)
        return nullptr;
    g_next += len;
    g_mapped += len;
    return m;
}

void unmap_device(void *p, size_t len)
{
    mmap(p, len, PROT_NONE,
         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    g_mapped -= len;
    if (g_mapped == 0)
        g_next = kDeviceBase; /* everything freed: start over */
}

} /* namespace remote */
} /* namespace cudasim */
