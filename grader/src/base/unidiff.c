/* unidiff.c: see unidiff.h. */
#include "base/unidiff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strlist.h"

enum { PATCHED_FILE_MAX = 16 << 20 };

/* The lines of a text, each without its '\n' (a last line without one is
 * still a line). */
static void split_lines(const char *s, size_t len, strlist *out)
{
    const char *end = s + len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *stop = nl ? nl : end;
        strlist_take(out, xstrndup(s, (size_t)(stop - s)));
        s = nl ? nl + 1 : end;
    }
}

/* One hunk: the lines it expects at old_at (1-based; 0 at the start of
 * the file) and the lines that replace them. */
typedef struct {
    size_t old_at;
    strlist old_lines, new_lines;
} hunk;

/* One file's change: its path and its hunks, in order. */
typedef struct {
    char *path;  /* below the folder, first component stripped */
    int creates; /* "--- /dev/null" */
    int deletes; /* "+++ /dev/null" */
    hunk *hunks;
    size_t nhunks;
} file_change;

static void file_change_free(file_change *f)
{
    free(f->path);
    for (size_t i = 0; i < f->nhunks; i++) {
        strlist_free(&f->hunks[i].old_lines);
        strlist_free(&f->hunks[i].new_lines);
    }
    free(f->hunks);
}

/* "a/dir/x.c" -> "dir/x.c" (first component stripped); NULL for a path
 * that would leave the folder. */
static char *strip_one(const char *p)
{
    const char *slash = strchr(p, '/');
    if (slash == NULL || slash[1] == '\0')
        return NULL;
    const char *rest = slash + 1;
    if (rest[0] == '/' || strstr(rest, "..") != NULL)
        return NULL;
    size_t n = strcspn(rest, "\t"); /* diff -u appends a time stamp */
    return xstrndup(rest, n);
}

static const char *after(const char *line, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(line, prefix, n) == 0 ? line + n : NULL;
}

/* "@@ -a[,b] +c[,d] @@": a, and b (1 when absent); 0 or -1. */
static int hunk_header(const char *h, long *old_start, long *old_count,
                       long *new_count)
{
    char *end;
    const char *p = after(h, "@@ -");
    if (p == NULL)
        return -1;
    *old_start = strtol(p, &end, 10);
    *old_count = 1;
    if (*end == ',')
        *old_count = strtol(end + 1, &end, 10);
    if (strncmp(end, " +", 2) != 0)
        return -1;
    (void)strtol(end + 2, &end, 10);
    *new_count = 1;
    if (*end == ',')
        *new_count = strtol(end + 1, &end, 10);
    return *old_start >= 0 && *old_count >= 0 && *new_count >= 0 &&
                   strncmp(end, " @@", 3) == 0
               ? 0
               : -1;
}

/* Reads one hunk whose header is lines[*i]; *i ends on its last line. */
static int read_hunk(const strlist *lines, size_t *i, const char *path,
                     hunk *out, strbuf *err)
{
    long old_start, old_count, new_count;
    memset(out, 0, sizeof *out);
    if (hunk_header(lines->v[*i], &old_start, &old_count, &new_count) != 0) {
        sb_printf(err, "a malformed hunk header in %s: %s", path, lines->v[*i]);
        return -1;
    }
    out->old_at = (size_t)old_start;
    long seen_old = 0, seen_new = 0;
    while ((seen_old < old_count || seen_new < new_count) &&
           *i + 1 < lines->n) {
        const char *l = lines->v[++*i];
        const char tag = l[0] ? l[0] : ' '; /* an empty context line */
        const char *text = l[0] ? l + 1 : "";
        if (tag == '\\') /* "\ No newline at end of file" */
            continue;
        if (tag != ' ' && tag != '-' && tag != '+')
            break;
        if (tag != '+' && seen_old++ < old_count)
            strlist_push(&out->old_lines, text);
        if (tag != '-' && seen_new++ < new_count)
            strlist_push(&out->new_lines, text);
    }
    while (*i + 1 < lines->n && lines->v[*i + 1][0] == '\\')
        (*i)++;
    if (seen_old != old_count || seen_new != new_count) {
        sb_printf(err, "the hunk at line %ld of %s is cut short", old_start,
                  path);
        return -1;
    }
    return 0;
}

/* Reads the hunks that follow lines[*i] (the "+++" line) into f. */
static int read_hunks(const strlist *lines, size_t *i, file_change *f,
                      strbuf *err)
{
    size_t cap = 0;
    while (*i + 1 < lines->n && after(lines->v[*i + 1], "@@ ")) {
        (*i)++;
        if (f->nhunks == cap) {
            cap = cap ? 2 * cap : 4;
            f->hunks = xreallocarray(f->hunks, cap, sizeof *f->hunks);
        }
        if (read_hunk(lines, i, f->path, &f->hunks[f->nhunks], err) != 0) {
            strlist_free(&f->hunks[f->nhunks].old_lines);
            strlist_free(&f->hunks[f->nhunks].new_lines);
            return -1;
        }
        f->nhunks++;
    }
    return 0;
}

