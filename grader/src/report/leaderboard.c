/* leaderboard.c: what `grader leaderboard` (cmd_results.c) does: reads
 * many results documents (one per student), ranks them and writes
 * leaderboard.json, leaderboard.md and index.html (leaderboard_html.c). A bad
 * file is reported and skipped; it never stops the board for everybody else. */
#include "report/leaderboard.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/utf8.h"
#include "report/formats.h"

enum { MAX_DEPTH = 8 };

/* A copy of student-controlled text, made valid UTF-8. */
static char *xdup(const char *s)
{
    return utf8_sanitize(s, strlen(s));
}

int lb_parse_time(const char *s, double *out)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
        return -1;
    const char *p = s + n;
    double frac = 0;
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int hh, mm;
        if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
            return -1;
        offset = (*p == '+' ? 1 : -1) * (hh * 3600L + mm * 60L);
        p += 6;
    } else if (*p == 'Z') {
        p++;
    } else {
        return -1;
    }
    if (*p != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (double)timegm(&tm) - (double)offset + frac;
    return 0;
}

static void iso_time(double t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void skip(leaderboard *lb, const char *file, const char *reason)
{
    lb->skipped =
        xrealloc(lb->skipped, (lb->nskipped + 1) * sizeof *lb->skipped);
    lb->skipped[lb->nskipped].file = xdup(file);
    lb->skipped[lb->nskipped].reason = xdup(reason);
    lb->nskipped++;
}

/* The student a file belongs to: "alice.json" -> alice; for the usual
 * "alice/results.json" the folder name. */
static char *student_name(const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".json") == 0)
        len -= 5;
    if (len == 7 && strncmp(base, "results", 7) == 0 && base != file) {
        const char *end = base - 1, *start = end;
        while (start > file && start[-1] != '/')
            start--;
        if (end > start) {
            char *s = xstrndup(start, (size_t)(end - start));
            char *d = xdup(s);
            free(s);
            return d;
        }
    }
    char *s = xstrndup(base, len);
    char *d = xdup(s);
    free(s);
    return d;
}

/* The first of several spellings that is present. */
static const cJSON *first_of(const cJSON *o, const char *const *keys)
{
    for (; *keys; keys++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, *keys);
        if (v != NULL && !cJSON_IsNull(v))
            return v;
    }
    return NULL;
}

/* When the score was reached: the provenance commit time (written by
 * `grader grade` in a git workbook), else the time of the grading. */
static void student_time(lb_student *s, const cJSON *doc)
{
    static const char *const time_keys[] = {"commit_time", "committed_at",
                                            "author_time", "time", NULL};
    static const char *const commit_keys[] = {"commit", "commit_id", "rev",
                                              NULL};
    /* "remote" (origin's URL) says more than "repository" (a local path:
     * a temporary clone when the organizer graded it). */
    static const char *const repo_keys[] = {"remote", "repository", "repo",
                                            "url", NULL};
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
    const cJSON *tv = first_of(prov, time_keys);
    const cJSON *cv = first_of(prov, commit_keys);
    const cJSON *rv = first_of(prov, repo_keys);
    s->commit = xdup(cJSON_IsString(cv) ? cv->valuestring : "");
    s->repository = xdup(cJSON_IsString(rv) ? rv->valuestring : "");
    double t;
    char buf[32];
    s->t = HUGE_VAL;
    if (cJSON_IsNumber(tv)) {
        s->t = tv->valuedouble;
        s->time_is_commit = 1;
    } else if (cJSON_IsString(tv) && lb_parse_time(tv->valuestring, &t) == 0) {
        s->t = t;
        s->time_is_commit = 1;
    } else if (lb_parse_time(jstr(doc, "generated_at"), &t) == 0) {
        s->t = t;
    }
    if (isfinite(s->t))
        iso_time(s->t, buf, sizeof buf);
    else
        buf[0] = '\0';
    s->time = xdup(buf);
}

