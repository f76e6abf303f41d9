/* progress.c: see progress.h. */
#include "workbook/progress.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "base/term.h"
#include "grade/grading.h"

#define PROGRESS_MAGIC "llmlings-progress 1"
enum { PROGRESS_MAX_BYTES = 1 << 20 };

static char *progress_path(const workbook *wb)
{
    return path_join(wb->state_dir, "progress");
}

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
static int parse(const workbook *wb, char *text, progress *p)
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
        const int known = manifest_find(&wb->m, id) != NULL;
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

void progress_load(const workbook *wb, progress *p)
{
    memset(p, 0, sizeof *p);
    char *path = progress_path(wb);
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
        bad = parse(wb, text, p);
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

int progress_save(const workbook *wb, const progress *p)
{
    strbuf sb = {0};
    sb_puts(&sb, PROGRESS_MAGIC "\n");
    if (p->current)
        sb_printf(&sb, "current %s\n", p->current);
    /* Manifest order, so the file reads like the course. */
    for (size_t i = 0; i < wb->m.n; i++)
        if (progress_is_done(p, wb->m.ex[i].id))
            sb_printf(&sb, "done %s\n", wb->m.ex[i].id);
    char *path = progress_path(wb);
    int rc = file_write_atomic(path, sb_str(&sb), sb.len);
    if (rc != 0)
        fprintf(stderr, "grader: cannot save your progress to %s: %s\n", path,
                strerror(errno));
    free(path);
    sb_free(&sb);
    return rc;
}

void progress_record(progress *p, const char *id, exercise_verdict v)
{
    if (v == EV_PASSED) {
        if (!progress_is_done(p, id))
            strlist_push(&p->done, id);
        return;
    }
    if (v == EV_SKIPPED)
        return; /* missing hardware says nothing about the student's code */
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

void progress_note(const workbook *wb, const char *id, exercise_verdict v)
{
    progress p;
    progress_load(wb, &p);
    progress_record(&p, id, v);
    (void)progress_save(wb, &p);
    progress_free(&p);
}

/* 1 passed now, 0 not passed now, -1 unknown (no result for these files). */
static int cached_state(const workbook *wb, const exercise *ex,
                        exercise_result *keep)
{
    exercise_result r;
    if (!grade_cached(wb, ex, &r))
        return -1;
    int passed = r.verdict == EV_PASSED;
    if (keep)
        *keep = r;
    else
        exercise_result_free(&r);
    return passed;
}

int progress_finished(const workbook *wb, const progress *p, const exercise *ex)
{
    exercise_result r;
    int state = cached_state(wb, ex, &r);
    if (state < 0)
        return progress_is_done(p, ex->id);
    /* An exercise skipped for missing hardware cannot be worked on here. */
    int finished = r.verdict == EV_PASSED || r.verdict == EV_SKIPPED;
    exercise_result_free(&r);
    return finished;
}

const exercise *progress_next_unfinished(const workbook *wb, const progress *p,
                                         size_t from)
{
    for (size_t k = 0; k < wb->m.n; k++) {
        const exercise *ex = &wb->m.ex[(from + k) % wb->m.n];
        if (!progress_finished(wb, p, ex))
            return ex;
    }
    return NULL;
}

const exercise *progress_current(const workbook *wb, const progress *p)
{
    const exercise *cur = p->current ? manifest_find(&wb->m, p->current) : NULL;
    if (cur == NULL)
        return progress_next_unfinished(wb, p, 0);
    return progress_next_unfinished(wb, p, (size_t)(cur - wb->m.ex));
}

/* ---- list and next ------------------------------------------------------ */

static const char *c(int color, const char *code)
{
    return color ? code : "";
}

void progress_print_list(FILE *f, const workbook *wb, int color)
{
    progress p;
    progress_load(wb, &p);
    const exercise *cur = progress_current(wb, &p);
    int chapter = -1;
    size_t passed = 0;
    /* On a terminal, titles are cut so that a row never wraps. */
    int title_room = INT_MAX;
    size_t width = term_width(f);
    if (width > 0)
        title_room = width > 72 ? (int)width - 54 : 18;
    for (size_t i = 0; i < wb->m.n; i++) {
        const exercise *ex = &wb->m.ex[i];
        if (ex->chapter != chapter) {
            chapter = ex->chapter;
            fprintf(f, "\n%sChapter %d%s\n", c(color, BOLD), chapter,
                    c(color, RESET));
        }
        exercise_result r;
        int state = cached_state(wb, ex, &r);
        const char *status = "not checked yet", *col = DIM;
        char detail[32] = "";
        if (state >= 0) {
            status = exercise_verdict_name(r.verdict);
            col = r.verdict == EV_PASSED    ? GREEN
                  : r.verdict == EV_SKIPPED ? YELLOW
                                            : RED;
            if (r.ntests > 0)
                snprintf(detail, sizeof detail, "%d/%zu tests",
                         tests_passed(&r), r.ntests);
            exercise_result_free(&r);
        } else if (progress_is_done(&p, ex->id)) {
            status = "passed before";
            col = GREEN;
            snprintf(detail, sizeof detail, "changed since");
        }
        if (state == 1 || (state < 0 && progress_is_done(&p, ex->id)))
            passed++;
        const int here = ex == cur;
        fprintf(f, "%s %-20s %s%-15s%s %-12s %.*s\n", here ? " >" : "  ",
                ex->id, c(color, col), status, c(color, RESET), detail,
                title_room, ex->title);
    }
    fprintf(f, "\n%sProgress: %zu/%zu exercises passed.%s\n", c(color, BOLD),
            passed, wb->m.n, c(color, RESET));
    if (cur)
        fprintf(f,
                "You are on %s (marked >): `make watch` re-checks it on "
                "every save.\n",
                cur->id);
    else
        fprintf(f, "Every exercise passes. Run `make grade` for the table.\n");
    progress_free(&p);
}

static void print_where(FILE *f, const workbook *wb, const exercise *ex,
                        int color)
{
    fprintf(f, "Now: %s%s%s — %s (chapter %d, %d points)\n", c(color, BOLD),
            ex->id, c(color, RESET), ex->title, ex->chapter, ex->points);
    fprintf(f, "  the task:   exercises/%s/README.md\n", ex->id);
    for (size_t i = 0; i < ex->edit.n; i++)
        fprintf(f, "  you edit:   exercises/%s/%s\n", ex->id, ex->edit.v[i]);
    if (ex->lecture)
        fprintf(f, "  lecture:    %s\n", ex->lecture);
    fprintf(f,
            "  check it:   `make watch` (re-checks on every save) or "
            "`make check EX=%s`\n",
            ex->id);
    (void)wb;
}

int progress_cmd_next(const workbook *wb, int argc, char **argv, int color)
{
    int skip = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--skip") != 0) {
            fprintf(stderr, "grader: next takes only --skip, got \"%s\"\n",
                    argv[i]);
            return 2;
        }
        skip = 1;
    }
    progress p;
    progress_load(wb, &p);
    const exercise *set = p.current ? manifest_find(&wb->m, p.current) : NULL;
    const exercise *cur = progress_current(wb, &p);
    const exercise *to = cur;
    if (cur == NULL) {
        fprintf(stdout, "Every exercise passes. Run `make grade` for the "
                        "table.\n");
        progress_free(&p);
        return 0;
    }
    if (skip) {
        to = progress_next_unfinished(wb, &p, (size_t)(cur - wb->m.ex) + 1);
        if (to == cur)
            fprintf(stdout, "%s is the only unfinished exercise left.\n",
                    cur->id);
        else
            fprintf(stdout,
                    "Skipping %s for now; `grader list` shows it "
                    "as unfinished.\n",
                    cur->id);
    } else if (set == cur) {
        fprintf(stdout,
                "%s is not finished yet: keep going (`make hint EX=%s` "
                "helps), or `grader next --skip` to leave it for later.\n",
                cur->id, cur->id);
    } else if (set != NULL) {
        fprintf(stdout, "%s passes. On to the next one.\n", set->id);
    }
    progress_set_current(&p, to->id);
    (void)progress_save(wb, &p);
    print_where(stdout, wb, to, color);
    progress_free(&p);
    return 0;
}
