/* files.h: small file-system operations the grader needs, with errno-style
 * results (0 on success, -1 with errno set). */
#ifndef GRADER_FILES_H
#define GRADER_FILES_H

#include <stddef.h>

#include "base/strlist.h"

/* Reads a whole file; *out is NUL-terminated and owned by the caller.
 * Fails (errno EFBIG) for files larger than max_bytes. */
int file_read(const char *path, char **out, size_t *len, size_t max_bytes);
/* The same for a file in a folder untrusted code could write: a symbolic
 * link is not followed and a FIFO does not block (both fail). */
int file_read_nofollow(const char *path, char **out, size_t *len,
                       size_t max_bytes);
/* What a path below a root is, each folder on the way looked at without
 * following links (a submission must hold plain files where it edits). */
typedef enum {
    PATH_FILE,      /* a regular file, at most the size asked */
    PATH_MISSING,   /* nothing there (or a folder on the way is missing) */
    PATH_LINK,      /* it, or a folder on its way below root, is a link */
    PATH_NOT_FILE,  /* a folder, FIFO, socket or device */
    PATH_TOO_LARGE, /* a regular file larger than the size asked */
} path_kind;

path_kind path_kind_below(const char *root, const char *rel, size_t max_bytes);
/* One line for a kind other than PATH_FILE ("is a symbolic link ..."). */
const char *path_kind_problem(path_kind k);

/* Writes all of data to fd, again after a signal or a short write. */
int fd_write_all(int fd, const char *data, size_t len);
/* Writes atomically: a temporary file in the same folder, then rename. */
int file_write_atomic(const char *path, const char *data, size_t len);
int file_exists(const char *path);
int dir_exists(const char *path);
int mkdir_p(const char *path, unsigned mode);
int remove_tree(const char *path);
/* Appends the names in a directory (no "." or ".."), sorted, to *names
 * (the caller frees it). Regular files only when files_only is set. */
int list_dir(const char *path, int files_only, strlist *names);
/* Joins a and b with one '/'; the caller frees. */
char *path_join(const char *a, const char *b);
/* Absolute path of the program `name` on PATH (the standard folders when
 * PATH is unset), or NULL. The caller frees. */
char *find_program(const char *name);

#endif