static void student_details(lb_student *s, const cJSON *doc)
{
    const cJSON *ex, *t, *m;
    s->nex = (size_t)cJSON_GetArraySize(jarr(doc, "exercises"));
    s->ex = xrealloc(NULL, s->nex * sizeof *s->ex);
    size_t i = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        s->ex[i++] =
            (lb_exercise){xdup(jstr(ex, "id")), (int)jnum(ex, "chapter"),
                          jnum(ex, "score"), jnum(ex, "max_score")};
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            const cJSON *ms = cJSON_GetObjectItemCaseSensitive(t, "metrics");
            if (!cJSON_IsObject(ms) ||
                strcmp(jstr(t, "verdict"), "passed") != 0)
                continue;
            cJSON_ArrayForEach(m, ms)
            {
                if (!cJSON_IsNumber(m) || !metric_is_headline(m->string) ||
                    !isfinite(m->valuedouble))
                    continue;
                strbuf key = {0};
                sb_printf(&key, "%s %s", jstr(ex, "id"), m->string);
                s->metrics = xrealloc(s->metrics,
                                      (s->nmetrics + 1) * sizeof *s->metrics);
                s->metrics[s->nmetrics++] =
                    (lb_metric){xdup(sb_str(&key)), m->valuedouble};
                sb_free(&key);
            }
        }
    }
}

void lb_add_text(leaderboard *lb, const char *file, const char *text,
                 size_t len)
{
    cJSON *doc;
    strbuf err = {0};
    if (results_parse(text, len, &doc, &err) != 0) {
        skip(lb, file, sb_str(&err));
        sb_free(&err);
        return;
    }
    char *name = student_name(file);
    for (size_t i = 0; i < lb->n; i++) {
        if (strcmp(lb->s[i].name, name) == 0) {
            strbuf why = {0};
            sb_printf(&why, "duplicate: student \"%s\" already read from %s",
                      name, lb->s[i].file);
            skip(lb, file, sb_str(&why));
            sb_free(&why);
            free(name);
            cJSON_Delete(doc);
            return;
        }
    }
    if (lb->course_id == NULL) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "course");
        lb->course_id = xdup(jstr(c, "id"));
        lb->course_title = xdup(jstr(c, "title"));
    }
    lb->s = xrealloc(lb->s, (lb->n + 1) * sizeof *lb->s);
    lb_student *s = &lb->s[lb->n];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->file = xdup(file);
    s->score = jnum(doc, "score");
    s->max_score = jnum(doc, "max_score");
    s->order = lb->n;
    student_time(s, doc);
    student_details(s, doc);
    lb->n++;
    cJSON_Delete(doc);
}

static int ends_with_json(const char *s)
{
    size_t n = strlen(s);
    return n > 5 && strcmp(s + n - 5, ".json") == 0;
}

static void add_path(leaderboard *lb, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        skip(lb, path, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        strlist names = {0};
        if (depth >= MAX_DEPTH || list_dir(path, 0, &names) != 0) {
            skip(lb, path, "cannot list this folder (or too deep)");
            return;
        }
        for (size_t i = 0; i < names.n; i++) {
            char *child = path_join(path, names.v[i]);
            struct stat cs;
            if (names.v[i][0] != '.' && stat(child, &cs) == 0 &&
                (S_ISDIR(cs.st_mode) || ends_with_json(names.v[i])))
                add_path(lb, child, depth + 1);
            free(child);
        }
        strlist_free(&names);
        return;
    }
    char *text = NULL;
    size_t len = 0;
    if (file_read(path, &text, &len, (size_t)64 << 20) != 0) {
        skip(lb, path, strerror(errno));
        return;
    }
    lb_add_text(lb, path, text, len);
    free(text);
}

void lb_add_path(leaderboard *lb, const char *path)
{
    add_path(lb, path, 0);
}

