/* leaderboard.h: many results JSON files -> one ranking, as JSON, Markdown
 * and a self-contained HTML page (leaderboard_html.c). */
#ifndef GRADER_LEADERBOARD_H
#define GRADER_LEADERBOARD_H

#include <stddef.h>

#include "base/strbuf.h"

typedef struct {
    char *name; /* exercise id */
    int chapter;
    double score, max;
} lb_exercise;

typedef struct {
    char *key; /* "EXERCISE METRIC", e.g. "15_matmul_fast gflops" */
    double value;
} lb_metric;

typedef struct {
    char *name;       /* the student: file stem, or folder of results.json */
    char *file;       /* where the result came from */
    char *repository; /* provenance.repository, may be "" */
    char *commit;     /* provenance.commit, may be "" */
    char *time;       /* ISO 8601 of the commit (or of the grading) */
    int time_is_commit;
    double t; /* time as seconds since the epoch; HUGE_VAL when unknown */
    double score, max_score;
    lb_exercise *ex;
    size_t nex;
    lb_metric *metrics;
    size_t nmetrics;
    size_t order; /* input order: the last tie-breaker */
    int rank;     /* 1-based; equal score and time share a rank */
} lb_student;

typedef struct {
    char *file;
    char *reason;
} lb_skip;

typedef struct {
    char *course_id, *course_title;
    lb_student *s;
    size_t n;
    lb_skip *skipped;
    size_t nskipped;
    char **exercises; /* union of exercise ids, sorted */
    int *chapters;    /* chapter of each */
    size_t nexercises;
    char **metrics; /* union of metric keys, sorted */
    size_t nmetrics;
} leaderboard;

/* Adds one results document (text) under the given file name; a malformed
 * or duplicate one is recorded in skipped, never fatal. */
void lb_add_text(leaderboard *lb, const char *file, const char *text,
                 size_t len);
/* Adds a file, or every *.json below a folder (sorted, recursively). */
void lb_add_path(leaderboard *lb, const char *path);
/* Sorts and ranks: score descending, then the earliest time, then input
 * order. Call once, after adding. */
void lb_rank(leaderboard *lb);
char *lb_json(const leaderboard *lb);
char *lb_markdown(const leaderboard *lb);
char *lb_html(const leaderboard *lb, const char *title);
/* ISO 8601 ("2026-01-02T03:04:05Z", with optional fraction or +hh:mm) to
 * seconds since the epoch; -1 when it is not one. */
int lb_parse_time(const char *s, double *out);
/* Writes DIR/leaderboard.json, leaderboard.md and index.html (DIR made
 * when missing). Returns 0, or -1 after saying why on stderr. */
int lb_write(const leaderboard *lb, const char *dir, const char *title);
void lb_free(leaderboard *lb);

#endif
