/* source_rules.c: see source_rules.h. A small C/C++ lexer: enough to tell
 * code from comments and literals, and identifiers from the rest. */
#include "compile/source_rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/text.h"

/* The text with every backslash-newline removed (as the compiler's second
 * phase does), and the original line of each character. */
typedef struct {
    char *s;
    int *line;
    size_t n;
} spliced;

static void splice(const char *text, size_t len, spliced *out)
{
    /* zeros after the end: the lexer looks up to three characters ahead */
    out->s = xcalloc(len + 4, 1);
    out->line = xcalloc(len + 1, sizeof *out->line);
    size_t n = 0;
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\\') {
            size_t k = i + 1;
            if (k < len && text[k] == '\r')
                k++;
            if (k < len && text[k] == '\n') {
                i = k;
                line++;
                continue;
            }
        }
        out->s[n] = text[i];
        out->line[n++] = line;
        if (text[i] == '\n')
            line++;
    }
    out->line[n] = line;
    out->n = n;
}

typedef struct {
    const char *name;
    strbuf *why;
    int *shown;
    int found;
} findings;

static void finding(findings *f, int line, const char *what, const char *why)
{
    f->found++;
    if (*f->shown >= SOURCE_RULES_MAX_SHOWN)
        return;
    (*f->shown)++;
    sb_printf(f->why, "\n  %s:%d: %s (%s)", f->name, line, what, why);
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static int is_one_of(const char *word, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, word, len) == 0)
            return 1;
    return 0;
}

static int has_prefix(const char *word, size_t len, const char *prefix)
{
    const size_t p = strlen(prefix);
    return len >= p && memcmp(word, prefix, p) == 0;
}

/* Whether word[0..len) is one of the names in list, which holds each name
 * between single spaces. */
static int in_word_list(const char *word, size_t len, const char *list)
{
    for (const char *p = strstr(list, " "); p; p = strchr(p + 1, ' '))
        if (strncmp(p + 1, word, len) == 0 &&
            (p[1 + len] == ' ' || p[1 + len] == '\0'))
            return 1;
    return 0;
}

/* The rules on one identifier. */
static void check_identifier(findings *f, int line, const char *w, size_t len)
{
    static const char *const ASM[] = {"asm", "__asm", "__asm__", NULL};
    static const char *const ATTR[] = {"__attribute__", "__attribute",
                                       "__declspec", NULL};
    static const char *const PRAGMA[] = {"_Pragma", "__pragma", NULL};
    static const char *const LOOKUP[] = {"dlsym", "dlvsym", "dlopen", "dlmopen",
                                         NULL};
    /* Calls that write memory or reach the system without going through
     * the counted loads and stores: from kernel code (the device process)
     * they could rewrite its report. Kernels need none of them: a loop
     * copies, cudaMemcpy and cudaMemset serve the host. */
    static const char RAW[] = /* each name between spaces */
        " memset memcpy memmove memccpy mempcpy bcopy bzero explicit_bzero "
        "strcpy strncpy strcat strncat stpcpy stpncpy sprintf snprintf "
        "vsprintf vsnprintf vprintf sscanf scanf fscanf vsscanf gets fgets "
        "fread read pread readv write pwrite writev fwrite syscall mmap "
        "munmap mremap mprotect pkey_mprotect madvise open openat creat "
        "fopen freopen fdopen dup dup2 dup3 close fcntl ioctl ptrace "
        "process_vm_writev kill raise signal sigaction setjmp longjmp "
        "sigsetjmp siglongjmp setcontext swapcontext fork vfork clone "
        "execve system popen prctl seccomp ofstream fstream filebuf "
        "basic_ofstream basic_fstream basic_filebuf";
    char shown[80];
    const size_t cut = len < sizeof shown - 1 ? len : sizeof shown - 1;
    memcpy(shown, w, cut);
    shown[cut] = '\0';
    if (is_one_of(w, len, ASM))
        finding(f, line, shown, "inline assembly");
    else if (is_one_of(w, len, ATTR))
        finding(f, line, shown,
                "attributes can make code run before the device process "
                "starts (constructor) or place it anywhere");
    else if (is_one_of(w, len, PRAGMA))
        finding(f, line, shown, "pragmas");
    else if (is_one_of(w, len, LOOKUP))
        finding(f, line, shown, "finding symbols at run time");
    else if (in_word_list(w, len, RAW) || has_prefix(w, len, "__builtin") ||
             has_prefix(w, len, "__sync_") || has_prefix(w, len, "__atomic_"))
        finding(f, line, shown,
                "it writes memory or calls the system behind the simulator's "
                "counted loads and stores");
    else if (has_prefix(w, len, "cudasim"))
        finding(f, line, shown,
                "the simulator's controls and internals are the grader's");
    else if (has_prefix(w, len, "ll_") || has_prefix(w, len, "LL_") ||
             has_prefix(w, len, "llmlings_"))
        finding(f, line, shown, "the test harness is the grader's");
}

