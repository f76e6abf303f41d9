/* result_cache.h: the results of earlier gradings, reused when an
 * exercise's inputs are unchanged (the same content hash, inputs.h).
 *
 * The stored results (state.h: results/<id>.json) are read once, when the
 * cache is opened, before any student code runs: a test that writes into
 * the state folder (the grader's own user, without Landlock) cannot change
 * the results of this grading. A result put later is written to disk and
 * kept in the cache, so later reads through it see it. The caller opens
 * one cache per command and passes it to every grading. */
#ifndef GRADER_RESULT_CACHE_H
#define GRADER_RESULT_CACHE_H

#include "grade/results.h"
#include "workbook/workbook.h"

typedef struct result_cache result_cache;

/* Reads the stored results of wb's state folder now (the cache keeps no
 * pointer to wb). Never NULL. */
result_cache *result_cache_open(const workbook *wb);
/* The stored result of exercise id when its hash is `hash`: returns 1 and
 * fills out (the caller frees it), else 0. */
int result_cache_get(const result_cache *c, const char *id, const char *hash,
                     exercise_result *out);
/* Stores r (best effort: a file that cannot be written is no error). */
void result_cache_put(result_cache *c, const exercise_result *r);
void result_cache_close(result_cache *c);

#endif
