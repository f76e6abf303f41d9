/* files.c: file-system helpers (see files.h). */
#include "base/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/strbuf.h"

static int read_with(int open_flags, const char *path, char **out, size_t *len,
                     size_t max_bytes)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | open_flags);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return -1;
    }
    if ((size_t)st.st_size > max_bytes) {
        close(fd);
        errno = EFBIG;
        return -1;
    }
    strbuf sb = {0};
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            sb_free(&sb);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        if (sb.len + (size_t)n > max_bytes) {
            close(fd);
            sb_free(&sb);
            errno = EFBIG;
            return -1;
        }
        sb_append(&sb, chunk, (size_t)n);
    }
    close(fd);
    if (len)
        *len = sb.len;
    *out = sb_steal(&sb);
    return 0;
}

int file_read(const char *path, char **out, size_t *len, size_t max_bytes)
{
    return read_with(0, path, out, len, max_bytes);
}

int file_read_nofollow(const char *path, char **out, size_t *len,
                       size_t max_bytes)
{
    return read_with(O_NOFOLLOW | O_NONBLOCK, path, out, len, max_bytes);
}

path_kind path_kind_below(const char *root, const char *rel, size_t max_bytes)
{
    char *path = path_join(root, rel);
    const size_t skip = strlen(path) - strlen(rel);
    path_kind k = PATH_FILE;
    struct stat st;
    /* each prefix below root: "exercises", "exercises/01_x", ... */
    for (char *p = path + skip;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        const char c = *p;
        *p = '\0';
        const int there = lstat(path, &st) == 0;
        *p = c;
        if (!there)
            k = PATH_MISSING;
        else if (S_ISLNK(st.st_mode))
            k = PATH_LINK;
        else if (c != '\0' && !S_ISDIR(st.st_mode))
            k = PATH_MISSING;
        else if (c == '\0' && !S_ISREG(st.st_mode))
            k = PATH_NOT_FILE;
        else if (c == '\0' && (size_t)st.st_size > max_bytes)
            k = PATH_TOO_LARGE;
        if (k != PATH_FILE || c == '\0')
            break;
    }
    free(path);
    return k;
}

const char *path_kind_problem(path_kind k)
{
    switch (k) {
    case PATH_FILE: return "is a regular file";
    case PATH_MISSING: return "is missing";
    case PATH_LINK:
        return "is a symbolic link, or lies in a folder that is one: "
               "submissions hold plain files, and a link is never followed";
    case PATH_NOT_FILE:
        return "is not a regular file (a folder, a FIFO, a socket or a "
               "device)";
    case PATH_TOO_LARGE: return "is larger than the grader reads";
    }
    return "cannot be read";
}

int fd_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        const ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int file_write_atomic(const char *path, const char *data, size_t len)
{
    strbuf tmp = {0};
    sb_printf(&tmp, "%s.tmp.%d", path, (int)getpid());
    int fd = open(sb_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        sb_free(&tmp);
        return -1;
    }
    if (fd_write_all(fd, data, len) != 0) {
        int e = errno;
        close(fd);
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        errno = e;
        return -1;
    }
    if (close(fd) != 0 || rename(sb_str(&tmp), path) != 0) {
        int e = errno;
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        errno = e;
        return -1;
    }
    sb_free(&tmp);
    return 0;
}

int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int mkdir_p(const char *path, unsigned mode)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, (mode_t)mode);
    free(p);
    return (rc == 0 || errno == EEXIST) ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int remove_tree(const char *path)
{
    if (access(path, F_OK) != 0)
        return 0;
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

int list_dir(const char *path, int files_only, strlist *names)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    strlist found = {0};
    const struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (files_only) {
            char *full = path_join(path, e->d_name);
            int ok = file_exists(full);
            free(full);
            if (!ok)
                continue;
        }
        strlist_push(&found, e->d_name);
    }
    closedir(d);
    strlist_sort(&found);
    for (size_t i = 0; i < found.n; i++)
        strlist_push(names, found.v[i]);
    strlist_free(&found);
    return 0;
}

char *path_join(const char *a, const char *b)
{
    strbuf sb = {0};
    sb_puts(&sb, a);
    if (sb.len > 0 && sb.data[sb.len - 1] != '/')
        sb_puts(&sb, "/");
    sb_puts(&sb, b);
    return sb_steal(&sb);
}

char *find_program(const char *name)
{
    const char *path = getenv("PATH");
    if (path == NULL || path[0] == '\0')
        path = "/usr/local/bin:/usr/bin:/bin";
    char *copy = xstrdup(path);
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d;
         d = strtok_r(NULL, ":", &save)) {
        char *p = path_join(d, name);
        if (access(p, X_OK) == 0) {
            free(copy);
            return p;
        }
        free(p);
    }
    free(copy);
    return NULL;
}