/* printf's %n stores through a pointer argument, behind the counted
 * stores: a conversion ending in n in a string literal is refused (a
 * format built at run time is in writable memory, where the fortified
 * printf of judge builds refuses %n itself). */
static void check_format_n(findings *f, const spliced *t, size_t from,
                           size_t to)
{
    for (size_t i = from; i + 1 < to; i++) {
        if (t->s[i] != '%')
            continue;
        size_t k = i + 1;
        while (k < to && strchr("-+ #0123456789.*'$hlLqjztI", t->s[k]))
            k++;
        if (k < to && t->s[k] == 'n') {
            finding(f, t->line[i], "%n", "printf writes memory through it");
            return;
        }
        if (k < to && t->s[k] == '%')
            i = k; /* %% */
    }
}

/* Where a quoted literal that starts at s[i] (the quote) ends. */
static size_t skip_quoted(const spliced *t, size_t i)
{
    const char quote = t->s[i++];
    while (i < t->n && t->s[i] != quote && t->s[i] != '\n')
        i += t->s[i] == '\\' && i + 1 < t->n ? 2 : 1;
    return i < t->n && t->s[i] == quote ? i + 1 : i;
}

/* A raw string R"d( ... )d" whose quote is at s[i]: where it ends. */
static size_t skip_raw(const spliced *t, size_t i)
{
    size_t d = i + 1;
    while (d < t->n && t->s[d] != '(' && d - i <= 17)
        d++;
    if (d >= t->n || t->s[d] != '(')
        return skip_quoted(t, i);
    const size_t dlen = d - i - 1;
    for (size_t k = d + 1; k + dlen + 1 < t->n; k++)
        if (t->s[k] == ')' && memcmp(t->s + k + 1, t->s + i + 1, dlen) == 0 &&
            t->s[k + 1 + dlen] == '"')
            return k + dlen + 2;
    return t->n;
}

/* Whether the directive after "#pragma" (from s[i]) is CUDA's loop hint
 * "unroll" with at most a number: nvcc's, which gcc ignores. */
