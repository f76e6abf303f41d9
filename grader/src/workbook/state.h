/* state.h: the layout of the grader's state folder (workbook.h,
 * wb->state_dir), in one place. It is private to the grader's user and
 * outside the workbook:
 *
 *     results/<id>.json   the last result of an exercise (result_cache.h)
 *     results/<id>.hints  how many of its hints were shown (hints.h)
 *     progress            the student's progress (progress.h)
 *     graded.XXXXXX/      a graded tree while it is graded (integrity.h)
 *     objects/<key>.o     compiled units the student cannot change
 *                         (compile/object_cache.h)
 *     judge/<id>/<build>-<seed>/<n>.checks
 *                         judge mode's expectations: the reference run's
 *                         check records of test n (judge.h)
 *     build/              the builds, unless the grader runs as root */
#ifndef GRADER_STATE_H
#define GRADER_STATE_H

#define STATE_GRADED_PREFIX "graded."

/* Each returns a new path below the state folder `state` (the caller
 * frees it). */
char *state_results_dir(const char *state);
char *state_result_path(const char *state, const char *id);
char *state_hints_path(const char *state, const char *id);
char *state_progress_path(const char *state);
/* The mkdtemp template of a graded tree. */
char *state_graded_template(const char *state);
/* The folder of the expectations of exercise id for one build of its
 * reference (its content hash) and one seed (a hash of it). */
char *state_judge_dir(const char *state, const char *id, const char *build,
                      const char *seed);
/* The build folder when builds live in the state folder. */
char *state_build_dir(const char *state);

#endif