/* Parses every file change of the diff. */
static int parse_diff(const char *diff, size_t len, file_change **out,
                      size_t *n, strbuf *err)
{
    strlist lines = {0};
    split_lines(diff, len, &lines);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = 0;
    for (size_t i = 0; i + 1 < lines.n && rc == 0; i++) {
        const char *from = after(lines.v[i], "--- ");
        const char *to = after(lines.v[i + 1], "+++ ");
        if (from == NULL || to == NULL)
            continue;
        file_change f = {0};
        f.creates = strncmp(from, "/dev/null", 9) == 0;
        f.deletes = strncmp(to, "/dev/null", 9) == 0;
        f.path = strip_one(f.deletes ? from : to);
        i++;
        if (f.path == NULL) {
            sb_printf(err, "a path outside the folder: %s",
                      f.deletes ? from : to);
            rc = -1;
        } else {
            rc = read_hunks(&lines, &i, &f, err);
        }
        if (rc != 0) {
            file_change_free(&f);
            break;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            *out = xreallocarray(*out, cap, sizeof **out);
        }
        (*out)[(*n)++] = f;
    }
    if (rc == 0 && *n == 0) {
        sb_puts(err, "no file change in the diff (no \"--- \" and \"+++ \" "
                     "lines)");
        rc = -1;
    }
    strlist_free(&lines);
    return rc;
}

/* Whether the lines `want` stand in text from index at. */
static int lines_match(const strlist *text, size_t at, const strlist *want)
{
    if (at > text->n || want->n > text->n - at)
        return 0;
    for (size_t j = 0; j < want->n; j++)
        if (strcmp(text->v[at + j], want->v[j]) != 0)
            return 0;
    return 1;
}

/* text with the `count` lines at index `at` replaced by `put`. */
static void splice(strlist *text, size_t at, size_t count, const strlist *put)
{
    strlist out = {0};
    for (size_t i = 0; i < at; i++)
        strlist_push(&out, text->v[i]);
    for (size_t i = 0; i < put->n; i++)
        strlist_push(&out, put->v[i]);
    for (size_t i = at + count; i < text->n; i++)
        strlist_push(&out, text->v[i]);
    strlist_free(text);
    *text = out;
}

/* Applies f's hunks to text (lines), in place: each where it says, or at
 * the nearest place its old lines stand. */
static int apply_hunks(const file_change *f, strlist *text, strbuf *err)
{
    long shift = 0; /* lines added minus removed by earlier hunks */
    for (size_t h = 0; h < f->nhunks; h++) {
        const hunk *k = &f->hunks[h];
        /* diff names the line before an insertion, and the first old line
         * of any other hunk */
        long named = (long)k->old_at - (k->old_lines.n ? 1 : 0) + shift;
        long found = -1;
        for (long d = 0; found < 0 && d <= (long)text->n + 1; d++) {
            if (named - d >= 0 &&
                lines_match(text, (size_t)(named - d), &k->old_lines))
                found = named - d;
            else if (named + d >= 0 &&
                     lines_match(text, (size_t)(named + d), &k->old_lines))
                found = named + d;
        }
        if (found < 0) {
            sb_printf(err,
                      "hunk %zu of %s does not apply (its lines are not in "
                      "the file)",
                      h + 1, f->path);
            return -1;
        }
        splice(text, (size_t)found, k->old_lines.n, &k->new_lines);
        shift += (long)k->new_lines.n - (long)k->old_lines.n;
    }
    return 0;
}

static char *join_lines(const strlist *text)
{
    strbuf sb = {0};
    for (size_t i = 0; i < text->n; i++)
        sb_printf(&sb, "%s\n", text->v[i]);
    return sb.data ? sb_steal(&sb) : xstrdup("");
}

int unidiff_apply(const char *dir, const char *diff, size_t len, strbuf *err)
{
    file_change *fs;
    size_t n;
    if (parse_diff(diff, len, &fs, &n, err) != 0)
        return -1;
    strlist *results = xcalloc(n, sizeof *results);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *path = path_join(dir, fs[i].path);
        char *data = NULL;
        size_t dlen = 0;
        if (!fs[i].creates &&
            file_read(path, &data, &dlen, PATCHED_FILE_MAX) != 0) {
            sb_printf(err, "cannot read %s: %s", fs[i].path, strerror(errno));
            rc = -1;
        } else {
            if (data)
                split_lines(data, dlen, &results[i]);
            rc = apply_hunks(&fs[i], &results[i], err);
        }
        free(data);
        free(path);
    }
    for (size_t i = 0; i < n && rc == 0; i++) { /* all applied: write */
        char *path = path_join(dir, fs[i].path);
        if (fs[i].deletes) {
            rc = unlink(path);
        } else {
            char *text = join_lines(&results[i]);
            rc = file_write_atomic(path, text, strlen(text));
            free(text);
        }
        if (rc != 0)
            sb_printf(err, "cannot write %s: %s", fs[i].path, strerror(errno));
        free(path);
    }
    for (size_t i = 0; i < n; i++) {
        strlist_free(&results[i]);
        file_change_free(&fs[i]);
    }
    free(results);
    free(fs);
    return rc;
}

char *unidiff_description(const char *diff, size_t len)
{
    size_t n = 0;
    while (n < len && diff[n] != '\n')
        n++;
    if (n >= 4 && strncmp(diff, "--- ", 4) == 0)
        return xstrdup("");
    const char *s = diff;
    static const char *const labels[] = {"Mutant: ", "Variant: "};
    for (size_t k = 0; k < 2; k++) {
        const size_t l = strlen(labels[k]);
        if (n >= l && strncmp(s, labels[k], l) == 0) {
            s += l;
            n -= l;
        }
    }
    return xstrndup(s, n);
}
