/* tamper.c: see tamper.h. The ELF reading is done here (no nm/readelf
 * output to parse): 64-bit little-endian relocatable objects and shared
 * libraries, every offset bounds-checked, since the objects come from
 * student source. */
#include "compile/tamper.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/text.h"
#include "compile/build_cuda.h"
#include "compile/compile.h"
#include "compile/folder.h"
#include "compile/source_rules.h"
#include "sandbox/trusted.h"

enum { MAX_OBJECT_BYTES = 256 << 20, MAX_FINDINGS = 6 };
static const double INSPECT_TIME_LIMIT_S = 120, SEARCH_DIRS_LIMIT_S = 30;

/* ---- a minimal ELF64 reader ---------------------------------------------- */

typedef struct {
    const unsigned char *data;
    size_t len;
    const Elf64_Shdr *sh;
    size_t nsh;
    const char *shstr;
    size_t shstr_len;
} elf_file;

static int in_bounds(const elf_file *f, uint64_t off, uint64_t n)
{
    return off <= f->len && n <= f->len - off;
}

/* Returns 0 when data is an ELF64 LSB file of the given type. */
static int elf_open(elf_file *f, const char *data, size_t len, int type)
{
    memset(f, 0, sizeof *f);
    f->data = (const unsigned char *)data;
    f->len = len;
    if (len < sizeof(Elf64_Ehdr) || memcmp(data, ELFMAG, SELFMAG) != 0 ||
        f->data[EI_CLASS] != ELFCLASS64 || f->data[EI_DATA] != ELFDATA2LSB)
        return -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
    if (eh->e_type != type || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_bounds(f, eh->e_shoff,
                   (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)) ||
        eh->e_shoff % 8 != 0 || eh->e_shstrndx >= eh->e_shnum)
        return -1;
    f->sh = (const Elf64_Shdr *)(f->data + eh->e_shoff);
    f->nsh = eh->e_shnum;
    const Elf64_Shdr *s = &f->sh[eh->e_shstrndx];
    if (!in_bounds(f, s->sh_offset, s->sh_size) || s->sh_size == 0)
        return -1;
    f->shstr = (const char *)f->data + s->sh_offset;
    f->shstr_len = s->sh_size;
    return 0;
}

/* A NUL-terminated string at off in a string table, or "" when it is not. */
static const char *table_string(const char *table, size_t len, uint64_t off)
{
    if (off >= len || memchr(table + off, '\0', len - off) == NULL)
        return "";
    return table + off;
}

static const char *section_name(const elf_file *f, const Elf64_Shdr *s)
{
    return table_string(f->shstr, f->shstr_len, s->sh_name);
}

typedef void (*symbol_fn)(const char *name, const Elf64_Sym *sym, void *ctx);

/* Calls fn for every symbol of every section of type symtab_type. */
static int each_symbol(const elf_file *f, unsigned symtab_type, symbol_fn fn,
                       void *ctx)
{
    for (size_t i = 0; i < f->nsh; i++) {
        const Elf64_Shdr *s = &f->sh[i];
        if (s->sh_type != symtab_type)
            continue;
        if (s->sh_link >= f->nsh || s->sh_entsize != sizeof(Elf64_Sym) ||
            !in_bounds(f, s->sh_offset, s->sh_size) || s->sh_offset % 8 != 0)
            return -1;
        const Elf64_Shdr *strs = &f->sh[s->sh_link];
        if (!in_bounds(f, strs->sh_offset, strs->sh_size))
            return -1;
        const char *names = (const char *)f->data + strs->sh_offset;
        const Elf64_Sym *syms = (const Elf64_Sym *)(f->data + s->sh_offset);
        for (size_t k = 1; k < s->sh_size / sizeof(Elf64_Sym); k++)
            fn(table_string(names, strs->sh_size, syms[k].st_name), &syms[k],
               ctx);
    }
    return 0;
}

/* ---- names the linked libraries define ----------------------------------- */

