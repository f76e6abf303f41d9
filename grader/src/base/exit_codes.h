/* exit_codes.h: the grader's exit statuses, the one list every command and
 * module returns (grader/README.md, "Exit codes"). CI tells a low score
 * (1) from a grader that could not grade (2, 3) by them. */
#ifndef GRADER_EXIT_CODES_H
#define GRADER_EXIT_CODES_H

enum {
    EXIT_ALL_PASSED = 0,  /* everything graded passed (or: done) */
    EXIT_SOME_FAILED = 1, /* graded fine, something did not pass (or: no) */
    EXIT_USAGE = 2,       /* usage error, malformed manifest or input */
    EXIT_INTERNAL = 3,    /* the grader itself failed: a bug or the system */
};

#endif
