/* rewrite.c: the source rewriter of the CUDA simulator (see rewrite.h).
 *
 * g++ cannot parse CUDA's launch syntax, and a `static` variable is not
 * per-block storage, so three constructs are rewritten; everything else,
 * comments and literals included, is copied byte for byte:
 *
 *   k<<<grid, block, shmem, stream>>>(args)
 *     -> ::cudasim::launch(k, "k", __FILE__, __LINE__, grid, block, shmem,
 *                          stream)(args)
 *   __shared__ float tile[16][16];      (inside a function)
 *     -> a reference to per-block storage placed by the runtime
 *   extern __shared__ float buf[];
 *     -> a pointer to this launch's dynamic shared memory
 *
 * The kernel before <<< may be a name, a qualified name (ns::k), a member
 * (ops.k, p->k) or a template (k<float>, k<A<int>>, k<(N >> 1)>); anything
 * else is refused with a message. Every replacement keeps its newlines.
 *
 * Linear time: every scan starts where the previous construct ended (a
 * backward scan never goes before it, a forward scan that fails resumes
 * where it stopped), and the line numbers of messages come from a cursor
 * that only moves forward.
 */
#include "rewrite.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CODE = 0, COMMENT = 1, LITERAL = 2 };
enum { NONE = -1 };

/* Longest raw-string delimiter C++ allows. */
enum { RAW_DELIM_MAX = 16 };

typedef struct {
    const char *src;
    size_t n;
    const char *path;
    unsigned char *kind; /* per byte: CODE, COMMENT or LITERAL */
    rw_buf *out, *msgs;
    size_t copied;     /* src[0, copied) is already in out */
    size_t floor;      /* backward scans stop here: end of the last construct */
    size_t floor_next; /* the floor once the construct being handled ends */
    size_t line_pos;
    int line_no; /* line of src[line_pos] */
    int errors;
    int oom;
    int sites; /* __shared__ declarations rewritten so far */
} rewriter;

/* ---- buffers --------------------------------------------------------------
 */

static int buf_put(rw_buf *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1) {
            if (cap > (size_t)-1 / 2)
                return -1;
            cap *= 2;
        }
        char *p = realloc(b->data, cap);
        if (p == NULL)
            return -1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static void put_n(rewriter *r, const char *s, size_t len)
{
    if (!r->oom && buf_put(r->out, s, len) != 0)
        r->oom = 1;
}

static void put(rewriter *r, const char *s)
{
    put_n(r, s, strlen(s));
}

/* s as the inside of a C string literal (quotes, backslashes and control
 * characters escaped). */
static void put_escaped(rw_buf *b, const char *s, size_t len, int *oom)
{
    for (size_t i = 0; i < len && !*oom; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            snprintf(esc, sizeof esc, "\\%03o", c);
        else
            snprintf(esc, sizeof esc, "%c", c);
        if (buf_put(b, esc, strlen(esc)) != 0)
            *oom = 1;
    }
}

/* ---- character classes ----------------------------------------------------
 */

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

/* ---- classification: code, comment or literal -----------------------------
 */

static void mark(rewriter *r, size_t from, size_t to, unsigned char k)
{
    memset(r->kind + from, k, to - from);
}

/* A backslash-newline (or backslash-CR-LF) at i: its length, else 0. */
static size_t splice_at(const rewriter *r, size_t i)
{
    if (r->src[i] != '\\' || i + 1 >= r->n)
        return 0;
    if (r->src[i + 1] == '\n')
        return 2;
    if (r->src[i + 1] == '\r' && i + 2 < r->n && r->src[i + 2] == '\n')
        return 3;
    return 0;
}

/* A `//` comment from i; returns its end (the newline, not included). */
static size_t line_comment_end(const rewriter *r, size_t i)
{
    while (i < r->n && r->src[i] != '\n') {
        size_t s = splice_at(r, i);
        i += s ? s : 1;
    }
    return i;
}

static size_t block_comment_end(const rewriter *r, size_t i)
{
    for (i += 2; i + 1 < r->n; i++)
        if (r->src[i] == '*' && r->src[i + 1] == '/')
            return i + 2;
    return r->n;
}

