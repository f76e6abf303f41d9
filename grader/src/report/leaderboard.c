/* leaderboard.c: what `grader leaderboard` (cmd_results.c) does: reads
 * many results documents (one per student) and the workflow's records of
 * students who could not be graded, carries first-reached times forward
 * from the previous board, ranks everybody and writes leaderboard.json,
 * leaderboard.md (leaderboard_text.c) and index.html (leaderboard_html.c).
 * A bad file is reported and skipped; it never stops the board for
 * everybody else. */
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
#include "base/i18n.h"
#include "base/utf8.h"
#include "report/results_doc.h"

enum { MAX_DEPTH = 8 };

/* A copy made valid UTF-8 without control characters: every string that
 * came from a file goes through here. */
static char *xdup(const char *s)
{
    return utf8_sanitize(s, strlen(s));
}

/* "2026-01-02T03:04:05[.fff](Z|+hh:mm|-hh:mm)", nothing after it. */
int lb_parse_time(const char *s, double *out)
{
    struct tm tm = {0};
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
        n != 19)
        return -1;
    const char *p = s + n;
    double frac = 0;
    if (*p == '.') {
        size_t digits = strspn(p + 1, "0123456789");
        if (digits == 0 || digits > 9)
            return -1;
        frac = strtod(p, NULL); /* only ".ddd": no exponent can follow */
        p += 1 + digits;
    }
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int hh, mm, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &k) != 2 || k != 5 ||
            hh > 23 || mm > 59)
            return -1;
        offset = (*p == '+' ? 1 : -1) * (hh * 3600L + mm * 60L);
        p += 1 + k;
    } else if (*p == 'Z') {
        p++;
    } else {
        return -1;
    }
    if (*p != '\0' || tm.tm_year < 1000 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (double)timegm(&tm) - (double)offset + frac;
    return 0;
}

static char *iso_time(double t)
{
    char buf[32] = "";
    if (isfinite(t) && t > -1e11 && t < 1e11) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    return xdup(buf);
}

static void skip(leaderboard *lb, const char *file, const char *reason)
{
    lb->skipped = xgrow(lb->skipped, lb->nskipped, sizeof *lb->skipped);
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

/* Where the score came from: the commit and its date (the student's
 * clock: shown only) from provenance. */
static void student_provenance(lb_student *s, const cJSON *doc)
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
    double t = HUGE_VAL;
    if (cJSON_IsNumber(tv))
        t = tv->valuedouble;
    else if (cJSON_IsString(tv) && lb_parse_time(tv->valuestring, &t) != 0)
        t = HUGE_VAL;
    s->commit_time = iso_time(t);
}

static void student_integrity(lb_student *s, const cJSON *doc)
{
    const cJSON *ig = cJSON_GetObjectItemCaseSensitive(doc, "integrity");
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(ig, "ok");
    s->integrity_ok = cJSON_IsBool(ok) ? cJSON_IsTrue(ok) : -1;
    static const char *const lists[] = {"modified", "deleted", "added",
                                        "unrestorable", NULL};
    for (const char *const *l = lists; *l; l++)
        s->integrity_files += cJSON_GetArraySize(jarr(ig, *l));
    s->integrity_message = xdup(jstr(ig, "message"));
}

static int cmp_exercise(const void *a, const void *b)
{
    return strcmp(((const lb_exercise *)a)->name,
                  ((const lb_exercise *)b)->name);
}

/* By key; of equal keys the best (highest) value first. */
static int cmp_metric(const void *a, const void *b)
{
    const lb_metric *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return x->value > y->value ? -1 : x->value < y->value;
}

/* Sorted for binary search; of a metric reported twice (two tests of one
 * exercise) the best value stays. */
static void sort_details(lb_student *s)
{
    if (s->nex > 1)
        qsort(s->ex, s->nex, sizeof *s->ex, cmp_exercise);
    if (s->nmetrics > 1)
        qsort(s->metrics, s->nmetrics, sizeof *s->metrics, cmp_metric);
    size_t k = 0;
    for (size_t i = 0; i < s->nmetrics; i++) {
        if (k > 0 && strcmp(s->metrics[k - 1].key, s->metrics[i].key) == 0) {
            free(s->metrics[i].key);
            continue;
        }
        s->metrics[k++] = s->metrics[i];
    }
    s->nmetrics = k;
}

