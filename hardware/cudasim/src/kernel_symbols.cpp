/* kernel_symbols.cpp: see kernel_symbols.h. Reads the ELF symbol table of
 * /proc/self/exe once (.symtab, or .dynsym when stripped) and demangles
 * the names it needs with the C++ ABI's demangler. */
#include "kernel_symbols.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cudasim
{
namespace symbols
{
namespace
{

struct Sym {
    uintptr_t addr;
    size_t size;
    bool func;
    std::string name; /* mangled */
};
std::vector<Sym> g_syms;             /* sorted by address */
std::vector<std::string> g_exported; /* .dynsym's objects, sorted */
bool g_loaded;

int main_program_bias(struct dl_phdr_info *info, size_t, void *out)
{
    *static_cast<uintptr_t *>(out) = info->dlpi_addr;
    return 1; /* the first entry is the program itself */
}

void read_table(const char *base, size_t len, const Elf64_Shdr *sh,
                const Elf64_Shdr *strtab, uintptr_t bias,
                std::vector<Sym> *into)
{
    if (sh->sh_offset + sh->sh_size > len ||
        strtab->sh_offset + strtab->sh_size > len || sh->sh_entsize == 0)
        return;
    const char *str = base + strtab->sh_offset;
    size_t n = sh->sh_size / sh->sh_entsize;
    for (size_t i = 0; i < n; i++) {
        const Elf64_Sym *s = reinterpret_cast<const Elf64_Sym *>(
            base + sh->sh_offset + i * sh->sh_entsize);
        int type = ELF64_ST_TYPE(s->st_info);
        if ((type != STT_FUNC && type != STT_OBJECT) ||
            s->st_shndx == SHN_UNDEF || s->st_name >= strtab->sh_size)
            continue;
        into->push_back(Sym{(uintptr_t)s->st_value + bias, s->st_size,
                            type == STT_FUNC, str + s->st_name});
    }
}

void load()
{
    if (g_loaded)
        return;
    g_loaded = true;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 ||
        st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        if (fd >= 0)
            close(fd);
        return;
    }
    size_t len = (size_t)st.st_size;
    void *m = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return;
    const char *base = static_cast<const char *>(m);
    const Elf64_Ehdr *eh = reinterpret_cast<const Elf64_Ehdr *>(base);
    uintptr_t bias = 0;
    dl_iterate_phdr(main_program_bias, &bias);
    bool ok = memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
              eh->e_ident[EI_CLASS] == ELFCLASS64 &&
              eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) <= len;
    const Elf64_Shdr *sh =
        ok ? reinterpret_cast<const Elf64_Shdr *>(base + eh->e_shoff) : nullptr;
    std::vector<Sym> dynamic;
    for (unsigned i = 0; ok && i < eh->e_shnum; i++)
        if ((sh[i].sh_type == SHT_SYMTAB || sh[i].sh_type == SHT_DYNSYM) &&
            sh[i].sh_link < eh->e_shnum)
            read_table(base, len, &sh[i], &sh[sh[i].sh_link], bias,
                       sh[i].sh_type == SHT_SYMTAB ? &g_syms : &dynamic);
    /* Objects the program shares with libraries (stdout, environ,
     * std::cout: copy relocations) are the C library's, never the
     * program's __device__ variables. */
    for (const Sym &d : dynamic)
        if (!d.func)
            g_exported.push_back(d.name);
    std::sort(g_exported.begin(), g_exported.end());
    if (g_syms.empty())
        g_syms.swap(dynamic); /* a stripped program */
    munmap(m, len);
    std::sort(g_syms.begin(), g_syms.end(),
              [](const Sym &a, const Sym &b) { return a.addr < b.addr; });
}

const Sym *function_at(uintptr_t addr)
{
    for (auto it = std::lower_bound(
             g_syms.begin(), g_syms.end(), addr,
             [](const Sym &s, uintptr_t a) { return s.addr < a; });
         it != g_syms.end() && it->addr == addr; ++it)
        if (it->func)
            return &*it;
    return nullptr;
}

std::string demangle(const std::string &mangled)
{
    int status = 0;
    char *d = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
    if (d == nullptr)
        return "";
    std::string r(d);
    free(d);
    return r;
}

/* The parameter list of a demangled function name: what is inside its
 * last top-level parentheses ("float*, int" of "void k<float>(float*,
 * int)"); false when there are none. */
bool parameter_list(const std::string &name, std::string *out)
{
    if (name.empty() || name.back() != ')')
        return false;
    int depth = 0;
    for (size_t i = name.size(); i-- > 0;) {
        if (name[i] == ')')
            depth++;
        else if (name[i] == '(' && --depth == 0) {
            *out = name.substr(i + 1, name.size() - i - 2);
            return true;
        }
    }
    return false;
}

bool starts_with(const std::string &s, const char *prefix)
{
    return s.compare(0, strlen(prefix), prefix) == 0;
}

/* A name of the simulator or of the C++ runtime: never a kernel, never a
 * symbol a copy may write. */
bool internal_name(const std::string &mangled, const std::string &demangled)
{
    static const char *const prefixes[] = {
        "cudasim", "std::", "__gnu_cxx::", "__cxxabiv1::", "abi::", "__"};
    if (mangled.find("cudasim") != std::string::npos)
        return true;
    const std::string &name = demangled.empty() ? mangled : demangled;
    for (const char *p : prefixes)
        if (starts_with(name, p))
            return true;
    return false;
}

} /* namespace */