/* A sorted strlist: bsearch finds a name. */
typedef strlist name_set;

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int set_has(const name_set *s, const char *name)
{
    return s->n > 0 &&
           bsearch(&name, s->v, s->n, sizeof *s->v, cmp_names) != NULL;
}

static void add_exported(const char *name, const Elf64_Sym *sym, void *ctx)
{
    int bind = ELF64_ST_BIND(sym->st_info);
    if (sym->st_shndx != SHN_UNDEF && name[0] != '\0' &&
        (bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE))
        strlist_push(ctx, name);
}

/* Adds the folders of gcc's -print-search-dirs output ("libraries:
 * =a:b:..."). */
static void parse_search_dirs(const char *out, strlist *dirs)
{
    const char *p = strstr(out, "libraries: =");
    if (p == NULL)
        return;
    p += strlen("libraries: =");
    const char *end = strchr(p, '\n');
    char *list = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
    char *save = NULL;
    for (char *d = strtok_r(list, ":", &save); d;
         d = strtok_r(NULL, ":", &save))
        strlist_push(dirs, d);
    free(list);
}

char *tamper_search_dirs_path(const char *dir)
{
    return xasprintf("%s/inspect/search-dirs.txt", dir);
}

/* The folders gcc links from: what the build asked of gcc beside the
 * compilers (tamper_search_dirs_path), else asked now. */
static void search_dirs(const char *dir, strlist *dirs)
{
    char *asked = tamper_search_dirs_path(dir);
    char *text = NULL;
    int have = file_read(asked, &text, NULL, 1 << 20) == 0 &&
               strstr(text, "libraries: =") != NULL;
    free(asked);
    if (have) {
        parse_search_dirs(text, dirs);
        free(text);
        return;
    }
    free(text);
    char *gcc = find_program("gcc");
    if (gcc == NULL)
        return;
    char *argv[] = {gcc, "-print-search-dirs", NULL};
    sandbox_result res;
    strbuf err = {0};
    const trusted_spec t = {argv, "/", SEARCH_DIRS_LIMIT_S, NULL,
                            TRUSTED_READS_NOTHING};
    if (trusted_run(&t, &res, &err) == 0) {
        parse_search_dirs(res.out, dirs);
        sandbox_result_free(&res);
    }
    sb_free(&err);
    free(gcc);
}

/* Adds the exported names of the first lib<name> found in dirs; a linker
 * script or a missing library adds nothing. */
static void add_library(name_set *s, const strlist *dirs, const char *file)
{
    for (size_t i = 0; i < dirs->n; i++) {
        char *path = path_join(dirs->v[i], file);
        char *data = NULL;
        size_t len = 0;
        int rc = file_read(path, &data, &len, MAX_OBJECT_BYTES);
        free(path);
        if (rc != 0)
            continue;
        elf_file f;
        int ok = elf_open(&f, data, len, ET_DYN) == 0;
        if (ok)
            (void)each_symbol(&f, SHT_DYNSYM, add_exported, s);
        free(data);
        if (ok)
            return;
    }
}

/* The folders to look for libraries in, asked of gcc once. */
static const strlist *library_dirs(const char *dir)
{
    static strlist dirs;
    static int have_dirs;
    if (!have_dirs) {
        search_dirs(dir, &dirs);
        have_dirs = 1;
    }
    return &dirs;
}

/* The names the libraries every exercise of a kind links define (the C
 * library, Criterion, the sanitizer runtimes when the kind has them), read
 * once per kind: the system's libraries do not change while the grader
 * runs. */
