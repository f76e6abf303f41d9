/* object_cache.h: compiled objects of the units the student cannot change
 * (the tests, the harness), kept across builds so a save recompiles only
 * the student's files and relinks.
 *
 * Trust. The cache lives in the grader's state folder (workbook.h
 * state_dir: the grader's user only, never the build folder the run user
 * writes), and only objects of protected units are stored. A key is the
 * SHA-256 of the unit's whole compile command, the compiler binary (path,
 * size, mtime) and the path and content of every input of the build
 * except the student's own compiled sources (headers, tests, the harness,
 * a student's header or kernel file: all in). A protected unit whose
 * compile read a student's source after all (an #include of it; gcc's
 * dependency file says so) is never stored, so a student's code cannot
 * stand in for a trusted object: a different input is a different key.
 * Objects no build has used for two weeks are removed. */
#ifndef GRADER_OBJECT_CACHE_H
#define GRADER_OBJECT_CACHE_H

#include "base/strlist.h"
#include "compile/inputs.h"

typedef struct {
    char *dir;            /* <state>/objects */
    char inputs_hash[65]; /* what every key of this build shares */
    const build_inputs *in;
} object_cache;

/* Prepares the cache of one build of in, compiled by cc (a path). */
void object_cache_open(object_cache *c, const char *state_dir,
                       const build_inputs *in, const char *cc);
void object_cache_close(object_cache *c);
/* Whether the staged source (e.g. "exercises/00_x/test_x.c") is a unit
 * the student cannot change, so its object may be cached. */
int object_cache_trusted(const object_cache *c, const char *source);
/* The key of a unit compiled by argv (its output path left out). */
void object_cache_key(const object_cache *c, const strlist *argv,
                      const char *output, char key[65]);
/* Copies the object of key to dest. Returns 1 on a hit, 0 on a miss. */
int object_cache_fetch(const object_cache *c, const char key[65],
                       const char *dest);
/* Stores object under key, unless its dependency file depfile names one of
 * the student's files (or cannot be read); NULL depfile: the caller made
 * sure with object_cache_includes_student. Failures are silent: the cache
 * only saves time. */
void object_cache_store(const object_cache *c, const char key[65],
                        const char *object, const char *depfile);
/* Whether a protected file of the exercises names one of the student's
 * files in an #include line (by its file name): then no unit of the build
 * may be cached, for builds that leave no dependency file. */
int object_cache_includes_student(const object_cache *c);

#endif