/* An ordinary literal whose quote is at i; ends after the closing quote, at
 * an unescaped newline (unterminated) or at the end of the input. */
static size_t quoted_end(const rewriter *r, size_t i)
{
    char q = r->src[i];
    for (i++; i < r->n; i++) {
        if (r->src[i] == '\\') {
            i++; /* the escaped character, a newline included */
            continue;
        }
        if (r->src[i] == q)
            return i + 1;
        if (r->src[i] == '\n')
            return i;
    }
    return r->n;
}

/* A raw string whose quote is at i (R"delim( ... )delim"); NONE when what
 * follows the quote is not a raw-string delimiter. */
static long raw_string_end(const rewriter *r, size_t i)
{
    size_t d = i + 1, k = d;
    while (k < r->n && k - d <= RAW_DELIM_MAX && r->src[k] != '(') {
        char c = r->src[k];
        if (c == ')' || c == '\\' || c == '"' || space_char(c))
            return NONE;
        k++;
    }
    if (k >= r->n || r->src[k] != '(')
        return NONE;
    size_t dlen = k - d;
    for (size_t j = k + 1; j + 1 + dlen < r->n; j++)
        if (r->src[j] == ')' && memcmp(r->src + j + 1, r->src + d, dlen) == 0 &&
            r->src[j + 1 + dlen] == '"')
            return (long)(j + dlen + 2);
    return (long)r->n;
}

static int is_literal_prefix(const char *s, size_t len, int *raw)
{
    static const char *const plain[] = {"L", "u", "U", "u8"};
    static const char *const rawp[] = {"R", "LR", "uR", "UR", "u8R"};
    *raw = 0;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (strlen(plain[i]) == len && memcmp(s, plain[i], len) == 0)
            return 1;
    for (size_t i = 0; i < sizeof rawp / sizeof *rawp; i++)
        if (strlen(rawp[i]) == len && memcmp(s, rawp[i], len) == 0) {
            *raw = 1;
            return 1;
        }
    return 0;
}

/* A preprocessing number from i (digits, letters, '.', digit separators,
 * exponent signs). */
static size_t number_end(const rewriter *r, size_t i)
{
    const char *s = r->src;
    while (i < r->n) {
        char c = s[i];
        if ((c == '+' || c == '-') && i > 0 && strchr("eEpP", s[i - 1]) != NULL)
            i++;
        else if (c == '\'' && i + 1 < r->n && ident_char(s[i + 1]))
            i++;
        else if (ident_char(c) || c == '.')
            i++;
        else
            break;
    }
    return i;
}

/* Fills r->kind. A literal's encoding prefix (u8, L, R...) counts as part
 * of the literal. */
static void classify(rewriter *r)
{
    const char *s = r->src;
    size_t i = 0;
    while (i < r->n) {
        char c = s[i];
        size_t end;
        if (c == '/' && i + 1 < r->n && s[i + 1] == '/') {
            end = line_comment_end(r, i);
            mark(r, i, end, COMMENT);
        } else if (c == '/' && i + 1 < r->n && s[i + 1] == '*') {
            end = block_comment_end(r, i);
            mark(r, i, end, COMMENT);
        } else if (c == '"' || c == '\'') {
            end = quoted_end(r, i);
            mark(r, i, end, LITERAL);
        } else if (isdigit((unsigned char)c) ||
                   (c == '.' && i + 1 < r->n &&
                    isdigit((unsigned char)s[i + 1]))) {
            end = number_end(r, i);
        } else if (ident_char(c)) {
            end = i;
            while (end < r->n && ident_char(s[end]))
                end++;
            int raw;
            if (end < r->n && (s[end] == '"' || s[end] == '\'') &&
                is_literal_prefix(s + i, end - i, &raw)) {
                long lit = raw && s[end] == '"' ? raw_string_end(r, end) : NONE;
                size_t stop = lit != NONE ? (size_t)lit : quoted_end(r, end);
                mark(r, i, stop, LITERAL);
                end = stop;
            }
        } else {
            end = i + 1;
        }
        i = end > i ? end : i + 1;
    }
}

/* ---- messages -------------------------------------------------------------
 */