static const name_set *kind_library_names(const kind_spec *k, const char *dir)
{
    static const char *const everyone[] = {"libc.so.6", "libm.so.6",
                                           "libcriterion.so", NULL};
    static const char *const sanitizers[] = {"libasan.so", "libubsan.so", NULL};
    static name_set names[KIND_COUNT];
    static int ready[KIND_COUNT];
    const strlist *dirs = library_dirs(dir);
    if (!ready[k->id]) {
        for (const char *const *l = everyone; *l; l++)
            add_library(&names[k->id], dirs, *l);
        for (const char *const *l = sanitizers; k->sanitizers && *l; l++)
            add_library(&names[k->id], dirs, *l);
        for (const char *const *l = k->link; l && *l; l++) {
            char *file = xasprintf("lib%s.so", *l);
            add_library(&names[k->id], dirs, file);
            free(file);
        }
        strlist_sort(&names[k->id]);
        ready[k->id] = 1;
    }
    return &names[k->id];
}

/* Into *out: the names every library ex links defines, sorted. */
static void library_names(const exercise *ex, const char *dir, name_set *out)
{
    const name_set *base = kind_library_names(ex->kind, dir);
    strlist_push_all(out, (const char *const *)base->v);
    if (ex->libs.n == 0)
        return;
    for (size_t i = 0; i < ex->libs.n; i++) {
        char *file = xasprintf("lib%s.so", ex->libs.v[i]);
        add_library(out, library_dirs(dir), file);
        free(file);
    }
    strlist_sort(out);
}

/* ---- one object ---------------------------------------------------------- */

typedef struct {
    const char *file;          /* the student's path, for messages */
    const name_set *libraries; /* names the linked libraries define */
    const char *headers;       /* the exercise's protected headers, joined */
    strbuf *why;
    int findings;
} inspection;

static void finding(inspection *in, const char *fmt, const char *what)
    __attribute__((format(printf, 2, 0)));
static void finding(inspection *in, const char *fmt, const char *what)
{
    in->findings++;
    if (in->findings > MAX_FINDINGS)
        return;
    sb_printf(in->why, "\n  %s: ", in->file);
    sb_printf(in->why, fmt, what);
}

static int any_prefix(const char *s, const char *const *prefixes)
{
    for (; *prefixes; prefixes++)
        if (starts_with(s, *prefixes))
            return 1;
    return 0;
}

static const char *const CRITERION_PREFIXES[] = {"criterion_", "cr_", "bxf",
                                                 "bxfi_", NULL};
static const char *const HARNESS_NAMES[] = {
    "ll_test_begin", "ll_test_end",      "ll_fail",           "ll_metric",
    "ll_skip",       "ll_format_floats", "ll_first_mismatch", NULL};
static const char *const HARNESS_PREFIXES[] = {"ll_check_", "ll_body_",
                                               "ll_test_", NULL};
static const char *const FORBIDDEN_CALL_PREFIXES[] = {
    "criterion_", "cr_",          "bxf",     "__asan_", "__lsan_",
    "__ubsan_",   "__sanitizer_", "__msan_", "__tsan_", NULL};
static const char *const FORBIDDEN_CALLS[] = {
    "ll_test_begin", "ll_test_end", "ll_fail", "ll_skip", "ll_metric",
    "dlsym",         "dlvsym",      "dlopen",  "dlmopen", NULL};

static int is_listed(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return 1;
    return 0;
}

