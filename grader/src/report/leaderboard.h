/* leaderboard.h: many results JSON files -> one ranking, as JSON, Markdown
 * and a self-contained HTML page (leaderboard_html.c).
 *
 * Who is ranked how: students graded by the organizer come first, by score
 * (descending), then by when the organizer's board first saw that score
 * (this run's time, or the time carried forward from the previous board
 * while the score stays the same; equal times share a rank), then by
 * input order. The commit date comes from the student's clock: shown,
 * never used. Students who could not be graded (a record of schema
 * llmlings-ungraded/1, written by the workflow) come last, with the
 * reason. */
#ifndef GRADER_LEADERBOARD_H
#define GRADER_LEADERBOARD_H

#include <stddef.h>

#include "base/strbuf.h"

#define LEADERBOARD_SCHEMA "llmlings-leaderboard/2"
#define UNGRADED_SCHEMA "llmlings-ungraded/1"

typedef struct {
    char *name; /* exercise id */
    char *verdict;
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
    char *repository; /* provenance.remote or .repository, may be "" */
    char *commit;     /* provenance.commit, may be "" */
    int graded;       /* 0: an ungraded record (reason, detail) */
    char *reason, *detail;
    char *commit_time;  /* ISO 8601, the student's clock: shown only */
    char *reached;      /* ISO 8601, the organizer's clock: first seen */
    double t_reached;   /* seconds since the epoch; HUGE_VAL when unknown */
    int reached_before; /* 1: carried forward from the previous board */
    double score, max_score;
    int build_errors, tampered; /* exercises with these verdicts */
    int integrity_ok;           /* 1 ok, 0 findings, -1 not recorded */
    int integrity_files;        /* modified + deleted + added + unrestorable */
    char *integrity_message;
    lb_exercise *ex; /* sorted by name, names unique */
    size_t nex;
    lb_metric *metrics; /* sorted by key, keys unique (the best value) */
    size_t nmetrics;
    size_t order; /* input order: the last tie-breaker */
    int rank;     /* 1-based; equal score and time share a rank; 0 when
                     not graded */
} lb_student;

/* s's exercise or metric of that name (binary search), or NULL. */
const lb_exercise *lb_find_exercise(const lb_student *s, const char *name);
const lb_metric *lb_find_metric(const lb_student *s, const char *key);

typedef struct {
    char *file;
    char *reason;
} lb_skip;

typedef struct {
    char *name;
    double score;
    double t_reached;
} lb_previous;

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
    double now;        /* this run's time: when a new score is first seen
                          (0: lb_rank takes the clock) */
    lb_previous *prev; /* the previous board's students, for lb_rank */
    size_t nprev;
    char *prev_note; /* what became of the previous board, for the page */
} leaderboard;

/* Adds one results document (or ungraded record) under the given file
 * name; a malformed or duplicate one is recorded in skipped, never fatal. */
void lb_add_text(leaderboard *lb, const char *file, const char *text,
                 size_t len);
/* Adds a file, or every *.json below a folder (sorted, recursively). */
void lb_add_path(leaderboard *lb, const char *path);
/* Reads the previous board's leaderboard.json (text): 0, or -1 with the
 * reason in lb->prev_note (the board then starts its times afresh). */
int lb_load_previous(leaderboard *lb, const char *text, size_t len);
/* The same from a file: 0 (a board of another schema only says so on
 * stderr), or -1 when the file cannot be read (said on stderr). */
int lb_load_previous_file(leaderboard *lb, const char *path);
/* Carries first-reached times forward, sorts and ranks. Call once, after
 * adding. */
void lb_rank(leaderboard *lb);
char *lb_json(const leaderboard *lb);
char *lb_markdown(const leaderboard *lb);
char *lb_html(const leaderboard *lb, const char *title);
/* ISO 8601 ("2026-01-02T03:04:05Z", with optional fraction or +hh:mm) to
 * seconds since the epoch; -1 when it is not one (years 1000-9999). */
int lb_parse_time(const char *s, double *out);
/* How many students were graded / not graded. */
size_t lb_count_graded(const leaderboard *lb);
/* Writes DIR/leaderboard.json, leaderboard.md and index.html (DIR made
 * when missing). Returns 0, or -1 after saying why on stderr. */
int lb_write(const leaderboard *lb, const char *dir, const char *title);
void lb_free(leaderboard *lb);

#endif
