/* provenance.h: where a graded submission came from, for the results
 * document's "provenance" (grader/README.md, "The JSON"): the repository
 * and its origin, the commit and its author and times, the branch, and
 * whether the working tree had changes. */
#ifndef GRADER_PROVENANCE_H
#define GRADER_PROVENANCE_H

#include <cjson/cJSON.h>
#include <git2.h>

/* The working tree at root, graded as it is (r: its repository, or NULL
 * when it is none). */
cJSON *provenance_worktree(const char *root, git_repository *r);
/* The commit c of repository r (at path), asked for as rev. */
cJSON *provenance_commit(const char *path, git_repository *r, const char *rev,
                         const git_commit *c);

#endif