/* Does the exercise's protected header declare name (a whole word)? */
static int declared_in_headers(const char *headers, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = headers; (p = strstr(p, name)) != NULL; p += n) {
        int left =
            p == headers ||
            !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
              (p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9'));
        char r = p[n];
        int right = !(r == '_' || (r >= 'a' && r <= 'z') ||
                      (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'));
        if (left && right)
            return 1;
    }
    return 0;
}

static void check_symbol(const char *name, const Elf64_Sym *sym, void *ctx)
{
    inspection *in = ctx;
    int type = ELF64_ST_TYPE(sym->st_info);
    int bind = ELF64_ST_BIND(sym->st_info);
    if (name[0] == '\0' || type == STT_SECTION || type == STT_FILE)
        return;
    if (type == STT_GNU_IFUNC) {
        finding(in,
                "%s is an ifunc (its resolver runs inside the dynamic loader, "
                "before any test)",
                name);
        return;
    }
    if (sym->st_shndx == SHN_UNDEF) {
        if (is_listed(name, FORBIDDEN_CALLS) ||
            any_prefix(name, FORBIDDEN_CALL_PREFIXES))
            finding(in,
                    "uses %s (the grader's, Criterion's or the sanitizers' "
                    "machinery is off limits to exercise code)",
                    name);
        return;
    }
    if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
        return; /* static: invisible outside the file */
    if (strcmp(name, "main") == 0)
        finding(in,
                "defines %s (the test program's main belongs to Criterion; "
                "remove it, or make it static and unused)",
                name);
    else if (any_prefix(name, CRITERION_PREFIXES))
        finding(in, "defines %s, a name of Criterion's internals", name);
    else if (is_listed(name, HARNESS_NAMES) ||
             any_prefix(name, HARNESS_PREFIXES))
        finding(in, "defines %s, a name of the grader's test harness", name);
    else if ((name[0] == '_' && name[1] == '_') ||
             (name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z'))
        finding(in,
                "defines %s (names starting with __ or _ and a capital are "
                "reserved for the compiler, the C library and the "
                "sanitizers)",
                name);
    else if (set_has(in->libraries, name) &&
             !declared_in_headers(in->headers, name))
        finding(in,
                "defines %s, which the C library, Criterion or the sanitizer "
                "runtime already defines: yours would replace theirs inside "
                "the test program (rename it, or make it static)",
                name);
}

/* Whether a section holds code run before or after main (constructors,
 * destructors), in the local and the judge-mode inspection alike. */
static int is_ctor_section(const char *name)
{
    static const char *const prefixes[] = {".init_array",    ".fini_array",
                                           ".preinit_array", ".ctors",
                                           ".dtors",         NULL};
    return any_prefix(name, prefixes) || strcmp(name, ".init") == 0 ||
           strcmp(name, ".fini") == 0;
}

static void check_sections(const elf_file *f, inspection *in)
{
    for (size_t i = 0; i < f->nsh; i++) {
        const Elf64_Shdr *s = &f->sh[i];
        const char *name = section_name(f, s);
        if (s->sh_size == 0 && s->sh_type != SHT_NOBITS)
            continue;
        if (is_ctor_section(name))
            finding(in,
                    "has a constructor or destructor (section %s: code that "
                    "runs before or after the tests, e.g. "
                    "__attribute__((constructor)))",
                    name);
        else if (starts_with(name, "cr_") || starts_with(name, ".criterion"))
            finding(in,
                    "registers something with Criterion (section %s: a "
                    "Test, Suite or ReportHook; tests live in the protected "
                    "test files)",
                    name);
    }
}

static int inspect_object(const char *path, inspection *in)
{
    char *data = NULL;
    size_t len = 0;
    if (file_read(path, &data, &len, MAX_OBJECT_BYTES) != 0)
        return -1;
    elf_file f;
    int rc = 0;
    if (elf_open(&f, data, len, ET_REL) != 0 ||
        each_symbol(&f, SHT_SYMTAB, check_symbol, in) != 0) {
        finding(in, "%s",
                "could not be inspected (not an object file the "
                "grader can read)");
    } else {
        check_sections(&f, in);
    }
    free(data);
    return rc;
}

/* ---- judge mode: objects whose kernels run in the device process --------- */

/* The one constructor the simulator's counting build adds to every .cu
 * object: ThreadSanitizer's module constructor (priority 99), a local
 * function that calls __tsan_init, which the simulator answers. */
static const char TSAN_INIT_SECTION[] = ".init_array.00099";
static const char TSAN_INIT_FUNCTION[] = "_sub_I_00099_0";

typedef struct {
    const char *file;
    strbuf *why;
    int *shown;
    int found;
    int tsan_ctor; /* TSAN_INIT_FUNCTION is defined, local */
} device_inspection;

static void device_finding(device_inspection *d, const char *fmt,
                           const char *what)
    __attribute__((format(printf, 2, 0)));
static void device_finding(device_inspection *d, const char *fmt,
                           const char *what)
{
    d->found++;
    if (*d->shown >= SOURCE_RULES_MAX_SHOWN)
        return;
    (*d->shown)++;
    sb_printf(d->why, "\n  %s: ", d->file);
    sb_printf(d->why, fmt, what);
}

static void check_device_symbol(const char *name, const Elf64_Sym *sym,
                                void *ctx)
{
    device_inspection *d = ctx;
    if (strcmp(name, TSAN_INIT_FUNCTION) == 0 &&
        ELF64_ST_BIND(sym->st_info) == STB_LOCAL &&
        ELF64_ST_TYPE(sym->st_info) == STT_FUNC)
        d->tsan_ctor = 1;
    if (sym->st_shndx != SHN_UNDEF)
        return;
    static const char *const lookup[] = {"dlsym", "dlvsym", "dlopen", "dlmopen",
                                         NULL};
    if (starts_with(name, "cudasim") || starts_with(name, "ll_") ||
        starts_with(name, "llmlings_") || is_listed(name, lookup))
        device_finding(d,
                       "uses %s (the simulator's controls, the test harness "
                       "and run-time symbol lookup are the grader's)",
                       name);
}

static void check_device_sections(const elf_file *f, device_inspection *d)
{
    for (size_t i = 0; i < f->nsh; i++) {
        const Elf64_Shdr *s = &f->sh[i];
        const char *name = section_name(f, s);
        if (s->sh_size == 0 && s->sh_type != SHT_NOBITS)
            continue;
        if (!is_ctor_section(name))
            continue;
        if (strcmp(name, TSAN_INIT_SECTION) == 0 && s->sh_size == 8 &&
            d->tsan_ctor)
            continue; /* the counting instrumentation's own */
        device_finding(d,
                       "has a constructor or destructor (section %s: code "
                       "that runs before the simulator's device process "
                       "starts, e.g. __attribute__((constructor)) or a "
                       "global object with a constructor; use plain data)",
                       name);
    }
}

int tamper_check_device_objects(const exercise *ex, const char *dir,
                                strbuf *why, int *shown, strbuf *err)
{
    strlist student = {0}, tests = {0};
    compile_cuda_units(ex, &student, &tests);
    int found = 0;
    for (size_t i = 0; i < student.n && found >= 0; i++) {
        const char *d = student.v[i];
        char *path = build_cuda_kept_object(dir, d);
        char *data = NULL;
        size_t len = 0;
        elf_file f;
        device_inspection insp = {d, why, shown, 0, 0};
        int rc = file_read(path, &data, &len, MAX_OBJECT_BYTES);
        if (rc != 0)
            sb_printf(err, "cannot read %s: %s", path, strerror(errno));
        else if (elf_open(&f, data, len, ET_REL) != 0 ||
                 each_symbol(&f, SHT_SYMTAB, check_device_symbol, &insp) != 0)
            device_finding(&insp, "%s",
                           "could not be inspected (not an object file the "
                           "grader can read)");
        else
            check_device_sections(&f, &insp);
        free(data);
        free(path);
        found = rc != 0 ? -1 : found + insp.found;
    }
    strlist_free(&student);
    strlist_free(&tests);
    return found;
}

/* ---- compiling the edited files for inspection --------------------------- */

/* Compiles tree/src into obj (compile.h: COMPILE_OBJECT). Returns 0, 1
 * when the compiler refused, -1 when it could not run. */
static int compile_for_inspection(const exercise *ex, const build_options *o,
                                  const build_inputs *in, const char *tree,
                                  const char *scratch, const char *src,
                                  const char *obj, strbuf *err)
{
    char *gcc = find_program("gcc");
    if (gcc == NULL) {
        sb_puts(err, "gcc not found on PATH");
        return -1;
    }
    compile_request r = {
        .purpose = COMPILE_OBJECT, .cc = gcc, .source = src, .output = obj};
    strlist argv = {0};
    (void)compile_command(ex, o, in, &r, &argv);
    free(gcc);
    sandbox_result res;
    const char *const reads[] = {tree, NULL};
    const trusted_spec t = {argv.v, tree, INSPECT_TIME_LIMIT_S, scratch, reads};
    int rc = trusted_run(&t, &res, err);
    if (rc == 0) {
        rc = trusted_ok(&res) && file_exists(obj) ? 0 : 1;
        sandbox_result_free(&res);
    }
    strlist_free(&argv);
    return rc;
}

/* The protected headers of ex's folder, joined (names they declare may be
 * defined by the student even when a library has them too). */
static char *protected_headers(const exercise *ex, const build_inputs *in,
                               const char *tree)
{
    strbuf all = {0};
    strbuf prefix = {0};
    sb_printf(&prefix, "exercises/%s/", ex->id);
    for (size_t i = 0; i < in->n; i++) {
        const char *d = in->v[i].dest;
        if (in->v[i].edited || !starts_with(d, sb_str(&prefix)) ||
            !ends_with(d, ".h"))
            continue;
        char *path = path_join(tree, d);
        char *text = NULL;
        if (file_read(path, &text, NULL, 4 << 20) == 0) {
            sb_puts(&all, text);
            sb_puts(&all, "\n");
        }
        free(text);
        free(path);
    }
    sb_free(&prefix);
    return sb_steal(&all);
}

int tamper_prepare(const char *dir, strbuf *err)
{
    char *scratch = path_join(dir, "inspect");
    int rc = 0;
    if (remove_tree(scratch) != 0 || mkdir_p(scratch, 0700) != 0 ||
        (geteuid() == 0 &&
         chown(scratch, sandbox_run_uid(), sandbox_run_gid()) != 0)) {
        sb_printf(err, "cannot create %s: %s", scratch, strerror(errno));
        rc = -1;
    }
    free(scratch);
    return rc;
}

char *tamper_object_path(const char *dir, size_t input)
{
    return xasprintf("%s/inspect/%zu.o", dir, input);
}

int tamper_check(const exercise *ex, const build_options *o,
                 const build_inputs *in, const char *dir, strbuf *why,
                 strbuf *err)
{
    if (!ex->kind->inspected)
        return 0;
    char *tree = build_tree_path(dir);
    char *scratch = path_join(dir, "inspect");
    int rc = 0;
    if (!dir_exists(scratch) && tamper_prepare(dir, err) != 0) {
        free(tree);
        free(scratch);
        return -1;
    }
    char *headers = protected_headers(ex, in, tree);
    name_set libraries = {0};
    library_names(ex, dir, &libraries);
    inspection insp = {NULL, &libraries, headers, why, 0};
    for (size_t i = 0; i < in->n && rc >= 0; i++) {
        const char *d = in->v[i].dest;
        if (!in->v[i].edited || !ends_with(d, ".c"))
            continue;
        char *obj = tamper_object_path(dir, i);
        /* the build compiled it already, unless the compiler refused */
        int c = file_exists(obj) ? 0
                                 : compile_for_inspection(ex, o, in, tree,
                                                          scratch, d, obj, err);
        insp.file = d;
        if (c < 0)
            rc = -1;
        else if (c > 0)
            finding(&insp, "%s",
                    "compiles only with the sanitizers on, so it cannot be "
                    "inspected");
        else
            (void)inspect_object(obj, &insp);
        free(obj);
    }
    if (rc == 0 && insp.findings > 0) {
        if (insp.findings > MAX_FINDINGS)
            sb_printf(why, "\n  (and %d more)", insp.findings - MAX_FINDINGS);
        strbuf msg = {0};
        sb_printf(&msg,
                  "rejected before any test ran: exercise code may only "
                  "define its own functions and data, never take over the "
                  "test program:%s",
                  sb_str(why));
        sb_free(why);
        *why = msg;
        rc = 1;
    }
    strlist_free(&libraries);
    remove_tree(scratch);
    free(headers);
    free(tree);
    free(scratch);
    return rc;
}