const char *check_launch(uintptr_t body, uintptr_t kernel, char *why,
                         size_t cap)
{
    load();
    why[0] = '\0';
    const Sym *b = function_at(body);
    std::string bname = b ? demangle(b->name) : "";
    static const char kBody[] = "cudasim::Launch<";
    static const char kTail[] = ">::body(void*)";
    size_t tail = sizeof kTail - 1;
    if (!starts_with(bname, kBody) || bname.size() < sizeof kBody + tail - 1 ||
        bname.compare(bname.size() - tail, tail, kTail) != 0) {
        snprintf(why, cap,
                 "the launch body %#lx is not the simulator's "
                 "cudasim::Launch<...>::body",
                 (unsigned long)body);
        return why;
    }
    std::string params = bname.substr(sizeof kBody - 1,
                                      bname.size() - tail - (sizeof kBody - 1));
    const Sym *k = function_at(kernel);
    std::string kname = k ? demangle(k->name) : "";
    std::string kparams;
    if (k == nullptr || kname.empty() || !parameter_list(kname, &kparams)) {
        snprintf(why, cap,
                 "the kernel address %#lx is not the start of a C++ function "
                 "of the program",
                 (unsigned long)kernel);
        return why;
    }
    if (internal_name(k->name, kname)) {
        snprintf(why, cap,
                 "%s is part of the simulator or the C++ runtime, "
                 "not a kernel",
                 kname.c_str());
        return why;
    }
    if (kparams != params) {
        snprintf(why, cap,
                 "the kernel %s does not take the launch's parameters (%s)",
                 kname.c_str(), params.c_str());
        return why;
    }
    return why;
}

const char *check_call_target(uintptr_t fn, char *why, size_t cap)
{
    load();
    why[0] = '\0';
    const Sym *f = function_at(fn);
    if (f == nullptr) {
        snprintf(why, cap,
                 "%#lx, which is not the start of a function of the program",
                 (unsigned long)fn);
        return why;
    }
    std::string name = demangle(f->name);
    const std::string &shown = name.empty() ? f->name : name;
    if (internal_name(f->name, name) || starts_with(shown, "ll_") ||
        starts_with(shown, "llmlings_") || shown == "main")
        snprintf(why, cap,
                 "%s, which is part of the simulator, the C++ runtime or the "
                 "test harness",
                 shown.c_str());
    return why;
}

const char *check_symbol(uintptr_t addr, size_t len, char *why, size_t cap)
{
    load();
    why[0] = '\0';
    auto it =
        std::upper_bound(g_syms.begin(), g_syms.end(), addr,
                         [](uintptr_t a, const Sym &s) { return a < s.addr; });
    for (int looked = 0; it != g_syms.begin() && looked < 64; looked++) {
        --it; /* the variables starting at or below addr, nearest first */
        if (it->func || addr + len > it->addr + it->size || len > it->size)
            continue;
        if (internal_name(it->name, demangle(it->name)) ||
            std::binary_search(g_exported.begin(), g_exported.end(), it->name))
            break;
        return why;
    }
    snprintf(why, cap,
             "%#lx (%zu bytes) is not inside a __device__ or __constant__ "
             "variable of the program",
             (unsigned long)addr, len);
    return why;
}

} /* namespace symbols */
} /* namespace cudasim */