static int line_of(rewriter *r, size_t pos)
{
    if (pos < r->line_pos) { /* not expected: errors come in order */
        r->line_pos = 0;
        r->line_no = 1;
    }
    const char *s = r->src + r->line_pos, *end = r->src + pos;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (nl == NULL)
            break;
        r->line_no++;
        s = nl + 1;
    }
    r->line_pos = pos;
    return r->line_no;
}

static void error_at(rewriter *r, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(rewriter *r, size_t pos, const char *fmt, ...)
{
    r->errors++;
    if (r->errors > RW_MAX_MESSAGES)
        return;
    char head[64], body[512];
    snprintf(head, sizeof head, ":%d: cudasim-rewrite: ", line_of(r, pos));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    if (buf_put(r->msgs, r->path, strlen(r->path)) != 0 ||
        buf_put(r->msgs, head, strlen(head)) != 0 ||
        buf_put(r->msgs, body, strlen(body)) != 0 ||
        buf_put(r->msgs, "\n", 1) != 0)
        r->oom = 1;
}

/* ---- scanning helpers -----------------------------------------------------
 */

static int is_code(const rewriter *r, size_t i)
{
    return r->kind[i] == CODE;
}

static int word_at(const rewriter *r, size_t i, const char *w)
{
    size_t len = strlen(w);
    return i + len <= r->n && is_code(r, i) &&
           memcmp(r->src + i, w, len) == 0 &&
           (i == 0 || !ident_char(r->src[i - 1])) &&
           (i + len == r->n || !ident_char(r->src[i + len]));
}

/* The position after skipping whitespace and comments backward from end,
 * not before lo. */
static size_t skip_back_blank(const rewriter *r, size_t end, size_t lo)
{
    while (end > lo &&
           (r->kind[end - 1] == COMMENT || space_char(r->src[end - 1])))
        end--;
    return end;
}

static size_t skip_blank(const rewriter *r, size_t i)
{
    while (i < r->n && (r->kind[i] == COMMENT || space_char(r->src[i])))
        i++;
    return i;
}

/* The ( or [ matching the ) or ] at close, scanning back to lo; NONE when
 * there is none or a ; { } comes first. */
static long open_bracket_back(const rewriter *r, size_t close, size_t lo)
{
    int depth = 0;
    for (size_t k = close + 1; k-- > lo;) {
        if (!is_code(r, k))
            continue;
        char c = r->src[k];
        if (c == ')' || c == ']')
            depth++;
        else if ((c == '(' || c == '[') && --depth == 0)
            return (long)k;
        else if (c == ';' || c == '{' || c == '}')
            return NONE;
    }
    return NONE;
}

/* The < opening the template argument list whose > is at close, scanning
 * back to lo. Parenthesised parts are skipped, so (N >> 1) is one
 * argument. NONE when there is no such <. */
static long template_open_back(const rewriter *r, size_t close, size_t lo)
{
    int depth = 0;
    for (size_t k = close + 1; k-- > lo;) {
        if (!is_code(r, k))
            continue;
        char c = r->src[k];
        if (c == ')' || c == ']') {
            long o = open_bracket_back(r, k, lo);
            if (o == NONE)
                return NONE;
            k = (size_t)o;
        } else if (c == '>' && !(k > lo && r->src[k - 1] == '-')) {
            depth++;
        } else if (c == '<' && --depth == 0) {
            return (long)k;
        } else if (c == ';' || c == '{' || c == '}') {
            return NONE;
        }
    }
    return NONE;
}

/* ---- launches -------------------------------------------------------------
 */

/* Start of the kernel expression that ends at end (exclusive): a chain of
 * names joined by ::, . or -> with an optional template argument list at
 * the end. NONE when there is no such expression. */
static long callee_start(const rewriter *r, size_t end)
{
    size_t lo = r->floor, j = end;
    if (j > lo && r->src[j - 1] == '>' && is_code(r, j - 1)) {
        long open = template_open_back(r, j - 1, lo);
        if (open == NONE)
            return NONE;
        j = skip_back_blank(r, (size_t)open, lo);
    }
    for (;;) {
        size_t k = j;
        while (k > lo && ident_char(r->src[k - 1]) && is_code(r, k - 1))
            k--;
        if (k == j || isdigit((unsigned char)r->src[k]))
            return NONE;
        j = k;
        size_t t = skip_back_blank(r, j, lo);
        if (t >= lo + 2 && r->src[t - 1] == ':' && r->src[t - 2] == ':') {
            size_t u = skip_back_blank(r, t - 2, lo);
            if (u == lo || !ident_char(r->src[u - 1]))
                return (long)(t - 2); /* a leading :: */
            j = u;
        } else if (t >= lo + 1 && r->src[t - 1] == '.' &&
                   !(t >= lo + 2 && r->src[t - 2] == '.')) {
            j = skip_back_blank(r, t - 1, lo);
        } else if (t >= lo + 2 && r->src[t - 1] == '>' &&
                   r->src[t - 2] == '-') {
            j = skip_back_blank(r, t - 2, lo);
        } else {
            return (long)j;
        }
    }
}

/* Forward from `from` to the `>>>` that closes a launch configuration:
 * returns its position, or NONE with *stop where the scan gave up (a ; or
 * an unbalanced bracket, another <<<, or the end of the input). */
static long config_end(const rewriter *r, size_t from, size_t *stop)
{
    int depth = 0;
    size_t i;
    for (i = from; i < r->n; i++) {
        if (!is_code(r, i))
            continue;
        char c = r->src[i];
        if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (--depth < 0)
                break;
        } else if (depth == 0 && i + 2 < r->n &&
                   memcmp(r->src + i, ">>>", 3) == 0) {
            return (long)i;
        } else if (depth == 0 &&
                   (c == ';' ||
                    (i + 2 < r->n && memcmp(r->src + i, "<<<", 3) == 0))) {
            break;
        }
    }
    *stop = i;
    return NONE;
}