static int pragma_unroll(const spliced *t, size_t i)
{
    const char *s = t->s;
    while (i < t->n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (strncmp(s + i, "unroll", 6) != 0 || ident_char(s[i + 6]))
        return 0;
    for (i += 6; i < t->n && s[i] != '\n'; i++)
        if (!(s[i] == ' ' || s[i] == '\t' || isdigit((unsigned char)s[i])))
            return 0;
    return 1;
}

/* After "#include" (s[i] on): past a <header name>, whose words (fcntl,
 * signal) are file names, not code; else i. */
static size_t header_name_end(const spliced *t, size_t i)
{
    while (i < t->n && (t->s[i] == ' ' || t->s[i] == '\t'))
        i++;
    if (i >= t->n || t->s[i] != '<')
        return i;
    for (size_t k = i + 1; k < t->n && t->s[k] != '\n'; k++)
        if (t->s[k] == '>')
            return k + 1;
    return i;
}

/* Punctuation that could hide a name from the scan, or an attribute. */
static size_t check_punct(findings *f, const spliced *t, size_t i,
                          int line_start)
{
    const char *s = t->s;
    const int line = t->line[i];
    if (s[i] == '#' && s[i + 1] == '#') {
        finding(f, line, "##", "token pasting could build a forbidden name");
        return i + 2;
    }
    if (s[i] == '%' && s[i + 1] == ':') {
        finding(f, line, "%:", "a digraph of # (write # itself)");
        return i + 2;
    }
    if (s[i] == '<' && s[i + 1] == ':' &&
        !(s[i + 2] == ':' && s[i + 3] != ':' && s[i + 3] != '>')) {
        finding(f, line, "<:", "a digraph of [ (write [ itself)");
        return i + 2;
    }
    if (s[i] == '[') {
        size_t k = i + 1;
        while (k < t->n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n'))
            k++;
        if (k < t->n && s[k] == '[') {
            finding(f, line, "[[", "attributes");
            return k + 1;
        }
    }
    if (s[i] == '#' && line_start) {
        size_t k = i + 1;
        while (k < t->n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (strncmp(s + k, "pragma", 6) == 0 && !ident_char(s[k + 6]) &&
            !pragma_unroll(t, k + 6))
            finding(f, line, "#pragma", "pragmas");
        if (strncmp(s + k, "include", 7) == 0 && !ident_char(s[k + 7]))
            return header_name_end(t, k + 7);
    }
    return i + 1;
}

/* An identifier at s[i]: its rules, or the literal it prefixes. */
static size_t identifier(findings *f, const spliced *t, size_t i)
{
    size_t k = i;
    while (k < t->n && ident_char(t->s[k]))
        k++;
    const char *w = t->s + i;
    const size_t len = k - i;
    static const char *const RAW[] = {"R", "u8R", "uR", "UR", "LR", NULL};
    static const char *const PREFIX[] = {"u8", "u", "U", "L", NULL};
    if (k < t->n && t->s[k] == '"' && is_one_of(w, len, RAW)) {
        const size_t end = skip_raw(t, k);
        check_format_n(f, t, k + 1, end);
        return end;
    }
    if (k < t->n && (t->s[k] == '"' || t->s[k] == '\'') &&
        is_one_of(w, len, PREFIX)) {
        const size_t end = skip_quoted(t, k);
        if (t->s[k] == '"')
            check_format_n(f, t, k + 1, end);
        return end;
    }
    check_identifier(f, t->line[i], w, len);
    return k;
}

/* A number (digit separators ' included, exponents' signs too). */
static size_t number(const spliced *t, size_t i)
{
    while (i < t->n) {
        const char c = t->s[i];
        if ((c == '+' || c == '-') &&
            strchr("eEpP", t->s[i - 1]) != NULL) /* i > start: a digit */
            i++;
        else if (ident_char(c) || c == '.' || c == '\'')
            i++;
        else
            break;
    }
    return i;
}

int source_rules_scan(const char *name, const char *text, size_t len,
                      strbuf *why, int *shown)
{
    spliced t;
    splice(text, len, &t);
    findings f = {name, why, shown, 0};
    int line_start = 1;
    size_t i = 0;
    while (i < t.n) {
        const char c = t.s[i], d = t.s[i + 1];
        size_t next;
        if (c == '/' && d == '/') { /* comments are blanks: line_start stays */
            while (i < t.n && t.s[i] != '\n')
                i++;
            continue;
        }
        if (c == '/' && d == '*') {
            const char *end = memmem(t.s + i + 2, t.n - i - 2, "*/", 2);
            i = end ? (size_t)(end - t.s) + 2 : t.n;
            continue;
        }
        if (c == '"' || c == '\'') {
            next = skip_quoted(&t, i);
            if (c == '"')
                check_format_n(&f, &t, i + 1, next);
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && isdigit((unsigned char)d))) {
            next = number(&t, i + 1);
        } else if (ident_char(c)) {
            next = identifier(&f, &t, i);
        } else if (isspace((unsigned char)c)) {
            if (c == '\n')
                line_start = 1;
            i++;
            continue;
        } else {
            next = check_punct(&f, &t, i, line_start);
        }
        line_start = 0;
        i = next;
    }
    free(t.s);
    free(t.line);
    return f.found;
}
