/* symbolize.c: see symbolize.h. */
#define _GNU_SOURCE
#include "symbolize.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The loaded object holding pc: its file and load bias. */
struct module {
    uintptr_t pc;
    uintptr_t bias;
    char path[4096];
    bool found;
};

static int find_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct module *m = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type != PT_LOAD || m->pc < lo || m->pc >= lo + ph->p_memsz)
            continue;
        m->bias = info->dlpi_addr;
        const char *name = info->dlpi_name;
        if (name && name[0]) {
            snprintf(m->path, sizeof m->path, "%s", name);
        } else { /* the program itself: its real path, for addr2line */
            ssize_t n = readlink("/proc/self/exe", m->path, sizeof m->path - 1);
            m->path[n > 0 ? n : 0] = '\0';
        }
        m->found = m->path[0] != '\0';
        return 1;
    }
    return 0;
}

/* Runs argv with its stdout read into buf (at most cap-1 bytes). */
static bool run_capture(char *const argv[], char *buf, size_t cap)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t len = 0;
    if (rc == 0) {
        for (;;) {
            ssize_t got = read(fds[0], buf + len, cap - 1 - len);
            if (got > 0)
                len += (size_t)got;
            else if (got == 0 || errno != EINTR || len + 1 >= cap)
                break;
            if (len + 1 >= cap)
                break;
        }
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    close(fds[0]);
    buf[len] = '\0';
    return rc == 0 && len > 0;
}

/* A frame inside the simulator's own header: skipped, so the location is
 * the line that called into it. */
static bool in_simulator_header(const char *where)
{
    static const char *const headers[] = {
        "cudasim.h:", "mma.h:", "cuda_fp16.h:"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        const char *p = strstr(where, headers[i]);
        if (p != NULL && (p == where || p[-1] == '/'))
            return true;
    }
    return false;
}

/* One line of a symbolizer's output, without addr2line's
 * " (discriminator N)" or llvm-symbolizer's ":column". */
static void copy_line(char *dst, size_t cap, const char *src, bool has_column)
{
    size_t len = strcspn(src, "\n");
    const char *disc = strstr(src, " (discriminator");
    if (disc != NULL && (size_t)(disc - src) < len)
        len = (size_t)(disc - src);
    if (has_column) {
        size_t k = len;
        while (k > 0 && src[k - 1] >= '0' && src[k - 1] <= '9')
            k--;
        if (k > 0 && k < len && src[k - 1] == ':')
            len = k - 1;
    }
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : NULL;
}

/* Picks, from a symbolizer's "function\nfile:line\n" pairs (innermost
 * inlined frame first), the first frame outside the simulator's headers;
 * the innermost known frame when all are inside them. */
static bool pick_frame(const char *p, bool has_column,
                       struct cudasim_location *loc)
{
    bool found = false;
    while (p && *p && *p != '\n') {
        const char *where = next_line(p);
        if (where == NULL)
            break;
        bool known = strncmp(where, "??", 2) != 0;
        bool header = in_simulator_header(where);
        if (known && (!found || !header)) {
            copy_line(loc->function, sizeof loc->function, p, false);
            copy_line(loc->where, sizeof loc->where, where, has_column);
            found = true;
            if (!header)
                break;
        }
        p = next_line(where);
    }
    return found;
}

/* "/dir/of/cwd/x.cu:3" becomes "x.cu:3", as compilers name files given
 * relative to the working directory. */
static void relative_to_cwd(char *where, size_t cap)
{
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return;
    size_t n = strlen(cwd);
    if (n > 1 && strncmp(where, cwd, n) == 0 && where[n] == '/')
        memmove(where, where + n + 1, strnlen(where, cap) - n);
}

int cudasim_symbolize(uintptr_t pc, struct cudasim_location *loc)
{
    memset(loc, 0, sizeof *loc);
    struct module m = {.pc = pc};
    dl_iterate_phdr(find_module, &m);
    if (!m.found)
        return 0;
    const char *base = strrchr(m.path, '/');
    snprintf(loc->module, sizeof loc->module, "%.100s+0x%lx",
             base ? base + 1 : m.path, (unsigned long)(pc - m.bias));
    char addr[32], obj[4200];
    snprintf(addr, sizeof addr, "0x%lx", (unsigned long)(pc - m.bias));
    snprintf(obj, sizeof obj, "--obj=%s", m.path);
    char out[4096];
    /* llvm-symbolizer where installed: binutils 2.40's addr2line names the
     * wrong file for code after a #line directive in DWARF 5 (gcc 12's
     * default), which every rewritten .cu file has; -gdwarf-4 avoids it. */
    char llvm[] = "llvm-symbolizer", in[] = "--inlining", dem[] = "--demangle";
    char *llvm_argv[] = {llvm, in, dem, obj, addr, NULL};
    char a2l[] = "addr2line", a[] = "-a", f[] = "-f", c[] = "-C", i[] = "-i",
         e[] = "-e";
    char *a2l_argv[] = {a2l, a, f, c, i, e, m.path, addr, NULL};
    bool found =
        run_capture(llvm_argv, out, sizeof out)
            ? pick_frame(out, true, loc)
            : run_capture(a2l_argv, out, sizeof out) &&
                  pick_frame(next_line(out), false, loc); /* after "0x.." */
    if (found)
        relative_to_cwd(loc->where, sizeof loc->where);
    return found;
}