/* The launch whose <<< is at p; returns where scanning goes on and moves
 * the floor of backward scans past what this launch used. */
static size_t rewrite_launch(rewriter *r, size_t p)
{
    r->floor_next = p + 3;
    size_t end = skip_back_blank(r, p, r->floor);
    long s = callee_start(r, end);
    if (s == NONE || (size_t)s < r->copied) {
        error_at(r, p,
                 "cannot find the kernel before <<<: write its name (or a "
                 "variable or member holding it, optionally with template "
                 "arguments) directly before <<<, as in "
                 "kernel<<<grid, block>>>(args)");
        return p + 3;
    }
    size_t stop;
    long q = config_end(r, p + 3, &stop);
    if (q == NONE) {
        error_at(r, p,
                 "cannot find the >>> that closes this launch configuration "
                 "(expected kernel<<<grid, block[, shmem[, stream]]>>>(args))");
        return stop > p + 3 ? stop : p + 3;
    }
    size_t after = skip_blank(r, (size_t)q + 3);
    if (after >= r->n || r->src[after] != '(') {
        error_at(r, (size_t)q,
                 "expected the kernel's argument list `(...)` after >>>");
        return (size_t)q + 3;
    }
    put_n(r, r->src + r->copied, (size_t)s - r->copied);
    put(r, "::cudasim::launch(");
    put_n(r, r->src + s, end - (size_t)s);
    put(r, ", \"");
    for (size_t i = (size_t)s; i < end; i++)
        if (is_code(r, i) && !space_char(r->src[i]))
            put_escaped(r->out, r->src + i, 1, &r->oom);
    put(r, "\", __FILE__, __LINE__, ");
    put_n(r, r->src + end, p - end); /* blanks: newlines kept */
    put_n(r, r->src + p + 3, (size_t)q - (p + 3));
    put(r, ")");
    r->copied = (size_t)q + 3;
    r->floor_next = r->copied;
    return (size_t)q + 3;
}

/* ---- __shared__ declarations ----------------------------------------------
 */

/* One declaration split into parts (each a malloc'd, trimmed string). */
typedef struct {
    rw_buf qual;  /* const / volatile written before __shared__ */
    rw_buf type;  /* the type before the first declarator's name */
    size_t align; /* from __align__(N), 0 when absent */
} decl_head;