static int cmp_students(const void *a, const void *b)
{
    const lb_student *x = a, *y = b;
    if (fabs(x->score - y->score) > 1e-9)
        return x->score > y->score ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

void lb_rank(leaderboard *lb)
{
    qsort(lb->s, lb->n, sizeof *lb->s, cmp_students);
    for (size_t i = 0; i < lb->n; i++) {
        lb_student *s = &lb->s[i];
        int tie =
            i > 0 && fabs(s->score - s[-1].score) <= 1e-9 && s->t == s[-1].t;
        s->rank = tie ? s[-1].rank : (int)i + 1;
        for (size_t e = 0; e < s->nex; e++) {
            if (has(lb->exercises, lb->nexercises, s->ex[e].name))
                continue;
            lb->exercises =
                xrealloc(lb->exercises, (lb->nexercises + 1) * sizeof(char *));
            lb->exercises[lb->nexercises++] = xdup(s->ex[e].name);
        }
        for (size_t m = 0; m < s->nmetrics; m++) {
            if (has(lb->metrics, lb->nmetrics, s->metrics[m].key))
                continue;
            lb->metrics =
                xrealloc(lb->metrics, (lb->nmetrics + 1) * sizeof(char *));
            lb->metrics[lb->nmetrics++] = xdup(s->metrics[m].key);
        }
    }
    if (lb->nexercises)
        qsort(lb->exercises, lb->nexercises, sizeof(char *), cmp_str);
    if (lb->nmetrics)
        qsort(lb->metrics, lb->nmetrics, sizeof(char *), cmp_str);
    lb->chapters = xrealloc(NULL, lb->nexercises * sizeof(int));
    for (size_t e = 0; e < lb->nexercises; e++) {
        lb->chapters[e] = 0;
        for (size_t i = 0; i < lb->n; i++)
            for (size_t k = 0; k < lb->s[i].nex; k++)
                if (strcmp(lb->s[i].ex[k].name, lb->exercises[e]) == 0)
                    lb->chapters[e] = lb->s[i].ex[k].chapter;
    }
}

/* ---- JSON ---------------------------------------------------------------- */

static double r3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

char *lb_json(const leaderboard *lb)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "llmlings-leaderboard/1");
    cJSON *c = cJSON_AddObjectToObject(root, "course");
    cJSON_AddStringToObject(c, "id", lb->course_id ? lb->course_id : "");
    cJSON_AddStringToObject(c, "title",
                            lb->course_title ? lb->course_title : "");
    cJSON *list = cJSON_AddArrayToObject(root, "students");
    for (size_t i = 0; i < lb->n; i++) {
        const lb_student *s = &lb->s[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", s->rank);
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddNumberToObject(o, "score", r3(s->score));
        cJSON_AddNumberToObject(o, "max_score", r3(s->max_score));
        cJSON_AddStringToObject(o, "time", s->time);
        cJSON_AddStringToObject(o, "time_source",
                                s->time_is_commit ? "commit" : "graded");
        cJSON_AddStringToObject(o, "repository", s->repository);
        cJSON_AddStringToObject(o, "commit", s->commit);
        cJSON_AddStringToObject(o, "file", s->file);
        cJSON *ex = cJSON_AddObjectToObject(o, "exercises");
        for (size_t e = 0; e < s->nex; e++)
            cJSON_AddNumberToObject(ex, s->ex[e].name, r3(s->ex[e].score));
        cJSON *m = cJSON_AddObjectToObject(o, "metrics");
        for (size_t k = 0; k < s->nmetrics; k++)
            cJSON_AddNumberToObject(m, s->metrics[k].key,
                                    r3(s->metrics[k].value));
        cJSON_AddItemToArray(list, o);
    }
    cJSON *sk = cJSON_AddArrayToObject(root, "skipped");
    for (size_t i = 0; i < lb->nskipped; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", lb->skipped[i].file);
        cJSON_AddStringToObject(o, "reason", lb->skipped[i].reason);
        cJSON_AddItemToArray(sk, o);
    }
    char *text = json_text(root);
    cJSON_Delete(root);
    return text;
}

