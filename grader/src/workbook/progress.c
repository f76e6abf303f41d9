/* progress.c: see progress.h. */
#include "workbook/progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "workbook/state.h"

#define PROGRESS_MAGIC "llmlings-progress 1"
enum { PROGRESS_MAX_BYTES = 1 << 20 };

int progress_is_done(const progress *p, const char *id)
{
    for (size_t i = 0; i < p->done.n; i++)
        if (strcmp(p->done.v[i], id) == 0)
            return 1;
    return 0;
}

void progress_free(progress *p)
{
    free(p->current);
    strlist_free(&p->done);
    memset(p, 0, sizeof *p);
}

/* Parses text into p; returns 0, or the 1-based number of the first bad
 * line (or 1 for a wrong first line). Unknown ids are dropped silently: an
 * instructor may have renamed an exercise. */
static int parse(const manifest *m, char *text, progress *p)
{
    size_t lineno = 0;
    char *save = NULL;
    if (strlen(text) != strcspn(text, "\r"))
        return 1; /* written by us: never CR */
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (lineno == 1) {
            if (strcmp(line, PROGRESS_MAGIC) != 0)
                return 1;
            continue;
        }
        char *space = strchr(line, ' ');
        if (space == NULL)
            return (int)lineno;
        *space = '\0';
        const char *id = space + 1;
        const int known = manifest_find(m, id) != NULL;
        if (strcmp(line, "current") == 0) {
            if (p->current != NULL)
                return (int)lineno;
            if (known)
                p->current = xstrdup(id);
        } else if (strcmp(line, "done") == 0) {
            if (known && !progress_is_done(p, id))
                strlist_push(&p->done, id);
        } else {
            return (int)lineno;
        }
    }
    return lineno == 0 ? 1 : 0;
}

void progress_load(const graded_view *v, progress *p)
{
    memset(p, 0, sizeof *p);
    char *path = state_progress_path(v->wb->state_dir);
    char *text = NULL;
    size_t len = 0;
    if (file_read(path, &text, &len, PROGRESS_MAX_BYTES) != 0) {
        if (errno != ENOENT)
            fprintf(stderr,
                    "grader: cannot read your progress file %s (%s); "
                    "starting with a fresh one\n",
                    path, strerror(errno));
        free(path);
        return;
    }
    int bad = 0;
    if (strlen(text) != len) { /* a NUL byte: report its line */
        bad = 1;
        for (const char *q = text; *q; q++)
            bad += *q == '\n';
    } else {
        bad = parse(v->m, text, p);
    }
    if (bad) {
        progress_free(p);
        strbuf moved = {0}, msg = {0};
        sb_printf(&moved, "%s.bad", path);
        sb_printf(&msg,
                  "grader: your progress file %s is damaged (line %d); "
                  "starting with a fresh one",
                  path, bad);
        if (rename(path, sb_str(&moved)) == 0)
            sb_printf(&msg, " (the old one is kept as %s)", sb_str(&moved));
        fprintf(stderr, "%s. Your exercises are not affected.\n", sb_str(&msg));
        sb_free(&moved);
        sb_free(&msg);
    }
    free(text);
    free(path);
}

int progress_save(const graded_view *v, const progress *p)
{
    strbuf sb = {0};
    sb_puts(&sb, PROGRESS_MAGIC "\n");
    if (p->current)
        sb_printf(&sb, "current %s\n", p->current);
    /* Manifest order, so the file reads like the course. */
    for (size_t i = 0; i < v->m->n; i++)
        if (progress_is_done(p, v->m->ex[i].id))
            sb_printf(&sb, "done %s\n", v->m->ex[i].id);
    char *path = state_progress_path(v->wb->state_dir);
    int rc = file_write_atomic(path, sb_str(&sb), sb.len);
    if (rc != 0)
        fprintf(stderr, "grader: cannot save your progress to %s: %s\n", path,
                strerror(errno));
    free(path);
    sb_free(&sb);
    return rc;
}

void progress_mark_done(progress *p, const char *id, int done)
{
    if (done) {
        if (!progress_is_done(p, id))
            strlist_push(&p->done, id);
        return;
    }
    for (size_t i = 0; i < p->done.n; i++)
        if (strcmp(p->done.v[i], id) == 0) {
            free(p->done.v[i]);
            p->done.v[i] = p->done.v[--p->done.n];
            return;
        }
}

void progress_set_current(progress *p, const char *id)
{
    char *copy = id ? xstrdup(id) : NULL;
    free(p->current);
    p->current = copy;
}