const lb_exercise *lb_find_exercise(const lb_student *s, const char *name)
{
    lb_exercise key = {(char *)name, NULL, 0, 0, 0};
    return s->nex ? bsearch(&key, s->ex, s->nex, sizeof *s->ex, cmp_exercise)
                  : NULL;
}

static int cmp_metric_key(const void *a, const void *b)
{
    return strcmp(((const lb_metric *)a)->key, ((const lb_metric *)b)->key);
}

const lb_metric *lb_find_metric(const lb_student *s, const char *key)
{
    lb_metric k = {(char *)key, 0};
    return s->nmetrics ? bsearch(&k, s->metrics, s->nmetrics,
                                 sizeof *s->metrics, cmp_metric_key)
                       : NULL;
}

static void student_details(lb_student *s, const cJSON *doc)
{
    const cJSON *ex, *t, *m;
    s->nex = (size_t)cJSON_GetArraySize(jarr(doc, "exercises"));
    s->ex = xcalloc(s->nex, sizeof *s->ex);
    size_t i = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        const char *verdict = jstr(ex, "verdict");
        s->ex[i++] = (lb_exercise){xdup(jstr(ex, "id")), xdup(verdict),
                                   jcount(ex, "chapter"), jnum(ex, "score"),
                                   jnum(ex, "max_score")};
        s->build_errors += strcmp(verdict, "build_error") == 0;
        s->tampered += strcmp(verdict, "tampered") == 0;
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
                s->metrics = xgrow(s->metrics, s->nmetrics, sizeof *s->metrics);
                s->metrics[s->nmetrics++] =
                    (lb_metric){xdup(sb_str(&key)), m->valuedouble};
                sb_free(&key);
            }
        }
    }
}

/* A record of a student the workflow could not grade: who, why, where. */
static int parse_ungraded(const char *text, size_t len, cJSON **doc,
                          strbuf *err)
{
    *doc = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(*doc) ||
        strcmp(jstr(*doc, "schema"), UNGRADED_SCHEMA) != 0) {
        cJSON_Delete(*doc);
        *doc = NULL;
        return 1; /* not one: read it as a results document */
    }
    if (!*jstr(*doc, "reason")) {
        sb_puts(err, UNGRADED_SCHEMA " record without a reason");
        cJSON_Delete(*doc);
        *doc = NULL;
        return -1;
    }
    return 0;
}

static lb_student *new_student(leaderboard *lb, char *name, const char *file)
{
    lb->s = xgrow(lb->s, lb->n, sizeof *lb->s);
    lb_student *s = &lb->s[lb->n];
    memset(s, 0, sizeof *s);
    s->name = name;
    s->file = xdup(file);
    s->order = lb->n;
    s->integrity_ok = -1;
    lb->n++;
    return s;
}

static void add_ungraded(leaderboard *lb, char *name, const char *file,
                         const cJSON *doc)
{
    lb_student *s = new_student(lb, name, file);
    s->reason = xdup(jstr(doc, "reason"));
    s->detail = xdup(jstr(doc, "detail"));
    s->repository = xdup(jstr(doc, "repository"));
    s->commit = xdup("");
    s->commit_time = xdup("");
    s->reached = xdup("");
    s->t_reached = HUGE_VAL;
    s->integrity_message = xdup("");
}

static void add_graded(leaderboard *lb, char *name, const char *file,
                       const cJSON *doc)
{
    if (lb->course_id == NULL) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "course");
        lb->course_id = xdup(jstr(c, "id"));
        lb->course_title = xdup(jstr(c, "title"));
    }
    lb_student *s = new_student(lb, name, file);
    s->graded = 1;
    s->score = jnum(doc, "score");
    s->max_score = jnum(doc, "max_score");
    student_provenance(s, doc);
    student_integrity(s, doc);
    student_details(s, doc);
    sort_details(s);
}

