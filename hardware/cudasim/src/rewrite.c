/* rewrite.c: cudasim-rewrite, the source step before g++ compiles a .cu file
 * for the CUDA simulator.
 *
 *   cudasim-rewrite INPUT.cu OUTPUT.cpp
 *
 * g++ cannot parse CUDA's launch syntax, and a `static` variable is not
 * per-block storage, so three things are rewritten (outside comments and
 * string literals); everything else is copied byte for byte:
 *
 *   k<<<grid, block, shmem, stream>>>(args)
 *     -> ::cudasim::launch(k, "k", __FILE__, __LINE__, grid, block, shmem,
 *                          stream)(args)
 *   __shared__ float tile[16][16];      (inside a function)
 *     -> a reference to per-block storage placed by the runtime
 *   extern __shared__ float buf[];
 *     -> float (*buf) = (pointer to this launch's dynamic shared memory)
 *
 * Every replacement keeps its newlines, and the output starts with
 * `#line 1 "INPUT.cu"`, so compiler errors, __FILE__/__LINE__ and the
 * simulator's messages name the student's own file and line.
 * Exit status: 0 on success, 1 when a construct could not be rewritten
 * (with a file:line message), 2 on usage or I/O errors.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CODE = 0, COMMENT = 1, LITERAL = 2 };

typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void put_n(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (b->p == NULL) {
            perror("cudasim-rewrite");
            exit(2);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put(Buf *b, const char *s)
{
    put_n(b, s, strlen(s));
}

static void putf(Buf *b, const char *fmt, ...)
{
    char tmp[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(b, tmp);
}

/* The input and, per byte, whether it is code, comment or literal. */
static const char *src;
static size_t n;
static unsigned char *kind;
static const char *path;
static int errors;

static void classify(void)
{
    kind = calloc(n + 1, 1);
    size_t i = 0;
    while (i < n) {
        if (src[i] == '/' && i + 1 < n && src[i + 1] == '/') {
            while (i < n && src[i] != '\n')
                kind[i++] = COMMENT;
        } else if (src[i] == '/' && i + 1 < n && src[i + 1] == '*') {
            kind[i++] = COMMENT;
            kind[i++] = COMMENT;
            while (i < n && !(src[i] == '*' && i + 1 < n && src[i + 1] == '/'))
                kind[i++] = COMMENT;
            for (int k = 0; k < 2 && i < n; k++)
                kind[i++] = COMMENT;
        } else if (src[i] == '"' || src[i] == '\'') {
            /* a digit separator (1'000) is not a literal */
            if (src[i] == '\'' && i > 0 && isalnum((unsigned char)src[i - 1])) {
                i++;
                continue;
            }
            char q = src[i];
            kind[i++] = LITERAL;
            while (i < n && src[i] != q && src[i] != '\n') {
                if (src[i] == '\\' && i + 1 < n)
                    kind[i++] = LITERAL;
                kind[i++] = LITERAL;
            }
            if (i < n)
                kind[i++] = LITERAL;
        } else {
            i++;
        }
    }
}

static int line_of(size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos && i < n; i++)
        line += src[i] == '\n';
    return line;
}