static void free_buf(rw_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* Appends src[a, b) to dst with each run of blanks (and comments) turned
 * into one space and __align__(N) left out (N goes to *align). */
static int clean_copy(const rewriter *r, rw_buf *dst, size_t a, size_t b,
                      size_t *align)
{
    int space = 0;
    for (size_t i = a; i < b;) {
        if (r->kind[i] == COMMENT || space_char(r->src[i])) {
            space = dst->len > 0;
            i++;
            continue;
        }
        if (b - i >= 9 && word_at(r, i, "__align__")) {
            size_t j = skip_blank(r, i + 9);
            if (j >= b || r->src[j] != '(')
                return -1;
            long close = NONE;
            int depth = 0;
            for (size_t k = j; k < b; k++)
                if (r->src[k] == '(')
                    depth++;
                else if (r->src[k] == ')' && --depth == 0) {
                    close = (long)k;
                    break;
                }
            if (close == NONE)
                return -1;
            if (align != NULL) {
                char *e;
                unsigned long v = strtoul(r->src + j + 1, &e, 0);
                if (e == r->src + j + 1 || v == 0 || v > 4096)
                    return -1;
                *align = v;
            }
            i = (size_t)close + 1;
            continue;
        }
        if (space && buf_put(dst, " ", 1) != 0)
            return -1;
        space = 0;
        if (buf_put(dst, r->src + i, 1) != 0)
            return -1;
        i++;
    }
    if (dst->data == NULL && buf_put(dst, "", 0) != 0)
        return -1;
    return 0;
}

/* Splits "TYPE NAME" into TYPE (trimmed) and NAME (an identifier). */
static int split_name(const rw_buf *td, rw_buf *type, rw_buf *name)
{
    const char *s = td->data;
    size_t len = td->len, i = len;
    while (i > 0 && ident_char(s[i - 1]))
        i--;
    if (i == len || isdigit((unsigned char)s[i]))
        return -1;
    size_t t = i;
    while (t > 0 && s[t - 1] == ' ')
        t--;
    if (t == 0)
        return -1;
    if (buf_put(name, s + i, len - i) != 0 || buf_put(type, s, t) != 0)
        return -1;
    return 0;
}

/* The ; ending the declaration that starts at from; NONE with *stop where
 * the scan gave up (an unbalanced } or the end of the input). */
static long statement_end(const rewriter *r, size_t from, size_t *stop)
{
    int depth = 0;
    size_t i;
    for (i = from; i < r->n; i++) {
        if (!is_code(r, i))
            continue;
        char c = r->src[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && --depth < 0)
            break;
        else if (c == ';' && depth == 0)
            return (long)i;
    }
    *stop = i;
    return NONE;
}

/* Where declarator k of the list in [a, semi) ends: the next top-level
 * comma (template argument lists and brackets are not top level). */
static size_t declarator_end(const rewriter *r, size_t a, size_t semi)
{
    int paren = 0, angle = 0;
    for (size_t i = a; i < semi; i++) {
        if (!is_code(r, i))
            continue;
        char c = r->src[i];
        if (c == '(' || c == '[')
            paren++;
        else if (c == ')' || c == ']')
            paren--;
        else if (paren == 0 && c == '<')
            angle++;
        else if (paren == 0 && c == '>' && angle > 0)
            angle--;
        else if (c == ',' && paren == 0 && angle == 0)
            return i;
    }
    return semi;
}

static void put_buf(rewriter *r, const rw_buf *b)
{
    put_n(r, b->data ? b->data : "", b->len);
}

/* "qual type dims" (for sizeof, alignof and messages) into *full. */
static int full_type(const decl_head *h, const rw_buf *type, const rw_buf *dims,
                     rw_buf *full)
{
    if (h->qual.len && (buf_put(full, h->qual.data, h->qual.len) != 0 ||
                        buf_put(full, " ", 1) != 0))
        return -1;
    if (buf_put(full, type->data, type->len) != 0)
        return -1;
    if (dims->len && (buf_put(full, " ", 1) != 0 ||
                      buf_put(full, dims->data, dims->len) != 0))
        return -1;
    return 0;
}

static void put_qual_type(rewriter *r, const decl_head *h, const rw_buf *type)
{
    if (h->qual.len) {
        put_buf(r, &h->qual);
        put(r, " ");
    }
    put_buf(r, type);
}

/* One __shared__ variable of type `type` (with h's qualifiers): a
 * SharedSite and a reference to the storage the runtime places for it. */
static void emit_static(rewriter *r, const decl_head *h, const rw_buf *type,
                        const rw_buf *name, const rw_buf *dims)
{
    rw_buf full = {0};
    if (full_type(h, type, dims, &full) != 0) {
        r->oom = 1;
        free_buf(&full);
        return;
    }
    char site[40];
    snprintf(site, sizeof site, "cudasim_site_%d_", r->sites++);
    int array = dims->len > 0;
    put(r, "static ::cudasim::SharedSite ");
    put(r, site);
    put_buf(r, name);
    put(r, "; ");
    put_qual_type(r, h, type);
    put(r, array ? " (&" : " &");
    put_buf(r, name);
    put(r, array ? ")" : "");
    put_buf(r, dims);
    put(r, " = *static_cast<");
    put_qual_type(r, h, type);
    put(r, array ? " (*)" : " *");
    put_buf(r, dims);
    put(r, ">(::cudasim::shared_at(&");
    put(r, site);
    put_buf(r, name);
    put(r, ", sizeof(");
    put_buf(r, &full);
    put(r, "), ");
    if (h->align) {
        char align[32];
        snprintf(align, sizeof align, "%zu", h->align);
        put(r, align);
        put(r, " > alignof(");
        put_buf(r, &full);
        put(r, ") ? ");
        put(r, align);
        put(r, " : ");
    }
    put(r, "alignof(");
    put_buf(r, &full);
    put(r, "), \"");
    put_escaped(r->out, name->data, name->len, &r->oom);
    put(r, "\", \"");
    put_escaped(r->out, full.data, full.len, &r->oom);
    put(r, "\", __FILE__, __LINE__));");
    free_buf(&full);
}

/* The type of the declarators after the first: the first one's type
 * without its own * and & ("float *a, b": b is a float). */
static int base_type(const rw_buf *type, rw_buf *base)
{
    size_t len = type->len;
    while (len > 0 && strchr(" *&", type->data[len - 1]) != NULL)
        len--;
    return len == 0 ? -1 : buf_put(base, type->data, len);
}

/* One further declarator ("*p", "b[4]") in [a, b) of type base. */
static int emit_declarator(rewriter *r, const decl_head *h, const rw_buf *base,
                           size_t a, size_t b)
{
    size_t br = b;
    for (size_t i = a; i < b; i++)
        if (is_code(r, i) && r->src[i] == '[') {
            br = i;
            break;
        }
    rw_buf d = {0}, name = {0}, dims = {0}, type = {0};
    int rc = -1;
    if (clean_copy(r, &d, a, br, NULL) != 0 ||
        clean_copy(r, &dims, br, b, NULL) != 0 || d.len == 0)
        goto out;
    size_t nstart = d.len;
    while (nstart > 0 && ident_char(d.data[nstart - 1]))
        nstart--;
    if (nstart == d.len || isdigit((unsigned char)d.data[nstart]) ||
        strspn(d.data, " *&") != nstart)
        goto out;
    if (buf_put(&name, d.data + nstart, d.len - nstart) != 0 ||
        buf_put(&type, base->data, base->len) != 0)
        goto out;
    for (size_t i = 0; i < nstart; i++) /* the declarator's own * and & */
        if (d.data[i] != ' ' && buf_put(&type, d.data + i, 1) != 0)
            goto out;
    put(r, " ");
    emit_static(r, h, &type, &name, &dims);
    rc = 0;
out:
    free_buf(&d);
    free_buf(&name);
    free_buf(&dims);
    free_buf(&type);
    return rc;
}

/* `__shared__ T a[..][..], *b, c;` in [from, semi): one site each. */
static int rewrite_static(rewriter *r, decl_head *h, size_t from, size_t semi)
{
    for (size_t i = from; i < semi; i++)
        if (is_code(r, i) && r->src[i] == '=')
            return -1; /* __shared__ variables cannot be initialised */
    size_t first_end = declarator_end(r, from, semi);
    size_t bracket = first_end;
    for (size_t i = from; i < first_end; i++)
        if (is_code(r, i) && r->src[i] == '[') {
            bracket = i;
            break;
        }
    rw_buf td = {0}, name = {0}, dims = {0}, base = {0};
    int rc = -1;
    if (clean_copy(r, &td, from, bracket, &h->align) != 0 ||
        split_name(&td, &h->type, &name) != 0 ||
        clean_copy(r, &dims, bracket, first_end, NULL) != 0)
        goto out;
    emit_static(r, h, &h->type, &name, &dims);
    if (first_end < semi && base_type(&h->type, &base) != 0)
        goto out;
    for (size_t at = first_end; at < semi;) {
        size_t next = declarator_end(r, at + 1, semi);
        if (emit_declarator(r, h, &base, at + 1, next) != 0)
            goto out;
        at = next;
    }
    rc = 0;
out:
    free_buf(&td);
    free_buf(&name);
    free_buf(&dims);
    free_buf(&base);
    return rc;
}

/* `extern __shared__ T name[];`: a pointer to the dynamic shared memory in
 * a function, a proxy object that converts to one at file scope. */
static int rewrite_dynamic(rewriter *r, decl_head *h, size_t from, size_t semi,
                           int file_scope)
{
    rw_buf d = {0}, name = {0};
    int rc = -1;
    if (clean_copy(r, &d, from, semi, &h->align) != 0)
        goto out;
    /* "T name [ ]" */
    size_t len = d.len;
    while (len > 0 && d.data[len - 1] == ' ')
        len--;
    if (len < 2 || d.data[len - 1] != ']')
        goto out;
    size_t open = len - 1;
    while (open > 0 && d.data[open] != '[')
        open--;
    for (size_t i = open + 1; i < len - 1; i++)
        if (d.data[i] != ' ')
            goto out;
    while (open > 0 && d.data[open - 1] == ' ')
        open--;
    d.len = open;
    d.data[open] = '\0';
    if (split_name(&d, &h->type, &name) != 0)
        goto out;
    if (file_scope) {
        put(r, "static ::cudasim::DynamicShared<");
        put_buf(r, &h->qual);
        put(r, h->qual.len ? " " : "");
        put_buf(r, &h->type);
        put(r, "> ");
        put_buf(r, &name);
        put(r, ";");
    } else {
        put_buf(r, &h->qual);
        put(r, h->qual.len ? " " : "");
        put_buf(r, &h->type);
        put(r, " *");
        put_buf(r, &name);
        put(r, " = static_cast<");
        put_buf(r, &h->qual);
        put(r, h->qual.len ? " " : "");
        put_buf(r, &h->type);
        put(r, " *>(::cudasim::dynamic_shared());");
    }
    rc = 0;
out:
    free_buf(&d);
    free_buf(&name);
    return rc;
}

/* Specifiers written before __shared__ (extern, static, const, volatile,
 * __device__): where the declaration starts, and what they say. */
static size_t specifiers_before(const rewriter *r, size_t p, int *is_extern,
                                rw_buf *qual)
{
    static const char *const words[] = {"extern", "static", "const", "volatile",
                                        "__device__"};
    size_t start = p;
    *is_extern = 0;
    for (;;) {
        size_t e = skip_back_blank(r, start, r->floor);
        size_t b = e;
        while (b > r->floor && ident_char(r->src[b - 1]) && is_code(r, b - 1))
            b--;
        size_t k = 0, nw = sizeof words / sizeof *words;
        while (k < nw && !(strlen(words[k]) == e - b &&
                           memcmp(r->src + b, words[k], e - b) == 0))
            k++;
        if (b == e || k == nw || b < r->copied)
            return start;
        if (k == 0)
            *is_extern = 1;
        if (k == 2 || k == 3) {
            rw_buf tmp = {0};
            if (buf_put(&tmp, words[k], strlen(words[k])) == 0 &&
                (qual->len == 0 || buf_put(&tmp, " ", 1) == 0) &&
                buf_put(&tmp, qual->data ? qual->data : "", qual->len) == 0) {
                free_buf(qual);
                *qual = tmp;
            } else {
                free_buf(&tmp);
            }
        }
        start = b;
    }
}

/* The __shared__ at p; returns where scanning goes on (and sets the floor
 * of backward scans, as rewrite_launch). */
static size_t rewrite_shared(rewriter *r, size_t p, int braces)
{
    decl_head h = {0};
    r->floor_next = p + 10;
    int is_extern;
    size_t start = specifiers_before(r, p, &is_extern, &h.qual);
    if (braces == 0 && !is_extern) {
        free_buf(&h.qual); /* file scope: cudasim.h's fallback applies */
        return p + 10;
    }
    size_t stop;
    long semi = statement_end(r, p + 10, &stop);
    if (semi == NONE) {
        free_buf(&h.qual);
        error_at(r, p,
                 "cannot find the ; that ends this __shared__ "
                 "declaration");
        return stop > p + 10 ? stop : p + 10;
    }
    size_t saved_len = r->out->len;
    put_n(r, r->src + r->copied, start - r->copied);
    int rc = is_extern
                 ? rewrite_dynamic(r, &h, p + 10, (size_t)semi, braces == 0)
                 : rewrite_static(r, &h, p + 10, (size_t)semi);
    free_buf(&h.qual);
    free_buf(&h.type);
    if (rc != 0) {
        /* drop what was written for it; the text is copied unchanged */
        r->out->len = saved_len;
        if (r->out->data)
            r->out->data[saved_len] = '\0';
        if (is_extern)
            error_at(r, p,
                     "cannot rewrite this declaration; write it as "
                     "`extern __shared__ TYPE NAME[];`");
        else
            error_at(r, p,
                     "cannot rewrite this __shared__ declaration; "
                     "write it as `__shared__ TYPE NAME[N]...;` "
                     "(shared memory cannot be initialised in its "
                     "declaration: assign it in the kernel)");
        r->floor_next = (size_t)semi + 1;
        return (size_t)semi + 1;
    }
    for (size_t i = start; i <= (size_t)semi; i++) /* keep the newlines */
        if (r->src[i] == '\n')
            put(r, "\n");
    r->copied = (size_t)semi + 1;
    r->floor_next = r->copied;
    return (size_t)semi + 1;
}

/* ---- driver ---------------------------------------------------------------
 */

static void put_header(rewriter *r)
{
    put(r, "#include <cudasim.h>\n#line 1 \"");
    put_escaped(r->out, r->path, strlen(r->path), &r->oom);
    put(r, "\"\n");
}

static void put_error_summary(rewriter *r)
{
    if (r->errors <= RW_MAX_MESSAGES)
        return;
    char line[160];
    snprintf(line, sizeof line,
             "%s: cudasim-rewrite: %d more errors not shown\n", r->path,
             r->errors - RW_MAX_MESSAGES);
    if (buf_put(r->msgs, line, strlen(line)) != 0)
        r->oom = 1;
}

int cudasim_rewrite(const char *src, size_t n, const char *path, rw_buf *out,
                    rw_buf *msgs)
{
    rewriter r = {0};
    r.src = src;
    r.n = n;
    r.path = path;
    r.out = out;
    r.msgs = msgs;
    r.line_no = 1;
    r.kind = calloc(n + 1, 1);
    if (r.kind == NULL)
        return RW_OUT_OF_MEMORY;
    classify(&r);
    put_header(&r);
    int braces = 0;
    for (size_t i = 0; i < n && !r.oom;) {
        if (!is_code(&r, i)) {
            i++;
            continue;
        }
        char c = src[i];
        if (c == '{') {
            braces++;
        } else if (c == '}') {
            braces -= braces > 0;
        } else if (c == '<' && i + 2 < n && memcmp(src + i, "<<<", 3) == 0) {
            i = rewrite_launch(&r, i);
            r.floor = r.floor_next;
            continue;
        } else if (c == '_' && word_at(&r, i, "__shared__")) {
            i = rewrite_shared(&r, i, braces);
            r.floor = r.floor_next;
            continue;
        }
        i++;
    }
    put_n(&r, src + r.copied, n - r.copied);
    put_error_summary(&r);
    free(r.kind);
    if (r.oom)
        return RW_OUT_OF_MEMORY;
    return r.errors ? RW_REFUSED : RW_OK;
}