/* ---- Markdown ------------------------------------------------------------ */

static void md(strbuf *sb, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (strchr("|\\`*_[]<>#!~@&", *p))
            sb_printf(sb, "&#%d;", (unsigned char)*p);
        else if (*p == '\n' || *p == '\t')
            sb_puts(sb, " ");
        else
            sb_append(sb, p, 1);
    }
}

char *lb_markdown(const leaderboard *lb)
{
    strbuf sb = {0};
    sb_puts(&sb, "# Leaderboard: ");
    md(&sb, lb->course_title ? lb->course_title : "");
    sb_printf(&sb, "\n\n%zu students", lb->n);
    if (lb->nskipped)
        sb_printf(&sb, ", %zu result files skipped", lb->nskipped);
    sb_puts(&sb, ". Ranked by score, then by the earliest commit that "
                 "reached it.\n\n| rank | student | score | % | reached at |\n"
                 "|---:|---|---:|---:|---|\n");
    for (size_t i = 0; i < lb->n; i++) {
        const lb_student *s = &lb->s[i];
        sb_printf(&sb, "| %d | ", s->rank);
        md(&sb, s->name);
        sb_printf(&sb, " | %g / %g | %.1f | %s%s |\n", r3(s->score),
                  r3(s->max_score),
                  s->max_score > 0 ? 100 * s->score / s->max_score : 0.0,
                  s->time, s->time_is_commit ? "" : " (graded)");
    }
    if (lb->nskipped) {
        sb_puts(&sb, "\n## Skipped result files\n\n");
        for (size_t i = 0; i < lb->nskipped; i++) {
            sb_puts(&sb, "- ");
            md(&sb, lb->skipped[i].file);
            sb_puts(&sb, ": ");
            md(&sb, lb->skipped[i].reason);
            sb_puts(&sb, "\n");
        }
    }
    return sb_steal(&sb);
}

void lb_free(leaderboard *lb)
{
    for (size_t i = 0; i < lb->n; i++) {
        lb_student *s = &lb->s[i];
        free(s->name);
        free(s->file);
        free(s->repository);
        free(s->commit);
        free(s->time);
        for (size_t e = 0; e < s->nex; e++)
            free(s->ex[e].name);
        free(s->ex);
        for (size_t k = 0; k < s->nmetrics; k++)
            free(s->metrics[k].key);
        free(s->metrics);
    }
    free(lb->s);
    for (size_t i = 0; i < lb->nskipped; i++) {
        free(lb->skipped[i].file);
        free(lb->skipped[i].reason);
    }
    free(lb->skipped);
    for (size_t i = 0; i < lb->nexercises; i++)
        free(lb->exercises[i]);
    free(lb->exercises);
    free(lb->chapters);
    for (size_t i = 0; i < lb->nmetrics; i++)
        free(lb->metrics[i]);
    free(lb->metrics);
    free(lb->course_id);
    free(lb->course_title);
    memset(lb, 0, sizeof *lb);
}

/* ---- the files ----------------------------------------------------------- */

static int write_out(const char *dir, const char *name, char *text)
{
    char *path = path_join(dir, name);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "grader leaderboard: cannot write %s: %s\n", path,
                strerror(errno));
    free(path);
    free(text);
    return rc;
}

int lb_write(const leaderboard *lb, const char *dir, const char *title)
{
    if (mkdir_p(dir, 0755) != 0) {
        fprintf(stderr, "grader leaderboard: cannot create %s: %s\n", dir,
                strerror(errno));
        return -1;
    }
    if (write_out(dir, "leaderboard.json", lb_json(lb)) ||
        write_out(dir, "leaderboard.md", lb_markdown(lb)) ||
        write_out(dir, "index.html", lb_html(lb, title)))
        return -1;
    return 0;
}