void lb_add_text(leaderboard *lb, const char *file, const char *text,
                 size_t len)
{
    cJSON *doc = NULL;
    strbuf err = {0};
    int ungraded = parse_ungraded(text, len, &doc, &err);
    if (ungraded == 1 && results_parse(text, len, &doc, &err) != 0)
        ungraded = -1;
    if (ungraded < 0) {
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
    if (ungraded == 0)
        add_ungraded(lb, name, file, doc);
    else
        add_graded(lb, name, file, doc);
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
    if (file_read(path, &text, &len, RESULTS_MAX_BYTES) != 0) {
        skip(lb, path,
             errno == EFBIG ? "larger than the limit of 64 MiB"
                            : strerror(errno));
        return;
    }
    lb_add_text(lb, path, text, len);
    free(text);
}

void lb_add_path(leaderboard *lb, const char *path)
{
    add_path(lb, path, 0);
}

/* ---- the previous board -------------------------------------------------- */

static void prev_note(leaderboard *lb, const char *what)
{
    free(lb->prev_note);
    lb->prev_note = xdup(what);
}

int lb_load_previous(leaderboard *lb, const char *text, size_t len)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(doc) ||
        strcmp(jstr(doc, "schema"), LEADERBOARD_SCHEMA) != 0) {
        prev_note(lb, "the previous board is not a " LEADERBOARD_SCHEMA
                      " document: first-reached times start with this run");
        cJSON_Delete(doc);
        return -1;
    }
    const cJSON *st;
    cJSON_ArrayForEach(st, jarr(doc, "students"))
    {
        double t;
        const cJSON *score = cJSON_GetObjectItemCaseSensitive(st, "score");
        if (!cJSON_IsNumber(score) || !*jstr(st, "name") ||
            strcmp(jstr(st, "status"), "graded") != 0 ||
            lb_parse_time(jstr(st, "reached_at"), &t) != 0)
            continue;
        lb->prev = xgrow(lb->prev, lb->nprev, sizeof *lb->prev);
        lb->prev[lb->nprev++] =
            (lb_previous){xdup(jstr(st, "name")), score->valuedouble, t};
    }
    strbuf sb = {0};
    sb_printf(&sb,
              "first-reached times carried forward from the previous board "
              "(%zu students)",
              lb->nprev);
    prev_note(lb, sb_str(&sb));
    sb_free(&sb);
    cJSON_Delete(doc);
    return 0;
}

static double r3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

/* The same score as on the previous board (as it was printed there, to
 * three decimals): it was reached then, or earlier. */
static void carry_forward(leaderboard *lb, lb_student *s)
{
    for (size_t i = 0; i < lb->nprev; i++) {
        const lb_previous *p = &lb->prev[i];
        if (strcmp(p->name, s->name) != 0)
            continue;
        if (fabs(r3(p->score) - r3(s->score)) < 5e-4 &&
            p->t_reached < s->t_reached) {
            s->t_reached = p->t_reached;
            s->reached_before = 1;
        }
        return;
    }
}

/* ---- ranking ------------------------------------------------------------- */

static int cmp_students(const void *a, const void *b)
{
    const lb_student *x = a, *y = b;
    if (x->graded != y->graded)
        return x->graded ? -1 : 1;
    if (x->graded && fabs(x->score - y->score) > 1e-9)
        return x->score > y->score ? -1 : 1;
    if (x->graded && x->t_reached != y->t_reached)
        return x->t_reached < y->t_reached ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A name seen on some student (an exercise id or a metric key), in the
 * order seen, with the exercise's chapter. */
typedef struct {
    const char *name;
    int chapter;
    size_t seq;
} seen_name;

static int cmp_seen(const void *a, const void *b)
{
    const seen_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The distinct names of v[0..n), sorted, into *out (copies) and, when
 * chapters is not NULL, each one's chapter as the last student listed
 * it. Sorting, not pairwise comparison: a board with many exercises per
 * file stays fast. */
static size_t distinct_names(seen_name *v, size_t n, char ***out,
                             int **chapters)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_seen);
    *out = xcalloc(n + 1, sizeof **out);
    if (chapters)
        *chapters = xcalloc(n + 1, sizeof **chapters);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int last = i + 1 == n || strcmp(v[i].name, v[i + 1].name) != 0;
        if (!last)
            continue;
        if (chapters)
            (*chapters)[k] = v[i].chapter;
        (*out)[k++] = xdup(v[i].name);
    }
    return k;
}