static void error_at(size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: cudasim-rewrite: ", path, line_of(pos));
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    errors++;
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int word_at(size_t i, const char *w)
{
    size_t len = strlen(w);
    return i + len <= n && kind[i] == CODE && memcmp(src + i, w, len) == 0 &&
           (i == 0 || !ident_char(src[i - 1])) &&
           (i + len == n || !ident_char(src[i + len]));
}

static void put_newlines(Buf *b, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (src[i] == '\n')
            put(b, "\n");
}

/* ---- launches ------------------------------------------------------------ */

/* Start of the callee before `<<<` at p: an identifier (with ::) and an
 * optional template argument list. Returns p when there is none. */
static size_t callee_start(size_t end)
{
    size_t j = end;
    if (j > 0 && src[j - 1] == '>') {
        int depth = 0;
        while (j > 0) {
            j--;
            if (kind[j] != CODE)
                continue;
            if (src[j] == '>')
                depth++;
            else if (src[j] == '<' && --depth == 0)
                break;
        }
        while (j > 0 && isspace((unsigned char)src[j - 1]))
            j--;
    }
    while (j > 0 && (ident_char(src[j - 1]) || src[j - 1] == ':'))
        j--;
    return j;
}

/* The `>>>` closing the configuration that starts at from. */
static size_t config_end(size_t from)
{
    int depth = 0;
    for (size_t i = from; i + 2 < n; i++) {
        if (kind[i] != CODE)
            continue;
        char c = src[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        else if (depth == 0 && memcmp(src + i, ">>>", 3) == 0)
            return i;
        else if (c == ';' && depth == 0)
            break;
    }
    return n;
}

/* Rewrites the launch whose `<<<` is at p; returns the position after it. */
static size_t rewrite_launch(Buf *out, size_t *copied, size_t p)
{
    size_t end = p;
    while (end > *copied && isspace((unsigned char)src[end - 1]))
        end--;
    size_t s = callee_start(end);
    size_t q = config_end(p + 3);
    if (s == end || s < *copied || q == n) {
        error_at(p, "cannot parse this kernel launch (expected "
                    "kernel<<<grid, block[, shmem[, stream]]>>>(args))");
        return p + 3;
    }
    size_t after = q + 3;
    while (after < n && isspace((unsigned char)src[after]))
        after++;
    if (after >= n || src[after] != '(') {
        error_at(q, "expected the kernel's argument list `(...)` after >>>");
        return p + 3;
    }
    put_n(out, src + *copied, s - *copied);
    put(out, "::cudasim::launch(");
    put_n(out, src + s, end - s);
    put(out, ", \"");
    for (size_t i = s; i < end; i++) {
        char c = src[i];
        if (c == '"' || c == '\\')
            put(out, "\\");
        if (!isspace((unsigned char)c))
            put_n(out, &c, 1);
    }
    put(out, "\", __FILE__, __LINE__, ");
    put_n(out, src + end, p - end); /* whitespace, newlines kept */
    put_n(out, src + p + 3, q - (p + 3));
    put(out, ")");
    *copied = q + 3;
    return q + 3;
}

/* ---- __shared__ declarations ----------------------------------------------
 */

/* Copies [a,b) without __align__(...) and trims both ends. */
static void clean_type(char *dst, size_t cap, size_t a, size_t b)
{
    size_t len = 0;
    for (size_t i = a; i < b && len + 1 < cap;) {
        if (b - i >= 9 && memcmp(src + i, "__align__", 9) == 0) {
            int depth = 0;
            for (i += 9; i < b; i++) {
                if (src[i] == '(')
                    depth++;
                else if (src[i] == ')' && --depth == 0) {
                    i++;
                    break;
                }
            }
            continue;
        }
        dst[len++] = isspace((unsigned char)src[i]) ? ' ' : src[i];
        i++;
    }
    dst[len] = '\0';
    while (len > 0 && dst[len - 1] == ' ')
        dst[--len] = '\0';
    size_t lead = strspn(dst, " ");
    memmove(dst, dst + lead, len - lead + 1);
}

/* Splits "TYPE NAME" (trimmed) into its type and its name. */
static int split_name(const char *buf, char *type, size_t tcap, char *name,
                      size_t ncap)
{
    size_t len = strlen(buf);
    size_t i = len;
    while (i > 0 && ident_char(buf[i - 1]))
        i--;
    if (i == len || len - i >= ncap)
        return 0;
    memcpy(name, buf + i, len - i + 1);
    while (i > 0 && buf[i - 1] == ' ')
        i--;
    if (i == 0 || i >= tcap)
        return 0;
    memcpy(type, buf, i);
    type[i] = '\0';
    return 1;
}

static size_t statement_end(size_t from)
{
    int depth = 0;
    for (size_t i = from; i < n; i++) {
        if (kind[i] != CODE)
            continue;
        char c = src[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
        else if (c == ';' && depth == 0)
            return i;
    }
    return n;
}

static int site_counter;

static void emit_static(Buf *out, const char *type, const char *name,
                        const char *dims)
{
    int id = site_counter++;
    /* `T (&x)[N]` for arrays, `T &x` for scalars (g++ warns about `(&x)`) */
    const char *lp = dims[0] ? "(" : "", *rp = dims[0] ? ")" : "";
    putf(out,
         "static ::cudasim::SharedSite cudasim_site_%d_%s; %s %s&%s%s%s = "
         "*static_cast<%s (*)%s>(::cudasim::shared_at(&cudasim_site_%d_%s, "
         "sizeof(%s %s), alignof(%s %s), \"%s\"));",
         id, name, type, lp, name, rp, dims, type, dims, id, name, type, dims,
         type, dims, name);
}

/* `extern __shared__ T name[];` from `start` (extern) to `semi`. */
static int rewrite_dynamic(Buf *out, size_t decl, size_t semi)
{
    char buf[1024];
    clean_type(buf, sizeof buf, decl, semi);
    size_t len = strlen(buf);
    if (len < 2 || buf[len - 1] != ']')
        return 0;
    size_t open = len - 1;
    while (open > 0 && buf[open] != '[')
        open--;
    for (size_t i = open + 1; i < len - 1; i++)
        if (buf[i] != ' ')
            return 0;
    buf[open] = '\0';
    while (open > 0 && buf[open - 1] == ' ')
        buf[--open] = '\0';
    char type[1024], name[256];
    if (!split_name(buf, type, sizeof type, name, sizeof name))
        return 0;
    putf(out, "%s *%s = static_cast<%s *>(::cudasim::dynamic_shared());", type,
         name, type);
    return 1;
}

/* `__shared__ T a[..][..], b;` (inside a function). */
static int rewrite_static(Buf *out, size_t decl, size_t semi)
{
    /* the type is what precedes the first declarator's name */
    size_t first_end = semi;
    int depth = 0;
    for (size_t i = decl; i < semi; i++) {
        char c = src[i];
        if (c == '=')
            return 0; /* initializers are not allowed on __shared__ */
        if (c == '(' || c == '[' || c == '<')
            depth++;
        else if (c == ')' || c == ']' || c == '>')
            depth--;
        else if (c == ',' && depth == 0 && first_end == semi)
            first_end = i;
    }
    size_t bracket = first_end;
    for (size_t i = decl; i < first_end; i++)
        if (src[i] == '[') {
            bracket = i;
            break;
        }
    char head[1024];
    clean_type(head, sizeof head, decl, bracket);
    char type[1024], name[256];
    if (!split_name(head, type, sizeof type, name, sizeof name))
        return 0;
    char dims[512];
    clean_type(dims, sizeof dims, bracket, first_end);
    emit_static(out, type, name, dims);
    /* further declarators: `, b[4]` */
    size_t at = first_end;
    while (at < semi) {
        size_t next = semi;
        depth = 0;
        for (size_t i = at + 1; i < semi; i++) {
            char c = src[i];
            if (c == '(' || c == '[')
                depth++;
            else if (c == ')' || c == ']')
                depth--;
            else if (c == ',' && depth == 0) {
                next = i;
                break;
            }
        }
        char decl2[512];
        clean_type(decl2, sizeof decl2, at + 1, next);
        char *br = strchr(decl2, '[');
        char dims2[512] = "";
        if (br) {
            snprintf(dims2, sizeof dims2, "%s", br);
            *br = '\0';
        }
        size_t l = strlen(decl2);
        while (l > 0 && decl2[l - 1] == ' ')
            decl2[--l] = '\0';
        if (l == 0 || decl2[strspn(decl2, " *&")] == '\0')
            return 0;
        put(out, " ");
        emit_static(out, type, decl2 + strspn(decl2, " "), dims2);
        at = next;
    }
    return 1;
}

/* Handles __shared__ at p; returns the position to continue from. */
static size_t rewrite_shared(Buf *out, size_t *copied, size_t p, int braces)
{
    size_t start = p;
    int is_extern = 0;
    size_t j = p;
    while (j > 0 && isspace((unsigned char)src[j - 1]))
        j--;
    if (j >= 6 && word_at(j - 6, "extern")) {
        start = j - 6;
        is_extern = 1;
    }
    if (braces == 0 && !is_extern)
        return p + 10; /* file scope: the header's fallback applies */
    size_t semi = statement_end(p + 10);
    if (semi == n || start < *copied) {
        error_at(p, "cannot find the end of this __shared__ declaration");
        return p + 10;
    }
    Buf tmp = {0};
    int ok = is_extern ? rewrite_dynamic(&tmp, p + 10, semi)
                       : rewrite_static(&tmp, p + 10, semi);
    if (!ok) {
        free(tmp.p);
        if (is_extern)
            error_at(p, "cannot parse this declaration; write it as "
                        "`extern __shared__ TYPE NAME[];`");
        return p + 10;
    }
    put_n(out, src + *copied, start - *copied);
    put(out, tmp.p);
    put_newlines(out, start, semi + 1);
    free(tmp.p);
    *copied = semi + 1;
    return semi + 1;
}

/* ---- driver ----------------------------------------------------------------
 */

static char *read_file(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    if (f == NULL)
        return NULL;
    Buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        put_n(&b, chunk, got);
    fclose(f);
    if (b.p == NULL)
        put(&b, "");
    *len = b.len;
    return b.p;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cudasim-rewrite INPUT.cu OUTPUT.cpp\n");
        return 2;
    }
    path = argv[1];
    char *text = read_file(path, &n);
    if (text == NULL) {
        fprintf(stderr, "cudasim-rewrite: cannot read %s: ", path);
        perror(NULL);
        return 2;
    }
    src = text;
    classify();

    Buf out = {0};
    put(&out, "#include <cudasim.h>\n#line 1 \"");
    for (const char *c = path; *c; c++) {
        if (*c == '"' || *c == '\\')
            put(&out, "\\");
        put_n(&out, c, 1);
    }
    put(&out, "\"\n");

    size_t copied = 0;
    int braces = 0;
    for (size_t i = 0; i < n;) {
        if (kind[i] != CODE) {
            i++;
            continue;
        }
        if (src[i] == '{') {
            braces++;
        } else if (src[i] == '}') {
            braces--;
        } else if (src[i] == '<' && i + 2 < n &&
                   memcmp(src + i, "<<<", 3) == 0) {
            i = rewrite_launch(&out, &copied, i);
            continue;
        } else if (src[i] == '_' && word_at(i, "__shared__")) {
            i = rewrite_shared(&out, &copied, i, braces);
            continue;
        }
        i++;
    }
    put_n(&out, src + copied, n - copied);

    FILE *f = fopen(argv[2], "wb");
    if (f == NULL || fwrite(out.p, 1, out.len, f) != out.len || fclose(f)) {
        fprintf(stderr, "cudasim-rewrite: cannot write %s\n", argv[2]);
        return 2;
    }
    free(out.p);
    free(kind);
    free(text);
    return errors ? 1 : 0;
}
