/* git_repo.h: the few libgit2 operations the integrity code needs, with
 * the grader's conventions (one-line errors in a strbuf, 40-hex ids,
 * caller-owned buffers). */
#ifndef GRADER_GIT_REPO_H
#define GRADER_GIT_REPO_H

#include <git2.h>
#include <stddef.h>

#include "base/files.h"
#include "base/strbuf.h"

enum { GR_MAX_FILE_BYTES = 64 << 20 };

/* Initialises libgit2 once per process (cheap to call again). */
void gr_init(void);
/* The repository whose working tree is exactly dir, or NULL: a workbook
 * inside some other repository is "not a git workbook". */
git_repository *gr_open_workdir(const char *dir);
/* Any repository at path (bare or not). Returns 0, or -1 with err. */
int gr_open_any(const char *path, git_repository **out, strbuf *err);
/* Reads a blob by id; 0, or -1 when the object is not in this clone. */
int gr_blob_read(git_repository *r, const char *hex, char **data, size_t *len);
/* The git blob id ("blob N\0" + data, SHA-1) of some bytes. */
void gr_blob_id(const char *data, size_t len, char hex[41]);
/* Resolves rev to a commit. Returns 0, or -1 with a one-line reason. */
int gr_resolve_commit(git_repository *r, const char *rev, git_commit **out,
                      strbuf *err);
/* Calls fn for every file below prefix ("exercises") in tree, with its
 * path, blob id and file mode (links and submodules too: the caller
 * decides). Stops when fn returns non-zero. */
typedef int (*gr_file_fn)(const char *path, const char *hex, unsigned mode,
                          void *ctx);
int gr_tree_walk(git_repository *r, git_tree *tree, const char *prefix,
                 gr_file_fn fn, void *ctx);
/* Reads the regular file at path in tree: 0, 1 when absent, -1 when not a
 * regular file (a link, a folder) or unreadable. id (may be NULL) gets
 * its blob id. */
int gr_tree_read(git_repository *r, git_tree *tree, const char *path,
                 char **data, size_t *len, char id[41]);
/* What path is in tree (files.h's path_kind): a regular or executable
 * file of at most max_bytes, missing, a link (it or a folder on its way),
 * something else (a folder, a submodule), or too large. */
path_kind gr_tree_kind(git_repository *r, git_tree *tree, const char *path,
                       size_t max_bytes);
/* "YYYY-MM-DDTHH:MM:SSZ" of a git time. */
void gr_iso_time(git_time_t t, char out[32]);
/* libgit2's last error as text (never NULL). */
const char *gr_last_error(void);

#endif