/* Every exercise and metric that some student has, sorted. */
static void collect_columns(leaderboard *lb)
{
    size_t nex = 0, nmet = 0;
    for (size_t i = 0; i < lb->n; i++) {
        nex += lb->s[i].nex;
        nmet += lb->s[i].nmetrics;
    }
    seen_name *ex = xcalloc(nex + 1, sizeof *ex);
    seen_name *met = xcalloc(nmet + 1, sizeof *met);
    size_t e = 0, m = 0;
    for (size_t i = 0; i < lb->n; i++) {
        const lb_student *s = &lb->s[i];
        for (size_t k = 0; k < s->nex; k++, e++)
            ex[e] = (seen_name){s->ex[k].name, s->ex[k].chapter, e};
        for (size_t k = 0; k < s->nmetrics; k++, m++)
            met[m] = (seen_name){s->metrics[k].key, 0, m};
    }
    lb->nexercises = distinct_names(ex, nex, &lb->exercises, &lb->chapters);
    lb->nmetrics = distinct_names(met, nmet, &lb->metrics, NULL);
    free(ex);
    free(met);
}

void lb_rank(leaderboard *lb)
{
    if (lb->now == 0)
        lb->now = (double)time(NULL);
    for (size_t i = 0; i < lb->n; i++) {
        lb_student *s = &lb->s[i];
        if (!s->graded)
            continue;
        s->t_reached = lb->now;
        carry_forward(lb, s);
        free(s->reached);
        s->reached = iso_time(s->t_reached);
    }
    if (lb->n > 1)
        qsort(lb->s, lb->n, sizeof *lb->s, cmp_students);
    for (size_t i = 0; i < lb->n; i++) {
        lb_student *s = &lb->s[i];
        int tie = i > 0 && s->graded && s[-1].graded &&
                  fabs(s->score - s[-1].score) <= 1e-9 &&
                  s->t_reached == s[-1].t_reached;
        s->rank = !s->graded ? 0 : tie ? s[-1].rank : (int)i + 1;
    }
    collect_columns(lb);
}

size_t lb_count_graded(const leaderboard *lb)
{
    size_t n = 0;
    for (size_t i = 0; i < lb->n; i++)
        n += lb->s[i].graded != 0;
    return n;
}

void lb_free(leaderboard *lb)
{
    for (size_t i = 0; i < lb->n; i++) {
        lb_student *s = &lb->s[i];
        free(s->name);
        free(s->file);
        free(s->repository);
        free(s->commit);
        free(s->reason);
        free(s->detail);
        free(s->commit_time);
        free(s->reached);
        free(s->integrity_message);
        for (size_t e = 0; e < s->nex; e++) {
            free(s->ex[e].name);
            free(s->ex[e].verdict);
        }
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
    for (size_t i = 0; i < lb->nprev; i++)
        free(lb->prev[i].name);
    free(lb->prev);
    free(lb->prev_note);
    free(lb->course_id);
    free(lb->course_title);
    memset(lb, 0, sizeof *lb);
}

/* ---- the files ----------------------------------------------------------- */

int lb_load_previous_file(leaderboard *lb, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (file_read(path, &text, &len, RESULTS_MAX_BYTES) != 0) {
        fprintf(stderr, _("grader leaderboard: cannot read %s: %s\n"), path,
                errno == EFBIG ? "larger than the limit of 64 MiB"
                               : strerror(errno));
        return -1;
    }
    if (lb_load_previous(lb, text, len) != 0)
        fprintf(stderr, _("grader leaderboard: %s: %s\n"), path, lb->prev_note);
    free(text);
    return 0;
}

static int write_out(const char *dir, const char *name, char *text)
{
    char *path = path_join(dir, name);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, _("grader leaderboard: cannot write %s: %s\n"), path,
                strerror(errno));
    free(path);
    free(text);
    return rc;
}

int lb_write(const leaderboard *lb, const char *dir, const char *title)
{
    if (mkdir_p(dir, 0755) != 0) {
        fprintf(stderr, _("grader leaderboard: cannot create %s: %s\n"), dir,
                strerror(errno));
        return -1;
    }
    if (write_out(dir, "leaderboard.json", lb_json(lb)) ||
        write_out(dir, "leaderboard.md", lb_markdown(lb)) ||
        write_out(dir, "index.html", lb_html(lb, title)))
        return -1;
    return 0;
}
